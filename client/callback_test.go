package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coolpay/coolpay/client"
)

// Obviously fake keys; never real ones in tests.
const (
	testPublic  = "test-public-key-FAKE"
	testPrivate = "test-private-key-FAKE"
)

// The expected signatures were computed outside Go, with coreutils:
//
//	printf '%s' '18ac6335-2bdd-4b95-944e-ef029c49c5b5PAYIN100XAFCM_OMtest-private-key-FAKE' | md5sum
//
// and so on for each line, so a bug shared by Signature and the test cannot hide.
func TestSignatureMatchesIndependentMD5(t *testing.T) {
	cases := []struct {
		ref, typ, cur, op string
		amounts           []string // all spell the same canonical amount
		want              string
	}{
		{"18ac6335-2bdd-4b95-944e-ef029c49c5b5", "PAYIN", "XAF", "CM_OM",
			[]string{"100", "100.00", "100.0", "1e2", "1.00E+2", "1E2"},
			"4e1070c66206483ae2b0af987a56deb2"},
		{"ref-1", "PAYIN", "XAF", "CM_MOMO",
			[]string{"100.5", "100.50", "100.500", "1.005e2", "1005e-1"},
			"8da3ac09c4bc5181e913047a92ddff2e"},
		{"ref-2", "PAYOUT", "XAF", "MCP",
			[]string{"1500", "1500.000", "1.5e3", "15e2", "15E+02"},
			"1bce2e3c3c9952918163be2c264f6bd7"},
		{"ref-3", "PAYIN", "EUR", "CARD",
			[]string{"0.05", "0.050", "5e-2", "5.0E-2", "0.5e-1"},
			"64ecbc6eb77ca3611f3c9f044244de1e"},
		{"ref-4", "PAYIN", "XAF", "CM_OM",
			[]string{"10", "10.0", "10.000", "1e1", "100e-1"},
			"0dc3eff12d0716c6c935eab690e22d42"},
	}
	for _, c := range cases {
		for _, a := range c.amounts {
			cb := client.Callback{TransactionRef: c.ref, TransactionType: c.typ, TransactionAmount: json.Number(a),
				TransactionCurrency: c.cur, TransactionOperator: c.op}
			if got := client.Signature(cb, testPrivate); got != c.want {
				t.Errorf("Signature(%s, amount %s) = %s, want %s", c.ref, a, got, c.want)
			}
		}
	}
}

func TestCanonicalAmount(t *testing.T) {
	ok := map[string]string{
		"100": "100", "100.00": "100", "100.50": "100.5", "1e2": "100", "1E+2": "100",
		"0": "0", "0.0": "0", "-0": "0", "0.5": "0.5", "5e-1": "0.5", "1.25e1": "12.5",
		"0.001": "0.001", "123456789012345678901234567890": "123456789012345678901234567890",
		"1e20": "100000000000000000000", "-12.50": "-12.5", "00100": "100", "1e-3": "0.001",
	}
	for in, want := range ok {
		if got, valid := client.CanonicalAmount(json.Number(in)); !valid || got != want {
			t.Errorf("CanonicalAmount(%q) = %q, %v; want %q", in, got, valid, want)
		}
	}
	for _, in := range []string{"", "-", ".", "e5", "1e", "1e+", "abc", "1.2.3", "1e99999", "1e1001", "+1", "0x1", "1 000", "NaN"} {
		if got, valid := client.CanonicalAmount(json.Number(in)); valid {
			t.Errorf("CanonicalAmount(%q) = %q, want refused", in, got)
		}
	}
}

