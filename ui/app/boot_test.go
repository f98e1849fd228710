package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/i18n"
)

// bootStart runs the boot model's start command (Init's batch holds it and
// the dots' tick) in the background and returns its message when it ends.
func bootStart(t *testing.T, b *Boot) <-chan tea.Msg {
	t.Helper()
	batch, ok := b.Init()().(tea.BatchMsg)
	if !ok || len(batch) == 0 {
		t.Fatal("Init does not start anything")
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- batch[0]() }()
	return ch
}

// The frame is there before the ledger answers; keys typed meanwhile
// reach the console once it is built, with the window's size.
func TestBootShowsTheFrameAndHandsOverWhatWasTyped(t *testing.T) {
	db := openDB(t)
	c, connect := online(t, db)
	release := make(chan struct{})
	b := NewBoot(BootOptions{
		Lang: i18n.EN, Sandbox: true,
		Ledger: "postgres://desk@db.shop.lan/coolpay\x1b]0;owned\x07",
		Start: func() (tea.Model, error) {
			<-release
			return New(c, Options{Connect: connect, Follow: fastFollow(), WatchEvery: -1}), nil
		},
	})
	done := bootStart(t, b)
	m, _ := b.Update(tea.WindowSizeMsg{Width: 90, Height: 20})
	view := m.View()
	for _, want := range []string{"coolpay", "SANDBOX", "Payin", "History", "Opening the ledger postgres://desk@db.shop.lan/coolpay", "ctrl+c: quit"} {
		if !strings.Contains(view, want) {
			t.Errorf("the boot frame lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "\x1b]0;") || strings.Contains(view, "\x07") {
		t.Errorf("the ledger's text reached the terminal raw:\n%q", view)
	}
	if got := len(strings.Split(view, "\n")); got != 20 {
		t.Errorf("the boot frame is %d lines high, want the window's 20", got)
	}
	for _, r := range "2500" {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	if _, still := m.(*Boot); !still {
		t.Fatal("the console replaced the boot frame before the ledger answered")
	}
	close(release)
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("start never finished")
	}
	m, _ = m.Update(msg)
	console, ok := m.(Model)
	if !ok {
		t.Fatalf("after start: %T, want the console", m)
	}
	view = console.View()
	if console.Active() != TabPayin || !strings.Contains(view, "2500") {
		t.Errorf("the amount typed while the ledger opened is not in the payin form:\n%s", view)
	}
	if n := len(strings.Split(view, "\n")); n != 20 {
		t.Errorf("the console did not get the window's size: %d lines", n)
	}
}

func TestBootEndsWithTheErrorWhenTheLedgerCannotOpen(t *testing.T) {
	refused := errors.New("ledger postgres://desk@db.shop.lan/coolpay: cannot be reached")
	b := NewBoot(BootOptions{Lang: i18n.FR, Ledger: "postgres://desk@db.shop.lan/coolpay",
		Start: func() (tea.Model, error) { return nil, refused }})
	done := bootStart(t, b)
	m, _ := b.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if v := m.View(); !strings.Contains(v, "Ouverture du registre") || !strings.Contains(v, "RÉEL") {
		t.Errorf("the French boot frame:\n%s", v)
	}
	m, cmd := m.Update(<-done)
	if cmd == nil {
		t.Fatal("no quit after a failed start")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("a failed start does not end the program")
	}
	if !errors.Is(m.(*Boot).Err(), refused) {
		t.Errorf("Err = %v, want the start's error", m.(*Boot).Err())
	}
}

func TestBootCtrlCLeavesBeforeTheLedgerAnswers(t *testing.T) {
	b := NewBoot(BootOptions{Lang: i18n.EN, Start: func() (tea.Model, error) { select {} }})
	m, cmd := b.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
	if cmd == nil {
		t.Fatal("ctrl+c does nothing while the ledger opens")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok || !m.(*Boot).Aborted() || m.(*Boot).Err() != nil {
		t.Errorf("ctrl+c: quit=%v aborted=%v err=%v", ok, m.(*Boot).Aborted(), m.(*Boot).Err())
	}
}
