package e2e

import (
	"fmt"
	"net/http"
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
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	tm := newTerm(t, "coolpay-e2e-settle")
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

// startSandbox runs `coolpay sandbox` with args and waits for its banner.
func startSandbox(t *testing.T, bin string, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sandbox"}, args...)...)
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C to stop") {
		if time.Now().After(deadline) {
			t.Fatalf("sandbox did not start:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, out
}

// TestSandboxCommandLogsRequestsUnlessQuiet: one line per request with the
// deciding rule, the public key left out and the private key nowhere in the
// lines; --quiet prints none; a payout from loopback under --strict-ip is
// refused as --ip-reject json says.
func TestSandboxCommandLogsRequestsUnlessQuiet(t *testing.T) {
	bin := buildBinary(t)
	const pub, priv = "118a4852-7df8-46d9-834b-23b4ef25aaab", "coolpay-sandbox-private-key-not-a-secret"
	balance := func(addr string) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/api/"+pub+"/balance", nil)
		req.Header.Set("X-PRIVATE-KEY", priv)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	addr := freePort(t)
	_, out := startSandbox(t, bin, "--addr", addr, "--strict-ip", "--ip-reject", "json")
	for _, want := range []string{"Test rules:", "--allow-payout-ip only (strict)", "others answered: json"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("banner lacks %q:\n%s", want, out.String())
		}
	}
	balance(addr)
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/"+pub+"/payout",
		strings.NewReader(`{"transaction_amount":100,"transaction_operator":"CM_OM","customer_phone_number":"690112233"}`))
	req.Header.Set("X-PRIVATE-KEY", priv)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("loopback payout under --strict-ip --ip-reject json: %d", resp.StatusCode)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "/api/{key}/payout") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	_, lines, _ := strings.Cut(out.String(), "Ctrl-C to stop.")
	for _, want := range []string{"GET    /api/{key}/balance", " 200 ", "POST   /api/{key}/payout", " 403 ", "not on the payout IP allow-list → json 403"} {
		if !strings.Contains(lines, want) {
			t.Errorf("request log lacks %q:\n%s", want, lines)
		}
	}
	if strings.Contains(lines, priv) || strings.Contains(lines, pub) {
		t.Errorf("a key is in the request log:\n%s", lines)
	}

	qaddr := freePort(t)
	_, qout := startSandbox(t, bin, "--addr", qaddr, "--quiet")
	balance(qaddr)
	time.Sleep(200 * time.Millisecond)
	if _, after, _ := strings.Cut(qout.String(), "Ctrl-C to stop."); strings.TrimSpace(after) != "" {
		t.Fatalf("--quiet still logged:\n%s", after)
	}
}
