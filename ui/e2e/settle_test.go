package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

var sandboxRef = regexp.MustCompile(`\d{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestSettleMovesAPendingPayinToFailedOnScreen: a payin the sandbox leaves
// PENDING (amount ending in 3) is forced to FAILED from outside with
// `coolpay sandbox settle`, as `stripe trigger` would, and the console,
// still open on it, shows FAILED without anyone touching it.
func TestSettleMovesAPendingPayinToFailedOnScreen(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: .ci/run must install it")
		}
		t.Skip("tmux not installed")
	}
	bin := buildBinaries(t, true)
	addr := freePort(t)
	tm := &term{t: t, socket: fmt.Sprintf("coolpay-e2e-settle-%d", os.Getpid())}
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	cmdline := fmt.Sprintf("env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --lang en; echo EXIT=$?; sleep 60", bin, addr)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "160", "-y", "34", cmdline)
	tm.waitFor(`Payin — mobile money`, 10*time.Second)

	tm.typeText("1003") // last digit 3: PENDING until settled
	tm.keys("Tab")
	tm.typeText("690112233")
	tm.waitFor(`Orange`, 5*time.Second)
	tm.keys("C-s")
	tm.waitFor(`#150\*50#|confirm the payment on the phone`, 5*time.Second)

	// The transaction_ref, as the cashier would read it in History.
	tm.keys("C-Right", "C-Right")
	s := tm.waitFor(sandboxRef.String(), 5*time.Second)
	ref := sandboxRef.FindString(s)
	row := func(state string) string { return `(?i)` + state + `[^\n]*` + regexp.QuoteMeta(ref[:24]) }
	tm.waitFor(row("pending"), 5*time.Second)

	out, err := exec.Command(bin, "sandbox", "settle", ref, "FAILED", "--addr", addr).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "is now FAILED") {
		t.Fatalf("coolpay sandbox settle: %v\n%s", err, out)
	}
	tm.waitFor(row("failed"), 20*time.Second) // the follower picks it up
	tm.keys("C-Left", "C-Left")
	tm.waitFor(`✘ FAILED`, 5*time.Second)

	// Settling it again is refused: it is final.
	out, err = exec.Command(bin, "sandbox", "settle", ref, "SUCCESS", "--addr", addr).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already FAILED") {
		t.Fatalf("second settle: %v\n%s", err, out)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}
