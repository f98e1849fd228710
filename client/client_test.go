package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
)

// env is a real sandbox behind a real HTTP server, and a client speaking to it.
type env struct {
	sb  *sandbox.Server
	srv *httptest.Server
	c   *client.Client
	rec *recorder
}

// newEnv starts a sandbox with the test keys; cfg fields left zero take the
// sandbox defaults, except that outcomes arrive quickly.
func newEnv(t *testing.T, cfg sandbox.Config, opts ...client.Option) *env {
	t.Helper()
	cfg.PublicKey, cfg.PrivateKey = testPublic, testPrivate
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 30 * time.Millisecond
	}
	if cfg.TimeoutDelay == 0 {
		cfg.TimeoutDelay = 10 * time.Second
	}
	sb := sandbox.New(cfg)
	return newEnvHandler(t, sb, sb, opts...)
}

// newEnvHandler serves h (the sandbox, possibly wrapped).
func newEnvHandler(t *testing.T, sb *sandbox.Server, h http.Handler, opts ...client.Option) *env {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(sb.Close) // runs first: releases delayed answers so srv.Close does not wait
	rec := &recorder{next: srv.Client().Transport}
	base := []client.Option{
		client.WithBaseURL(srv.URL + "/api"),
		client.WithHTTPClient(&http.Client{Transport: rec}),
		client.WithPrivateKey(func(context.Context) (string, error) { return testPrivate, nil }),
		client.WithRetry(3, time.Millisecond),
	}
	return &env{sb: sb, srv: srv, c: client.New(testPublic, append(base, opts...)...), rec: rec}
}

// recorder is a RoundTripper that keeps what went over the wire.
type recorder struct {
	next     http.RoundTripper
	keepBody bool // also keep the answer's body (set before the first request)
	mu       sync.Mutex
	log      []exchange
}

type exchange struct {
	method, url string
	header      http.Header
	body        []byte
	status      int    // 0: no answer
	respBody    []byte // with keepBody
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	x := exchange{method: req.Method, url: req.URL.String(), header: req.Header.Clone(), body: body}
	if err == nil {
		x.status = resp.StatusCode
		if r.keepBody {
			x.respBody, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(x.respBody))
		}
	}
	r.mu.Lock()
	r.log = append(r.log, x)
	r.mu.Unlock()
	return resp, err
}

