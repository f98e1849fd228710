package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestPostgresRestartMidRun: two consoles (two desks) on one PostgreSQL
// ledger. The server crashes while desk A's payout is at the API, so the
// answer comes back to a ledger that is gone: A's header says one answer
// waits to be written, B's that the ledger is unreachable. The server
// starts again: both consoles reconnect by themselves (their headers
// clear, each listens for the other's writes again), A writes the answer,
// and the ledger holds exactly one payout, SUCCESS, for exactly one
// request the API received.
func TestPostgresRestartMidRun(t *testing.T) {
	needTmux(t)
	url := pgtest.URL(t)
	bin := buildBinary(t)

	sb := sandbox.New(sandbox.Config{PrivateKey: sandbox.DefaultPrivateKey, ConfirmAfter: 300 * time.Millisecond})
	var crash sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/payout") {
			// The request left after its journal row was committed;
			// the ledger goes away before the answer is back.
			crash.Do(func() { pgtest.Crash(t) })
		}
		sb.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); sb.Close(); pgtest.Start(t) })

	env := append(os.Environ(), "LANG=C.UTF-8", "COOLPAY_DB="+url,
		"COOLPAY_BASE_URL="+srv.URL+"/api", "COOLPAY_PUBLIC_KEY="+client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY="+sandbox.DefaultPrivateKey)
	console := func(name string) *term { return startDesk(t, name, bin, 140, env[len(os.Environ()):]) }
	a := console("coolpay-outA")
	b := console("coolpay-outB")
	b.keys("C-Right", "C-Right") // History
	b.waitFor(`History`, 5*time.Second)
	waitListeners(t, 2)

	a.keys("C-Right")
	a.waitFor(`Payout — send money`, 5*time.Second)
	a.keys("Right") // MTN MoMo
	a.keys("Tab")
	a.typeText("677123456")
	a.keys("Tab")
	a.typeText("5000") // paid at once by the sandbox (HTTP 200)
	a.keys("Tab")
	a.typeText("outage")
	a.keys("C-s")
	a.waitFor(`Check before sending`, 5*time.Second)
	a.typeText("5000")
	a.keys("Enter")

	a.waitFor(`ledger unreachable — 1 answer\(s\) waiting to be written, retrying`, 10*time.Second)
	b.waitFor(`ledger unreachable — retrying`, 5*time.Second)
	// Quitting now would lose the answer: the console asks first.
	a.keys("C-c")
	a.waitFor(`1 answer\(s\) not yet written to the ledger: quitting loses them`, 5*time.Second)
	a.keys("Escape")
	a.waitFor(`Still here`, 5*time.Second)

	pgtest.Start(t)
	for _, tm := range []*term{a, b} {
		tm.waitGone(`ledger unreachable`, 20*time.Second)
	}
	// Both consoles listen for each other's writes again.
	waitListeners(t, 2)
	b.waitFor(`(?s)payout.*success`, 10*time.Second)

	cmd := exec.Command(bin, "history", "--json")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil || strings.Count(string(out), `"PAYOUT"`) != 1 || !strings.Contains(string(out), `"SUCCESS"`) ||
		!strings.Contains(string(out), "while the ledger was unreachable: written now") {
		t.Fatalf("history --json after the restart: %v\n%s", err, out)
	}
	if n := sb.Stats().Payout; n != 1 {
		t.Fatalf("the API received %d payout requests, want 1", n)
	}
	for _, tm := range []*term{a, b} {
		tm.keys("C-c")
		tm.waitFor(`EXIT=0|Quit anyway`, 5*time.Second)
	}
}

// waitListeners waits until n sessions listen for the ledger's changes
// (one per console).
func waitListeners(t *testing.T, n int) {
	t.Helper()
	admin := pgtest.Admin(t)
	got := -1
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cn, err := pgx.Connect(ctx, admin)
		if err == nil {
			err = cn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN coolpay_changes'`).Scan(&got)
			cn.Close(ctx)
		}
		cancel()
		if err == nil && got == n {
			return
		}
	}
	t.Fatalf("%d sessions listen for the ledger's changes, want %d", got, n)
}

// waitGone waits until re no longer matches the screen.
func (tm *term) waitGone(re string, within time.Duration) {
	tm.t.Helper()
	end := time.Now().Add(within)
	for {
		s := tm.screen()
		if !strings.Contains(s, re) {
			return
		}
		if time.Now().After(end) {
			tm.t.Fatalf("%q still on screen:\n%s", re, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
