//go:build unix

package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestPayoutsSendKilledInFlight runs the real binary's `payouts send` on a
// 12-line file, kills it with SIGKILL while line 6's request is in flight
// (the sandbox holds that answer), and runs the same command again: it
// sends only the 7 lines after it, line 6 is reported UNKNOWN with how to
// settle it (exit 4), and the sandbox has received exactly one payout per
// line — none twice. A third run sends nothing.
func TestPayoutsSendKilledInFlight(t *testing.T) { payoutsSendKilledInFlight(t, "") }

// The same on a ledger held by PostgreSQL: the killed desk's session ends
// with it, so the next run (any desk) finds line 6 orphaned and UNKNOWN.
func TestPayoutsSendKilledInFlightOnPostgres(t *testing.T) {
	payoutsSendKilledInFlight(t, pgtest.URL(t))
}

// payoutsSendKilledInFlight runs the test on the ledger at loc (a file in
// a temporary directory when "").
func payoutsSendKilledInFlight(t *testing.T, loc string) {
	bin := buildBinary(t)
	const key = "TEST-e2e-batch-private-key"
	e := sandboxtest.Start(t, sandbox.Config{PrivateKey: key, TimeoutDelay: time.Minute, ConfirmAfter: 20 * time.Millisecond})
	sb, srv := e.SB, e.Srv
	dir := t.TempDir()
	ledger := filepath.Join(dir, "ledger.db")
	if loc != "" {
		ledger = loc
	}
	file := filepath.Join(dir, "paie.csv")
	var b strings.Builder
	b.WriteString("operator,phone,amount,reason,name\n")
	for i := 1; i <= 12; i++ {
		reason := "Salaire"
		if i == 5 { // spreadsheet line 6
			reason = "sandbox:timeout"
		}
		fmt.Fprintf(&b, "MTN,67%07d,%d,%s,Employé %d\n", i, 1000*i, reason, i)
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"COOLPAY_DB=" + ledger, "COOLPAY_BASE_URL=" + srv.URL + "/api",
		"COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey, "COOLPAY_PRIVATE_KEY=" + key}
	// The console would create the ledger on its first run; here, seed's
	// sibling config set does, in the directory that exists.
	if _, errs, code := runSplit(t, bin, env, "config", "set", "ui_lang", "en"); code != 0 {
		t.Fatalf("creating the ledger: %d %s", code, errs)
	}

	cmd := exec.Command(bin, "payouts", "send", file, "--total", "78000")
	cmd.Env = append(os.Environ(), env...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for sb.Stats().Payout < 5 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("line 6 never reached the sandbox:\n%s", out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // line 6 is held by the sandbox: nothing else can be sent meanwhile
	if n := sb.Stats().Payout; n != 5 {
		t.Fatalf("%d payouts before the kill, want 5", n)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("not killed in flight: %v\n%s", err, out.String())
	}

	stdout, errs, code := runSplit(t, bin, env, "payouts", "send", file, "--total", "78000")
	if code != 4 {
		t.Fatalf("re-run: exit %d, want 4 (line 6 unknown)\n%s%s", code, stdout, errs)
	}
	if n := sb.Stats().Payout; n != 12 {
		t.Fatalf("the sandbox received %d payouts for 12 lines\n%s", n, stdout)
	}
	for _, want := range []string{"Sent by this run: 7 line(s).", "line 6", "? UNKNOWN", "coolpay status"} {
		if !strings.Contains(stdout, want) {
			t.Fatalf("re-run output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, errs, code = runSplit(t, bin, env, "payouts", "send", file, "--total", "78000")
	if code != 4 || sb.Stats().Payout != 12 || !strings.Contains(stdout, "Nothing to send") {
		t.Fatalf("third run: exit %d, %d payouts\n%s%s", code, sb.Stats().Payout, stdout, errs)
	}
}
