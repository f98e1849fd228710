package sandbox

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	refPattern   = regexp.MustCompile(`^\d{8}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	opRefPattern = regexp.MustCompile(`^MP\d{6}\.\d{4}\.A\d{5}$`)
)

func TestStatusCheckReturnsEveryDocumentedField(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	p := e.post(t, "/payin", payinBody(100, phoneOrange))
	if p.code != http.StatusCreated {
		t.Fatalf("payin: %d %s", p.code, p.raw)
	}
	ref := p.str("transaction_ref")
	if !refPattern.MatchString(ref) {
		t.Fatalf("transaction_ref %q is not shaped like the vendor's", ref)
	}
	for _, r := range []result{
		e.status(t, ref),
		e.post(t, "/checkStatus", map[string]any{"transaction_ref": ref}),
	} {
		if r.code != http.StatusOK {
			t.Fatalf("status: %d %s", r.code, r.raw)
		}
		if len(r.m) != 13 {
			t.Fatalf("status has %d fields, want the 13 documented: %s", len(r.m), r.raw)
		}
		want := map[string]string{
			"status": "success", "app_transaction_ref": "order_" + phoneOrange, "transaction_ref": ref,
			"transaction_type": "PAYIN", "transaction_currency": "XAF", "transaction_operator": "CM_OM",
			"transaction_status": "PENDING", "transaction_reason": "Bic pen",
			"customer_phone_number": phoneOrange,
		}
		for k, v := range want {
			if r.str(k) != v {
				t.Errorf("%s = %q, want %q", k, r.str(k), v)
			}
		}
		if r.num("transaction_amount") != "100" || r.num("transaction_fees") != "2" {
			t.Errorf("amount/fees = %s/%s, want 100/2", r.num("transaction_amount"), r.num("transaction_fees"))
		}
		if v, ok := r.m["transaction_message"]; !ok || v != nil {
			t.Errorf("transaction_message = %v, want null while pending", v)
		}
		if !opRefPattern.MatchString(r.str("operator_transaction_ref")) {
			t.Errorf("operator_transaction_ref %q not like MP201127.1634.A34527", r.str("operator_transaction_ref"))
		}
	}
}

func TestUnknownTransactionIs404(t *testing.T) {
	e := newEnv(t, Config{})
	expectError(t, e.do(t, http.MethodGet, "/checkStatus/nope", nil), http.StatusNotFound, "not found")
	expectError(t, e.post(t, "/checkStatus", map[string]any{"transaction_ref": "nope"}), http.StatusNotFound, "not found")
	expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": "nope", "code": "1234"}),
		http.StatusNotFound, "not found")
}

func TestUnknownPublicKeyIsAnError(t *testing.T) {
	e := newEnv(t, Config{})
	e.base = e.ts.URL + "/api/someone-else"
	expectError(t, e.post(t, "/payin", payinBody(100, phoneOrange)), http.StatusNotFound, "public key")
	expectError(t, e.do(t, http.MethodGet, "/balance", nil, "X-PRIVATE-KEY", testPriv), http.StatusNotFound, "public key")
	if n := e.srv.txCount(); n != 0 {
		t.Fatalf("%d transactions created for an unknown key", n)
	}
}

func TestUnknownRouteAndWrongMethodAreJSONErrors(t *testing.T) {
	e := newEnv(t, Config{})
	expectError(t, e.post(t, "/refund", map[string]any{}), http.StatusNotFound, "Route")
	expectError(t, e.do(t, http.MethodGet, "/payin", nil), http.StatusMethodNotAllowed, "POST")
	expectError(t, e.do(t, http.MethodDelete, "/balance", nil), http.StatusMethodNotAllowed, "GET")
	e.base = e.ts.URL
	expectError(t, e.do(t, http.MethodGet, "/elsewhere", nil), http.StatusNotFound, "Route")
}

func TestInvalidRequestsAreRefusedWithClearErrors(t *testing.T) {
	e := newEnv(t, Config{})
	with := func(base map[string]any, k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range base {
			m[kk] = vv
		}
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	pay := payinBody(100, phoneOrange)
	out := payoutBody(100)
	link := map[string]any{"transaction_amount": 100}
	cases := []struct {
		name, path string
		body       any
		code       int
		msg        string
	}{
		{"bad JSON", "/payin", `{"transaction_amount":`, 400, "JSON"},
		{"empty body", "/payin", ``, 400, "JSON"},
		{"array body", "/paylink", `[1,2]`, 400, "JSON"},
		{"private key in body", "/payin", with(pay, "private_key", "x"), 400, "X-PRIVATE-KEY"},
		{"missing amount", "/payin", with(pay, "transaction_amount", nil), 422, "transaction_amount"},
		{"null amount", "/paylink", `{"transaction_amount":null}`, 422, "transaction_amount"},
		{"amount as string", "/payin", with(pay, "transaction_amount", "100"), 422, "JSON number"},
		{"amount as bool", "/payin", with(pay, "transaction_amount", true), 422, "transaction_amount"},
		{"fractional XAF", "/payin", `{"transaction_amount":100.5,"customer_phone_number":"691234567"}`, 422, "transaction_amount"},
		{"exponent", "/paylink", `{"transaction_amount":1e3}`, 422, "transaction_amount"},
		{"zero", "/paylink", with(link, "transaction_amount", 0), 422, "transaction_amount"},
		{"negative", "/paylink", with(link, "transaction_amount", -5), 422, "transaction_amount"},
		{"too large", "/paylink", with(link, "transaction_amount", 99_999_999_999), 422, "transaction_amount"},
		{"bad currency", "/paylink", with(link, "transaction_currency", "USD"), 422, "transaction_currency"},
		{"EUR payin", "/payin", with(pay, "transaction_currency", "EUR"), 422, "XAF"},
		{"EUR payout", "/payout", with(out, "transaction_currency", "EUR"), 422, "XAF"},
		{"EUR three decimals", "/paylink", `{"transaction_amount":1.234,"transaction_currency":"EUR"}`, 422, "transaction_amount"},
		{"missing phone", "/payin", with(pay, "customer_phone_number", nil), 422, "customer_phone_number"},
		{"bad phone", "/payin", with(pay, "customer_phone_number", "12345"), 422, "customer_phone_number"},
		{"phone as number", "/payin", with(pay, "customer_phone_number", 691234567), 422, "customer_phone_number"},
		{"no operator for phone", "/payin", with(pay, "customer_phone_number", "622123456"), 422, "customer_phone_number"},
		{"bad paylink phone", "/paylink", with(link, "customer_phone_number", "+33 6 12"), 422, "customer_phone_number"},
		{"bad lang", "/payin", with(pay, "customer_lang", "de"), 422, "customer_lang"},
		{"bad email", "/paylink", with(link, "customer_email", "not-an-email"), 422, "customer_email"},
		{"missing operator", "/payout", with(out, "transaction_operator", nil), 422, "transaction_operator"},
		{"bad operator", "/payout", with(out, "transaction_operator", "CARD"), 422, "transaction_operator"},
		{"OM payout without phone", "/payout", with(out, "customer_phone_number", nil), 422, "customer_phone_number"},
		{"MCP without recipient", "/payout", with(with(out, "customer_phone_number", nil), "transaction_operator", "MCP"), 422, "MCP"},
		{"authorize without ref", "/payin/authorize", map[string]any{"code": "1234"}, 422, "transaction_ref"},
		{"authorize without code", "/payin/authorize", map[string]any{"transaction_ref": "x"}, 422, "code"},
		{"legacy status without ref", "/checkStatus", map[string]any{}, 422, "transaction_ref"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.post(t, c.path, c.body, "X-PRIVATE-KEY", testPriv)
			expectError(t, r, c.code, c.msg)
		})
	}
	if n := e.srv.txCount(); n != 0 {
		t.Fatalf("%d transactions created by refused requests", n)
	}
	if b := e.balance(t); b != "1000000" {
		t.Fatalf("balance moved to %s by refused requests", b)
	}
}

func TestOversizedBodyIs413(t *testing.T) {
	e := newEnv(t, Config{})
	big := `{"transaction_reason":"` + strings.Repeat("x", maxBody) + `"}`
	expectError(t, e.post(t, "/paylink", big), http.StatusRequestEntityTooLarge, "too large")
}

func TestPayinUSSDFollowsTheOperator(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	for phone, want := range map[string]string{
		phoneOrange: "#150*50#", "+237 655 123 456": "#150*50#",
		phoneMTN: "*126#", "00237650123456": "*126#",
	} {
		r := e.post(t, "/payin", payinBody(100, phone))
		if r.code != http.StatusCreated || r.str("status") != "success" || r.str("action") != "PENDING" || r.str("ussd") != want {
			t.Errorf("%s: %d %s, want PENDING with ussd %s", phone, r.code, r.raw, want)
		}
		if len(r.m) != 4 {
			t.Errorf("payin answer has %d fields, want status, transaction_ref, action, ussd", len(r.m))
		}
	}
}

func TestPayinOutcomeFollowsTheAmountsLastDigit(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Config{ConfirmAfter: fakeConfirm, Now: clock.Now})
	cases := []struct {
		amount int
		status string
		msg    string
	}{
		{100, "SUCCESS", "Transaction successful"},
		{1001, "FAILED", "Transaction failed"},
		{502, "CANCELED", "Transaction canceled"},
		{1005, "SUCCESS", "Transaction successful"},
		{999, "SUCCESS", "Transaction successful"},
	}
	refs := map[string]int{}
	for i, c := range cases {
		r := e.post(t, "/payin", payinBody(c.amount, phoneMTN))
		if r.code != http.StatusCreated {
			t.Fatalf("payin %d: %d %s", c.amount, r.code, r.raw)
		}
		refs[r.str("transaction_ref")] = i
	}
	stuck := e.post(t, "/payin", payinBody(1003, phoneOrange)).str("transaction_ref")
	clock.Advance(e.srv, 3*fakeConfirm) // well past ConfirmAfter: 3 must still be pending
	for ref, i := range refs {
		r := e.status(t, ref)
		if st := r.str("transaction_status"); st != cases[i].status {
			t.Errorf("amount %d: %s, want %s", cases[i].amount, st, cases[i].status)
		}
		if msg, _ := r.m["transaction_message"].(string); msg != cases[i].msg {
			t.Errorf("amount %d: message %q, want %q", cases[i].amount, msg, cases[i].msg)
		}
	}
	if r := e.status(t, stuck); r.str("transaction_status") != "PENDING" || r.m["transaction_message"] != nil {
		t.Fatalf("amount ending in 3 left PENDING: %s", r.raw)
	}
}

func TestPayinOutcomeWaitsConfirmAfter(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: 300 * time.Millisecond})
	start := time.Now()
	ref := e.post(t, "/payin", payinBody(100, phoneOrange)).str("transaction_ref")
	e.waitStatus(t, ref, "SUCCESS")
	if time.Since(start) < 300*time.Millisecond {
		t.Fatal("reached SUCCESS before ConfirmAfter")
	}
}

func TestPayinWithOTPPhoneNeedsCode1234(t *testing.T) {
	clock := newFakeClock()
	e := newEnv(t, Config{ConfirmAfter: fakeConfirm, Now: clock.Now})
	r := e.post(t, "/payin", payinBody(200, phoneOTP))
	if r.code != http.StatusCreated || r.str("action") != "REQUIRE_OTP" || r.str("ussd") != "" || len(r.m) != 3 {
		t.Fatalf("payin to a number ending in 00: %d %s, want REQUIRE_OTP without ussd", r.code, r.raw)
	}
	ref := r.str("transaction_ref")
	clock.Advance(e.srv, 2*fakeConfirm) // nothing happens before the code
	if s := e.status(t, ref); s.str("transaction_status") != "PENDING" {
		t.Fatalf("awaiting OTP: status %s", s.raw)
	}

	bad := e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "0000"})
	if bad.code != http.StatusUnauthorized || string(bad.raw) != `{"status":"error","message":"Invalid authorization code !"}` {
		t.Fatalf("wrong code: %d %s, want the vendor's 401", bad.code, bad.raw)
	}
	ok := e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "1234"})
	if ok.code != http.StatusCreated || ok.str("action") != "PENDING" || ok.str("ussd") != "#150*50#" || ok.str("transaction_ref") != ref {
		t.Fatalf("right code: %d %s", ok.code, ok.raw)
	}
	clock.Advance(e.srv, fakeConfirm)
	if s := e.status(t, ref); s.str("transaction_status") != "SUCCESS" {
		t.Fatalf("ConfirmAfter past the code: %s", s.raw)
	}
	expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "1234"}),
		http.StatusConflict, "not awaiting")
}

func TestThirdWrongOTPFailsThePayin(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	ref := e.post(t, "/payin", payinBody(200, phoneOTP)).str("transaction_ref")
	for i := 1; i <= 3; i++ {
		expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "999" + strconv.Itoa(i)}),
			http.StatusUnauthorized, "Invalid authorization code !")
		want := "PENDING"
		if i == 3 {
			want = "FAILED"
		}
		if s := e.status(t, ref); s.str("transaction_status") != want {
			t.Fatalf("after %d wrong codes: %s, want %s", i, s.raw, want)
		}
	}
	if msg, _ := e.status(t, ref).m["transaction_message"].(string); msg != "Too many invalid authorization codes" {
		t.Fatalf("message %q", msg)
	}
	expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "1234"}),
		http.StatusConflict, "failed")
	checkCallback(t, rc.wait(t, ref), testPub, testPriv, "FAILED")
	if b := e.balance(t); b != "1000000" {
		t.Fatalf("failed payin moved the balance to %s", b)
	}
}

func TestAuthorizeRefusesTransactionsNotAwaitingACode(t *testing.T) {
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	ref := e.post(t, "/payin", payinBody(100, phoneOrange)).str("transaction_ref")
	expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "1234"}),
		http.StatusConflict, "not awaiting")
	out := e.payout(t, payoutBody(100)).str("transaction_ref")
	expectError(t, e.post(t, "/payin/authorize", map[string]any{"transaction_ref": out, "code": "1234"}),
		http.StatusConflict, "not awaiting")
}

func TestFeesAreTwoPercentRoundedHalfUp(t *testing.T) {
	for amount, fee := range map[int64]int64{100: 2, 124: 2, 125: 3, 75: 2, 74: 1, 1: 0, 25: 1, 1_000_000: 20_000} {
		if got := feesFor(amount); got != fee {
			t.Errorf("fees(%d) = %d, want %d", amount, got, fee)
		}
	}
	e := newEnv(t, Config{ConfirmAfter: time.Hour})
	ref := e.post(t, "/payin", payinBody(125, phoneOrange)).str("transaction_ref")
	if f := e.status(t, ref).num("transaction_fees"); f != "3" {
		t.Fatalf("fees of 125 = %s, want 3", f)
	}
}

func TestFormatMinorDropsInsignificantZeros(t *testing.T) {
	for _, c := range []struct {
		v     int64
		scale int
		want  string
	}{{100, 0, "100"}, {10050, 2, "100.5"}, {10000, 2, "100"}, {1005, 2, "10.05"}, {7, 2, "0.07"}, {0, 0, "0"}} {
		if got := formatMinor(c.v, c.scale); string(got) != c.want {
			t.Errorf("formatMinor(%d, %d) = %s, want %s", c.v, c.scale, got, c.want)
		}
	}
}

func TestBalanceNeedsThePrivateKey(t *testing.T) {
	e := newEnv(t, Config{Balance: 500})
	expectError(t, e.do(t, http.MethodGet, "/balance", nil), http.StatusUnauthorized, "X-PRIVATE-KEY")
	expectError(t, e.do(t, http.MethodGet, "/balance", nil, "X-PRIVATE-KEY", "wrong"), http.StatusUnauthorized, "private key")
	r := e.do(t, http.MethodGet, "/balance", nil, "X-PRIVATE-KEY", testPriv)
	if r.code != http.StatusOK || string(r.raw) != `{"status":"success","balance":500}` {
		t.Fatalf("balance: %d %s", r.code, r.raw)
	}
}

func TestDefaultsAreTheDocumentedOnes(t *testing.T) {
	s := New(Config{})
	defer s.Close()
	if s.cfg.PublicKey != "118a4852-7df8-46d9-834b-23b4ef25aaab" || s.cfg.PrivateKey != DefaultPrivateKey ||
		s.cfg.ConfirmAfter != 2*time.Second || s.cfg.TimeoutDelay != time.Minute || s.Balance() != 1_000_000 {
		t.Fatal("defaults differ from the documented ones")
	}
}

func TestFakeClockDrivesOutcomes(t *testing.T) {
	var (
		mu  sync.Mutex
		now = time.Date(2024, 6, 8, 16, 34, 0, 0, time.UTC)
	)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	advance := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	e := newEnv(t, Config{ConfirmAfter: time.Hour, Now: clock})
	r := e.post(t, "/payin", payinBody(100, phoneOrange))
	ref := r.str("transaction_ref")
	if op := e.status(t, ref).str("operator_transaction_ref"); !strings.HasPrefix(op, "MP240608.1634.A") {
		t.Fatalf("operator_transaction_ref %q does not follow the clock", op)
	}
	advance(59 * time.Minute)
	if s := e.status(t, ref); s.str("transaction_status") != "PENDING" {
		t.Fatalf("final before ConfirmAfter on the fake clock: %s", s.raw)
	}
	advance(time.Minute)
	if s := e.status(t, ref); s.str("transaction_status") != "SUCCESS" {
		t.Fatalf("not final once the fake clock passed ConfirmAfter: %s", s.raw)
	}
	if b := e.balance(t); b != "1000098" {
		t.Fatalf("balance %s, want 1000000 + 100 - 2", b)
	}
}
