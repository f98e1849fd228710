package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestTwoDesksKeepTheirOwnCashier: two desks (two settings files) on one
// PostgreSQL ledger, the real binary: each sets its own cashier with
// coolpay config set, each console sends a payout, and each payout
// records its own desk's cashier; the shop's CSV format set at one desk is
// the other's too.
func TestTwoDesksKeepTheirOwnCashier(t *testing.T) {
	needTmux(t)
	url := pgtest.URL(t)
	bin := buildBinary(t)
	apiAddr := freePort(t)
	common := []string{"LANG=C.UTF-8", "COOLPAY_DB=" + url,
		"COOLPAY_BASE_URL=http://" + apiAddr + "/api", "COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY=" + sandbox.DefaultPrivateKey}
	deskEnv := func(name string) []string {
		return append(append([]string{}, common...), "COOLPAY_DESK_FILE="+filepath.Join(t.TempDir(), name+".json"))
	}
	envA, envB := deskEnv("a"), deskEnv("b")
	run := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	sb := exec.Command(bin, "sandbox", "--quiet", "--addr", apiAddr)
	sb.Env = append(os.Environ(), envA...)
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Process.Kill(); sb.Wait() })

	run(envA, "config", "set", "cashier", "Awa")
	run(envB, "config", "set", "cashier", "Bello")
	run(envA, "config", "set", "csv_format", "fr")
	if got := strings.TrimSpace(run(envB, "config", "get", "csv_format")); got != "fr" {
		t.Fatalf("desk B's csv_format %q: the merchant's setting is not shared", got)
	}
	if l := run(envB, "config", "list", "--lang", "en"); !strings.Contains(l, "Bello") || strings.Contains(l, "Awa") {
		t.Fatalf("desk B's config list:\n%s", l)
	}

	console := func(name string, vars []string) *term { return startDesk(t, name, bin, 120, vars) }
	a := console("coolpay-cashierA", envA)
	b := console("coolpay-cashierB", envB)
	sendLostPayout(a)
	sendLostPayout(b)
	for _, tm := range []*term{a, b} {
		tm.keys("C-c")
		tm.waitFor(`EXIT=|Quit anyway`, 5*time.Second)
	}

	var recs []struct{ Cashier string }
	if err := json.Unmarshal([]byte(run(envA, "history", "--json")), &recs); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range recs {
		got[r.Cashier]++
	}
	if len(recs) != 2 || got["Awa"] != 1 || got["Bello"] != 1 {
		t.Fatalf("the payouts' cashiers: %v", got)
	}
}
