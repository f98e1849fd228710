package core_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// testKey is a fake private key distinctive enough to find in a raw file.
const testKey = "TEST-PRIVATE-KEY-7f3a9c1e-do-not-store"

type rig struct {
	sb     *sandbox.Server
	srv    *httptest.Server
	db     *store.DB
	svc    *core.Service
	dbPath string
}

func newRig(t *testing.T, cfg sandbox.Config) *rig {
	t.Helper()
	if cfg.PrivateKey == "" {
		cfg.PrivateKey = testKey
	}
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 30 * time.Millisecond
	}
	e := sandboxtest.Start(t, cfg)
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := e.Client(client.WithHTTPClient(&http.Client{Timeout: 2 * time.Second}))
	return &rig{sb: e.SB, srv: e.Srv, db: db, dbPath: path, svc: core.New(core.Config{Client: c, Store: db})}
}

// waitFinal refreshes until the record is final or the deadline passes.
func (r *rig) waitFinal(t *testing.T, id uint64) store.Record {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec, _, err := r.svc.Refresh(context.Background(), id)
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		if rec.State.Final() {
			return rec
		}
		if time.Now().After(deadline) {
			t.Fatalf("record %d still %s", id, rec.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func kinds(r store.Record) string {
	var k []string
	for _, e := range r.Events {
		k = append(k, e.Kind)
	}
	return strings.Join(k, ",")
}

func TestPayinIsJournaledBeforeTheRequestLeaves(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	var seen store.Record
	var payinsAtJournal int
	svc := core.New(core.Config{Client: clientFor(r), Store: r.db, AfterJournal: func(rec store.Record) {
		got, err := r.db.Get(rec.ID)
		if err != nil {
			t.Errorf("record not readable at journal time: %v", err)
		}
		seen = got
		payinsAtJournal = r.sb.Stats().Payin
	}})
	rec, err := svc.Payin(context.Background(), core.PayinInput{Amount: "1 500", Phone: "+237 690 11 22 33", Name: "Ngono"})
	if err != nil {
		t.Fatal(err)
	}
	if seen.State != store.StateNew || seen.AppRef == "" || payinsAtJournal != 0 {
		t.Fatalf("at journal time: state %s appref %q payins sent %d; want NEW, a ref, 0", seen.State, seen.AppRef, payinsAtJournal)
	}
	if rec.State != store.StatePending || rec.TransactionRef == "" || rec.USSD != "#150*50#" || rec.Operator != client.OperatorOM {
		t.Fatalf("after answer: %+v", rec)
	}
	if rec.Amount != "1500" || rec.CustomerPhone != "690112233" {
		t.Fatalf("amount/phone not normalised: %q %q", rec.Amount, rec.CustomerPhone)
	}
	final := r.waitFinal(t, rec.ID)
	if final.State != store.StateSuccess || final.Fees != "30" {
		t.Fatalf("final %s fees %s, want SUCCESS 30", final.State, final.Fees)
	}
	if got := kinds(final); !strings.HasPrefix(got, "created,sent,answered") || !strings.HasSuffix(got, "final") {
		t.Fatalf("event trail %s", got)
	}
}

func clientFor(r *rig) *client.Client {
	return client.New(r.sb.PublicKey(), client.WithBaseURL(r.srv.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil }))
}

func TestInvalidInputStoresAndSendsNothing(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	cases := []core.PayinInput{
		{Amount: "12.5", Phone: "690112233"},
		{Amount: "", Phone: "690112233"},
		{Amount: "1000", Phone: "12345"},
		{Amount: "-5", Phone: "690112233"},
		{Amount: "1e3", Phone: "690112233"},
	}
	for _, in := range cases {
		_, err := r.svc.Payin(context.Background(), in)
		var ve *client.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%+v: want ValidationError, got %v", in, err)
		}
	}
	_, err := r.svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_OM", Amount: "500"})
	var ve *client.ValidationError
	if !errors.As(err, &ve) || ve.Field != "customer_phone_number" {
		t.Errorf("payout without phone: %v", err)
	}
	if n, _ := r.db.Count(); n != 0 {
		t.Fatalf("ledger has %d records after invalid input", n)
	}
	if st := r.sb.Stats(); st.Payin+st.Payout != 0 {
		t.Fatalf("sandbox received %+v", st)
	}
}

func TestPayinOTPWrongThenRight(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: "2000", Phone: "670000000"})
	if err != nil {
		t.Fatal(err)
	}
	if rec.State != store.StateOTP {
		t.Fatalf("phone ending 00: state %s, want OTP_REQUIRED", rec.State)
	}
	rec, err = r.svc.Authorize(ctx, rec.ID, "9999")
	var api *client.APIError
	if !errors.As(err, &api) || api.HTTPStatus != 401 || rec.State != store.StateOTP {
		t.Fatalf("wrong code: err %v state %s", err, rec.State)
	}
	rec, err = r.svc.Authorize(ctx, rec.ID, "1234")
	if err != nil || rec.State != store.StatePending || rec.USSD == "" {
		t.Fatalf("right code: err %v rec %+v", err, rec)
	}
	if !strings.Contains(kinds(rec), "otp_asked,otp_rejected") {
		t.Fatalf("trail %s", kinds(rec))
	}
	if final := r.waitFinal(t, rec.ID); final.State != store.StateSuccess {
		t.Fatalf("final %s", final.State)
	}
}

