package core_test

import (
	"context"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/core"
)

// The load of issue #15: 10 desks, each its own process's worth of state
// (its own *store.DB on the shared PostgreSQL ledger, its own Service and
// HTTP client), each sending 5 payouts a second against the sandbox.
const (
	loadDesks = 10
	loadRate  = 5 // payments a second, per desk
)

// loadResult is what a run of the load found.
type loadResult struct {
	sent     int // payouts that came back answered
	busy     int // payouts refused or failed (the ledger busy, unreachable, any error)
	requests int // payout requests the API received
	records  int // payout records in the ledger
	lost     int // requests the ledger has no settled record for
	doubled  int // app references or API references held by two records
	elapsed  time.Duration
	slowest  time.Duration // the longest payout, journal to answer written
	total    time.Duration // all payouts' time together
}

// loadDuration is how long the load runs: $COOLPAY_LOAD_DURATION (make
// bench sets a minute), else def.
func loadDuration(t testing.TB, def time.Duration) time.Duration {
	if v := os.Getenv("COOLPAY_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("COOLPAY_LOAD_DURATION=%q: %v", v, err)
		}
		return d
	}
	return def
}

func runLoad(t testing.TB, dur time.Duration) loadResult {
	url := pgtest.URL(t)
	// A balance for any run length: 50 payouts a second for a minute is
	// 15 million XAF with fees; a short balance would be refused (402),
	// which is the API's answer, not the ledger's doing.
	e := sandboxtest.Start(t, sandbox.Config{Balance: 10_000_000_000})
	// The first desk creates the schema; the others open it as desks do.
	desks := make([]pgDesk, loadDesks)
	for i := range desks {
		db, err := store.Open(url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		c := e.Client(client.WithHTTPClient(&http.Client{Timeout: 10 * time.Second}))
		desks[i] = pgDesk{db: db, svc: core.New(core.Config{Client: c, Store: db})}
	}
	var (
		mu  sync.Mutex
		res loadResult
		wg  sync.WaitGroup
	)
	n := int(dur.Seconds() * loadRate) // per desk
	start := time.Now()
	for i := range desks {
		wg.Add(1)
		go func(d pgDesk) {
			defer wg.Done()
			// Payment k is due at start + k/5 s; a desk running late
			// sends the next at once, so the rate holds over the run.
			ctx := context.Background()
			for k := 0; k < n; k++ {
				time.Sleep(time.Until(start.Add(time.Duration(k) * time.Second / loadRate)))
				t0 := time.Now()
				_, err := d.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "5000", Phone: "690112233", Reason: "load"})
				took := time.Since(t0)
				mu.Lock()
				res.total += took
				res.slowest = max(res.slowest, took)
				if err != nil {
					res.busy++
					if res.busy <= 3 {
						t.Logf("desk payout: %v", err)
					}
				} else {
					res.sent++
				}
				mu.Unlock()
			}
		}(desks[i])
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.requests = e.SB.Stats().Payout

	appRefs, txRefs := map[string]int{}, map[string]int{}
	settled := 0
	err := desks[0].db.Scan(context.Background(), store.Filter{}, func(r store.Record) bool {
		if r.Type != store.TypePayout {
			return true
		}
		res.records++
		appRefs[r.AppRef]++
		if r.TransactionRef != "" {
			txRefs[r.TransactionRef]++
		}
		if r.State == store.StateSuccess || r.State == store.StatePending {
			settled++
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []map[string]int{appRefs, txRefs} {
		for _, n := range m {
			res.doubled += n - 1
		}
	}
	res.lost = res.requests - settled
	if res.lost < 0 {
		res.lost = 0
	}
	return res
}

func (r loadResult) check(t testing.TB, dur time.Duration) {
	t.Helper()
	want := int(dur.Seconds()*loadRate) * loadDesks
	if r.lost != 0 || r.doubled != 0 || r.busy != 0 || r.records != r.requests || r.sent != r.requests {
		t.Fatalf("%d desks × %d/s for %s: %+v", loadDesks, loadRate, dur, r)
	}
	// The pace was held: every desk sent its 5 a second, finishing
	// within a second of the end.
	if r.sent != want || r.elapsed > dur+time.Second {
		t.Fatalf("%d payouts in %s, want %d in %s: %+v", r.sent, r.elapsed, want, dur, r)
	}
}

// TestTenDesksAtFiveAPerSecond: a short run of the load (3 s, or
// $COOLPAY_LOAD_DURATION): every payout that reached the API is in the
// ledger once and settled, and no desk was turned away.
func TestTenDesksAtFiveAPerSecond(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	dur := loadDuration(t, 3*time.Second)
	runLoad(t, dur).check(t, dur)
}

// BenchmarkTenDesksAtFiveAPerSecond: the load for a minute (make bench;
// $COOLPAY_LOAD_DURATION, default 1m), with -benchtime 1x. It reports
// lost, doubled and busy (each must be 0) and the latency of one payout.
func BenchmarkTenDesksAtFiveAPerSecond(b *testing.B) {
	dur := loadDuration(b, time.Minute)
	for i := 0; i < b.N; i++ {
		r := runLoad(b, dur)
		b.ReportMetric(float64(r.lost), "lost")
		b.ReportMetric(float64(r.doubled), "doubled")
		b.ReportMetric(float64(r.busy), "busy")
		b.ReportMetric(float64(r.sent)/r.elapsed.Seconds(), "payouts/s")
		if n := r.sent + r.busy; n > 0 {
			b.ReportMetric(float64(r.total.Milliseconds())/float64(n), "ms/payout")
		}
		b.ReportMetric(float64(r.slowest.Milliseconds()), "slowest-ms")
		r.check(b, dur)
	}
}
