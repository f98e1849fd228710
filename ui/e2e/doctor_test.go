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
)

// startBin starts the built binary in the background and waits until its
// output shows ready; the process is stopped (by its own pid) at cleanup.
func startBin(t *testing.T, bin string, env []string, ready string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), ready) {
		if time.Now().After(deadline) {
			t.Fatalf("%v did not start:\n%s", args, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type doctorReport struct {
	OK     bool `json:"ok"`
	Checks []struct {
		Name, Status, Detail, Fix string
	} `json:"checks"`
}

func (r doctorReport) status(name string) string {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Status
		}
	}
	return "absent"
}

// TestDoctorAgainstTheSandbox: with the sandbox as the API, the keys in the
// environment and coolpay listen running where the settings say, every
// check passes (✔), the payout allow-list is said to be unchecked (–), the
// exit is 0, and the private key appears nowhere.
func TestDoctorAgainstTheSandbox(t *testing.T) {
	bin := buildBinary(t)
	api, cb := freePort(t), freePort(t)
	startBin(t, bin, nil, "Ctrl-C to stop", "sandbox", "--addr", api)
	env := []string{"COOLPAY_BASE_URL=http://" + api + "/api", "COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY=" + sandbox.DefaultPrivateKey}
	db := knownLedger(t)
	if _, errs, code := runSplit(t, bin, env, "--db", db, "config", "set", "callback_addr", cb); code != 0 {
		t.Fatal(errs)
	}
	// The listener on a ledger of its own, as the README advises.
	startBin(t, bin, append(env, "LANG=C"), "Listening for callbacks", "--db", filepath.Join(t.TempDir(), "listener.db"), "listen", "--addr", cb)

	out, errs, code := runSplit(t, bin, env, "--db", db, "doctor")
	if code != 0 || errs != "" {
		t.Fatalf("doctor: exit %d, stderr %q\n%s", code, errs, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	checks := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "✔"):
			checks++
		case strings.HasPrefix(l, "–  Payout IP"), strings.HasPrefix(l, "     → "):
		default:
			t.Errorf("not ✔: %q", l)
		}
	}
	if checks != 8 || !strings.Contains(out, "1 000 000 XAF") || !strings.Contains(out, "3 records, consistent") {
		t.Errorf("want 8 ✔ lines with the balance and the ledger's count:\n%s", out)
	}
	if strings.Contains(out, sandbox.DefaultPrivateKey) {
		t.Fatal("doctor printed the private key")
	}

	out, _, code = runSplit(t, bin, env, "--db", db, "doctor", "--json")
	var r doctorReport
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.OK {
		t.Fatalf("doctor --json: %d\n%s", code, out)
	}
	for _, c := range r.Checks {
		want := "ok"
		if c.Name == "payout_ip" {
			want = "skip"
		}
		if c.Status != want {
			t.Errorf("%s: %s (%s)", c.Name, c.Status, c.Detail)
		}
	}
	if r.status("callback") != "ok" || r.status("keys") != "ok" || r.status("clock") != "ok" {
		t.Errorf("checks missing: %+v", r.Checks)
	}
	if fr, _, _ := runSplit(t, bin, env, "--db", db, "doctor", "--lang", "fr"); !strings.Contains(fr, "acceptées (solde 1 000 000 XAF)") {
		t.Errorf("doctor --lang fr:\n%s", fr)
	}
}

// TestDoctorWithTheAPIDown: a closed port fails the API check (✘, with a
// fix), skips the keys check that needs it, and exits 1; --json says so.
func TestDoctorWithTheAPIDown(t *testing.T) {
	bin := buildBinary(t)
	closed := freePort(t) // listened on, then closed: nothing answers there
	env := []string{"COOLPAY_BASE_URL=http://" + closed + "/api", "COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY=" + sandbox.DefaultPrivateKey}
	db := knownLedger(t)
	out, errs, code := runSplit(t, bin, env, "--db", db, "doctor")
	if code != 1 || errs != "" || !strings.Contains(out, "✘  API") || !strings.Contains(out, "cannot reach http://"+closed) ||
		!strings.Contains(out, "→ check the network") || !strings.Contains(out, "–  Keys") || !strings.Contains(out, "✔  Ledger") {
		t.Fatalf("doctor with the API down: exit %d, stderr %q\n%s", code, errs, out)
	}
	out, _, code = runSplit(t, bin, env, "--db", db, "doctor", "--json")
	var r doctorReport
	if code != 1 || json.Unmarshal([]byte(out), &r) != nil || r.OK || r.status("api") != "fail" || r.status("keys") != "skip" {
		t.Fatalf("doctor --json with the API down: %d\n%s", code, out)
	}
}

// TestDoctorOnADamagedOrMissingLedger: a ledger with an overwritten page is
// reported damaged (bbolt's check, in a child process: no crash reaches the
// user), a missing one is named; neither run creates anything.
func TestDoctorOnADamagedOrMissingLedger(t *testing.T) {
	bin := buildBinary(t)
	env := []string{"COOLPAY_BASE_URL=http://" + freePort(t) + "/api"}
	db := filepath.Join(t.TempDir(), "ledger.db")
	if _, errs, code := runSplit(t, bin, nil, "--db", db, "seed", "--count", "3000"); code != 0 {
		t.Fatal(errs)
	}
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	const page = 4096
	f.WriteAt([]byte(strings.Repeat("\xa5", page)), st.Size()/page/2*page)
	f.Close()
	out, errs, code := runSplit(t, bin, env, "--db", db, "doctor")
	if code != 1 || !strings.Contains(out, "✘  Ledger") || !strings.Contains(out, "is damaged") ||
		strings.Contains(out+errs, "goroutine") || strings.Contains(out+errs, "panic") {
		t.Fatalf("damaged ledger: exit %d, stderr %q\n%s", code, errs, out)
	}
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	out, _, code = runSplit(t, bin, env, "--db", missing, "doctor")
	if code != 1 || !strings.Contains(out, "no ledger at "+missing) {
		t.Fatalf("missing ledger: %d\n%s", code, out)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("doctor created %v", entries)
	}
}
