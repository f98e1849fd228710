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
	"sync"

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
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	// Without a keyring or COOLPAY_PRIVATE_KEY, the console itself asks for
	// the private key when a payment first needs it (kept in memory).
	prompt := app.NewKeyPrompt()
	var (
		closeMu sync.Mutex // build may still run when ctrl+c ends the boot frame
		closers []func()
	)
	deferClose := func(c func()) {
		closeMu.Lock()
		closers = append(closers, c)
		closeMu.Unlock()
	}
	defer func() {
		closeMu.Lock()
		defer closeMu.Unlock()
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}()
	crashLog := filepath.Join(os.TempDir(), fmt.Sprintf("coolpay-crash-%d.log", os.Getpid()))
	// build opens the ledger (unless db is one already) and makes the
	// console on it; what it opens is closed when runConsole returns.
	build := func(db *store.DB) (tea.Model, error) {
		if db == nil {
			var err error
			if db, err = f.openLedgerAt(path, LedgerCreate); err != nil {
				return nil, err
			}
		}
		deferClose(func() { db.Close() })
		m, ln, err := f.buildConsole(ctx, db, consoleParts{
			o: o, path: path, from: from, pub: pub, base: base, secrets: secrets, cl: cl, prompt: prompt, carry: carry,
		})
		if ln != nil {
			deferClose(ln.close)
		}
		if err != nil {
			return nil, err
		}
		return app.NewGuard(m, m.Common().T, crashLog), nil
	}
	runProgram := func(first tea.Model) (tea.Model, error) {
		p := tea.NewProgram(first, tea.WithAltScreen(), tea.WithContext(ctx))
		prompt.Attach(p.Send)
		return p.Run()
	}
	var final tea.Model
	if store.IsURL(path) {
		// A database answers in tens of milliseconds at best: the console's
		// frame is on screen while it does (app.Boot).
		lang, theme := f.bootLook()
		boot := app.NewBoot(app.BootOptions{
			Lang: lang, Theme: theme, Sandbox: o.Sandbox,
			Ledger: store.Redact(path),
			Start:  func() (tea.Model, error) { return build(nil) },
		})
		final, err = runProgram(boot)
		if err == nil && boot.Err() != nil {
			// A shared ledger without its password: ask for it (masked,
			// now that the screen is the shell's again), then start over.
			db, perr := f.askDBPassword(path, boot.Err())
			if perr != nil {
				return false, perr
			}
			var m tea.Model
			if m, err = build(db); err != nil {
				return false, err
			}
			final, err = runProgram(m)
		}
	} else {
		var m tea.Model
		if m, err = build(nil); err != nil {
			return false, err
		}
		final, err = runProgram(m)
	}
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return false, err
	}
	g, ok := final.(app.Guard)
	if !ok {
		return false, nil // left (ctrl+c) before the ledger answered
	}
	if g.Failed() {
		return false, fmt.Errorf("stopped on an internal error; details in %s", crashLog)
	}
	inner, _ := g.Inner().(app.Model)
	*carry = inner.MemoryKey()
	return inner.SwitchLedger(), nil
}

// consoleParts is what runConsole settled before the ledger opened.
type consoleParts struct {
	o         ConsoleOptions
	path      string
	from      config.Source    // where path came from (--db, COOLPAY_DB, this desk, the default)
	carry     **keys.Keys      // a private key the last run's first-run screen kept in memory
	pub, base string           // the sandbox's (else read from the settings)
	secrets   *keys.Keys       // the sandbox's in-memory keys
	cl        *consoleListener // the sandbox's callback receiver
	prompt    *app.KeyPrompt
}

// buildConsole makes the console on an open ledger: the settings read once,
// the API service, crash recovery, the callback receiver. It returns the
// receiver it opened (to close), if any.
func (f *Factory) buildConsole(ctx context.Context, db *store.DB, cp consoleParts) (app.Model, *consoleListener, error) {
	o, pub, base, secrets, cl := cp.o, cp.pub, cp.base, cp.secrets, cp.cl
	var opened *consoleListener
	// The settings, read once for everything below and for the screens.
	cfg := f.Config(db)
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
			secrets = f.newKeys(pub, keys.WithPrompt(cp.prompt.Ask))
			if carry := cp.carry; carry != nil && *carry != nil {
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
	c := common.Common{Store: db, Sandbox: o.Sandbox, Secrets: secrets, Ctx: ctx}
	recovered := 0
	if pub != "" {
		c.Svc = core.New(core.Config{Client: f.NewClient(pub, base, secrets), Store: db, Cashier: cashier})
		var err error
		if recovered, err = c.Svc.Recover(); err != nil {
			return app.Model{}, nil, err
		}
	}
	lang, theme := f.Lang(db), cfg.String(config.Theme)
	if cl == nil && !o.Sandbox && (o.Listen || cfg.On(config.CallbackInConsole)) {
		cl = openConsoleListener(cfg, false)
		opened = cl
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
			k := f.newKeys(publicKey, keys.WithPrompt(cp.prompt.Ask))
			return core.New(core.Config{Client: f.NewClient(publicKey, baseURL, k), Store: db, Cashier: cashier}), k
		}
		opts.Ledger = f.ledgerOptions(cp.path, cp.from)
	} else {
		// Shown in Settings; the sandbox's ledger is not changed there.
		opts.Ledger = app.LedgerOptions{Location: cp.path, From: cp.from}
	}
	if cl != nil {
		logPath := ""
		if !o.Sandbox {
			logPath = callbackLogPath(cp.path)
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
	return app.New(c, opts), opened, nil
}

// bootLook is the console's language and theme before its ledger answers:
// this desk's own settings (a shared ledger keeps them in the desk file,
// read once here) under the flags and environment, in config's one order.
func (f *Factory) bootLook() (i18n.Lang, string) {
	var stored map[string]string
	if p, err := config.DeskPath(f.getenv); err == nil {
		stored, _ = (&config.DeskFile{Path: p}).All()
	}
	cfg := config.FromMap(stored, f.configInputs())
	return cfg.UILang(), cfg.String(config.Theme)
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
