package app

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/i18n"
)

// Guard wraps the console so that an unexpected panic (a bug) never dumps a
// Go stack trace onto the cashier's screen: the details go to a crash file,
// and the screen says in plain words what happened and that the ledger is
// safe (every payment is journaled before it is sent). Panics in Init,
// Update, View and in the commands Update returns are caught here; Bubble
// Tea's own recovery stays as the last resort for anything else.
type Guard struct {
	inner    tea.Model
	t        *i18n.Translator
	crashLog string // where the details go
	failed   string // the crash file written, or "" while all is well
}

// panicMsg carries a panic caught in a command back to Update.
type panicMsg struct {
	value any
	stack []byte
}

// NewGuard wraps m; crashLog is the file the details of a crash go to.
func NewGuard(m tea.Model, t *i18n.Translator, crashLog string) Guard {
	return Guard{inner: m, t: t, crashLog: crashLog}
}

// Inner is the wrapped model (its last state once the program ended).
func (g Guard) Inner() tea.Model { return g.inner }

// Failed reports whether the console stopped on an internal error.
func (g Guard) Failed() bool { return g.failed != "" }

// Init implements tea.Model.
func (g Guard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			cmd = g.crashCmd(r, debug.Stack())
		}
	}()
	return g.protect(g.inner.Init())
}

// Update implements tea.Model.
func (g Guard) Update(msg tea.Msg) (model tea.Model, cmd tea.Cmd) {
	if g.failed != "" {
		if _, ok := msg.(tea.KeyMsg); ok {
			return g, tea.Quit
		}
		return g, nil
	}
	if p, ok := msg.(panicMsg); ok {
		g.failed = g.record(p.value, p.stack)
		return g, nil
	}
	defer func() {
		if r := recover(); r != nil {
			g.failed = g.record(r, debug.Stack())
			model, cmd = g, nil
		}
	}()
	inner, c := g.inner.Update(msg)
	g.inner = inner
	return g, g.protect(c)
}

// View implements tea.Model.
func (g Guard) View() (v string) {
	if g.failed != "" {
		return g.t.T("app.crash", g.failed)
	}
	defer func() {
		if r := recover(); r != nil {
			// View cannot change the model: show the message now; the
			// next Update records the crash.
			v = g.t.T("app.crash", g.crashLog)
			g.record(r, debug.Stack())
		}
	}()
	return g.inner.View()
}

// protect wraps a command so a panic inside it comes back as a panicMsg.
// A batch's commands are wrapped one by one.
func (g Guard) protect(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panicMsg{value: r, stack: debug.Stack()}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			wrapped := make(tea.BatchMsg, len(batch))
			for i, c := range batch {
				wrapped[i] = g.protect(c)
			}
			return wrapped
		}
		return msg
	}
}

func (g Guard) crashCmd(r any, stack []byte) tea.Cmd {
	return func() tea.Msg { return panicMsg{value: r, stack: stack} }
}

// record writes the crash details to the crash file and returns its path.
func (g Guard) record(r any, stack []byte) string {
	var b strings.Builder
	fmt.Fprintf(&b, "coolpay internal error at %s\n\npanic: %v\n\n%s\n", time.Now().Format(time.RFC3339), r, stack)
	if err := os.WriteFile(g.crashLog, []byte(b.String()), 0o600); err != nil {
		return g.crashLog + " (" + err.Error() + ")"
	}
	return g.crashLog
}
