package store

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// TestParallelSearchSameAsOneCore: a search shared between two cores
// returns, page by page, exactly what one core returns and what a brute
// force over the records says, with blocks and read transactions cut
// small so that every hand-over between blocks, workers and slices is
// crossed many times.
func TestParallelSearchSameAsOneCore(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	db := openTemp(t)
	if err := Seed(db, 3000, 5, false); err != nil {
		t.Fatal(err)
	}
	all := map[uint64]Record{}
	if err := db.Scan(t.Context(), Filter{}, func(r Record) bool { all[r.ID] = r; return true }); err != nil {
		t.Fatal(err)
	}
	oldBlock, oldWorkers, oldSlice := scanBlock, scanWorkersMax, walkSlice
	defer func() { scanBlock, scanWorkersMax, walkSlice = oldBlock, oldWorkers, oldSlice }()
	scanBlock = 13
	pages := func(f Filter) []uint64 {
		var got []uint64
		cursor := ""
		for {
			p, err := db.List(f, 7, cursor)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(p.Records)...)
			if cursor = p.Next; cursor == "" {
				return got
			}
		}
	}
	since := time.Now().Add(-20 * 24 * time.Hour)
	for _, f := range []Filter{{Search: "ngono"}, {Search: "É"}, {Search: "scolarité"}, {Search: "nowhere-at-all"},
		{Search: "a", Since: since}, {Search: "FACTURE 1", Operator: "CM_OM"}} {
		want := ids(reference(all, f))
		scanWorkersMax, walkSlice = 1, oldSlice
		one := pages(f)
		before := parallelWalks.Load()
		scanWorkersMax = 2
		two := pages(f)
		walkSlice = time.Nanosecond
		twoSliced := pages(f)
		if parallelWalks.Load() == before {
			t.Fatalf("%+v: no walk was shared between cores", f)
		}
		for name, got := range map[string][]uint64{"one core": one, "two cores": two, "two cores, sliced": twoSliced} {
			if !slices.Equal(got, want) {
				t.Errorf("%+v, %s: %d records, want %d", f, name, len(got), len(want))
			}
		}
	}
	if n := len(reference(all, Filter{Search: "ngono"})); n < 20 {
		t.Fatalf("the seed has %d ngono: too few to page through", n)
	}
}

// TestListProgressReportsTheScan: a search that finds nothing reports,
// between its read transactions, more and more records looked at out of
// the ledger's count, and one with hits reports the page as it fills.
func TestListProgressReportsTheScan(t *testing.T) {
	db := openTemp(t)
	if err := Seed(db, 20000, 3, false); err != nil {
		t.Fatal(err)
	}
	old := walkSlice
	walkSlice = time.Nanosecond
	defer func() { walkSlice = old }()
	var reports []Progress
	p, err := db.ListProgress(t.Context(), Filter{Search: "nowhere-at-all"}, 20, "", func(pr Progress) { reports = append(reports, pr) })
	if err != nil || len(p.Records) != 0 {
		t.Fatalf("%d records, %v", len(p.Records), err)
	}
	if len(reports) < 2 {
		t.Fatalf("%d progress reports for a scan cut in slices of 4,096 records", len(reports))
	}
	for i, r := range reports {
		if r.Total != 20000 || r.Scanned <= 0 || r.Scanned > 20000 || (i > 0 && r.Scanned <= reports[i-1].Scanned) || len(r.Records) != 0 {
			t.Fatalf("report %d: %+v (before: %+v)", i, r, reports[max(0, i-1)])
		}
	}
	if f := reports[len(reports)-1].Fraction(); f <= 0 || f >= 1 {
		t.Fatalf("last report's fraction %v", f)
	}

	reports = nil
	p, err = db.ListProgress(t.Context(), Filter{Search: "ngono"}, 400, "", func(pr Progress) { reports = append(reports, pr) })
	if err != nil || len(p.Records) == 0 {
		t.Fatalf("%d records, %v", len(p.Records), err)
	}
	grew := false
	for i, r := range reports {
		if !slices.Equal(ids(r.Records), ids(p.Records[:len(r.Records)])) {
			t.Fatalf("report %d's records are not the start of the page", i)
		}
		grew = grew || (len(r.Records) > 0 && len(r.Records) < len(p.Records))
	}
	if !grew {
		t.Fatalf("no report showed the page partly filled (%d reports, page of %d)", len(reports), len(p.Records))
	}
}
