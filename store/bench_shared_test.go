package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The costs of sharing the ledger between processes, next to what they
// replaced: `make bench` prints them in the summary.

// consoleStartup is the ledger work the console does before its first
// frame (ui/cli/console.go, ui/app): open read-write, read its settings
// one by one, recover orphaned NEW records, find the recent unsettled
// records to follow again, and load History's first page. before adds what
// the console did until now instead: the whole unsettled queue, twice
// (Recover and resumeFollowing each decoded it).
func consoleStartup(path string, before bool) error {
	db, err := Open(path, Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	for _, k := range []string{"public_key", "base_url", "lang", "theme", "poll_step", "poll_max", "poll_give_up"} {
		if _, _, err := db.Setting(k); err != nil {
			return err
		}
	}
	if before {
		for i := 0; i < 2; i++ {
			if _, err := db.Unsettled(); err != nil {
				return err
			}
		}
	} else {
		if _, err := db.Orphaned(); err != nil {
			return err
		}
		if _, err := db.UnsettledSince(time.Now().Add(-24 * time.Hour)); err != nil {
			return err
		}
	}
	_, err = db.List(Filter{}, 24, "")
	return err
}

func emptyLedger(b *testing.B) string {
	p := filepath.Join(b.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	return p
}

// BenchmarkConsoleStartup: the console's start-up ledger work on an empty
// ledger and on the 1M one (about 20,000 unsettled records), and on the 1M
// one the way it was done before (1M-before).
func BenchmarkConsoleStartup(b *testing.B) {
	big := benchLedger(b).Path()
	for _, c := range []struct {
		name   string
		path   string
		before bool
	}{{"empty", emptyLedger(b), false}, {"1M", big, false}, {"1M-before", big, true}} {
		b.Run(c.name, func(b *testing.B) {
			if err := consoleStartup(c.path, c.before); err != nil { // warm the page cache
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := consoleStartup(c.path, c.before); err != nil {
					b.Fatal(err)
				}
			}
			record(b)
		})
	}
}

// BenchmarkConsoleRssAnon runs the console's ledger work in a fresh process
// (a re-exec of this test binary): start-up, then History browsed 200
// pages deep and a search; it reports that process's anonymous memory
// (RssAnon: the heap, not the ledger's mapped pages, which the page cache
// owns). Linux only.
func BenchmarkConsoleRssAnon(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("needs /proc")
	}
	big := benchLedger(b).Path()
	for _, c := range []struct {
		name, path, mode string
	}{{"empty", emptyLedger(b), "now"}, {"1M", big, "now"}, {"1M-before", big, "before"}} {
		b.Run(c.name, func(b *testing.B) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestRssChild$")
			cmd.Env = append(os.Environ(), "COOLPAY_RSS_CHILD="+c.mode+","+c.path)
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("%v\n%s", err, out)
			}
			kb, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
			if err != nil {
				b.Fatalf("child said %q", out)
			}
			for i := 0; i < b.N; i++ {
			}
			b.ReportMetric(kb/1024, "RssAnon-MB")
			b.ReportMetric(0, "ns/op")
			resultsMu.Lock()
			results["rss/"+c.name] = kb / 1024
			resultsMu.Unlock()
		})
	}
}

