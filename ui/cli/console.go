package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	tea "github.com/charmbracelet/bubbletea"

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
	Lang        string // en or fr; "" = saved setting, then the environment
}

// Console opens the Bubble Tea console on the configured ledger, or with
// --sandbox on a built-in simulated API and a throwaway ledger.
func Console(g *Globals, o ConsoleOptions, stderr io.Writer) int {
	if o.Lang != "" && o.Lang != "en" && o.Lang != "fr" {
		return fail(stderr, fmt.Errorf("--lang %q: use en or fr", o.Lang))
	}
	var (
		pub, base string
		secrets   *keys.Keys
		run       *sandbox.Running
	)
	if o.Sandbox {
		if g.DB == "" {
			dir, err := os.MkdirTemp("", "coolpay-sandbox-")
			if err != nil {
				return fail(stderr, err)
			}
			defer os.RemoveAll(dir)
			g.DB = filepath.Join(dir, "ledger.db")
		}
		var err error
		run, err = sandbox.Listen(o.SandboxAddr, sandbox.Config{})
		if err != nil {
			return fail(stderr, fmt.Errorf("starting the sandbox: %w", err))
		}
		defer run.Shutdown(context.Background())
		pub, base = run.Server().PublicKey(), run.URL()
		// The sandbox's test key lives in memory only: never in the
		// user's keyring, whatever the keyring holds for real keys.
		secrets = keys.InMemory(pub, sandbox.DefaultPrivateKey)
	}
	db, err := OpenDB(g)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	// Without a keyring or COOLPAY_PRIVATE_KEY, the console itself asks for
	// the private key when a payment first needs it (kept in memory).
	prompt := app.NewKeyPrompt()
	if !o.Sandbox {
		pub, base = Resolve(g, db)
		if pub != "" {
			secrets = keys.New(pub, keys.WithPrompt(prompt.Ask))
		}
	}
	c := common.Common{Store: db, Sandbox: o.Sandbox, Secrets: secrets}
	recovered := 0
	if pub != "" {
		c.Svc = core.New(core.Config{Client: NewClient(pub, base, secrets), Store: db})
		if recovered, err = c.Svc.Recover(); err != nil {
			return fail(stderr, err)
		}
	}
	lang, theme := app.LoadPrefs(db)
	if o.Lang != "" {
		lang = i18n.Lang(o.Lang)
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
			return core.New(core.Config{Client: NewClient(publicKey, baseURL, k), Store: db}), k
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.Ctx = ctx
	m := app.New(c, opts)
	crashLog := filepath.Join(os.TempDir(), fmt.Sprintf("coolpay-crash-%d.log", os.Getpid()))
	p := tea.NewProgram(app.NewGuard(m, m.Common().T, crashLog), tea.WithAltScreen(), tea.WithContext(ctx))
	prompt.Attach(p.Send)
	final, err := p.Run()
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fail(stderr, err)
	}
	if g, ok := final.(app.Guard); ok && g.Failed() {
		return fail(stderr, fmt.Errorf("stopped on an internal error; details in %s", crashLog))
	}
	return 0
}

// FollowPolicy is the console follower's polling as the settings say
// (coolpay config set poll_step …), the defaults where they say nothing.
func FollowPolicy(db *store.DB) app.FollowPolicy {
	d := app.DefaultFollowPolicy
	return app.FollowPolicy{
		Step:   durationSetting(db.Setting, SettingPollStep, d.Step),
		Max:    durationSetting(db.Setting, SettingPollMax, d.Max),
		GiveUp: durationSetting(db.Setting, SettingPollGiveUp, d.GiveUp),
	}
}
