package app

import (
	"bytes"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/coolpay/coolpay/ui/common"
)

// runGolden runs the console as a real program at 80×24 with the Ascii
// profile (TestMain), waits for want, sends keys, and compares the final
// frame with testdata/<test>.golden (go test -update rewrites it).
func runGolden(t *testing.T, c common.Common, opts Options, want string, keys ...tea.KeyMsg) {
	t.Helper()
	opts.Now = func() time.Time { return baseTime.Add(24 * time.Hour) }
	tm := teatest.NewTestModel(t, New(c, opts), teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second))
	for _, k := range keys {
		tm.Send(k)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	golden.RequireEqual(t, []byte(final.View()))
}

func TestGoldenShellOfflineHistory(t *testing.T) {
	db := openDB(t)
	seed(t, db, 40)
	runGolden(t, offline(db), Options{}, "TX000040") // a row: the page has landed
}

// The full help reloads History at a smaller page size; the synchronous
// harness waits for that answer, so the frame is deterministic.
func TestGoldenShellFullHelp(t *testing.T) {
	db := openDB(t)
	seed(t, db, 40)
	h := newHarness(t, offline(db), Options{Now: func() time.Time { return baseTime.Add(24 * time.Hour) }})
	h.keys("?")
	golden.RequireEqual(t, []byte(h.m.View()))
}

func TestGoldenSettings(t *testing.T) {
	runGolden(t, offline(openDB(t)), Options{Start: TabSettings}, "Theme")
}

func TestGoldenSetup(t *testing.T) {
	runGolden(t, offline(openDB(t)), Options{NeedSetup: true}, "API address")
}
