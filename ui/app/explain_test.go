package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/i18n"
)

// lastLine is the help bar.
func lastLine(v string) string {
	lines := strings.Split(v, "\n")
	return lines[len(lines)-1]
}

// The way to change screens and to open the help are on the help bar of
// every screen at 80×24, in both languages, whatever the screen lists.
func TestHelpBarAlwaysShowsScreensAndHelpAt80x24(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c := offline(openDB(t))
		c.T = i18n.New(lang)
		h := newHarness(t, c, Options{Start: TabPaylink})
		screens := map[i18n.Lang]string{i18n.EN: "ctrl+←/→ screens", i18n.FR: "ctrl+←/→ écrans"}[lang]
		help := map[i18n.Lang]string{i18n.EN: "F1 help", i18n.FR: "F1 aide"}[lang]
		for range AllTabs {
			bar := lastLine(h.m.View())
			if !strings.Contains(bar, screens) || !strings.Contains(bar, help) {
				t.Errorf("%s %v: help bar %q lacks %q or %q", lang, h.m.Active(), bar, screens, help)
			}
			if w := lipglossWidth(bar); w > 80 {
				t.Errorf("%s %v: help bar is %d wide", lang, h.m.Active(), w)
			}
			h.keys("ctrl+right")
		}
	}
}

// F1 opens the full help from inside an amount field without typing into
// it; "?" there is text, not a shortcut. F1 also works on the setup screen.
func TestF1OpensHelpFromInsideAFieldAndQuestionMarkIsTyped(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Start: TabPayin})
	if !h.m.inputFocused() {
		t.Fatal("the Payin amount field should have the keys")
	}
	h.keys("f1")
	if !h.m.help.ShowAll {
		t.Fatal("F1 in the amount field did not open the full help")
	}
	v := h.m.View()
	if !strings.Contains(v, "previous screen") || !strings.Contains(v, "ctrl+←/F3") {
		t.Fatalf("full help does not say how to change screens:\n%s", v)
	}
	h.keys("f1")
	if h.m.help.ShowAll {
		t.Fatal("F1 did not close the full help")
	}
	h.typeText("12?")
	if h.m.help.ShowAll {
		t.Fatal(`"?" typed in a field opened the help`)
	}
	if !strings.Contains(h.m.View(), "12?") {
		t.Fatalf(`"?" was not typed into the field:\n%s`, h.m.View())
	}

	s := newHarness(t, offline(openDB(t)), Options{NeedSetup: true})
	s.keys("f1")
	if !s.m.help.ShowAll {
		t.Fatal("F1 on the setup screen did not open the help")
	}
}

// F2 and F3 change screens from inside a field (F1 used to be "previous
// screen"; it is the help now).
func TestFunctionKeysChangeScreensFromAField(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Start: TabPayin})
	h.keys("f2")
	if h.m.Active() != TabPayout {
		t.Fatalf("F2 from Payin went to %v", h.m.Active())
	}
	h.keys("f3", "f3")
	if h.m.Active() != TabPaylink {
		t.Fatalf("F3 twice from Payout went to %v", h.m.Active())
	}
}

// At 40×10 the help bar still fits and starts with the screens.
func TestHelpBarFitsA40ColumnWindow(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Start: TabPayin})
	h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
	bar := lastLine(h.m.View())
	if w := lipglossWidth(bar); w > 40 || !strings.Contains(bar, "ctrl+←/→") {
		t.Fatalf("help bar at 40 columns: %q (%d wide)", bar, w)
	}
}
