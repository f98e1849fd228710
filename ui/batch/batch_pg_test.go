package batch_test

import (
	"errors"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
)

func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m)) // stops the throwaway PostgreSQL, if a test started one
}

// Two desks on one PostgreSQL ledger: while one sends a batch, the other's
// send of it is refused (ErrBusy) and sends nothing; the lines the first
// journaled are on the second desk's ledger too.
func TestTwoDesksOneBatchAtATimeOnPostgres(t *testing.T) {
	url := pgtest.URL(t)
	sb := sandboxFor(t, sandbox.Config{TimeoutDelay: 10 * time.Second})
	desk := func() *core.Service {
		db, err := store.Open(url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return core.New(core.Config{Client: newClient(sb.url, 2*time.Second), Store: db})
	}
	a, b := desk(), desk()
	content := "operator,phone,amount,reason\nMTN,670000001,1000,sandbox:timeout\nMTN,670000002,2000,b\n"
	f := parse(t, content)
	done := make(chan error, 1)
	go func() {
		_, err := batch.Send(t.Context(), a, f, batch.Options{Batch: "b.csv", Total: f.Total})
		done <- err
	}()
	waitFor(t, func() bool { return sb.sb.Stats().Payout == 1 })
	if _, err := batch.Send(t.Context(), b, parse(t, content), batch.Options{Batch: "b.csv", Total: f.Total}); !errors.Is(err, batch.ErrBusy) {
		t.Fatalf("second desk's send: want ErrBusy, got %v", err)
	}
	recs, err := b.Store().ByBatch("b.csv")
	if err != nil || len(recs) != 1 || recs[0].State != store.StateNew {
		t.Fatalf("the other desk sees %d journaled lines (%v), want the one in flight", len(recs), err)
	}
	sb.sb.Close() // answers the delayed request now
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := sb.sb.Stats().Payout; n != 2 {
		t.Fatalf("sandbox got %d payouts, want 2", n)
	}
}

type sandboxRig struct {
	sb  *sandbox.Server
	url string
}

func sandboxFor(t *testing.T, cfg sandbox.Config) sandboxRig {
	t.Helper()
	cfg.PrivateKey = testKey
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 20 * time.Millisecond
	}
	sb := sandbox.New(cfg)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	return sandboxRig{sb: sb, url: srv.URL}
}
