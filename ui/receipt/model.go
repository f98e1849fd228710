// Package receipt is the receipt screen: one customer's receipt over the
// active screen, with its actions (p print, s save, c copy by OSC 52). The
// receipt's text, printing and saving are ui/receipt/receipttext's (no
// Bubble Tea), shared with `coolpay receipt REF`.
package receipt

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/receipt/receipttext"
)

// ShowMsg asks the console to show the receipt of a record (History's "p",
// a result screen's "p"); the root opens a Model over the active screen.
type ShowMsg struct{ Record store.Record }

// Show is a command that sends ShowMsg.
func Show(r store.Record) tea.Cmd { return func() tea.Msg { return ShowMsg{Record: r} } }

// CloseMsg is sent when the receipt is closed (esc).
type CloseMsg struct{}

// ErrNoPrinter is receipttext.ErrNoPrinter: neither lp nor lpr is
// installed (a PrintedMsg's Err).
var ErrNoPrinter = receipttext.ErrNoPrinter

// Options for the receipt view.
type Options struct {
	// Clipboard is where OSC 52 sequences go (the terminal: os.Stderr in
	// the console, which Bubble Tea does not draw on). Nil: os.Stderr.
	Clipboard io.Writer
	// Dir is the folder receipts are saved in; "" is receipttext.DefaultDir.
	Dir string
	// Print prints text; nil is receipttext.Print (lp or lpr).
	Print func(ctx context.Context, text string) error
}

// Model shows one receipt with its actions: p print, s save, c copy.
type Model struct {
	c    *common.Common
	opts Options
	rec  store.Record
	info receipttext.Info
	text string

	view   viewport.Model
	busy   bool // a print or save is under way
	copyID int

	keys struct{ Print, Save, Copy, Close key.Binding }
}

type merchantMsg struct{ name string }

// PrintedMsg answers a print. It reaches the root even when the receipt
// was closed meanwhile: Outcome turns it into the status line's result.
type PrintedMsg struct {
	Err  error
	from *Model // the receipt that asked; its busy flag ends here
}

// SavedMsg answers a save (see PrintedMsg).
type SavedMsg struct {
	Path string
	Err  error
	from *Model
}

// Outcome is the status line that ends a print or a save: every "…"
// line the receipt puts up is replaced by its result, whether or not the
// receipt is still open when the answer comes. nil for other messages.
func Outcome(t *i18n.Translator, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case PrintedMsg:
		switch {
		case errors.Is(msg.Err, ErrNoPrinter):
			return status(common.StatusWarn, t.T("receipt.print.none"))
		case msg.Err != nil:
			return status(common.StatusError, t.T("receipt.print.failed", msg.Err))
		}
		return status(common.StatusOK, t.T("receipt.print.done"))
	case SavedMsg:
		if msg.Err != nil {
			return status(common.StatusError, t.T("receipt.save.failed", msg.Err))
		}
		return status(common.StatusOK, t.T("receipt.save.done", msg.Path))
	}
	return nil
}

// New opens the receipt of r; the command reads the shop's name.
func New(c *common.Common, r store.Record, opts Options) (*Model, tea.Cmd) {
	if opts.Clipboard == nil {
		opts.Clipboard = os.Stderr
	}
	if opts.Print == nil {
		opts.Print = receipttext.Print
	}
	m := &Model{c: c, opts: opts, rec: r, view: viewport.New(receipttext.Width+4, 10)}
	m.relabel()
	m.render()
	db := c.Store
	return m, func() tea.Msg {
		if db == nil {
			return merchantMsg{}
		}
		v, _, _ := db.Setting(common.SettingMerchantName)
		return merchantMsg{name: v}
	}
}

func (m *Model) relabel() {
	t := m.c.T
	m.keys.Print = key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.T("receipt.help.print")))
	m.keys.Save = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("receipt.help.save")))
	m.keys.Copy = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", t.T("receipt.help.copy")))
	m.keys.Close = key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp(common.KeyName(t, "esc"), t.T("receipt.help.close")))
}

func (m *Model) render() {
	m.text = receipttext.Text(m.c.T, m.rec, m.info)
	m.view.SetContent(m.text)
}

// Text is the receipt as shown, printed, saved and copied.
func (m *Model) Text() string { return m.text }

// SetSize fits the view to the content area.
func (m *Model) SetSize(w, h int) {
	m.view.Width = min(w, receipttext.Width+4)
	m.view.Height = max(1, h)
}

func status(kind common.StatusKind, text string) tea.Cmd {
	return func() tea.Msg { return common.StatusMsg{Kind: kind, Text: text} }
}

// Update handles keys and the answers of the receipt's own commands.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	t := m.c.T
	switch msg := msg.(type) {
	case merchantMsg:
		m.info.Merchant = msg.name
		m.render()
	case common.LangChangedMsg:
		m.relabel()
		m.render()
	case common.RecordUpdatedMsg:
		if msg.Record.ID == m.rec.ID {
			m.rec = msg.Record // the state moved on while the receipt is open
			m.render()
		}
	case PrintedMsg:
		if msg.from == m {
			m.busy = false
		}
		return Outcome(t, msg)
	case SavedMsg:
		if msg.from == m {
			m.busy = false
		}
		return Outcome(t, msg)
	case components.CopiedMsg:
		if msg.ID != m.copyID {
			return nil
		}
		if msg.Err != nil {
			return status(common.StatusError, t.T("receipt.copy.failed", msg.Err))
		}
		return status(common.StatusOK, t.T("receipt.copy.done"))
	case tea.KeyMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	t := m.c.T
	switch {
	case key.Matches(msg, m.keys.Close):
		return func() tea.Msg { return CloseMsg{} }
	case key.Matches(msg, m.keys.Print):
		if m.busy {
			return status(common.StatusWarn, t.T("receipt.busy"))
		}
		m.busy = true
		ctx, text, print := m.ctx(), m.text, m.opts.Print
		// In sequence: the "…" line is up before the work starts, so an
		// answer that comes at once (no printer) cannot be overwritten by it.
		return tea.Sequence(status(common.StatusBusy, t.T("receipt.print.busy")),
			func() tea.Msg { return PrintedMsg{Err: print(ctx, text), from: m} })
	case key.Matches(msg, m.keys.Save):
		if m.busy {
			return status(common.StatusWarn, t.T("receipt.busy"))
		}
		m.busy = true
		dir, rec, text := m.opts.Dir, m.rec, m.text
		return func() tea.Msg {
			if dir == "" {
				dir = receipttext.DefaultDir(nil)
			}
			p, err := receipttext.Save(dir, rec, text)
			return SavedMsg{Path: p, Err: err, from: m}
		}
	case key.Matches(msg, m.keys.Copy):
		m.copyID++
		return components.CopyCmd(m.opts.Clipboard, m.text, os.Getenv("TMUX") != "", m.copyID)
	case key.Matches(msg, m.c.Keys.Up):
		m.view.ScrollUp(1)
	case key.Matches(msg, m.c.Keys.Down):
		m.view.ScrollDown(1)
	}
	return nil
}

func (m *Model) ctx() context.Context {
	if m.c.Ctx != nil {
		return m.c.Ctx
	}
	return context.Background()
}

// View is the receipt (it carries its own title), scrolled with ↑/↓ when
// the window is shorter than it.
func (m *Model) View() string { return indent(m.view.View(), "  ") }

func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

// ShortHelp is the receipt's keys.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Close, m.keys.Print, m.keys.Save, m.keys.Copy}
}

// FullHelp is the receipt's keys.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