func (r *recorder) last(t *testing.T) exchange {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.log) == 0 {
		t.Fatal("no request was sent")
	}
	return r.log[len(r.log)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// waitFinal polls the status until it is final, or fails.
func (e *env) waitStatus(t *testing.T, ref, want string) *client.StatusResponse {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := e.c.CheckStatus(ctxT(t), ref)
		if err != nil {
			t.Fatalf("CheckStatus(%s): %v", ref, err)
		}
		if st.TransactionStatus == want {
			return st
		}
		if client.IsFinal(st.TransactionStatus) || time.Now().After(deadline) {
			t.Fatalf("status of %s = %s, want %s", ref, st.TransactionStatus, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func wantAPIError(t *testing.T, err error, status int, msgPart string) *client.APIError {
	t.Helper()
	var ae *client.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v (%T), want *APIError", err, err)
	}
	var amb *client.AmbiguousError
	if errors.As(err, &amb) {
		t.Fatalf("error = %v is ambiguous, want a plain refusal", err)
	}
	if ae.HTTPStatus != status || !strings.Contains(ae.Message, msgPart) {
		t.Fatalf("APIError = %d %q, want %d containing %q", ae.HTTPStatus, ae.Message, status, msgPart)
	}
	return ae
}

func wantAmbiguous(t *testing.T, err error, op string) *client.AmbiguousError {
	t.Helper()
	var amb *client.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("error = %v (%T), want *AmbiguousError", err, err)
	}
	if amb.Op != op || !strings.Contains(err.Error(), "may have acted") {
		t.Fatalf("AmbiguousError = %q (op %q), want op %q and a clear message", err, amb.Op, op)
	}
	return amb
}

func payinReq(amount, phone string) client.PayinRequest {
	return client.PayinRequest{TransactionAmount: json.Number(amount), TransactionReason: "test",
		AppTransactionRef: "order-" + amount, CustomerPhoneNumber: phone, CustomerLang: "en"}
}

func payoutReq(amount string) client.PayoutRequest {
	return client.PayoutRequest{TransactionAmount: json.Number(amount), TransactionOperator: client.OperatorOM,
		CustomerPhoneNumber: "699009911", TransactionReason: "refund"}
}

func TestPaylinkCreatesPageAndStaysPendingUnstarted(t *testing.T) {
	clock := sandboxtest.NewClock()
	e := newEnv(t, sandbox.Config{ConfirmAfter: sandboxtest.FakeConfirm, Now: clock.Now})
	ctx := ctxT(t)
	res, err := e.c.Paylink(ctx, client.PaylinkRequest{TransactionAmount: "1 500", TransactionReason: "Bic pen",
		AppTransactionRef: "order_1", CustomerPhoneNumber: "+237 699 00 99 11", CustomerLang: "fr",
		ReturnParams: map[string][]string{"order": {"42"}}})
	if err != nil {
		t.Fatal(err)
	}
	x := e.rec.last(t)
	if x.status != http.StatusCreated || !strings.HasSuffix(x.url, "/api/"+testPublic+"/paylink?order=42") {
		t.Fatalf("sent %s %s, got %d", x.method, x.url, x.status)
	}
	if !bytes.Contains(x.body, []byte(`"transaction_amount":1500,`)) || !bytes.Contains(x.body, []byte(`"customer_phone_number":"699009911"`)) {
		t.Fatalf("body not normalised: %s", x.body)
	}
	if res.Status != "success" || res.TransactionRef == "" || !strings.HasSuffix(res.PaymentURL, "/payment/checkout/"+res.TransactionRef) {
		t.Fatalf("paylink = %+v", res)
	}
	clock.Advance(e.sb, 3*sandboxtest.FakeConfirm) // past ConfirmAfter: a paylink waits for the customer
	st, err := e.c.CheckStatus(ctx, res.TransactionRef)
	// PENDING (documented), and no operator transaction until the customer starts paying.
	if err != nil || st.TransactionStatus != client.StatusPending || st.OperatorTransactionRef != "" ||
		st.TransactionAmount != "1500" || st.TransactionOperator != client.OperatorOM {
		t.Fatalf("status = %+v, %v", st, err)
	}
	eur, err := e.c.Paylink(ctx, client.PaylinkRequest{TransactionAmount: "9.90", TransactionCurrency: client.CurrencyEUR})
	if err != nil || eur.TransactionRef == "" {
		t.Fatalf("EUR paylink = %+v, %v", eur, err)
	}
	if !bytes.Contains(e.rec.last(t).body, []byte(`"transaction_amount":9.9,`)) {
		t.Fatalf("EUR amount not canonical: %s", e.rec.last(t).body)
	}
}

func TestPayinOutcomeFollowsLastDigit(t *testing.T) {
	clock := sandboxtest.NewClock()
	e := newEnv(t, sandbox.Config{ConfirmAfter: sandboxtest.FakeConfirm, Now: clock.Now})
	cases := []struct{ amount, phone, ussd, want string }{
		{"100", "699009911", "#150*50#", client.StatusSuccess}, // Orange
		{"101", "677009911", "*126#", client.StatusFailed},     // MTN
		{"102", "655009911", "#150*50#", client.StatusCanceled},
		{"104", "650009911", "*126#", client.StatusSuccess},
		{"103", "699009911", "#150*50#", client.StatusPending}, // never moves
	}
	refs := make([]string, len(cases))
	for i, c := range cases {
		res, err := e.c.Payin(ctxT(t), payinReq(c.amount, c.phone))
		if err != nil {
			t.Fatalf("payin %s: %v", c.amount, err)
		}
		if e.rec.last(t).status != http.StatusCreated || res.Action != client.ActionPending || res.USSD != c.ussd || res.TransactionRef == "" {
			t.Fatalf("payin %s = %+v (HTTP %d)", c.amount, res, e.rec.last(t).status)
		}
		refs[i] = res.TransactionRef
	}
	clock.Advance(e.sb, 3*sandboxtest.FakeConfirm) // well past ConfirmAfter
	for i, c := range cases[:4] {
		st, err := e.c.CheckStatus(ctxT(t), refs[i])
		if err != nil || st.TransactionStatus != c.want || st.TransactionType != client.TypePayin || string(st.TransactionAmount) != c.amount || st.CustomerPhoneNumber != c.phone {
			t.Fatalf("amount %s: status = %+v, %v; want %s", c.amount, st, err, c.want)
		}
	}
	if st, err := e.c.CheckStatusLegacy(ctxT(t), refs[4]); err != nil || st.TransactionStatus != client.StatusPending {
		t.Fatalf("amount ending in 3: %+v, %v; want PENDING forever", st, err)
	}
}

func TestPayinOTPFlow(t *testing.T) {
	e := newEnv(t, sandbox.Config{})
	ctx := ctxT(t)
	res, err := e.c.Payin(ctx, payinReq("100", "+237 699 00 99 00"))
	if err != nil || res.Action != client.ActionRequireOTP || res.USSD != "" {
		t.Fatalf("payin to a phone ending 00 = %+v, %v; want REQUIRE_OTP", res, err)
	}
	_, err = e.c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: res.TransactionRef, Code: "9999"})
	ae := wantAPIError(t, err, http.StatusUnauthorized, "Invalid authorization code !")
	if ae.Status != "error" {
		t.Fatalf("envelope status = %q", ae.Status)
	}
	ok, err := e.c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: res.TransactionRef, Code: " 1234 "})
	if err != nil || ok.Action != client.ActionPending || ok.USSD != "#150*50#" || e.rec.last(t).status != http.StatusCreated {
		t.Fatalf("authorize 1234 = %+v, %v", ok, err)
	}
	e.waitStatus(t, res.TransactionRef, client.StatusSuccess)

	// Three wrong codes fail the transaction.
	res, err = e.c.Payin(ctx, payinReq("100", "677000000"))
	if err != nil || res.Action != client.ActionRequireOTP {
		t.Fatalf("payin = %+v, %v", res, err)
	}
	for i := 0; i < 3; i++ {
		_, err = e.c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: res.TransactionRef, Code: "0000"})
		wantAPIError(t, err, http.StatusUnauthorized, "Invalid authorization code")
	}
	st := e.waitStatus(t, res.TransactionRef, client.StatusFailed)
	if st.TransactionMessage == nil {
		t.Fatal("a failed transaction should carry a message")
	}
	_, err = e.c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: res.TransactionRef, Code: "1234"})
	wantAPIError(t, err, http.StatusConflict, "")
}

