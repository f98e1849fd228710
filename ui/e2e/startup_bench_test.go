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
	ft := newFrameTimer(b)
	empty := filepath.Join(ft.dir, "empty.db")
	const runs = 7
	times := map[string][]time.Duration{}
	for i := 0; i < runs; i++ {
		for _, c := range []struct{ name, db string }{{"empty", empty}, {"1M", big}} {
			d, _ := ft.start(c.db)
			times[c.name] = append(times[c.name], d)
			ft.stop()
		}
	}
	rss := map[string]float64{}
	for _, c := range []struct{ name, db string }{{"empty", empty}, {"1M", big}} {
		_, pid := ft.start(c.db)
		name := fmt.Sprintf("ff%d", ft.session)
		ft.tmux("send-keys", "-t", name, "F2", "F2") // Payin → Payout → History
		time.Sleep(500 * time.Millisecond)
		for i := 0; i < 200; i++ {
			ft.tmux("send-keys", "-t", name, "PgDn")
		}
		time.Sleep(time.Second)
		rss[c.name] = rssAnonMB(b, pid)
		ft.stop()
	}
	for i := 0; i < b.N; i++ {
	}
	e, m := medianDuration(times["empty"]), medianDuration(times["1M"])
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

// frameTimer starts the real console in tmux sessions of a private server
// and times each from exec to its first frame on screen: the start-up
// benchmarks' one rig.
type frameTimer struct {
	b       *testing.B
	dir     string
	bin     string
	socket  string
	session int
}

// newFrameTimer builds coolpay into a temporary directory; the tmux
// server goes when the benchmark ends.
func newFrameTimer(b *testing.B) *frameTimer {
	ft := &frameTimer{b: b, dir: b.TempDir(), socket: fmt.Sprintf("coolpay-bench-%d", os.Getpid())}
	ft.bin = filepath.Join(ft.dir, "coolpay")
	if o, err := exec.Command("go", "build", "-o", ft.bin, "../..").CombinedOutput(); err != nil {
		b.Fatalf("build coolpay: %v\n%s", err, o)
	}
	b.Cleanup(func() { ft.tmux("kill-server") })
	return ft
}

func (ft *frameTimer) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", ft.socket}, args...)...).CombinedOutput()
	return string(out), err
}

// start runs `coolpay --sandbox --db db` in a new session and returns the
// time to its first frame and the pane's pid, the console left running
// (stop ends it).
func (ft *frameTimer) start(db string) (time.Duration, int) {
	first, _, pid := ft.startReady(db)
	return first, pid
}

// startReady is start that also waits for the console to be ready to
// type into (the payin form's amount field on screen), and returns both
// times: the first frame (the tab bar) may come before the ledger answers
// (app.Boot, on PostgreSQL), the form only after.
func (ft *frameTimer) startReady(db string) (first, ready time.Duration, pid int) {
	b := ft.b
	ft.session++
	name := fmt.Sprintf("ff%d", ft.session)
	stamp := filepath.Join(ft.dir, "start")
	os.Remove(stamp)
	// Quoted for the shell: a database URL holds '?' and '&'.
	cmdline := fmt.Sprintf("sleep 0.2; date +%%s%%N > %s; exec env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --db '%s' --lang en", stamp, ft.bin, db)
	if out, err := ft.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmdline); err != nil {
		b.Fatalf("tmux: %v\n%s", err, out)
	}
	deadline := time.Now().Add(10 * time.Second)
	var firstAt, readyAt time.Time
	for readyAt.IsZero() {
		screen, _ := ft.tmux("capture-pane", "-p", "-t", name)
		now := time.Now()
		if firstAt.IsZero() && strings.Contains(screen, "Payin") {
			firstAt = now
		}
		if strings.Contains(screen, "Amount (XAF)") {
			readyAt = now
		}
		if now.After(deadline) {
			b.Fatalf("no first frame:\n%s", screen)
		}
	}
	raw, err := os.ReadFile(stamp)
	ns, err2 := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
	if err != nil || err2 != nil {
		b.Fatalf("start stamp: %v %v", err, err2)
	}
	out, _ := ft.tmux("list-panes", "-t", name, "-F", "#{pane_pid}")
	pid, _ = strconv.Atoi(strings.TrimSpace(out))
	t0 := time.Unix(0, ns)
	return firstAt.Sub(t0), readyAt.Sub(t0), pid
}

// stop ends the last session started.
func (ft *frameTimer) stop() {
	ft.tmux("kill-session", "-t", fmt.Sprintf("ff%d", ft.session))
	time.Sleep(200 * time.Millisecond) // the next start on a quiet machine
}

func medianDuration(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
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
