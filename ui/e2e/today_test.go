package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCashiersDeskEndToEnd drives the real binary in tmux at 80×24 in
// French: a payin taken by the cashier "awa" (the system user), its receipt
// from the result screen saved into the Downloads folder, the day's totals
// on Today, "pay again" from History, and coolpay report on the same ledger.
func TestCashiersDeskEndToEnd(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	home := t.TempDir()
	os.Mkdir(filepath.Join(home, "Downloads"), 0o755)
	ledger := filepath.Join(t.TempDir(), "ledger.db")
	tm := newTerm(t, "coolpay-desk")
	cmdline := fmt.Sprintf("env LANG=C.UTF-8 TERM=xterm-256color HOME=%s XDG_CONFIG_HOME=%s/.config USER=awa %s --sandbox --sandbox-addr %s --db %s --lang fr; echo EXIT=$?; sleep 60",
		home, home, bin, freePort(t), ledger)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "80", "-y", "24", cmdline)
	tm.waitFor(`Encaissement — mobile money`, 10*time.Second)

	tm.typeText("2500")
	tm.keys("Tab")
	tm.typeText("+237 6 90 11 22 33")
	tm.keys("C-s")
	tm.waitFor(`✔ RÉUSSI|✔ SUCCESS`, 20*time.Second)

	tm.typeText("p")
	s := tm.waitFor(`REÇU`, 5*time.Second)
	for _, want := range []string{"2 500 XAF", "Caissier   awa", "690112233", "Merci !"} {
		if !strings.Contains(s, want) {
			t.Errorf("receipt lacks %q:\n%s", want, s)
		}
	}
	tm.typeText("s")
	tm.waitFor(`Reçu enregistré`, 5*time.Second)
	files, _ := filepath.Glob(filepath.Join(home, "Downloads", "coolpay-receipt-*.txt"))
	if len(files) != 1 {
		t.Fatalf("receipts in Downloads: %v", files)
	}
	if b, _ := os.ReadFile(files[0]); !strings.Contains(string(b), "REÇU") || strings.Contains(string(b), "\x1b") {
		t.Errorf("saved receipt:\n%q", b)
	}
	tm.keys("Escape")
	tm.waitFor(`✔`, 5*time.Second)

	// Today: Payin → Payout → History → Today.
	tm.keys("C-Right", "C-Right", "C-Right")
	s = tm.waitFor(`Total 1 · montant 2 500 XAF`, 5*time.Second)
	if !strings.Contains(s, "[Aujourd'hui]") || !strings.Contains(s, "Paramètres") {
		t.Errorf("the tab bar at 80 columns lost a tab:\n%s", s)
	}

	// Pay again from History.
	tm.keys("C-Left")
	tm.waitFor(`\[Historique\]`, 5*time.Second)
	tm.typeText("g")
	s = tm.waitFor(`Rempli d'après la transaction`, 5*time.Second)
	if !strings.Contains(s, "[Encaissement]") || !strings.Contains(s, "690112233") {
		t.Errorf("pay again:\n%s", s)
	}
	tm.keys("C-c")
	// Once seen to take over 5 s on a loaded machine (the screen already
	// restored, the process not yet gone): a generous bound.
	tm.waitFor(`EXIT=0`, 20*time.Second)

	out, _, code := runSplit(t, bin, nil, "report", "--db", ledger, "--json")
	var rep struct {
		Groups []struct {
			Cashier, State string
			Count          int
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Groups) != 1 ||
		rep.Groups[0].Cashier != "awa" || rep.Groups[0].Count != 1 || rep.Groups[0].State != "SUCCESS" {
		t.Fatalf("coolpay report: %d %s", code, out)
	}
}
