package store

import (
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// preadLedger is a seeded ledger with the term "zqx-marker" put at random
// places (some in reasons long enough to need overflow pages) and records
// deleted here and there; all is the test's copy of what it holds.
func preadLedger(t *testing.T, seed int64) (db *DB, all map[uint64]Record) {
	t.Helper()
	db = openTemp(t)
	if err := Seed(db, 4000, seed, false); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(seed))
	for i := 0; i < 60; i++ {
		id := uint64(1 + rng.Intn(4000))
		reason := "facture zqx-MARKER " + strings.Repeat("x", rng.Intn(40))
		if i%4 == 0 { // a value over several pages
			reason = strings.Repeat("long text ", 1000+rng.Intn(2000)) + "ZQX-marker"
		}
		if _, err := db.Update(id, func(r *Record) error { r.Reason = reason; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	// Holes in the ids, as a record removed by hand would leave.
	err := db.update(func(tx *bolt.Tx, _ *txLog) error {
		for i := 0; i < 50; i++ {
			if err := tx.Bucket(bRecords).Delete(idKey(uint64(1 + rng.Intn(4000)))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all = map[uint64]Record{}
	if err := db.Scan(t.Context(), Filter{}, func(r Record) bool { all[r.ID] = r; return true }); err != nil {
		t.Fatal(err)
	}
	return db, all
}

// TestPreadScanSameAsCursor: the search that reads leaf pages with pread
// returns, page by page and slice by slice, exactly what the bbolt cursor
// returns and what a brute force over the records says, over ledgers with
// hits at random places, overflow values and holes; and it did serve the
// blocks (no quiet fallback to the cursor).
func TestPreadScanSameAsCursor(t *testing.T) {
	if !preadOK {
		t.Skip("not a little-endian machine: the fast path is off")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	oldBlock, oldWorkers, oldSlice := scanBlock, scanWorkersMax, walkSlice
	defer func() { scanBlock, scanWorkersMax, walkSlice, preadOK = oldBlock, oldWorkers, oldSlice, true }()
	scanWorkersMax = 2
	for seed := int64(1); seed <= 3; seed++ {
		db, all := preadLedger(t, seed)
		if n := len(reference(all, Filter{Search: "zqx-marker"})); n < 20 {
			t.Fatalf("seed %d: %d hits: too few", seed, n)
		}
		pages := func(f Filter, limit int) []uint64 {
			var got []uint64
			cursor := ""
			for {
				p, err := db.List(f, limit, cursor)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(p.Records)...)
				for _, r := range p.Records {
					if !sameRecord(r, all[r.ID]) {
						t.Fatalf("record %d differs from the ledger's", r.ID)
					}
				}
				if cursor = p.Next; cursor == "" {
					return got
				}
			}
		}
		since := time.Now().Add(-20 * 24 * time.Hour)
		for _, f := range []Filter{{Search: "zqx-marker"}, {Search: "nowhere-at-all"}, {Search: "ngono"},
			{Search: "zqx", Since: since}} {
			want := ids(reference(all, f))
			for _, block := range []uint64{61, 4096} {
				for _, slice := range []time.Duration{time.Nanosecond, time.Hour} {
					scanBlock, walkSlice = block, slice
					preadOK = false
					cursorGot := pages(f, 7)
					preadOK = true
					served, fell, walks := preadScans.Load(), preadFallbacks.Load(), parallelWalks.Load()
					got := pages(f, 7)
					if !slices.Equal(got, want) || !slices.Equal(cursorGot, want) {
						t.Fatalf("seed %d %+v block %d slice %v: pread %d records, cursor %d, want %d",
							seed, f, block, slice, len(got), len(cursorGot), len(want))
					}
					if parallelWalks.Load() > walks && preadScans.Load() == served {
						t.Fatalf("seed %d %+v: the pread path served no block", seed, f)
					}
					if block < 4096 && f.Since.IsZero() && parallelWalks.Load() == walks {
						t.Fatalf("seed %d %+v: no full scan", seed, f)
					}
					if preadFallbacks.Load() != fell {
						t.Fatalf("seed %d %+v: %d blocks fell back to the cursor", seed, f, preadFallbacks.Load()-fell)
					}
				}
			}
		}
	}
}

// TestPreadScanWhileWritten: another handle writes between the slices of a
// search (new hits, which come after the search began and so are not
// its; and rewritten records, whose pages move): the search returns what
// the ledger held when it began, as the cursor path does.
func TestPreadScanWhileWritten(t *testing.T) {
	if !preadOK {
		t.Skip("not a little-endian machine: the fast path is off")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	oldBlock, oldWorkers, oldSlice := scanBlock, scanWorkersMax, walkSlice
	defer func() { scanBlock, scanWorkersMax, walkSlice = oldBlock, oldWorkers, oldSlice }()
	scanBlock, scanWorkersMax, walkSlice = 61, 2, time.Nanosecond
	db, all := preadLedger(t, 7)
	other, err := Open(db.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	want := ids(reference(all, Filter{Search: "zqx-marker"}))
	rng := rand.New(rand.NewSource(7))
	writes := 0
	served := preadScans.Load()
	p, err := db.ListProgress(t.Context(), Filter{Search: "zqx-marker"}, 10000, "", func(Progress) {
		writes++
		if err := other.Create(&Record{Type: TypePayin, State: StateNew, Reason: "zqx-marker new"}); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 5; i++ {
			id := uint64(1 + rng.Intn(4000))
			if _, ok := all[id]; !ok {
				continue
			}
			// Not a searched field: what the search finds is unchanged.
			if _, err := other.Update(id, func(r *Record) error { r.Cashier = strings.Repeat("c", rng.Intn(300)); return nil }); err != nil {
				t.Fatal(err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if writes < 3 {
		t.Fatalf("only %d slices: the writer had no room", writes)
	}
	if got := ids(p.Records); !slices.Equal(got, want) {
		t.Fatalf("%d records while written, want %d:\n%v\n%v", len(got), len(want), got, want)
	}
	if preadScans.Load() == served {
		t.Fatal("the pread path served no block")
	}
}

// TestPreadScanRefusesWrongPages: a leaf the plan names that is not the
// page it says (here: a branch page, or a page of another bucket) is not
// read as records; the block goes back to the cursor.
func TestPreadScanRefusesWrongPages(t *testing.T) {
	if !preadOK {
		t.Skip("not a little-endian machine: the fast path is off")
	}
	db, _ := preadLedger(t, 11)
	err := db.view(func(tx *bolt.Tx) error {
		records := tx.Bucket(bRecords)
		hi := records.Sequence()
		plan, ok := planLeaves(tx, records, hi, 1)
		if !ok || len(plan.leaves) < 10 {
			t.Fatalf("no plan (%v) or too few leaves", ok)
		}
		overflowed := 0
		for _, l := range plan.leaves {
			var h [pageHeaderSize]byte
			if _, err := plan.f.ReadAt(h[:], int64(l.pgid)*int64(plan.psz)); err != nil {
				t.Fatal(err)
			}
			if h[12] != 0 || h[13] != 0 {
				overflowed++
			}
		}
		if overflowed == 0 {
			t.Fatal("no leaf with overflow pages: the ledgers do not test them")
		}
		q := compile(Filter{Search: "zqx-marker"})
		s := &preadScanner{p: plan}
		if _, ok := s.block(q, hi, 1); !ok {
			t.Fatal("the right plan was refused")
		}
		root := uint64(records.Root())
		for name, wrong := range map[string]uint64{"the root branch": root, "a meta page": 1} {
			bad := *plan
			bad.leaves = slices.Clone(plan.leaves)
			bad.leaves[5].pgid = wrong
			s := &preadScanner{p: &bad}
			if _, ok := s.block(q, hi, 1); ok {
				t.Errorf("%s taken for a leaf", name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPreadScanRootLeaf: a ledger small enough that the records bucket is
// one leaf page, its root, is scanned by pread too, and rightly.
func TestPreadScanRootLeaf(t *testing.T) {
	if !preadOK {
		t.Skip("not a little-endian machine: the fast path is off")
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	oldBlock, oldWorkers := scanBlock, scanWorkersMax
	defer func() { scanBlock, scanWorkersMax = oldBlock, oldWorkers }()
	scanBlock, scanWorkersMax = 2, 2
	db := openTemp(t)
	if err := Seed(db, 12, 3, false); err != nil {
		t.Fatal(err)
	}
	all := map[uint64]Record{}
	if err := db.Scan(t.Context(), Filter{}, func(r Record) bool { all[r.ID] = r; return true }); err != nil {
		t.Fatal(err)
	}
	err := db.view(func(tx *bolt.Tx) error {
		records := tx.Bucket(bRecords)
		plan, ok := planLeaves(tx, records, records.Sequence(), 1)
		if !ok || len(plan.leaves) != 1 || plan.leaves[0].pgid != uint64(records.Root()) {
			t.Fatalf("plan %v %+v: want the root leaf alone", ok, plan)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"a", "e", "nowhere-at-all"} {
		served := preadScans.Load()
		p, err := db.List(Filter{Search: term}, 100, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := ids(reference(all, Filter{Search: term})); !slices.Equal(ids(p.Records), want) {
			t.Fatalf("%q: %v, want %v", term, ids(p.Records), want)
		}
		if preadScans.Load() == served {
			t.Fatalf("%q: the pread path served no block", term)
		}
	}
}
