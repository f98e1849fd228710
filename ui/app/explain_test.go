package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
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
	// 5003 stays PENDING at the sandbox until it is forced, so the balance
	// is read while the payout is debited whatever the machine's load; then
	// the operator fails or cancels it, which refunds it.
	for _, outcome := range []string{client.StatusFailed, client.StatusCanceled} {
		const amount = "5003"
		db := openDB(t)
		c, _, sb := onlineSandbox(t, db)
		svc := c.Svc
		h := newHarness(t, c, Options{Start: TabHistory})
		rec, err := svc.Payout(context.Background(), core.PayoutInput{Operator: client.OperatorMoMo, Phone: "677123456", Amount: amount})
		if err != nil || rec.State != store.StatePending {
			t.Fatalf("payout %s: %s, %v", amount, rec.State, err)
		}
		h.send(common.RefreshBalanceMsg{}) // what the Payout screen asks after sending
		if head := strings.Split(h.m.View(), "\n")[0]; strings.Contains(head, "1 000 000 XAF") {
			t.Fatalf("balance not debited by the payout: %q", head)
		}
		if _, err := sb.Force(rec.TransactionRef, outcome); err != nil {
			t.Fatal(err)
		}
		h.send(common.FollowMsg{ID: rec.ID})
		if h.m.Following() != 0 {
			t.Fatalf("still following; status %q", h.m.Status())
		}
		if head := strings.Split(h.m.View(), "\n")[0]; !strings.Contains(head, "1 000 000 XAF") {
			t.Fatalf("%s: header after the refund: %q (status %q)", outcome, head, h.m.Status())
		}
	}
}

// Refreshing a payout in History (r) that turned FAILED also brings the
// header's balance up to date.
func TestHistoryRefreshOfARefundedPayoutRefreshesTheBalance(t *testing.T) {
	db := openDB(t)
	c, _, sb := onlineSandbox(t, db)
	// 5003 stays PENDING until forced: the start sees it debited whatever
	// the machine's load.
	rec, err := c.Svc.Payout(context.Background(), core.PayoutInput{Operator: client.OperatorMoMo, Phone: "677123456", Amount: "5003"})
	if err != nil || rec.State != store.StatePending {
		t.Fatalf("payout: %s, %v", rec.State, err)
	}
	// A day later, so the start does not follow it: only r refreshes it.
	later := func() time.Time { return time.Now().Add(25 * time.Hour) }
	h := newHarness(t, c, Options{Start: TabHistory, Now: later})
	if head := strings.Split(h.m.View(), "\n")[0]; strings.Contains(head, "1 000 000 XAF") {
		t.Fatalf("balance at start already refunded: %q", head)
	}
	if _, err := sb.Force(rec.TransactionRef, client.StatusFailed); err != nil { // refunded
		t.Fatal(err)
	}
	h.keys("r")
	if head := strings.Split(h.m.View(), "\n")[0]; !strings.Contains(head, "1 000 000 XAF") {
		t.Fatalf("header after r on the refunded payout: %q (status %q)", head, h.m.Status())
	}
}

// sendingScreen is a screen whose payment request is on its way.
type sendingScreen struct{ busyScreen }

func (sendingScreen) Sending() int { return 1 }

func (s *sendingScreen) Update(tea.Msg) (tea.Model, tea.Cmd) { return s, nil }

// Quitting while a request is on its way says so, and counts it with the
// payments followed.
func TestQuitWarningCountsRequestsBeingSent(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Screens: map[Tab]common.Component{TabPayin: &sendingScreen{}}})
	h.keys("ctrl+c")
	if v := h.m.View(); !strings.Contains(v, "1 payment request(s) still being sent: quitting loses the answer. Quit? y/n") {
		t.Fatalf("quit question does not count the request:\n%s", v)
	}
	h.keys("n")
	nm, _ := h.m.Update(common.FollowMsg{ID: 7}) // its poll tick is not run
	h.m = nm.(Model)
	h.keys("ctrl+c")
	if v := h.m.View(); !strings.Contains(v, "1 request(s) being sent, 1 payment(s) followed. Quit anyway? y/n") {
		t.Fatalf("quit question does not count both:\n%s", v)
	}
}

