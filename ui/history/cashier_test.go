package history

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// TestCashierFilterAndDetail: the filter bar offers the cashier at the till
// first, then the others seen; choosing one lists only their transactions;
// the detail view names the cashier.
func TestCashierFilterAndDetail(t *testing.T) {
	t.Setenv("USER", "paul")
	db := openDB(t)
	for i, c := range []string{"awa", "paul", "awa", "", "zoe"} {
		if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, Amount: "100", Currency: "XAF",
			AppRef: "cp-" + string(rune('a'+i)), Cashier: c, Created: baseTime.Add(-time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db, 80, 20, Options{})
	h.run(h.m.Init(), 0)
	h.keys("f", "right", "right", "right", "right")
	if got := strings.Join(h.m.filters.cashiers, ","); got != "paul,awa,zoe" {
		t.Fatalf("cashiers offered %q, want the one at the till first: paul,awa,zoe", got)
	}
	h.keys("down", "down", "enter")
	if !strings.Contains(h.m.View(), "Cashier: awa") {
		t.Fatalf("filter bar:\n%s", h.m.View())
	}
	recs := h.m.Records()
	if len(recs) != 2 || recs[0].Cashier != "awa" || recs[1].Cashier != "awa" {
		t.Fatalf("cashier awa lists %d records: %+v", len(recs), recs)
	}
	h.keys("enter")
	if v := h.m.View(); !strings.Contains(v, "Cashier") || !strings.Contains(v, "awa") {
		t.Fatalf("detail view does not name the cashier:\n%s", v)
	}
}

// TestSearchFindsAPhoneAsTyped: "+237 6 91 23 45 67" in the search finds
// the customer stored as 691234567 (through the phone index).
func TestSearchFindsAPhoneAsTyped(t *testing.T) {
	db := openDB(t)
	for i, p := range []string{"691234567", "677000111"} {
		if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, Amount: "100", Currency: "XAF",
			CustomerPhone: p, AppRef: "cp-" + p, Created: baseTime.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db, 80, 20, Options{})
	h.keys("/")
	h.typeText("+237 6 91 23 45 67")
	h.keys("enter")
	if recs := h.m.Records(); len(recs) != 1 || recs[0].CustomerPhone != "691234567" {
		t.Fatalf("search by phone as typed: %+v", recs)
	}
}

// TestWideHistoryShowsTheCashier: at 120 columns the table has a Cashier
// column; at 80 it keeps the customer and reference instead.
func TestWideHistoryShowsTheCashier(t *testing.T) {
	db := openDB(t)
	if err := db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, Amount: "100", Currency: "XAF",
		AppRef: "cp-x", Cashier: "Éloïse\x1b[2J", Created: baseTime}); err != nil {
		t.Fatal(err)
	}
	wide := newHarness(t, db, 120, 20, Options{})
	if v := wide.m.View(); !strings.Contains(v, "Cashier") || !strings.Contains(v, "Éloïse^[[2J") || strings.Contains(v, "\x1b[2J") {
		t.Fatalf("120 columns:\n%s", v)
	}
	narrow := newHarness(t, db, 80, 20, Options{})
	if v := narrow.m.View(); strings.Contains(v, "Éloïse") {
		t.Fatalf("80 columns gave the cashier a column:\n%s", v)
	}
}

// TestSearchLooksNamesUpAndFallsBackToText: a name typed in the search is
// answered from the name index (customers whose name starts so, not a
// reason that merely contains the letters); a word no customer is called
// falls back to the text search everywhere, on this page and the next.
func TestSearchLooksNamesUpAndFallsBackToText(t *testing.T) {
	db := openDB(t)
	recs := []store.Record{
		{CustomerName: "Marie Ngono", Reason: "loyer"},
		{CustomerName: "Paul Biya", Reason: "cadeau pour ngono"},
	}
	for i := 0; i < 30; i++ {
		recs = append(recs, store.Record{CustomerName: "Awa", Reason: fmt.Sprintf("loyer mars %d", i)})
	}
	for i := range recs {
		r := &recs[i]
		r.Type, r.State, r.Amount, r.Currency = store.TypePayin, store.StateSuccess, "100", "XAF"
		r.AppRef, r.Created = fmt.Sprintf("cp-%d", i), baseTime.Add(time.Duration(i)*time.Minute)
		if err := db.Create(r); err != nil {
			t.Fatal(err)
		}
	}
	h := newHarness(t, db, 80, 20, Options{})
	h.keys("/")
	h.typeText("ngo")
	h.keys("enter")
	if got := h.m.Records(); len(got) != 1 || got[0].CustomerName != "Marie Ngono" {
		t.Fatalf("name look-up: %+v", got)
	}
	h.keys("esc")
	h.keys("/")
	h.typeText("loyer")
	h.keys("enter")
	first := h.m.Records()
	if len(first) == 0 || len(first) >= 31 || first[0].Reason != "loyer mars 29" {
		t.Fatalf("text fallback, first page: %d records, %+v", len(first), first)
	}
	seen := len(first)
	for i := 0; i < 5 && seen < 31; i++ {
		h.keys("pgdown")
		seen += len(h.m.Records())
	}
	if seen != 31 {
		t.Fatalf("text fallback over the pages found %d records, want 31 (30 + Marie's)", seen)
	}
}
