package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// postForm sends fields form-encoded, as the vendor's WooCommerce plugin
// does (no Accept header, every value text).
func (e *env) postForm(t *testing.T, path string, fields url.Values, hdr ...string) result {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.base+path, strings.NewReader(fields.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) result {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := result{code: resp.StatusCode, raw: raw}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&r.m); err != nil {
		t.Fatalf("%s %s: answer %d is not JSON: %q", req.Method, req.URL.Path, resp.StatusCode, raw)
	}
	return r
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestFormBodiesAreAcceptedOnEveryPost(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	pl := e.postForm(t, "/paylink", form("transaction_amount", "1500", "transaction_currency", "XAF",
		"transaction_reason", "Order 42", "app_transaction_ref", "wc_42", "customer_email", "awa@example.cm", "customer_lang", "fr"))
	if pl.code != http.StatusCreated || pl.str("status") != "success" || pl.str("payment_url") == "" {
		t.Fatalf("form paylink: %d %s", pl.code, pl.raw)
	}
	if s := e.status(t, pl.str("transaction_ref")); s.num("transaction_amount") != "1500" || s.str("app_transaction_ref") != "wc_42" {
		t.Fatalf("form paylink stored as %s", s.raw)
	}
	eur := e.postForm(t, "/paylink", form("transaction_amount", " 9.90 ", "transaction_currency", "EUR"))
	if eur.code != http.StatusCreated {
		t.Fatalf("form EUR paylink: %d %s", eur.code, eur.raw)
	}
	if s := e.status(t, eur.str("transaction_ref")); s.num("transaction_amount") != "9.9" {
		t.Fatalf("EUR amount from text: %s", s.raw)
	}

	pi := e.postForm(t, "/payin", form("transaction_amount", "100", "customer_phone_number", phoneOTP))
	if pi.code != http.StatusCreated || pi.str("action") != "REQUIRE_OTP" {
		t.Fatalf("form payin: %d %s", pi.code, pi.raw)
	}
	ref := pi.str("transaction_ref")
	expectError(t, e.postForm(t, "/payin/authorize", form("transaction_ref", ref, "code", "0000")), http.StatusUnauthorized, "Invalid authorization code !")
	if a := e.postForm(t, "/payin/authorize", form("transaction_ref", ref, "code", "1234")); a.code != http.StatusCreated || a.str("action") != "PENDING" {
		t.Fatalf("form authorize: %d %s", a.code, a.raw)
	}
	if s := e.postForm(t, "/checkStatus", form("transaction_ref", ref)); s.code != http.StatusOK || s.str("transaction_ref") != ref {
		t.Fatalf("form legacy status: %d %s", s.code, s.raw)
	}
	po := e.postForm(t, "/payout", form("transaction_amount", "500", "transaction_operator", "CM_OM",
		"customer_phone_number", phoneOrange), "X-PRIVATE-KEY", testPriv)
	if po.code != http.StatusOK || po.str("message") != "Successful transaction !" {
		t.Fatalf("form payout: %d %s", po.code, po.raw)
	}

	// multipart/form-data, which PHP also reads into the same fields.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("transaction_amount", "700")
	_ = mw.WriteField("customer_phone_number", phoneMTN)
	_ = mw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.base+"/payin", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := send(t, req); r.code != http.StatusCreated || r.str("ussd") != ussdMTN {
		t.Fatalf("multipart payin: %d %s", r.code, r.raw)
	}

	// The same refusals as JSON, worded for forms.
	before := e.srv.txCount()
	expectError(t, e.postForm(t, "/payin", form("transaction_amount", "cent", "customer_phone_number", phoneOrange)), http.StatusUnprocessableEntity, "transaction_amount must be a number")
	expectError(t, e.postForm(t, "/payin", form("transaction_amount", "", "customer_phone_number", phoneOrange)), http.StatusUnprocessableEntity, "transaction_amount")
	expectError(t, e.postForm(t, "/payin", form("transaction_amount", "10.5", "customer_phone_number", phoneOrange)), http.StatusUnprocessableEntity, "whole number")
	expectError(t, e.postForm(t, "/payout", form("transaction_amount", "500", "transaction_operator", "CM_OM",
		"customer_phone_number", phoneOrange, "private_key", testPriv), "X-PRIVATE-KEY", testPriv), http.StatusBadRequest, "private_key must not be sent")
	expectError(t, e.postForm(t, "/payin", url.Values{}), http.StatusBadRequest, "Empty request body")
	if n := e.srv.txCount(); n != before {
		t.Fatalf("refused forms made %d transactions", n-before)
	}
	// A JSON amount as a string stays refused: coolpay's own client must send numbers.
	expectError(t, e.post(t, "/payin", map[string]any{"transaction_amount": "100", "customer_phone_number": phoneOrange}),
		http.StatusUnprocessableEntity, "JSON number")
}

// A field given twice keeps its last value, as PHP reads a form.
func TestFormRepeatedFieldKeepsTheLast(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	r := e.postForm(t, "/payin", url.Values{"transaction_amount": {"100", "200"}, "customer_phone_number": {phoneOrange}})
	if r.code != http.StatusCreated {
		t.Fatalf("%d %s", r.code, r.raw)
	}
	if s := e.status(t, r.str("transaction_ref")); s.num("transaction_amount") != "200" {
		t.Fatalf("amount %s, want the last value 200", s.num("transaction_amount"))
	}
}

func TestIPRejectModes(t *testing.T) {
	t.Run("redirect is the default", func(t *testing.T) {
		s := New(Config{PublicKey: testPub, PrivateKey: testPriv})
		defer s.Close()
		w := payoutFrom(t, s, "203.0.113.8:4000")
		if w.Code != http.StatusFound || w.Header().Get("Location") != "http://example.com/" ||
			!strings.Contains(w.Body.String(), "Redirecting to") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("redirect mode: %d %v %s", w.Code, w.Header(), w.Body)
		}
		if s.txCount() != 0 || s.Balance() != DefaultBalance {
			t.Fatal("a refused payout did something")
		}
	})
	t.Run("json", func(t *testing.T) {
		s := New(Config{PublicKey: testPub, PrivateKey: testPriv, IPReject: IPRejectJSON})
		defer s.Close()
		if w := payoutFrom(t, s, "203.0.113.8:4000"); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), `"IP address not allowed"`) {
			t.Fatalf("json mode: %d %s", w.Code, w.Body)
		}
	})
	t.Run("hang until the client gives up", func(t *testing.T) {
		var log syncBuf
		e := newEnv(t, Config{StrictIP: true, IPReject: IPRejectHang, RequestLog: &log})
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		body, _ := json.Marshal(payoutBody(100))
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.base+"/payout", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-PRIVATE-KEY", testPriv)
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("hang mode answered %d", resp.StatusCode)
		}
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) < 250*time.Millisecond {
			t.Fatalf("hang mode: %v after %s", err, time.Since(start))
		}
		eventually(t, func() bool { return strings.Contains(log.String(), "(no answer)") }, "the hang logged")
		if line := log.String(); !strings.Contains(line, " --- ") {
			t.Fatalf("a request without an answer is logged with ---: %q", line)
		}
		if e.srv.txCount() != 0 {
			t.Fatal("a refused payout did something")
		}
	})
	t.Run("strict refuses loopback over a real socket", func(t *testing.T) {
		e := newEnv(t, Config{StrictIP: true, IPReject: IPRejectJSON})
		expectError(t, e.payout(t, payoutBody(100)), http.StatusForbidden, "IP address not allowed")
		e2 := newEnv(t, Config{StrictIP: true, IPReject: IPRejectJSON, AllowPayoutIP: []string{"127.0.0.0/8", "::1"}})
		if r := e2.payout(t, payoutBody(100)); r.code != http.StatusOK {
			t.Fatalf("allow-listed loopback under strict: %d %s", r.code, r.raw)
		}
	})
	if _, err := ParseIPReject("teapot"); err == nil {
		t.Fatal("ParseIPReject accepted an unknown mode")
	}
}

