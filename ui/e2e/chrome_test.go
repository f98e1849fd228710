package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// TestConsoleChromeInFrench drives the real binary at 80×24 in French: the
// header's badge is French like the hints (BAC À SABLE), F1 shows the
// sandbox rules of the screen shown only (none on History), and the quit
// question asks o/n and takes o (oui) for yes.
func TestConsoleChromeInFrench(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	tm := startConsole(t, "chrome-fr", 80, 24, fmt.Sprintf(
		"env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --lang fr", bin, freePort(t)))
	s := tm.waitFor(`Encaissement — mobile money`, 10*time.Second)
	if head := strings.Split(s, "\n")[0]; !strings.Contains(head, "BAC À SABLE") || strings.Contains(head, "SANDBOX") {
		t.Fatalf("header %q", head)
	}
	payin, payout, paylink := "un téléphone finissant par 00", "7 payé après un temps", "ouvrez le lien pour Payer"
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }

	// Payout with F1: its rules, not the other screens'.
	tm.keys("F2")
	tm.waitFor(`Décaissement — envoyer`, 5*time.Second)
	tm.keys("F1")
	s = flat(tm.waitFor(`écran précédent`, 5*time.Second))
	if !strings.Contains(s, payout) || strings.Contains(s, payin) || strings.Contains(s, paylink) {
		t.Fatalf("F1 on Payout:\n%s", tm.screen())
	}
	// History with F1: no money moves there, no rules at all.
	tm.keys("F2")
	s = tm.waitFor(`(?s)\[Historique\].*écran précédent`, 5*time.Second)
	if strings.Contains(s, "Bac à sable") {
		t.Fatalf("F1 on History shows sandbox rules:\n%s", s)
	}
	if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > 24 {
		t.Fatalf("%d lines at 80×24:\n%s", n, s)
	}
	tm.keys("F1")
	tm.keys("F3", "F3")
	tm.waitFor(`Encaissement — mobile money`, 5*time.Second)

	// A payin left pending (amount ending in 3) is followed: quitting asks.
	tm.typeText("2503")
	tm.keys("Tab")
	tm.typeText("690112233")
	tm.keys("C-s")
	tm.waitFor(regexp.QuoteMeta("confirmer le paiement sur son téléphone"), 10*time.Second)
	tm.keys("C-c")
	s = tm.waitFor(`Quitter quand même \? o \(oui\) / n \(non\)`, 5*time.Second)
	if bar := lastLine(s); !strings.Contains(bar, "o confirmer") || strings.Contains(bar, "y confirmer") {
		t.Fatalf("help bar of the quit question: %q", bar)
	}
	tm.keys("n")
	tm.waitFor(`On continue\.`, 5*time.Second)
	tm.keys("C-c")
	tm.waitFor(`o \(oui\)`, 5*time.Second)
	tm.keys("o")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}

// TestConsoleOnALoopbackSandboxSaysSo: the console pointed at a `coolpay
// sandbox` running apart (a loopback base URL) says SANDBOX in its header,
// as coolpay doctor calls it a sandbox: one rule for both.
func TestConsoleOnALoopbackSandboxSaysSo(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	startSandbox(t, bin, "--addr", addr, "--quiet")
	base := "http://" + addr + "/api"
	out, errs, _ := runSplit(t, bin, nil, "doctor", "--base-url", base, "--public-key", "x", "--db", t.TempDir()+"/none.db")
	if !strings.Contains(out+errs, "a sandbox") {
		t.Fatalf("doctor on %s does not call it a sandbox:\n%s%s", base, out, errs)
	}
	ledger := t.TempDir() + "/ledger.db"
	newLedger(t, ledger) // a named ledger that does not exist is asked about first
	tm := startConsole(t, "loopback", 80, 24, fmt.Sprintf(
		"env LANG=C.UTF-8 TERM=xterm-256color COOLPAY_PRIVATE_KEY=%s %s --db %s --base-url %s --public-key %s",
		sandbox.DefaultPrivateKey, bin, ledger, base, client.SandboxPublicKey))
	s := tm.waitFor(`Payin — mobile money`, 10*time.Second)
	if head := strings.Split(s, "\n")[0]; !strings.Contains(head, "SANDBOX") || strings.Contains(head, "LIVE") {
		t.Fatalf("header on %s: %q", base, head)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}
