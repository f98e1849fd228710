package history

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// TestBatchViewListsOneBatchInLineOrder: b on a batch payout narrows History
// to that batch, in spreadsheet line order, paged, with a tally; other
// records and other batches are not shown; esc goes back to the ledger.
func TestBatchViewListsOneBatchInLineOrder(t *testing.T) {
	db := openDB(t)
	seed(t, db, 10)
	var recs []store.Record
	// Lines sent out of order, interleaved with another batch.
	for i, line := range []int{4, 2, 3, 6, 5, 7, 8, 9, 10, 11, 12, 13} {
		st := store.StateSuccess
		if line == 5 {
			st = store.StateUnknown
		}
		recs = append(recs, store.Record{Type: store.TypePayout, State: st, Amount: "1000", Currency: "XAF",
			Operator: "CM_MOMO", CustomerName: fmt.Sprintf("Line %d", line), Batch: "paie.csv", BatchLine: line,
			AppRef: fmt.Sprintf("cp-b-%d", line), Created: baseTime.Add(time.Hour + time.Duration(i)*time.Minute)})
		if i == 3 {
			recs = append(recs, store.Record{Type: store.TypePayout, State: store.StateSuccess, Amount: "5",
				Currency: "XAF", Batch: "other.csv", BatchLine: 2, AppRef: "cp-other",
				Created: baseTime.Add(time.Hour + time.Duration(i)*time.Minute + time.Second)})
		}
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db, 100, 12, Options{}) // 8 rows a page
	// The newest record is line 13 of paie.csv.
	if r, ok := h.m.Selected(); !ok || r.Batch != "paie.csv" {
		t.Fatalf("selected %+v", r)
	}
	helps := ""
	for _, b := range h.m.ShortHelp() {
		helps += b.Help().Key + " " + b.Help().Desc + "; "
	}
	mustHave(t, helps, "b this batch")
	h.keys("b")
	v := h.m.View()
	mustHave(t, v, "Batch paie.csv", "12 payout(s), 12 000 XAF", "11 ✔ success", "1 ? unknown", "Line")
	got := h.m.Records()
	if len(got) != 8 || got[0].BatchLine != 2 || got[7].BatchLine != 9 {
		t.Fatalf("first page: %d records, lines %d..%d", len(got), got[0].BatchLine, got[len(got)-1].BatchLine)
	}
	if strings.Contains(v, "other.csv") || strings.Contains(v, "Alice") {
		t.Fatalf("records outside the batch shown:\n%s", v)
	}
	h.keys("pgdown")
	if got := h.m.Records(); len(got) != 4 || got[0].BatchLine != 10 || got[3].BatchLine != 13 {
		t.Fatalf("second page: %+v", got)
	}
	h.keys("esc")
	if v := h.m.View(); strings.Contains(v, "Batch paie.csv") || len(h.m.Records()) != 8 || h.m.Records()[0].BatchLine != 13 {
		t.Fatalf("esc should go back to the whole ledger, newest first:\n%s", v)
	}
}

func mustHave(t *testing.T, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("view lacks %q:\n%s", w, view)
		}
	}
}
