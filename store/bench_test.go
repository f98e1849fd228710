package store

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The benchmarks run against one ledger of benchRecords synthetic records,
// built once with Seed and kept at $COOLPAY_BENCH_DB (default
// /tmp/coolpay-bench-1m.db) for later runs. `make bench` runs them; each
// "indexed" figure sits next to its "naive" one (decode every record, then
// filter and sort), and TestMain prints the ratios after the run.
const benchRecords = 1_000_000

var (
	benchOnce sync.Once
	benchDB   *DB
	benchErr  error

	resultsMu sync.Mutex
	results   = map[string]float64{} // benchmark name → ns/op of its last run
)

func benchPath() string {
	if p := os.Getenv("COOLPAY_BENCH_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), "coolpay-bench-1m.db")
}

func benchLedger(b *testing.B) *DB {
	b.Helper()
	benchOnce.Do(func() {
		// The query benchmarks measure queries, on one handle held open
		// (as before the ledger was shared); what opening the file per
		// operation adds is measured apart, in bench_shared_test.go.
		defer func() {
			if benchDB != nil && benchErr == nil {
				benchErr = benchDB.holdOpen()
			}
		}()
		p := benchPath()
		// A ledger cached by another build (another schema) is seeded
		// anew, not migrated: a migration leaves the old indexes' pages
		// free inside the file (bbolt never shrinks it), so the bytes per
		// record would measure the history of the file, not the layout.
		if db, err := Open(p, Options{ReadOnly: true}); err == nil {
			if n, _ := db.Count(); n == benchRecords {
				benchDB = db
				return
			}
			db.Close()
		}
		fmt.Fprintf(os.Stderr, "building a %d-record benchmark ledger at %s (once)...\n", benchRecords, p)
		tmp := p + ".building"
		os.Remove(tmp)
		db, err := Open(tmp, Options{NoSync: true})
		if err != nil {
			benchErr = err
			return
		}
		start := time.Now()
		if err := Seed(db, benchRecords, 1, false); err != nil {
			benchErr = err
			db.Close()
			return
		}
		db.Close()
		if f, err := os.Open(tmp); err == nil {
			f.Sync() // seeded with NoSync
			f.Close()
		}
		fmt.Fprintf(os.Stderr, "built in %s\n", time.Since(start).Round(time.Second))
		if err := os.Rename(tmp, p); err != nil {
			benchErr = err
			return
		}
		benchDB, benchErr = Open(p, Options{ReadOnly: true})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func record(b *testing.B) {
	b.StopTimer()
	resultsMu.Lock()
	results[b.Name()] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	resultsMu.Unlock()
}

// naiveAll decodes every record: what a ledger without indexes must do.
func naiveAll(b *testing.B, db *DB, keep func(*Record) bool) []Record {
	var out []Record
	err := db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bRecords).ForEach(func(k, v []byte) error {
			var r Record
			if err := decodeRecord(v, &r); err != nil {
				return err
			}
			r.ID = binary.BigEndian.Uint64(k)
			if keep(&r) {
				out = append(out, r)
			}
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func naiveNewest(b *testing.B, db *DB, keep func(*Record) bool) []Record {
	all := naiveAll(b, db, keep)
	sort.Slice(all, func(i, j int) bool {
		if !all[i].Created.Equal(all[j].Created) {
			return all[i].Created.After(all[j].Created)
		}
		return all[i].ID > all[j].ID
	})
	return all[:min(50, len(all))]
}

func mustPage(b *testing.B, p Page, err error, want int) {
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Records) != want {
		b.Fatalf("got %d records, want %d", len(p.Records), want)
	}
}

func BenchmarkRawCursor(b *testing.B) {
	db := benchLedger(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bRecords).Cursor()
			k, _ := c.Last()
			for j := 1; j < 50 && k != nil; j++ {
				k, _ = c.Prev()
			}
			return nil
		})
	}
	record(b)
}

// BenchmarkRawCursorDecode is bbolt's bare cursor plus decoding the 50
// records it passes: the least any query that returns records can cost, so
// the indexed queries' distance from it is what the indexes and filters add.
func BenchmarkRawCursorDecode(b *testing.B) {
	db := benchLedger(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		recs := make([]Record, 0, 50)
		db.view(func(tx *bolt.Tx) error {
			c := tx.Bucket(bRecords).Cursor()
			for k, v := c.Last(); k != nil && len(recs) < 50; k, v = c.Prev() {
				recs = append(recs, Record{})
				if err := decodeRecord(v, &recs[len(recs)-1]); err != nil {
					b.Fatal(err)
				}
			}
			return nil
		})
		if len(recs) != 50 {
			b.Fatal(len(recs))
		}
	}
	record(b)
}

func BenchmarkFirstPage(b *testing.B) {
	db := benchLedger(b)
	b.Run("indexed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, err := db.List(Filter{}, 50, "")
			mustPage(b, p, err, 50)
		}
		record(b)
	})
	b.Run("naive", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if got := naiveNewest(b, db, func(*Record) bool { return true }); len(got) != 50 {
				b.Fatal(len(got))
			}
		}
		record(b)
	})
}