// A real payout on its way: the Payout screen counts as one.
func TestQuitWhileAPayoutIsSentCountsIt(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	c.T = i18n.New(i18n.FR)
	h := newHarness(t, c, Options{Start: TabPayout})
	h.keys("right", "tab")
	h.typeText("677123456")
	h.keys("tab")
	h.typeText("5000")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlS})
	h.typeText("5000")
	// Enter returns the send command; it is not run, as if the answer were
	// still on its way.
	nm, _ := h.m.Update(keyMsg("enter"))
	h.m = nm.(Model)
	h.keys("ctrl+c")
	if v := h.m.View(); !strings.Contains(v, "1 demande(s) en cours d'envoi : quitter perd la réponse. Quitter ? o/n") {
		t.Fatalf("quit question in French does not count the payout:\n%s", v)
	}
	// In French "o" (oui) answers yes, as the question says.
	if _, cmd := h.m.Update(keyMsg("o")); cmd == nil {
		t.Fatal("o does not quit from the French quit question")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("o answered the French quit question with something else than quitting")
	}
}

// The notice that a crash left transactions without their answer is on
// screen at start, and the balance's messages do not hide it.
func TestInterruptedTransactionsAreAnnouncedAtStart(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c.T = i18n.New(lang)
		h := newHarness(t, c, Options{Recovered: 2})
		want := map[i18n.Lang]string{i18n.EN: "! 2 payment(s) cut off by a crash: UNKNOWN — check History before paying again",
			i18n.FR: "! 2 paiement(s) coupé(s) par un arrêt : INCONNU — à vérifier dans l'Historique"}[lang]
		if v := h.m.View(); !strings.Contains(v, want) {
			t.Fatalf("%s: no notice at start:\n%s", lang, v)
		}
		h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
		h.send(common.RefreshBalanceMsg{})
		if !strings.Contains(h.m.Status(), "2 ") {
			t.Fatalf("%s: the notice was replaced: %q", lang, h.m.Status())
		}
	}
}

// On the sandbox the full help ends with the test rules of the screen
// shown, and only those; screens that move no money have none, and neither
// has a console without a sandbox.
func TestFullHelpTellsTheScreensSandboxRules(t *testing.T) {
	rules := map[Tab]string{
		TabPayin:   "phone ending in 00 asks for an SMS code: 1234",
		TabPayout:  "1 fails and 2 is canceled (both refunded)",
		TabPaylink: "Pay, Cancel or Fail",
	}
	db := openDB(t)
	c, _ := online(t, db)
	for _, tab := range []Tab{TabPayin, TabPayout, TabPaylink, TabHistory, TabToday} {
		h := newHarness(t, c, Options{Start: tab})
		h.keys("f1")
		v := strings.Join(strings.Fields(h.m.View()), " ")
		for other, want := range rules {
			if has := strings.Contains(v, want); has != (other == tab) {
				t.Fatalf("%s: full help has %q: %v, want %v:\n%s", tab.key(), want, has, other == tab, h.m.View())
			}
		}
		if n := strings.Count(h.m.View(), "\n") + 1; n != 24 {
			t.Fatalf("%s: view is %d lines with the rules, want 24", tab.key(), n)
		}
	}
	h := newHarness(t, offline(db), Options{Start: TabPayin})
	h.keys("f1")
	if strings.Contains(h.m.View(), "Sandbox:") {
		t.Fatal("sandbox rules in the help without a sandbox")
	}
}