func TestPayoutAndBalance(t *testing.T) {
	e := newEnv(t, sandbox.Config{Balance: 10_000})
	ctx := ctxT(t)
	bal, err := e.c.Balance(ctx)
	if err != nil || bal.Balance != "10000" || bal.Status != "success" {
		t.Fatalf("balance = %+v, %v", bal, err)
	}
	done, err := e.c.Payout(ctx, payoutReq("500"))
	if err != nil || done.HTTPStatus != http.StatusOK || done.Message != "Successful transaction !" || done.TransactionRef == "" {
		t.Fatalf("payout 500 = %+v, %v", done, err)
	}
	later, err := e.c.Payout(ctx, client.PayoutRequest{TransactionAmount: "1 007", TransactionOperator: client.OperatorMCP, CustomerUsername: "bob"})
	if err != nil || later.HTTPStatus != http.StatusAccepted || later.Message != "Transaction in progress..." {
		t.Fatalf("payout 1007 = %+v, %v", later, err)
	}
	e.waitStatus(t, later.TransactionRef, client.StatusSuccess)
	st, err := e.c.CheckStatus(ctx, done.TransactionRef)
	if err != nil || st.TransactionType != client.TypePayout || st.TransactionStatus != client.StatusSuccess || st.TransactionFees != "10" {
		t.Fatalf("payout status = %+v, %v", st, err)
	}
	// 10 000 - (500 + 10) - (1007 + 20) = 8463
	if bal, err = e.c.Balance(ctx); err != nil || bal.Balance != "8463" {
		t.Fatalf("balance after payouts = %+v, %v", bal, err)
	}
	_, err = e.c.Payout(ctx, payoutReq("9000"))
	wantAPIError(t, err, http.StatusPaymentRequired, "Insufficient balance")

	for _, x := range e.rec.log {
		hasKey := x.header.Get("X-PRIVATE-KEY") == testPrivate
		needsKey := strings.HasSuffix(x.url, "/payout") || strings.HasSuffix(x.url, "/balance")
		if hasKey != needsKey {
			t.Errorf("%s %s: X-PRIVATE-KEY sent = %v, want %v", x.method, x.url, hasKey, needsKey)
		}
		if strings.Contains(x.url, testPrivate) || bytes.Contains(x.body, []byte(testPrivate)) || bytes.Contains(x.body, []byte("private_key")) {
			t.Errorf("%s %s: private key outside the header", x.method, x.url)
		}
	}
}

