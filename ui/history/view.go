package history

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/safe"
)

// column is one table column; flex columns share what the fixed ones leave.
type column struct {
	title string
	width int
	right bool
	state bool   // the state cell, coloured by state
	id    string // the columns a narrow window may drop: "time", "type", "operator"
	cell  func(r store.Record) string
}

const gap = 1

// columns fits the table to the window. The state and the amount are
// never left out and an amount is never cut: the fixed columns are only as
// wide as what this page shows in them, and when the window is still too
// narrow the operator goes first, then the time, then the type; customer
// and reference only get what the fixed columns leave.
func (m *Model) columns() []column {
	t := m.c.T
	now := m.opts.Now()
	cols := []column{
		{title: t.T("history.col.time"), width: 11, id: "time", cell: func(r store.Record) string { return shortTime(r.Created, now) }},
		{title: t.T("history.col.type"), width: 8, id: "type", cell: func(r store.Record) string { return common.TypeWord(t, r.Type) }},
		{title: t.T("history.col.state"), width: 12, state: true, cell: func(r store.Record) string { return common.StateLabel(t, r.State) }},
		{title: t.T("history.col.amount"), width: 13, right: true, cell: func(r store.Record) string {
			return common.Amount(t, r.Amount, r.Currency)
		}},
		{title: t.T("history.col.operator"), width: 7, id: "operator", cell: func(r store.Record) string { return common.OperatorWord(t, r.Operator) }},
	}
	customer := column{title: t.T("history.col.customer"), cell: func(r store.Record) string {
		if r.CustomerName != "" {
			return r.CustomerName
		}
		if r.CustomerPhone != "" {
			return r.CustomerPhone
		}
		return r.CustomerUsername
	}}
	ref := column{title: t.T("history.col.reference"), cell: func(r store.Record) string {
		if r.TransactionRef != "" {
			return r.TransactionRef
		}
		return r.AppRef
	}}
	if m.batch != "" {
		cols[0] = column{title: t.T("batch.history.col.line"), width: 11, id: "time", cell: func(r store.Record) string {
			return t.T("batch.at.line", r.BatchLine)
		}}
	}
	fixed := func() int {
		n := 0
		for _, c := range cols {
			n += c.width + gap
		}
		return n
	}
	// One cell on the left is the selection mark.
	flex := m.width - 1 - fixed()
	if flex >= 60 { // a wide window (117+ columns) also shows who took each one
		cols = append(cols, column{title: t.T("history.field.cashier"), width: 12,
			cell: func(r store.Record) string { return r.Cashier }})
		flex = m.width - 1 - fixed()
	}
	if flex < 10 {
		// Narrow: each fixed column only as wide as its title and the
		// cells of this page; the amount at least as wide as its widest.
		for i := range cols {
			w := lipgloss.Width(cols[i].title)
			for _, r := range m.recs {
				w = max(w, lipgloss.Width(safe.Line(cols[i].cell(r))))
			}
			if cols[i].right || cols[i].state {
				cols[i].width = w
			} else {
				cols[i].width = min(cols[i].width, w)
			}
		}
		// Then, while it does not fit: operator, time, type (the type
		// says which way the money went: the last to go).
		for _, drop := range []string{"operator", "time", "type"} {
			if m.width-1-fixed()+gap >= 0 {
				break
			}
			for i, c := range cols {
				if c.id == drop {
					cols = append(cols[:i:i], cols[i+1:]...)
					break
				}
			}
		}
		flex = m.width - 1 - fixed()
	}
	switch {
	case flex >= 20:
		customer.width = min(28, flex*55/100)
		ref.width = flex - customer.width - gap
		cols = append(cols, customer, ref)
	case flex >= 8:
		customer.width = flex
		cols = append(cols, customer)
	}
	return cols
}

// shortTime is month-day and time this year, the full date before.
func shortTime(t, now time.Time) string {
	t = t.Local()
	if t.Year() == now.Local().Year() {
		return t.Format("01-02 15:04")
	}
	return t.Format("2006-01-02")
}

