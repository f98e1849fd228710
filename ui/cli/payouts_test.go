package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPayoutsCommands runs check, send and status through the command tree:
// exit codes (1 bad file, 2 missing or unreadable --total, 1 wrong total, 4
// one line unknown, 0 all paid), nothing sent until the right total, a
// re-run sending nothing, and French output with --lang fr.
func TestPayoutsCommands(t *testing.T) {
	e := newCLIEnv(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("operator,phone,amount\nMTN,690000001,1000\nOrange,690000002,1,5\n"), 0o600)
	out, errs, code := e.run("payouts", "check", bad)
	if code != 1 || !strings.Contains(out, "line 2, phone") || !strings.Contains(out, "line 3") {
		t.Fatalf("check of a bad file: %d\n%s%s", code, out, errs)
	}
	if _, _, code := e.run("payouts", "send", bad, "--total", "1001"); code != 1 || e.sb.Stats().Payout != 0 {
		t.Fatalf("send of a bad file: exit %d, %d payouts", code, e.sb.Stats().Payout)
	}

	file := filepath.Join(dir, "paie.csv")
	os.WriteFile(file, []byte("\uFEFFopérateur;téléphone;montant;motif\nMTN;670000001;1 000;Salaire\nOrange;690000002;2 000;sandbox:drop\n"), 0o600)
	out, errs, code = e.run("payouts", "check", file, "--json")
	var chk struct {
		OK    bool   `json:"ok"`
		Total string `json:"total"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &chk) != nil || !chk.OK || chk.Total != "3000" {
		t.Fatalf("check --json: %d\n%s%s", code, out, errs)
	}
	if _, errs, code := e.run("payouts", "send", file); code != 2 || !strings.Contains(errs, "--total") {
		t.Fatalf("send without --total: %d %s", code, errs)
	}
	if _, _, code := e.run("payouts", "send", file, "--total", "2999"); code != 1 || e.sb.Stats().Payout != 0 {
		t.Fatalf("wrong total: exit %d, %d payouts", code, e.sb.Stats().Payout)
	}
	out, errs, code = e.run("payouts", "send", file, "--total", "3 000")
	if code != 4 || e.sb.Stats().Payout != 2 || !strings.Contains(out, "? UNKNOWN") {
		t.Fatalf("send: %d, %d payouts\n%s%s", code, e.sb.Stats().Payout, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "paie.results.csv")); err != nil {
		t.Fatalf("results file: %v", err)
	}
	out, errs, code = e.run("--lang", "fr", "payouts", "send", file, "--total", "3000")
	if code != 4 || e.sb.Stats().Payout != 2 || !strings.Contains(out, "Rien à envoyer") {
		t.Fatalf("re-run: %d, %d payouts\n%s%s", code, e.sb.Stats().Payout, out, errs)
	}
	out, errs, code = e.run("payouts", "status", file)
	if code != 4 || !strings.Contains(out, "✔ paid") || !strings.Contains(out, "? UNKNOWN") {
		t.Fatalf("status: %d\n%s%s", code, out, errs)
	}

	ok := filepath.Join(dir, "ok.csv")
	os.WriteFile(ok, []byte("operator,phone,amount\nMTN,670000009,5000\n"), 0o600)
	if out, errs, code := e.run("payouts", "send", ok, "--total", "5000"); code != 0 {
		t.Fatalf("all paid: %d\n%s%s", code, out, errs)
	}
	if out, errs, code := e.run("payouts", "status", ok, "--json"); code != 0 || !strings.Contains(out, `"paid": 1`) {
		t.Fatalf("status of a paid batch: %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out+errs, sbKey) {
		t.Fatal("the private key was printed")
	}
}

// TestPayoutsWithoutSubcommandIsAUsageError: `coolpay payouts` alone does
// nothing, so it says so as any wrong call does: exit 2, the usage on
// stderr, nothing on stdout; --help stays help (stdout, exit 0).
func TestPayoutsWithoutSubcommandIsAUsageError(t *testing.T) {
	e := newCLIEnv(t)
	out, errs, code := e.run("payouts")
	if code != 2 || out != "" || !strings.Contains(errs, "Usage:") || !strings.Contains(errs, "needs a subcommand") {
		t.Fatalf("payouts alone: exit %d, stdout %q, stderr:\n%s", code, out, errs)
	}
	out, errs, code = e.run("payouts", "--help")
	if code != 0 || errs != "" || !strings.Contains(out, "Usage:") {
		t.Fatalf("payouts --help: exit %d, stderr %q", code, errs)
	}
}
