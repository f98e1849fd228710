package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// checkIndexes rebuilds every index key and counter from the records and
// compares them with what the file holds: no stale entry, none missing.
func checkIndexes(t *testing.T, db *DB) {
	t.Helper()
	err := db.view(func(tx *bolt.Tx) error {
		want := map[string]map[string]bool{}
		stats := map[string]uint64{}
		var count, real uint64
		err := tx.Bucket(bRecords).ForEach(func(k, v []byte) error {
			var r Record
			if err := decodeRecord(v, &r); err != nil {
				return err
			}
			r.ID = binary.BigEndian.Uint64(k)
			count++
			if !r.Synthetic {
				real++
			}
			for _, ix := range indexes {
				if want[string(ix.name)] == nil {
					want[string(ix.name)] = map[string]bool{}
				}
				if key := ix.key(&r); key != nil {
					want[string(ix.name)][string(key)] = true
					if ix.stats {
						stats[string(statKey(ix, ix.value(&r)))]++
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, ix := range indexes {
			got := map[string]bool{}
			tx.Bucket(ix.name).ForEach(func(k, v []byte) error {
				if !ix.bitmap {
					got[string(k)] = true
					return nil
				}
				// A block of entries: the prefix (an sstr), the block
				// number, a bitmap of ids.
				d := decoder{b: k}
				d.rawSstr()
				prefix := k[:len(k)-len(d.b)]
				n, ok := readID(d.b)
				if d.err != nil || !ok || len(v) != bitmapBytes || v == nil {
					t.Errorf("%s: bad bitmap entry %x = %x", ix.name, k, v)
					return nil
				}
				if bytes.Count(v, []byte{0}) == bitmapBytes {
					t.Errorf("%s: empty bitmap %x left", ix.name, k)
				}
				for _, id := range appendBits(nil, n, v) {
					got[string(appendID(append([]byte(nil), prefix...), id))] = true
				}
				return nil
			})
			w := want[string(ix.name)]
			for k := range got {
				if !w[k] {
					t.Errorf("%s: stale entry %x", ix.name, k)
				}
			}
			for k := range w {
				if !got[k] {
					t.Errorf("%s: missing entry %x", ix.name, k)
				}
			}
		}
		gotStats := map[string]uint64{}
		tx.Bucket(bStats).ForEach(func(k, v []byte) error { gotStats[string(k)] = binary.BigEndian.Uint64(v); return nil })
		if fmt.Sprint(gotStats) != fmt.Sprint(stats) {
			t.Errorf("stats = %v, want %v", gotStats, stats)
		}
		meta := tx.Bucket(bMeta)
		if c, r := getU64(meta, kCount), getU64(meta, kReal); c != count || r != real {
			t.Errorf("counters count=%d real=%d, want %d %d", c, r, count, real)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// reference answers a filter by brute force over the test's own copy.
func reference(recs map[uint64]Record, f Filter) []Record {
	var out []Record
	needle := strings.ToLower(f.Search)
	for _, r := range recs {
		if len(f.Types) > 0 && !slices.Contains(f.Types, r.Type) ||
			len(f.States) > 0 && !slices.Contains(f.States, r.State) ||
			f.Operator != "" && r.Operator != f.Operator ||
			!f.Since.IsZero() && r.Created.Before(f.Since) ||
			!f.Until.IsZero() && !r.Created.Before(f.Until) {
			continue
		}
		if cq := compileCustomer(f.Customer); cq != nil && !cq.matches(&r) {
			continue
		}
		if c := strings.TrimSpace(f.Cashier); c != "" && !strings.EqualFold(strings.TrimSpace(r.Cashier), c) {
			continue
		}
		if needle != "" {
			hit := false
			for _, s := range []string{r.CustomerName, r.CustomerPhone, r.CustomerEmail, r.CustomerUsername,
				r.Reason, r.TransactionRef, r.AppRef, r.OperatorRef} {
				if strings.Contains(strings.ToLower(s), needle) {
					hit = true
				}
			}
			if !hit {
				continue
			}
		}
		out = append(out, r)
	}
	sortNewestFirst(out)
	return out
}

// sortNewestFirst sorts as List does: Created descending, then id
// descending.
func sortNewestFirst(recs []Record) {
	sort.Slice(recs, func(i, j int) bool {
		if !recs[i].Created.Equal(recs[j].Created) {
			return recs[i].Created.After(recs[j].Created)
		}
		return recs[i].ID > recs[j].ID
	})
}

func ids(recs []Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

// fillLedger inserts n synthetic records plus a few real ones, then changes
// states, types, operators and references of some of them.
func fillLedger(t *testing.T, db *DB, n int) map[uint64]Record {
	t.Helper()
	now := time.Now()
	gen := Synthesize(n, 42, now.Add(-time.Hour))
	recs := make([]Record, n)
	for i := range recs {
		recs[i] = gen(i)
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	all := map[uint64]Record{}
	for _, r := range recs {
		all[r.ID] = r
	}
	for i := 0; i < 20; i++ {
		r := Record{Type: TypePayout, State: StateNew, AppRef: fmt.Sprintf("cp-real-%d", i), Operator: "MCP",
			CustomerName: "Réel Ébodé", Amount: "100", Currency: "XAF"}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		all[r.ID] = r
	}
	rng := rand.New(rand.NewPCG(1, 2))
	states := []State{StatePending, StateSuccess, StateFailed, StateUnknown, StateCanceled, "ODD_STATE"}
	for i := 0; i < n/5; i++ {
		id := 1 + rng.Uint64N(uint64(len(all)))
		up, err := db.Update(id, func(r *Record) error {
			r.State = states[rng.IntN(len(states))]
			if rng.IntN(3) == 0 {
				r.TransactionRef = fmt.Sprintf("changed-%d-%d", id, i)
			}
			if rng.IntN(5) == 0 {
				r.Operator = []string{"CM_OM", "CARD", ""}[rng.IntN(3)]
			}
			if rng.IntN(7) == 0 {
				r.Synthetic = !r.Synthetic
			}
			r.Events = append(r.Events, Event{At: now, Kind: EvPolled, Detail: string(r.State)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		all[id] = up
	}
	return all
}

func TestIndexesStayConsistent(t *testing.T) {
	db := openTemp(t)
	all := fillLedger(t, db, 3000)
	checkIndexes(t, db)
	// Every record can be found by its current references, not its old ones.
	for id, r := range all {
		if r.TransactionRef != "" {
			got, err := db.ByTransactionRef(r.TransactionRef)
			if err != nil || got.ID != id {
				t.Fatalf("ByTransactionRef(%q) = %d, %v; want %d", r.TransactionRef, got.ID, err, id)
			}
		}
		if got, err := db.ByAppRef(r.AppRef); err != nil || got.ID != id {
			t.Fatalf("ByAppRef(%q) = %d, %v; want %d", r.AppRef, got.ID, err, id)
		}
	}
	unsettled, err := db.Unsettled()
	if err != nil {
		t.Fatal(err)
	}
	var want []uint64
	for _, r := range reference(all, Filter{}) {
		if !r.State.Final() {
			want = append(want, r.ID)
		}
	}
	if !slices.Equal(ids(unsettled), want) {
		t.Fatalf("Unsettled: %d records, want %d", len(unsettled), len(want))
	}
	if n, _ := db.Count(); n != len(all) {
		t.Fatalf("Count = %d, want %d", n, len(all))
	}
}

func TestListPagesMatchBruteForce(t *testing.T) {
	db := openTemp(t)
	all := fillLedger(t, db, 2500)
	var created []time.Time
	for _, r := range all {
		created = append(created, r.Created)
	}
	sort.Slice(created, func(i, j int) bool { return created[i].Before(created[j]) })
	q1, q3 := created[len(created)/4], created[3*len(created)/4]
	filters := []Filter{
		{},
		{States: []State{StateFailed}},
		{States: []State{StatePending, StateUnknown, "ODD_STATE"}},
		{Types: []Type{TypePayout}},
		{Types: []Type{TypePaylink, TypePayout}, Operator: "CM_OM"},
		{Operator: "CARD"},
		{Since: q1, Until: q3},
		{Since: q3},
		{Until: q1, States: []State{StateSuccess}},
		{Search: "ngono"},
		{Search: "ÉBODÉ"},
		{Search: "cp-real-1"},
		{Search: "changed-"},
		{Search: "NGONO", Types: []Type{TypePayin}, Since: q1},
		{Search: "no such text anywhere"},
		{States: []State{"NO_SUCH_STATE"}},
	}
	for fi, f := range filters {
		want := ids(reference(all, f))
		for _, limit := range []int{1, 7, 50, 1000} {
			var got []uint64
			cursor := ""
			for pages := 0; ; pages++ {
				p, err := db.List(f, limit, cursor)
				if err != nil {
					t.Fatalf("filter %d: %v", fi, err)
				}
				if len(p.Records) > limit {
					t.Fatalf("filter %d: page of %d > limit %d", fi, len(p.Records), limit)
				}
				got = append(got, ids(p.Records)...)
				if p.Next == "" {
					break
				}
				if len(p.Records) != limit {
					t.Fatalf("filter %d: short page (%d) with a next cursor", fi, len(p.Records))
				}
				cursor = p.Next
				if pages > len(all) {
					t.Fatal("paging does not end")
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("filter %d %+v limit %d: got %d ids %v..., want %d %v...", fi, f, limit,
					len(got), got[:min(5, len(got))], len(want), want[:min(5, len(want))])
			}
		}
		var scanned []uint64
		if err := db.Scan(context.Background(), f, func(r Record) bool { scanned = append(scanned, r.ID); return true }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(scanned, want) {
			t.Fatalf("filter %d: Scan gave %d ids, want %d", fi, len(scanned), len(want))
		}
	}
}

func TestCursorIsStableWhileRecordsAreAdded(t *testing.T) {
	db := openTemp(t)
	all := fillLedger(t, db, 300)
	f := Filter{States: []State{StateSuccess}}
	p1, err := db.List(f, 10, "")
	if err != nil || p1.Next == "" {
		t.Fatal(p1.Next, err)
	}
	p2, _ := db.List(f, 10, p1.Next)
	for i := 0; i < 5; i++ {
		r := Record{Type: TypePayin, State: StateSuccess, AppRef: fmt.Sprintf("late-%d", i)}
		db.Create(&r)
	}
	again, err := db.List(f, 10, p1.Next)
	if err != nil || !slices.Equal(ids(again.Records), ids(p2.Records)) || again.Next != p2.Next {
		t.Fatalf("the same cursor gave another page after inserts: %v vs %v (%v)", ids(again.Records), ids(p2.Records), err)
	}
	if p1.Next != encodeCursor(posOf(&p1.Records[9])) {
		t.Fatal("cursor is not derived from the last record alone")
	}
	for _, bad := range []string{"x", "AAAAAAAAAAAA", "!!", encodeCursor(pos{}), encodeCursor(pos{t: 5}), v1Cursor(0)} {
		if _, err := db.List(f, 10, bad); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: err = %v, want ErrBadCursor", bad, err)
		}
	}
	_ = all
}

func TestDateRangeWhenClockWentBackwards(t *testing.T) {
	db := openTemp(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	all := map[uint64]Record{}
	// Ids grow while Created goes back and forth (a clock set wrong, an
	// import): the id window trick must give way to plain checks.
	for i, h := range []int{5, 1, 9, 3, 7, 2, 8} {
		r := Record{Type: TypePayin, State: StateSuccess, AppRef: fmt.Sprint("r", i), Created: base.Add(time.Duration(h) * time.Hour)}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		all[r.ID] = r
	}
	for _, f := range []Filter{
		{Since: base.Add(2 * time.Hour), Until: base.Add(6 * time.Hour)},
		{Since: base.Add(7 * time.Hour)},
		{Until: base.Add(3 * time.Hour), States: []State{StateSuccess}},
	} {
		p, err := db.List(f, 100, "")
		if want := ids(reference(all, f)); err != nil || !slices.Equal(ids(p.Records), want) {
			t.Fatalf("%+v: got %v, want %v (%v)", f, ids(p.Records), want, err)
		}
	}
}

func TestScanStopsAndHonoursContext(t *testing.T) {
	db := openTemp(t)
	fillLedger(t, db, 500)
	n := 0
	if err := db.Scan(context.Background(), Filter{}, func(Record) bool { n++; return n < 100 }); err != nil || n != 100 {
		t.Fatalf("Scan did not stop at fn's false: n=%d err=%v", n, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err := db.Scan(ctx, Filter{}, func(Record) bool { n++; cancel(); return true })
	if !errors.Is(err, context.Canceled) || n > 64 {
		t.Fatalf("Scan after cancel: n=%d err=%v", n, err)
	}
	// fn runs outside transactions: it may write.
	err = db.Scan(context.Background(), Filter{States: []State{StatePending}}, func(r Record) bool {
		_, err := db.Update(r.ID, func(x *Record) error { x.State = StateSuccess; return nil })
		if err != nil {
			t.Error(err)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := db.List(Filter{States: []State{StatePending}}, 10, ""); len(p.Records) != 0 {
		t.Fatal("updates made from Scan's fn were lost")
	}
	checkIndexes(t, db)
}

func TestSettings(t *testing.T) {
	db := openTemp(t)
	if _, ok, err := db.Setting("lang"); ok || err != nil {
		t.Fatal(ok, err)
	}
	if err := db.SetSetting("lang", "fr"); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := db.Setting("lang"); !ok || v != "fr" {
		t.Fatal(v, ok)
	}
	db.SetSetting("lang", "")
	if _, ok, _ := db.Setting("lang"); ok {
		t.Fatal("empty value did not delete")
	}
	for _, k := range []string{"private_key", "PrivateKey", "coolpay.PRIVATE", "my-private-thing"} {
		if err := db.SetSetting(k, "x"); !errors.Is(err, ErrSecretSetting) {
			t.Errorf("SetSetting(%q) err = %v", k, err)
		}
	}
}

func TestSearchMatchesEveryTextField(t *testing.T) {
	db := openTemp(t)
	r := Record{Type: TypePayout, State: StateSuccess, CustomerName: "Aïcha Fotso", CustomerPhone: "237690000001",
		CustomerEmail: "a.fotso@example.cm", CustomerUsername: "fotso77", Reason: "Loyer Mars",
		TransactionRef: "tx-ABC", AppRef: "cp-XYZ", OperatorRef: "MP250101.1.C1",
		Request: `{"secret_looking":"only in request"}`, Message: "only in message"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"AÏCHA", "aïcha fotso", "0000001", "EXAMPLE.CM", "FOTSO77", "loyer m", "TX-abc", "cp-xyz", "mp250101"} {
		if p, err := db.List(Filter{Search: s}, 10, ""); err != nil || len(p.Records) != 1 {
			t.Errorf("search %q: %d records, %v", s, len(p.Records), err)
		}
	}
	for _, s := range []string{"only in", "Fotso77 Loyer", "xyzz"} {
		if p, _ := db.List(Filter{Search: s}, 10, ""); len(p.Records) != 0 {
			t.Errorf("search %q matched outside the searchable fields or across them", s)
		}
	}
}

func TestSeedRefusesRealLedger(t *testing.T) {
	db := openTemp(t)
	if err := Seed(db, 100, 1, false); err != nil {
		t.Fatal(err)
	}
	if real, _ := db.HasReal(); real {
		t.Fatal("seeded records count as real")
	}
	checkIndexes(t, db)
	r := Record{Type: TypePayin, State: StateNew, AppRef: "real"}
	db.Create(&r)
	if err := Seed(db, 10, 2, false); !errors.Is(err, ErrHasReal) {
		t.Fatalf("Seed over a real ledger: %v", err)
	}
	if err := Seed(db, 10, 2, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.Count(); n != 111 {
		t.Fatalf("Count = %d", n)
	}
}

func TestSynthesizeIsRealistic(t *testing.T) {
	n := 10000
	gen := Synthesize(n, 9, time.Now())
	types, states, ops := map[Type]int{}, map[State]int{}, map[string]int{}
	var prev time.Time
	for i := 0; i < n; i++ {
		r := gen(i)
		types[r.Type]++
		states[r.State]++
		ops[r.Operator]++
		if r.Created.Before(prev) {
			t.Fatalf("record %d is older than record %d", i, i-1)
		}
		prev = r.Created
		if len(r.Events) < 2 || len(r.Events) > 4 || !r.Synthetic || r.AppRef == "" || r.Amount == "" {
			t.Fatalf("record %d: %+v", i, r)
		}
		// Normalised as coolpay stores real phones: 9 digits starting with 6.
		if len(r.CustomerPhone) != 9 || r.CustomerPhone[0] != '6' || strings.Trim(r.CustomerPhone, "0123456789") != "" {
			t.Fatalf("phone %q", r.CustomerPhone)
		}
		if g := gen(i); !sameRecord(g, r) {
			t.Fatal("record i is not a function of (seed, i)")
		}
	}
	share := func(c int) float64 { return float64(c) / float64(n) }
	if s := share(types[TypePayin]); s < 0.55 || s > 0.65 {
		t.Errorf("PAYIN share %.2f", s)
	}
	if s := share(types[TypePayout]); s < 0.2 || s > 0.3 {
		t.Errorf("PAYOUT share %.2f", s)
	}
	if s := share(states[StateSuccess]); s < 0.7 {
		t.Errorf("SUCCESS share %.2f", s)
	}
	for _, s := range []State{StateFailed, StateCanceled, StatePending, StateUnknown, StateCreated} {
		if states[s] == 0 {
			t.Errorf("no %s records", s)
		}
	}
	for _, o := range []string{"CM_OM", "CM_MOMO", "MCP", "CARD"} {
		if ops[o] == 0 {
			t.Errorf("no %s records", o)
		}
	}
}

// rawContains reports whether the file's bytes hold s.
func rawContains(t *testing.T, path, s string) bool {
	t.Helper()
	b, err := readFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(s))
}

func TestListContextStopsAScanWhenCancelled(t *testing.T) {
	db := openTemp(t)
	gen := Synthesize(10_000, 3, time.Now())
	recs := make([]Record, 10_000)
	for i := range recs {
		recs[i] = gen(i)
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	f := Filter{Search: "no such customer anywhere"}
	if p, err := db.ListContext(context.Background(), f, 50, ""); err != nil || len(p.Records) != 0 {
		t.Fatalf("full scan: %v, %d records", err, len(p.Records))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.ListContext(ctx, f, 50, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled search went on: %v", err)
	}
}

// TestUnsettledSince matches "unsettled and created since" computed from
// Unsettled, on a ledger where creation times follow the ids (time window)
// and on one where they do not (state index).
func TestUnsettledSince(t *testing.T) {
	now := time.Now()
	for _, mono := range []bool{true, false} {
		db := openTemp(t)
		gen := Synthesize(3000, 7, now)
		recs := make([]Record, 3000)
		for i := range recs {
			recs[i] = gen(i)
			recs[i].State = []State{StatePending, StateSuccess, StateNew, StateFailed, "ODD_STATE"}[i%5]
		}
		if !mono {
			recs[0], recs[2999] = recs[2999], recs[0]
		}
		if err := db.Insert(recs); err != nil {
			t.Fatal(err)
		}
		for _, since := range []time.Time{now.Add(-24 * time.Hour), now.Add(-200 * 24 * time.Hour), now.Add(time.Hour), {}} {
			all, err := db.Unsettled()
			if err != nil || len(all) != 1800 { // PENDING, NEW and ODD_STATE: 3 in 5
				t.Fatalf("Unsettled: %d records, %v; want 1800", len(all), err)
			}
			sortNewestFirst(all) // Unsettled goes by id; UnsettledSince by creation time
			var want []uint64
			for _, r := range all {
				if !r.Created.Before(since) {
					want = append(want, r.ID)
				}
			}
			got, err := db.UnsettledSince(since)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(want) {
				t.Fatalf("monotonic=%v since %v: %d records, want %d", mono, since, len(got), len(want))
			}
			if since.Equal(now.Add(-24*time.Hour)) && (len(want) == 0 || len(want) == len(all)) {
				t.Fatalf("since a day ago: %d of %d records; the bound is not being tested", len(want), len(all))
			}
		}
	}
}

// TestByBatch: the records of one payout batch, in line order, from the
// batch index, which follows a record moved to another batch.
func TestByBatch(t *testing.T) {
	db := openTemp(t)
	var ids = map[string][]uint64{}
	for i, c := range []struct {
		batch string
		line  int
	}{{"salaires-11", 3}, {"salaires-11", 1}, {"fournisseurs", 1}, {"", 0}, {"salaires-11", 2}, {"salaires-1", 1}} {
		r := Record{Type: TypePayout, State: StatePending, AppRef: fmt.Sprintf("cp-%d", i), Batch: c.batch, BatchLine: c.line, Cashier: "Aïcha"}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		ids[c.batch] = append(ids[c.batch], r.ID)
	}
	lines := func(name string) []int {
		t.Helper()
		recs, err := db.ByBatch(name)
		if err != nil {
			t.Fatal(err)
		}
		var out []int
		for _, r := range recs {
			if r.Batch != name || r.Cashier != "Aïcha" {
				t.Fatalf("ByBatch(%q) gave %+v", name, r)
			}
			out = append(out, r.BatchLine)
		}
		return out
	}
	if got := lines("salaires-11"); fmt.Sprint(got) != "[1 2 3]" {
		t.Fatalf("salaires-11 lines %v", got)
	}
	if got := lines("salaires-1"); fmt.Sprint(got) != "[1]" { // a prefix of another batch's name
		t.Fatalf("salaires-1 lines %v", got)
	}
	if got := lines(""); got != nil {
		t.Fatalf("the empty batch: %v", got)
	}
	if _, err := db.Update(ids["fournisseurs"][0], func(r *Record) error { r.Batch, r.BatchLine = "salaires-11", 4; return nil }); err != nil {
		t.Fatal(err)
	}
	if got := lines("salaires-11"); fmt.Sprint(got) != "[1 2 3 4]" {
		t.Fatalf("after the move: %v", got)
	}
	if got := lines("fournisseurs"); got != nil {
		t.Fatalf("the old batch still lists %v", got)
	}
	checkIndexes(t, db)
}

// TestSlicedWalksMissNothing: with read transactions cut as short as they
// go (a slice every 4,096 records), List and Scan return exactly what one
// long transaction returns, each record once.
func TestSlicedWalksMissNothing(t *testing.T) {
	db := openTemp(t)
	if err := Seed(db, 20000, 3, false); err != nil {
		t.Fatal(err)
	}
	filters := []Filter{{Search: "ngono"}, {Search: "nowhere-at-all"}, {States: []State{StateFailed}, Search: "a"}, {}}
	type result struct{ list, scan []uint64 }
	run := func() []result {
		var out []result
		for _, f := range filters {
			p, err := db.List(f, 100000, "")
			if err != nil {
				t.Fatal(err)
			}
			var scanned []uint64
			if err := db.Scan(t.Context(), f, func(r Record) bool { scanned = append(scanned, r.ID); return true }); err != nil {
				t.Fatal(err)
			}
			out = append(out, result{ids(p.Records), scanned})
		}
		return out
	}
	whole := run()
	old := walkSlice
	walkSlice = time.Nanosecond
	defer func() { walkSlice = old }()
	sliced := run()
	for i := range filters {
		if fmt.Sprint(whole[i]) != fmt.Sprint(sliced[i]) {
			t.Fatalf("%+v: sliced walks gave %d/%d records, one transaction %d/%d",
				filters[i], len(sliced[i].list), len(sliced[i].scan), len(whole[i].list), len(whole[i].scan))
		}
	}
	if len(whole[0].list) == 0 || len(whole[3].list) != 20000 {
		t.Fatalf("the filters found too little to prove anything: %d, %d", len(whole[0].list), len(whole[3].list))
	}
}

// TestMatchTextAgreesWithToLower: the search's folding (whole-region ASCII
// lowering, rune-by-rune folding otherwise, hits kept only inside one
// field) answers exactly as lower-casing each field with strings.ToLower
// and looking in it, for accented letters, letters whose lower case is
// longer or shorter in bytes, bytes that are not UTF-8, fields longer than
// a one-byte length, and needles that would straddle two fields.
func TestMatchTextAgreesWithToLower(t *testing.T) {
	alphabet := []string{"a", "B", "z", "Z", "-", " ", "é", "É", "ï", "Ï", "ß", "ẞ", "İ", "K", "Ω", "\xff", "\xc3", "\x00", "0", "9"}
	rng := rand.New(rand.NewPCG(3, 5))
	word := func(max int) string {
		var b strings.Builder
		for n := rng.IntN(max + 1); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for i := 0; i < 20000; i++ {
		var fields [8]string
		for k := range fields {
			fields[k] = word(6)
		}
		if i%50 == 0 {
			fields[rng.IntN(8)] = strings.Repeat("Ab", 70) + word(3) // a two-byte length
		}
		var search string
		switch i % 3 {
		case 0: // a piece of one field, case changed
			f := fields[rng.IntN(8)]
			if len(f) == 0 {
				continue
			}
			a := rng.IntN(len(f))
			search = strings.ToUpper(f[a : a+1+rng.IntN(len(f)-a)])
		case 1: // the end of one field and the start of the next
			k := rng.IntN(7)
			search = fields[k][len(fields[k])/2:] + fields[k+1][:len(fields[k+1])/2]
		default:
			search = word(3)
		}
		if search == "" {
			continue
		}
		r := Record{Type: TypePayin, State: StateNew, CustomerName: fields[0], CustomerPhone: fields[1],
			CustomerEmail: fields[2], CustomerUsername: fields[3], Reason: fields[4], TransactionRef: fields[5],
			AppRef: fields[6], OperatorRef: fields[7]}
		want := false
		for _, f := range fields {
			want = want || strings.Contains(strings.ToLower(f), strings.ToLower(search))
		}
		got, err := compile(Filter{Search: search}).match(appendRecord(nil, &r))
		if err != nil || got != want {
			t.Fatalf("fields %q, search %q: match = %v (%v), want %v", fields, search, got, err, want)
		}
	}
}