// At 40×10 the content is six lines: each form follows the focused field
// (marked "›") down and up, in both languages; the payout confirmation
// keeps the amount field in sight.
func TestFormsScrollToTheFocusedFieldAt40x10(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		db := openDB(t)
		c, _ := online(t, db)
		c.T = i18n.New(lang)
		for _, tab := range []Tab{TabPayin, TabPaylink, TabPayout} {
			h := newHarness(t, c, Options{Start: tab})
			h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
			for i := range 16 { // down through every field, wrapping, then up
				k := "tab"
				if i >= 8 {
					k = "shift+tab"
				}
				v := h.m.View()
				if n := strings.Count(v, "\n") + 1; n != 10 {
					t.Fatalf("%s %v: %d lines", lang, tab, n)
				}
				if !strings.Contains(v, "› ") {
					t.Fatalf("%s %v: after %d moves the focused field is off screen:\n%s", lang, tab, i, v)
				}
				h.keys(k)
			}
		}
		// Payout confirmation: the retyped amount's field is on screen.
		h := newHarness(t, c, Options{Start: TabPayout})
		h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
		h.keys("right", "tab")
		h.typeText("677123456")
		h.keys("tab")
		h.typeText("5000")
		h.send(tea.KeyMsg{Type: tea.KeyCtrlS})
		want := map[i18n.Lang]string{i18n.EN: "› Amount again", i18n.FR: "› Montant à nouveau"}[lang]
		if v := h.m.View(); !strings.Contains(v, want) {
			t.Fatalf("%s: confirmation at 40×10 hides the amount field:\n%s", lang, v)
		}
	}
}

// F1 toggles the full help on every screen, and from inside every kind of
// field: History's search, Settings' edit box, a payout's confirmation.
func TestF1OpensHelpFromEveryScreenAndField(t *testing.T) {
	db := openDB(t)
	seed(t, db, 3)
	c, _ := online(t, db)
	c.Sandbox = false // Settings lets the keys be edited
	h := newHarness(t, c, Options{Start: TabPaylink})
	toggle := func(where string) {
		t.Helper()
		h.keys("f1")
		if !h.m.help.ShowAll {
			t.Fatalf("%s: F1 did not open the help", where)
		}
		h.keys("f1")
		if h.m.help.ShowAll {
			t.Fatalf("%s: F1 did not close the help", where)
		}
	}
	for range AllTabs {
		toggle(fmt.Sprint(h.m.Active()))
		h.keys("ctrl+right")
	}
	h = newHarness(t, c, Options{Start: TabHistory})
	h.keys("/")
	h.typeText("ab")
	toggle("History search")
	if !strings.Contains(h.m.View(), "/ ab") {
		t.Fatalf("the search lost its text:\n%s", h.m.View())
	}
	h = newHarness(t, c, Options{Start: TabSettings})
	h.keys("enter")
	toggle("Settings edit box")
	h = newHarness(t, c, Options{Start: TabPayout})
	h.keys("right", "tab")
	h.typeText("677123456")
	h.keys("tab")
	h.typeText("5000")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlS})
	h.typeText("50")
	toggle("payout confirmation")
	if !strings.Contains(h.m.View(), "Amount again 50") {
		t.Fatalf("the retyped amount changed:\n%s", h.m.View())
	}
}

// The full help never makes the console taller than its window: at 40×10
// the sandbox's rules give way, then the help's last lines.
func TestFullHelpFitsASmallWindow(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c.T = i18n.New(lang)
		for _, tab := range AllTabs {
			h := newHarness(t, c, Options{Start: tab})
			h.send(tea.WindowSizeMsg{Width: 40, Height: 10})
			h.keys("f1")
			v := h.m.View()
			if n := strings.Count(v, "\n") + 1; n != 10 {
				t.Fatalf("%s %v: %d lines with the full help at 40×10:\n%s", lang, tab, n, v)
			}
			for _, l := range strings.Split(v, "\n") {
				if w := lipglossWidth(l); w > 40 {
					t.Fatalf("%s %v: line %q is %d wide", lang, tab, l, w)
				}
			}
		}
	}
}
