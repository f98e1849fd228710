package app

import (
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/settings"
)

// BootOptions is what the console knows before its ledger answers: enough
// to draw its frame in the right language and colours.
type BootOptions struct {
	Lang    i18n.Lang
	Theme   string // this desk's theme setting ("" or auto: the terminal's)
	Sandbox bool
	// Ledger is where the ledger is, as shown (a redacted URL).
	Ledger string
	// Start opens the ledger and builds the console; it runs in a command,
	// off the event loop, while the frame is on screen.
	Start func() (tea.Model, error)
}

// Boot is the console while its ledger opens: a PostgreSQL ledger takes a
// connection (TCP, TLS, password exchange) and a schema check, tens of
// milliseconds on loopback and more across a shop's network, before which
// the console has nothing to show. Boot shows the console's frame at once
// (header, tab bar, "Opening the ledger …"), keeps the keys typed meanwhile,
// then hands over to the model Start built, with the window size and those
// keys. If Start fails the program ends and Err says why; ctrl+c ends it
// too (Err nil, Aborted true).
type Boot struct {
	o       BootOptions
	t       *i18n.Translator
	st      *common.Styles
	size    *tea.WindowSizeMsg
	typed   []tea.KeyMsg
	err     error
	aborted bool
	dots    int
}

type bootDoneMsg struct {
	m   tea.Model
	err error
}

type bootTickMsg struct{}

// NewBoot returns the boot model for o. Call it before the program
// starts: it asks the terminal for its background now, before Bubble Tea
// reads the input (lipgloss keeps the answer for the console's styles).
func NewBoot(o BootOptions) *Boot {
	dark := settings.ThemeDark(o.Theme, lipgloss.HasDarkBackground())
	return &Boot{o: o, t: i18n.New(o.Lang), st: common.NewStyles(nil, dark)}
}

// Err is why the console could not start (nil while it runs or once it
// did).
func (b *Boot) Err() error { return b.err }

// Aborted says the person left (ctrl+c) before the console started.
func (b *Boot) Aborted() bool { return b.aborted }

// Init implements tea.Model.
func (b *Boot) Init() tea.Cmd {
	start := b.o.Start
	return tea.Batch(func() tea.Msg {
		m, err := start()
		return bootDoneMsg{m, err}
	}, bootTick())
}

func bootTick() tea.Cmd {
	return tea.Tick(300*time.Millisecond, func(time.Time) tea.Msg { return bootTickMsg{} })
}

// Update implements tea.Model.
func (b *Boot) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		b.size = &msg
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			b.aborted = true
			return b, tea.Quit
		}
		// Typed ahead: the console gets them once it is there, as it
		// would from the terminal's own buffer.
		if len(b.typed) < 256 {
			b.typed = append(b.typed, msg)
		}
	case bootTickMsg:
		b.dots = (b.dots + 1) % 4
		return b, bootTick()
	case bootDoneMsg:
		if msg.err != nil {
			b.err = msg.err
			return b, tea.Quit
		}
		m := msg.m
		cmds := []tea.Cmd{m.Init()}
		if b.size != nil {
			var c tea.Cmd
			m, c = m.Update(*b.size)
			cmds = append(cmds, c)
		}
		for _, k := range b.typed {
			var c tea.Cmd
			m, c = m.Update(k)
			cmds = append(cmds, c)
		}
		return m, tea.Batch(cmds...)
	}
	return b, nil
}

// View implements tea.Model: the console's header and tab bar, and one
// line saying which ledger it is opening.
func (b *Boot) View() string {
	if b.size == nil || b.size.Width <= 0 || b.size.Height <= 0 {
		return ""
	}
	w, h := b.size.Width, b.size.Height
	st := b.st
	header := spread(titleBadge(st, b.t, b.o.Sandbox), st.Label.Render(b.t.T("app.balance")+" ")+st.Muted.Render("…"), w)
	tabs := tabBar(st, b.t, AllTabs, -1, w)
	body := st.Muted.Render(b.t.T("app.boot.opening", safe.Line(b.o.Ledger)) + strings.Repeat(".", b.dots))
	lines := []string{
		header,
		tabs,
		"",
		ansi.Truncate(body, w, "…"),
	}
	help := st.Muted.Render(b.t.T("app.boot.help"))
	return fitHeight(strings.Join(lines, "\n"), w, h-1) + "\n" + ansi.Truncate(help, w, "…")
}
