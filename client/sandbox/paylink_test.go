package sandbox

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func itoa(n int) string { return strconv.Itoa(n) }

func getPage(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// press posts a checkout button as a browser form would, following the redirect.
func press(t *testing.T, paymentURL, button string) (int, string) {
	t.Helper()
	resp, err := http.PostForm(paymentURL+"/"+button, url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPaylinkCheckoutPayCancelFail(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	for _, c := range []struct {
		button, status string
		credit         int
	}{{"pay", "SUCCESS", 4900}, {"cancel", "CANCELED", 0}, {"fail", "FAILED", 0}} {
		t.Run(c.button, func(t *testing.T) {
			before, _ := strconv.Atoi(e.balance(t))
			r := e.post(t, "/paylink", map[string]any{
				"transaction_amount": 5000, "transaction_reason": "Bic pen", "app_transaction_ref": "order_" + c.button,
				"customer_name": "Awa", "customer_lang": "en",
			})
			if r.code != http.StatusCreated || r.str("status") != "success" || len(r.m) != 3 {
				t.Fatalf("paylink: %d %s", r.code, r.raw)
			}
			ref, payURL := r.str("transaction_ref"), r.str("payment_url")
			if payURL != e.ts.URL+"/payment/checkout/"+ref {
				t.Fatalf("payment_url %q, want it on this host", payURL)
			}
			s := e.status(t, ref)
			// PENDING, the documented status; no operator transaction yet.
			if s.str("transaction_status") != "PENDING" || s.str("transaction_type") != "PAYIN" ||
				s.str("transaction_operator") != "CARD" || s.m["transaction_message"] != nil ||
				s.str("operator_transaction_ref") != "" {
				t.Fatalf("new paylink: %s", s.raw)
			}
			code, page := getPage(t, payURL)
			for _, want := range []string{"5000 XAF", "Bic pen", ref, `action="/payment/checkout/` + ref + `/pay"`,
				`/cancel"`, `/fail"`, "<!DOCTYPE html>"} {
				if code != http.StatusOK || !strings.Contains(page, want) {
					t.Fatalf("checkout page (%d) lacks %q", code, want)
				}
			}
			if c.button != "cancel" {
				// The customer starts paying: still PENDING, now with an operator reference.
				if code, page := press(t, payURL, "start"); code != http.StatusOK || !strings.Contains(page, "Payment in progress") ||
					strings.Contains(page, "/start\"") {
					t.Fatalf("after start: %d, want the page in progress without the start button", code)
				}
				if s := e.status(t, ref); s.str("transaction_status") != "PENDING" || !opRefPattern.MatchString(s.str("operator_transaction_ref")) {
					t.Fatalf("started paylink: %s", s.raw)
				}
			}
			code, page = press(t, payURL, c.button)
			if code != http.StatusOK || !strings.Contains(page, c.status) || strings.Contains(page, "<form") {
				t.Fatalf("result page after %s: %d, want %s without buttons", c.button, code, c.status)
			}
			if s := e.status(t, ref); s.str("transaction_status") != c.status || s.m["transaction_message"] == nil {
				t.Fatalf("after %s: %s", c.button, s.raw)
			}
			if after, _ := strconv.Atoi(e.balance(t)); after-before != c.credit {
				t.Fatalf("balance moved by %d, want %d", after-before, c.credit)
			}
			checkCallback(t, rc.wait(t, ref), testPub, testPriv, c.status)
			if code, _ := press(t, payURL, "pay"); code != http.StatusConflict {
				t.Fatalf("second button press: %d, want 409", code)
			}
			if s := e.status(t, ref); s.str("transaction_status") != c.status {
				t.Fatalf("a second press changed the outcome: %s", s.raw)
			}
		})
	}
}

func TestPaylinkOperatorFollowsTheCustomerPhone(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.post(t, "/paylink", map[string]any{"transaction_amount": 100, "customer_phone_number": "+237 671 234 567"})
	s := e.status(t, r.str("transaction_ref"))
	if s.str("transaction_operator") != "CM_MOMO" || s.str("customer_phone_number") != phoneMTN {
		t.Fatalf("paylink with an MTN phone: %s", s.raw)
	}
}

func TestPaylinkInEURCreditsAtThePeg(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	r := e.post(t, "/paylink", map[string]any{"transaction_amount": 10.50, "transaction_currency": "EUR"})
	if r.code != http.StatusCreated {
		t.Fatalf("EUR paylink: %d %s", r.code, r.raw)
	}
	ref := r.str("transaction_ref")
	s := e.status(t, ref)
	if s.num("transaction_amount") != "10.5" || s.num("transaction_fees") != "0.21" || s.str("transaction_currency") != "EUR" {
		t.Fatalf("EUR amounts: %s", s.raw)
	}
	if code, _ := press(t, r.str("payment_url"), "pay"); code != http.StatusOK {
		t.Fatalf("pay: %d", code)
	}
	// (10.50 - 0.21) EUR × 655.957 = 6749.79 → 6750 XAF
	if b := e.balance(t); b != itoa(1_000_000+6750) {
		t.Fatalf("balance %s", b)
	}
	m := rc.wait(t, ref)
	if string(m["transaction_amount"]) != "10.5" {
		t.Fatalf("callback amount %s, want 10.5", m["transaction_amount"])
	}
	checkCallback(t, m, testPub, testPriv, "SUCCESS")
}

func TestPaylinkQueryIsEchoedAndBounded(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.post(t, "/paylink?order=42&lang=fr", map[string]any{"transaction_amount": 100})
	if _, page := getPage(t, r.str("payment_url")); !strings.Contains(page, "?order=42&amp;lang=fr") {
		t.Fatal("extra query parameters not shown for echoing")
	}
	expectError(t, e.post(t, "/paylink?x="+strings.Repeat("a", 300), map[string]any{"transaction_amount": 100}),
		http.StatusUnprocessableEntity, "255")
}

func TestCheckoutOfUnknownPaymentIs404(t *testing.T) {
	e := newEnv(t, Config{})
	if code, _ := getPage(t, e.ts.URL+"/payment/checkout/nope"); code != http.StatusNotFound {
		t.Fatalf("unknown checkout: %d", code)
	}
	// A payin is not a paylink: it has no checkout page.
	ref := e.post(t, "/payin", payinBody(100, phoneOrange)).str("transaction_ref")
	if code, _ := press(t, e.ts.URL+"/payment/checkout/"+ref, "pay"); code != http.StatusNotFound {
		t.Fatalf("checkout of a payin: %d", code)
	}
	r := e.post(t, "/paylink", map[string]any{"transaction_amount": 100})
	if code, _ := press(t, r.str("payment_url"), "steal"); code != http.StatusNotFound {
		t.Fatalf("unknown button: %d", code)
	}
	if code, _ := getPage(t, r.str("payment_url")+"/pay"); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET on a button: %d", code)
	}
	if s := e.status(t, r.str("transaction_ref")); s.str("transaction_status") != "PENDING" || s.str("operator_transaction_ref") != "" {
		t.Fatalf("refused checkout requests changed the paylink: %s", s.raw)
	}
}
