package pay

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

// offlineSvc is a service whose API is never reached: state-machine tests
// inject the answers themselves and never run the sending cmds.
func offlineSvc() *core.Service {
	return core.New(core.Config{Client: client.New("pk", client.WithBaseURL("http://127.0.0.1:1/api"))})
}

func newCommon(svc *core.Service) *common.Common {
	dark := true
	return &common.Common{
		Ctx:    context.Background(),
		Width:  80,
		Height: 18,
		Styles: common.NewStyles(lipgloss.DefaultRenderer(), &dark),
		Keys:   common.DefaultKeyMap(),
		T:      i18n.New(i18n.EN),
		Svc:    svc,
	}
}

// sandboxCommon wires the real chain: sandbox over HTTP, client, ledger, core.
func sandboxCommon(t *testing.T) (*common.Common, *sandbox.Server) {
	t.Helper()
	e := sandboxtest.Start(t, sandbox.Config{ConfirmAfter: 50 * time.Millisecond})
	sb, cl := e.SB, e.Client()
	db, err := store.Open(t.TempDir()+"/l.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := newCommon(core.New(core.Config{Client: cl, Store: db}))
	c.Store = db
	return c, sb
}

// keyMsg builds the KeyMsg Bubble Tea would deliver for a key name.
func keyMsg(k string) tea.KeyMsg {
	names := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEsc,
		"ctrl+s": tea.KeyCtrlS, "ctrl+n": tea.KeyCtrlN, "up": tea.KeyUp, "down": tea.KeyDown,
		"left": tea.KeyLeft, "right": tea.KeyRight, " ": tea.KeySpace, "backspace": tea.KeyBackspace,
	}
	if t, ok := names[k]; ok {
		return tea.KeyMsg{Type: t}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one by one and returns the cmd of the last one.
func press(m tea.Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(keyMsg(k))
	}
	return cmd
}

// typeText types s rune by rune.
func typeText(m tea.Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// run executes cmd (and any batch inside it) and returns the messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// find returns the first message of type T.
func find[T any](msgs []tea.Msg) (T, bool) {
	for _, m := range msgs {
		if v, ok := m.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// feed runs cmd and gives every message it produced back to m (as the root
// would), returning them and the messages of m's answers to them.
func feed(m tea.Model, cmd tea.Cmd) []tea.Msg {
	msgs := run(cmd)
	out := append([]tea.Msg{}, msgs...)
	for _, msg := range msgs {
		if _, tick := msg.(spinner.TickMsg); tick {
			continue // a tick's answer is the next tick, a sleep away
		}
		_, next := m.Update(msg)
		out = append(out, run(next)...)
	}
	return out
}

// follow plays the root's background follower for id until the record is
// final or the deadline passes, delivering RecordUpdatedMsg to m.
func follow(t *testing.T, c *common.Common, m tea.Model, id uint64) store.Record {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec, _, err := c.Svc.Refresh(context.Background(), id)
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		m.Update(common.RecordUpdatedMsg{Record: rec})
		if rec.State.Final() || time.Now().After(deadline) {
			return rec
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mustContain(t *testing.T, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("view lacks %q:\n%s", w, view)
		}
	}
}

func mustNotContain(t *testing.T, view string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(view, w) {
			t.Errorf("view should not show %q:\n%s", w, view)
		}
	}
}

func typeName(v any) string { return reflect.TypeOf(v).String() }
