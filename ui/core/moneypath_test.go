package core_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/report"
)

// hookTransport passes requests to the test server; before it hands a
// checkStatus answer back, it may run a hook (another process writing)
// or fail the exchange (the network down).
type hookTransport struct {
	mu         sync.Mutex
	statusDown bool         // checkStatus fails with a dropped connection
	afterAsk   func(string) // runs once, with the path, after the first checkStatus answer
}

func (h *hookTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	isStatus := strings.Contains(req.URL.Path, "/checkStatus")
	h.mu.Lock()
	down, hook := h.statusDown, h.afterAsk
	if isStatus && hook != nil {
		h.afterAsk = nil
	}
	h.mu.Unlock()
	if isStatus && down {
		return nil, io.ErrUnexpectedEOF
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && isStatus && hook != nil {
		hook(req.URL.Path) // the answer is read; the write has not happened yet
	}
	return resp, err
}

// serviceOn is a service on db talking to r's sandbox through rt.
func serviceOn(r *rig, db *store.DB, rt http.RoundTripper) *core.Service {
	c := client.New(r.sb.PublicKey(),
		client.WithBaseURL(r.srv.URL+"/api"),
		client.WithHTTPClient(&http.Client{Transport: rt, Timeout: 2 * time.Second}),
		client.WithRetry(2, time.Millisecond),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil }))
	return core.New(core.Config{Client: c, Store: db})
}