func TestPayoutRefusals(t *testing.T) {
	e := newEnv(t, sandbox.Config{}, client.WithPrivateKey(func(context.Context) (string, error) { return "wrong-key-FAKE", nil }))
	_, err := e.c.Payout(ctxT(t), payoutReq("500"))
	wantAPIError(t, err, http.StatusUnauthorized, "private key")
	_, err = e.c.Balance(ctxT(t))
	wantAPIError(t, err, http.StatusUnauthorized, "private key")

	// No key source: nothing is sent at all.
	noKey := client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"))
	before := e.sb.Stats()
	if _, err := noKey.Payout(ctxT(t), payoutReq("500")); !errors.Is(err, client.ErrNoPrivateKey) {
		t.Fatalf("payout without key source = %v", err)
	}
	if _, err := noKey.Balance(ctxT(t)); !errors.Is(err, client.ErrNoPrivateKey) {
		t.Fatalf("balance without key source = %v", err)
	}
	failing := client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return "", errors.New("keyring locked") }))
	if _, err := failing.Payout(ctxT(t), payoutReq("500")); err == nil || !strings.Contains(err.Error(), "keyring locked") {
		t.Fatalf("payout with failing key source = %v", err)
	}
	if after := e.sb.Stats(); after != before {
		t.Fatalf("requests were sent without a key: %+v -> %+v", before, after)
	}
}

// The sandbox allows payouts from loopback; this wrapper makes the request
// look as if it came from elsewhere, standing in for a server on another host.
func TestPayoutFromUnlistedIPForbidden(t *testing.T) {
	sb := sandbox.New(sandbox.Config{PublicKey: testPublic, PrivateKey: testPrivate, AllowPayoutIP: []string{"198.51.100.7"},
		IPReject: sandbox.IPRejectJSON})
	from := "203.0.113.50:4000"
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		r.RemoteAddr = from
		mu.Unlock()
		sb.ServeHTTP(w, r)
	})
	e := newEnvHandler(t, sb, h)
	_, err := e.c.Payout(ctxT(t), payoutReq("500"))
	wantAPIError(t, err, http.StatusForbidden, "IP address not allowed")
	mu.Lock()
	from = "198.51.100.7:4000"
	mu.Unlock()
	if res, err := e.c.Payout(ctxT(t), payoutReq("500")); err != nil || res.HTTPStatus != http.StatusOK {
		t.Fatalf("payout from an allow-listed IP = %+v, %v", res, err)
	}
}

func TestServerRefusalsAreAPIErrors(t *testing.T) {
	e := newEnv(t, sandbox.Config{})
	_, err := e.c.CheckStatus(ctxT(t), "no-such-ref")
	wantAPIError(t, err, http.StatusNotFound, "Transaction not found")
	_, err = e.c.CheckStatusLegacy(ctxT(t), "no-such-ref")
	wantAPIError(t, err, http.StatusNotFound, "Transaction not found")
	if n := e.sb.Stats().Status; n != 2 {
		t.Fatalf("a 404 was retried: %d status requests", n)
	}
	// A ref with path characters stays one path segment.
	_, err = e.c.CheckStatus(ctxT(t), "../balance")
	wantAPIError(t, err, http.StatusNotFound, "")

	other := client.New("unknown-public-key", client.WithBaseURL(e.srv.URL+"/api"))
	_, err = other.Payin(ctxT(t), payinReq("100", "699009911"))
	wantAPIError(t, err, http.StatusNotFound, "Unknown application")
	// A 4xx on a money call is not ambiguous.
	wrongKey := client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return "wrong-key", nil }))
	_, err = wrongKey.Payout(ctxT(t), payoutReq("100"))
	wantAPIError(t, err, http.StatusUnauthorized, "Invalid private key")
}

