// Package ledgertest is the contract every ledger engine must keep (as
// river's riverdrivertest is for its drivers): the bbolt file and the
// PostgreSQL database run the same tests, so "the same guarantees" is
// shown, not claimed. Run takes an engine's name and a function that makes
// a fresh, empty ledger location (a file path or a URL); the tests open it
// through store.Open like every caller does, several times where the
// guarantee is about several desks, and in other processes where it is
// about processes (see Helper).
package ledgertest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// Fresh makes a new, empty ledger location.
type Fresh func(t *testing.T) string

func open(t *testing.T, loc string) *store.DB {
	t.Helper()
	db, err := store.Open(loc, store.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open %s: %v", store.Redact(loc), err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Run runs the contract against one engine.
func Run(t *testing.T, fresh Fresh) {
	t.Run("JournalBeforeSend", func(t *testing.T) { testJournal(t, fresh) })
	t.Run("UpdateRules", func(t *testing.T) { testUpdate(t, fresh) })
	t.Run("References", func(t *testing.T) { testRefs(t, fresh) })
	t.Run("ListAndFilters", func(t *testing.T) { testList(t, fresh) })
	t.Run("Settings", func(t *testing.T) { testSettings(t, fresh) })
	t.Run("Claims", func(t *testing.T) { testClaims(t, fresh) })
	t.Run("OneRecordPerTransaction", func(t *testing.T) { testCreateUnlessRef(t, fresh) })
	t.Run("ChangeFeed", func(t *testing.T) { testChanges(t, fresh) })
	t.Run("OwnersAcrossDesks", func(t *testing.T) { testOwners(t, fresh) })
	t.Run("OwnerKilled", func(t *testing.T) { testOwnerKilled(t, fresh) })
	t.Run("Unsettled", func(t *testing.T) { testUnsettled(t, fresh) })
	t.Run("ImportKeepsIDs", func(t *testing.T) { testImport(t, fresh) })
	t.Run("PayoutsToPhones", func(t *testing.T) { testPayoutsTo(t, fresh) })
}

// PayoutsTo (a batch file's recipients checked against the ledger) finds
// every payout to the phones asked, however they are written, and nothing
// else: not a payin to the same phone, not a payout to another one.
func testPayoutsTo(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	mk := func(typ store.Type, phone, app string) uint64 {
		r := rec(typ, store.StateSuccess, app)
		r.CustomerPhone = phone
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	a := mk(store.TypePayout, "670000001", "p-a")
	b := mk(store.TypePayout, "+237 690 000 002", "p-b")
	mk(store.TypePayin, "670000001", "in-a")
	mk(store.TypePayout, "655000003", "p-other")
	var got []uint64
	err := db.PayoutsTo(context.Background(), []string{"6 70 00 00 01", "00237690000002", "670000001"}, func(r store.Record) {
		got = append(got, r.ID)
	})
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []uint64{a, b}) {
		t.Fatalf("PayoutsTo = %v, %v; want %v", got, err, []uint64{a, b})
	}
}

// Import (what `ledger copy` writes with) keeps ids, is idempotent, brings
// a changed record up to date, refuses another transaction under a used
// id without writing any of the call, and moves the id sequence on.
func testImport(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	at := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	recs := []store.Record{rec(store.TypePayin, store.StateSuccess, "i-1"), rec(store.TypePayout, store.StatePending, "i-2")}
	recs[0].ID, recs[1].ID = 7, 40
	recs[0].Created, recs[1].Created = at, at.Add(time.Minute)
	res, err := db.Import(recs)
	if err != nil || res.Added != 2 {
		t.Fatalf("first Import = %+v, %v", res, err)
	}
	if res, err := db.Import(recs); err != nil || res.Added != 0 || res.Same != 2 {
		t.Fatalf("second Import = %+v, %v: must write nothing", res, err)
	}
	recs[1].State = store.StateSuccess
	if res, err := db.Import(recs); err != nil || res.Replaced != 1 || res.Same != 1 {
		t.Fatalf("Import of a changed record = %+v, %v", res, err)
	}
	if g, _ := db.Get(40); g.State != store.StateSuccess || g.AppRef != "i-2" {
		t.Fatalf("record 40 = %+v", g)
	}
	other := rec(store.TypePayin, store.StateSuccess, "another-shop")
	other.ID, other.Created = 7, at
	extra := rec(store.TypePayin, store.StateSuccess, "i-3")
	extra.ID, extra.Created = 41, at
	if _, err := db.Import([]store.Record{extra, other}); !errors.Is(err, store.ErrImportConflict) {
		t.Fatalf("conflicting Import: %v", err)
	}
	if _, err := db.Get(41); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused Import wrote record 41: %v", err)
	}
	if n, _ := db.Count(); n != 2 {
		t.Fatalf("Count = %d, want 2", n)
	}
	r := rec(store.TypePayin, store.StatePending, "after")
	if err := db.Create(&r); err != nil || r.ID <= 40 {
		t.Fatalf("Create after Import got id %d (%v)", r.ID, err)
	}
}

func rec(typ store.Type, st store.State, app string) store.Record {
	return store.Record{Type: typ, State: st, AppRef: app, Amount: "1500", Currency: "XAF", Operator: "CM_MOMO"}
}

// A record is durable and visible to every other desk once Create has
// returned: the caller may then send its request.
func testJournal(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	a, b := open(t, loc), open(t, loc)
	r := rec(store.TypePayout, store.StateNew, "app-1")
	if err := a.Create(&r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.Owner == "" || r.Created.IsZero() || len(r.Events) != 1 || r.Events[0].Kind != store.EvCreated {
		t.Fatalf("Create did not stamp the record: %+v", r)
	}
	got, err := b.Get(r.ID)
	if err != nil {
		t.Fatalf("the other desk does not see the journaled record: %v", err)
	}
	if got.AppRef != "app-1" || got.State != store.StateNew || got.Owner != r.Owner || !got.Created.Equal(r.Created) {
		t.Fatalf("the other desk sees %+v, want %+v", got, r)
	}
	r2 := rec(store.TypePayin, store.StateNew, "app-2")
	if err := b.Create(&r2); err != nil {
		t.Fatal(err)
	}
	if r2.ID == r.ID {
		t.Fatalf("two desks got the same id %d", r.ID)
	}
	if n, err := a.Count(); err != nil || n != 2 {
		t.Fatalf("Count = %d, %v; want 2", n, err)
	}
	if _, err := a.Get(999999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get(missing) = %v, want ErrNotFound", err)
	}
}

func testUpdate(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	r := rec(store.TypePayin, store.StateNew, "u-1")
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	out, err := db.Update(r.ID, func(x *store.Record) error {
		x.State = store.StatePending
		x.Events = append(x.Events, store.Event{At: time.Now(), Kind: store.EvSent})
		return nil
	})
	if err != nil || out.State != store.StatePending || len(out.Events) != 2 {
		t.Fatalf("Update = %+v, %v", out, err)
	}
	if g, _ := db.Get(r.ID); g.State != store.StatePending || len(g.Events) != 2 || !g.Updated.After(r.Created) && !g.Updated.Equal(r.Created) {
		t.Fatalf("stored after Update: %+v", g)
	}
	_, err = db.Update(r.ID, func(x *store.Record) error {
		x.Events = x.Events[:1]
		x.State = store.StateSuccess
		return nil
	})
	if !errors.Is(err, store.ErrEventsRewritten) {
		t.Fatalf("dropping an event: %v, want ErrEventsRewritten", err)
	}
	mine := errors.New("mine")
	if _, err := db.Update(r.ID, func(x *store.Record) error { x.State = store.StateFailed; return mine }); err != mine {
		t.Fatalf("fn's error came back as %v", err)
	}
	if g, _ := db.Get(r.ID); g.State != store.StatePending {
		t.Fatalf("a refused update was written: %s", g.State)
	}
	if _, err := db.Update(424242, func(*store.Record) error { return nil }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Update(missing) = %v", err)
	}
}

func testRefs(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	var recs []store.Record
	for i, line := range []int{3, 1, 2} {
		r := rec(store.TypePayout, store.StateSuccess, fmt.Sprintf("b-%d", i))
		r.Batch, r.BatchLine, r.TransactionRef = "pay-2026-12", line, fmt.Sprintf("tx-%d", i)
		recs = append(recs, r)
	}
	other := rec(store.TypePayout, store.StateSuccess, "other")
	other.Batch = "another"
	recs = append(recs, other)
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	got, err := db.ByBatch("pay-2026-12")
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range got {
		lines = append(lines, r.BatchLine)
	}
	if !slices.Equal(lines, []int{1, 2, 3}) {
		t.Fatalf("ByBatch lines = %v, want [1 2 3]", lines)
	}
	if r, err := db.ByAppRef("b-1"); err != nil || r.TransactionRef != "tx-1" {
		t.Fatalf("ByAppRef = %+v, %v", r, err)
	}
	if r, err := db.ByTransactionRef("tx-2"); err != nil || r.AppRef != "b-2" {
		t.Fatalf("ByTransactionRef = %+v, %v", r, err)
	}
	if _, err := db.ByTransactionRef("nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing ref: %v", err)
	}
	if ok, err := db.HasReal(); err != nil || !ok {
		t.Fatalf("HasReal = %v, %v", ok, err)
	}
}

// testList checks paging and every filter against the answer computed here
// from the records themselves.
func testList(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	names := []string{"Marie Ngo", "Paul Biya Jr", "Ébène Kamga", "marc NGONO", "Zoé 100%_off"}
	var recs []store.Record
	for i := 0; i < 230; i++ {
		typ := []store.Type{store.TypePayin, store.TypePayout, store.TypePaylink}[i%3]
		st := []store.State{store.StateSuccess, store.StatePending, store.StateFailed, store.StateUnknown}[i%4]
		r := rec(typ, st, fmt.Sprintf("app-%03d", i))
		r.CustomerName = names[i%len(names)]
		r.CustomerPhone = fmt.Sprintf("6 9%d 00 00 %02d", i%3, i%7)
		r.Cashier = []string{"Awa", " awa ", "Bello", ""}[i%4]
		// Created goes back and forth, and several share a time.
		r.Created = base.Add(time.Duration((i*37)%101) * time.Minute)
		r.Synthetic = i%10 == 0
		recs = append(recs, r)
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	newestFirst := func(a, b store.Record) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		switch {
		case a.ID > b.ID:
			return -1
		case a.ID < b.ID:
			return 1
		}
		return 0
	}
	cases := []struct {
		name string
		f    store.Filter
		want func(r store.Record) bool
	}{
		{"all", store.Filter{}, func(store.Record) bool { return true }},
		{"type+state", store.Filter{Types: []store.Type{store.TypePayout}, States: []store.State{store.StatePending, store.StateUnknown}},
			func(r store.Record) bool {
				return r.Type == store.TypePayout && (r.State == store.StatePending || r.State == store.StateUnknown)
			}},
		{"window", store.Filter{Since: base.Add(20 * time.Minute), Until: base.Add(50 * time.Minute)},
			func(r store.Record) bool {
				return !r.Created.Before(base.Add(20*time.Minute)) && r.Created.Before(base.Add(50*time.Minute))
			}},
		{"search ascii", store.Filter{Search: "NGO"}, func(r store.Record) bool { return strings.Contains(strings.ToLower(r.CustomerName), "ngo") }},
		{"search accents", store.Filter{Search: "ébène"}, func(r store.Record) bool { return r.CustomerName == "Ébène Kamga" }},
		{"search like chars", store.Filter{Search: "100%_"}, func(r store.Record) bool { return strings.HasPrefix(r.CustomerName, "Zoé") }},
		{"search percent alone", store.Filter{Search: "%"}, func(r store.Record) bool { return strings.HasPrefix(r.CustomerName, "Zoé") }},
		{"cashier", store.Filter{Cashier: "AWA"}, func(r store.Record) bool { return strings.TrimSpace(strings.ToLower(r.Cashier)) == "awa" }},
		{"customer phone", store.Filter{Customer: "+237 691 00 00 03"}, func(r store.Record) bool { return store.PhoneKey(r.CustomerPhone) == store.PhoneKey("691000003") }},
		{"customer words", store.Filter{Customer: "ngo ma"}, func(r store.Record) bool {
			return r.CustomerName == "Marie Ngo" || r.CustomerName == "marc NGONO"
		}},
		{"customer accent", store.Filter{Customer: "ebe"}, func(r store.Record) bool { return r.CustomerName == "Ébène Kamga" }},
		{"nothing", store.Filter{Search: "zzzz"}, func(store.Record) bool { return false }},
	}
	for _, c := range cases {
		var want []store.Record
		for _, r := range recs {
			if c.want(r) {
				want = append(want, r)
			}
		}
		slices.SortFunc(want, newestFirst)
		// Pages of 17: every record once, in order, whatever the page.
		var got []store.Record
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := db.List(c.f, 17, cursor)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if len(p.Records) > 17 || pages > 50 {
				t.Fatalf("%s: page of %d, %d pages", c.name, len(p.Records), pages)
			}
			got = append(got, p.Records...)
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d records, want %d", c.name, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("%s: record %d is id %d, want %d", c.name, i, got[i].ID, want[i].ID)
			}
		}
		// Scan gives the same records in the same order.
		var scanned []uint64
		if err := db.Scan(context.Background(), c.f, func(r store.Record) bool { scanned = append(scanned, r.ID); return true }); err != nil {
			t.Fatal(err)
		}
		if len(scanned) != len(want) || (len(want) > 0 && scanned[0] != want[0].ID) {
			t.Fatalf("%s: Scan gave %d records", c.name, len(scanned))
		}
	}
	if _, err := db.List(store.Filter{}, 10, "garbage!"); !errors.Is(err, store.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
	cs, err := db.RecentCustomers(context.Background(), "ngo", 50)
	phones := map[string]bool{}
	for _, r := range recs {
		if r.CustomerName == "Marie Ngo" || r.CustomerName == "marc NGONO" {
			phones[store.PhoneKey(r.CustomerPhone)] = true
		}
	}
	if err != nil || len(cs) != len(phones) {
		t.Fatalf("RecentCustomers(ngo) = %d customers, %v; want %d (one per phone)", len(cs), err, len(phones))
	}
	for _, c := range cs {
		if c.CustomerName != "Marie Ngo" && c.CustomerName != "marc NGONO" {
			t.Fatalf("RecentCustomers(ngo) proposed %q", c.CustomerName)
		}
	}
}

