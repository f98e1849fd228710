package e2e

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// TestPayoutsResendIsRefused drives the real binary against a sandbox over
// HTTP: a 3-line payroll is paid; then its results file given back to
// check and send, the same payroll copied under another name, and --out
// naming the payroll itself are all refused, and the sandbox's payout count
// proves nothing more was paid. --allow-repeat then pays the copy, and a
// second results file never replaces the first.
func TestPayoutsResendIsRefused(t *testing.T) {
	bin := buildBinary(t)
	const key = "TEST-e2e-resend-private-key"
	sb := sandbox.New(sandbox.Config{PrivateKey: key, ConfirmAfter: 20 * time.Millisecond})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	dir := t.TempDir()
	ledger := filepath.Join(dir, "ledger.db")
	payroll := "operator,phone,amount,reason,name\n" +
		"MTN,670000001,10000,Salaire novembre,Awa\n" +
		"Orange,690000002,12500,Salaire novembre,Bello\n" +
		"MCP,670000004,5000,Prime,Daouda\n"
	file := filepath.Join(dir, "paie.csv")
	if err := os.WriteFile(file, []byte(payroll), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"COOLPAY_DB=" + ledger, "COOLPAY_BASE_URL=" + srv.URL + "/api",
		"COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey, "COOLPAY_PRIVATE_KEY=" + key}
	if _, errs, code := runSplit(t, bin, env, "config", "set", "ui_lang", "en"); code != 0 {
		t.Fatalf("creating the ledger: %d %s", code, errs)
	}
	payouts := func() int { return sb.Stats().Payout }

	out, errs, code := runSplit(t, bin, env, "payouts", "send", file, "--total", "27500")
	if code != 0 || payouts() != 3 {
		t.Fatalf("first send: exit %d, %d payouts\n%s%s", code, payouts(), out, errs)
	}
	results := filepath.Join(dir, "paie.results.csv")
	if !strings.Contains(out, "Results: "+results) {
		t.Fatalf("the results file is not named:\n%s", out)
	}

	// The results file, checked and sent: refused by its header.
	out, errs, code = runSplit(t, bin, env, "payouts", "check", results)
	if code != 1 || !strings.Contains(out, "This is a results file written by coolpay") {
		t.Errorf("check of the results file: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runSplit(t, bin, env, "payouts", "send", results, "--total", "27500")
	if code != 1 || payouts() != 3 {
		t.Fatalf("send of the results file: exit %d, %d payouts\n%s%s", code, payouts(), out, errs)
	}

	// The payroll under another name (another batch): each line is the
	// very payment already made, so nothing leaves without --allow-repeat.
	again := filepath.Join(dir, "paie-copie.csv")
	os.WriteFile(again, []byte(payroll), 0o600)
	out, errs, code = runSplit(t, bin, env, "payouts", "check", again)
	if code != 1 || strings.Count(out, "this very payment (same reason) was already made") != 3 || !strings.Contains(out, "--allow-repeat") {
		t.Errorf("check of a copy: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = runSplit(t, bin, env, "payouts", "send", again, "--total", "27500")
	if code != 1 || payouts() != 3 || !strings.Contains(errs, "nothing was sent") {
		t.Fatalf("send of a copy: exit %d, %d payouts\n%s%s", code, payouts(), out, errs)
	}

	// --out naming the payroll, through "./" or a symlink: refused, and
	// the payroll is untouched.
	link := filepath.Join(dir, "lien.csv")
	os.Symlink(file, link)
	for _, o := range []string{file, link, filepath.Join(dir, ".", "paie.csv")} {
		out, errs, code = runSplit(t, bin, env, "payouts", "send", file, "--total", "27500", "--out", o)
		if code != 2 || !strings.Contains(errs, "is the batch file") {
			t.Errorf("--out %s: exit %d\n%s%s", o, code, out, errs)
		}
	}
	if data, _ := os.ReadFile(file); string(data) != payroll || payouts() != 3 {
		t.Fatalf("the payroll changed or payouts left (%d)", payouts())
	}

	// Said on purpose: paid again, results beside the earlier ones.
	firstResults, _ := os.ReadFile(results)
	out, errs, code = runSplit(t, bin, env, "payouts", "send", again, "--total", "27500", "--allow-repeat")
	if code != 0 || payouts() != 6 {
		t.Fatalf("--allow-repeat: exit %d, %d payouts\n%s%s", code, payouts(), out, errs)
	}
	out, errs, code = runSplit(t, bin, env, "payouts", "status", file, "--out", results)
	if code != 0 || !strings.Contains(out, "Results: "+filepath.Join(dir, "paie.results-2.csv")) || !strings.Contains(out, "was kept") {
		t.Fatalf("status --out over the results: exit %d\n%s%s", code, out, errs)
	}
	if data, _ := os.ReadFile(results); string(data) != string(firstResults) {
		t.Fatal("the earlier results file was overwritten")
	}
}
