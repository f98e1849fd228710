package cli

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
)

// Settings keys besides those the console itself reads (ui/common's
// public_key, base_url, ui_lang, theme).
const (
	SettingPollStep     = "poll_step"     // the follower's n-th wait is n×step
	SettingPollMax      = "poll_max"      // …never longer than this
	SettingPollGiveUp   = "poll_give_up"  // …and it stops after this long
	SettingCallbackAddr = "callback_addr" // coolpay listen's defaults
	SettingCallbackPath = "callback_path"
	SettingCallbackIPs  = "callback_allow_ip"    // comma-separated
	SettingCallbackCIDR = "callback_trust_proxy" // comma-separated
)

// configKey is a setting `coolpay config` knows, with its check.
type configKey struct {
	help  string
	check func(string) error
}

// configKeys are the settings `coolpay config` knows (built when asked, not
// at start-up).
func configKeys() map[string]configKey {
	return map[string]configKey{
		common.SettingPublicKey:    {"merchant public key", checkPublicKey},
		common.SettingBaseURL:      {"API base URL", checkURL},
		common.SettingLang:         {"console language: en or fr", oneOf("en", "fr")},
		common.SettingTheme:        {"console colours: auto, light or dark", oneOf("auto", "light", "dark")},
		SettingPollStep:            {"follower: first wait, growing by as much each poll (e.g. 1s)", durationIn(200*time.Millisecond, time.Minute)},
		SettingPollMax:             {"follower: longest wait between polls (e.g. 10s)", durationIn(time.Second, 5*time.Minute)},
		SettingPollGiveUp:          {"follower: stop following after (e.g. 10m)", durationIn(time.Minute, 24*time.Hour)},
		SettingCallbackAddr:        {"listen: address, host:port", checkAddr},
		SettingCallbackPath:        {"listen: callback path, e.g. /callback/<random>", checkPath},
		SettingCallbackIPs:         {"listen: allowed sender IPs, comma-separated", eachOf(checkIP)},
		SettingCallbackCIDR:        {"listen: trusted reverse proxies, CIDRs, comma-separated", eachOf(checkCIDR)},
		SettingCallbackInConsole:   {"console: receive callbacks itself (on, off), as coolpay --listen", oneOf("on", "off")},
		common.SettingCSVFormat:    {"CSV exports: rfc4180 (comma) or fr (semicolon, decimal comma, BOM)", oneOf("rfc4180", "fr")},
		common.SettingCashier:      {"name recorded on each new transaction (default: the OS user)", checkName},
		common.SettingMerchantName: {"the shop's name, printed at the top of receipts", checkName},
	}
}

func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		for _, ok := range vals {
			if v == ok {
				return nil
			}
		}
		return fmt.Errorf("use %s", strings.Join(vals, ", "))
	}
}

func durationIn(lo, hi time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return fmt.Errorf("a duration between %s and %s, e.g. %s", lo, hi, lo*2)
		}
		return nil
	}
}

// checkName accepts a person's or a shop's name: printable, not too long.
func checkName(v string) error {
	if core.CleanCashier(v) != strings.TrimSpace(v) {
		return errors.New("printable text, at most 40 characters")
	}
	return nil
}

func checkPublicKey(v string) error {
	if strings.ContainsAny(v, " \t\r\n/") || len(v) > 200 {
		return errors.New("one word, no spaces or slashes")
	}
	return nil
}

// insecureHTTPAllowed: the explicit override for a plain-http base URL.
func insecureHTTPAllowed() bool { return os.Getenv(common.EnvInsecureHTTP) == "1" }

func checkURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("an http(s) URL, e.g. https://my-coolpay.com/api")
	}
	if errors.Is(client.CheckBaseURL(v), client.ErrInsecureBaseURL) && !insecureHTTPAllowed() {
		return errors.New("plain http to another machine would send the private key in clear: use https (or set " + common.EnvInsecureHTTP + "=1 to allow it)")
	}
	return nil
}

func checkAddr(v string) error {
	if _, _, err := net.SplitHostPort(v); err != nil {
		return errors.New("host:port, e.g. 127.0.0.1:8788")
	}
	return nil
}

func checkPath(v string) error {
	if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, " ?#") {
		return errors.New("a path starting with /, no spaces")
	}
	return nil
}

func checkIP(v string) error {
	if net.ParseIP(v) == nil {
		return fmt.Errorf("%q is not an IP address", v)
	}
	return nil
}

func checkCIDR(v string) error {
	_, n, err := net.ParseCIDR(v)
	if err != nil {
		return fmt.Errorf("%q is not a CIDR (e.g. 10.0.0.0/8)", v)
	}
	return client.CheckTrustedProxy(n)
}

func eachOf(check func(string) error) func(string) error {
	return func(v string) error {
		for _, p := range splitComma(v) {
			if err := check(p); err != nil {
				return err
			}
		}
		return nil
	}
}

func splitComma(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// NewCmdConfig is `coolpay config [list | get KEY | set KEY VALUE | unset
// KEY]`: the settings kept in the ledger. The private key is not one of them.
func NewCmdConfig(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Read and change the settings kept in the ledger",
		Long: `Read and change the settings kept in the ledger: the public key, the API
base URL, the console's language and colours, the follower's polling and
coolpay listen's defaults. The private key is never one of them (coolpay keys).

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
				_, err = fmt.Fprintln(f.IO.Out, v)
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
				if err := configKeys()[a[0]].check(a[1]); err != nil {
					return usageErrorf("%s: %v", a[0], err)
				}
				db, err := f.OpenLedger(LedgerCreate)
				if err != nil {
					return err
				}
				defer db.Close()
				return db.SetSetting(a[0], a[1])
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
	if _, ok := configKeys()[k]; !ok {
		return usageErrorf("unknown setting %q (coolpay config list shows them)", k)
	}
	return nil
}

func configNames() []string {
	names := make([]string, 0, len(configKeys()))
	for k := range configKeys() {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func completeConfigKeys(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return configNames(), cobra.ShellCompDirectiveNoFileComp
}

func configList(f *Factory) error {
	db, err := f.OpenLedger(LedgerRead)
	if err != nil {
		return err
	}
	defer db.Close()
	all, err := db.Settings()
	if err != nil {
		return err
	}
	t := f.T(db)
	known := configKeys()
	tb := table{}
	for _, k := range configNames() {
		v := all[k]
		if v == "" {
			v = "-"
		}
		help := t.T("cli.config." + k)
		if help == "cli.config."+k { // a setting with no translation yet
			help = known[k].help
		}
		tb.add(k, v, help)
	}
	return tb.write(f.IO.Out)
}

// durationSetting reads a duration setting from all (db.Settings), or def
// when unset or unreadable (values are checked when set).
func durationSetting(all map[string]string, key string, def time.Duration) time.Duration {
	v, ok := all[key]
	if !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return def
	}
	return d
}
