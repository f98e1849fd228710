package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/common"
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

// configKeys are the settings `coolpay config` knows, each with its check.
var configKeys = map[string]struct {
	help  string
	check func(string) error
}{
	common.SettingPublicKey: {"merchant public key", checkPublicKey},
	common.SettingBaseURL:   {"API base URL", checkURL},
	common.SettingLang:      {"console language: en or fr", oneOf("en", "fr")},
	common.SettingTheme:     {"console colours: auto, light or dark", oneOf("auto", "light", "dark")},
	SettingPollStep:         {"follower: first wait, growing by as much each poll (e.g. 1s)", durationIn(200*time.Millisecond, time.Minute)},
	SettingPollMax:          {"follower: longest wait between polls (e.g. 10s)", durationIn(time.Second, 5*time.Minute)},
	SettingPollGiveUp:       {"follower: stop following after (e.g. 10m)", durationIn(time.Minute, 24*time.Hour)},
	SettingCallbackAddr:     {"listen: address, host:port", checkAddr},
	SettingCallbackPath:     {"listen: callback path, e.g. /callback/<random>", checkPath},
	SettingCallbackIPs:      {"listen: allowed sender IPs, comma-separated", eachOf(checkIP)},
	SettingCallbackCIDR:     {"listen: trusted reverse proxies, CIDRs, comma-separated", eachOf(checkCIDR)},
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

// Config is `coolpay config [list | get KEY | set KEY VALUE | unset KEY]`:
// the settings kept in the ledger. The private key is not one of them.
func Config(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return 2
	}
	a := fs.Args()
	if len(a) == 0 {
		a = []string{"list"}
	}
	known := func(k string) error {
		if strings.Contains(strings.ToLower(k), "private") {
			return errors.New("the private key is never stored in the ledger: use coolpay keys set")
		}
		if _, ok := configKeys[k]; !ok {
			return fmt.Errorf("unknown setting %q (coolpay config list shows them)", k)
		}
		return nil
	}
	db, err := OpenDB(g)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	switch {
	case a[0] == "list" && len(a) == 1:
		all, err := db.Settings()
		if err != nil {
			return fail(stderr, err)
		}
		names := make([]string, 0, len(configKeys))
		for k := range configKeys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v := all[k]
			if v == "" {
				v = "-"
			}
			fmt.Fprintf(stdout, "%-22s %-40s %s\n", k, v, configKeys[k].help)
		}
	case a[0] == "get" && len(a) == 2:
		if err := known(a[1]); err != nil {
			return fail(stderr, err)
		}
		v, ok, err := db.Setting(a[1])
		if err != nil {
			return fail(stderr, err)
		}
		if !ok {
			return fail(stderr, fmt.Errorf("%s is not set", a[1]))
		}
		fmt.Fprintln(stdout, v)
	case a[0] == "set" && len(a) == 3:
		if err := known(a[1]); err != nil {
			return fail(stderr, err)
		}
		if err := configKeys[a[1]].check(a[2]); err != nil {
			return fail(stderr, fmt.Errorf("%s: %v", a[1], err))
		}
		if err := db.SetSetting(a[1], a[2]); err != nil {
			return fail(stderr, err)
		}
	case a[0] == "unset" && len(a) == 2:
		if err := known(a[1]); err != nil {
			return fail(stderr, err)
		}
		if err := db.SetSetting(a[1], ""); err != nil {
			return fail(stderr, err)
		}
	default:
		return fail(stderr, errors.New("usage: coolpay config [list | get KEY | set KEY VALUE | unset KEY]"))
	}
	return 0
}

// durationSetting reads a duration setting, or def when unset or unreadable
// (values are checked when set).
func durationSetting(get func(string) (string, bool, error), key string, def time.Duration) time.Duration {
	v, ok, err := get(key)
	if err != nil || !ok {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return def
	}
	return d
}
