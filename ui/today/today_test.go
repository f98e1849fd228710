package today

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/report"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// now is Friday 20 November 2026, 16:30.
var now = time.Date(2026, 11, 20, 16, 30, 0, 0, time.UTC)

func fixedNow() time.Time { return now }

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// seed: a cashier's day on the 20th (and two records the day before).
func seed(t *testing.T, db *store.DB) {
	t.Helper()
	day := report.DayOf(now)
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa", Amount: "15000", Fees: "300", Created: at(8, 5)},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_MOMO", Cashier: "awa", Amount: "2500", Fees: "50", Created: at(9, 40)},
		{Type: store.TypePayin, State: store.StateFailed, Operator: "CM_OM", Cashier: "paul", Amount: "7000", Created: at(10, 0)},
		{Type: store.TypePaylink, State: store.StateSuccess, Operator: "CARD", Cashier: "paul", Amount: "40000", Fees: "1000", Created: at(12, 15)},
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_MOMO", Cashier: "awa", Amount: "10000", Fees: "200", Created: at(14, 0)},
		{Type: store.TypePayin, State: store.StatePending, Operator: "CM_OM", Cashier: "awa", Amount: "3000", Created: at(16, 20)},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Amount: "99999", Created: day.Add(-2 * time.Hour)},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Amount: "11111", Created: day.Add(-20 * time.Hour)},
	}
	for i := range recs {
		recs[i].Currency = "XAF"
		recs[i].AppRef = fmt.Sprintf("cp-%d", i)
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
}

func newCommon(db *store.DB, lang i18n.Lang) *common.Common {
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil), Keys: common.DefaultKeyMap(),
		T: i18n.New(lang), Store: db}
	common.Relabel(c.Keys, c.T)
	return c
}

// harness runs the screen's commands synchronously, as Bubble Tea would.
type harness struct {
	t *testing.T
	m *Model
}

func newHarness(t *testing.T, db *store.DB, lang i18n.Lang) *harness {
	h := &harness{t: t, m: New(newCommon(db, lang), Options{Now: fixedNow})}
	h.m.SetSize(80, 19)
	h.run(h.m.Init())
	return h
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				h.run(c)
			}
		default:
			_, c := h.m.Update(msg)
			h.run(c)
		}
	case <-time.After(time.Second):
	}
}

func (h *harness) key(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "left":
			msg = tea.KeyMsg{Type: tea.KeyLeft}
		case "right":
			msg = tea.KeyMsg{Type: tea.KeyRight}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		_, cmd := h.m.Update(msg)
		h.run(cmd)
	}
}

func TestTodayShowsTheDaysTotals(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.EN)
	v := h.m.View()
	for _, s := range []string{"Today · Friday 20 November 2026",
		// 6 records; amount 77 500; fees 1 550; net = 15000-300 + 2500-50 + 40000-1000 - 10200
		"Total 6 · amount 77 500 XAF · fees 1 550 XAF · net 45 950 XAF",
		"[by type]", "payin", "4", "27 500 XAF", "17 150 XAF", "-10 200 XAF",
		"Received per hour", "max 40 000 XAF/h", "0h", "21h"} {
		if !strings.Contains(v, s) {
			t.Errorf("Today lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "99 999") {
		t.Error("a record of the day before is counted today")
	}
	// Per cashier, then per state and operator.
	h.key("v", "v", "v")
	v = h.m.View()
	for _, s := range []string{"[by cashier]", "awa", "paul", "30 500 XAF", "39 000 XAF"} {
		if !strings.Contains(v, s) {
			t.Errorf("by cashier lacks %q:\n%s", s, v)
		}
	}
	h.key("v")
	if !strings.Contains(h.m.View(), "[by type]") {
		t.Error("v does not come back to by type")
	}
}

func TestTodayPicksAnyDay(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.FR)
	h.key("left")
	if !h.m.Day().Equal(report.DayOf(now).AddDate(0, 0, -1)) {
		t.Fatalf("← went to %v", h.m.Day())
	}
	v := h.m.View()
	for _, s := range []string{"Hier · jeudi 19 novembre 2026", "Total 2 · montant 111 110 XAF", "Reçu par heure"} {
		if !strings.Contains(v, s) {
			t.Errorf("yesterday lacks %q:\n%s", s, v)
		}
	}
	// A typed date, in the French order; a bad one stays in the field.
	h.key("d")
	if !h.m.InputFocused() {
		t.Fatal("d did not open the date field")
	}
	for _, r := range "31/02/2026" {
		h.key(string(r))
	}
	h.key("enter")
	if !h.m.InputFocused() || !strings.Contains(h.m.View(), "« 31/02/2026 » n'est pas une date") {
		t.Fatalf("a bad date was accepted:\n%s", h.m.View())
	}
	h.key("esc", "d")
	for _, r := range "01/11/2026" {
		h.key(string(r))
	}
	h.key("enter")
	if h.m.InputFocused() || h.m.Day().Format(time.DateOnly) != "2026-11-01" {
		t.Fatalf("typed date: %v", h.m.Day())
	}
	if v := h.m.View(); !strings.Contains(v, "dimanche 1 novembre 2026") || !strings.Contains(v, "Aucune transaction ce jour-là.") {
		t.Errorf("an empty day:\n%s", v)
	}
	h.key("t")
	if !h.m.Day().Equal(report.DayOf(now)) || !strings.Contains(h.m.View(), "Aujourd'hui · vendredi 20 novembre 2026") {
		t.Fatalf("t did not come back to today:\n%s", h.m.View())
	}
}

