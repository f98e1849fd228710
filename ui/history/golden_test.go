package history

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// runGolden runs the screen as a program at 80×24 (Ascii profile, see
// TestMain), waits until want is on screen, applies keys and compares the
// final View with testdata/<test>.golden (go test -update rewrites it).
func runGolden(t *testing.T, m *Model, want string, keys ...tea.KeyMsg) {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second))
	// The first frame may show the page while "loading…" is still set; the
	// final View is taken after Quit, when every answer has landed.
	for _, k := range keys {
		tm.Send(k)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	golden.RequireEqual(t, []byte(final.View()))
}

func TestGoldenHistoryTable(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	runGolden(t, New(newCommon(db), Options{Now: fixedNow}), "Page 1")
}

// The filter bar after f → ↓ on State, and a detail view, rendered by the
// synchronous harness (the page answers are awaited, not raced).
func TestGoldenHistoryFilterBar(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	h := newHarness(t, db, 80, 20, Options{})
	h.keys("f", "right", "down", "down", "enter")
	golden.RequireEqual(t, []byte(h.m.View()))
}

func TestGoldenHistoryDetail(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	h := newHarness(t, db, 80, 20, Options{})
	h.keys("down", "enter")
	golden.RequireEqual(t, []byte(h.m.View()))
}