// callbackBody is the vendor's documented example, signed with testPrivate.
func callbackBody(t *testing.T, amount string, mutate func(map[string]any)) []byte {
	t.Helper()
	cb := client.SignCallback(client.Callback{
		Application: testPublic, AppTransactionRef: "order_123", OperatorTransactionRef: "MP200618.1634.A34527",
		TransactionRef: "18ac6335-2bdd-4b95-944e-ef029c49c5b5", TransactionType: "PAYIN",
		TransactionAmount: json.Number(amount), TransactionFees: "2", TransactionCurrency: "XAF",
		TransactionOperator: "CM_OM", TransactionStatus: "SUCCESS", TransactionReason: "Bic pen",
		CustomerPhoneNumber: "699009900",
	}, testPrivate)
	raw, err := json.Marshal(cb)
	if err != nil {
		t.Fatal(err)
	}
	if mutate == nil {
		return raw
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	mutate(m)
	raw, _ = json.Marshal(m)
	return raw
}

func TestVerifyCallbackAcceptsAuthentic(t *testing.T) {
	for _, amount := range []string{"100", "100.00", "100.0"} {
		body := callbackBody(t, amount, nil)
		if !bytes.Contains(body, []byte(`"signature":"4e1070c66206483ae2b0af987a56deb2"`)) {
			t.Fatalf("signed body %s lacks the independently computed signature", body)
		}
		cb, err := client.VerifyCallbackBody("application/json", body, testPublic, testPrivate)
		if err != nil {
			t.Fatalf("amount %s: VerifyCallbackBody = %v", amount, err)
		}
		if cb.TransactionStatus != client.StatusSuccess || string(cb.TransactionAmount) != amount {
			t.Fatalf("decoded callback = %+v", cb)
		}
	}
	// Upper-case hex is the same signature.
	body := callbackBody(t, "100", func(m map[string]any) { m["signature"] = strings.ToUpper(m["signature"].(string)) })
	if _, err := client.VerifyCallbackBody("application/json", body, testPublic, testPrivate); err != nil {
		t.Fatalf("upper-case signature refused: %v", err)
	}
	// The amount as a JSON string is still the same number.
	body = callbackBody(t, "100", func(m map[string]any) { m["transaction_amount"] = "100.00" })
	if _, err := client.VerifyCallbackBody("application/json", body, testPublic, testPrivate); err != nil {
		t.Fatalf("string amount refused: %v", err)
	}
}

func TestVerifyCallbackRefusesForgeries(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		priv string
		want error
	}{
		{"not JSON", []byte("<html>hi</html>"), testPrivate, client.ErrCallbackMalformed},
		{"empty", nil, testPrivate, client.ErrCallbackMalformed},
		{"JSON array", []byte(`[1,2]`), testPrivate, client.ErrCallbackMalformed},
		{"null", []byte(`null`), testPrivate, client.ErrCallbackMalformed},
		{"trailing garbage", append(callbackBody(t, "100", nil), "xx"...), testPrivate, client.ErrCallbackMalformed},
		{"oversized", append(callbackBody(t, "100", nil), bytes.Repeat([]byte(" "), client.MaxCallbackBody)...), testPrivate, client.ErrCallbackMalformed},
		{"amount not a number", callbackBody(t, "100", func(m map[string]any) { m["transaction_amount"] = "abc" }), testPrivate, client.ErrCallbackMalformed},
		{"amount with an exponent", callbackBody(t, "1e2", nil), testPrivate, client.ErrCallbackMalformed},
		{"amount with a big exponent", callbackBody(t, "1e1000", nil), testPrivate, client.ErrCallbackMalformed},
		{"amount negative", callbackBody(t, "-100", nil), testPrivate, client.ErrCallbackMalformed},
		{"amount zero", callbackBody(t, "0", nil), testPrivate, client.ErrCallbackMalformed},
		{"amount too large", callbackBody(t, "10000000000000", nil), testPrivate, client.ErrCallbackMalformed},
		{"amount huge exponent", callbackBody(t, "100", func(m map[string]any) { m["transaction_amount"] = json.Number("1e999999") }), testPrivate, client.ErrCallbackMalformed},
		{"no signature", callbackBody(t, "100", func(m map[string]any) { delete(m, "signature") }), testPrivate, client.ErrCallbackMalformed},
		{"other application", callbackBody(t, "100", func(m map[string]any) { m["application"] = "someone-else" }), testPrivate, client.ErrCallbackApplication},
		{"amount changed", callbackBody(t, "100", func(m map[string]any) { m["transaction_amount"] = json.Number("1000") }), testPrivate, client.ErrCallbackSignature},
		{"amount changed by a cent", callbackBody(t, "100", func(m map[string]any) { m["transaction_amount"] = json.Number("100.01") }), testPrivate, client.ErrCallbackSignature},
		{"ref changed", callbackBody(t, "100", func(m map[string]any) { m["transaction_ref"] = "other" }), testPrivate, client.ErrCallbackSignature},
		{"operator changed", callbackBody(t, "100", func(m map[string]any) { m["transaction_operator"] = "CM_MOMO" }), testPrivate, client.ErrCallbackSignature},
		{"the vendor's example signature", callbackBody(t, "100", func(m map[string]any) { m["signature"] = "d41d8cd98f00b204e9800998ecf8427e" }), testPrivate, client.ErrCallbackSignature},
		{"truncated signature", callbackBody(t, "100", func(m map[string]any) { m["signature"] = m["signature"].(string)[:31] }), testPrivate, client.ErrCallbackSignature},
		{"wrong key", callbackBody(t, "100", nil), "another-private-key-FAKE", client.ErrCallbackSignature},
		{"empty key", callbackBody(t, "100", nil), "", client.ErrNoPrivateKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cb, err := client.VerifyCallbackBody("application/json", c.body, testPublic, c.priv)
			if !errors.Is(err, c.want) || cb != nil {
				t.Fatalf("VerifyCallbackBody = %v, %v; want nil, %v", cb, err, c.want)
			}
			if client.CallbackReply(err) != client.CallbackKO {
				t.Fatalf("reply to a refused callback is not KO")
			}
			if strings.Contains(err.Error(), testPrivate) {
				t.Fatalf("error leaks the private key")
			}
		})
	}
	if client.CallbackReply(nil) != "OK" || client.CallbackKO != "KO" {
		t.Fatal("answers must be the vendor's OK / KO")
	}
}