// TestPhoneOfNoMobileMoneyOperatorIsRefusedBeforeSending: a valid 6xx
// number that neither MTN nor Orange serves (Camtel 62x, Nexttel 66x, 60x)
// is refused locally for a payin and a mobile-money payout, with its own
// code, and nothing reaches the server; My-CoolPay wallets (MCP) are not
// tied to an operator and keep any valid number.
func TestPhoneOfNoMobileMoneyOperatorIsRefusedBeforeSending(t *testing.T) {
	e := newEnv(t, sandbox.Config{})
	ctx := ctxT(t)
	for _, phone := range []string{"620000000", "+237 662 11 22 33", "600123456", "640123456"} {
		_, err := e.c.Payin(ctx, payinReq("100", phone))
		wantValidation(t, err, "customer_phone_number", client.CodePhoneNotMoMo)
		for _, op := range []string{client.OperatorMoMo, client.OperatorOM} {
			r := payoutReq("100")
			r.TransactionOperator, r.CustomerPhoneNumber = op, phone
			_, err = e.c.Payout(ctx, r)
			wantValidation(t, err, "customer_phone_number", client.CodePhoneNotMoMo)
		}
	}
	if st := e.sb.Stats(); st.Payin != 0 || st.Payout != 0 {
		t.Fatalf("refused input reached the server: %+v", st)
	}
	for _, phone := range []string{"650000000", "655000000", "677000000", "684000000", "685000000", "699000000"} {
		if err := client.CheckMobileMoney(phone); err != nil {
			t.Errorf("%s is a mobile-money number: %v", phone, err)
		}
	}
	mcp := payoutReq("100")
	mcp.TransactionOperator, mcp.CustomerPhoneNumber = client.OperatorMCP, "620000000"
	if _, err := e.c.Payout(ctx, mcp); err != nil {
		t.Fatalf("an MCP payout to a 62x wallet was refused: %v", err)
	}
}

func TestInvalidRequestsSendNothing(t *testing.T) {
	e := newEnv(t, sandbox.Config{})
	ctx := ctxT(t)
	_, err := e.c.Paylink(ctx, client.PaylinkRequest{TransactionAmount: "12.5"})
	wantValidation(t, err, "transaction_amount", "amount_fraction")
	_, err = e.c.Payin(ctx, payinReq("100", "12345"))
	wantValidation(t, err, "customer_phone_number", "phone_invalid")
	_, err = e.c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: "x"})
	wantValidation(t, err, "code", "code_required")
	_, err = e.c.Payout(ctx, client.PayoutRequest{TransactionAmount: "100", TransactionOperator: "CM_OM"})
	wantValidation(t, err, "customer_phone_number", "phone_required")
	_, err = e.c.CheckStatus(ctx, " ")
	wantValidation(t, err, "transaction_ref", "ref_required")
	_, err = e.c.CheckStatusLegacy(ctx, "")
	wantValidation(t, err, "transaction_ref", "ref_required")
	if n := e.rec.count(); n != 0 {
		t.Fatalf("%d requests sent for invalid input", n)
	}
}

