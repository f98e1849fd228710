package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/app"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"golang.org/x/term"
)

// ConsoleOptions are the console's own flags.
type ConsoleOptions struct {
	Sandbox     bool   // run on a built-in sandbox server
	SandboxAddr string // its address (127.0.0.1:0 = a free port)
	Listen      bool   // receive callbacks inside the console
}

// newCmdConsole is the root command: with no subcommand, coolpay opens the
// console.
func newCmdConsole(f *Factory) *cobra.Command {
	var o ConsoleOptions
	cmd := &cobra.Command{
		Use:   "coolpay",
		Short: "A terminal merchant console for the My-CoolPay payment API",
		Long: `coolpay is a terminal merchant console for the My-CoolPay payment API:
payins, payment links and payouts, their history and their status, kept in a
local ledger that the scriptable commands below share.

With no command, coolpay opens the console.`,
		Example: `  # try it on a built-in simulated API, with a throwaway ledger
  coolpay --sandbox

  # the console on your own ledger, in French
  coolpay --lang fr

  # the last 20 failed payouts as JSON
  coolpay history --type PAYOUT --state FAILED --limit 20 --json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(cmd.Context(), f, o)
		},
	}
	cmd.Flags().BoolVar(&o.Sandbox, "sandbox", false, "run the console on a built-in simulated API and a throwaway ledger")
	cmd.Flags().StringVar(&o.SandboxAddr, "sandbox-addr", "127.0.0.1:0", "address of the built-in sandbox (with --sandbox)")
	cmd.Flags().BoolVar(&o.Listen, "listen", false, "receive callbacks inside the console, where coolpay listen would (callback_* settings; setting callback_in_console=on does it every run)")
	return cmd
}

// runConsole opens the Bubble Tea console on the configured ledger, or with
// --sandbox on a built-in simulated API and a throwaway ledger. When the
// first-run screen chose another ledger (which this desk now remembers),
// the console closes everything and starts again on it.
func runConsole(parent context.Context, f *Factory, o ConsoleOptions) error {
	if l := f.Globals.Lang; l != "" && l != "en" && l != "fr" {
		return usageErrorf("--lang %q: use en or fr", l)
	}
	var carry *keys.Keys
	for {
		again, err := consoleOnce(parent, f, o, &carry)
		if err != nil || !again {
			return err
		}
	}
}

// consoleOnce is one run of the console; again says the first-run screen
// chose another ledger to start again on. carry is the private key that
// screen could keep in memory only (no keyring), handed from one run to
// the next.
func consoleOnce(parent context.Context, f *Factory, o ConsoleOptions, carry **keys.Keys) (again bool, err error) {
	var (
		pub, base string
		secrets   *keys.Keys
		run       *sandbox.Running
		cl        *consoleListener
		path      string
		from      config.Source
	)
	if !o.Sandbox || f.Globals.DB != "" {
		// The sandbox's throwaway ledger needs no remembered one (nor a
		// readable desk file).
		if path, from, err = config.LedgerFrom(f.Globals.DB, f.getenv); err != nil {
			return false, err
		}
	}
	explicit := from != config.FromDefault
	if o.Sandbox {
		if f.Globals.DB == "" {
			dir, err := os.MkdirTemp("", "coolpay-sandbox-")
			if err != nil {
				return false, err
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "ledger.db")
		}
		cfg := sandbox.Config{}
		if o.Listen {
			// The built-in sandbox sends its callbacks to this console.
			cl = openConsoleListener(nil, true)
			defer cl.close()
			cfg.CallbackURL = cl.info.URL
		}
		run, err = sandbox.Listen(o.SandboxAddr, cfg)
		if err != nil {
			return false, fmt.Errorf("starting the sandbox: %w", err)
		}
		defer run.Shutdown(context.Background())
		pub, base = run.Server().PublicKey(), run.URL()
		// The sandbox's test key lives in memory only: never in the
		// user's keyring, whatever the keyring holds for real keys.
		secrets = keys.InMemory(pub, sandbox.DefaultPrivateKey)
	} else if explicit {
		// A ledger the user named (--db, COOLPAY_DB) that is not there is
		// more likely a typo than a wish for a new, empty ledger: ask.
		if err := confirmNewLedger(f, path); err != nil {
			return false, err
		}
	} else if err := makeDefaultLedgerDir(path); err != nil {
		return false, err
	}
	db, err := f.openLedgerAt(path, LedgerCreate)
	if err != nil && store.IsURL(path) {
		// A shared ledger without its password: ask for it (masked).
		db, err = f.askDBPassword(path, err)
	}
	if err != nil {
		return false, err
	}
	defer db.Close()
	// The settings, read once for everything below and for the screens.
	cfg := f.Config(db)
	// Without a keyring or COOLPAY_PRIVATE_KEY, the console itself asks for
	// the private key when a payment first needs it (kept in memory).
	prompt := app.NewKeyPrompt()
	notice := ""
	if !o.Sandbox {
		var eerr error
		pub, base, eerr = cfg.Endpoint()
		var se *config.SourcedError
		if errors.As(eerr, &se) {
			// An invalid public key or base URL is never used: the console
			// opens offline and says which setting to fix.
			t := f.T(db)
			notice = t.T("app.setting.invalid", se.Text(t))
		}
		if pub != "" {
			secrets = f.newKeys(pub, keys.WithPrompt(prompt.Ask))
			if *carry != nil {
				// Typed on the first-run screen of the run before, kept
				// in memory for want of a keyring: not asked again.
				if k, kerr := (*carry).PrivateKey(keys.WithoutPrompt(context.Background())); kerr == nil {
					if _, kerr := keys.New(pub).Validate(k); kerr == nil {
						secrets.Set(context.Background(), k) // no keyring: memory again
					}
				}
				*carry = nil
			}
		}
	}
	cashier := cfg.String(config.Cashier)
	c := common.Common{Store: db, Sandbox: o.Sandbox, Secrets: secrets}
	recovered := 0
	if pub != "" {
		c.Svc = core.New(core.Config{Client: f.NewClient(pub, base, secrets), Store: db, Cashier: cashier})
		if recovered, err = c.Svc.Recover(); err != nil {
			return false, err
		}
	}
	lang, theme := f.Lang(db), cfg.String(config.Theme)
	if cl == nil && !o.Sandbox && (o.Listen || cfg.On(config.CallbackInConsole)) {
		cl = openConsoleListener(cfg, false)
		defer cl.close()
	}
	opts := app.Options{
		NeedSetup: pub == "" && notice == "",
		Lang:      lang,
		Theme:     theme,
		Follow:    FollowPolicy(cfg),
		Recovered: recovered, // shown in the console: stderr is hidden behind it
		Config:    cfg,
		Notice:    notice,
	}
	if !o.Sandbox {
		opts.Connect = func(publicKey, baseURL string) (*core.Service, *keys.Keys) {
			k := f.newKeys(publicKey, keys.WithPrompt(prompt.Ask))
			return core.New(core.Config{Client: f.NewClient(publicKey, baseURL, k), Store: db, Cashier: cashier}), k
		}
		opts.Ledger = f.ledgerOptions(path, from)
	} else {
		// Shown in Settings; the sandbox's ledger is not changed there.
		opts.Ledger = app.LedgerOptions{Location: path, From: from}
	}
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	c.Ctx = ctx
	if cl != nil {
		logPath := ""
		if !o.Sandbox {
			logPath = callbackLogPath(path)
		}
		var priv func(context.Context) (string, error)
		if secrets != nil {
			// A callback is not the cashier's doing: checking its
			// signature never pops the private-key field.
			priv = func(ctx context.Context) (string, error) { return secrets.PrivateKey(keys.WithoutPrompt(ctx)) }
		}
		// The receiver keeps the service and keys of the start: a key
		// changed in Settings reaches it at the next start.
		cl.serve(ctx, c.Svc, pub, priv, logPath)
		opts.Listener = &cl.info
	}
	m := app.New(c, opts)
	crashLog := filepath.Join(os.TempDir(), fmt.Sprintf("coolpay-crash-%d.log", os.Getpid()))
	p := tea.NewProgram(app.NewGuard(m, m.Common().T, crashLog), tea.WithAltScreen(), tea.WithContext(ctx))
	prompt.Attach(p.Send)
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return false, err
	}
	g, _ := final.(app.Guard)
	if g.Failed() {
		return false, fmt.Errorf("stopped on an internal error; details in %s", crashLog)
	}
	inner, _ := g.Inner().(app.Model)
	*carry = inner.MemoryKey()
	return inner.SwitchLedger(), nil
}

// makeDefaultLedgerDir creates coolpay's own data directory on the first
// run of the console, and only that one: a ledger path the user chose
// (--db, COOLPAY_DB) must name an existing directory, so a typo is an error
// instead of a new, empty ledger somewhere unexpected.
func makeDefaultLedgerDir(path string) error {
	def, err := store.DefaultPath()
	if err != nil || filepath.Clean(path) != filepath.Clean(def) {
		return nil
	}
	return os.MkdirAll(filepath.Dir(path), 0o700)
}

// confirmNewLedger asks before the console creates a ledger the user named
// (--db, COOLPAY_DB) that does not exist yet: "No ledger at …: create a new
// one? y/n" (o for oui in French). Without a terminal to ask on, it refuses,
// as the commands do. An existing file, or a missing directory (which
// openLedger reports), needs no question.
func confirmNewLedger(f *Factory, path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if checkLedgerDir(path) != nil {
		return nil // openLedger says the directory is missing
	}
	t := f.T(nil)
	in := f.IO.In
	if in == nil || !term.IsTerminal(int(in.Fd())) {
		return &missingLedgerMsg{missingLedger{path}, t.T("console.create.noterm", inert(path))}
	}
	fmt.Fprint(f.IO.ErrOut, t.T("console.create.ask", inert(path)))
	if yes(readLine(in), t.Lang()) {
		return nil
	}
	return &missingLedgerMsg{missingLedger{path}, t.T("console.create.refused", inert(path))}
}

// readLine reads one line a byte at a time: the console reads the same
// terminal next, and must get whatever was typed after the answer.
func readLine(r io.Reader) string {
	var b strings.Builder
	var c [1]byte
	for b.Len() < 64 {
		n, err := r.Read(c[:])
		if n == 1 && c[0] != '\n' {
			b.WriteByte(c[0])
		}
		if err != nil || c[0] == '\n' {
			break
		}
	}
	return b.String()
}

// yes reads an answer to a y/n question: y or yes (the console's own y/n
// keys in either language), and in French o or oui as well.
func yes(answer string, lang i18n.Lang) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	case "o", "oui":
		return lang == i18n.FR
	}
	return false
}

// missingLedgerMsg is a missing ledger with a message in the reader's
// language; it still wraps store.ErrNoLedger.
type missingLedgerMsg struct {
	missingLedger
	msg string
}

func (e *missingLedgerMsg) Error() string { return e.msg }

// FollowPolicy is the console follower's polling as the settings say
// (coolpay config set poll_step …), the defaults where they say nothing.
func FollowPolicy(cfg *config.Settings) app.FollowPolicy {
	return app.FollowPolicy{
		Step:   cfg.Duration(config.PollStep),
		Max:    cfg.Duration(config.PollMax),
		GiveUp: cfg.Duration(config.PollGiveUp),
	}
}

// ledgerOptions let the first-run screen show the ledger at path (from
// where it came from) and open another one as --db would: migrated, with
// this desk's settings attached, the typed database password given to it
// and, once it worked, offered to the keyring as at start (dbpassword.go).
func (f *Factory) ledgerOptions(path string, from config.Source) app.LedgerOptions {
	def, _ := store.DefaultPath()
	return app.LedgerOptions{
		Location: path,
		From:     from,
		Default:  def,
		Open: func(loc, pw string, create bool) (*store.DB, error) {
			if !store.IsURL(loc) && checkLedgerDir(loc) != nil {
				return nil, fmt.Errorf("%w: %s", fs.ErrNotExist, filepath.Dir(loc))
			}
			mode := LedgerUpdate // there already: migrated, never created
			if create {
				mode = LedgerCreate
			}
			// The password typed here, or none: not one typed for the
			// ledger opened at start.
			prev := useTypedDBPassword(pw)
			db, err := f.openLedgerAt(loc, mode)
			if err != nil {
				restoreTypedDBPassword(prev)
			}
			if passwordRefused(err) {
				return nil, fmt.Errorf("%w: %v", app.ErrLedgerPassword, err)
			}
			return db, err
		},
		KeepPassword: keepDBPassword,
	}
}
