package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	lipgloss.SetColorProfile(termenv.Ascii)
	guard := keystest.GuardOSKeyring()   // never touch the machine's keyring: a test that tries fails the run
	os.Setenv("USER", "awa")             // the default cashier, the same on every machine
	os.Exit(guard.Check(pgtest.Main(m))) // and the throwaway PostgreSQL, if a test started one, stops
}

var baseTime = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func seed(t *testing.T, db *store.DB, n int) {
	t.Helper()
	recs := make([]store.Record, n)
	for i := range recs {
		st := store.StateSuccess
		if i%4 == 3 {
			st = store.StatePending
		}
		recs[i] = store.Record{
			Type: store.TypePayin, State: st, Amount: fmt.Sprint(500 * (i + 1)), Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: fmt.Sprintf("67%07d", i), TransactionRef: fmt.Sprintf("TX%06d", i+1),
			Created: baseTime.Add(time.Duration(i) * time.Minute),
		}
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
}

// sandboxAPI starts the simulated API and returns a Connect that points a
// service at it (the private key comes from keys, as in ui/cli's console command).
func sandboxAPI(t *testing.T, db *store.DB) (ConnectFunc, *sandbox.Server, string) {
	t.Helper()
	e := sandboxtest.Start(t, sandbox.Config{ConfirmAfter: 30 * time.Millisecond})
	sb, base := e.SB, e.BaseURL
	kr := keystest.NewMemory() // this test's keyring, shared by every connection
	connect := func(pub, base string) (*core.Service, *keys.Keys) {
		k := keys.New(pub, keys.WithEnv(func(string) (string, bool) { return "", false }), keys.WithKeyring(kr))
		c := client.New(pub, client.WithBaseURL(base), client.WithPrivateKey(k.PrivateKey))
		return core.New(core.Config{Client: c, Store: db}), k
	}
	return connect, sb, base
}

// online returns a Common wired to the sandbox with its key set.
func online(t *testing.T, db *store.DB) (common.Common, ConnectFunc) {
	t.Helper()
	c, connect, _ := onlineSandbox(t, db)
	return c, connect
}

// onlineSandbox is online with the sandbox itself, for tests that force an
// outcome (sb.Force) rather than wait for its timers.
func onlineSandbox(t *testing.T, db *store.DB) (common.Common, ConnectFunc, *sandbox.Server) {
	t.Helper()
	connect, sb, base := sandboxAPI(t, db)
	svc, k := connect(client.SandboxPublicKey, base)
	if _, err := k.Set(context.Background(), sandbox.DefaultPrivateKey); err != nil {
		t.Fatal(err)
	}
	return common.Common{Ctx: context.Background(), T: i18n.New(i18n.EN), Store: db, Svc: svc,
		Secrets: k, Sandbox: true}, connect, sb
}

func offline(db *store.DB) common.Common {
	return common.Common{Ctx: context.Background(), T: i18n.New(i18n.EN), Store: db}
}

func fastFollow() FollowPolicy {
	return FollowPolicy{Step: 5 * time.Millisecond, Max: 20 * time.Millisecond, GiveUp: time.Minute}
}

// harness drives the root synchronously: each command runs and its message
// is fed back; commands that take longer than wait (cursor blinks, quit
// confirmations never answered) are dropped.
type harness struct {
	t    *testing.T
	m    Model
	quit bool
	wait time.Duration
}

func newHarness(t *testing.T, c common.Common, opts Options) *harness {
	t.Helper()
	if opts.Follow == (FollowPolicy{}) {
		opts.Follow = fastFollow()
	}
	if opts.History.Debounce == 0 {
		opts.History.Debounce = time.Millisecond
	}
	if opts.WatchEvery == 0 {
		opts.WatchEvery = -1 // tests that watch send watchTickMsg themselves
	}
	h := &harness{t: t, m: New(c, opts), wait: 300 * time.Millisecond}
	h.run(h.m.Init(), 0)
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return h
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	nm, cmd := h.m.Update(msg)
	h.m = nm.(Model)
	h.run(cmd, 0)
}

func (h *harness) run(cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 200 {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(h.wait):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.QuitMsg:
		h.quit = true
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c, depth+1)
		}
	default:
		// tea.Sequence's message is an unexported []tea.Cmd.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd), depth+1)
			}
			return
		}
		nm, c := h.m.Update(msg)
		h.m = nm.(Model)
		h.run(c, depth+1)
	}
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"ctrl+c": tea.KeyCtrlC, "ctrl+b": tea.KeyCtrlB, "pgdown": tea.KeyPgDown, "pgup": tea.KeyPgUp,
		"ctrl+right": tea.KeyCtrlRight, "ctrl+left": tea.KeyCtrlLeft, "backspace": tea.KeyBackspace,
		"f1": tea.KeyF1, "f2": tea.KeyF2, "f3": tea.KeyF3,
	}
	if t, ok := types[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// fakeScreen is a screen that does nothing.
type fakeScreen struct{}

func (*fakeScreen) Init() tea.Cmd             { return nil }
func (*fakeScreen) View() string              { return "fake" }
func (*fakeScreen) SetSize(int, int)          {}
func (*fakeScreen) ShortHelp() []key.Binding  { return nil }
func (*fakeScreen) FullHelp() [][]key.Binding { return nil }

func (b *busyScreen) Update(tea.Msg) (tea.Model, tea.Cmd) { return b, nil }

func lipglossWidth(s string) int { return lipgloss.Width(s) }