func TestThreeWrongCodesFailThePayin(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, _ := r.svc.Payin(ctx, core.PayinInput{Amount: "2000", Phone: "650000000"})
	for i := 0; i < 3; i++ {
		rec, _ = r.svc.Authorize(ctx, rec.ID, "0000")
	}
	if rec.State != store.StateFailed {
		t.Fatalf("after 3 wrong codes: %s, want FAILED", rec.State)
	}
}

func TestOutcomeByLastDigit(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	for amount, want := range map[string]store.State{"1001": store.StateFailed, "1002": store.StateCanceled, "1005": store.StateSuccess} {
		rec, err := r.svc.Payin(context.Background(), core.PayinInput{Amount: amount, Phone: "677123456"})
		if err != nil {
			t.Fatal(err)
		}
		if rec.USSD == "#150*50#" {
			t.Errorf("MTN number got the Orange USSD code")
		}
		if got := r.waitFinal(t, rec.ID); got.State != want {
			t.Errorf("amount %s: %s, want %s", amount, got.State, want)
		}
	}
}

func TestPayoutOutcomes(t *testing.T) {
	r := newRig(t, sandbox.Config{Balance: 100_000})
	ctx := context.Background()
	rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "1000", Phone: "677123456", Name: "Mbarga"})
	if err != nil || rec.State != store.StateSuccess || rec.HTTPStatus != 200 {
		t.Fatalf("payout 200: err %v state %s http %d", err, rec.State, rec.HTTPStatus)
	}
	rec, err = r.svc.Payout(ctx, core.PayoutInput{Operator: "MCP", Amount: "1007", Username: "fotso"})
	if err != nil || rec.State != store.StatePending || rec.HTTPStatus != 202 {
		t.Fatalf("payout 202: err %v state %s http %d", err, rec.State, rec.HTTPStatus)
	}
	if got := r.waitFinal(t, rec.ID); got.State != store.StateSuccess {
		t.Fatalf("202 payout ended %s", got.State)
	}
	rec, err = r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "5000000", Phone: "690112233"})
	var api *client.APIError
	if !errors.As(err, &api) || rec.State != store.StateRejected || rec.Message == "" {
		t.Fatalf("over balance: err %v state %s", err, rec.State)
	}
}

func TestAmbiguousPayoutIsUnknownAndNeedsOverride(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "1000", Phone: "690112233", Reason: "sandbox:drop"})
	var amb *client.AmbiguousError
	if !errors.As(err, &amb) || rec.State != store.StateUnknown {
		t.Fatalf("dropped connection: err %v state %s, want AmbiguousError UNKNOWN", err, rec.State)
	}
	if n := r.sb.Stats().Payout; n != 1 {
		t.Fatalf("sandbox saw %d payouts, want exactly 1 (no automatic retry)", n)
	}
	if _, err := r.svc.ResendPayout(ctx, rec.ID, false); !errors.Is(err, core.ErrNeedsOverride) {
		t.Fatalf("resend without override: %v", err)
	}
	if n := r.sb.Stats().Payout; n != 1 {
		t.Fatalf("resend without override sent a request")
	}
	// The operator checked and decides to pay again, explicitly; the copy
	// keeps the original's reason, so change nothing else.
	again, err := r.svc.ResendPayout(ctx, rec.ID, true)
	if !errors.As(err, &amb) && err != nil {
		t.Fatalf("override resend: %v", err)
	}
	if again.ID == rec.ID || again.AppRef == rec.AppRef || !strings.Contains(kinds(again), "override") {
		t.Fatalf("override must make a new record with its own ref: %+v", again)
	}
	old, _ := r.db.Get(rec.ID)
	if !strings.Contains(kinds(old), "override") {
		t.Fatalf("original does not note the override: %s", kinds(old))
	}
	if n := r.sb.Stats().Payout; n != 2 {
		t.Fatalf("sandbox saw %d payouts, want 2", n)
	}
}

