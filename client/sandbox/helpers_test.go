package sandbox

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
)

// Test keys. The private key is never printed by these tests.
const (
	testPub  = "test-public-key"
	testPriv = "test-private-key-do-not-print"

	phoneOrange = "691234567" // CM_OM, PENDING flow
	phoneMTN    = "671234567" // CM_MOMO, PENDING flow
	phoneOTP    = "690000000" // ends in 00: REQUIRE_OTP
)

// env is a sandbox behind a real HTTP server, called with raw net/http.
type env struct {
	srv  *Server
	ts   *httptest.Server
	base string // ts.URL + "/api/" + public key
}

// newEnv starts a sandbox with test keys and a short ConfirmAfter unless cfg
// says otherwise.
func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.PublicKey == "" {
		cfg.PublicKey = testPub
	}
	if cfg.PrivateKey == "" {
		cfg.PrivateKey = testPriv
	}
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 50 * time.Millisecond
	}
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return &env{srv: s, ts: ts, base: ts.URL + "/api/" + cfg.PublicKey}
}

// result is one decoded answer.
type result struct {
	code int
	raw  []byte
	m    map[string]any
}

func (r result) str(k string) string {
	v, _ := r.m[k].(string)
	return v
}

func (r result) num(k string) string {
	v, _ := r.m[k].(json.Number)
	return string(v)
}

// do sends method to e.base+path. body is JSON-encoded unless it is a string
// (sent as is) or nil. hdr holds header name/value pairs.
func (e *env) do(t *testing.T, method, path string, body any, hdr ...string) result {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/json")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{code: resp.StatusCode, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&r.m); err != nil {
		t.Fatalf("%s %s: answer %d is not JSON: %q", method, path, resp.StatusCode, raw)
	}
	return r
}

func (e *env) post(t *testing.T, path string, body any, hdr ...string) result {
	t.Helper()
	return e.do(t, http.MethodPost, path, body, hdr...)
}

func (e *env) payout(t *testing.T, body any) result {
	t.Helper()
	return e.post(t, "/payout", body, "X-PRIVATE-KEY", testPriv)
}

func (e *env) status(t *testing.T, ref string) result {
	t.Helper()
	r := e.do(t, http.MethodGet, "/checkStatus/"+ref, nil)
	if r.code != http.StatusOK {
		t.Fatalf("checkStatus %s: %d %s", ref, r.code, r.raw)
	}
	return r
}

func (e *env) balance(t *testing.T) string {
	t.Helper()
	r := e.do(t, http.MethodGet, "/balance", nil, "X-PRIVATE-KEY", testPriv)
	if r.code != http.StatusOK || r.str("status") != "success" {
		t.Fatalf("balance: %d %s", r.code, r.raw)
	}
	return r.num("balance")
}

// waitStatus polls the status check until the transaction has want, or fails.
func (e *env) waitStatus(t *testing.T, ref, want string) result {
	t.Helper()
	var r result
	eventually(t, func() bool {
		r = e.status(t, ref)
		return r.str("transaction_status") == want
	}, "transaction %s to become %s", ref, want)
	return r
}

// eventually polls cond with a deadline instead of sleeping a fixed time.
func eventually(t *testing.T, cond func() bool, what string, args ...any) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for "+what, args...)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func expectError(t *testing.T, r result, code int, msgPart string) {
	t.Helper()
	if r.code != code || r.str("status") != "error" || r.str("message") == "" {
		t.Fatalf("want %d error, got %d %s", code, r.code, r.raw)
	}
	if !strings.Contains(r.str("message"), msgPart) {
		t.Fatalf("message %q does not mention %q", r.str("message"), msgPart)
	}
	if len(r.m) != 2 {
		t.Fatalf("error body has extra fields: %s", r.raw)
	}
}

func payinBody(amount int, phone string) map[string]any {
	return map[string]any{
		"transaction_amount":    amount,
		"transaction_currency":  "XAF",
		"transaction_reason":    "Bic pen",
		"app_transaction_ref":   "order_" + phone,
		"customer_phone_number": phone,
		"customer_name":         "Awa",
		"customer_email":        "awa@example.cm",
		"customer_lang":         "fr",
	}
}