func mustCIDR(t *testing.T, s string) *net.IPNet {
	t.Helper()
	_, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCallbackIPPolicy(t *testing.T) {
	proxy := []*net.IPNet{mustCIDR(t, "10.0.0.0/8")}
	cases := []struct {
		name   string
		policy client.CallbackIPPolicy
		remote string
		xff    []string
		want   bool
	}{
		{"vendor direct", client.CallbackIPPolicy{}, "15.236.140.89:44321", nil, true},
		{"vendor as IPv4-mapped IPv6", client.CallbackIPPolicy{}, "[::ffff:15.236.140.89]:443", nil, true},
		{"stranger", client.CallbackIPPolicy{}, "203.0.113.9:5000", nil, false},
		{"stranger forging XFF without a trusted proxy", client.CallbackIPPolicy{}, "203.0.113.9:5000", []string{"15.236.140.89"}, false},
		{"garbled remote", client.CallbackIPPolicy{}, "nonsense", nil, false},
		{"configured list replaces default", client.CallbackIPPolicy{Allowed: []string{"198.51.100.7"}}, "15.236.140.89:1", nil, false},
		{"configured address", client.CallbackIPPolicy{Allowed: []string{"198.51.100.7"}}, "198.51.100.7:1", nil, true},
		{"configured prefix", client.CallbackIPPolicy{Allowed: []string{"198.51.100.0/24"}}, "198.51.100.200:1", nil, true},
		{"trusted proxy, vendor behind it", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89"}, true},
		{"two trusted proxies", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89, 10.9.9.9"}, true},
		{"XFF over several header lines", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89", "10.9.9.9"}, true},
		{"forged left-most entry ignored", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89, 203.0.113.9"}, false},
		{"trusted proxy, no XFF", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", nil, false},
		{"garbled XFF", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89, bogus"}, false},
		{"XFF with port", client.CallbackIPPolicy{TrustedProxy: proxy}, "10.1.2.3:80", []string{"15.236.140.89:5555"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/cb", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.policy.Allow(r); got != c.want {
				t.Fatalf("Allow = %v, want %v", got, c.want)
			}
		})
	}
}

// TestVerifyCallbackBodyForm: the vendor's plugin takes callbacks as a form
// too (every value text); the same checks apply to it.
func TestVerifyCallbackBodyForm(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	cb := client.SignCallback(client.Callback{Application: testPublic, TransactionRef: "18ac6335-2bdd-4b95-944e-ef029c49c5b5",
		TransactionType: "PAYIN", TransactionAmount: "100", TransactionCurrency: "XAF", TransactionOperator: "CM_OM"}, testPrivate)
	values := func(mut func(url.Values)) []byte {
		v := url.Values{}
		v.Set("application", cb.Application)
		v.Set("transaction_ref", cb.TransactionRef)
		v.Set("transaction_type", cb.TransactionType)
		v.Set("transaction_amount", "100.00")
		v.Set("transaction_currency", cb.TransactionCurrency)
		v.Set("transaction_operator", cb.TransactionOperator)
		v.Set("transaction_status", "SUCCESS")
		v.Set("transaction_message", "")
		v.Set("signature", cb.Signature)
		if mut != nil {
			mut(v)
		}
		return []byte(v.Encode())
	}
	got, err := client.VerifyCallbackBody(form+"; charset=UTF-8", values(nil), testPublic, testPrivate)
	if err != nil || got.TransactionRef != cb.TransactionRef || got.TransactionMessage == nil || got.TransactionStatus != "SUCCESS" {
		t.Fatalf("authentic form refused: %v %+v", err, got)
	}
	for name, c := range map[string]struct {
		mut  func(url.Values)
		want error
	}{
		"amount changed":   {func(v url.Values) { v.Set("transaction_amount", "1000") }, client.ErrCallbackSignature},
		"amount 1e2":       {func(v url.Values) { v.Set("transaction_amount", "1e2") }, client.ErrCallbackMalformed},
		"amount negative":  {func(v url.Values) { v.Set("transaction_amount", "-100") }, client.ErrCallbackMalformed},
		"other app":        {func(v url.Values) { v.Set("application", "x") }, client.ErrCallbackApplication},
		"field twice":      {func(v url.Values) { v.Add("transaction_ref", "other") }, client.ErrCallbackMalformed},
		"no signature":     {func(v url.Values) { v.Del("signature") }, client.ErrCallbackMalformed},
		"signature forged": {func(v url.Values) { v.Set("signature", strings.Repeat("0", 32)) }, client.ErrCallbackSignature},
	} {
		if _, err := client.VerifyCallbackBody(form, values(c.mut), testPublic, testPrivate); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
	// A form body sent as JSON is not JSON: refused, not guessed at.
	if _, err := client.VerifyCallbackBody("application/json", values(nil), testPublic, testPrivate); !errors.Is(err, client.ErrCallbackMalformed) {
		t.Fatalf("form body labelled JSON: %v", err)
	}
}

func TestCheckPaymentURL(t *testing.T) {
	for _, ok := range []string{"https://my-coolpay.com/payment/checkout/abc", "http://127.0.0.1:8787/payment/checkout/x", "http://localhost/x", "http://[::1]:9/x"} {
		if err := client.CheckPaymentURL(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "javascript:alert(1)", "http://evil.example/pay", "https://", "ftp://x/y",
		"https://my-coolpay.com/\x1b]52;c;AAAA\x07", "https://user:pw@my-coolpay.com/", "https://my-coolpay.com/pa y",
		"https://my-coolpay.com/\u202egnp.exe", "=HYPERLINK(\"http://x\")", "//my-coolpay.com/x"} {
		if err := client.CheckPaymentURL(bad); !errors.Is(err, client.ErrUnsafePaymentURL) {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestTrustEveryoneIsIgnored: a trusted proxy of 0.0.0.0/0 or ::/0 would let
// anyone claim, in X-Forwarded-For, to be the vendor; it is refused and,
// if configured anyway, never honoured.
func TestTrustEveryoneIsIgnored(t *testing.T) {
	for _, cidr := range []string{"0.0.0.0/0", "::/0"} {
		n := mustCIDR(t, cidr)
		if err := client.CheckTrustedProxy(n); !errors.Is(err, client.ErrTrustEveryone) {
			t.Fatalf("%s accepted", cidr)
		}
		p := client.CallbackIPPolicy{TrustedProxy: []*net.IPNet{n}}
		r := httptest.NewRequest(http.MethodPost, "/cb", nil)
		r.RemoteAddr = "203.0.113.9:5000"
		r.Header.Set("X-Forwarded-For", client.VendorCallbackIP)
		if p.Allow(r) {
			t.Fatalf("a stranger claiming to be the vendor through %s was allowed", cidr)
		}
	}
	if err := client.CheckTrustedProxy(mustCIDR(t, "10.0.0.0/8")); err != nil {
		t.Fatal(err)
	}
}

// TestPrivateKeyNeverSentOverPlainHTTPToAnotherMachine: the key would travel
// in clear; the call fails before anything is sent, unless explicitly allowed.
func TestPrivateKeyNeverSentOverPlainHTTPToAnotherMachine(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	key := client.WithPrivateKey(func(context.Context) (string, error) { return testPrivate, nil })
	// The test server is on loopback; reach it through a name that is not,
	// with a transport that dials the test server whatever the host.
	dial := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, "tcp", srv.Listener.Addr().String())
	}}}
	c := client.New("pk", client.WithBaseURL("http://payments.example/api"), client.WithHTTPClient(dial), key)
	if _, err := c.Balance(context.Background()); !errors.Is(err, client.ErrInsecureBaseURL) || hits.Load() != 0 {
		t.Fatalf("balance over plain http: %v, %d requests", err, hits.Load())
	}
	if _, err := c.Payout(context.Background(), client.PayoutRequest{TransactionAmount: "100", TransactionOperator: "MCP", CustomerUsername: "x"}); !errors.Is(err, client.ErrInsecureBaseURL) || hits.Load() != 0 {
		t.Fatalf("payout over plain http: %v, %d requests", err, hits.Load())
	}
	c = client.New("pk", client.WithBaseURL("http://payments.example/api"), client.WithHTTPClient(dial), key, client.WithInsecureHTTP())
	c.Balance(context.Background())
	if hits.Load() == 0 {
		t.Fatal("the explicit override did not let the call through")
	}
	for _, ok := range []string{"https://my-coolpay.com/api", "http://127.0.0.1:8787/api", "http://localhost/api"} {
		if err := client.CheckBaseURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestDocumentedValues: what a callback's currency and operator may be for
// coolpay to record them as they came (the API's documented values only).
func TestDocumentedValues(t *testing.T) {
	for _, op := range []string{"MCP", "CM_MOMO", "CM_OM", "CARD"} {
		if !client.DocumentedOperator(op) {
			t.Errorf("%s is documented", op)
		}
	}
	for _, op := range []string{"", "cm_om", "CM_OM ", "OM", "CM_OM\x1b[2J", "CARD\u202e"} {
		if client.DocumentedOperator(op) {
			t.Errorf("%q is not documented", op)
		}
	}
	for _, c := range []string{"XAF", "EUR"} {
		if !client.DocumentedCurrency(c) {
			t.Errorf("%s is documented", c)
		}
	}
	for _, c := range []string{"", "xaf", "USD", "XXX", "EUR\x1b]0;x\x07"} {
		if client.DocumentedCurrency(c) {
			t.Errorf("%q is not documented", c)
		}
	}
}