// fit cuts s to w cells (with "…") and pads it to exactly w.
// Text from outside (names, references, messages) is made inert first: every
// table cell passes here.
func fit(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(safe.Line(s), w, "…")
	pad := strings.Repeat(" ", max(0, w-lipgloss.Width(s)))
	if right {
		return pad + s
	}
	return s + pad
}

// View implements tea.Model. It renders exactly the height it was given.
func (m *Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	if m.mode == modeDetail || m.mode == modeAttach {
		return m.viewDetail()
	}
	st := m.c.Styles
	lines := []string{m.filterBar(), m.searchLine()}
	cols := m.columns()
	var hdr []string
	for _, c := range cols {
		hdr = append(hdr, fit(c.title, c.width, c.right))
	}
	lines = append(lines, st.Label.Bold(true).Render(" "+strings.Join(hdr, " ")))

	rows := m.rows()
	switch {
	case m.loadErr != nil:
		lines = append(lines, st.Error.Render(fit(m.c.T.T("history.error.load", m.loadErr), m.width, false)))
	case m.searching() && len(m.recs) == 0:
		lines = append(lines, st.Pending.Render(fit(m.searchingLine(), m.width, false)))
	case m.loaded && len(m.recs) == 0:
		msg := m.c.T.T("history.empty")
		if m.applied != "" || m.filters.active() {
			msg = m.c.T.T("history.nomatch")
		}
		lines = append(lines, st.Muted.Render(fit(msg, m.width, false)))
	}
	for i, r := range m.recs {
		if i >= rows {
			break
		}
		lines = append(lines, m.row(cols, r, i == m.sel))
	}
	for len(lines) < chrome-1+rows {
		lines = append(lines, "")
	}
	lines = append(lines, m.pagerLine())
	return strings.Join(lines[:min(len(lines), m.height)], "\n")
}

func (m *Model) row(cols []column, r store.Record, selected bool) string {
	st := m.c.Styles
	cells := make([]string, len(cols))
	for i, c := range cols {
		cells[i] = fit(c.cell(r), c.width, c.right)
	}
	// The mark makes the selection visible without colour (NO_COLOR).
	if selected {
		return st.Selected.Render(fit("▸"+strings.Join(cells, " "), m.width, false))
	}
	// Colour the state cell only; the symbol already says it without colour.
	for i, c := range cols {
		if c.state {
			cells[i] = st.StateStyle(r.State).Render(cells[i])
		}
	}
	return " " + strings.Join(cells, " ")
}

func (m *Model) filterBar() string {
	if m.batch != "" {
		return m.batchBar()
	}
	st := m.c.Styles
	t := m.c.T
	parts := make([]string, numFields)
	for f := 0; f < numFields; f++ {
		p := t.T("history.filter.field", fieldName(t, f), m.filters.label(t, f)) // "Type : tous" in French
		switch {
		case m.mode == modeFilter && f == m.filters.focus:
			p = st.Selected.Render("[" + p + "]")
		case m.filters.idx[f] != 0:
			p = st.FocusedLabel.Render(" " + p + " ")
		default:
			p = st.Muted.Render(" " + p + " ")
		}
		parts[f] = p
	}
	return ansi.Truncate(strings.Join(parts, " "), m.width, "…")
}

func (m *Model) searchLine() string {
	st := m.c.Styles
	switch {
	case m.mode == modeExport:
		return m.exportLine()
	case m.mode == modeSearch:
		return m.search.View()
	case m.applied != "":
		return ansi.Truncate(st.FocusedLabel.Render("/ "+m.applied), m.width, "…")
	}
	return st.Hint.Render(fit(m.c.T.T("history.search.hint"), m.width, false))
}

