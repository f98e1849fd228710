// Package today is the Today screen ("Aujourd'hui"): one day's totals by
// type, state, operator and cashier — count, amount, fees, net — and a bar
// chart of the money received per hour. Any day can be shown: ←/→ step a
// day, "d" takes a typed date, "t" comes back to today.
//
// The figures come from ui/report, the same code as `coolpay report`, read
// in a tea.Cmd; the screen keeps only the report, never the records.
package today

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/report"
)

// Options tune the screen; the zero value is ready for use.
type Options struct {
	Now func() time.Time // the clock (tests); nil is time.Now
}

// Model is the Today screen.
type Model struct {
	c    *common.Common
	opts Options

	width, height int

	day     time.Time // local midnight of the day shown
	rep     report.Report
	loaded  bool
	loading bool
	loadErr error
	loadID  int // answers of superseded requests are dropped
	cancel  context.CancelFunc

	view report.Dimension // which "by …" table is shown

	typing  bool // the date field has the keys
	date    textinput.Model
	dateErr string

	keys keyMap
}

// keyMap is the screen's own bindings, on top of the shared ones.
type keyMap struct {
	PrevDay, NextDay, Date, Today, View key.Binding
}

// New builds the screen for today; the figures load on Init.
func New(c *common.Common, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	ti := textinput.New()
	ti.CharLimit = 10
	ti.Placeholder = "YYYY-MM-DD"
	ti.Cursor.SetMode(cursor.CursorStatic)
	m := &Model{c: c, opts: opts, day: report.DayOf(opts.Now()), date: ti}
	m.keys = keyMap{
		PrevDay: key.NewBinding(key.WithKeys("left", "h")),
		NextDay: key.NewBinding(key.WithKeys("right", "l")),
		Date:    key.NewBinding(key.WithKeys("d")),
		Today:   key.NewBinding(key.WithKeys("t")),
		View:    key.NewBinding(key.WithKeys("v", "down", "j")),
	}
	m.relabel()
	return m
}

// relabel writes the help texts in the current language.
func (m *Model) relabel() {
	t := m.c.T
	m.keys.PrevDay.SetHelp("←", t.T("today.help.prevday"))
	m.keys.NextDay.SetHelp("→", t.T("today.help.nextday"))
	m.keys.Date.SetHelp("d", t.T("today.help.date"))
	m.keys.Today.SetHelp("t", t.T("today.help.today"))
	m.keys.View.SetHelp("v", t.T("today.help.view"))
	m.date.Prompt = t.T("today.date.prompt")
	m.date.Placeholder = t.T("today.date.placeholder")
}

// Day is the day on screen (local midnight).
func (m *Model) Day() time.Time { return m.day }

// Report is the report on screen (for tests).
func (m *Model) Report() report.Report { return m.rep }

// Init implements tea.Model: add up today.
func (m *Model) Init() tea.Cmd { return m.load() }

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// InputFocused implements common.FocusedInput: while a date is typed, every
// key is text.
func (m *Model) InputFocused() bool { return m.typing }

// ---- loading ----

// loadedMsg answers a load; id says which.
type loadedMsg struct {
	id  int
	rep report.Report
	err error
}

// load adds up the day on screen. The store, the day and the context are
// captured now; a newer load cancels the older one's scan.
func (m *Model) load() tea.Cmd {
	m.loadID++
	id := m.loadID
	m.loading = true
	if m.cancel != nil {
		m.cancel()
	}
	ctx := m.c.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancel(ctx)
	m.cancel = cancel
	db, day := m.c.Store, m.day
	return func() tea.Msg {
		defer cancel()
		if db == nil {
			return loadedMsg{id: id, rep: report.Report{Day: day}}
		}
		rep, err := report.Day(ctx, db, day, "")
		return loadedMsg{id: id, rep: rep, err: err}
	}
}

// show moves to another day and adds it up.
func (m *Model) show(day time.Time) tea.Cmd {
	m.day = report.DayOf(day)
	return m.load()
}

// ---- Update ----

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
	case loadedMsg:
		if msg.id != m.loadID {
			return m, nil
		}
		m.loading, m.loaded = false, true
		m.loadErr = msg.err
		if msg.err == nil {
			m.rep = msg.rep
		}
	case common.LedgerChangedMsg:
		// A payment was taken or settled: the figures of its day move.
		return m, m.load()
	case common.RecordUpdatedMsg:
		// The follower sends one on every poll and the watcher one per
		// changed record; only a record created on the day shown can move
		// its figures (report.Day counts by creation), so only then recount.
		if w := report.Window(m.day); !msg.Record.Created.Before(w.Since) && msg.Record.Created.Before(w.Until) {
			return m, m.load()
		}
	case common.LangChangedMsg:
		m.relabel()
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if m.typing {
		switch {
		case key.Matches(msg, km.Submit):
			d, ok := ParseDay(m.date.Value(), m.day.Location())
			if !ok {
				m.dateErr = m.c.T.T("today.date.bad", m.date.Value())
				return nil
			}
			if !common.DateInRange(d) { // beyond, the ledger's time index wraps
				m.dateErr = m.c.T.T("date.out_of_range", m.date.Value(), common.FirstYear, common.LastYear)
				return nil
			}
			m.typing, m.dateErr = false, ""
			m.date.Blur()
			return m.show(d)
		case key.Matches(msg, km.Back):
			m.typing, m.dateErr = false, ""
			m.date.Blur()
			return nil
		}
		m.dateErr = ""
		var cmd tea.Cmd
		m.date, cmd = m.date.Update(msg)
		return cmd
	}
	switch {
	case key.Matches(msg, m.keys.PrevDay):
		return m.show(m.day.AddDate(0, 0, -1))
	case key.Matches(msg, m.keys.NextDay):
		return m.show(m.day.AddDate(0, 0, 1))
	case key.Matches(msg, m.keys.Today):
		return m.show(m.opts.Now())
	case key.Matches(msg, m.keys.View):
		m.view = (m.view + 1) % 4
	case msg.Type == tea.KeyUp || msg.String() == "k":
		m.view = (m.view + 3) % 4
	case key.Matches(msg, m.keys.Date):
		m.typing = true
		m.date.SetValue("")
		return m.date.Focus()
	case key.Matches(msg, km.Refresh):
		return m.load()
	}
	return nil
}

// ParseDay reads a typed date: 2026-11-29, or as written in French and
// most of Africa, 29/11/2026 (also 29-11-2026, 29.11.2026). The result is
// midnight in loc.
func ParseDay(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, "02/01/2006", "02-01-2006", "02.01.2006", "2/1/2006"} {
		if d, err := time.ParseInLocation(layout, s, loc); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

// ---- help ----

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	km := m.c.Keys
	t := m.c.T
	if m.typing {
		return []key.Binding{common.Help(km.Submit, t.T("history.help.apply")), common.Help(km.Back, t.T("app.key.cancel"))}
	}
	// Short, so the root's way to change screens stays on an 80-column
	// line; the full help (?) names each key.
	return []key.Binding{
		key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", t.T("today.help.day"))),
		key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.T("today.help.date.short"))),
		key.NewBinding(key.WithKeys("v"), key.WithHelp("v", t.T("today.help.view.short"))),
	}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	if m.typing {
		return [][]key.Binding{m.ShortHelp()}
	}
	return [][]key.Binding{{m.keys.PrevDay, m.keys.NextDay, m.keys.Today, m.keys.Date},
		{m.keys.View, common.Help(m.c.Keys.Refresh, m.c.T.T("today.help.recount"))}}
}
