package app

import (
	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/receipt"
)

// The cashier's desk at the root: a receipt shown over the active screen
// (receipt.ShowMsg from History or a result screen), and "pay again"
// (common.PayAgainMsg) routed to the right form's tab.

// onDesk handles the desk's messages; ok says msg was one.
func (m *Model) onDesk(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case receipt.ShowMsg:
		m.receipt, cmd = receipt.New(m.c, msg.Record, receipt.Options{})
		m.receipt.SetSize(m.width, m.contentH)
		return tea.Batch(cmd, m.layout()), true
	case receipt.CloseMsg:
		m.receipt = nil
		return m.layout(), true
	case receipt.PrintedMsg, receipt.SavedMsg:
		if m.receipt == nil {
			// Closed before the answer came: the status line still gets
			// the result in place of "Sending the receipt to the printer…".
			return receipt.Outcome(m.c.T, msg), true
		}
		return nil, false
	case common.PayAgainMsg:
		return m.payAgain(msg), true
	}
	return nil, false
}

// tabFor is the form that makes a transaction of type ty.
func tabFor(ty store.Type) Tab {
	switch ty {
	case store.TypePayin:
		return TabPayin
	case store.TypePaylink:
		return TabPaylink
	case store.TypePayout:
		return TabPayout
	}
	return 0
}

func (m *Model) payAgain(msg common.PayAgainMsg) tea.Cmd {
	want := tabFor(msg.Record.Type)
	for i, t := range m.tabs {
		if t == want && want != 0 {
			cmd := m.switchTo(i)
			s, c := m.screens[t].Update(msg)
			m.screens[t] = s.(common.Component)
			return tea.Batch(cmd, c)
		}
	}
	m.setStatus(common.StatusWarn, m.c.T.T("desk.again.notab"))
	return nil
}

// screenKeys is the help of what has the keys: the receipt when one is
// open, else the active screen.
func (m *Model) screenKeys() help.KeyMap {
	if m.receipt != nil {
		return m.receipt
	}
	return m.activeScreen()
}
