package components

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/ui/common"
)

// Row is one line of a confirmation summary.
type Row struct {
	Label, Value string
	Strong       bool // the amount: what must be read before money leaves
}

// ConfirmView draws a summary box (label: value rows) followed by a prompt
// line and, when given, the input where the confirmation is typed and its error.
func ConfirmView(st *common.Styles, width int, title string, rows []Row, prompt, input, errLine string) string {
	lw := 0
	for _, r := range rows {
		if w := lipgloss.Width(r.Label); w > lw {
			lw = w
		}
	}
	var b strings.Builder
	for i, r := range rows {
		v := r.Value
		if r.Strong {
			v = st.Code.Render(v)
		}
		b.WriteString(st.Label.Render(padRight(r.Label, lw)) + "  " + v)
		if i < len(rows)-1 {
			b.WriteString("\n")
		}
	}
	box := st.Box
	if width > 4 {
		box = box.Width(width - 2)
	}
	out := st.Title.Render(title) + "\n" + box.Render(b.String())
	if prompt != "" {
		out += "\n" + wrap(prompt, width)
	}
	if input != "" {
		out += "\n" + input
	}
	if errLine != "" {
		out += "\n" + st.Error.Render("✘ "+errLine)
	}
	return out
}

func padRight(s string, w int) string {
	if d := w - lipgloss.Width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}
