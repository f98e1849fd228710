package app

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/history"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

func TestCtrlCQuitsAtOnceWhenNothingIsFollowed(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{})
	_, cmd := h.m.Update(keyMsg("ctrl+c"))
	if !isQuit(cmd) {
		t.Fatal("ctrl+c with nothing in flight did not quit")
	}
}

func TestCtrlCWithAFollowedPaymentAsksFirst(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{})
	nm, _ := h.m.Update(common.FollowMsg{ID: 42}) // its poll tick is not run
	h.m = nm.(Model)

	nm, cmd := h.m.Update(keyMsg("ctrl+c"))
	h.m = nm.(Model)
	if isQuit(cmd) || !h.m.ConfirmingQuit() {
		t.Fatal("ctrl+c quit while a payment was followed")
	}
	if v := h.m.View(); !strings.Contains(v, "1 payment(s) still being followed. Quit anyway? y/n") {
		t.Fatalf("no question on screen:\n%s", v)
	}
	// Other keys wait for the answer; n keeps the console open.
	nm, cmd = h.m.Update(keyMsg("x"))
	h.m = nm.(Model)
	if cmd != nil || !h.m.ConfirmingQuit() {
		t.Fatal("a stray key answered the quit question")
	}
	nm, cmd = h.m.Update(keyMsg("n"))
	h.m = nm.(Model)
	if isQuit(cmd) || h.m.ConfirmingQuit() {
		t.Fatal("n did not cancel quitting")
	}
	nm, _ = h.m.Update(keyMsg("ctrl+c"))
	h.m = nm.(Model)
	if _, cmd = h.m.Update(keyMsg("y")); !isQuit(cmd) {
		t.Fatal("y did not quit")
	}
}

// busyScreen is a screen following a payment of its own (like Payin waiting).
type busyScreen struct{ fakeScreen }

func (busyScreen) Busy() bool { return true }

func TestCtrlCAsksWhileAScreenIsBusy(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Screens: map[Tab]common.Component{TabPayin: &busyScreen{}}})
	nm, cmd := h.m.Update(keyMsg("ctrl+c"))
	if isQuit(cmd) || !nm.(Model).ConfirmingQuit() {
		t.Fatal("ctrl+c quit while a screen was busy")
	}
}

func TestTypingIntoTheSearchNeverTriggersShortcuts(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	h := newHarness(t, offline(db), Options{})
	if h.m.Active() != TabHistory {
		t.Fatalf("offline start on %v, want History", h.m.Active())
	}
	h.keys("/")
	h.typeText("q?1")
	h.keys("tab", "shift+tab")
	if h.m.Active() != TabHistory {
		t.Fatalf("tab typed into the search switched to %v", h.m.Active())
	}
	if h.m.help.ShowAll {
		t.Fatal("? typed into the search opened the full help")
	}
	if h.quit || h.m.ConfirmingQuit() {
		t.Fatal("q typed into the search quit")
	}
	if !strings.Contains(h.m.View(), "/ q?1") {
		t.Fatalf("the search field does not hold the typed text:\n%s", h.m.View())
	}
	// ctrl+c is still global.
	if _, cmd := h.m.Update(keyMsg("ctrl+c")); !isQuit(cmd) {
		t.Fatal("ctrl+c did not quit from the search field")
	}
}

