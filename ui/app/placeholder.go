package app

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/common"
)

// placeholder stands in for a pay screen until ui/pay provides it.
type placeholder struct {
	c    *common.Common
	name string
	w, h int
}

func newPayScreen(c *common.Common, t Tab) common.Component {
	return &placeholder{c: c, name: t.key()}
}

func (p *placeholder) Init() tea.Cmd                       { return nil }
func (p *placeholder) Update(tea.Msg) (tea.Model, tea.Cmd) { return p, nil }
func (p *placeholder) SetSize(w, h int)                    { p.w, p.h = w, h }
func (p *placeholder) ShortHelp() []key.Binding            { return nil }
func (p *placeholder) FullHelp() [][]key.Binding           { return nil }
func (p *placeholder) View() string {
	return p.c.Styles.Muted.Render(" " + p.c.T.T(p.name) + " — " + p.c.T.T("app.placeholder"))
}
