package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/money"
)

// moneyFields are the names coolpay gives money in its JSON outputs.
var moneyFields = map[string]bool{"amount": true, "fees": true, "total": true, "fees_estimate": true,
	"balance": true, "balance_after": true, "to_send_amount": true}

// moneyIn walks a decoded JSON document and returns, per money field name
// found, its values; a value that is not a decimal string fails t.
func moneyIn(t *testing.T, cmd string, v any, found map[string][]string) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if moneyFields[k] {
				s, ok := x.(string)
				if !ok {
					t.Errorf("%s: %q is %T (%v), not a decimal string", cmd, k, x, x)
					continue
				}
				if _, err := money.Parse(s, money.XAF); err != nil {
					t.Errorf("%s: %q = %q is not a decimal amount", cmd, k, s)
				}
				found[k] = append(found[k], s)
				continue
			}
			moneyIn(t, cmd, x, found)
		}
	case []any:
		for _, x := range v {
			moneyIn(t, cmd, x, found)
		}
	}
}

// TestEveryJSONOutputWritesMoneyAsADecimalString: one JSON form for money
// across the commands (README, "For people and for programs"): a decimal
// string in the currency's unit, never a number a reader could turn into a
// binary float.
func TestEveryJSONOutputWritesMoneyAsADecimalString(t *testing.T) {
	e := newCLIEnv(t)
	file := filepath.Join(t.TempDir(), "paie.csv")
	os.WriteFile(file, []byte("operator,phone,amount\nMTN,670000001,1500\nOrange,690000002,2000\n"), 0o600)

	check := func(args []string, want ...string) map[string][]string {
		t.Helper()
		out, errs, code := e.run(args...)
		cmd := strings.Join(args, " ")
		var doc any
		if code != 0 || json.Unmarshal([]byte(out), &doc) != nil {
			t.Fatalf("%s: exit %d\n%s%s", cmd, code, out, errs)
		}
		found := map[string][]string{}
		moneyIn(t, cmd, doc, found)
		for _, w := range want {
			if len(found[w]) == 0 {
				keys := make([]string, 0, len(found))
				for k := range found {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				t.Errorf("%s: no %q among its money fields %v:\n%s", cmd, w, keys, out)
			}
		}
		return found
	}

	got := check([]string{"payouts", "check", file, "--json"}, "total", "fees_estimate", "balance", "balance_after", "to_send_amount")
	// 1 000 000 − (3 500 + 2 % fees of 30 and 40).
	if got["total"][0] != "3500" || got["balance"][0] != "1000000" || got["balance_after"][0] != "996430" {
		t.Errorf("check --json values: %v", got)
	}
	if out, errs, code := e.run("payouts", "send", file, "--total", "3500"); code != 0 {
		t.Fatalf("send: %d\n%s%s", code, out, errs)
	}
	got = check([]string{"payouts", "status", file, "--json"}, "amount")
	if strings.Join(got["amount"], ",") != "1500,2000" {
		t.Errorf("status --json amounts: %v", got["amount"])
	}
	got = check([]string{"balance", "--json"}, "balance")
	if got["balance"][0] != "996430" {
		t.Errorf("balance after the batch: %v (sandbox fees are 2 %%)", got["balance"])
	}
	check([]string{"history", "--json"}, "amount", "fees")
	got = check([]string{"report", "--json"}, "amount", "fees")
	sort.Strings(got["amount"])
	sort.Strings(got["fees"])
	if strings.Join(got["amount"], ",") != "1500,2000" || strings.Join(got["fees"], ",") != "30,40" {
		t.Errorf("report --json (one group per operator): %v", got)
	}
}
