package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/history"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// A second handle on the same file stands for another process (the
// listener, reconcile, status REF): what it writes must reach the open
// console's History at the next look, without a restart. The real
// multi-process flow (separate binaries) is in ui/e2e.
func TestConsoleShowsWhatAnotherWriterChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	pending := store.Record{Type: store.TypePayout, State: store.StatePending, Amount: "5000", Currency: "XAF",
		Operator: "CM_MOMO", CustomerPhone: "677000001", AppRef: "cp-watch-1", TransactionRef: "TXWATCH1"}
	if err := db.Create(&pending); err != nil {
		t.Fatal(err)
	}

	h := newHarness(t, offline(db), Options{Start: TabHistory})
	h.send(watchMsg{first: true, cs: store.ChangeSet{Now: mustChanges(t, db)}})
	hist := func() *history.Model { return h.m.Screen(TabHistory).(*history.Model) }
	if got := hist().Records(); len(got) != 1 || got[0].State != store.StatePending {
		t.Fatalf("History before: %+v", got)
	}

	other, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Update(pending.ID, func(r *store.Record) error {
		r.State = store.StateSuccess
		r.Events = append(r.Events, store.Event{At: r.Updated, Kind: store.EvFinal, Detail: "settled elsewhere"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	added := store.Record{Type: store.TypePayin, State: store.StatePending, Amount: "700", Currency: "XAF",
		AppRef: "cp-watch-2", TransactionRef: "TXWATCH2"}
	if err := other.Create(&added); err != nil {
		t.Fatal(err)
	}

	h.send(watchTickMsg{})
	got := hist().Records()
	if len(got) != 2 {
		t.Fatalf("the record another writer added is not listed: %+v", got)
	}
	for _, r := range got {
		if r.ID == pending.ID && r.State != store.StateSuccess {
			t.Fatalf("the record another writer settled still shows %s", r.State)
		}
	}

	// Nothing changed since: the next look costs one read and changes
	// nothing on screen.
	before := h.m.changes
	h.send(watchTickMsg{})
	if h.m.changes != before {
		t.Fatalf("counter moved without a write: %d -> %d", before, h.m.changes)
	}
}

func mustChanges(t *testing.T, db *store.DB) uint64 {
	t.Helper()
	n, err := db.Changes()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConsoleMarksPaymentsCutOffByAnotherProcess: a payment journaled by a
// coolpay process that died before its answer came (its owner lock is gone)
// is marked UNKNOWN by an open console within a few looks, without waiting
// for a restart; the console's own records are never touched.
func TestConsoleMarksPaymentsCutOffByAnotherProcess(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	orphan := store.Record{Type: store.TypePayout, State: store.StateNew, Amount: "5000", Currency: "XAF",
		Operator: "CM_MOMO", CustomerPhone: "677000002", AppRef: "cp-dead-1",
		Owner: "999999-0123456789abcdef"} // no process holds this owner's lock
	if err := db.Create(&orphan); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, c, Options{Start: TabHistory})
	h.send(watchMsg{first: true, cs: store.ChangeSet{Now: mustChanges(t, db)}})
	for i := 0; i < recoverEvery; i++ {
		h.send(watchTickMsg{})
	}
	got, err := db.Get(orphan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.StateUnknown {
		t.Fatalf("the cut-off payment is %s, want UNKNOWN", got.State)
	}
	if !strings.Contains(h.m.Status(), "1 payment(s) cut off") {
		t.Fatalf("status line: %q", h.m.Status())
	}
	for _, r := range h.m.Screen(TabHistory).(*history.Model).Records() {
		if r.ID == orphan.ID && r.State != store.StateUnknown {
			t.Fatalf("History shows it %s", r.State)
		}
	}
}

// TestFollowWithoutAnAPIStops: asked to follow a record while no API is
// configured, the offline console stops at its first poll and says why,
// instead of polling a service it does not have.
func TestFollowWithoutAnAPIStops(t *testing.T) {
	db := openDB(t)
	seed(t, db, 4)
	h := newHarness(t, offline(db), Options{Start: TabHistory})
	h.send(common.FollowMsg{ID: 4})
	if n := h.m.Following(); n != 0 || !strings.Contains(h.m.Status(), "Stopped following #4") {
		t.Fatalf("offline follow: following %d, status %q", n, h.m.Status())
	}
}

// TestCashierChangedElsewhereAppliesToTheNextPayment: the service keeps the
// cashier read at start-up (no ledger read at each payment); when another
// process sets the cashier (coolpay config set cashier), the watcher's next
// look hands the new name to the service.
func TestCashierChangedElsewhereAppliesToTheNextPayment(t *testing.T) {
	t.Setenv("USER", "kiosk1")
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c, _ := online(t, db)
	h := newHarness(t, c, Options{Start: TabHistory})
	h.send(watchMsg{first: true, cs: store.ChangeSet{Now: mustChanges(t, db)}})
	if got := h.m.c.Svc.Cashier(); got != "kiosk1" {
		t.Fatalf("cashier at start %q, want the OS user", got)
	}
	other, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.SetSetting(common.SettingCashier, "Binta\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	h.send(watchTickMsg{})
	if got := h.m.c.Svc.Cashier(); got != "Binta[2J" {
		t.Fatalf("cashier after another process set it: %q", got)
	}
}

// TestDeskCashierChangedElsewhereAppliesToTheNextPayment: on a shared
// ledger the cashier is kept in this desk's settings file, which moves no
// change counter; the watcher's next look still hands a name another
// process wrote there (coolpay config set cashier) to the service.
func TestDeskCashierChangedElsewhereAppliesToTheNextPayment(t *testing.T) {
	t.Setenv("USER", "kiosk1")
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	desk := filepath.Join(dir, "desk-settings.json")
	db.KeepLocal(&config.DeskFile{Path: desk})
	c, _ := online(t, db)
	h := newHarness(t, c, Options{Start: TabHistory})
	n := mustChanges(t, db)
	h.send(watchMsg{first: true, cs: store.ChangeSet{Now: n}})
	if got := h.m.c.Svc.Cashier(); got != "kiosk1" {
		t.Fatalf("cashier at start %q, want the OS user", got)
	}
	other := &config.DeskFile{Path: desk} // another process of this desk
	if err := other.Set(string(config.Cashier), "Binta"); err != nil {
		t.Fatal(err)
	}
	h.send(watchTickMsg{})
	if got := h.m.c.Svc.Cashier(); got != "Binta" {
		t.Fatalf("cashier after another process set it: %q", got)
	}
	if mustChanges(t, db) != n {
		t.Fatal("the ledger's change counter moved: the test shows nothing")
	}
}