func TestTabAndHelpWorkWhenNoFieldIsFocused(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	h := newHarness(t, offline(db), Options{})
	before := h.m.contentH
	rows := len(h.m.Screen(TabHistory).(*history.Model).Records())
	h.keys("?")
	if !h.m.help.ShowAll || h.m.contentH >= before {
		t.Fatalf("? did not open the full help or did not shrink the content (%d → %d)", before, h.m.contentH)
	}
	if got := len(h.m.Screen(TabHistory).(*history.Model).Records()); got >= rows {
		t.Fatalf("history still loads %d rows with the full help open (was %d)", got, rows)
	}
	if n := strings.Count(h.m.View(), "\n") + 1; n != 24 {
		t.Fatalf("view is %d lines with the full help, want 24", n)
	}
	h.keys("?")
	if h.m.contentH != before {
		t.Fatalf("closing help: content %d, want %d", h.m.contentH, before)
	}
	h.keys("tab")
	if h.m.Active() != TabToday {
		t.Fatalf("tab from History went to %v", h.m.Active())
	}
	h.keys("tab")
	if h.m.Active() != TabSettings {
		t.Fatalf("tab from Today went to %v", h.m.Active())
	}
	h.keys("ctrl+right")
	if h.m.Active() != TabPaylink {
		t.Fatalf("ctrl+→ from Settings went to %v (wraps to Paylink)", h.m.Active())
	}
}

func TestViewFitsTheWindowAndAdaptsOnResize(t *testing.T) {
	db := openDB(t)
	seed(t, db, 100)
	h := newHarness(t, offline(db), Options{})
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 15}} {
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := h.m.View()
		lines := strings.Split(v, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		for i, l := range lines {
			if w := lipglossWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
	}
}

func TestHeaderSaysOfflineAndLiveWithoutAService(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{})
	head := strings.Split(h.m.View(), "\n")[0]
	if !strings.Contains(head, "coolpay") || !strings.Contains(head, "LIVE") || !strings.Contains(head, "offline") {
		t.Fatalf("header %q", head)
	}
	h.keys("ctrl+b")
	if !strings.Contains(h.m.Status(), "Offline") {
		t.Fatalf("ctrl+b offline: status %q", h.m.Status())
	}
}

func TestHeaderShowsSandboxBadgeAndBalance(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	h := newHarness(t, c, Options{})
	head := strings.Split(h.m.View(), "\n")[0]
	if !strings.Contains(head, "SANDBOX") || !strings.Contains(head, "1 000 000 XAF") {
		t.Fatalf("header %q", head)
	}
	if h.m.Active() != TabPayin {
		t.Fatalf("online start on %v, want Payin", h.m.Active())
	}
}