func payoutBody(amount int) map[string]any {
	return map[string]any{
		"transaction_amount":    amount,
		"transaction_currency":  "XAF",
		"transaction_reason":    "refund",
		"transaction_operator":  "CM_OM",
		"app_transaction_ref":   "out_1",
		"customer_phone_number": phoneOrange,
		"customer_name":         "Awa",
	}
}

// receiver is a merchant callback endpoint that records what it gets.
type receiver struct {
	ts     *httptest.Server
	mu     sync.Mutex
	bodies [][]byte
	answer string
	code   int
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	rc := &receiver{answer: "OK", code: http.StatusOK}
	rc.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, body)
		code, answer := rc.code, rc.answer
		rc.mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			code = http.StatusBadRequest
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(rc.ts.Close)
	return rc
}

func (rc *receiver) all() [][]byte {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([][]byte(nil), rc.bodies...)
}

// forRef returns the callbacks received for ref.
func (rc *receiver) forRef(t *testing.T, ref string) []map[string]json.RawMessage {
	t.Helper()
	var out []map[string]json.RawMessage
	for _, b := range rc.all() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("callback is not JSON: %q", b)
		}
		var r string
		_ = json.Unmarshal(m["transaction_ref"], &r)
		if r == ref {
			out = append(out, m)
		}
	}
	return out
}

// wait returns the callback for ref once it has arrived.
func (rc *receiver) wait(t *testing.T, ref string) map[string]json.RawMessage {
	t.Helper()
	eventually(t, func() bool { return len(rc.forRef(t, ref)) > 0 }, "callback for %s", ref)
	return rc.forRef(t, ref)[0]
}

func rawString(t *testing.T, m map[string]json.RawMessage, k string) string {
	t.Helper()
	var s string
	if err := json.Unmarshal(m[k], &s); err != nil {
		t.Fatalf("%s is not a string: %s", k, m[k])
	}
	return s
}

// independentSignature computes the documented md5 without the client package.
func independentSignature(ref, typ, amountText, currency, operator, priv string) string {
	sum := md5.Sum([]byte(ref + typ + amountText + currency + operator + priv))
	return hex.EncodeToString(sum[:])
}

// checkCallback verifies the shape and signature of one callback.
func checkCallback(t *testing.T, m map[string]json.RawMessage, pub, priv, wantStatus string) {
	t.Helper()
	for _, k := range []string{"application", "app_transaction_ref", "operator_transaction_ref",
		"transaction_ref", "transaction_type", "transaction_amount", "transaction_fees",
		"transaction_currency", "transaction_operator", "transaction_status", "transaction_reason",
		"transaction_message", "customer_phone_number", "signature"} {
		if _, ok := m[k]; !ok {
			t.Fatalf("callback lacks %s", k)
		}
	}
	if got := rawString(t, m, "application"); got != pub {
		t.Fatalf("application = %q, want the public key", got)
	}
	if got := rawString(t, m, "transaction_status"); got != wantStatus {
		t.Fatalf("callback status %q, want %q", got, wantStatus)
	}
	amount := string(m["transaction_amount"])
	if amount == "" || amount[0] == '"' || strings.ContainsAny(amount, "eE") {
		t.Fatalf("transaction_amount is not a plain JSON number: %s", amount)
	}
	if f := string(m["transaction_fees"]); f == "" || f[0] == '"' {
		t.Fatalf("transaction_fees is not a JSON number: %s", f)
	}
	if rawString(t, m, "transaction_message") == "" {
		t.Fatal("final callback without transaction_message")
	}
	want := independentSignature(rawString(t, m, "transaction_ref"), rawString(t, m, "transaction_type"),
		amount, rawString(t, m, "transaction_currency"), rawString(t, m, "transaction_operator"), priv)
	if got := rawString(t, m, "signature"); got != want {
		t.Fatalf("signature %s does not match the independently computed md5", got)
	}
}

// txCount is how many transactions the server holds.
func (s *Server) txCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.txs)
}

var _ = client.StatusSuccess

// fakeClock is a clock for Config.Now that moves only when told: with a
// long ConfirmAfter no real timer fires during a test, and Advance then
// Settle applies exactly the outcomes that are due, so "nothing else
// happened" is checked without sleeping.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 6, 8, 16, 34, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d and applies what is due on srv.
func (c *fakeClock) Advance(srv *Server, d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	srv.Settle()
}

// fakeConfirm is the ConfirmAfter used with a fakeClock: long enough that
// no real timer fires while a test runs.
const fakeConfirm = time.Hour
