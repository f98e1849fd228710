package core_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// capture stands where the merchant's callback URL would be and keeps every
// callback the sandbox sends, so a test holds "the genuine callback" of a
// payout whose answer was lost (and so learns its transaction_ref, as a
// person would in the merchant area).
type capture struct {
	mu  sync.Mutex
	cbs []client.Callback
	srv *httptest.Server
}

func newCapture(t *testing.T) *capture {
	c := &capture{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb client.Callback
		b, _ := io.ReadAll(r.Body)
		if json.Unmarshal(b, &cb) == nil {
			c.mu.Lock()
			c.cbs = append(c.cbs, cb)
			c.mu.Unlock()
		}
		io.WriteString(w, "OK")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// wait returns the first callback whose amount is amount.
func (c *capture) wait(t *testing.T, amount string) client.Callback {
	t.Helper()
	return c.waitFor(t, func(cb client.Callback) bool { return string(cb.TransactionAmount) == amount })
}

func (c *capture) waitFor(t *testing.T, ok func(client.Callback) bool) client.Callback {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for _, cb := range c.cbs {
			if ok(cb) {
				c.mu.Unlock()
				return cb
			}
		}
		c.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the expected callback never came")
	return client.Callback{}
}

// lostPayout sends a payout whose answer never arrives (the sandbox acts,
// then drops the connection): UNKNOWN, without a transaction_ref.
func lostPayout(t *testing.T, r *rig, amount string) store.Record {
	t.Helper()
	rec, err := r.svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_OM", Amount: amount, Phone: "690112233", Reason: "sandbox:drop"})
	if rec.State != store.StateUnknown || rec.TransactionRef != "" {
		t.Fatalf("want an UNKNOWN payout without reference: %v %s %q", err, rec.State, rec.TransactionRef)
	}
	return rec
}

func count(t *testing.T, db *store.DB) int {
	n, err := db.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestForgedButSignedCallbacksChangeNothing(t *testing.T) {
	cap := newCapture(t)
	r := newRig(t, sandbox.Config{CallbackURL: cap.srv.URL})
	ctx := context.Background()
	unknown := lostPayout(t, r, "5000")
	rejected, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "9000000", Phone: "690112233"})
	if rejected.State != store.StateRejected {
		t.Fatalf("want a REJECTED payout (402): %v %s", err, rejected.State)
	}
	// Another real payout, made elsewhere, same amount and operator as the
	// UNKNOWN one: its callback is genuinely signed.
	other, err := client.New(r.sb.PublicKey(), client.WithBaseURL(r.srv.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil })).
		Payout(ctx, client.PayoutRequest{TransactionAmount: "5000", TransactionOperator: "CM_OM", CustomerPhoneNumber: "677123456", AppTransactionRef: "elsewhere-1"})
	if err != nil {
		t.Fatal(err)
	}
	genuine := cap.waitFor(t, func(cb client.Callback) bool { return cb.TransactionRef == other.TransactionRef })
	before := count(t, r.db)
	forge := func(cb client.Callback, appRef, status string) {
		cb.AppTransactionRef, cb.TransactionStatus = appRef, status // unsigned fields
		if _, err := client.VerifyCallbackBody("application/json", mustJSON(t, cb), r.sb.PublicKey(), testKey); err != nil {
			t.Fatalf("the forged callback must pass the signature check to be a real test: %v", err)
		}
		if _, _, err := r.svc.RecordClaim(&cb); err != nil {
			t.Fatal(err)
		}
	}
	forge(genuine, unknown.AppRef, "FAILED")
	forge(client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: other.TransactionRef,
		TransactionType: "PAYOUT", TransactionAmount: "9000000", TransactionCurrency: "XAF", TransactionOperator: "CM_OM"}, testKey),
		rejected.AppRef, "SUCCESS")
	if err := r.svc.ConfirmWaiting(ctx, nil); err != nil {
		t.Fatal(err)
	}
	u, _ := r.db.Get(unknown.ID)
	q, _ := r.db.Get(rejected.ID)
	if u.State != store.StateUnknown || u.TransactionRef != "" {
		t.Fatalf("the UNKNOWN payout moved: %s %q\n%s", u.State, u.TransactionRef, kinds(u))
	}
	if q.State != store.StateRejected || q.TransactionRef != "" {
		t.Fatalf("the REJECTED payout moved: %s %q", q.State, q.TransactionRef)
	}
	if !strings.Contains(kinds(u), store.EvWarning) {
		t.Fatalf("the UNKNOWN payout should carry a warning: %s", kinds(u))
	}
	// The other payout is in the ledger once, as the API says it is.
	o, err := r.db.ByTransactionRef(other.TransactionRef)
	if err != nil || o.State != store.StateSuccess || o.AppRef != "elsewhere-1" {
		t.Fatalf("the other payout: %v %s %q", err, o.State, o.AppRef)
	}
	if got := count(t, r.db); got > before+2 {
		t.Fatalf("%d records after, %d before", got, before)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGenuineCallbackSettlesTheUnknownPayoutInPlace(t *testing.T) {
	cap := newCapture(t)
	r := newRig(t, sandbox.Config{CallbackURL: cap.srv.URL})
	ctx := context.Background()
	p := lostPayout(t, r, "4000")
	cb := cap.wait(t, "4000")
	n := count(t, r.db)
	c, fresh, err := r.svc.RecordClaim(&cb)
	if err != nil || !fresh || c.RecordID != p.ID {
		t.Fatalf("claim: %v %v %+v", err, fresh, c)
	}
	mid, _ := r.db.Get(p.ID)
	if mid.State != store.StateUnknown || !strings.Contains(kinds(mid), store.EvReported) {
		t.Fatalf("before confirmation the payout must stay UNKNOWN with a note: %s %s", mid.State, kinds(mid))
	}
	c, res, err := r.svc.ConfirmClaim(ctx, c.Key)
	if err != nil || res.Outcome != core.OutcomeAttached || c.State != store.ClaimConfirmed {
		t.Fatalf("confirm: %v %s %s", err, res.Outcome, c.State)
	}
	got, _ := r.db.Get(p.ID)
	if got.State != store.StateSuccess || got.TransactionRef != cb.TransactionRef || count(t, r.db) != n {
		t.Fatalf("not settled in place: %s %q, %d records (was %d)", got.State, got.TransactionRef, count(t, r.db), n)
	}
}

func TestStatusRefSettlesTheUnknownPayoutInPlace(t *testing.T) {
	cap := newCapture(t)
	r := newRig(t, sandbox.Config{CallbackURL: cap.srv.URL})
	p := lostPayout(t, r, "3500")
	ref := cap.wait(t, "3500").TransactionRef // as copied from the merchant area
	n := count(t, r.db)
	got, err := r.svc.Track(context.Background(), "  "+ref+" ")
	if err != nil || got.ID != p.ID || got.State != store.StateSuccess || got.TransactionRef != ref {
		t.Fatalf("status REF: %v #%d %s %q (want #%d SUCCESS)", err, got.ID, got.State, got.TransactionRef, p.ID)
	}
	if count(t, r.db) != n {
		t.Fatal("status REF made a second record")
	}
}

func TestAttachChecksWithTheAPI(t *testing.T) {
	cap := newCapture(t)
	r := newRig(t, sandbox.Config{CallbackURL: cap.srv.URL})
	ctx := context.Background()
	p := lostPayout(t, r, "2500")
	q := lostPayout(t, r, "2600")
	refP := cap.wait(t, "2500").TransactionRef
	if _, err := r.svc.Attach(ctx, q.ID, refP); !errors.Is(err, core.ErrCannotAttach) || !strings.Contains(err.Error(), "amount") {
		t.Fatalf("attaching another payout's reference: %v", err)
	}
	got, err := r.svc.Attach(ctx, p.ID, refP)
	if err != nil || got.State != store.StateSuccess || got.TransactionRef != refP {
		t.Fatalf("attach: %v %s", err, got.State)
	}
	if _, err := r.svc.Attach(ctx, p.ID, refP); !errors.Is(err, core.ErrCannotAttach) {
		t.Fatalf("attaching twice: %v", err)
	}
}

func TestReplaysOfOneCallbackAddNothing(t *testing.T) {
	cap := newCapture(t)
	r := newRig(t, sandbox.Config{CallbackURL: cap.srv.URL})
	p := lostPayout(t, r, "6000")
	cb := cap.wait(t, "6000")
	statuses := []string{"SUCCESS", "success", "FAILED", "Failed", "CANCELED", "PENDING", "REFUNDED", "", "sUcCeSs", "💥"}
	for i := 0; i < 200; i++ {
		c := cb
		c.TransactionStatus = statuses[i%len(statuses)]
		if i%2 == 1 {
			c.Signature = strings.ToUpper(c.Signature)
		}
		c.TransactionMessage = nil
		if _, err := client.VerifyCallbackBody("application/json", mustJSON(t, c), r.sb.PublicKey(), testKey); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.svc.RecordClaim(&c); err != nil {
			t.Fatal(err)
		}
	}
	claims, _ := r.db.Claims("")
	rec, _ := r.db.Get(p.ID)
	if len(claims) != 1 || len(rec.Events) > 6 || count(t, r.db) != 1 {
		t.Fatalf("200 replays: %d claims, %d events (%s), %d records", len(claims), len(rec.Events), kinds(rec), count(t, r.db))
	}
	r.svc.ConfirmWaiting(context.Background(), nil)
	if rec, _ = r.db.Get(p.ID); rec.State != store.StateSuccess {
		t.Fatalf("after confirmation: %s", rec.State)
	}
}

func TestCallbackForAnUnknownTransactionIsShownReportedThenMarkedUnknownToTheAPI(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	offline := core.New(core.Config{Store: r.db, Client: client.New(r.sb.PublicKey(), client.WithBaseURL(deadURL+"/api"),
		client.WithHTTPClient(&http.Client{Timeout: 200 * time.Millisecond}))})
	cb := client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: "never-made-1",
		TransactionType: "PAYIN", TransactionAmount: "777", TransactionCurrency: "XAF", TransactionOperator: "CM_MOMO",
		TransactionStatus: "SUCCESS"}, testKey)
	c, _, err := offline.RecordClaim(&cb)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.db.ByTransactionRef("never-made-1")
	if err != nil || rec.State != store.StateReported || rec.State.Final() {
		t.Fatalf("an unknown callback must show at once, not final: %v %s", err, rec.State)
	}
	if _, res, err := offline.ConfirmClaim(ctx, c.Key); err == nil || res.Outcome != core.OutcomeWaiting {
		t.Fatalf("API unreachable: %v %s", err, res.Outcome)
	}
	if got, _ := r.db.Claim(c.Key); got.State != store.ClaimWaiting || got.Tries != 1 {
		t.Fatalf("claim after an unreachable API: %+v", got)
	}
	// Later, the API answers: it does not know the transaction.
	if err := r.svc.Reconcile(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	rec, _ = r.db.Get(rec.ID)
	if rec.State != store.StateNotFound {
		t.Fatalf("after the API's 404: %s", rec.State)
	}
	asked := r.sb.Stats().Status
	r.svc.Reconcile(ctx, 1, nil)
	r.svc.ConfirmWaiting(ctx, nil)
	if r.sb.Stats().Status != asked {
		t.Fatal("a transaction the API does not know was asked about again")
	}
}