func BenchmarkFilteredFirstPage(b *testing.B) {
	db := benchLedger(b)
	b.Run("indexed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			p, err := db.List(Filter{States: []State{StateFailed}}, 50, "")
			mustPage(b, p, err, 50)
		}
		record(b)
	})
	b.Run("naive", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			naiveNewest(b, db, func(r *Record) bool { return r.State == StateFailed })
		}
		record(b)
	})
}

func benchRefs(b *testing.B, db *DB) []string {
	var refs []string
	rng := rand.New(rand.NewPCG(7, 7))
	db.view(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bRecords)
		for len(refs) < 1000 {
			var r Record
			if raw := bk.Get(idKey(1 + rng.Uint64N(benchRecords))); raw != nil && decodeRecord(raw, &r) == nil && r.TransactionRef != "" {
				refs = append(refs, r.TransactionRef)
			}
		}
		return nil
	})
	return refs
}

func BenchmarkLookupByTransactionRef(b *testing.B) {
	db := benchLedger(b)
	refs := benchRefs(b, db)
	b.Run("indexed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ref := refs[i%len(refs)]
			if r, err := db.ByTransactionRef(ref); err != nil || r.TransactionRef != ref {
				b.Fatal(err)
			}
		}
		record(b)
	})
	b.Run("naive", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ref := refs[i%len(refs)]
			if got := naiveAll(b, db, func(r *Record) bool { return r.TransactionRef == ref }); len(got) != 1 {
				b.Fatal(len(got))
			}
		}
		record(b)
	})
}

// BenchmarkSearchFirst50Recent: a common name; the first 50 hits are among
// the newest few thousand records, so the walk stops early.
func BenchmarkSearchFirst50Recent(b *testing.B) {
	db := benchLedger(b)
	for i := 0; i < b.N; i++ {
		p, err := db.List(Filter{Search: "ngono"}, 50, "")
		mustPage(b, p, err, 50)
	}
	record(b)
}

// BenchmarkSearchFullScan: a term found nowhere, so every record is read
// (shared between two cores where there are two). The sqlite3 LIKE scan of
// the same fields is timed next to the whole coolpay process in ui/cli
// (BenchmarkSearchProcessVsSQLite).
func BenchmarkSearchFullScan(b *testing.B) {
	db := benchLedger(b)
	for i := 0; i < b.N; i++ {
		p, err := db.List(Filter{Search: "zzq-nowhere"}, 50, "")
		mustPage(b, p, err, 0)
	}
	record(b)
}

// BenchmarkSearchFullScanPerOpen is BenchmarkSearchFullScan as the
// console and the CLI run it, the file opened per read transaction (not
// held): leaf pages read with pread (scan_pread.go) against read through a
// fresh map by the cursor, whose first touch of each page is a fault.
func BenchmarkSearchFullScanPerOpen(b *testing.B) {
	path := benchLedger(b).Path()
	db, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	defer func(ok bool) { preadOK = ok }(preadOK)
	for _, pread := range []bool{true, false} {
		name := "pread"
		if !pread {
			name = "cursor"
		}
		b.Run(name, func(b *testing.B) {
			preadOK = pread
			for i := 0; i < b.N; i++ {
				p, err := db.List(Filter{Search: "zzq-nowhere"}, 50, "")
				mustPage(b, p, err, 0)
			}
		})
	}
}