func TestCallbacksFromSandboxVerify(t *testing.T) {
	type got struct {
		cb  *client.Callback
		err error
	}
	ch := make(chan got, 10)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cb *client.Callback
		err := client.ErrCallbackIP
		if (client.CallbackIPPolicy{Allowed: []string{"127.0.0.1", "::1"}}).Allow(r) {
			body, _ := io.ReadAll(r.Body)
			cb, err = client.VerifyCallbackBody(r.Header.Get("Content-Type"), body, testPublic, testPrivate)
		}
		_, _ = io.WriteString(w, client.CallbackReply(err))
		ch <- got{cb, err}
	}))
	defer recv.Close()
	e := newEnv(t, sandbox.Config{CallbackURL: recv.URL})
	res, err := e.c.Payin(ctxT(t), payinReq("2500", "699009911"))
	if err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-ch:
		if g.err != nil {
			t.Fatalf("sandbox callback refused: %v", g.err)
		}
		if g.cb.TransactionRef != res.TransactionRef || g.cb.TransactionStatus != client.StatusSuccess || g.cb.TransactionFees != "50" {
			t.Fatalf("callback = %+v", g.cb)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no callback")
	}
	// The sandbox counts a delivery once our answer is back; give it a moment.
	deadline := time.Now().Add(2 * time.Second)
	for s := e.sb.Stats(); s.Callbacks != 1 || s.CallbackFailures != 0; s = e.sb.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("callback stats = %+v, want one delivery answered OK", s)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Each fault makes a money call's outcome unknown; none is retried.
func TestFaultsOnMoneyCallsAreAmbiguousAndSentOnce(t *testing.T) {
	type moneyCall struct {
		op    string
		call  func(c *client.Client, ctx context.Context, reason string) error
		count func(s sandbox.Stats) int
	}
	calls := []moneyCall{
		{"paylink", func(c *client.Client, ctx context.Context, reason string) error {
			_, err := c.Paylink(ctx, client.PaylinkRequest{TransactionAmount: "100", TransactionReason: reason})
			return err
		}, func(s sandbox.Stats) int { return s.Paylink }},
		{"payin", func(c *client.Client, ctx context.Context, reason string) error {
			r := payinReq("100", "699009911")
			r.TransactionReason = reason
			_, err := c.Payin(ctx, r)
			return err
		}, func(s sandbox.Stats) int { return s.Payin }},
		{"payout", func(c *client.Client, ctx context.Context, reason string) error {
			r := payoutReq("500")
			r.TransactionReason = reason
			_, err := c.Payout(ctx, r)
			return err
		}, func(s sandbox.Stats) int { return s.Payout }},
	}
	faults := []struct {
		reason string
		acted  bool // the sandbox did the work before failing
		check  func(t *testing.T, err error)
	}{
		{"sandbox:timeout", true, func(t *testing.T, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("timeout cause lost: %v", err)
			}
		}},
		{"sandbox:drop", true, func(t *testing.T, err error) {}},
		{"sandbox:500", false, func(t *testing.T, err error) {
			var ae *client.APIError
			if !errors.As(err, &ae) || ae.HTTPStatus != 500 || !strings.Contains(ae.Message, "500 Internal Server Error") || !strings.Contains(ae.Body, "nginx") {
				t.Fatalf("HTML 500 not described: %#v", ae)
			}
		}},
		{"sandbox:badjson", false, func(t *testing.T, err error) {
			var ae *client.APIError
			if !errors.As(err, &ae) || ae.HTTPStatus != 201 || ae.Status != "" || !strings.Contains(ae.Message, "redirect") {
				t.Fatalf("non-JSON 201 not described: %#v", ae)
			}
		}},
	}
	for _, mc := range calls {
		for _, f := range faults {
			t.Run(mc.op+"/"+f.reason, func(t *testing.T) {
				e := newEnv(t, sandbox.Config{Balance: 10_000})
				ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
				defer cancel()
				err := mc.call(e.c, ctx, f.reason)
				wantAmbiguous(t, err, mc.op)
				f.check(t, err)
				if n := mc.count(e.sb.Stats()); n != 1 {
					t.Fatalf("%d requests reached the server, want exactly 1 (no retry)", n)
				}
				if mc.op == "payout" {
					// The balance shows whether money moved: ambiguity is real.
					want := int64(10_000)
					if f.acted {
						want -= 510
					}
					if got := e.sb.Balance(); got != want {
						t.Fatalf("balance = %d, want %d", got, want)
					}
				}
			})
		}
	}
}