func TestErrorsCanBeWordedInMsg(t *testing.T) {
	e := newEnv(t, Config{ErrorField: ErrorFieldMsg})
	r := e.do(t, http.MethodGet, "/checkStatus/nope", nil)
	if r.code != http.StatusNotFound || r.str("msg") != "Transaction not found" || r.m["message"] != nil || r.str("status") != "error" {
		t.Fatalf("msg mode: %d %s", r.code, r.raw)
	}
	if ok := e.status(t, e.post(t, "/payin", payinBody(100, phoneOrange)).str("transaction_ref")); ok.str("status") != "success" {
		t.Fatalf("success answers are unchanged: %s", ok.raw)
	}
}

// syncBuf is an io.Writer safe for the handler's goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var logLine = regexp.MustCompile(`^\d\d:\d\d:\d\d  (GET|POST|→) +\S`)

func TestRequestLogOneLinePerRequestWithTheRule(t *testing.T) {
	var log syncBuf
	rc := newReceiver(t)
	e := newEnv(t, Config{RequestLog: &log, ConfirmAfter: -1, CallbackURL: rc.ts.URL})
	e.post(t, "/payin", payinBody(101, phoneOrange)) // FAILED at once
	e.post(t, "/payin", payinBody(100, phoneOTP))    // REQUIRE_OTP
	e.payout(t, payoutBody(507))                     // 202
	e.post(t, "/payout", payoutBody(100), "X-PRIVATE-KEY", "wrong-"+testPriv)
	e.do(t, http.MethodGet, "/checkStatus/%1b[31mred%e2%80%ae", nil) // control characters from outside
	e.do(t, http.MethodGet, "/balance", nil, "X-PRIVATE-KEY", testPriv)
	// The private key where it must not be: in a form body, and pasted as the public key.
	e.postForm(t, "/payout", form("transaction_amount", "100", "private_key", testPriv), "X-PRIVATE-KEY", testPriv)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, e.ts.URL+"/api/"+testPriv+"/balance", nil)
	send(t, req)
	eventually(t, func() bool { return len(rc.all()) >= 1 && strings.Contains(log.String(), "callback ") }, "callback logged")

	out := log.String()
	t.Logf("request log:\n%s", out)
	for _, want := range []string{
		"POST   /api/{key}/payin",
		"payin: amount ends in 1 → FAILED at once",
		"payin: phone ends in 00 → REQUIRE_OTP (code 1234)",
		"payout: amount ends in 7 → 202, SUCCESS at once",
		"Invalid private key",
		"Transaction not found", "balance", "private_key must not be sent", "Unknown application",
		" 201 ", " 401 ", " 404 ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	for _, secret := range []string{testPriv, testPub, "\x1b"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	requests := 0
	for _, l := range lines {
		if !logLine.MatchString(l) {
			t.Errorf("log line %q is not time, method, path", l)
		}
		if !strings.Contains(l, "→  ") && !strings.HasPrefix(l[10:], "→") {
			requests++
		}
	}
	if requests != 8 {
		t.Errorf("%d request lines for 8 requests:\n%s", requests, out)
	}
}