// TestRssChild is the process BenchmarkConsoleRssAnon measures.
func TestRssChild(t *testing.T) {
	spec := os.Getenv("COOLPAY_RSS_CHILD")
	if spec == "" {
		t.Skip("run by BenchmarkConsoleRssAnon")
	}
	mode, path, _ := strings.Cut(spec, ",")
	fail := func(err error) {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	if err := consoleStartup(path, mode == "before"); err != nil {
		fail(err)
	}
	db, err := Open(path, Options{})
	if err != nil {
		fail(err)
	}
	cursor := ""
	for i := 0; i < 200; i++ {
		p, err := db.List(Filter{}, 24, cursor)
		if err != nil {
			fail(err)
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if _, err := db.List(Filter{Search: "ngono"}, 24, ""); err != nil {
		fail(err)
	}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		fail(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			fmt.Println(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			os.Exit(0)
		}
	}
	fail(fmt.Errorf("no RssAnon in /proc/self/status"))
}

// paired times two ways of doing the same work alternately, so that the
// load of a shared machine weighs on both alike, and reports each one's
// mean as a metric (and in the summary).
func paired(b *testing.B, names [2]string, f [2]func() error) {
	var total [2]time.Duration
	for i := 0; i < b.N; i++ {
		for j := range f {
			start := time.Now()
			if err := f[j](); err != nil {
				b.Fatal(err)
			}
			total[j] += time.Since(start)
		}
	}
	for j, n := range names {
		per := float64(total[j].Nanoseconds()) / float64(b.N)
		b.ReportMetric(per/1e3, n+"-µs")
		resultsMu.Lock()
		results[b.Name()+"/"+n] = per
		resultsMu.Unlock()
	}
	b.ReportMetric(0, "ns/op")
}

// BenchmarkHistoryPage: a page of History (the first and the 20th, 24
// rows) with the ledger opened per operation, as now, against one handle
// held open for the process's life, as before sharing.
func BenchmarkHistoryPage(b *testing.B) {
	path := benchLedger(b).Path()
	perOp, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer perOp.Close()
	held, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := held.holdOpen(); err != nil {
		b.Fatal(err)
	}
	defer held.Close()
	deep := ""
	for i := 0; i < 19; i++ {
		p, err := perOp.List(Filter{}, 24, deep)
		if err != nil {
			b.Fatal(err)
		}
		deep = p.Next
	}
	pages := func(db *DB) func() error {
		return func() error {
			for _, c := range []string{"", deep} {
				if p, err := db.List(Filter{}, 24, c); err != nil || len(p.Records) != 24 {
					return fmt.Errorf("%d records, %v", len(p.Records), err)
				}
			}
			return nil
		}
	}
	b.ResetTimer()
	paired(b, [2]string{"per-op", "held"}, [2]func() error{pages(perOp), pages(held)})
}

// BenchmarkUpdate: one Update (read-modify-write, fsync'd) of a record of
// a small ledger, per operation against held open: what opening and
// locking add to a write.
func BenchmarkUpdate(b *testing.B) {
	var fs [2]func() error
	for j, hold := range []bool{false, true} {
		db, err := Open(emptyLedger(b), Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		if hold {
			if err := db.holdOpen(); err != nil {
				b.Fatal(err)
			}
		}
		r := Record{Type: TypePayin, State: StatePending, AppRef: "cp-1"}
		if err := db.Create(&r); err != nil {
			b.Fatal(err)
		}
		n := 0
		fs[j] = func() error {
			n++
			_, err := db.Update(r.ID, func(r *Record) error { r.Message = strconv.Itoa(n); return nil })
			return err
		}
	}
	b.ResetTimer()
	paired(b, [2]string{"per-op", "held"}, fs)
}

// BenchmarkChangesPoll: what the console's twice-a-second check for other
// processes' writes costs on the 1M ledger.
func BenchmarkChangesPoll(b *testing.B) {
	db, err := Open(benchLedger(b).Path(), Options{ReadOnly: true}) // per operation, as the console does
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Changes(); err != nil {
			b.Fatal(err)
		}
	}
	record(b)
}

func printSharingSummary(sb *strings.Builder) {
	d := func(name string) string {
		if v := results[name]; v > 0 {
			return time.Duration(v).Round(time.Microsecond / 10).String()
		}
		return "-"
	}
	if results["BenchmarkConsoleStartup/1M"] > 0 {
		fmt.Fprintf(sb, "\nconsole start-up ledger work: empty %s, 1M %s (%.2fx empty), 1M as before sharing %s\n",
			d("BenchmarkConsoleStartup/empty"), d("BenchmarkConsoleStartup/1M"),
			results["BenchmarkConsoleStartup/1M"]/results["BenchmarkConsoleStartup/empty"], d("BenchmarkConsoleStartup/1M-before"))
	}
	if results["rss/1M"] > 0 {
		fmt.Fprintf(sb, "RssAnon after start-up + 200 History pages + a search: empty %.1f MB, 1M %.1f MB, 1M as before %.1f MB\n",
			results["rss/empty"], results["rss/1M"], results["rss/1M-before"])
	}
	if results["BenchmarkHistoryPage/held"] > 0 {
		fmt.Fprintf(sb, "History page (first + 20th, 24 rows): opened per operation %s, held open %s\n",
			d("BenchmarkHistoryPage/per-op"), d("BenchmarkHistoryPage/held"))
	}
	if results["BenchmarkUpdate/held"] > 0 {
		fmt.Fprintf(sb, "Update (fsync'd): opened per operation %s, held open %s\n", d("BenchmarkUpdate/per-op"), d("BenchmarkUpdate/held"))
	}
	if results["BenchmarkChangesPoll"] > 0 {
		fmt.Fprintf(sb, "Changes() poll on the 1M ledger: %s\n", d("BenchmarkChangesPoll"))
	}
}
