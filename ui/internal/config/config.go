// Package config is coolpay's one home for settings: their typed keys, the
// check each value passes before it is stored, their defaults, whose they
// are (the merchant's, shared by every desk, or this desk's own), and the
// one precedence rule every command and screen uses:
//
//	flag → environment → stored (the ledger's settings) → default
//
// Settings are read once at start-up (Load: one read of the ledger) and the
// resulting *Settings is passed down. Package store keeps the values and
// knows nothing of this; this package imports no UI library.
package config

import (
	"errors"
	"os"
	"sort"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Key names a setting; its string is the key in the ledger's settings.
type Key string

// The settings coolpay knows.
const (
	PublicKey    Key = "public_key"
	BaseURL      Key = "base_url"
	Lang         Key = "ui_lang" // "en" or "fr"
	Theme        Key = "theme"   // "auto", "light" or "dark"
	CSVFormat    Key = "csv_format"
	Cashier      Key = "cashier"
	MerchantName Key = "merchant_name"

	PollStep   Key = "poll_step"    // the follower's n-th wait is n×step
	PollMax    Key = "poll_max"     // …never longer than this
	PollGiveUp Key = "poll_give_up" // …and it stops after this long

	CallbackAddr       Key = "callback_addr" // coolpay listen's defaults
	CallbackPath       Key = "callback_path"
	CallbackAllowIP    Key = "callback_allow_ip"    // comma-separated
	CallbackTrustProxy Key = "callback_trust_proxy" // comma-separated
	CallbackInConsole  Key = "callback_in_console"  // "on" or "off"

	// Ledger is the ledger this desk opens when neither --db nor
	// COOLPAY_DB names one: a file path or a PostgreSQL URL (LedgerPath).
	// It is always kept in the desk file, whatever the engine: it is read
	// before any ledger is open.
	Ledger Key = "ledger"
)

// Environment variables coolpay reads besides the settings' own.
const (
	// EnvDB names the ledger file (as --db does).
	EnvDB = "COOLPAY_DB"
	// EnvInsecureHTTP, set to 1, allows a plain-http API base URL to
	// another machine, where the private key travels in clear: an explicit
	// override for a test server on a LAN, never the default.
	EnvInsecureHTTP = "COOLPAY_INSECURE_HTTP"
)

// MaxNameLen bounds a cashier's or a shop's name, in characters.
const MaxNameLen = 40

// Scope says whose a setting is. A later shared ledger keeps the shared
// settings with the records and each desk's settings on the desk.
type Scope int

const (
	// Shared settings are the merchant's: the same at every desk.
	Shared Scope = iota
	// Desk settings belong to this till: who is at it, its language, its
	// colours, how it polls, whether it receives callbacks itself.
	Desk
)

// String is "shared" or "desk", as config list prints it.
func (s Scope) String() string {
	if s == Desk {
		return "desk"
	}
	return "shared"
}

// Def describes one setting.
type Def struct {
	Key   Key
	Scope Scope
	// Help is the English description (i18n key "cli.config.<key>").
	Help string
	// Flag and Env are the command-line flag and environment variable
	// that override the stored value ("" when there is none).
	Flag, Env string
	// Default is the value when nothing else says one ("" = none).
	Default string
	check   func(string) error
}

// Check validates v for this setting. An empty v is "unset" and always
// accepted (the default applies again).
func (d Def) Check(v string) error {
	if v == "" {
		return nil
	}
	if err := d.check(v); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Key = d.Key
			return e
		}
		return &Error{Key: d.Key, Msg: "config.error.other", Args: []any{err.Error()}}
	}
	return nil
}

