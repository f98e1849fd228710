package store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// v1Cursor is a cursor as coolpay wrote them before listings followed
// creation time: version 1 and the last record's id.
func v1Cursor(id uint64) string {
	var b [9]byte
	b[0] = cursorV1
	binary.BigEndian.PutUint64(b[1:], id)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// outOfOrderLedger inserts n records whose creation times do not follow
// the order they are added in (an import of old payments, a clock set
// back), several sharing one time, with the states spread so that one is
// rare and another common.
func outOfOrderLedger(t *testing.T, db *DB, n int) map[uint64]Record {
	t.Helper()
	rng := rand.New(rand.NewPCG(9, 9))
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	gen := Synthesize(n, 5, base)
	recs := make([]Record, n)
	for i := range recs {
		r := gen(i)
		// Minutes drawn at random over ten days; a few collide.
		r.Created = base.Add(time.Duration(rng.IntN(14400)) * time.Minute)
		if i%7 == 0 {
			r.Created = base.Add(time.Duration(i%50) * time.Hour) // ties
		}
		r.Updated = r.Created
		switch {
		case i%97 == 0:
			r.State = StateReported // rare: read from its index and sorted
		case i%3 == 0:
			r.State = StateFailed // common: walked in the time index
		}
		if i%11 == 0 {
			r.Cashier = "Aïcha"
		}
		recs[i] = r
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	all := map[uint64]Record{}
	for _, r := range recs {
		all[r.ID] = r
	}
	return all
}

// listAll pages through f with limit-sized pages and returns the ids,
// failing on a page over the limit, a short page with a next cursor, or a
// paging that does not end.
func listAll(t *testing.T, db *DB, f Filter, limit int) []uint64 {
	t.Helper()
	var got []uint64
	cursor := ""
	for pages := 0; ; pages++ {
		p, err := db.List(f, limit, cursor)
		if err != nil {
			t.Fatalf("%+v limit %d: %v", f, limit, err)
		}
		if len(p.Records) > limit || (p.Next != "" && len(p.Records) != limit) {
			t.Fatalf("%+v: page of %d (limit %d) with next %q", f, len(p.Records), limit, p.Next)
		}
		got = append(got, ids(p.Records)...)
		if p.Next == "" {
			return got
		}
		cursor = p.Next
		if pages > 100000 {
			t.Fatal("paging does not end")
		}
	}
}

// TestListFollowsCreationTimeWhenInsertedOutOfOrder: records added in
// another order than they were created come back newest first, by Created
// then id, across pages of every size, with each filter, from List and
// Scan, in one transaction or in slices cut as short as they go.
func TestListFollowsCreationTimeWhenInsertedOutOfOrder(t *testing.T) {
	db := openTemp(t)
	all := outOfOrderLedger(t, db, 3000)
	db.view(func(tx *bolt.Tx) error {
		if isMonotonic(tx.Bucket(bMeta)) {
			t.Fatal("the ledger still counts as monotonic: the test proves nothing")
		}
		// The three ways of serving a filter on this path are exercised.
		if src, _ := plan(tx, Filter{States: []State{StateReported}}, pos{}); fmt.Sprintf("%T", src) != "*store.sortedSource" {
			t.Errorf("a rare state is served by %T", src)
		}
		if src, _ := plan(tx, Filter{States: []State{StateFailed}}, pos{}); fmt.Sprintf("%T", src) != "*store.timeSource" || src.(*timeSource).only == nil {
			t.Errorf("a middling state is served by %T without an id set", src)
		}
		if src, _ := plan(tx, Filter{Customer: "m"}, pos{}); fmt.Sprintf("%T", src) != "*store.timeSource" || src.(*timeSource).only == nil {
			t.Errorf("a customer prefix of many is served by %T without an id set", src)
		}
		if src, _ := plan(tx, Filter{Types: []Type{TypePayin, TypePaylink}}, pos{}); fmt.Sprintf("%T", src) != "*store.timeSource" || src.(*timeSource).only != nil {
			t.Errorf("common types are served by %T with an id set", src)
		}
		return nil
	})
	base := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	var phone string
	for _, r := range all {
		if r.CustomerPhone != "" {
			phone = r.CustomerPhone
			break
		}
	}
	filters := []Filter{
		{},
		{States: []State{StateReported}},
		{States: []State{StateFailed}},
		{States: []State{StateReported, StatePending}},
		{Types: []Type{TypePayout}},
		{Types: []Type{TypePayin, TypePaylink}},
		{Types: []Type{TypePaylink}, Operator: "CM_OM"},
		{States: []State{StateFailed, StateReported}, Operator: "CM_MOMO"},
		{Operator: "CARD"},
		{Since: base.Add(48 * time.Hour), Until: base.Add(96 * time.Hour)},
		{Since: base.Add(9 * 24 * time.Hour)},
		{Until: base.Add(24 * time.Hour), States: []State{StateFailed}},
		{Until: base.Add(5 * time.Hour), States: []State{StateReported}},
		{Search: "ngono"},
		{Search: "NGONO", Types: []Type{TypePayin}, Since: base.Add(72 * time.Hour)},
		{Search: "no such text anywhere"},
		{States: []State{"NO_SUCH_STATE"}},
		{Customer: "ngono"},
		{Customer: "m"}, // many: an id set
		{Customer: phone},
		{Customer: "ma", States: []State{StateFailed}, Since: base.Add(24 * time.Hour)},
		{Cashier: "aïcha"},
	}
	check := func(label string) {
		for fi, f := range filters {
			want := ids(reference(all, f))
			if fi == 0 && len(want) != len(all) {
				t.Fatal("the reference lost records")
			}
			if (f.Customer != "" || f.Cashier != "") && len(want) == 0 {
				t.Fatalf("%+v: %d records, too few to prove anything", f, len(want))
			}
			for _, limit := range []int{1, 7, 50, 1000} {
				if limit == 1 && len(want) > 400 {
					continue // thousands of one-record pages add nothing
				}
				if got := listAll(t, db, f, limit); !slices.Equal(got, want) {
					t.Fatalf("%s filter %d %+v limit %d: got %d ids %v..., want %d %v...", label, fi, f, limit,
						len(got), got[:min(8, len(got))], len(want), want[:min(8, len(want))])
				}
			}
			var scanned []uint64
			if err := db.Scan(context.Background(), f, func(r Record) bool { scanned = append(scanned, r.ID); return true }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(scanned, want) {
				t.Fatalf("%s filter %d: Scan gave %d ids, want %d", label, fi, len(scanned), len(want))
			}
		}
	}
	check("one transaction")
}

// TestSlicedTimeWalksMissNothing: on the time path, a walk cut at its
// deadline stops at the position of the last record it looked at, and
// List and Scan resumed from there return what one transaction returns.
func TestSlicedTimeWalksMissNothing(t *testing.T) {
	db := openTemp(t)
	all := outOfOrderLedger(t, db, 12000)
	filters := []Filter{{}, {Search: "ngono"}, {States: []State{StateFailed}, Search: "a"}, {Search: "nowhere-at-all"},
		{Since: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Types: []Type{TypePayin, TypePayout}}}
	order := ids(reference(all, Filter{}))
	err := db.view(func(tx *bolt.Tx) error {
		seen := 0
		last, err := walk(context.Background(), tx, Filter{}, pos{}, time.Now(), func(uint64, []byte) bool { seen++; return true })
		if err != errPause || seen != 4096 || last.id != order[4095] {
			t.Fatalf("walk past its deadline: err %v after %d records at id %d, want a pause at the 4096th (%d)", err, seen, last.id, order[4095])
		}
		seen = 0
		if _, err := walk(context.Background(), tx, Filter{}, last, time.Time{}, func(uint64, []byte) bool { seen++; return true }); err != nil || seen != len(order)-4096 {
			t.Fatalf("resumed walk: %v, %d records, want %d", err, seen, len(order)-4096)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	old := walkSlice
	walkSlice = time.Nanosecond
	defer func() { walkSlice = old }()
	for _, f := range filters {
		want := ids(reference(all, f))
		p, err := db.List(f, 100000, "")
		if err != nil || !slices.Equal(ids(p.Records), want) {
			t.Fatalf("%+v: sliced List gave %d records, want %d (%v)", f, len(p.Records), len(want), err)
		}
		if got := listAll(t, db, f, 3000); !slices.Equal(got, want) {
			t.Fatalf("%+v: sliced pages gave %d records, want %d", f, len(got), len(want))
		}
		var scanned []uint64
		if err := db.Scan(t.Context(), f, func(r Record) bool { scanned = append(scanned, r.ID); return true }); err != nil || !slices.Equal(scanned, want) {
			t.Fatalf("%+v: sliced Scan gave %d records, want %d (%v)", f, len(scanned), len(want), err)
		}
	}
}

// TestOldCursorsStillWork: a cursor made before cursors carried the time
// (an id only) goes on from that record, on either path.
func TestOldCursorsStillWork(t *testing.T) {
	for _, mono := range []bool{true, false} {
		db := openTemp(t)
		var all map[uint64]Record
		if mono {
			all = fillLedger(t, db, 500)
		} else {
			all = outOfOrderLedger(t, db, 500)
		}
		rare := StateReported
		if mono {
			rare = StateUnknown
		}
		for _, f := range []Filter{{}, {States: []State{StateFailed}}, {States: []State{rare}}} {
			want := ids(reference(all, f))
			if len(want) < 5 {
				t.Fatalf("%+v: %d records, too few to prove anything", f, len(want))
			}
			for _, at := range []int{0, 3, len(want) / 2, len(want) - 1} {
				p, err := db.List(f, 20, v1Cursor(want[at]))
				if err != nil {
					t.Fatal(err)
				}
				if exp := want[at+1 : min(at+21, len(want))]; !slices.Equal(ids(p.Records), exp) {
					t.Fatalf("monotonic=%v %+v after %d: got %v, want %v", mono, f, want[at], ids(p.Records), exp)
				}
			}
		}
		if !mono {
			if _, err := db.List(Filter{}, 20, v1Cursor(999999)); err == nil {
				t.Fatal("an old cursor naming no record was taken")
			}
		}
	}
}

// TestPagingWhileAnotherWriterInserts: a second handle on the same file
// adds records between pages, newer and older than the page being read,
// and turns a monotonic ledger into one that is not. Every record that was
// there when paging began comes exactly once and in order; a record added
// meanwhile comes at most once, in its place.
func TestPagingWhileAnotherWriterInserts(t *testing.T) {
	for _, f := range []Filter{{}, {States: []State{StateFailed}}, {Types: []Type{TypePayin}}, {Search: "a"}} {
		for _, startMono := range []bool{true, false} {
			db := openTemp(t)
			var all map[uint64]Record
			if startMono {
				all = fillLedger(t, db, 600)
			} else {
				all = outOfOrderLedger(t, db, 600)
			}
			other, err := Open(db.Path(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			before := ids(reference(all, f))
			rng := rand.New(rand.NewPCG(3, 4))
			var got []Record
			cursor := ""
			for page := 0; ; page++ {
				p, err := db.List(f, 25, cursor)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, p.Records...)
				if p.Next == "" {
					break
				}
				cursor = p.Next
				// Between pages: one record created now, one imported
				// with a random time within the ledger's span.
				for _, created := range []time.Time{time.Now(), time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(rng.IntN(240)) * time.Hour)} {
					r := Record{Type: TypePayin, State: StateFailed, AppRef: fmt.Sprintf("late-%d-%d", page, rng.Int()),
						CustomerName: "Late Ngono", Created: created}
					if page%2 == 0 {
						err = other.Create(&r)
					} else {
						err = other.Insert([]Record{r})
					}
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			other.Close()
			seen := map[uint64]bool{}
			var old []uint64
			for i, r := range got {
				if seen[r.ID] {
					t.Fatalf("%+v monotonic=%v: record %d listed twice", f, startMono, r.ID)
				}
				seen[r.ID] = true
				if i > 0 {
					if p := got[i-1]; r.Created.After(p.Created) || (r.Created.Equal(p.Created) && r.ID > p.ID) {
						t.Fatalf("%+v monotonic=%v: %d (%v) listed after %d (%v)", f, startMono, r.ID, r.Created, p.ID, p.Created)
					}
				}
				if _, ok := all[r.ID]; ok {
					old = append(old, r.ID)
				}
			}
			if !slices.Equal(old, before) {
				t.Fatalf("%+v monotonic=%v: the records there before paging came as %d ids, want %d", f, startMono, len(old), len(before))
			}
			if startMono {
				db.view(func(tx *bolt.Tx) error {
					if isMonotonic(tx.Bucket(bMeta)) {
						t.Fatal("the imports did not end the monotonic order: the switch was not tested")
					}
					return nil
				})
			}
		}
	}
}

// FuzzCursor: any text given as a cursor is either refused with
// ErrBadCursor or read as a position that encodes back to itself; List
// never fails otherwise on it, on either path.
func FuzzCursor(f *testing.F) {
	f.Add("")
	f.Add(v1Cursor(3))
	f.Add(encodeCursor(pos{t: 1 << 63, id: 7}))
	f.Add("AAAAAAAAAAAA")
	dir := f.TempDir()
	dbs := make([]*DB, 2)
	for i := range dbs {
		db, err := Open(fmt.Sprintf("%s/%d.db", dir, i), Options{})
		if err != nil {
			f.Fatal(err)
		}
		defer db.Close()
		for j, h := range []int{5, 1 + 8*i, 3} { // the second ledger is not monotonic
			r := Record{Type: TypePayin, State: StateSuccess, AppRef: fmt.Sprint("r", j), Created: time.Unix(int64(h)*3600, 0)}
			if err := db.Create(&r); err != nil {
				f.Fatal(err)
			}
		}
		dbs[i] = db
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := decodeCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if s != "" && !p.noTime {
			if q, err := decodeCursor(encodeCursor(p)); err != nil || q != p {
				t.Fatalf("%q: %+v encodes to a cursor read as %+v, %v", s, p, q, err)
			}
		}
		for _, db := range dbs {
			if _, err := db.List(Filter{}, 2, s); err != nil && !errors.Is(err, ErrBadCursor) {
				t.Fatalf("%q: List: %v", s, err)
			}
		}
	})
}
