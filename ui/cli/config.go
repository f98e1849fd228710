package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/ui/internal/config"
)

// Settings keys besides those the console itself reads (ui/internal/config
// defines them all).
const (
	SettingPollStep     = string(config.PollStep)
	SettingPollMax      = string(config.PollMax)
	SettingPollGiveUp   = string(config.PollGiveUp)
	SettingCallbackAddr = string(config.CallbackAddr)
	SettingCallbackPath = string(config.CallbackPath)
	SettingCallbackIPs  = string(config.CallbackAllowIP)
	SettingCallbackCIDR = string(config.CallbackTrustProxy)
)

// insecureHTTPAllowed: the explicit override for a plain-http base URL.
func insecureHTTPAllowed() bool { return config.InsecureHTTPAllowed() }

func splitComma(v string) []string { return config.SplitList(v) }

// NewCmdConfig is `coolpay config [list | get KEY | set KEY VALUE | unset
// KEY]`: the settings kept in the ledger. The private key is not one of them.
func NewCmdConfig(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Read and change the settings kept in the ledger",
		Long: `Read and change the settings kept in the ledger: the public key, the API
base URL, the console's language and colours, the follower's polling and
coolpay listen's defaults. The private key is never one of them (coolpay keys).
On a ledger several desks share (PostgreSQL), each desk's own settings (scope
desk) are kept on the desk (COOLPAY_DESK_FILE, else desk-settings.json in the
user's configuration directory), the merchant's in the database.

With no subcommand, config lists the settings.`,
		Example: `  coolpay config
  coolpay config set base_url https://my-coolpay.com/api
  coolpay config set callback_path /callback/4f9d2c
  coolpay config get public_key
  coolpay config unset poll_step`,
		Args: unknownSubcommand,
		RunE: func(cmd *cobra.Command, _ []string) error { return configList(f) },
	}
	cmd.AddCommand(
		&cobra.Command{
			Use:     "list",
			Short:   "List every setting, its value and what it does",
			Example: "  coolpay config list",
			RunE:    func(cmd *cobra.Command, _ []string) error { return configList(f) },
		},
		&cobra.Command{
			Use:               "get KEY",
			Short:             "Print one setting's value",
			Example:           "  coolpay config get base_url",
			Args:              exactArgs("KEY"),
			ValidArgsFunction: completeConfigKeys,
			RunE: func(cmd *cobra.Command, a []string) error {
				if err := knownSetting(a[0]); err != nil {
					return err
				}
				db, err := f.OpenLedger(LedgerRead)
				if err != nil {
					return err
				}
				defer db.Close()
				v, ok, err := db.Setting(a[0])
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("%s is not set", a[0])
				}
				// Stored before it was checked, it may hold anything: inert,
				// and a URL without its password, query or fragment.
				_, err = fmt.Fprintln(f.IO.Out, config.Show(config.Key(a[0]), v))
				return err
			},
		},
		&cobra.Command{
			Use:               "set KEY VALUE",
			Short:             "Change one setting (checked before it is saved)",
			Example:           "  coolpay config set lang fr\n  coolpay config set callback_allow_ip 1.2.3.4,5.6.7.8",
			Args:              exactArgs("KEY", "VALUE"),
			ValidArgsFunction: completeConfigKeys,
			RunE: func(cmd *cobra.Command, a []string) error {
				if err := knownSetting(a[0]); err != nil {
					return err
				}
				v := strings.TrimSpace(a[1])
				if v == "" {
					return usageErrorf("%s: an empty value: use coolpay config unset %s", a[0], a[0])
				}
				if err := config.Validate(config.Key(a[0]), v); err != nil {
					var ce *config.Error
					if errors.As(err, &ce) {
						return usageErrorf("%s: %s", a[0], ce.Text(f.T(nil)))
					}
					return usageErrorf("%s: %v", a[0], err)
				}
				db, err := f.OpenLedger(LedgerCreate)
				if err != nil {
					return err
				}
				defer db.Close()
				return f.Config(db).Set(db, config.Key(a[0]), v)
			},
		},
		&cobra.Command{
			Use:               "unset KEY",
			Short:             "Remove one setting (its default applies again)",
			Example:           "  coolpay config unset poll_step",
			Args:              exactArgs("KEY"),
			ValidArgsFunction: completeConfigKeys,
			RunE: func(cmd *cobra.Command, a []string) error {
				if err := knownSetting(a[0]); err != nil {
					return err
				}
				db, err := f.OpenLedger(LedgerUpdate)
				if err != nil {
					return err
				}
				defer db.Close()
				return db.SetSetting(a[0], "")
			},
		},
	)
	return cmd
}

// knownSetting refuses a key config does not know, and says where the
// private key goes instead.
func knownSetting(k string) error {
	if strings.Contains(strings.ToLower(k), "private") {
		return usageErrorf("the private key is never stored in the ledger: use coolpay keys set")
	}
	if _, ok := config.Lookup(k); !ok {
		return usageErrorf("unknown setting %q (coolpay config list shows them)", inert(k))
	}
	return nil
}

func configNames() []string {
	var names []string
	for _, d := range config.Defs() {
		names = append(names, string(d.Key))
	}
	return names
}

func completeConfigKeys(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return configNames(), cobra.ShellCompDirectiveNoFileComp
}

// configList prints each setting: its stored value (inert, any URL
// redacted; "-" when unset, then the default in brackets), whose it is
// (shared: the merchant's; desk: this till's), and what it does. A stored
// value that no longer passes its check is marked invalid.
func configList(f *Factory) error {
	db, err := f.OpenLedger(LedgerRead)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg := f.Config(db)
	if err := cfg.ReadErr(); err != nil {
		return err
	}
	t := f.T(db)
	tb := table{}
	head := strings.Split(t.T("cli.config.head"), "\t")
	tb.add(head...)
	for _, d := range config.Defs() {
		raw := cfg.Stored(d.Key)
		v := config.Show(d.Key, raw)
		switch {
		case raw == "" && d.Default != "":
			v = "- (" + config.Show(d.Key, d.Default) + ")"
		case raw == "":
			v = "-"
		default:
			if err := d.Check(raw); err != nil {
				var ce *config.Error
				if errors.As(err, &ce) {
					v += " " + t.T("cli.config.invalid", ce.Text(t))
				}
			}
		}
		help := t.T("cli.config." + string(d.Key))
		if help == "cli.config."+string(d.Key) { // a setting with no translation yet
			help = d.Help
		}
		scope := t.T("config.scope." + d.Scope.String())
		if cfg.DeskFile() != "" { // a shared ledger: say where it is stored
			scope = t.T("config.where." + d.Scope.String())
		}
		tb.add(string(d.Key), v, scope, help)
	}
	if err := tb.write(f.IO.Out); err != nil {
		return err
	}
	_, err = fmt.Fprintln(f.IO.Out, "\n"+t.T("cli.config.scopes"))
	if err == nil && cfg.DeskFile() != "" {
		_, err = fmt.Fprintln(f.IO.Out, t.T("cli.config.where", inert(cfg.DeskFile())))
	}
	return err
}