func hasEvent(r store.Record, kind string) int {
	n := 0
	for _, e := range r.Events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// TestPayoutPaidAtOnceRecordsItsFeesAndTheReportMatchesTheBalance: a
// payout the API pays at once (HTTP 200, no fees in the answer) has its
// fees asked of checkStatus once, right after; the day's report then
// accounts for exactly what left the sandbox's balance, and later
// reconciles do not ask again.
func TestPayoutPaidAtOnceRecordsItsFeesAndTheReportMatchesTheBalance(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	start := r.sb.Balance()
	var ids []uint64
	for _, a := range []string{"5000", "12345", "290000"} { // last digits 0, 5, 0: 200 SUCCESS at once
		rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: a, Phone: "690112233"})
		if err != nil || rec.State != store.StateSuccess || rec.HTTPStatus != 200 {
			t.Fatalf("payout %s: %v %s %d", a, err, rec.State, rec.HTTPStatus)
		}
		if rec.Fees == "" || hasEvent(rec, core.EvFeesAsked) != 1 {
			t.Fatalf("payout %s paid at once has no fees (%q) or asked %d times", a, rec.Fees, hasEvent(rec, core.EvFeesAsked))
		}
		ids = append(ids, rec.ID)
	}
	// A line of a batch (payouts send, the console's batch) too.
	line, err := r.svc.BatchPayout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "1000", Phone: "690112233"},
		func(rec *store.Record) { rec.Batch, rec.BatchLine = "paie.csv", 2 })
	if err != nil || line.State != store.StateSuccess || line.Fees != "20" || line.Batch != "paie.csv" {
		t.Fatalf("batch line paid at once: %v %s fees %q", err, line.State, line.Fees)
	}
	if got, _ := r.db.Get(ids[1]); got.Fees != "247" { // 2% of 12 345, rounded half up
		t.Fatalf("fees of 12 345 = %q, want 247 (the sandbox's checkStatus)", got.Fees)
	}
	if asked := r.sb.Stats().Status; asked != 4 {
		t.Fatalf("%d checkStatus calls for 4 payouts paid at once, want 4", asked)
	}
	// A payout in progress (202) that succeeds, one that fails (its amount
	// and fees come back), and a payin: the balance and the report agree.
	for _, a := range []string{"3007", "2001"} {
		rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: a, Phone: "677112233"})
		if err != nil || rec.HTTPStatus != 202 {
			t.Fatalf("payout %s: %v %d", a, err, rec.HTTPStatus)
		}
		r.waitFinal(t, rec.ID)
	}
	pin, err := r.svc.Payin(ctx, core.PayinInput{Amount: "10000", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.waitFinal(t, pin.ID); got.Fees != "200" {
		t.Fatalf("payin fees %q", got.Fees)
	}
	asked := r.sb.Stats().Status
	rep, err := report.Day(ctx, r.db, time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	sum := rep.Sum()
	moved := int64(start-r.sb.Balance()) * 100 // hundredths, as money.Amount counts
	if len(sum) != 1 || -sum[0].Net.Minor != moved || rep.FeesUnknown != 0 {
		t.Fatalf("report net %v, fees unknown %d; the balance fell by %v", sum, rep.FeesUnknown, moved)
	}
	if err := r.svc.Reconcile(ctx, 2, nil); err != nil {
		t.Fatal(err)
	}
	if n := r.sb.Stats().Status; n != asked {
		t.Fatalf("reconcile asked again for fees already known: %d status calls, want %d", n, asked)
	}
}

// TestFeesNotReachableAtPaymentAreAskedOnceByReconcile: the network fails
// when the fees are asked right after a payout paid at once; the payout
// stays SUCCESS, the report says its fees are unknown instead of counting
// zero, and the next reconcile asks once and fills them in; the one after
// does not ask again.
func TestFeesNotReachableAtPaymentAreAskedOnceByReconcile(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rt := &hookTransport{statusDown: true}
	svc := serviceOn(r, r.db, rt)
	rec, err := svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "295000", Phone: "677112233"})
	if err != nil || rec.State != store.StateSuccess {
		t.Fatalf("payout: %v %s", err, rec.State)
	}
	if rec.Fees != "" || hasEvent(rec, core.EvFeesAsked) != 0 || !core.NeedsFees(rec) {
		t.Fatalf("a failed fee look-up must leave the question open: fees %q, asked %d", rec.Fees, hasEvent(rec, core.EvFeesAsked))
	}
	rep, _ := report.Day(ctx, r.db, time.Now(), "")
	if rep.FeesUnknown != 1 || rep.Sum()[0].FeesUnknown != 1 {
		t.Fatalf("the report does not say the fees are unknown: %+v", rep)
	}
	rt.mu.Lock()
	rt.statusDown = false
	rt.mu.Unlock()
	before := r.sb.Stats().Status
	var lines []string
	err = svc.Reconcile(ctx, 1, func(b, a store.Record, err error) {
		lines = append(lines, b.Fees+"→"+a.Fees)
		if err != nil {
			t.Errorf("reconcile: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.db.Get(rec.ID)
	if got.Fees != "5900" || hasEvent(got, core.EvFeesAsked) != 1 || got.State != store.StateSuccess {
		t.Fatalf("after reconcile: fees %q, asked %d, %s (report lines %v)", got.Fees, hasEvent(got, core.EvFeesAsked), got.State, lines)
	}
	if len(lines) != 1 || lines[0] != "→5900" {
		t.Fatalf("reconcile reported %v, want one fee line", lines)
	}
	if n := r.sb.Stats().Status - before; n != 1 {
		t.Fatalf("%d checkStatus calls for one fee look-up", n)
	}
	rep, _ = report.Day(ctx, r.db, time.Now(), "")
	if rep.FeesUnknown != 0 || -rep.Sum()[0].Net.Minor != (295000+5900)*100 {
		t.Fatalf("report after the fees came: %+v", rep.Sum())
	}
	before = r.sb.Stats().Status
	if err := svc.Reconcile(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	if n := r.sb.Stats().Status - before; n != 0 {
		t.Fatalf("a second reconcile asked %d more times", n)
	}
}

// TestAnAnswerWithoutFeesIsRememberedAsAsked: when the API's answer has no
// fees, the record remembers it asked (an event), reconcile does not ask
// on every run, and the report keeps counting its fees as unknown.
func TestAnAnswerWithoutFeesIsRememberedAsAsked(t *testing.T) {
	status := "SUCCESS"
	api := fakeAPI(t, &status, "1500") // answers without transaction_fees
	dir := t.TempDir()
	db, err := store.Open(dir+"/l.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(api.URL+"/api"))
	svc := core.New(core.Config{Client: c, Store: db})
	rec := store.Record{Type: store.TypePayout, State: store.StateSuccess, TransactionRef: "TX-1", Amount: "1500", Currency: "XAF", Operator: "CM_OM"}
	if err := db.Create(&rec); err != nil {
		t.Fatal(err)
	}
	if err := svc.Reconcile(context.Background(), 1, nil); err != nil {
		t.Fatal(err)
	}
	got, _ := db.Get(rec.ID)
	if got.Fees != "" || hasEvent(got, core.EvFeesAsked) != 1 || core.NeedsFees(got) || got.State != store.StateSuccess {
		t.Fatalf("fees %q, asked %d", got.Fees, hasEvent(got, core.EvFeesAsked))
	}
	if err := svc.Reconcile(context.Background(), 1, nil); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.Get(rec.ID); hasEvent(again, core.EvFeesAsked) != 1 || !again.Updated.Equal(got.Updated) {
		t.Fatalf("asked again: %d events, updated %v → %v", hasEvent(again, core.EvFeesAsked), got.Updated, again.Updated)
	}
}

// TestStaleAnswerIsNotWrittenOverAnotherProcessSettlement: two handles on
// one ledger file, as the listener and `coolpay reconcile` are two
// processes. Reconcile asks checkStatus about a pending payout (PENDING);
// before it writes, the other writer settles the record SUCCESS (the
// sandbox settled it and the listener confirmed it). Reconcile's older
// answer must not become a warning on the record, and reconcile must not
// report the change the other writer made as its own.
func TestStaleAnswerIsNotWrittenOverAnotherProcessSettlement(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	other, err := store.Open(r.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	listener := serviceOn(r, other, http.DefaultTransport)

	rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "4003", Phone: "690112233"}) // 202, PENDING until settled
	if err != nil || rec.State != store.StatePending {
		t.Fatalf("payout: %v %s", err, rec.State)
	}
	rt := &hookTransport{}
	settled := false
	rt.afterAsk = func(string) {
		// Reconcile holds PENDING; meanwhile the other process settles.
		if _, err := r.sb.Force(rec.TransactionRef, client.StatusSuccess); err != nil {
			t.Errorf("force: %v", err)
		}
		got, _, err := listener.Refresh(ctx, rec.ID)
		settled = err == nil && got.State == store.StateSuccess
	}
	reconciler := serviceOn(r, r.db, rt)
	type line struct{ before, after store.State }
	var lines []line
	err = reconciler.Reconcile(ctx, 1, func(b, a store.Record, err error) {
		if err != nil {
			t.Errorf("reconcile: %v", err)
		}
		lines = append(lines, line{b.State, a.State})
	})
	if err != nil {
		t.Fatal(err)
	}
	if !settled {
		t.Fatal("the other writer did not settle the record between the question and the write")
	}
	got, _ := r.db.Get(rec.ID)
	for _, e := range got.Events {
		if e.Kind == store.EvWarning {
			t.Errorf("a stale answer became a warning: %q", e.Detail)
		}
	}
	if got.State != store.StateSuccess || got.Fees != "80" {
		t.Fatalf("record %s fees %q, want SUCCESS with the API's fees", got.State, got.Fees)
	}
	if len(lines) != 1 || lines[0].before != lines[0].after || lines[0].after != store.StateSuccess {
		t.Fatalf("reconcile reported %v: the listener's change is not reconcile's", lines)
	}
}

// TestNetworkFailuresAreToldPlainly: a payout whose connection closes
// before the answer (the sandbox acts, then drops it) keeps a record
// message that says what it means, not Go's "Post …: EOF", which stays in
// the trail.
func TestNetworkFailuresAreToldPlainly(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	rec, err := r.svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_OM", Amount: "700", Phone: "690112233", Reason: "sandbox:drop"})
	var amb *client.AmbiguousError
	if !errors.As(err, &amb) || rec.State != store.StateUnknown {
		t.Fatalf("want an unknown outcome: %v %s", err, rec.State)
	}
	if client.NetCause(err) != client.NetClosed {
		t.Fatalf("cause %q of %v", client.NetCause(err), err)
	}
	if !strings.HasPrefix(rec.Message, "the connection closed before the answer: the outcome is unknown") || strings.Contains(rec.Message, "EOF") {
		t.Fatalf("record message %q", rec.Message)
	}
	raw := false
	for _, e := range rec.Events {
		raw = raw || e.Kind == store.EvUnknown && strings.Contains(e.Detail, "EOF")
	}
	if !raw {
		t.Fatalf("Go's own words are not kept in the trail: %+v", rec.Events)
	}
}

// TestStaleAnswerAcrossProcesses is the soak's case with a real second
// process: while reconcile's checkStatus answer (PENDING) is on its way,
// another coolpay process (this test binary, as the listener would)
// settles the record SUCCESS in the same ledger file. Reconcile's write,
// coming after, must see the change (the ledger's own Updated stamp and
// the trail), drop its older answer, and report no change of its own.
func TestStaleAnswerAcrossProcesses(t *testing.T) {
	if os.Getenv("COOLPAY_STALE_CHILD") == "1" {
		staleChild()
		return
	}
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "8003", Phone: "677112233"})
	if err != nil || rec.State != store.StatePending {
		t.Fatalf("payout: %v %s", err, rec.State)
	}
	rt := &hookTransport{}
	var childOut []byte
	var childErr error
	rt.afterAsk = func(string) {
		if _, err := r.sb.Force(rec.TransactionRef, client.StatusSuccess); err != nil {
			t.Errorf("force: %v", err)
		}
		cmd := exec.Command(os.Args[0], "-test.run", "^TestStaleAnswerAcrossProcesses$")
		cmd.Env = append(os.Environ(), "COOLPAY_STALE_CHILD=1", "COOLPAY_CRASH_DB="+r.dbPath,
			"COOLPAY_CRASH_URL="+r.srv.URL+"/api", "COOLPAY_STALE_ID="+strconv.FormatUint(rec.ID, 10))
		childOut, childErr = cmd.CombinedOutput()
	}
	var lines []string
	err = serviceOn(r, r.db, rt).Reconcile(ctx, 1, func(b, a store.Record, err error) {
		if err != nil {
			t.Errorf("reconcile: %v", err)
		}
		if b.State != a.State {
			lines = append(lines, string(b.State)+" → "+string(a.State))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if childErr != nil {
		t.Fatalf("the other process did not settle the record: %v\n%s", childErr, childOut)
	}
	got, _ := r.db.Get(rec.ID)
	if got.State != store.StateSuccess || hasEvent(got, store.EvWarning) != 0 || hasEvent(got, store.EvPolled) != 1 {
		t.Fatalf("record %s, %d warnings, %d polls: %s", got.State, hasEvent(got, store.EvWarning), hasEvent(got, store.EvPolled), kinds(got))
	}
	if len(lines) != 0 {
		t.Fatalf("reconcile claimed the other process's change: %v", lines)
	}
}

// staleChild settles one record from the API, in its own process.
func staleChild() {
	db, err := store.Open(os.Getenv("COOLPAY_CRASH_DB"), store.Options{})
	if err != nil {
		os.Exit(3)
	}
	defer db.Close()
	id, _ := strconv.ParseUint(os.Getenv("COOLPAY_STALE_ID"), 10, 64)
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(os.Getenv("COOLPAY_CRASH_URL")))
	rec, _, err := core.New(core.Config{Client: c, Store: db}).Refresh(context.Background(), id)
	if err != nil || rec.State != store.StateSuccess {
		os.Exit(5)
	}
}
