package app

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"

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

// A followed payout that turns FAILED or CANCELED is refunded by the API:
// the header's balance is asked again and shows the money back.
func TestBalanceRefreshesAfterAPayoutIsRefunded(t *testing.T) {
	for _, amount := range []string{"5001", "5002"} { // sandbox: 1 → FAILED, 2 → CANCELED
		db := openDB(t)
		connect, _, base := sandboxAPI(t, db)
		svc, k := connect(client.SandboxPublicKey, base)
		if _, err := k.Set(context.Background(), sandbox.DefaultPrivateKey); err != nil {
			t.Fatal(err)
		}
		c := offline(db)
		c.Svc, c.Secrets, c.Sandbox = svc, k, true
		h := newHarness(t, c, Options{Start: TabHistory})
		rec, err := svc.Payout(context.Background(), core.PayoutInput{Operator: client.OperatorMoMo, Phone: "677123456", Amount: amount})
		if err != nil || rec.State != store.StatePending {
			t.Fatalf("payout %s: %s, %v", amount, rec.State, err)
		}
		h.send(common.RefreshBalanceMsg{}) // what the Payout screen asks after sending
		if head := strings.Split(h.m.View(), "\n")[0]; strings.Contains(head, "1 000 000 XAF") {
			t.Fatalf("balance not debited by the payout: %q", head)
		}
		h.send(common.FollowMsg{ID: rec.ID})
		if h.m.Following() != 0 {
			t.Fatalf("still following; status %q", h.m.Status())
		}
		if head := strings.Split(h.m.View(), "\n")[0]; !strings.Contains(head, "1 000 000 XAF") {
			t.Fatalf("%s: header after the refund: %q (status %q)", amount, head, h.m.Status())
		}
	}
}

// Refreshing a payout in History (r) that turned FAILED also brings the
// header's balance up to date.
func TestHistoryRefreshOfARefundedPayoutRefreshesTheBalance(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	rec, err := c.Svc.Payout(context.Background(), core.PayoutInput{Operator: client.OperatorMoMo, Phone: "677123456", Amount: "5001"})
	if err != nil || rec.State != store.StatePending {
		t.Fatalf("payout: %s, %v", rec.State, err)
	}
	// A day later, so the start does not follow it: only r refreshes it.
	later := func() time.Time { return time.Now().Add(25 * time.Hour) }
	h := newHarness(t, c, Options{Start: TabHistory, Now: later})
	if head := strings.Split(h.m.View(), "\n")[0]; strings.Contains(head, "1 000 000 XAF") {
		t.Fatalf("balance at start already refunded: %q", head)
	}
	time.Sleep(100 * time.Millisecond) // the sandbox's ConfirmAfter: now FAILED and refunded
	h.keys("r")
	if head := strings.Split(h.m.View(), "\n")[0]; !strings.Contains(head, "1 000 000 XAF") {
		t.Fatalf("header after r on the refunded payout: %q (status %q)", head, h.m.Status())
	}
}
