package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/coolpay/coolpay/ui/i18n"
)

// helpShort is the help command's line in "Available Commands" (English;
// writeUsage shows it in the user's language).
const helpShort = "Help about any command"

// msgError is a message from the catalogue: Main prints it in the user's
// language; Error is the English text (logs, tests, wrapping).
type msgError struct {
	key  string
	args []any
}

func (e msgError) Error() string { return i18n.New(i18n.EN).T(e.key, e.args...) }

// usageMsg is a usage error (exit 2) worded by the catalogue.
func usageMsg(key string, args ...any) error { return usageError{msgError{key, args}} }

// usageText is a usage error for people: coolpay's own messages and
// pflag's flag errors in the user's language, anything else as it is.
func usageText(t *i18n.Translator, err error) string {
	var (
		me  msgError
		ne  *pflag.NotExistError
		ve  *pflag.ValueRequiredError
		ive *pflag.InvalidValueError
		se  *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &me):
		return t.T(me.key, me.args...)
	case errors.As(err, &ne) && ne.GetSpecifiedShortnames() != "" && ne.GetSpecifiedShortnames() != ne.GetSpecifiedName():
		return t.T("cli.err.unknown_shorthand", "-"+ne.GetSpecifiedName(), "-"+ne.GetSpecifiedShortnames())
	case errors.As(err, &ne) && ne.GetSpecifiedShortnames() != "":
		return t.T("cli.err.unknown_flag", "-"+ne.GetSpecifiedName())
	case errors.As(err, &ne):
		return t.T("cli.err.unknown_flag", "--"+ne.GetSpecifiedName())
	case errors.As(err, &ve) && ve.GetSpecifiedShortnames() != "":
		return t.T("cli.err.flag_needs_value", "-"+ve.GetSpecifiedName())
	case errors.As(err, &ve):
		return t.T("cli.err.flag_needs_value", "--"+ve.GetSpecifiedName())
	case errors.As(err, &ive):
		name := "--" + ive.GetFlag().Name
		switch typ := ive.GetFlag().Value.Type(); {
		case strings.HasPrefix(typ, "int") || strings.HasPrefix(typ, "uint"):
			return t.T("cli.err.flag_int", name, ive.GetValue())
		case typ == "bool":
			return t.T("cli.err.flag_bool", name, ive.GetValue())
		case typ == "duration":
			return t.T("cli.err.flag_duration", name, ive.GetValue())
		}
		why := "?"
		if cause := errors.Unwrap(ive); cause != nil {
			why = inert(cause.Error())
		}
		return t.T("cli.err.flag_value", name, ive.GetValue(), why)
	case errors.As(err, &se):
		return t.T("cli.err.flag_syntax", se.GetSpecifiedFlag())
	}
	return err.Error()
}

// langFromArgs is the value of --lang on the command line ("" when
// absent), read without cobra: for the errors cobra stops on before it
// parses that flag.
func langFromArgs(args []string) i18n.Lang {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--lang" && i+1 < len(args):
			return i18n.Lang(args[i+1])
		case strings.HasPrefix(a, "--lang="):
			return i18n.Lang(strings.TrimPrefix(a, "--lang="))
		}
	}
	return ""
}

// writeUsage is cobra's usage text (its default layout: usage lines,
// examples, subcommands, flags, global flags) with the headings, the
// placeholders and the help flag's line in the user's language.
func writeUsage(w io.Writer, c *cobra.Command, t *i18n.Translator) error {
	var b strings.Builder
	b.WriteString(t.T("cli.usage.usage"))
	if c.Runnable() {
		line := c.UseLine()
		if s, ok := strings.CutSuffix(line, " [flags]"); ok {
			line = s + " " + t.T("cli.usage.flags_placeholder")
		}
		b.WriteString("\n  " + line)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n  " + c.CommandPath() + " " + t.T("cli.usage.command_placeholder"))
	}
	if len(c.Aliases) > 0 {
		b.WriteString("\n\n" + t.T("cli.usage.aliases") + "\n  " + c.NameAndAliases())
	}
	if c.HasExample() {
		b.WriteString("\n\n" + t.T("cli.usage.examples") + "\n" + c.Example)
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + t.T("cli.usage.commands"))
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() && sub.Name() != "help" {
				continue
			}
			short := sub.Short
			if sub.Name() == "help" && short == helpShort {
				short = t.T("cli.usage.help_short")
			}
			pad := max(sub.NamePadding()-len(sub.Name()), 0)
			fmt.Fprintf(&b, "\n  %s%s %s", sub.Name(), strings.Repeat(" ", pad), short)
		}
	}
	if h := c.Flags().Lookup("help"); h != nil {
		// cobra's own help flag, "help for NAME".
		h.Usage = t.T("cli.usage.help_flag", c.Name())
	}
	if c.HasAvailableLocalFlags() {
		b.WriteString("\n\n" + t.T("cli.usage.flags") + "\n" + flagUsages(t, c.LocalFlags()))
	}
	if c.HasAvailableInheritedFlags() {
		b.WriteString("\n\n" + t.T("cli.usage.global_flags") + "\n" + flagUsages(t, c.InheritedFlags()))
	}
	if c.HasHelpSubCommands() {
		b.WriteString("\n\n" + t.T("cli.usage.topics"))
		for _, sub := range c.Commands() {
			if sub.IsAdditionalHelpTopicCommand() {
				pad := max(sub.CommandPathPadding()-len(sub.CommandPath()), 0)
				fmt.Fprintf(&b, "\n  %s%s %s", sub.CommandPath(), strings.Repeat(" ", pad), sub.Short)
			}
		}
	}
	if c.HasAvailableSubCommands() {
		b.WriteString("\n\n" + t.T("cli.usage.more", c.CommandPath()))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// flagUsages is pflag's table of flags with its "(default X)" in the
// user's language.
func flagUsages(t *i18n.Translator, fs *pflag.FlagSet) string {
	lines := strings.Split(strings.TrimRight(fs.FlagUsages(), " \t\n"), "\n")
	for i, l := range lines {
		if j := strings.LastIndex(l, " (default "); j >= 0 && strings.HasSuffix(l, ")") {
			lines[i] = l[:j] + " " + t.T("cli.usage.default", l[j+len(" (default "):len(l)-1])
		}
	}
	return strings.Join(lines, "\n")
}

// requiredFlags is cobra's check of flags marked required (MarkFlagRequired)
// as a usage error (exit 2) worded by the catalogue.
func requiredFlags(cmd *cobra.Command) error {
	var missing []string
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if v := fl.Annotations[cobra.BashCompOneRequiredFlag]; len(v) > 0 && v[0] == "true" && !fl.Changed {
			missing = append(missing, "--"+fl.Name)
		}
	})
	if len(missing) > 0 {
		return usageMsg("cli.err.required_flag", strings.Join(missing, ", "))
	}
	return nil
}
