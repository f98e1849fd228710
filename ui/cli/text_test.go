package cli

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestInertNeutralisesTerminalControls: escape sequences, other control
// characters, bidi overrides and invalid UTF-8 from outside are shown, not
// obeyed; ordinary text, accents included, is untouched.
func TestInertNeutralisesTerminalControls(t *testing.T) {
	for in, want := range map[string]string{
		"Gaëlle Ngono":               "Gaëlle Ngono",
		"\x1b[2J\x1b]0;pwned\x07":    `^[[2J^[]0;pwned^G`,
		"line\nbreak\ttab\r":         `line^Jbreak^Itab^M`,
		"amount \u202e0005":          `amount <U+202E>0005`,
		"\u2066isolate\u2069":        `<U+2066>isolate<U+2069>`,
		"C1 \u009b31m":               `C1 ^[[31m`,
		"del\x7f":                    "del^?",
		"bad \xff utf8":              "bad \uFFFD utf8",
		"":                           "",
		"50 500 XAF ✔ réussi — ok …": "50 500 XAF ✔ réussi — ok …",
	} {
		if got := inert(in); got != want {
			t.Errorf("inert(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEverySettingIsExplainedInBothLanguages: config list shows each
// setting's purpose from the catalogue; a new setting needs its line there.
func TestEverySettingIsExplainedInBothLanguages(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		tr := i18n.New(lang)
		for _, k := range configNames() {
			if got := tr.T("cli.config." + k); got == "cli.config."+k {
				t.Errorf("%s: no %s text for setting %q (ui/i18n/messages_cli.go)", lang, lang, k)
			}
		}
	}
}