func TestServerErrorsOnMoneyCallsAreUnknown(t *testing.T) {
	r := newRig(t, sandbox.Config{TimeoutDelay: 5 * time.Second})
	ctx := context.Background()
	for _, reason := range []string{"sandbox:500", "sandbox:badjson", "sandbox:timeout"} {
		rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: "100", Phone: "690112233", Reason: reason})
		var amb *client.AmbiguousError
		if !errors.As(err, &amb) || rec.State != store.StateUnknown {
			t.Errorf("%s: err %v state %s, want UNKNOWN", reason, err, rec.State)
		}
	}
	if n := r.sb.Stats().Payin; n != 3 {
		t.Fatalf("sandbox saw %d payins, want 3 (one each, never retried)", n)
	}
}

func TestReconcileSettlesPending(t *testing.T) {
	clock := sandboxtest.NewClock()
	r := newRig(t, sandbox.Config{ConfirmAfter: sandboxtest.FakeConfirm, Now: clock.Now})
	ctx := context.Background()
	var ids []uint64
	for _, a := range []string{"1000", "1001", "1003"} {
		rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: a, Phone: "690112233"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	clock.Advance(r.sb, 3*sandboxtest.FakeConfirm) // well past ConfirmAfter: 1003 stays pending
	changed := map[uint64]store.State{}
	err := r.svc.Reconcile(ctx, 2, func(before, after store.Record, err error) {
		if err != nil {
			t.Errorf("reconcile %d: %v", before.ID, err)
		}
		changed[after.ID] = after.State
	})
	if err != nil {
		t.Fatal(err)
	}
	if changed[ids[0]] != store.StateSuccess || changed[ids[1]] != store.StateFailed || changed[ids[2]] != store.StatePending {
		t.Fatalf("reconcile result %v", changed)
	}
	left, _ := r.db.Unsettled()
	if len(left) != 1 || left[0].ID != ids[2] {
		t.Fatalf("unsettled after reconcile: %d records", len(left))
	}
}

func TestCallbackRecordedOnceAndConfirmedByTheAPI(t *testing.T) {
	r := newRig(t, sandbox.Config{ConfirmAfter: time.Hour})
	rec, err := r.svc.Payin(context.Background(), core.PayinInput{Amount: "1000", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	cb := client.SignCallback(client.Callback{
		Application: r.sb.PublicKey(), AppTransactionRef: rec.AppRef, TransactionRef: rec.TransactionRef,
		TransactionType: "PAYIN", TransactionAmount: "1000", TransactionFees: "20", TransactionCurrency: "XAF",
		TransactionOperator: "CM_OM", TransactionStatus: "SUCCESS", CustomerPhoneNumber: "690112233",
	}, testKey)
	c, fresh, err := r.svc.RecordClaim(&cb)
	if err != nil || !fresh || c.RecordID != rec.ID {
		t.Fatalf("first callback: %v %v %+v", err, fresh, c)
	}
	a, _ := r.db.Get(rec.ID)
	if a.State != store.StatePending || !strings.Contains(kinds(a), store.EvReported) {
		t.Fatalf("a claim alone changed the record: %s %s", a.State, kinds(a))
	}
	if _, fresh, err := r.svc.RecordClaim(&cb); err != nil || fresh {
		t.Fatalf("second copy: %v fresh=%v", err, fresh)
	}
	if b, _ := r.db.Get(rec.ID); len(b.Events) != len(a.Events) {
		t.Fatalf("second copy changed the record: %d→%d events", len(a.Events), len(b.Events))
	}
	// The sandbox still says PENDING (its outcome is an hour away): the
	// callback's SUCCESS is not taken.
	c, res, err := r.svc.ConfirmClaim(context.Background(), c.Key)
	if err != nil || c.State != store.ClaimConfirmed || res.Record.State != store.StatePending {
		t.Fatalf("confirm: %v %s %s", err, c.State, res.Record.State)
	}
}

// TestJournalSurvivesCrashBetweenCommitAndSend kills a child process right
// after the payout is committed and before its request leaves: the record
// must be in the ledger, the sandbox must have seen nothing, and the next
// start marks it UNKNOWN.
func TestJournalSurvivesCrashBetweenCommitAndSend(t *testing.T) {
	if os.Getenv("COOLPAY_CRASH_CHILD") == "1" {
		crashChild()
		return
	}
	r := newRig(t, sandbox.Config{})
	r.db.Close()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestJournalSurvivesCrashBetweenCommitAndSend$")
	cmd.Env = append(os.Environ(), "COOLPAY_CRASH_CHILD=1", "COOLPAY_CRASH_DB="+r.dbPath, "COOLPAY_CRASH_URL="+r.srv.URL+"/api")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed at the journal point: %v\n%s", err, out)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("sandbox saw %d payouts from the killed child", n)
	}
	db, err := store.Open(r.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Unsettled()
	if err != nil || len(recs) != 1 || recs[0].State != store.StateNew || recs[0].Amount != "4321" {
		t.Fatalf("after crash: %v %+v", err, recs)
	}
	svc := core.New(core.Config{Store: db})
	if n, err := svc.Recover(); n != 1 || err != nil {
		t.Fatalf("recover: %d %v", n, err)
	}
	got, _ := db.Get(recs[0].ID)
	if got.State != store.StateUnknown || !strings.Contains(kinds(got), "interrupted") {
		t.Fatalf("after recover: %s %s", got.State, kinds(got))
	}
	if _, err := svc.ResendPayout(context.Background(), got.ID, false); !errors.Is(err, core.ErrNeedsOverride) {
		t.Fatalf("interrupted payout must need an override: %v", err)
	}
}

func crashChild() {
	db, err := store.Open(os.Getenv("COOLPAY_CRASH_DB"), store.Options{})
	if err != nil {
		os.Exit(3)
	}
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(os.Getenv("COOLPAY_CRASH_URL")),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil }))
	svc := core.New(core.Config{Client: c, Store: db, AfterJournal: func(store.Record) {
		// Killed as by kill -9 (TerminateProcess on Windows): no deferred
		// code, no clean-up, the answer never read.
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			p.Kill()
		}
		select {}
	}})
	svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_OM", Amount: "4321", Phone: "690112233"})
	os.Exit(4)
}