// BenchmarkSearchFullScanOneCore is BenchmarkSearchFullScan matched on one
// core only, as before the scan was shared.
func BenchmarkSearchFullScanOneCore(b *testing.B) {
	db := benchLedger(b)
	defer func(n int) { scanWorkersMax = n }(scanWorkersMax)
	scanWorkersMax = 1
	for i := 0; i < b.N; i++ {
		p, err := db.List(Filter{Search: "zzq-nowhere"}, 50, "")
		mustPage(b, p, err, 0)
	}
	record(b)
}

// BenchmarkOpenFirstPageClose is the store's share of `coolpay history
// --limit 50`: a read-only open, the first page, close.
func BenchmarkOpenFirstPageClose(b *testing.B) {
	path := benchLedger(b).Path()
	for i := 0; i < b.N; i++ {
		db, err := Open(path, Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		p, err := db.List(Filter{}, 50, "")
		mustPage(b, p, err, 50)
		db.Close()
	}
	record(b)
}

// BenchmarkOpenFirstPageCloseDeferred is BenchmarkOpenFirstPageClose as
// `coolpay history` opens: the schema checked by the first page's read
// (Options.DeferCheck), not by an open of the file of its own.
func BenchmarkOpenFirstPageCloseDeferred(b *testing.B) {
	path := benchLedger(b).Path()
	for i := 0; i < b.N; i++ {
		db, err := Open(path, Options{ReadOnly: true, DeferCheck: true})
		if err != nil {
			b.Fatal(err)
		}
		p, err := db.List(Filter{}, 50, "")
		mustPage(b, p, err, 50)
		db.Close()
	}
	record(b)
}

func BenchmarkFileBytesPerRecord(b *testing.B) {
	db := benchLedger(b)
	fi, err := os.Stat(db.Path())
	if err != nil {
		b.Fatal(err)
	}
	n, _ := db.Count()
	for i := 0; i < b.N; i++ {
	}
	b.ReportMetric(float64(fi.Size())/float64(n), "bytes/record")
	b.ReportMetric(0, "ns/op")
}

// printBenchSummary prints the pairs side by side once the benchmarks ran.
func printBenchSummary() {
	resultsMu.Lock()
	defer resultsMu.Unlock()
	if len(results) == 0 {
		return
	}
	raw, rawDec := results["BenchmarkRawCursor"], results["BenchmarkRawCursorDecode"]
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nledger of %d records (%s)\n", benchRecords, benchPath())
	fmt.Fprintf(&sb, "%-28s %14s %16s %12s %12s %14s\n", "query", "indexed", "naive", "speed-up", "vs raw cursor", "vs cursor+decode")
	for _, name := range []string{"BenchmarkFirstPage", "BenchmarkFilteredFirstPage", "BenchmarkLookupByTransactionRef"} {
		ix, nv := results[name+"/indexed"], results[name+"/naive"]
		if ix == 0 {
			continue
		}
		line := fmt.Sprintf("%-28s %14s", strings.TrimPrefix(name, "Benchmark"), time.Duration(ix))
		if nv > 0 {
			line += fmt.Sprintf(" %16s %11.0fx", time.Duration(nv), nv/ix)
		} else {
			line += fmt.Sprintf(" %16s %12s", "-", "-")
		}
		if raw > 0 {
			line += fmt.Sprintf(" %11.1fx", ix/raw)
		}
		if rawDec > 0 && name != "BenchmarkLookupByTransactionRef" { // pages of 50 only
			line += fmt.Sprintf(" %15.1fx", ix/rawDec)
		}
		fmt.Fprintln(&sb, line)
	}
	for _, name := range []string{"BenchmarkRawCursor", "BenchmarkRawCursorDecode", "BenchmarkSearchFirst50Recent", "BenchmarkSearchFullScan", "BenchmarkSearchFullScanOneCore", "BenchmarkOpenFirstPageClose", "BenchmarkOpenFirstPageCloseDeferred"} {
		if v := results[name]; v > 0 {
			fmt.Fprintf(&sb, "%-28s %14s\n", strings.TrimPrefix(name, "Benchmark"), time.Duration(v))
		}
	}
	if benchDB != nil {
		if fi, err := os.Stat(benchDB.Path()); err == nil {
			fmt.Fprintf(&sb, "%-28s %14.0f\n", "file bytes per record", float64(fi.Size())/benchRecords)
		}
	}
	printSharingSummary(&sb)
	fmt.Print(sb.String())
}

func TestMain(m *testing.M) {
	code := m.Run()
	printBenchSummary()
	if benchDB != nil {
		benchDB.Close()
	}
	os.Exit(code)
}
