package cli

import (
	"testing"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/ui/i18n"
)

// A flag marked required (cobra's MarkFlagRequired) left out is a usage
// error (exit 2) in the user's language, not cobra's English exit 1; the
// command does not run.
func TestRequiredFlagIsAUsageError(t *testing.T) {
	ran := false
	root := &cobra.Command{Use: "coolpay"}
	sub := &cobra.Command{Use: "send", RunE: func(*cobra.Command, []string) error { ran = true; return nil }}
	sub.Flags().String("total", "", "")
	sub.MarkFlagRequired("total")
	root.AddCommand(sub)
	finish(root)
	root.SetArgs([]string{"send"})
	_, err := root.ExecuteC()
	if ran || exitCode(err) != ExitUsage {
		t.Fatalf("ran %v, err %v (exit %d)", ran, err, exitCode(err))
	}
	if got, want := usageText(i18n.New(i18n.FR), err), "option(s) obligatoire(s) manquante(s) : --total"; got != want {
		t.Fatalf("French: %q, want %q", got, want)
	}
	root.SetArgs([]string{"send", "--total", "5"})
	if _, err := root.ExecuteC(); err != nil || !ran {
		t.Fatalf("with the flag: ran %v, err %v", ran, err)
	}
}

// --lang is read from the command line for errors cobra stops on first.
func TestLangFromArgs(t *testing.T) {
	for want, args := range map[i18n.Lang][]string{
		"fr": {"history", "--bogus", "--lang", "fr"},
		"en": {"--lang=en", "x"},
		"":   {"history", "--", "--lang", "fr"},
	} {
		if got := langFromArgs(args); got != want {
			t.Errorf("%v: %q, want %q", args, got, want)
		}
	}
}
