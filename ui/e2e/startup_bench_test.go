package e2e

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// BenchmarkConsoleFirstFrame starts the real console (`coolpay --sandbox
// --db …`) in tmux on an empty ledger and on the 1M-record ledger that make
// bench seeds (COOLPAY_BENCH_DB), alternately, and measures the time from
// exec to the first frame on screen; on each ledger it then browses History
// 200 pages deep and reads the process's anonymous memory (RssAnon). Run
// with -benchtime 1x: each run does its own repetitions.
func BenchmarkConsoleFirstFrame(b *testing.B) {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("tmux not installed")
	}
	big := os.Getenv("COOLPAY_BENCH_DB")
	if big == "" {
		big = filepath.Join(os.TempDir(), "coolpay-bench-1m.db")
	}
	if _, err := os.Stat(big); err != nil {
		b.Skipf("no 1M ledger at %s: run the store benchmarks first (make bench)", big)
	}
	// Bring a ledger cached by an older build to this build's schema.
	if db, err := store.Open(big, store.Options{NoSync: true}); err == nil {
		db.Close()
	}
	dir := b.TempDir()
	bin := filepath.Join(dir, "coolpay")
	if o, err := exec.Command("go", "build", "-o", bin, "../..").CombinedOutput(); err != nil {
		b.Fatalf("build coolpay: %v\n%s", err, o)
	}
	empty := filepath.Join(dir, "empty.db")
	socket := fmt.Sprintf("coolpay-bench-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		return string(out), err
	}
	defer tmux("kill-server")

	// run starts the console, returns the time to its first frame and the
	// pane's pid, with the console left running.
	session := 0
	run := func(db string) (time.Duration, int) {
		session++
		name := fmt.Sprintf("ff%d", session)
		stamp := filepath.Join(dir, "start")
		os.Remove(stamp)
		cmdline := fmt.Sprintf("sleep 0.2; date +%%s%%N > %s; exec env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --db %s --lang en", stamp, bin, db)
		if out, err := tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmdline); err != nil {
			b.Fatalf("tmux: %v\n%s", err, out)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			screen, _ := tmux("capture-pane", "-p", "-t", name)
			if strings.Contains(screen, "Payin") {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("no first frame:\n%s", screen)
			}
		}
		end := time.Now()
		raw, err := os.ReadFile(stamp)
		ns, err2 := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
		if err != nil || err2 != nil {
			b.Fatalf("start stamp: %v %v", err, err2)
		}
		out, _ := tmux("list-panes", "-t", name, "-F", "#{pane_pid}")
		pid, _ := strconv.Atoi(strings.TrimSpace(out))
		return end.Sub(time.Unix(0, ns)), pid
	}
	stop := func() {
		tmux("kill-session", "-t", fmt.Sprintf("ff%d", session))
		time.Sleep(200 * time.Millisecond)
	}
	median := func(d []time.Duration) time.Duration {
		slices.Sort(d)
		return d[len(d)/2]
	}
	const runs = 7
	times := map[string][]time.Duration{}
	for i := 0; i < runs; i++ {
		for _, c := range []struct{ name, db string }{{"empty", empty}, {"1M", big}} {
			d, _ := run(c.db)
			times[c.name] = append(times[c.name], d)
			stop()
		}
	}
	rss := map[string]float64{}
	for _, c := range []struct{ name, db string }{{"empty", empty}, {"1M", big}} {
		_, pid := run(c.db)
		name := fmt.Sprintf("ff%d", session)
		tmux("send-keys", "-t", name, "F2", "F2") // Payin → Payout → History
		time.Sleep(500 * time.Millisecond)
		for i := 0; i < 200; i++ {
			tmux("send-keys", "-t", name, "PgDn")
		}
		time.Sleep(time.Second)
		rss[c.name] = rssAnonMB(b, pid)
		stop()
	}
	for i := 0; i < b.N; i++ {
	}
	e, m := median(times["empty"]), median(times["1M"])
	b.ReportMetric(float64(e.Microseconds())/1e3, "empty-ms")
	b.ReportMetric(float64(m.Microseconds())/1e3, "1M-ms")
	b.ReportMetric(float64(m)/float64(e), "1M/empty")
	b.ReportMetric(rss["empty"], "empty-RssAnon-MB")
	b.ReportMetric(rss["1M"], "1M-RssAnon-MB")
	b.ReportMetric(0, "ns/op")
	fmt.Printf("\nconsole first frame, median of %d (tmux, exec to first frame): empty ledger %v, 1M ledger %v (%.2fx)\n",
		runs, e.Round(time.Millisecond), m.Round(time.Millisecond), float64(m)/float64(e))
	fmt.Printf("console RssAnon after 200 History pages: empty ledger %.1f MB, 1M ledger %.1f MB\n", rss["empty"], rss["1M"])
}

func rssAnonMB(b *testing.B, pid int) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "RssAnon:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024
		}
	}
	b.Fatal("no RssAnon")
	return 0
}