// TestTodayFollowsTheLedger: a payment taken elsewhere in the console
// (LedgerChangedMsg) is counted without a key press; the figures equal
// report.Day's, the code `coolpay report` prints.
func TestTodayFollowsTheLedger(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.EN)
	if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa",
		Amount: "500", Currency: "XAF", AppRef: "cp-new", Created: now}); err != nil {
		t.Fatal(err)
	}
	_, cmd := h.m.Update(common.LedgerChangedMsg{})
	h.run(cmd)
	want, err := report.Day(context.Background(), db, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := h.m.Report(); got.Count != 7 || fmt.Sprint(got.Groups) != fmt.Sprint(want.Groups) {
		t.Fatalf("screen %+v\nreport %+v", got.Groups, want.Groups)
	}
	if !strings.Contains(h.m.View(), "Total 7 · amount 78 000 XAF") {
		t.Fatalf("not recounted:\n%s", h.m.View())
	}
}

// TestTodayLateAnswerIsDropped: stepping quickly through days, an answer
// for a day no longer on screen never replaces the figures.
func TestTodayLateAnswerIsDropped(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.EN)
	_, older := h.m.Update(tea.KeyMsg{Type: tea.KeyLeft}) // yesterday, not yet answered
	_, newer := h.m.Update(tea.KeyMsg{Type: tea.KeyRight})
	h.run(newer)
	h.run(older)
	if got := h.m.Report(); !got.Day.Equal(report.DayOf(now)) || got.Count != 6 {
		t.Fatalf("a late answer replaced today's figures: %v, %d", got.Day, got.Count)
	}
}

func TestTodayCashierNamesAreInert(t *testing.T) {
	db := openDB(t)
	if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, Amount: "100", Currency: "XAF",
		Cashier: "eve\x1b]52;c;aGk=\x07", AppRef: "x", Created: now}); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db, i18n.EN)
	h.key("v", "v", "v")
	if v := h.m.View(); strings.Contains(v, "\x1b]") || !strings.Contains(v, "eve^[]52") {
		t.Fatalf("a cashier's escape sequence reached the screen: %q", v)
	}
}

// TestTodayEveryFieldIsInert: a callback nobody asked for brought its own
// currency and operator (the ledger keeps what came); no view of the day,
// in either language, lets them reach the terminal.
func TestTodayEveryFieldIsInert(t *testing.T) {
	db := openDB(t)
	if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateNotFound, Amount: "100",
		Currency: "EUR\x1b]0;pwned\x07\u009b2J", Operator: "OP\x1b[2J\u202e", Cashier: "\u2066eve\u2069",
		AppRef: "x", Created: now}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		h := newHarness(t, db, lang)
		for i := 0; i < 4; i++ { // by type, state, operator, cashier
			v := h.m.View()
			for _, r := range v {
				if r == 0x1b || r == 0x07 || r >= 0x80 && r <= 0x9f || r == 0x202e || r >= 0x2066 && r <= 0x2069 {
					t.Fatalf("%s, view %d: %U reached the screen:\n%q", lang, i, r, v)
				}
			}
			if !strings.Contains(v, "EUR^[]0;pwned^G^[[2J") {
				t.Fatalf("%s, view %d: the currency is not shown inert:\n%s", lang, i, v)
			}
			h.key("v")
		}
	}
}

// Golden files at 80×24, English and French, through teatest.
func runGolden(t *testing.T, lang i18n.Lang, keys ...string) {
	db := openDB(t)
	seed(t, db)
	m := New(newCommon(db, lang), Options{Now: fixedNow})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("0h")) },
		teatest.WithDuration(5*time.Second))
	for _, k := range keys {
		tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)})
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	golden.RequireEqual(t, []byte(final.View()))
}

func TestGoldenTodayEN(t *testing.T) { runGolden(t, i18n.EN) }

func TestGoldenTodayFRByCashier(t *testing.T) { runGolden(t, i18n.FR, "v", "v", "v") }

// TestTodayAtFortyColumns: in a 40×10 window the chart keeps its 24 hours
// (one column each) and no line is wider than the window.
func TestTodayAtFortyColumns(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.EN)
	h.m.SetSize(40, 10)
	v := h.m.View()
	for _, l := range strings.Split(v, "\n") {
		if w := lipgloss.Width(l); w > 40 {
			t.Errorf("line of %d columns: %q", w, l)
		}
	}
	if !strings.Contains(v, "Total 6") {
		t.Errorf("the total is not on a 40×10 screen:\n%s", v)
	}
	h.m.SetSize(40, 30)
	if v := h.m.View(); !strings.Contains(v, "0h    6h    12h   18h") {
		t.Errorf("the hour axis at 40 columns:\n%s", v)
	}
}

// TestTodayRecountsOnlyForItsDay: a record update recounts the day it was
// created on and no other (the follower sends one on every poll).
func TestTodayRecountsOnlyForItsDay(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	h := newHarness(t, db, i18n.EN)
	if _, cmd := h.m.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 1, Created: now.AddDate(0, 0, -2)}}); cmd != nil {
		t.Fatal("a record of another day recounted the day shown")
	}
	if _, cmd := h.m.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 1, Created: now}}); cmd == nil {
		t.Fatal("a record of the day shown did not recount it")
	}
}
