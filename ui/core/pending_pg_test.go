package core_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
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

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// crashOnPayout crashes the PostgreSQL server once, as a payout request
// leaves: its answer comes back to a process whose ledger is gone.
type crashOnPayout struct {
	t    *testing.T
	once sync.Once
}

func (c *crashOnPayout) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/payout") {
		c.once.Do(func() { pgtest.Crash(c.t) })
	}
	return http.DefaultTransport.RoundTrip(req)
}

type pgDesk struct {
	db  *store.DB
	svc *core.Service
}

func openDesk(t *testing.T, url string, e *sandboxtest.Env, rt http.RoundTripper) pgDesk {
	t.Helper()
	db, err := store.Open(url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := e.Client(client.WithHTTPClient(&http.Client{Transport: rt, Timeout: 5 * time.Second}))
	return pgDesk{db: db, svc: core.New(core.Config{Client: c, Store: db})}
}

func waitWritten(t *testing.T, svc *core.Service) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); svc.PendingWrites() != 0; {
		if time.Now().After(end) {
			t.Fatalf("%d answer(s) still waiting for the ledger", svc.PendingWrites())
		}
		svc.RetryPending()
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAnswerWhileLedgerDownIsWrittenWhenBack: the PostgreSQL server dies
// while a payout's request is out. The answer is kept in memory (counted by
// PendingWrites); a payment started meanwhile is refused before anything
// leaves; once the server is back the answer is written, once: one record,
// one request at the sandbox, the API's state, and a trail line that says
// it was written late.
func TestAnswerWhileLedgerDownIsWrittenWhenBack(t *testing.T) {
	url := pgtest.URL(t)
	e := sandboxtest.Start(t, sandbox.Config{})
	// A short lease: desk A notices at once that the restart ended its
	// owner session (renewed every 300 ms).
	store.SetOwnerLease(900 * time.Millisecond)
	t.Cleanup(func() { store.SetOwnerLease(30 * time.Second) })
	a := openDesk(t, url, e, &crashOnPayout{t: t})
	core.SetPendingBackoff(a.svc, time.Hour, time.Hour) // only RetryPending
	ctx := context.Background()

	_, err := a.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "5000", Phone: "690112233"})
	var pend *core.AnswerPendingError
	if !errors.As(err, &pend) || !errors.Is(err, store.ErrUnreachable) {
		t.Fatalf("payout answered while the ledger is down: %v, want an AnswerPendingError", err)
	}
	t.Cleanup(func() { pgtest.Start(t) }) // whatever happens below
	if n := a.svc.PendingWrites(); n != 1 {
		t.Fatalf("PendingWrites = %d, want 1", n)
	}
	// A payment started now is refused, and nothing leaves.
	_, err = a.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "7000", Phone: "690112233"})
	if !errors.Is(err, store.ErrUnreachable) || errors.As(err, &pend) {
		t.Fatalf("payout with the ledger down: %v, want ErrUnreachable before sending", err)
	}
	if got := e.SB.Stats().Payout; got != 1 {
		t.Fatalf("sandbox saw %d payout requests, want 1", got)
	}

	pgtest.Start(t)
	// The record is NEW and its owner session is gone, as a crashed
	// desk's would be; desk A itself knows it is not: its own recovery
	// (its console's watcher) leaves it alone.
	page, err := a.db.List(store.Filter{}, 10, "")
	if err != nil || len(page.Records) != 1 || page.Records[0].State != store.StateNew {
		t.Fatalf("before the write: %v %+v", err, page.Records)
	}
	owner := page.Records[0].Owner
	for end := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if alive, err := a.db.OwnerAlive(owner); err == nil && !alive {
			break
		}
		if time.Now().After(end) {
			t.Fatal("desk A still holds its owner lock after the restart")
		}
	}
	if n, err := a.svc.Recover(); err != nil || n != 0 {
		t.Fatalf("desk A's own recovery marked %d of its payments (%v), want 0", n, err)
	}
	waitWritten(t, a.svc)
	page, err = a.db.List(store.Filter{}, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	recs := page.Records
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1: %+v", len(recs), recs)
	}
	r := recs[0]
	if r.State != store.StateSuccess || r.TransactionRef == "" {
		t.Fatalf("record %s ref %q, want SUCCESS with the API's reference; trail %s", r.State, r.TransactionRef, kinds(r))
	}
	if hasEvent(r, store.EvSent) != 1 || hasEvent(r, store.EvInterrupted) != 0 ||
		!strings.Contains(trail(r), "while the ledger was unreachable: written now") {
		t.Fatalf("trail: %s", trail(r))
	}
	if got := e.SB.Stats().Payout; got != 1 {
		t.Fatalf("sandbox saw %d payout requests, want 1", got)
	}
}

// TestLateAnswerAfterAnotherDeskMarkedItUnknown: the server restart ends
// desk A's owner session, so desk B, connected again first, marks A's
// in-flight payout UNKNOWN (an orphan, as after a crash). A's answer,
// written later, is the API's word and replaces UNKNOWN (not final); the
// trail keeps both.
func TestLateAnswerAfterAnotherDeskMarkedItUnknown(t *testing.T) {
	url := pgtest.URL(t)
	e := sandboxtest.Start(t, sandbox.Config{})
	a := openDesk(t, url, e, &crashOnPayout{t: t})
	core.SetPendingBackoff(a.svc, time.Hour, time.Hour) // only RetryPending
	b := openDesk(t, url, e, http.DefaultTransport)
	ctx := context.Background()

	_, err := a.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "5000", Phone: "690112233"})
	var pend *core.AnswerPendingError
	if !errors.As(err, &pend) {
		t.Fatalf("payout: %v, want an AnswerPendingError", err)
	}
	// Desk B, a console, looks at the ledger meanwhile: unreachable.
	if _, err := b.db.Count(); !errors.Is(err, store.ErrUnreachable) {
		t.Fatalf("desk B's read with the server down: %v, want ErrUnreachable", err)
	}
	pgtest.Start(t)
	n, err := b.svc.Recover()
	if err != nil || n != 1 {
		t.Fatalf("desk B's recovery marked %d (%v), want A's payout", n, err)
	}
	waitWritten(t, a.svc)
	page, err := b.db.List(store.Filter{}, 10, "")
	recs := page.Records
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v %+v", err, recs)
	}
	r := recs[0]
	if r.State != store.StateSuccess || hasEvent(r, store.EvInterrupted) != 1 || hasEvent(r, store.EvSent) != 1 {
		t.Fatalf("record %s, trail %s", r.State, trail(r))
	}
	if got := e.SB.Stats().Payout; got != 1 {
		t.Fatalf("sandbox saw %d payout requests, want 1", got)
	}
}

func trail(r store.Record) string {
	var b strings.Builder
	for _, e := range r.Events {
		b.WriteString(e.Kind + ": " + e.Detail + "\n")
	}
	return b.String()
}
