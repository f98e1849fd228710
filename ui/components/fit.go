package components

import (
	"sort"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// Small windows (40×12 leaves 8 lines for a screen) must never hide what
// money is about to move, or has moved: who and how much. The helpers here
// keep those lines in sight and let the rest scroll, or go.

// Pin lays out a view of at most h lines: head (who and how much) always
// whole at the top, then body from line off on. When the body does not
// fit, its last visible line says that ↑/↓ shows the rest. It returns the
// view and the offset used (off clamped to what the body has), so a
// screen can keep it. h <= 0 (size not known yet) shows everything.
func Pin(t *i18n.Translator, st *common.Styles, head, body string, h, off int) (string, int) {
	var hl []string
	if head != "" {
		hl = strings.Split(head, "\n")
	}
	bl := strings.Split(body, "\n")
	if h <= 0 || len(hl)+len(bl) <= h {
		return strings.Join(append(hl, bl...), "\n"), 0
	}
	room := h - len(hl)
	if room < 2 {
		// The head itself is all there is room for.
		return strings.Join(hl[:min(len(hl), h)], "\n"), 0
	}
	// room-1 body lines and one line for the marker.
	maxOff := len(bl) - (room - 1)
	off = max(0, min(off, maxOff))
	shown := bl[off : off+room-1]
	mark := t.T("fit.more_below")
	switch {
	case off > 0 && off < maxOff:
		mark = t.T("fit.more_both")
	case off > 0:
		mark = t.T("fit.more_above")
	}
	return strings.Join(append(append(hl, shown...), st.Muted.Render(mark)), "\n"), off
}

// ScrollKey moves a Pin offset for ↑/↓/pgup/pgdn; ok is false for other keys.
func ScrollKey(keys *common.KeyMap, msg tea.KeyMsg, off, page int) (int, bool) {
	page = max(1, page)
	switch {
	case key.Matches(msg, keys.Up):
		return max(0, off-1), true
	case key.Matches(msg, keys.Down):
		return off + 1, true
	case key.Matches(msg, keys.PageUp):
		return max(0, off-page), true
	case key.Matches(msg, keys.PageDown):
		return off + page, true
	}
	return off, false
}

// FitRow is a confirmation row with how much it matters in a small
// window: Prio 0 rows (recipient, operator, amount) are always shown or the
// confirmation is refused; higher numbers go first when room is short.
type FitRow struct {
	Row
	Prio int
}

// ConfirmFit is ConfirmView for a window of h lines. When the boxed view
// does not fit, it lays the rows out without the box, drops the rows with
// the highest Prio first, and uses shortPrompt. ok is false when even the
// Prio 0 rows and the input do not fit: the view then says to enlarge the
// window, and the caller must not accept a confirmation.
func ConfirmFit(st *common.Styles, t *i18n.Translator, width, h int, title string, rows []FitRow, prompt, shortPrompt, input, errLine string) (string, bool) {
	plain := make([]Row, len(rows))
	for i, r := range rows {
		plain[i] = r.Row
	}
	full := ConfirmView(st, width, title, plain, prompt, input, errLine)
	if h <= 0 || lipgloss.Height(full) <= h {
		return full, true
	}
	lw := 0
	for _, r := range rows {
		lw = max(lw, lipgloss.Width(r.Label))
	}
	lw = min(lw, max(6, width/3))
	valW := max(8, width-lw-1)
	render := func(r Row) string {
		v := r.Value
		if r.Strong {
			v = st.Code.Render(v)
		}
		return lipgloss.JoinHorizontal(lipgloss.Top, st.Label.Render(padRight(truncate(r.Label, lw), lw)), " ",
			lipgloss.NewStyle().Width(valW).Render(v))
	}
	var tail []string
	if shortPrompt != "" {
		tail = append(tail, wrap(shortPrompt, width))
	}
	if input != "" {
		tail = append(tail, input)
	}
	if errLine != "" {
		tail = append(tail, st.Error.Render(wrap("✘ "+errLine, width)))
	}
	tailH := lipgloss.Height(strings.Join(tail, "\n"))
	heights := make([]int, len(rows))
	used := tailH
	for i, r := range rows {
		heights[i] = lipgloss.Height(render(r.Row))
		if r.Prio == 0 {
			used += heights[i]
		}
	}
	if used > h {
		return st.Warning.Render(wrap(t.T("fit.too_small"), width)), false
	}
	// Add the other rows, most needed first, while they fit.
	keep := make([]bool, len(rows))
	order := make([]int, 0, len(rows))
	for i, r := range rows {
		if r.Prio == 0 {
			keep[i] = true
		} else {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rows[order[a]].Prio < rows[order[b]].Prio })
	dropped := 0
	for _, i := range order {
		if used+heights[i] <= h {
			keep[i], used = true, used+heights[i]
		} else {
			dropped++
		}
	}
	var lines []string
	if used < h {
		lines = append(lines, st.Title.Render(truncate(title, width)))
		used++
	}
	for i, r := range rows {
		if keep[i] {
			lines = append(lines, render(r.Row))
		}
	}
	if dropped > 0 && used < h {
		lines = append(lines, st.Muted.Render(truncate(t.T("fit.rows_hidden", dropped), width)))
	}
	return strings.Join(append(lines, tail...), "\n"), true
}

// BannerFit is Banner for a small window: without the padding inside the
// border (four lines and eight columns saved) when the full banner would
// take more than h lines.
func BannerFit(st *common.Styles, o Outcome, width, h int, headline string, lines ...string) string {
	b := Banner(st, o, width, headline, lines...)
	if h <= 0 || lipgloss.Height(b) <= h {
		return b
	}
	c := *st
	for _, s := range []*lipgloss.Style{&c.BigSuccess, &c.BigFailure, &c.BigPending, &c.BigUnknown} {
		*s = s.Padding(0, 1)
	}
	return Banner(&c, o, width, headline, lines...)
}