func TestFollowerPollsUntilFinalAndUpdatesHistory(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	h := newHarness(t, c, Options{Start: TabHistory})
	rec, err := c.Svc.Payin(context.Background(), core.PayinInput{Amount: "1500", Phone: "670000004"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.State.Final() {
		t.Fatalf("sandbox payin already final: %s", rec.State)
	}
	h.send(common.LedgerChangedMsg{})
	hist := h.m.Screen(TabHistory).(*history.Model)
	if got := hist.Records()[0]; got.ID != rec.ID || got.State.Final() {
		t.Fatalf("history first row %d %s", got.ID, got.State)
	}
	h.send(common.FollowMsg{ID: rec.ID}) // runs the whole tick → refresh chain
	if h.m.Following() != 0 {
		t.Fatalf("still following after the chain ended; status %q", h.m.Status())
	}
	if got := hist.Records()[0]; got.State != store.StateSuccess {
		t.Fatalf("history row not updated by the follower: %s", got.State)
	}
	if !strings.Contains(h.m.Status(), "✔ success") {
		t.Fatalf("status %q does not announce the result", h.m.Status())
	}
}

func TestFollowBackoffIsBounded(t *testing.T) {
	p := DefaultFollowPolicy
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 9: 9 * time.Second, 10: 10 * time.Second, 500: 10 * time.Second} {
		if got := p.delay(n); got != want {
			t.Errorf("delay(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestFollowerGivesUpAfterTheLimitAndSaysSo(t *testing.T) {
	now := baseTime
	h := newHarness(t, offline(openDB(t)), Options{Now: func() time.Time { return now }})
	nm, cmd := h.m.Update(common.FollowMsg{ID: 7})
	h.m = nm.(Model)
	if cmd == nil || h.m.Following() != 1 {
		t.Fatal("FollowMsg did not start polling")
	}
	// A second FollowMsg for the same record does not start a second chain.
	if _, cmd := h.m.Update(common.FollowMsg{ID: 7}); cmd != nil {
		t.Fatal("the same record is polled twice")
	}
	gen := h.m.follows[7].gen
	pending := store.Record{ID: 7, Type: store.TypePayin, State: store.StatePending}
	nm, cmd = h.m.Update(followResultMsg{id: 7, gen: gen, rec: pending})
	h.m = nm.(Model)
	if cmd == nil || h.m.Following() != 1 {
		t.Fatal("a pending answer did not schedule the next poll")
	}
	now = now.Add(fastFollow().GiveUp + time.Second)
	nm, _ = h.m.Update(followResultMsg{id: 7, gen: gen, rec: pending})
	h.m = nm.(Model)
	if h.m.Following() != 0 || !strings.Contains(h.m.Status(), "Stopped following #7") {
		t.Fatalf("did not give up: following %d, status %q", h.m.Following(), h.m.Status())
	}
	// A tick left over from the stopped follow does nothing.
	if _, cmd := h.m.Update(followTickMsg{id: 7, gen: gen}); cmd != nil {
		t.Fatal("a stale tick polled again")
	}
}

func TestFollowerStopsWhenPollingCannotHelp(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{})
	nm, _ := h.m.Update(common.FollowMsg{ID: 3})
	h.m = nm.(Model)
	gen := h.m.follows[3].gen
	nm, cmd := h.m.Update(followResultMsg{id: 3, gen: gen, err: core.ErrOffline})
	h.m = nm.(Model)
	if h.m.Following() != 0 {
		t.Fatal("kept polling while offline")
	}
	_ = cmd
	// Network trouble, on the other hand, is retried.
	nm, _ = h.m.Update(common.FollowMsg{ID: 4})
	h.m = nm.(Model)
	nm, cmd = h.m.Update(followResultMsg{id: 4, gen: h.m.follows[4].gen, err: errors.New("connection refused")})
	h.m = nm.(Model)
	if h.m.Following() != 1 || cmd == nil {
		t.Fatal("a network error stopped the follow")
	}
}

func TestSetupRejectsBadInputInlineAndSavesNothing(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, offline(db), Options{NeedSetup: true})
	if !h.m.InSetup() || !strings.Contains(h.m.View(), "Public key") {
		t.Fatalf("no setup screen:\n%s", h.m.View())
	}
	h.keys("tab")
	h.typeText("short")
	h.keys("enter")
	v := h.m.View()
	if !strings.Contains(v, "The public key is required.") || !strings.Contains(v, "too short") {
		t.Fatalf("no inline errors:\n%s", v)
	}
	if strings.Contains(v, "short") && !strings.Contains(v, "•••••") {
		t.Fatalf("the private key is shown:\n%s", v)
	}
	if _, ok, _ := db.Setting(common.SettingPublicKey); ok {
		t.Fatal("a setting was saved from a refused form")
	}
	h.keys("esc") // skip: offline console on History
	if h.m.InSetup() || h.m.Active() != TabHistory {
		t.Fatalf("esc did not open the console offline (setup %v, tab %v)", h.m.InSetup(), h.m.Active())
	}
}

func TestSetupSavesTheKeysAndChecksThemWithABalanceCall(t *testing.T) {
	db := openDB(t)
	connect, _, base := sandboxAPI(t, db)
	h := newHarness(t, offline(db), Options{NeedSetup: true, Connect: connect})
	const wrong = "this-is-not-the-private-key"
	h.typeText(client.SandboxPublicKey)
	h.keys("tab")
	h.typeText(wrong)
	h.keys("tab")
	for range client.DefaultBaseURL {
		h.keys("backspace")
	}
	h.typeText(base)
	h.keys("enter")
	v := h.m.View()
	if !strings.Contains(v, "The keys do NOT work") {
		t.Fatalf("a wrong private key was not reported:\n%s", v)
	}
	if strings.Contains(v, wrong) {
		t.Fatal("the private key is on screen")
	}
	if got, _, _ := db.Setting(common.SettingBaseURL); got != base {
		t.Fatalf("base URL setting %q", got)
	}
	h.keys("esc") // back to the form, on the private key
	h.typeText(sandbox.DefaultPrivateKey)
	h.keys("enter")
	v = h.m.View()
	if !strings.Contains(v, "The keys work. Balance: 1 000 000 XAF") {
		t.Fatalf("working keys not confirmed:\n%s", v)
	}
	if !strings.Contains(v, "Private key saved in the OS keyring") {
		t.Fatalf("keyring storage not said:\n%s", v)
	}
	h.keys("enter")
	if h.m.InSetup() || h.m.Active() != TabPayin || !h.m.Common().Svc.Online() {
		t.Fatalf("continue: setup %v, tab %v, online %v", h.m.InSetup(), h.m.Active(), h.m.Common().Svc.Online())
	}
	if got, _, _ := db.Setting(common.SettingPublicKey); got != client.SandboxPublicKey {
		t.Fatalf("public key setting %q", got)
	}
	if !strings.Contains(strings.Split(h.m.View(), "\n")[0], "1 000 000 XAF") {
		t.Fatalf("header balance after setup: %q", strings.Split(h.m.View(), "\n")[0])
	}
}

func TestSettingsLanguageSwitchesTheWholeConsoleLive(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, offline(db), Options{Start: TabSettings})
	h.keys("down", "down", "down") // Language
	h.keys("enter")
	v := h.m.View()
	for _, want := range []string{"Historique", "Paramètres", "Encaissement", "hors ligne", "Langue"} {
		if !strings.Contains(v, want) {
			t.Errorf("after switching to French the console lacks %q:\n%s", want, v)
		}
	}
	if got, _, _ := db.Setting(common.SettingLang); got != "fr" {
		t.Fatalf("ui_lang saved as %q", got)
	}
	if !strings.Contains(h.m.helpView(), "bas") {
		t.Fatalf("help not translated: %q", h.m.helpView())
	}
}

func TestSettingsThemeIsSaved(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, offline(db), Options{Start: TabSettings})
	h.keys("down", "down", "down", "down", "right")
	if got, _, _ := db.Setting(common.SettingTheme); got != "light" {
		t.Fatalf("theme saved as %q", got)
	}
	if !strings.Contains(h.m.View(), "‹ light ›") {
		t.Fatalf("theme row:\n%s", h.m.View())
	}
}