func testSettings(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	a, b := open(t, loc), open(t, loc)
	if err := a.SetSetting("lang", "fr"); err != nil {
		t.Fatal(err)
	}
	if v, ok, err := b.Setting("lang"); err != nil || !ok || v != "fr" {
		t.Fatalf("Setting = %q %v %v", v, ok, err)
	}
	if err := a.SetSetting("merchant_private_key", "x"); !errors.Is(err, store.ErrSecretSetting) {
		t.Fatalf("secret setting: %v", err)
	}
	if err := b.SetSetting("lang", ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := a.Setting("lang"); ok {
		t.Fatal("an emptied setting is still there")
	}
	a.SetSetting("a", "1")
	a.SetSetting("b", "2")
	if m, err := b.Settings(); err != nil || len(m) != 2 || m["b"] != "2" {
		t.Fatalf("Settings = %v, %v", m, err)
	}
}

func testClaims(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	a, b := open(t, loc), open(t, loc)
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := store.Claim{Key: "k1", TransactionRef: "tx1", Type: "PAYIN", Amount: "100", Currency: "XAF", Received: t0.Add(time.Minute)}
	st, fresh1, err := a.AddClaim(c)
	if err != nil || !fresh1 || st.State != store.ClaimWaiting {
		t.Fatalf("AddClaim = %+v %v %v", st, fresh1, err)
	}
	c.Amount = "999"
	st, fresh2, err := b.AddClaim(c)
	if err != nil || fresh2 || st.Amount != "100" {
		t.Fatalf("second AddClaim = %+v %v %v: must keep the first", st, fresh2, err)
	}
	b.AddClaim(store.Claim{Key: "k0", TransactionRef: "tx0", Received: t0})
	if _, err := a.UpdateClaim("k1", func(c *store.Claim) error { c.State = store.ClaimConfirmed; c.Tries++; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, err := b.Claim("k1"); err != nil || got.State != store.ClaimConfirmed || got.Tries != 1 {
		t.Fatalf("Claim = %+v %v", got, err)
	}
	all, err := b.Claims("")
	if err != nil || len(all) != 2 || all[0].Key != "k0" {
		t.Fatalf("Claims() = %+v %v; want k0 first (oldest)", all, err)
	}
	waiting, _ := b.Claims(store.ClaimWaiting)
	if len(waiting) != 1 || waiting[0].Key != "k0" {
		t.Fatalf("Claims(waiting) = %+v", waiting)
	}
	if _, err := a.Claim("none"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing claim: %v", err)
	}
}

// Two desks (and several goroutines each) confirming the same callback
// make one record.
func testCreateUnlessRef(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	dbs := []*store.DB{open(t, loc), open(t, loc)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(db *store.DB) {
			defer wg.Done()
			r := rec(store.TypePayin, store.StateReported, "")
			r.TransactionRef = "tx-same"
			_, c, err := db.CreateUnlessRef(&r)
			if err != nil {
				t.Error(err)
			}
			if c {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}(dbs[i%2])
	}
	wg.Wait()
	if created != 1 {
		t.Fatalf("%d records created for one transaction", created)
	}
	if n, _ := dbs[0].Count(); n != 1 {
		t.Fatalf("Count = %d", n)
	}
}

// A write by one desk moves the change counter every desk reads, and the
// change set names what changed.
func testChanges(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	a, b := open(t, loc), open(t, loc)
	n0, err := b.Changes()
	if err != nil {
		t.Fatal(err)
	}
	r := rec(store.TypePayin, store.StatePending, "c-1")
	if err := a.Create(&r); err != nil {
		t.Fatal(err)
	}
	n1, _ := b.Changes()
	if n1 == n0 {
		t.Fatal("the change counter did not move after another desk's write")
	}
	cs, recs, err := b.Watch(n0, 10)
	if err != nil || cs.Now != n1 || cs.All || !slices.Equal(cs.IDs, []uint64{r.ID}) || len(recs) != 1 || recs[0].AppRef != "c-1" {
		t.Fatalf("Watch = %+v %d records %v", cs, len(recs), err)
	}
	a.SetSetting("x", "y")
	cs, err = b.ChangedSince(n1)
	if err != nil || !cs.Settings || len(cs.IDs) != 0 {
		t.Fatalf("ChangedSince after a setting = %+v %v", cs, err)
	}
	if cs, _ := b.ChangedSince(cs.Now); len(cs.IDs) != 0 || cs.All || cs.Settings {
		t.Fatalf("nothing changed, yet %+v", cs)
	}
	// A bulk write says "everything".
	bulk := make([]store.Record, 300)
	for i := range bulk {
		bulk[i] = rec(store.TypePayin, store.StateSuccess, fmt.Sprint("bulk-", i))
	}
	now, _ := b.Changes()
	a.Insert(bulk)
	if cs, _ := b.ChangedSince(now); !cs.All {
		t.Fatalf("a bulk insert of 300: %+v", cs)
	}
}

// A NEW record is left alone while the desk that journaled it has the
// ledger open, and is an orphan once it closed.
func testOwners(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	a, b := open(t, loc), open(t, loc)
	r := rec(store.TypePayout, store.StateNew, "o-1")
	if err := a.Create(&r); err != nil {
		t.Fatal(err)
	}
	if alive, err := b.OwnerAlive(r.Owner); err != nil || !alive {
		t.Fatalf("the other desk sees owner %q alive=%v err=%v", r.Owner, alive, err)
	}
	if orph, err := b.Orphaned(); err != nil || len(orph) != 0 {
		t.Fatalf("Orphaned while its owner lives: %d, %v", len(orph), err)
	}
	a.Close()
	orph, err := b.Orphaned()
	if err != nil || len(orph) != 1 || orph[0].ID != r.ID {
		t.Fatalf("Orphaned after the owner closed: %+v, %v", orph, err)
	}
	if alive, _ := b.OwnerAlive("garbage"); alive {
		t.Fatal("a malformed owner is alive")
	}
}

func testUnsettled(t *testing.T, fresh Fresh) {
	db := open(t, fresh(t))
	old := time.Now().Add(-48 * time.Hour)
	recs := []store.Record{rec(store.TypePayin, store.StatePending, "p"), rec(store.TypePayin, store.StateSuccess, "s"),
		rec(store.TypePayin, store.State("WEIRD"), "w"), rec(store.TypePayin, store.StateUnknown, "old")}
	recs[3].Created = old
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	u, err := db.Unsettled()
	if err != nil || len(u) != 3 {
		t.Fatalf("Unsettled = %d, %v; want 3 (an unknown state counts)", len(u), err)
	}
	u, err = db.UnsettledSince(time.Now().Add(-time.Hour))
	if err != nil || len(u) != 2 {
		t.Fatalf("UnsettledSince = %d, %v; want 2", len(u), err)
	}
}

// Helper is the other-process side of the tests: call it first in
// TestMain. With COOLPAY_LEDGERTEST_OWNER=<location> set, the process opens
// the ledger, journals one NEW payout, prints "ID <id> <owner>" and waits
// to be killed.
func Helper() {
	loc := os.Getenv("COOLPAY_LEDGERTEST_OWNER")
	if loc == "" {
		return
	}
	if d, err := time.ParseDuration(os.Getenv("COOLPAY_LEDGERTEST_LEASE")); err == nil {
		store.SetOwnerLease(d)
	}
	db, err := store.Open(loc, store.Options{})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	r := rec(store.TypePayout, store.StateNew, "helper")
	if err := db.Create(&r); err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	fmt.Printf("ID %d %s\n", r.ID, r.Owner)
	select {}
}

// StartOwner runs Helper in another process on loc and returns it with the
// id of its NEW record.
func StartOwner(t *testing.T, loc string, env ...string) (*exec.Cmd, uint64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "COOLPAY_LEDGERTEST_OWNER="+loc), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 || f[0] != "ID" {
		t.Fatalf("owner process said %q (%v)", line, err)
	}
	id, _ := strconv.ParseUint(f[1], 10, 64)
	return cmd, id
}

// WaitOrphaned polls db until record id is an orphan, failing after limit.
func WaitOrphaned(t *testing.T, db *store.DB, id uint64, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		orph, err := db.Orphaned()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range orph {
			if r.ID == id {
				return time.Since(start)
			}
		}
		if time.Since(start) > limit {
			t.Fatalf("record %d is still owned %v after its owner went", id, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A desk killed with SIGKILL while its payout is in flight: another desk
// sees the record owned while the process lives, and an orphan (to be
// marked UNKNOWN) once it is gone.
func testOwnerKilled(t *testing.T, fresh Fresh) {
	loc := fresh(t)
	db := open(t, loc)
	cmd, id := StartOwner(t, loc)
	orph, err := db.Orphaned()
	if err != nil {
		t.Fatal(err)
	}
	if len(orph) != 0 {
		t.Fatalf("record %d of a live process is an orphan", id)
	}
	r, _ := db.Get(id)
	if alive, _ := db.OwnerAlive(r.Owner); !alive {
		t.Fatal("the live owner process is not alive")
	}
	cmd.Process.Kill() // SIGKILL: no deferred clean-up runs
	cmd.Wait()
	WaitOrphaned(t, db, id, 10*time.Second)
}
