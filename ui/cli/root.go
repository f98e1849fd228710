package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/text"
)

// NewCmdRoot builds the whole command tree. The root's own action is the
// console; every other command is one line here and one file beside this.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := newCmdConsole(f)
	pf := root.PersistentFlags()
	pf.StringVar(&f.Globals.DB, "db", "", "ledger file, or a postgres:// URL shared by several desks (env COOLPAY_DB; default in the user data directory)")
	pf.StringVar(&f.Globals.BaseURL, "base-url", "", "API base URL (env COOLPAY_BASE_URL; default https://my-coolpay.com/api)")
	pf.StringVar(&f.Globals.PublicKey, "public-key", "", "merchant public key (env COOLPAY_PUBLIC_KEY)")
	pf.StringVar(&f.Globals.Lang, "lang", "", "language of the console and of human-readable output: en or fr; default from LANG")
	completeWith(root, "lang", "en", "fr")
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if l := f.Globals.Lang; l != "" && l != "en" && l != "fr" {
			return usageMsg("cli.err.lang", l)
		}
		return nil
	}
	// Cobra's help and usage in the user's language: the same layout as
	// cobra's own, with the headings from the catalogue.
	root.SetUsageFunc(func(c *cobra.Command) error {
		return writeUsage(c.OutOrStderr(), c, f.T(nil))
	})

	root.AddCommand(
		NewCmdHistory(f),
		NewCmdReport(f),
		NewCmdReceipt(f),
		NewCmdStatus(f),
		NewCmdBalance(f),
		NewCmdReconcile(f),
		NewCmdPayouts(f),
		NewCmdListen(f),
		NewCmdKeys(f),
		NewCmdConfig(f),
		NewCmdSeed(f),
		NewCmdLedger(f),
		NewCmdSandbox(f),
		NewCmdDoctor(f),
		NewCmdCompletion(f),
		newCmdDoctorLedger(f),
	)
	root.SetHelpCommand(newCmdHelp())
	finish(root)
	return root
}

// newCmdHelp is `coolpay help [COMMAND]`: cobra's, except that an unknown
// topic is a usage error (exit 2) rather than the root's help and success.
func newCmdHelp() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: helpShort,
		Example: `  coolpay help history
  coolpay help keys set`,
		Args: cobra.ArbitraryArgs,
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() {
					names = append(names, sub.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return usageMsg("cli.err.help_topic", strings.Join(args, " "))
			}
			return cmd.Help()
		},
	}
}

// Main runs the command line args and returns the process's exit code.
// Errors are printed here, once, on stderr: usage errors with a pointer to
// the command's help (exit 2), others as one line.
func Main(f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	code := exitCode(err)
	t := f.T(nil)
	if f.Globals.Lang == "" {
		// A flag error stops cobra before it reads a later --lang: the
		// error is still in the language asked for.
		if l := langFromArgs(args); l == i18n.EN || l == i18n.FR {
			t = i18n.New(l)
		}
	}
	switch code {
	case ExitUsage:
		fmt.Fprintf(f.IO.ErrOut, "coolpay: %s\n%s\n", usageText(t, err), t.T("cli.err.usage_hint", cmd.CommandPath()))
	default:
		if msg := errorText(f, t, err); msg != "" {
			if !strings.HasPrefix(msg, "coolpay:") {
				msg = "coolpay: " + msg
			}
			fmt.Fprintln(f.IO.ErrOut, msg)
		}
	}
	return code
}

// errorText is err for people, in their language where coolpay itself
// explains it; errors from elsewhere keep their own words.
func errorText(f *Factory, t *i18n.Translator, err error) string {
	var missing *missingLedger
	var api *client.APIError
	var bad *config.SourcedError
	switch {
	case errors.As(err, &missing):
		return t.T("cli.err.no_ledger", inert(missing.path))
	case errors.As(err, &bad):
		return bad.Text(t) // an invalid setting: which one, from where, why
	case errors.Is(err, errNoPublicKey):
		return t.T("cli.err.no_public_key")
	case errors.Is(err, store.ErrLocked):
		p, _ := f.LedgerPath()
		return t.T("cli.err.busy", store.Redact(p))
	// The ledger's database before the API: its failures are network
	// errors too, but they are about the ledger.
	case errors.Is(err, store.ErrUnreachable):
		return t.T("cli.err.unreachable", inert(err.Error()))
	case errors.Is(err, store.ErrInsecure):
		p, _ := f.LedgerPath()
		return t.T("cli.err.insecure", store.Redact(p))
	case errors.As(err, &api) && text.KnownAPIMessage(api.Message):
		// A refusal the console knows, in the user's language.
		return t.T("err.server", api.HTTPStatus, inert(text.APIMessage(t, api.Message)))
	case text.NetErrorKey(err) != "":
		// What it means first; Go's own words after, as a detail.
		return t.T(text.NetErrorKey(err)) + "\n  " + t.T("err.details", inert(err.Error()))
	}
	return inert(err.Error())
}

// finish applies the tree-wide conventions to every command: errors are
// printed by Main, not by cobra; flag and argument mistakes are usage
// errors; a command that only groups others rejects an unknown one.
func finish(c *cobra.Command) {
	c.SilenceErrors = true
	c.SilenceUsage = true
	c.SuggestionsMinimumDistance = 2
	c.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	args := c.Args
	switch {
	case args == nil && c.HasSubCommands():
		args = unknownSubcommand
	case args == nil:
		args = noArgs
	}
	c.Args = func(cmd *cobra.Command, a []string) error {
		if err := args(cmd, a); err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				return err
			}
			return usageError{err}
		}
		return nil
	}
	if c.PreRun == nil {
		// Before cobra's own check of required flags, whose message is
		// English and not a usage error.
		pre := c.PreRunE
		c.PreRunE = func(cmd *cobra.Command, a []string) error {
			if err := requiredFlags(cmd); err != nil {
				return err
			}
			if pre != nil {
				return pre(cmd, a)
			}
			return nil
		}
	}
	if !c.Runnable() && c.HasSubCommands() {
		// Without an action cobra prints help for any arguments and exits
		// 0, so `coolpay keys frobnicate` would look like success.
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
	for _, sub := range c.Commands() {
		finish(sub)
	}
}

// unknownSubcommand accepts no arguments on a command that groups others:
// the first one was meant as a subcommand's name.
func unknownSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		return usageMsg("cli.err.unknown_command_hint", args[0], cmd.CommandPath(), strings.Join(s, "\n\t"))
	}
	return usageMsg("cli.err.unknown_command", args[0], cmd.CommandPath())
}

// noArgs accepts no arguments on a command that has no subcommands: an
// extra word is an unexpected argument, not an unknown command (cobra's
// NoArgs says the latter).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usageMsg("cli.err.unexpected_arg", args[0], cmd.CommandPath())
}

// completeWith offers values for a flag in shell completion.
func completeWith(cmd *cobra.Command, flag string, values ...string) {
	cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// exactArgs is cobra.ExactArgs with the names of the arguments in the
// message; a word too many is an unexpected argument.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > len(names) {
			return usageMsg("cli.err.extra_arg", args[len(names)], cmd.CommandPath(), strings.Join(names, " "))
		}
		if len(args) != len(names) {
			return usageMsg("cli.err.args_count", cmd.CommandPath(), len(names), strings.Join(names, " "), len(args))
		}
		return nil
	}
}
