package cli_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
)

func TestSandboxFlagsRefuseBadValuesWithExit2(t *testing.T) {
	for _, args := range [][]string{
		{"sandbox", "--ip-reject", "teapot"},
		{"sandbox", "--error-field", "text"},
		{"sandbox", "--no-such-flag"},
		{"sandbox", "extra"},
	} {
		if _, errs, code := runCLI(nil, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, code, errs)
		}
	}
}

func TestSandboxSettleCommand(t *testing.T) {
	e := sandboxtest.Start(t, sandbox.Config{})
	sb, srv := e.SB, e.Srv
	run := func(args ...string) (int, string, string) {
		out, errs, code := runCLI(nil, nil, append([]string{"sandbox", "settle"}, args...)...)
		return code, out, errs
	}
	if code, _, errs := run("only-one-arg"); code != 2 || !strings.Contains(errs, "REF STATUS") {
		t.Fatalf("one argument: %d %s", code, errs)
	}
	if code, _, errs := run("REF", "PAID", "--addr", srv.URL); code != 2 || !strings.Contains(errs, "SUCCESS, FAILED or CANCELED") {
		t.Fatalf("bad outcome: %d %s", code, errs)
	}
	if code, _, errs := run("no-such-ref", "FAILED", "--addr", srv.URL); code != 1 || !strings.Contains(errs, "Transaction not found") {
		t.Fatalf("unknown ref: %d %s", code, errs)
	}
	if code, _, errs := run("REF", "FAILED", "--addr", "127.0.0.1:1"); code != 1 || !strings.Contains(errs, "is a sandbox running") {
		t.Fatalf("nothing listening: %d %s", code, errs)
	}
	// A pending payin (amount ending in 3), forced to FAILED.
	resp, err := http.PostForm(srv.URL+"/api/"+sb.PublicKey()+"/payin",
		url.Values{"transaction_amount": {"1003"}, "customer_phone_number": {"690112233"}})
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Ref string `json:"transaction_ref"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if code, out, errs := run(p.Ref, "failed", "--addr", srv.URL); code != 0 || !strings.Contains(out, p.Ref+" is now FAILED") {
		t.Fatalf("settle: %d %s %s", code, out, errs)
	}
}
