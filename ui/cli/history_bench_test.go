package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
)

// benchLedger returns a ledger of 1,000,000 seeded records, made once and
// kept (COOLPAY_BENCH_DB, default in the temp dir) because seeding is slow.
func benchLedger(b *testing.B) string {
	b.Helper()
	path := os.Getenv("COOLPAY_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "coolpay-bench-1m.db")
	}
	if _, err := os.Stat(path); err == nil {
		// A read-write open brings a ledger cached by an older build up
		// to this build's schema (cheap); read-only opens would refuse it.
		if db, err := store.Open(path, store.Options{NoSync: true}); err == nil {
			db.Close()
		}
		return path
	}
	b.Logf("seeding 1,000,000 records into %s (once)", path)
	db, err := store.Open(path, store.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := store.Seed(db, 1_000_000, 1, false); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// sqliteTwin loads the same rows into an indexed sqlite table.
func sqliteTwin(b *testing.B, ledger string) string {
	b.Helper()
	path := strings.TrimSuffix(ledger, ".db") + ".sqlite"
	if _, err := os.Stat(path); err == nil {
		return path
	}
	csvPath := path + ".csv"
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ledger, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(f)
	err = db.Scan(context.Background(), store.Filter{}, func(r store.Record) bool {
		return w.Write(export.CSVRow(&r)) == nil
	})
	w.Flush()
	db.Close()
	f.Close()
	if err != nil || w.Error() != nil {
		b.Fatal(err, w.Error())
	}
	header := export.CSVHeader()
	cols := make([]string, len(header))
	for i, c := range header {
		cols[i] = c + " TEXT"
	}
	cols[0] = "id INTEGER PRIMARY KEY"
	script := fmt.Sprintf("CREATE TABLE tx (%s);\n.mode csv\n.import %s tx\nCREATE INDEX tx_created ON tx(created);\nCREATE INDEX tx_state ON tx(state, id);\n",
		strings.Join(cols, ", "), csvPath)
	cmd := exec.Command("sqlite3", path)
	cmd.Stdin = strings.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("sqlite3 import: %v\n%s", err, out)
	}
	os.Remove(csvPath)
	return path
}

func timeRun(b *testing.B, name string, args ...string) time.Duration {
	return timeRunAtLeast(b, 1000, name, args...)
}

// timeRunAtLeast runs a command and times it; it must write at least
// minOut bytes (a run that failed quietly must not pass for a fast one).
func timeRunAtLeast(b *testing.B, minOut int, name string, args ...string) time.Duration {
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%s: %v\n%s", name, err, out.String())
	}
	d := time.Since(start)
	if out.Len() < minOut {
		b.Fatalf("%s answered too little: %s", name, out.String())
	}
	return d
}

// buildBench builds coolpay as make build builds it (CGO_ENABLED=0 unless
// the caller says otherwise) and returns the binary's path.
func buildBench(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "coolpay")
	build := exec.Command("go", "build", "-o", bin, "../..")
	build.Env = os.Environ()
	if os.Getenv("CGO_ENABLED") == "" {
		build.Env = append(build.Env, "CGO_ENABLED=0")
	}
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// pairedRuns times coolpay and sqlite3 in pairs, alternating which goes
// first, reports the medians as metrics and returns them with the median
// of the per-pair ratios.
func pairedRuns(b *testing.B, pairs int, coolpay, sqlite func() time.Duration) (cpMed, sqMed time.Duration, ratio float64) {
	ratios := make([]float64, 0, pairs)
	var cp, sq []time.Duration
	for p := 0; p < pairs; p++ {
		var c, s time.Duration
		if p%2 == 0 {
			c, s = coolpay(), sqlite()
		} else {
			s = sqlite()
			c = coolpay()
		}
		cp, sq = append(cp, c), append(sq, s)
		ratios = append(ratios, float64(c)/float64(s))
	}
	sort.Float64s(ratios)
	slices.Sort(cp)
	slices.Sort(sq)
	cpMed, sqMed, ratio = cp[len(cp)/2], sq[len(sq)/2], ratios[len(ratios)/2]
	b.ReportMetric(ratio, "ratio-median")
	b.ReportMetric(float64(cpMed.Microseconds()), "coolpay-µs")
	b.ReportMetric(float64(sqMed.Microseconds()), "sqlite3-µs")
	return cpMed, sqMed, ratio
}