func TestNoLogWithoutRequestLog(t *testing.T) {
	// Quiet: nothing is written anywhere, and the handler works.
	e := newEnv(t, Config{})
	if r := e.post(t, "/payin", payinBody(100, phoneOrange)); r.code != http.StatusCreated {
		t.Fatal(r.code)
	}
}

func TestSettleForcesAPendingOutcomeAndSendsTheCallback(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	ref := e.post(t, "/payin", payinBody(103, phoneOrange)).str("transaction_ref") // 3: PENDING until settled
	st, err := Settle(t.Context(), e.ts.URL, ref, "FAILED")
	if err != nil || st.TransactionStatus != "FAILED" || st.TransactionMessage == nil {
		t.Fatalf("Settle: %+v %v", st, err)
	}
	if s := e.status(t, ref); s.str("transaction_status") != "FAILED" {
		t.Fatalf("after settle: %s", s.raw)
	}
	checkCallback(t, rc.wait(t, ref), testPub, testPriv, "FAILED")

	// Already final: 409, nothing changes, no second callback.
	if _, err := Settle(t.Context(), e.ts.URL, ref, "SUCCESS"); err == nil || !strings.Contains(err.Error(), "409") || !strings.Contains(err.Error(), "already FAILED") {
		t.Fatalf("settling a final transaction: %v", err)
	}
	if _, err := Settle(t.Context(), e.ts.URL, "no-such-ref", "SUCCESS"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("unknown ref: %v", err)
	}
	if _, err := Settle(t.Context(), e.ts.URL, ref, "PENDING"); !errors.Is(err, ErrBadOutcome) {
		t.Fatalf("PENDING is no outcome: %v", err)
	}

	// A payout in progress, forced CANCELED, is refunded; through a form.
	before := e.balance(t)
	pref := e.payout(t, payoutBody(503)).str("transaction_ref")
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, e.ts.URL+settlePath,
		strings.NewReader(form("ref", pref, "status", "canceled").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if r := send(t, req); r.code != http.StatusOK || r.str("transaction_status") != "CANCELED" {
		t.Fatalf("form settle: %d %s", r.code, r.raw)
	}
	if after := e.balance(t); after != before {
		t.Fatalf("balance %s after a canceled payout, want %s", after, before)
	}
	// A payin waiting for its code can be settled too.
	oref := e.post(t, "/payin", payinBody(100, phoneOTP)).str("transaction_ref")
	if _, err := Settle(t.Context(), e.ts.URL+"/api/", oref, "SUCCESS"); err != nil {
		t.Fatal(err)
	}
	eventually(t, func() bool { return len(rc.forRef(t, oref)) == 1 }, "one callback for the OTP payin")
	if len(rc.forRef(t, ref)) != 1 {
		t.Fatalf("%d callbacks for the payin settled once", len(rc.forRef(t, ref)))
	}
}

func TestSettleURLAcceptsTheUsualAddresses(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:8787":                 "http://127.0.0.1:8787/_sandbox/settle",
		"http://127.0.0.1:8787/":         "http://127.0.0.1:8787/_sandbox/settle",
		"http://127.0.0.1:8787/api":      "http://127.0.0.1:8787/_sandbox/settle",
		"https://sandbox.example.cm/api": "https://sandbox.example.cm/_sandbox/settle",
	} {
		if got, err := SettleURL(in); err != nil || got != want {
			t.Errorf("SettleURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ftp://x"} {
		if _, err := SettleURL(bad); err == nil {
			t.Errorf("SettleURL(%q) accepted", bad)
		}
	}
}

func TestBannerPrintsTheTestRulesButNoChosenPrivateKey(t *testing.T) {
	var b bytes.Buffer
	Config{ConfirmAfter: 3 * time.Second, StrictIP: true, IPReject: IPRejectHang}.WriteBanner(&b, "http://127.0.0.1:8787/api")
	out := b.String()
	for _, want := range []string{"http://127.0.0.1:8787/api", DefaultPrivateKey, "Test rules:", "after 3s",
		"phone ending in 00", "(strict)", "others answered: hang", "coolpay sandbox settle", "Ctrl-C to stop."} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	b.Reset()
	Config{PrivateKey: "merchant-real-looking-key"}.WriteBanner(&b, "x")
	if strings.Contains(b.String(), "merchant-real-looking-key") {
		t.Fatalf("a private key given by the user was printed:\n%s", b.String())
	}
}

// The README's table of rules says, for every row, where the rule comes
// from: the vendor's documentation or code, or the sandbox's own choice.
func TestReadmeRulesTableHasASourceForEveryRow(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(raw), "\n## The sandbox\n")
	if !ok {
		t.Fatal("README has no sandbox rules section")
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	rows := 0
	for _, l := range strings.Split(section, "\n") {
		if !strings.HasPrefix(l, "| ") || strings.HasPrefix(l, "| rule ") || strings.HasPrefix(l, "| ---") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		src := cells[len(cells)-1]
		if len(cells) != 3 || !(strings.HasPrefix(src, "documented") || strings.HasPrefix(src, "sandbox's choice") ||
			strings.HasPrefix(src, "reported")) {
			t.Errorf("row without a source (documented: …, reported: …, or sandbox's choice): %s", l)
		}
		rows++
	}
	if rows < 20 {
		t.Fatalf("only %d rows in the rules table", rows)
	}
}

// Whatever the flow, checkStatus and callbacks say only what the vendor
// documents: PENDING, SUCCESS, CANCELED or FAILED.
func TestOnlyDocumentedStatuses(t *testing.T) {
	rc := newReceiver(t)
	clock := newFakeClock()
	e := newEnv(t, Config{CallbackURL: rc.ts.URL, ConfirmAfter: fakeConfirm, Now: clock.Now})
	var refs []string
	for _, a := range []int{100, 101, 102, 103} {
		refs = append(refs, e.post(t, "/payin", payinBody(a, phoneOrange)).str("transaction_ref"))
	}
	refs = append(refs, e.post(t, "/payin", payinBody(100, phoneOTP)).str("transaction_ref"))
	for _, a := range []int{100, 101, 102, 103, 107} {
		refs = append(refs, e.payout(t, payoutBody(a)).str("transaction_ref"))
	}
	pl := e.post(t, "/paylink", map[string]any{"transaction_amount": 100})
	refs = append(refs, pl.str("transaction_ref"))
	started := e.post(t, "/paylink", map[string]any{"transaction_amount": 200})
	press(t, started.str("payment_url"), "start")
	refs = append(refs, started.str("transaction_ref"))
	documented := map[string]bool{"PENDING": true, "SUCCESS": true, "CANCELED": true, "FAILED": true}
	check := func() (final int) {
		for _, ref := range refs {
			st := e.status(t, ref).str("transaction_status")
			if !documented[st] {
				t.Fatalf("%s reports %q, not a documented status", ref, st)
			}
			if st != "PENDING" {
				final++
			}
		}
		return final
	}
	check()
	clock.Advance(e.srv, 3*fakeConfirm) // outcomes reached
	final := check()
	if final == 0 {
		t.Fatal("nothing became final")
	}
	// One callback per final transaction; each is counted when its delivery ends.
	eventually(t, func() bool { return e.srv.Stats().Callbacks >= final }, "%d callbacks", final)
	for _, cb := range rc.all() {
		var m map[string]any
		_ = json.Unmarshal(cb, &m)
		if st, _ := m["transaction_status"].(string); !documented[st] || st == "PENDING" {
			t.Fatalf("callback with status %q", st)
		}
	}
}
