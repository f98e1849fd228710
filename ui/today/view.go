package today

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/report"
	"github.com/coolpay/coolpay/ui/safe"
)

// View implements tea.Model. From the top: the day, the day's total, the
// "by …" selector and its table, then the chart, which takes what height
// is left (at least two lines).
func (m *Model) View() string {
	st, t := m.c.Styles, m.c.T
	var lines []string
	title := common.LongDate(t, m.day)
	switch today := report.DayOf(m.opts.Now()); {
	case m.day.Equal(today):
		title = t.T("today.title") + " · " + title
	case m.day.Equal(today.AddDate(0, 0, -1)):
		title = t.T("today.yesterday") + " · " + title
	}
	head := st.Title.Render(" "+title) + "  " + st.Muted.Render("←/→")
	if m.loading {
		head += "  " + st.Muted.Render(t.T("today.loading"))
	}
	lines = append(lines, head)
	if m.typing {
		lines = append(lines, " "+m.date.View())
		if m.dateErr != "" {
			lines = append(lines, " "+st.Error.Render("✘ "+m.dateErr))
		}
	}
	switch {
	case m.loadErr != nil:
		lines = append(lines, "", " "+st.Error.Render("✘ "+ansi.Strip(t.T("today.error", m.loadErr))))
		return m.fit(lines)
	case !m.loaded:
		return m.fit(lines)
	case m.rep.Count == 0:
		lines = append(lines, "", " "+st.Muted.Render(t.T("today.empty")))
		return m.fit(lines)
	}
	for _, s := range m.rep.Sum() {
		lines = append(lines, " "+st.Header.Render(t.T("today.total.short", s.Count, common.ReportAmount(t, s.Amount),
			common.ReportAmount(t, s.Fees), common.ReportAmount(t, s.Net))))
	}
	if n := m.rep.FeesUnknown; n > 0 { // fees and net leave them out: say so, never count zero
		lines = append(lines, " "+st.Warning.Render(t.T("today.fees_unknown.short", n)))
	}
	lines = append(lines, "", m.selector())
	table := m.table()
	// The chart needs a title, its bars (≥ 2) and the hour axis.
	room := m.height - len(lines) - 1 - 3
	if len(table) > room && room > 1 {
		table = append(table[:room-1], " "+st.Muted.Render("…"))
	}
	lines = append(lines, table...)
	lines = append(lines, "")
	lines = append(lines, m.chart(max(2, min(6, m.height-len(lines)-2)))...)
	return m.fit(lines)
}

// fit cuts every line to the width (the root also cuts the height).
func (m *Model) fit(lines []string) string {
	for i, l := range lines {
		if m.width > 0 && lipgloss.Width(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// selector shows the four views, the one on screen in brackets (visible
// without colour).
func (m *Model) selector() string {
	st, t := m.c.Styles, m.c.T
	names := []string{"today.view.type", "today.view.state", "today.view.operator", "today.view.cashier"}
	var b strings.Builder
	b.WriteString(" ")
	for i, n := range names {
		if report.Dimension(i) == m.view {
			b.WriteString(st.FocusedLabel.Render("[" + t.T(n) + "]"))
		} else {
			b.WriteString(st.Muted.Render(" " + t.T(n) + " "))
		}
		b.WriteString(" ")
	}
	return b.String()
}

// table is the "by …" table: count, amount, fees, net, amounts grouped.
// Cashier names come from the ledger: they are made inert.
func (m *Model) table() []string {
	st, t := m.c.Styles, m.c.T
	rows := [][]string{{common.ReportDimension(t, m.view), t.T("today.col.count"), t.T("today.col.amount"),
		t.T("today.col.fees"), t.T("today.col.net")}}
	for _, tot := range m.rep.Totals(m.view) {
		rows = append(rows, []string{safe.Line(common.ReportKey(t, m.view, tot.Key)), strconv.Itoa(tot.Count),
			common.ReportAmount(t, tot.Amount), common.ReportAmount(t, tot.Fees),
			common.ReportAmount(t, tot.Net)})
	}
	w := make([]int, 5)
	for _, r := range rows {
		for i, c := range r {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	w[0] = min(w[0], 22)
	out := make([]string, 0, len(rows))
	for n, r := range rows {
		var b strings.Builder
		b.WriteString(" ")
		first := r[0]
		if utf8.RuneCountInString(first) > w[0] {
			first = string([]rune(first)[:w[0]-1]) + "…"
		}
		b.WriteString(first + strings.Repeat(" ", w[0]-utf8.RuneCountInString(first)))
		for i := 1; i < len(r); i++ {
			b.WriteString("  " + strings.Repeat(" ", w[i]-utf8.RuneCountInString(r[i])) + r[i])
		}
		line := b.String()
		if n == 0 {
			line = st.Label.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// bars are the eighths of a cell, from empty to full.
var bars = []rune(" ▁▂▃▄▅▆▇█")

// chart draws the money received per hour as 24 columns of block
// characters, h lines high, three cells per hour, with an hour axis under
// it and the largest hour's amount in its title.
func (m *Model) chart(h int) []string {
	st, t := m.c.Styles, m.c.T
	top := money.XAFOf(0)
	for _, a := range m.rep.Hours {
		if a.Minor > top.Minor {
			top = a
		}
	}
	title := " " + st.Label.Render(t.T("today.chart"))
	if top.IsZero() {
		return []string{title, " " + st.Muted.Render(t.T("today.chart.none"))}
	}
	title += st.Muted.Render("  " + t.T("today.max", common.ReportAmount(t, top)))
	// Three cells an hour (a bar and a gap) where they fit, else two,
	// else one: 24 columns still fit a 40-column window.
	cell := 3
	switch {
	case m.width > 0 && m.width < 24*1+2+24:
		cell = 1
	case m.width > 0 && m.width < 24*3+2:
		cell = 2
	}
	lines := []string{title}
	for row := h - 1; row >= 0; row-- {
		var b strings.Builder
		b.WriteString(" ")
		for _, a := range m.rep.Hours {
			// Eighths of the chart's height this hour reaches; any
			// money at all shows at least one eighth.
			e := int(a.Minor * int64(h*8) / top.Minor)
			if a.Minor > 0 && e == 0 {
				e = 1
			}
			fill := min(8, max(0, e-row*8))
			if cell == 1 {
				b.WriteRune(bars[fill])
			} else {
				b.WriteString(strings.Repeat(string(bars[fill]), cell-1) + " ")
			}
		}
		lines = append(lines, st.Success.Render(strings.TrimRight(b.String(), " ")))
	}
	var axis strings.Builder
	axis.WriteString(" ")
	step := 3
	if cell == 1 {
		step = 6
	}
	for hr := 0; hr < 24; hr += step {
		label := strconv.Itoa(hr) + "h"
		axis.WriteString(label + strings.Repeat(" ", max(1, step*cell-len(label))))
	}
	lines = append(lines, st.Muted.Render(strings.TrimRight(axis.String(), " ")))
	return lines
}