// BenchmarkHistoryProcessVsSQLite times `coolpay history --limit 50 --json`
// as a whole process against the sqlite3 command-line tool answering the
// same question from an indexed table of the same rows: paired, alternating
// runs, and the median of the per-pair ratios.
func BenchmarkHistoryProcessVsSQLite(b *testing.B) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Skip("sqlite3 not installed (make bench installs it)")
	}
	ledger := benchLedger(b)
	twin := sqliteTwin(b, ledger)
	bin := buildBench(b)
	const pairs = 61
	coolpayArgs := []string{"history", "--db", ledger, "--limit", "50", "--json"}
	sqliteArgs := []string{"-json", twin, "SELECT * FROM tx ORDER BY id DESC LIMIT 50"}
	// Warm the page cache and the binaries once.
	timeRun(b, bin, coolpayArgs...)
	timeRun(b, "sqlite3", sqliteArgs...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cpMed, sqMed, med := pairedRuns(b, pairs,
			func() time.Duration { return timeRun(b, bin, coolpayArgs...) },
			func() time.Duration { return timeRun(b, "sqlite3", sqliteArgs...) })
		fmt.Printf("history --limit 50 --json vs sqlite3 (%d paired runs): coolpay median %v, sqlite3 median %v, median ratio %.2f (target ≤ 1.5)\n",
			pairs, cpMed, sqMed, med)
	}
}

// searchFields are the twin's columns a search reads: the eight text
// fields the ledger searches (store.Filter.Search).
var searchFields = []string{"customer_name", "customer_phone", "customer_email", "customer_username",
	"reason", "transaction_ref", "app_transaction_ref", "operator_transaction_ref"}

// BenchmarkSearchProcessVsSQLite times a search found nowhere, so that
// every record is read: `coolpay history --search <term> --limit 50 --json`
// as a whole process against the sqlite3 command-line tool scanning the
// same eight fields of the same rows with LIKE (case-insensitive for ASCII,
// as the ledger's search is for every letter). Paired, alternating runs;
// medians and the median of the per-pair ratios.
func BenchmarkSearchProcessVsSQLite(b *testing.B) {
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Skip("sqlite3 not installed (make bench installs it)")
	}
	ledger := benchLedger(b)
	twin := sqliteTwin(b, ledger)
	bin := buildBench(b)
	const term = "zzq-nowhere"
	like := make([]string, len(searchFields))
	for i, c := range searchFields {
		like[i] = c + " LIKE '%" + term + "%'"
	}
	// count(*) alongside the rows: sqlite3 says 0 rather than nothing, so
	// a run that printed nothing is an error, not a fast answer.
	query := "SELECT count(*) FROM (SELECT id FROM tx WHERE " + strings.Join(like, " OR ") + " ORDER BY id DESC LIMIT 50)"
	const pairs = 15
	coolpayArgs := []string{"history", "--db", ledger, "--search", term, "--limit", "50", "--json"}
	sqliteArgs := []string{twin, query}
	timeRunAtLeast(b, 2, bin, coolpayArgs...) // "[]"
	timeRunAtLeast(b, 1, "sqlite3", sqliteArgs...)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cpMed, sqMed, med := pairedRuns(b, pairs,
			func() time.Duration { return timeRunAtLeast(b, 2, bin, coolpayArgs...) },
			func() time.Duration { return timeRunAtLeast(b, 1, "sqlite3", sqliteArgs...) })
		fmt.Printf("history --search (no hit, every record read) vs sqlite3 LIKE on the same 8 fields (%d paired runs): coolpay median %v, sqlite3 median %v, median ratio %.2f (target ≤ 1)\n",
			pairs, cpMed, sqMed, med)
	}
}
