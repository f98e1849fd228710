package pay

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/ui/common"
)

// frame stands in for the root: one header line, the screen, and the help
// line, in the whole window, so a golden file shows what fits in 80×24.
type frame struct {
	screen common.Component
	help   help.Model
	w, h   int
}

const frameChrome = 4 // header, blank, blank, help

func (f *frame) Init() tea.Cmd { return f.screen.Init() }

func (f *frame) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		f.w, f.h = msg.Width, msg.Height
		f.help.Width = msg.Width
		f.screen.SetSize(msg.Width, msg.Height-frameChrome)
		return f, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlC {
			return f, tea.Quit
		}
	}
	_, cmd := f.screen.Update(msg)
	return f, cmd
}

func (f *frame) View() string {
	body := lipgloss.NewStyle().Height(f.h - frameChrome).MaxHeight(f.h - frameChrome).Render(f.screen.View())
	return "coolpay · SANDBOX\n\n" + body + "\n\n" + f.help.View(f.screen)
}

func golden(t *testing.T, screen common.Component, keys func(tm *teatest.TestModel), waitFor string) {
	t.Helper()
	tm := teatest.NewTestModel(t, &frame{screen: screen, help: help.New()}, teatest.WithInitialTermSize(80, 24))
	keys(tm)
	if waitFor != "" {
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(waitFor)) },
			teatest.WithDuration(5*time.Second))
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	lines := strings.Split(view, "\n")
	if len(lines) > 24 {
		t.Errorf("view is %d lines, more than 24", len(lines))
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > 80 {
			t.Errorf("line %d is %d wide: %q", i, w, l)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}

func typeKeys(tm *teatest.TestModel, keys ...any) {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			tm.Type(k)
		case tea.KeyType:
			tm.Send(tea.KeyMsg{Type: k})
		}
	}
}

func TestGoldenPayinForm(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	p := NewPayin(newCommon(offlineSvc()))
	golden(t, p, func(tm *teatest.TestModel) {
		typeKeys(tm, "1 500", tea.KeyTab, "690 00 00 01", tea.KeyTab, "Awa Ndiaye",
			tea.KeyTab, "awa@example", tea.KeyCtrlS)
	}, "")
	if p.state != payinForm {
		t.Error("bad e-mail was sent")
	}
}

func TestGoldenPayoutConfirmation(t *testing.T) {
	lipgloss.SetColorProfile(termenv.Ascii)
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	golden(t, p, func(tm *teatest.TestModel) {
		typeKeys(tm, tea.KeyRight, tea.KeyRight, tea.KeyTab, "690000000", tea.KeyTab, "25 000",
			tea.KeyTab, "Salary May", tea.KeyTab, "Jean Mbarga", tea.KeyEnter, "2500", tea.KeyEnter)
	}, "974 500 XAF")
	if p.state != payoutConfirm {
		t.Errorf("state %d: a mismatched amount left the confirmation", p.state)
	}
}
