// Package cli is coolpay's command tree: the console (the root command's
// default action) and the scriptable commands, one per file, built with
// cobra from one Factory of dependencies so tests hand in their own.
//
// Adding a command: write NewCmdX(f *Factory) *cobra.Command in its own file
// and add it in NewCmdRoot (root.go).
//
// Start-up stays cheap: `coolpay history --json` is measured as a whole
// process against sqlite3, so nothing here builds catalogues, templates,
// styles or servers before a command asks for them.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// Exit codes every command shares (README, "Exit codes").
const (
	ExitOK        = 0 // done
	ExitFailed    = 1 // failed (or, for doctor, a check failed)
	ExitUsage     = 2 // unknown command or flag, bad arguments
	ExitBusy      = 3 // the ledger stayed locked by another process
	ExitUnsettled = 4 // finished, but transactions are left unsettled/unknown/rejected
)

// IOStreams are where a command reads and writes. In is a file because the
// private-key prompt needs to know whether it is a terminal.
type IOStreams struct {
	In     *os.File
	Out    io.Writer
	ErrOut io.Writer
}

// Globals are the flags every command accepts, before or after its name.
type Globals struct {
	DB        string // --db (env COOLPAY_DB)
	BaseURL   string // --base-url (env COOLPAY_BASE_URL)
	PublicKey string // --public-key (env COOLPAY_PUBLIC_KEY)
	Lang      string // --lang (env LC_ALL, LC_MESSAGES, LANG, LANGUAGE)
}

// Factory carries what commands depend on. Main fills it for a real run;
// tests build their own (another environment, streams, HTTP client).
type Factory struct {
	IO      IOStreams
	Getenv  func(string) string
	Globals Globals
	// HTTPClient is the client API calls go through (nil: a default with a
	// 30 s timeout).
	HTTPClient *http.Client
	// Keys builds the private-key source for a public key (nil: the OS
	// keyring, then COOLPAY_PRIVATE_KEY, then a prompt on In).
	Keys func(publicKey string) *keys.Keys
	// Keyring is where private keys are kept between runs (nil: the OS
	// keyring). Tests put an in-memory one here (keys/keystest).
	Keyring keys.Keyring
	// Executable is this program, which doctor runs to check the ledger
	// in a process of its own (nil: os.Executable).
	Executable func() (string, error)

	// cfg is the settings read from cfgDB (see Config).
	cfg   *config.Settings
	cfgDB *store.DB

	debugOnce sync.Once
	debugLog  *slog.Logger
}

// NewFactory is the factory of a real run: the process's streams and
// environment.
func NewFactory() *Factory {
	return &Factory{
		IO:     IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr},
		Getenv: os.Getenv,
	}
}

func (f *Factory) getenv(k string) string {
	if f.Getenv == nil {
		return os.Getenv(k)
	}
	return f.Getenv(k)
}

// LedgerPath is the ledger: --db, then COOLPAY_DB, then the one this desk
// remembers, then the default in the user's data directory
// (config.LedgerPath).
func (f *Factory) LedgerPath() (string, error) {
	p, _, err := config.LedgerPath(f.Globals.DB, f.getenv)
	return p, err
}

// OpenLedger opens the ledger in the given mode (see LedgerMode). A missing
// ledger or directory is an error naming the path and wrapping
// store.ErrNoLedger.
func (f *Factory) OpenLedger(mode LedgerMode) (*store.DB, error) {
	p, err := f.LedgerPath()
	if err != nil {
		return nil, err
	}
	return f.openLedgerAt(p, mode)
}

// Config is the settings as the flags, the environment and db's settings
// say (db may be nil: no ledger), read from db once: every later call with
// the same db answers from that one read.
func (f *Factory) Config(db *store.DB) *config.Settings {
	if db == nil && f.cfg != nil {
		return f.cfg // no ledger to read: what is known already
	}
	if f.cfg == nil || f.cfgDB != db {
		f.cfg, f.cfgDB = config.Load(db, f.configInputs()), db
	}
	return f.cfg
}

// configInputs are the flags and environment the settings' precedence
// starts with.
func (f *Factory) configInputs() config.Inputs {
	return config.Inputs{
		Flags: map[config.Key]string{
			config.PublicKey: f.Globals.PublicKey,
			config.BaseURL:   f.Globals.BaseURL,
			config.Lang:      f.Globals.Lang,
			config.Ledger:    f.Globals.DB,
		},
		Getenv: f.getenv,
	}
}

// Resolve picks the public key and base URL: flag, then environment, then
// the ledger's settings (db may be nil), then (base URL only) the vendor's
// default. An invalid one gives "" for both (Service says why).
func (f *Factory) Resolve(db *store.DB) (publicKey, baseURL string) {
	pub, base, err := f.Config(db).Endpoint()
	if err != nil {
		return "", ""
	}
	return pub, base
}

// PublicKey is the public key alone (flag, environment, ledger), for what
// needs no base URL (the private key's commands): "" when none is set, an
// error naming the setting when the one given is invalid.
func (f *Factory) PublicKey(db *store.DB) (string, error) {
	v := f.Config(db).Get(config.PublicKey)
	if v.Err != nil {
		_, _, err := f.Config(db).Endpoint()
		return "", err
	}
	return v.V, nil
}

