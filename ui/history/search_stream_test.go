package history

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
)

// TestSearchNeverShowsTheRowsOfTheQueryBefore: the moment a text search
// is applied, the unfiltered rows leave the table and a "Searching…" line
// stands there (not "No transaction matches"), the pager says how far the
// scan has read, hits show as they are reported, a report of a superseded
// search is dropped, and the final page is the search's answer.
func TestSearchNeverShowsTheRowsOfTheQueryBefore(t *testing.T) {
	db := openDB(t)
	seed(t, db, 60)
	h := newHarness(t, db, 100, 20, Options{Debounce: time.Hour})
	if len(h.m.Records()) == 0 {
		t.Fatal("no first page")
	}
	unfiltered := h.m.View()
	h.keys("/")
	h.typeText("zzq-nowhere")
	// Enter applies the search; its command (the scan) is not run yet.
	_, cmd := h.m.Update(keyMsg("enter"))
	if cmd == nil {
		t.Fatal("applying a search started nothing")
	}
	v := h.m.View()
	if len(h.m.Records()) != 0 || strings.Contains(v, "Alice Mbarga") || strings.Contains(v, "Bruno Etoa") {
		t.Fatalf("the rows of the query before are still on screen under the search:\n%s", v)
	}
	if !strings.Contains(v, "Searching…") || strings.Contains(v, "No transaction matches") {
		t.Fatalf("no searching line while the scan runs:\n%s", v)
	}
	if !strings.Contains(unfiltered, "Alice Mbarga") {
		t.Fatalf("the unfiltered view did not show the names this test looks for:\n%s", unfiltered)
	}

	// The scan reports: 43% read, nothing found yet.
	id := h.m.loadID
	next := make(chan tea.Msg, 1)
	cmd2 := h.m.onSearchProgress(searchProgressMsg{id: id, progress: store.Progress{Scanned: 430, Total: 1000}, next: next})
	if cmd2 == nil {
		t.Fatal("a report of the current search did not ask for the next one")
	}
	v = h.m.View()
	if !strings.Contains(v, "searching… 43%") || !strings.Contains(v, "43% read (430 of 1 000 records), no match yet") {
		t.Fatalf("progress not shown:\n%s", v)
	}
	// Then a first hit: it shows at once, the scan still going.
	hit := store.Record{ID: 4242, Type: store.TypePayin, State: store.StateSuccess, CustomerName: "Zzq Nowhere-Kamga", Created: baseTime}
	h.m.onSearchProgress(searchProgressMsg{id: id, progress: store.Progress{Scanned: 610, Total: 1000, Records: []store.Record{hit}}, next: next})
	v = h.m.View()
	if !strings.Contains(v, "Zzq Nowhere-Kamga") || !strings.Contains(v, "searching… 61%") {
		t.Fatalf("first hit or progress not shown:\n%s", v)
	}
	// A report of a superseded request changes nothing and asks for
	// nothing more.
	if c := h.m.onSearchProgress(searchProgressMsg{id: id - 1, progress: store.Progress{Scanned: 999, Total: 1000,
		Records: []store.Record{{ID: 1, CustomerName: "Stale Row"}}}, next: next}); c != nil {
		t.Fatal("a stale report asked for more")
	}
	if v := h.m.View(); strings.Contains(v, "Stale Row") || !strings.Contains(v, "searching… 61%") {
		t.Fatalf("a stale report reached the screen:\n%s", v)
	}
	// The real scan's answer: nothing matches.
	h.run(cmd, 0)
	v = h.m.View()
	if h.m.loading || len(h.m.Records()) != 0 || !strings.Contains(v, "No transaction matches") || strings.Contains(v, "earching") {
		t.Fatalf("final answer not shown (loading %v, %d records):\n%s", h.m.loading, len(h.m.Records()), v)
	}
}

// TestSearchStreamsTheRealAnswer: the streamed command chain, run against a
// real ledger, ends with the search's page (what List says) and leaves no
// report behind; a second search started before the first answers wins.
func TestSearchStreamsTheRealAnswer(t *testing.T) {
	db := openDB(t)
	seed(t, db, 200)
	h := newHarness(t, db, 100, 20, Options{Debounce: time.Hour})
	h.keys("/")
	h.typeText("order 1")
	_, first := h.m.Update(keyMsg("enter"))
	// Another search supersedes it before its answer is read.
	h.keys("/")
	for range "order 1" {
		h.send(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	h.typeText("didier")
	h.send(keyMsg("enter"))
	h.run(first, 0) // the superseded scan's messages, if any, are dropped
	want, err := db.List(store.Filter{Search: "didier"}, h.m.rows(), "")
	if err != nil {
		t.Fatal(err)
	}
	if h.m.loading || len(want.Records) == 0 || len(h.m.Records()) != len(want.Records) {
		t.Fatalf("loading %v, %d records, want %d", h.m.loading, len(h.m.Records()), len(want.Records))
	}
	for i, r := range h.m.Records() {
		if r.ID != want.Records[i].ID || !strings.Contains(strings.ToLower(r.CustomerName), "didier") {
			t.Fatalf("row %d is #%d %q, want #%d", i, r.ID, r.CustomerName, want.Records[i].ID)
		}
	}
}