// fakeAPI answers checkStatus with whatever status the test sets: a
// stand-in for a vendor that changes its mind or invents statuses.
func fakeAPI(t *testing.T, status *string, amount string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ref := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		fmt.Fprintf(w, `{"status":"success","transaction_ref":%q,"transaction_type":"PAYIN","transaction_amount":%s,"transaction_currency":"XAF","transaction_operator":"CM_OM","transaction_status":%q}`, ref, amount, *status)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFinalStatesNeverMoveAndTheTrailIsBounded(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	status := "SUCCESS"
	api := fakeAPI(t, &status, "1000")
	svc := core.New(core.Config{Store: r.db, Client: client.New("pk", client.WithBaseURL(api.URL+"/api"))})
	ctx := context.Background()
	rec, err := svc.Track(ctx, "ref-final")
	if err != nil || rec.State != store.StateSuccess {
		t.Fatalf("import: %v %s", err, rec.State)
	}
	status = "FAILED"
	rec, _, _ = svc.Refresh(ctx, rec.ID)
	if rec.State != store.StateSuccess || !strings.Contains(kinds(rec), store.EvWarning) {
		t.Fatalf("a final state moved, or no warning: %s %s", rec.State, kinds(rec))
	}
	n := len(rec.Events)
	rec, _, _ = svc.Refresh(ctx, rec.ID)
	if len(rec.Events) != n {
		t.Fatal("the same disagreement was kept twice")
	}
	// Undocumented statuses change nothing, on a record still open too.
	status = "PENDING"
	open, _ := svc.Track(ctx, "ref-open")
	for i := 0; i < 300; i++ {
		status = fmt.Sprintf("WEIRD_%d", i)
		open, _, _ = svc.Refresh(ctx, open.ID)
		rec, _, _ = svc.Refresh(ctx, rec.ID)
	}
	if open.State != store.StatePending || rec.State != store.StateSuccess {
		t.Fatalf("undocumented statuses moved records: %s %s", open.State, rec.State)
	}
	if len(open.Events) > 100 || len(rec.Events) > 100 || open.Events[len(open.Events)-1].Kind != store.EvTrailFull {
		t.Fatalf("trail not bounded: %d and %d events", len(open.Events), len(rec.Events))
	}
}

// TestCallbackForAnUnknownTransactionKeepsOnlyDocumentedValues: a signed
// callback for a transaction nobody asked for is kept as evidence, but an
// undocumented currency or operator does not enter the record as it came:
// the currency becomes XXX ("no currency", never added to francs), the
// operator is left out, and each raw value is kept escaped in a warning.
func TestCallbackForAnUnknownTransactionKeepsOnlyDocumentedValues(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	evilCur, evilOp := "EUR\x1b]0;x\x07", "OP\u202e\u009b2J" // within the claim's bounds (10, 16 bytes)
	cb := client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: "never-made-2",
		TransactionType: "PAYIN", TransactionAmount: "777", TransactionCurrency: evilCur, TransactionOperator: evilOp,
		TransactionStatus: "SUCCESS"}, testKey)
	c, _, err := r.svc.RecordClaim(&cb)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.db.ByTransactionRef("never-made-2")
	if err != nil || rec.State != store.StateReported {
		t.Fatalf("the callback must still be shown: %v %s", err, rec.State)
	}
	if rec.Currency != core.NoCurrency || rec.Operator != "" || rec.Amount != "777" {
		t.Fatalf("undocumented values entered the record: currency %q operator %q amount %q", rec.Currency, rec.Operator, rec.Amount)
	}
	var warned string
	for _, e := range rec.Events {
		if e.Kind == store.EvWarning {
			warned += e.Detail + "\n"
		}
		if strings.ContainsAny(e.Detail, "\x1b\x07\u202e\u009b") {
			t.Fatalf("an event keeps the raw value: %q", e.Detail)
		}
	}
	for _, want := range []string{`"EUR\x1b]0;x\a"`, `"OP\u202e\u009b2J"`, "recorded as XXX", "recorded without an operator"} {
		if !strings.Contains(warned, want) {
			t.Errorf("warning lacks %s:\n%s", want, warned)
		}
	}
	// The claim keeps the callback as it came: its key is what was signed.
	if got, _ := r.db.Claim(c.Key); got.Currency != evilCur || got.Operator != evilOp {
		t.Fatalf("the claim must keep the evidence: %+v", got)
	}
	// The API does not know it: NOT_FOUND, with the same safe values.
	if err := r.svc.Reconcile(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	rec, _ = r.db.Get(rec.ID)
	if rec.State != store.StateNotFound || rec.Currency != core.NoCurrency || rec.Operator != "" {
		t.Fatalf("after the API's 404: %s %q %q", rec.State, rec.Currency, rec.Operator)
	}

	// Documented values are kept as they are.
	cb = client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: "never-made-3",
		TransactionType: "PAYIN", TransactionAmount: "12.5", TransactionCurrency: "EUR", TransactionOperator: "CARD",
		TransactionStatus: "SUCCESS"}, testKey)
	if _, _, err := r.svc.RecordClaim(&cb); err != nil {
		t.Fatal(err)
	}
	rec, _ = r.db.ByTransactionRef("never-made-3")
	if rec.Currency != "EUR" || rec.Operator != "CARD" {
		t.Fatalf("documented values changed: %q %q", rec.Currency, rec.Operator)
	}
	for _, e := range rec.Events {
		if e.Kind == store.EvWarning {
			t.Fatalf("a documented callback was warned about: %s", e.Detail)
		}
	}
}

// TestAnswerGivesAReplacedCurrencyBack: a callback's undocumented currency
// was replaced by XXX; when the API knows the transaction, its answer says
// which currency it is.
func TestAnswerGivesAReplacedCurrencyBack(t *testing.T) {
	status := "SUCCESS"
	api := fakeAPI(t, &status, "500")
	r := newRig(t, sandbox.Config{})
	svc := core.New(core.Config{Store: r.db, Client: client.New(r.sb.PublicKey(), client.WithBaseURL(api.URL+"/api"))})
	cb := client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: "web-1",
		TransactionType: "PAYIN", TransactionAmount: "500", TransactionCurrency: "X\x1bAF", TransactionOperator: "CM_OM",
		TransactionStatus: "SUCCESS"}, testKey)
	c, _, err := svc.RecordClaim(&cb)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.ConfirmClaim(context.Background(), c.Key); err != nil {
		t.Fatal(err)
	}
	rec, _ := r.db.ByTransactionRef("web-1")
	if rec.State != store.StateSuccess || rec.Currency != "XAF" || rec.Operator != "CM_OM" {
		t.Fatalf("after the API's answer: %s %q %q", rec.State, rec.Currency, rec.Operator)
	}
}
