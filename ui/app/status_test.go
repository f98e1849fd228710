package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/receipt"
)

// TestFreshFormDropsThePreviousResult: the follower's "#1 payin: ✔
// success" goes when the cashier leaves that result for a fresh form; a
// line about something else stays.
func TestFreshFormDropsThePreviousResult(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	h := newHarness(t, c, Options{Start: TabPayin})
	h.typeText("1500")
	h.keys("tab")
	h.typeText("670000004")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlS}) // runs the payin and its follow to the end
	if !strings.Contains(h.m.Status(), "#1 payin: ✔ success") || !strings.Contains(h.m.View(), "SUCCESS") {
		t.Fatalf("after the payin: status %q\n%s", h.m.Status(), h.m.View())
	}
	// A line about another record is not this result's to clear.
	h.send(common.ClearStatusMsg{Record: 2})
	if h.m.Status() == "" {
		t.Fatal("a clear for #2 dropped the line about #1")
	}
	h.send(tea.KeyMsg{Type: tea.KeyCtrlN})
	if h.m.Status() != "" || strings.Contains(h.m.View(), "SUCCESS") {
		t.Fatalf("fresh form still shows the previous payment: status %q\n%s", h.m.Status(), h.m.View())
	}
	// Other lines stay when a form is left.
	h.send(common.StatusMsg{Kind: common.StatusWarn, Text: "Balance unavailable"})
	h.send(common.ClearStatusMsg{Record: 1})
	if h.m.Status() != "Balance unavailable" {
		t.Fatalf("a warning not about #1 was cleared: %q", h.m.Status())
	}
}

// TestPrintAnsweredAfterTheReceiptClosedStillEnds: a print whose answer
// comes once the receipt is closed still replaces "Sending the receipt to
// the printer…" with its result.
func TestPrintAnsweredAfterTheReceiptClosedStillEnds(t *testing.T) {
	c := offline(deskLedger(t))
	h := newHarness(t, c, Options{Start: TabHistory})
	h.keys("p")
	if h.m.receipt == nil {
		t.Fatal("no receipt")
	}
	h.send(common.StatusMsg{Kind: common.StatusBusy, Text: c.T.T("receipt.print.busy")})
	h.keys("esc")
	h.send(receipt.PrintedMsg{Err: receipt.ErrNoPrinter})
	if !strings.Contains(h.m.Status(), "No printer command here") {
		t.Fatalf("status after a late print answer: %q", h.m.Status())
	}
}