// defs are the settings coolpay knows, built when asked (start-up stays
// cheap).
func defs() []Def {
	d := []Def{
		{Key: PublicKey, Scope: Shared, Help: "merchant public key", Flag: "--public-key", Env: "COOLPAY_PUBLIC_KEY", check: checkPublicKey},
		{Key: BaseURL, Scope: Shared, Help: "API base URL", Flag: "--base-url", Env: "COOLPAY_BASE_URL", Default: client.DefaultBaseURL, check: CheckBaseURL},
		{Key: Lang, Scope: Desk, Help: "console language: en or fr", Flag: "--lang", check: oneOf("en", "fr")},
		{Key: Theme, Scope: Desk, Help: "console colours: auto, light or dark", Default: "auto", check: oneOf("auto", "light", "dark")},
		{Key: CSVFormat, Scope: Shared, Help: "CSV exports: rfc4180 (comma) or fr (semicolon, decimal comma, BOM)", Default: "rfc4180", check: oneOf("rfc4180", "fr")},
		{Key: Cashier, Scope: Desk, Help: "name recorded on each new transaction (default: the OS user)", check: checkName},
		{Key: MerchantName, Scope: Shared, Help: "the shop's name, printed at the top of receipts", check: checkName},
		{Key: PollStep, Scope: Desk, Help: "follower: first wait, growing by as much each poll (e.g. 1s)", Default: "1s", check: durationIn(200*time.Millisecond, time.Minute)},
		{Key: PollMax, Scope: Desk, Help: "follower: longest wait between polls (e.g. 10s)", Default: "10s", check: durationIn(time.Second, 5*time.Minute)},
		{Key: PollGiveUp, Scope: Desk, Help: "follower: stop following after (e.g. 10m)", Default: "10m0s", check: durationIn(time.Minute, 24*time.Hour)},
		{Key: CallbackAddr, Scope: Shared, Help: "listen: address, host:port", Default: DefaultCallbackAddr, check: checkAddr},
		{Key: CallbackPath, Scope: Shared, Help: "listen: callback path, e.g. /callback/<random>", Default: DefaultCallbackPath, check: checkPath},
		{Key: CallbackAllowIP, Scope: Shared, Help: "listen: allowed sender IPs, comma-separated", Default: client.VendorCallbackIP, check: eachOf(checkIP)},
		{Key: CallbackTrustProxy, Scope: Shared, Help: "listen: trusted reverse proxies, CIDRs, comma-separated", check: eachOf(checkCIDR)},
		{Key: Ledger, Scope: Desk, Help: "the ledger this desk opens: an absolute file path or a postgres:// URL without its password (--db and COOLPAY_DB come first)", Flag: "--db", Env: EnvDB, check: checkLedger},
		{Key: CallbackInConsole, Scope: Desk, Help: "console: receive callbacks itself (on, off), as coolpay --listen", Default: "off", check: oneOf("on", "off")},
	}
	sort.Slice(d, func(i, j int) bool { return d[i].Key < d[j].Key })
	return d
}

// The callback receiver's defaults, for coolpay listen and the console.
const (
	DefaultCallbackAddr = "127.0.0.1:8788"
	DefaultCallbackPath = "/callback"
)

// Defs lists every setting, sorted by key.
func Defs() []Def { return defs() }

// Lookup finds a setting by its name.
func Lookup(name string) (Def, bool) {
	for _, d := range defs() {
		if string(d.Key) == name {
			return d, true
		}
	}
	return Def{}, false
}

// Validate checks v for the setting k (an unknown key is an error).
func Validate(k Key, v string) error {
	d, ok := Lookup(string(k))
	if !ok {
		return &Error{Key: k, Msg: "config.error.unknown"}
	}
	return d.Check(v)
}

// Error is a value a setting refuses. Msg is a message key of ui/i18n
// (rendered in the reader's language by Text); Error() is English.
type Error struct {
	Key  Key
	Msg  string
	Args []any
}

func (e *Error) Error() string { return e.Text(i18n.New(i18n.EN)) }

// Text is the reason in t's language, without the setting's name.
func (e *Error) Text(t *i18n.Translator) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if s, ok := a.(string); ok {
			a = safe.Line(s) // the value typed may hold anything
		}
		args[i] = a
	}
	return t.T(e.Msg, args...)
}

func invalid(msg string, args ...any) error { return &Error{Msg: msg, Args: args} }

// InsecureHTTPAllowed: the explicit override for a plain-http base URL to
// another machine (COOLPAY_INSECURE_HTTP=1 in the process's environment).
func InsecureHTTPAllowed() bool { return os.Getenv(EnvInsecureHTTP) == "1" }
