package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPayoutNeedsThePrivateKey(t *testing.T) {
	e := newEnv(t, Config{})
	expectError(t, e.post(t, "/payout", payoutBody(100)), http.StatusUnauthorized, "X-PRIVATE-KEY")
	expectError(t, e.post(t, "/payout", payoutBody(100), "X-PRIVATE-KEY", "guess"), http.StatusUnauthorized, "private key")
	if e.srv.txCount() != 0 || e.balance(t) != "1000000" {
		t.Fatal("an unauthorised payout moved money")
	}
	if st := e.srv.Stats(); st.Payout != 2 {
		t.Fatalf("Stats.Payout = %d, want 2 requests counted", st.Payout)
	}
}

// payoutFrom calls the handler directly, as if from remote (no loopback
// address can be faked over a real socket).
func payoutFrom(t *testing.T, s *Server, remote string) *httptest.ResponseRecorder {
	t.Helper()
	body, _ := json.Marshal(payoutBody(100))
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/api/"+testPub+"/payout", strings.NewReader(string(body)))
	req.RemoteAddr = remote
	req.Header.Set("X-PRIVATE-KEY", testPriv)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

func TestPayoutOnlyFromAllowedIPs(t *testing.T) {
	s := New(Config{PublicKey: testPub, PrivateKey: testPriv, IPReject: IPRejectJSON,
		AllowPayoutIP: []string{"203.0.113.7", "198.51.100.0/24", "junk"}})
	defer s.Close()
	for remote, want := range map[string]int{
		"203.0.113.8:4000":       http.StatusForbidden,
		"10.0.0.1:4000":          http.StatusForbidden,
		"203.0.113.7:4000":       http.StatusOK,
		"198.51.100.42:4000":     http.StatusOK,
		"127.0.0.1:4000":         http.StatusOK,
		"[::1]:4000":             http.StatusOK,
		"[::ffff:203.0.113.7]:1": http.StatusOK,
	} {
		w := payoutFrom(t, s, remote)
		if w.Code != want {
			t.Errorf("payout from %s: %d %s, want %d", remote, w.Code, w.Body, want)
		}
		if want == http.StatusForbidden && strings.TrimSpace(w.Body.String()) != `{"status":"error","message":"IP address not allowed"}` {
			t.Errorf("403 body %s", w.Body)
		}
	}
	if n := s.txCount(); n != 5 {
		t.Fatalf("%d payouts made, want 5 (refused ones do nothing)", n)
	}
}

func TestPayoutOutcomeAndBalance(t *testing.T) {
	e := newEnv(t, Config{})
	cases := []struct {
		amount  int
		code    int
		message string
		final   string
	}{
		{1000, 200, "Successful transaction !", "SUCCESS"},
		{1007, 202, "Transaction in progress...", "SUCCESS"},
		{1001, 202, "Transaction in progress...", "FAILED"},   // refunded
		{1002, 202, "Transaction in progress...", "CANCELED"}, // refunded
	}
	refs := make([]string, len(cases))
	for i, c := range cases {
		r := e.payout(t, payoutBody(c.amount))
		if r.code != c.code || r.str("status") != "success" || r.str("message") != c.message || len(r.m) != 3 {
			t.Fatalf("payout %d: %d %s, want %d %q", c.amount, r.code, r.raw, c.code, c.message)
		}
		refs[i] = r.str("transaction_ref")
		if c.code == 200 {
			if s := e.status(t, refs[i]); s.str("transaction_status") != "SUCCESS" || s.str("transaction_type") != "PAYOUT" {
				t.Fatalf("a 200 payout is SUCCESS at once: %s", s.raw)
			}
		}
	}
	stuck := e.payout(t, payoutBody(1003))
	if stuck.code != http.StatusAccepted {
		t.Fatalf("payout ending in 3: %d", stuck.code)
	}
	for i, c := range cases {
		e.waitStatus(t, refs[i], c.final)
	}
	if s := e.status(t, stuck.str("transaction_ref")); s.str("transaction_status") != "PENDING" {
		t.Fatalf("payout ending in 3: %s", s.raw)
	}
	want := 1_000_000 - 1020 - 1027 - (1003 + 20) // the stuck payout stays reserved
	if b := e.balance(t); b != itoa(want) {
		t.Fatalf("balance %s, want %d", b, want)
	}
}

func TestPayoutRefusesMoreThanTheBalance(t *testing.T) {
	e := newEnv(t, Config{Balance: 1019})
	expectError(t, e.payout(t, payoutBody(1000)), http.StatusPaymentRequired, "Insufficient balance")
	e2 := newEnv(t, Config{Balance: 1020})
	if r := e2.payout(t, payoutBody(1000)); r.code != http.StatusOK {
		t.Fatalf("payout of exactly the balance: %d %s", r.code, r.raw)
	}
	expectError(t, e2.payout(t, payoutBody(5)), http.StatusPaymentRequired, "Insufficient balance")
	if b := e2.balance(t); b != "0" {
		t.Fatalf("balance %s, want 0", b)
	}
}

func TestMCPPayoutToAUsername(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.payout(t, map[string]any{"transaction_amount": 500, "transaction_operator": "MCP", "customer_username": "awa"})
	if r.code != http.StatusOK {
		t.Fatalf("MCP payout: %d %s", r.code, r.raw)
	}
	s := e.status(t, r.str("transaction_ref"))
	if s.str("transaction_operator") != "MCP" || s.str("customer_phone_number") != "" || s.str("transaction_currency") != "XAF" {
		t.Fatalf("status %s", s.raw)
	}
}