// KeysFor is the private-key source for a public key: the OS keyring, then
// COOLPAY_PRIVATE_KEY (from the factory's environment), then a prompt on
// the terminal.
func (f *Factory) KeysFor(publicKey string) *keys.Keys {
	if f.Keys != nil {
		return f.Keys(publicKey)
	}
	return f.newKeys(publicKey, keys.WithEnv(f.lookupEnv), keys.WithPrompt(f.terminalPrompt()))
}

// keysNoPrompt is the private-key source without the prompt: for commands
// that manage or inspect the key rather than use it. An injected Keys is
// used as it is.
func (f *Factory) keysNoPrompt(publicKey string) *keys.Keys {
	if f.Keys != nil {
		return f.Keys(publicKey)
	}
	return f.newKeys(publicKey, keys.WithEnv(f.lookupEnv))
}

// newKeys is keys.New on the factory's keyring.
func (f *Factory) newKeys(publicKey string, opts ...keys.Option) *keys.Keys {
	return keys.New(publicKey, append(opts, keys.WithKeyring(f.Keyring))...)
}

func (f *Factory) lookupEnv(k string) (string, bool) {
	if f.Getenv == nil {
		return os.LookupEnv(k)
	}
	v := f.Getenv(k)
	return v, v != ""
}

// NewClient builds the API client for a public key; the private key is
// fetched from k only when a call needs it.
func (f *Factory) NewClient(publicKey, baseURL string, k *keys.Keys) *client.Client {
	hc := f.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	opts := []client.Option{
		client.WithBaseURL(baseURL),
		client.WithHTTPClient(hc),
		client.WithUserAgent("coolpay/1"),
	}
	if k != nil {
		opts = append(opts, client.WithPrivateKey(k.PrivateKey))
	}
	if insecureHTTPAllowed() {
		opts = append(opts, client.WithInsecureHTTP())
	}
	if l := f.debugLogger(); l != nil {
		opts = append(opts, client.WithLogger(l))
	}
	return client.New(publicKey, opts...)
}

// debugLogger is the API client's log when COOLPAY_DEBUG names a file: one
// line per request and answer (the private key redacted by the client,
// which is the one place that logs), appended to that file so that it
// works for the console too, whose screen is the terminal. Nil otherwise,
// or when the file cannot be opened (a debugging aid never stops a run).
func (f *Factory) debugLogger() *slog.Logger {
	f.debugOnce.Do(func() {
		path := f.getenv("COOLPAY_DEBUG")
		if path == "" {
			return
		}
		w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return
		}
		f.debugLog = slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	return f.debugLog
}

// online opens the ledger in mode and builds a service with an API client;
// it fails with a clear message when no public key is configured.
func (f *Factory) online(mode LedgerMode) (*store.DB, *core.Service, *keys.Keys, error) {
	db, err := f.OpenLedger(mode)
	if err != nil {
		return nil, nil, nil, err
	}
	svc, k, err := f.Service(db)
	if err != nil {
		db.Close()
		return nil, nil, nil, err
	}
	return db, svc, k, nil
}

// Service builds the API service for the keys the flags, environment or
// db's settings name; db may be nil for calls that touch no record (the
// balance).
func (f *Factory) Service(db *store.DB) (*core.Service, *keys.Keys, error) {
	cfg := f.Config(db)
	pub, base, err := cfg.Endpoint()
	if err != nil {
		return nil, nil, err
	}
	if pub == "" {
		return nil, nil, errNoPublicKey
	}
	k := f.KeysFor(pub)
	return core.New(core.Config{Client: f.NewClient(pub, base, k), Store: db, Cashier: cfg.String(config.Cashier)}), k, nil
}

// optionalLedger opens the ledger read-only for its settings; a missing
// one is no error when the flags or environment name the public key.
// The returned close function is safe to call either way.
func (f *Factory) optionalLedger() (*store.DB, func(), error) {
	db, err := f.OpenLedger(LedgerRead)
	if errors.Is(err, store.ErrNoLedger) && f.Config(nil).Get(config.PublicKey).Source != config.FromNone {
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close() }, nil
}

var errNoPublicKey = errors.New("no public key: pass --public-key, set COOLPAY_PUBLIC_KEY, or run coolpay once to set it up")

// terminalPrompt asks for the private key on the terminal when neither the
// keyring nor COOLPAY_PRIVATE_KEY has it; piped stdin is read as one line.
func (f *Factory) terminalPrompt() func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		if f.IO.In == nil {
			return "", errors.New("no private key: run coolpay keys set, or set COOLPAY_PRIVATE_KEY")
		}
		return keys.ReadSecret(f.IO.In, f.IO.ErrOut, f.T(nil).T("cli.keys.prompt_run")+" ")
	}
}

// signalContext ends on Ctrl-C / SIGTERM.
func signalContext(parent context.Context) (context.Context, context.CancelFunc) {
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt, sigterm)
}

// usageError is a mistake in how the command was called: exit 2, with a
// pointer to the command's help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitError ends a command with a given code after its output said why
// (reconcile's unsettled transactions, doctor's failed checks).
type exitError struct {
	code int
	msg  string // printed on stderr when not empty
}

func (e exitError) Error() string { return e.msg }

// exitCode maps a command's error to the process's exit code.
func exitCode(err error) int {
	var ue usageError
	var ee exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return ExitUsage
	case errors.Is(err, store.ErrLocked), errors.Is(err, store.ErrUnreachable):
		return ExitBusy
	default:
		return ExitFailed
	}
}
