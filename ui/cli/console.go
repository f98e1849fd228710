package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/app"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
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
// --sandbox on a built-in simulated API and a throwaway ledger.
func runConsole(parent context.Context, f *Factory, o ConsoleOptions) error {
	if l := f.Globals.Lang; l != "" && l != "en" && l != "fr" {
		return usageErrorf("--lang %q: use en or fr", l)
	}
	var (
		pub, base string
		secrets   *keys.Keys
		run       *sandbox.Running
		cl        *consoleListener
	)
	path, err := f.LedgerPath()
	if err != nil {
		return err
	}
	if o.Sandbox {
		if f.Globals.DB == "" {
			dir, err := os.MkdirTemp("", "coolpay-sandbox-")
			if err != nil {
				return err
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
			return fmt.Errorf("starting the sandbox: %w", err)
		}
		defer run.Shutdown(context.Background())
		pub, base = run.Server().PublicKey(), run.URL()
		// The sandbox's test key lives in memory only: never in the
		// user's keyring, whatever the keyring holds for real keys.
		secrets = keys.InMemory(pub, sandbox.DefaultPrivateKey)
	} else if err := makeDefaultLedgerDir(f, path); err != nil {
		return err
	}
	db, err := openLedger(path, LedgerCreate)
	if err != nil {
		return err
	}
	defer db.Close()
	// Without a keyring or COOLPAY_PRIVATE_KEY, the console itself asks for
	// the private key when a payment first needs it (kept in memory).
	prompt := app.NewKeyPrompt()
	if !o.Sandbox {
		pub, base = f.Resolve(db)
		if pub != "" {
			secrets = keys.New(pub, keys.WithPrompt(prompt.Ask))
		}
	}
	c := common.Common{Store: db, Sandbox: o.Sandbox, Secrets: secrets}
	recovered := 0
	if pub != "" {
		c.Svc = core.New(core.Config{Client: f.NewClient(pub, base, secrets), Store: db})
		if recovered, err = c.Svc.Recover(); err != nil {
			return err
		}
	}
	lang, theme := app.LoadPrefs(db)
	if f.Globals.Lang != "" {
		lang = i18n.Lang(f.Globals.Lang)
	}
	if cl == nil && !o.Sandbox && wantConsoleListener(o.Listen, db) {
		cl = openConsoleListener(db, false)
		defer cl.close()
	}
	opts := app.Options{
		NeedSetup: pub == "",
		Lang:      lang,
		Theme:     theme,
		Follow:    FollowPolicy(db),
		Recovered: recovered, // shown in the console: stderr is hidden behind it
	}
	if !o.Sandbox {
		opts.Connect = func(publicKey, baseURL string) (*core.Service, *keys.Keys) {
			k := keys.New(publicKey, keys.WithPrompt(prompt.Ask))
			return core.New(core.Config{Client: f.NewClient(publicKey, baseURL, k), Store: db}), k
		}
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
		return err
	}
	if g, ok := final.(app.Guard); ok && g.Failed() {
		return fmt.Errorf("stopped on an internal error; details in %s", crashLog)
	}
	return nil
}

// makeDefaultLedgerDir creates coolpay's own data directory on the first
// run of the console, and only that one: a ledger path the user chose
// (--db, COOLPAY_DB) must name an existing directory, so a typo is an error
// instead of a new, empty ledger somewhere unexpected.
func makeDefaultLedgerDir(f *Factory, path string) error {
	def, err := store.DefaultPath()
	if err != nil || path != def || f.Globals.DB != "" || f.getenv("COOLPAY_DB") != "" {
		return nil
	}
	return os.MkdirAll(filepath.Dir(path), 0o700)
}

// FollowPolicy is the console follower's polling as the settings say
// (coolpay config set poll_step …), the defaults where they say nothing.
func FollowPolicy(db *store.DB) app.FollowPolicy {
	d := app.DefaultFollowPolicy
	all, _ := db.Settings() // one open of the ledger for the three; unreadable means the defaults
	return app.FollowPolicy{
		Step:   durationSetting(all, SettingPollStep, d.Step),
		Max:    durationSetting(all, SettingPollMax, d.Max),
		GiveUp: durationSetting(all, SettingPollGiveUp, d.GiveUp),
	}
}