func (m *Model) pagerLine() string {
	st := m.c.Styles
	t := m.c.T
	if p := m.reconProgress(); p != "" {
		return st.Pending.Render(fit(p, m.width, false))
	}
	left := t.T("history.page", m.Page())
	if m.next != "" {
		left += " · " + t.T("history.more")
	}
	if m.loading {
		left += " · " + m.loadingNote()
	}
	return st.Muted.Render(fit(left, m.width, false))
}

// ---- detail ----

func (m *Model) viewDetail() string {
	st := m.c.Styles
	r := m.detailRec
	title := m.c.T.T("history.detail.title", r.ID, common.TypeWord(m.c.T, r.Type))
	title += "  " + st.StateStyle(r.State).Render(common.StateLabel(m.c.T, r.State))
	head := ansi.Truncate(st.Title.Render(title), m.width, "…")
	if m.mode == modeAttach {
		body := strings.Split(m.attachView(), "\n")
		return head + "\n" + strings.Join(body[:min(len(body), max(0, m.height-1))], "\n")
	}
	return head + "\n" + m.detail.View()
}

// stateNotes are the detail's advice under the state: what the state means
// here and which key acts on it, then the disagreements kept in the trail
// (the API against a final state, a callback the API did not confirm) as
// warnings on the record.
func (m *Model) stateNotes(r store.Record, field func(key, v string)) {
	t := m.c.T
	switch r.State {
	case store.StateUnknown:
		field("warning", t.T("history.detail.unknown"))
	case store.StateReported:
		field("warning", t.T("history.detail.reported"))
	case store.StateNotFound:
		field("note", t.T("history.detail.not_found"))
	case store.StateMerged:
		field("note", t.T("history.detail.merged"))
	}
	// One next step for a record that can still change: ask the API (r)
	// when it has a reference, else attach one (a).
	switch {
	case r.State.Final():
	case r.TransactionRef != "":
		field("note", t.T("history.detail.open"))
	case canAttach(r):
		field("note", t.T("history.detail.noref_step", r.AppRef))
	}
	for _, e := range r.Events {
		if e.Kind == store.EvWarning {
			field("warning", e.Detail)
		}
	}
}

// detailView lists every field of the record, then its event trail.
func (m *Model) detailView(r store.Record) string {
	t := m.c.T
	st := m.c.Styles
	const labelW = 20
	valW := max(10, m.width-labelW-1)
	wrap := lipgloss.NewStyle().Width(valW)
	var b strings.Builder
	if m.flash == r.ID && r.TransactionRef == "" {
		// r was pressed on a record without a reference: why nothing was
		// asked, and the one thing to do, first.
		b.WriteString(st.Warning.Render(lipgloss.NewStyle().Width(max(10, m.width)).Render(
			safe.Text(t.T("history.detail.noref_flash", r.ID, r.AppRef)))) + "\n\n")
	}
	field := func(key, v string) {
		if v == "" {
			return
		}
		label := st.Label.Render(fit(t.T("history.field."+key), labelW, false))
		b.WriteString(lipgloss.JoinHorizontal(lipgloss.Top, label, " ", wrap.Render(safe.Line(v))))
		b.WriteByte('\n')
	}
	for _, f := range common.RecordFields(t, r) {
		v := f.Value
		switch {
		case f.Code != "":
			v += " (" + f.Code + ")"
		case f.Key == "batch":
			v = t.T("batch.history.field", safe.Line(r.Batch), r.BatchLine) // with the console's key
		}
		field(f.Key, v)
		if f.Key == "state" {
			m.stateNotes(r, field)
		}
	}
	b.WriteByte('\n')
	b.WriteString(st.Title.Render(t.T("history.detail.events", len(r.Events))))
	b.WriteByte('\n')
	for _, e := range r.Events {
		line := e.At.Local().Format("2006-01-02 15:04:05") + "  " + fit(e.Kind, 12, false)
		if e.Detail != "" {
			line += " " + safe.Line(e.Detail)
		}
		b.WriteString(lipgloss.NewStyle().Width(m.width).Render(line))
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}
