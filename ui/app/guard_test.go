package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/i18n"
)

// bump is a counter update that panics when handed a nil map, as a real bug
// would.
func bump(m map[string]int, k string) { m[k]++ }

// bomb panics where it is told to.
type bomb struct{ inUpdate, inCmd, inView bool }

func (b bomb) Init() tea.Cmd { return nil }
func (b bomb) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if b.inUpdate {
		bump(nil, "boom") // a nil map write: a real bug's panic
	}
	if b.inCmd {
		return b, tea.Batch(nil, func() tea.Msg { panic("boom in a command") })
	}
	return b, nil
}
func (b bomb) View() string {
	if b.inView {
		panic("boom in view")
	}
	return "fine"
}

func TestGuardTurnsAPanicIntoAPlainMessage(t *testing.T) {
	for name, b := range map[string]bomb{"update": {inUpdate: true}, "command": {inCmd: true}} {
		t.Run(name, func(t *testing.T) {
			crash := filepath.Join(t.TempDir(), "crash.log")
			g := NewGuard(b, i18n.New(i18n.EN), crash)
			m, cmd := g.Update(tea.KeyMsg{Type: tea.KeyEnter})
			// Run commands as the program would, batches included.
			for cmd != nil {
				msg := cmd()
				if batch, ok := msg.(tea.BatchMsg); ok {
					cmd = nil
					for _, c := range batch {
						if c != nil {
							m, _ = m.Update(c())
						}
					}
					continue
				}
				m, cmd = m.Update(msg)
			}
			g = m.(Guard)
			if !g.Failed() {
				t.Fatal("the panic was not caught")
			}
			v := g.View()
			if !strings.Contains(v, "internal error") || !strings.Contains(v, crash) || strings.Contains(v, "goroutine") || strings.Contains(v, ".go:") {
				t.Fatalf("screen after a panic:\n%s", v)
			}
			details, err := os.ReadFile(crash)
			if err != nil || !strings.Contains(string(details), "panic: ") || !strings.Contains(string(details), "goroutine") {
				t.Fatalf("crash file: %v\n%s", err, details)
			}
			if _, cmd := g.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")}); cmd == nil || cmd() != tea.Quit() {
				t.Fatal("a key does not quit after the crash")
			}
		})
	}
	g := NewGuard(bomb{inView: true}, i18n.New(i18n.FR), filepath.Join(t.TempDir(), "c.log"))
	if v := g.View(); !strings.Contains(v, "erreur interne") {
		t.Fatalf("a panic in View:\n%s", v)
	}
	if v := NewGuard(bomb{}, i18n.New(i18n.EN), "x").View(); v != "fine" {
		t.Fatalf("the guard changed a healthy view: %q", v)
	}
}
