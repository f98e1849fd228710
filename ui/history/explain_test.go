package history

import (
	"testing"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
)

// History opened before any payment, then payments made one after another
// (as on a fresh day): the selection is on the newest row each time, not on
// the first record of the day sliding down the page. A row the cashier chose
// stays chosen.
func TestHistoryStaysOnTheNewestRowAsPaymentsArrive(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, db, 80, 24, Options{})
	var last uint64
	for i := range 4 {
		r := store.Record{Type: store.TypePayin, State: store.StateNew, Amount: "500", Currency: "XAF", CustomerName: "Client"}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		h.send(common.LedgerChangedMsg{})
		if sel, ok := h.m.Selected(); !ok || sel.ID != r.ID {
			t.Fatalf("after payment %d the selection is #%d, want the newest #%d", i+1, sel.ID, r.ID)
		}
		last = r.ID
	}
	h.keys("down") // the cashier picks an older one
	picked, _ := h.m.Selected()
	r := store.Record{Type: store.TypePayin, State: store.StateNew, Amount: "700", Currency: "XAF"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	h.send(common.LedgerChangedMsg{})
	if sel, _ := h.m.Selected(); sel.ID != picked.ID || picked.ID == last {
		t.Fatalf("a row the cashier chose (#%d) was left for #%d", picked.ID, sel.ID)
	}
}
