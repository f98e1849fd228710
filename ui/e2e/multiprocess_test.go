package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// TestOneLedgerManyProcesses: the console (in tmux), `coolpay listen`,
// `coolpay history` and `coolpay reconcile` run at the same time on one
// ledger file, each its own process. A payout whose answer is lost
// (sandbox:drop) is UNKNOWN in the console; the sandbox's callback reaches
// the separate listener process, which confirms it with the API and
// settles the record in place; the open console shows it as a success
// within seconds, without a restart; no second record appears.
func TestOneLedgerManyProcesses(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	ledger := filepath.Join(dir, "ledger.db")
	newLedger(t, ledger)
	apiAddr, cbAddr := freePort(t), freePort(t)
	env := append(os.Environ(), "LANG=C.UTF-8", "COOLPAY_DB="+ledger,
		"COOLPAY_BASE_URL=http://"+apiAddr+"/api", "COOLPAY_PUBLIC_KEY="+client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY="+sandbox.DefaultPrivateKey)
	start := func(args ...string) *syncBuffer { return startProc(t, bin, env, args...) }
	sbOut := start("sandbox", "--quiet", "--addr", apiAddr, "--confirm-after", "300ms", "--callback-url", "http://"+cbAddr+"/callback")
	waitOut(t, sbOut, apiAddr)

	// The console first: it creates the ledger.
	tm := startDesk(t, "coolpay-mp", bin, 120, env[len(os.Environ()):])

	// The listener beside it, on the same ledger.
	lnOut := start("listen", "--addr", cbAddr, "--allow-ip", "127.0.0.1")
	waitOut(t, lnOut, "istening for callbacks")

	sendLostPayout(tm)

	// While the console is open: exports and reconcile are not refused
	// as "in use".
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("history", "--json"); code != 0 || !strings.Contains(out, `"PAYOUT"`) {
		t.Fatalf("history beside the console: exit %d\n%s", code, out)
	}
	if out, code := run("reconcile"); code != 0 && code != 4 {
		t.Fatalf("reconcile beside the console: exit %d\n%s", code, out)
	}

	// The listener process settles it; the console shows it on its own.
	waitOut(t, lnOut, "callback confirmed")
	tm.keys("C-Right")
	s := tm.waitFor(`(?s)payout.*success`, 5*time.Second)
	if strings.Contains(s, "unknown") {
		t.Fatalf("History still shows the payout unknown:\n%s", s)
	}
	out, code := run("history", "--json")
	var recs []struct {
		Type  string `json:"type"`
		State string `json:"state"`
		Ref   string `json:"transaction_ref"`
	}
	if err := json.Unmarshal([]byte(out), &recs); code != 0 || err != nil {
		t.Fatalf("history --json: exit %d %v\n%s", code, err, out)
	}
	if len(recs) != 1 || recs[0].State != "SUCCESS" || recs[0].Ref == "" {
		t.Fatalf("want the one payout settled in place (SUCCESS, with its reference), got %+v", recs)
	}

	tm.keys("C-c")
	tm.waitFor(`EXIT=0|Quit anyway`, 5*time.Second)
}

// TestConsoleReceivesCallbacksItself: with --listen the console runs the
// callback receiver inside itself (its state in the header); on the built-in
// sandbox, a payout whose answer is lost is settled by the sandbox's
// callback, confirmed with the API, without any other process.
func TestConsoleReceivesCallbacksItself(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	tm := newTerm(t, "coolpay-in")
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30",
		fmt.Sprintf("env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --listen --lang en; echo EXIT=$?; sleep 60", bin))
	tm.waitFor(`⇄ callbacks 127\.0\.0\.1:\d+`, 10*time.Second)
	sendLostPayout(tm)
	tm.keys("C-Right")
	tm.waitFor(`(?s)payout.*success`, 10*time.Second)
	tm.keys("Enter")
	s := tm.waitFor(`Transaction #1 · payout  ✔ success`, 5*time.Second)
	if !strings.Contains(s, "callback") {
		tm.keys("NPage")
		tm.waitFor(`callback`, 5*time.Second) // the trail tells how it was settled
	}
}

// sendLostPayout sends, from the Payin screen, a 5 000 XAF MTN payout whose
// answer the sandbox drops (sandbox:drop), and waits for its outcome.
func sendLostPayout(tm *term) {
	tm.t.Helper()
	tm.keys("C-Right")
	tm.waitFor(`Payout — send money`, 5*time.Second)
	tm.keys("Right") // MTN MoMo
	tm.keys("Tab")
	tm.typeText("677123456")
	tm.keys("Tab")
	tm.typeText("5000")
	tm.keys("Tab")
	tm.typeText("sandbox:drop")
	tm.keys("C-s")
	tm.waitFor(`Check before sending`, 5*time.Second)
	tm.typeText("5000")
	tm.keys("Enter")
	tm.waitFor(`SUCCESS|UNKNOWN`, 10*time.Second)
}