func TestAnswersForAScreenNotOnShowStillReachIt(t *testing.T) {
	db := openDB(t)
	seed(t, db, 10)
	h := newHarness(t, offline(db), Options{Start: TabSettings})
	nr := store.Record{Type: store.TypePayout, State: store.StatePending, Amount: "900", Currency: "XAF", CustomerName: "Late"}
	if err := db.Create(&nr); err != nil {
		t.Fatal(err)
	}
	h.send(common.LedgerChangedMsg{}) // History is not on show
	if got := h.m.Screen(TabHistory).(*history.Model).Records()[0].CustomerName; got != "Late" {
		t.Fatalf("History (hidden) did not reload: first row %q", got)
	}
	if h.m.Active() != TabSettings {
		t.Fatal("a background answer changed the screen on show")
	}
}

func TestHistoryRefreshAndReconcileAgainstTheSandbox(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	ctx := context.Background()
	var made []store.Record
	for _, amount := range []string{"2003", "2001", "2004"} { // the last digit: pending forever, failed, success
		r, err := c.Svc.Payin(ctx, core.PayinInput{Amount: amount, Phone: "670000004"})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, r)
	}
	time.Sleep(100 * time.Millisecond) // the sandbox's ConfirmAfter
	// A day later: too old to be followed again at start, so r and R do it.
	later := func() time.Time { return time.Now().Add(25 * time.Hour) }
	h := newHarness(t, c, Options{Start: TabHistory, Now: later})
	hist := h.m.Screen(TabHistory).(*history.Model)
	if sel, _ := hist.Selected(); sel.ID != made[2].ID || sel.State.Final() {
		t.Fatalf("selected %d %s, want the newest, not final yet", sel.ID, sel.State)
	}
	h.keys("r")
	if sel, _ := hist.Selected(); sel.State != store.StateSuccess {
		t.Fatalf("r left the row %s", sel.State)
	}
	if !strings.Contains(h.m.Status(), "is now ✔ success") {
		t.Fatalf("status %q", h.m.Status())
	}
	h.keys("R")
	if !strings.Contains(h.m.Status(), "Reconciled 2: 1 changed, 0 errors") {
		t.Fatalf("reconcile status %q", h.m.Status())
	}
	if hist.Busy() {
		t.Fatal("still busy after the reconcile ended")
	}
	got, _ := db.Get(made[1].ID)
	if got.State != store.StateFailed {
		t.Fatalf("reconcile left #%d %s", got.ID, got.State)
	}
}

