package app

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// headerHeight is the header line plus the tab bar.
const headerHeight = 2

// View implements tea.Model: header, tab bar, the active screen at exactly
// the content height, the status line and the help bar.
func (m Model) View() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	var content string
	switch {
	case m.keyPrompt != nil:
		content = m.keyPromptView()
	case m.setup != nil:
		content = m.setup.View()
	case m.receipt != nil:
		content = m.receipt.View()
	default:
		content = m.activeScreen().View()
	}
	parts := []string{
		m.headerView(),
		m.tabsView(),
		fitHeight(content, m.width, m.contentH),
		m.statusView(),
		m.helpView(),
	}
	return strings.Join(parts, "\n")
}

// fitHeight cuts or pads s to exactly h lines no wider than w, so the
// footer never moves whatever a screen renders.
func fitHeight(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func (m Model) headerView() string {
	st := m.c.Styles
	t := m.c.T
	left := titleBadge(st, t, m.onSandbox())
	if l := m.opts.Listener; l != nil {
		// The callback receiver inside the console: a word as well as a
		// symbol, so its state reads without colour.
		if l.Err == "" {
			left += " " + st.Muted.Render(t.T("app.listener.on", l.Addr))
		} else {
			left += " " + st.Warning.Render(t.T("app.listener.off"))
		}
	}
	switch {
	case m.pendingWrites > 0:
		left += " " + st.Warning.Render(t.T("app.ledger.pending", m.pendingWrites))
	case m.ledgerDown:
		left += " " + st.Warning.Render(t.T("app.ledger.down"))
	}
	right := st.Label.Render(t.T("app.balance")+" ") + m.balanceText()
	return spread(left, right, m.width)
}

// titleBadge is the header's start: the name, and SANDBOX or LIVE.
func titleBadge(st *common.Styles, t *i18n.Translator, sandbox bool) string {
	if sandbox {
		return st.Title.Render("coolpay") + " " + st.SandboxBadge.Render(t.T("app.badge.sandbox"))
	}
	return st.Title.Render("coolpay") + " " + st.LiveBadge.Render(t.T("app.badge.live"))
}

// spread puts left and right at the two ends of a line w wide (cut when
// they do not fit).
func spread(left, right string, w int) string {
	gapW := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gapW < 1 {
		return ansi.Truncate(left+" "+right, w, "…")
	}
	return left + strings.Repeat(" ", gapW) + right
}

// balanceText: the amount, "…" while asking, "—" when unknown, "offline"
// without an API.
func (m Model) balanceText() string {
	st := m.c.Styles
	t := m.c.T
	switch {
	case !m.c.Svc.Online():
		return st.Warning.Render(t.T("app.offline"))
	case m.balance != "":
		s := st.Header.Render(common.Amount(t, m.balance, "XAF"))
		if m.balLoad {
			s += st.Muted.Render(" …")
		}
		return s
	case m.balLoad:
		return st.Muted.Render("…")
	}
	return st.Muted.Render("—")
}

func (m Model) tabsView() string {
	if m.setup != nil {
		return m.c.Styles.Title.Render(" " + m.c.T.T("setup.title"))
	}
	return tabBar(m.c.Styles, m.c.T, m.tabs, m.active, m.width)
}

// tabBar is the tab bar w wide, the active tab marked (none when active
// is out of range, as while the ledger opens).
func tabBar(st *common.Styles, tr *i18n.Translator, tabs []Tab, active, w int) string {
	render := func(tab lipgloss.Style, sep string) string {
		var b strings.Builder
		for i, t := range tabs {
			name := tr.T(t.key())
			if i > 0 {
				b.WriteString(sep)
			}
			if i == active {
				// Brackets as well as the style: the active tab is visible
				// without colour (NO_COLOR, monochrome terminals).
				b.WriteString(st.ActiveTab.Padding(0).Render("[" + name + "]"))
			} else {
				b.WriteString(tab.Render(name))
			}
		}
		return b.String()
	}
	bar := render(st.Tab, "")
	if lipgloss.Width(bar) > w {
		// Six tabs in French pass 80 columns with padding: tighter
		// spacing keeps every tab's name on screen.
		bar = render(st.Tab.Padding(0), " ")
	}
	return ansi.Truncate(bar, w, "…")
}

func (m Model) statusView() string {
	st := m.c.Styles
	if m.confirmQuit {
		q := m.c.T.T("app.quit.busy")
		sending, n := m.sending(), len(m.follows)
		switch {
		case m.c.Svc.PendingWrites() > 0:
			// Answers kept while the ledger is unreachable die with
			// the process (ui/core pending.go).
			q = m.c.T.T("app.quit.pending", m.c.Svc.PendingWrites())
		case sending > 0 && n > 0:
			q = m.c.T.T("app.quit.sending_follow", sending, n)
		case sending > 0:
			q = m.c.T.T("app.quit.sending", sending)
		case n > 0:
			q = m.c.T.T("app.quit.follow", n)
		}
		return st.StatusWarn.Bold(true).Render(ansi.Truncate("! "+q, m.width, "…"))
	}
	if m.status == "" {
		return ""
	}
	var style = st.StatusInfo
	sym := "·"
	switch m.statusKind {
	case common.StatusOK:
		style, sym = st.StatusOK, "✔"
	case common.StatusWarn:
		style, sym = st.StatusWarn, "!"
	case common.StatusError:
		style, sym = st.StatusError, "✘"
	case common.StatusBusy:
		style, sym = st.StatusInfo, "…"
	}
	// The status often quotes the server (an error's message): shown, not obeyed.
	return style.Render(ansi.Truncate(sym+" "+safe.Line(m.status), m.width, "…"))
}