// TestPrivateKeyNeverInLedgerFile drives every flow with a known private key
// and then scans the raw ledger file for it.
func TestPrivateKeyNeverInLedgerFile(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	pin, _ := r.svc.Payin(ctx, core.PayinInput{Amount: "1000", Phone: "690000000", Reason: "key scan"})
	r.svc.Authorize(ctx, pin.ID, "0000")
	r.svc.Authorize(ctx, pin.ID, "1234")
	r.svc.Paylink(ctx, core.PaylinkInput{Amount: "2500", Currency: "XAF", Name: "Abena"})
	r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "1000", Phone: "690112233"})
	r.svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "1000", Phone: "690112233", Reason: "sandbox:drop"})
	r.svc.Balance(ctx)
	r.svc.Reconcile(ctx, 2, nil)
	cb := client.SignCallback(client.Callback{Application: r.sb.PublicKey(), TransactionRef: pin.TransactionRef,
		TransactionType: "PAYIN", TransactionAmount: "1000", TransactionCurrency: "XAF", TransactionOperator: "CM_OM",
		TransactionStatus: "SUCCESS"}, testKey)
	r.svc.RecordClaim(&cb)
	r.svc.ConfirmWaiting(ctx, nil)
	if err := r.db.SetSetting("private_key", testKey); err == nil {
		t.Fatal("the ledger accepted a setting named private_key")
	}
	r.db.Close()
	raw, err := os.ReadFile(r.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), testKey) {
		t.Fatal("the private key is in the ledger file")
	}
	if !strings.Contains(string(raw), "key scan") {
		t.Fatal("scan is blind: the payin's reason is not in the file either")
	}
}