func TestSavedLanguageAndThemeAreUsed(t *testing.T) {
	db := openDB(t)
	if cfg := config.Load(db, config.Inputs{}); cfg.Get(config.Lang).Source == config.FromLedger || cfg.String(config.Theme) != "auto" {
		t.Fatalf("fresh ledger: %+v %q", cfg.Get(config.Lang), cfg.String(config.Theme))
	}
	db.SetSetting(common.SettingLang, "fr")
	db.SetSetting(common.SettingTheme, "dark")
	cfg := config.Load(db, config.Inputs{}) // what the console reads once at start
	lang, theme := i18n.Lang(cfg.String(config.Lang)), cfg.String(config.Theme)
	if lang != "fr" || theme != "dark" {
		t.Fatalf("got %q %q", lang, theme)
	}
	c := offline(db)
	c.T = nil // New builds the translator from Options.Lang
	h := newHarness(t, c, Options{Lang: lang, Theme: theme})
	if !strings.Contains(h.m.View(), "[Historique]") {
		t.Fatalf("saved language not used:\n%s", h.m.View())
	}
}

func TestWrongKeysShowInTheStatusLineAtStart(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	if _, err := c.Secrets.Set(context.Background(), "not-the-sandbox-key"); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, c, Options{})
	if !strings.Contains(h.m.Status(), "Balance unavailable") || !strings.Contains(h.m.Status(), "401") {
		t.Fatalf("status %q", h.m.Status())
	}
	if head := strings.Split(h.m.View(), "\n")[0]; !strings.Contains(head, "—") {
		t.Fatalf("unknown balance not shown as —: %q", head)
	}
}

// TestPendingPaymentsAreFollowedAgainAfterARestart: a payin left pending by
// an earlier run is polled to its end as soon as the console starts.
func TestPendingPaymentsAreFollowedAgainAfterARestart(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	rec, err := c.Svc.Payin(context.Background(), core.PayinInput{Amount: "1500", Phone: "670000004"})
	if err != nil || rec.State.Final() {
		t.Fatalf("payin: %v %s", err, rec.State)
	}
	newHarness(t, c, Options{Start: TabHistory}) // runs Init: resume → follow chain
	got, err := db.Get(rec.ID)
	if err != nil || got.State != store.StateSuccess {
		t.Fatalf("the pending payin was not followed after start: %v %s", err, got.State)
	}
}

func TestPassingNotesClearOnScreenSwitchButWarningsStay(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, offline(db), Options{Start: TabHistory})
	h.send(common.StatusMsg{Kind: common.StatusOK, Text: "link copied"})
	h.keys("ctrl+right")
	if h.m.Status() != "" {
		t.Fatalf("an OK note followed to another screen: %q", h.m.Status())
	}
	h.send(common.StatusMsg{Kind: common.StatusWarn, Text: "still followed"})
	h.keys("ctrl+left")
	if h.m.Status() != "still followed" {
		t.Fatalf("a warning was dropped on switch: %q", h.m.Status())
	}
}
