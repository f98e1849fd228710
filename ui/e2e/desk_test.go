package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
)

// startConsole runs cmdline in its own tmux server at w×h and returns the
// terminal; the pane stays after the program exits so the last screen can
// be read.
func startConsole(t *testing.T, name string, w, h int, cmdline string) *term {
	t.Helper()
	tm := newTerm(t, "coolpay-desk-"+name)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), cmdline+"; echo EXIT=$?; sleep 60")
	return tm
}

// lastLine is the help bar of a captured screen.
func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestConsoleExplainsItself drives the real binary for what only a real
// terminal shows: F1 as the terminal sends it, the help bar at 80×24,
// NO_COLOR placeholders, a 40×10 window, the private-key prompt without a
// keyring, and the crash notice at start. EN and FR.
func TestConsoleExplainsItself(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)

	for _, lang := range []string{"en", "fr"} {
		t.Run("help-and-placeholders-"+lang, func(t *testing.T) {
			text := map[string]map[string]string{
				"en": {"screens": "ctrl+←/→ screens", "help": "F1 help", "example": "(e.g. 1500)", "optional": "(optional)",
					"prev": "previous screen", "rule": "ending in 00", "title": "Payin — mobile money"},
				"fr": {"screens": "ctrl+←/→ écrans", "help": "F1 aide", "example": "(ex. 1500)", "optional": "(facultatif)",
					"prev": "écran précédent", "rule": "finissant par 00", "title": "Encaissement — mobile money"},
			}[lang]
			// English without colour by NO_COLOR, French on a dumb terminal:
			// either way placeholders must not look typed.
			noColour := map[string]string{"en": "NO_COLOR=1 TERM=xterm-256color", "fr": "TERM=dumb"}[lang]
			tm := startConsole(t, "help-"+lang, 80, 24, fmt.Sprintf(
				"env %s LANG=C.UTF-8 %s --sandbox --sandbox-addr %s --lang %s", noColour, bin, freePort(t), lang))
			s := tm.waitFor(regexp.QuoteMeta(text["title"]), 10*time.Second)
			for _, want := range []string{text["example"], text["optional"], text["rule"]} {
				if !strings.Contains(s, want) {
					t.Fatalf("first screen lacks %q:\n%s", want, s)
				}
			}
			// Every screen's help bar tells how to change screens and open the help.
			for i := 0; i < 5; i++ {
				s = tm.screen()
				if bar := lastLine(s); !strings.Contains(bar, text["screens"]) || !strings.Contains(bar, text["help"]) {
					t.Fatalf("screen %d: help bar %q", i, bar)
				}
				tm.keys("F2")
				time.Sleep(100 * time.Millisecond)
			}
			// No colour sequences at all (bold/underline may stay).
			if colours := tm.tmux("capture-pane", "-p", "-e", "-t", "e2e"); regexp.MustCompile(`\x1b\[[0-9;]*(3|4|9|10)[0-9]m`).MatchString(colours) {
				t.Fatalf("colours with NO_COLOR:\n%q", colours)
			}
			// F1 from inside the amount field: help opens, nothing typed.
			tm.typeText("12")
			tm.keys("F1")
			s = tm.waitFor(text["prev"], 5*time.Second)
			if !strings.Contains(s, "12") || strings.Contains(s, "12?") {
				t.Fatalf("the field changed with F1:\n%s", s)
			}
			tm.keys("F1")
			tm.typeText("?") // in a field, "?" is text
			s = tm.waitFor(`12\?`, 5*time.Second)
			if strings.Contains(s, text["prev"]) {
				t.Fatalf("? opened the help from a field:\n%s", s)
			}
			tm.keys("C-c")
			tm.waitFor(`EXIT=0`, 5*time.Second)
		})
	}

	t.Run("forms-follow-focus-40x10", func(t *testing.T) {
		tm := startConsole(t, "small", 40, 10, fmt.Sprintf(
			"env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --lang fr", bin, freePort(t)))
		tm.waitFor(`BAC À SABLE`, 10*time.Second)
		tm.keys("Tab", "Tab", "Tab", "Tab")
		s := tm.waitFor(`› Motif`, 5*time.Second)
		if n := len(strings.Split(strings.TrimRight(s, "\n"), "\n")); n > 10 {
			t.Fatalf("%d lines at 40×10:\n%s", n, s)
		}
		tm.keys("BTab", "BTab", "BTab", "BTab")
		tm.waitFor(`› Montant`, 5*time.Second)
		tm.keys("C-c")
		tm.waitFor(`EXIT=0`, 5*time.Second)
	})

	t.Run("private-key-asked-without-keyring", func(t *testing.T) {
		addr := freePort(t)
		sb := exec.Command(bin, "sandbox", "--addr", addr)
		var out syncBuffer
		sb.Stdout, sb.Stderr = &out, &out
		if err := sb.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sb.Process.Kill(); sb.Wait() })
		for end := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "Ctrl-C to stop"); {
			if time.Now().After(end) {
				t.Fatalf("sandbox did not start:\n%s", out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		home := t.TempDir()
		ledger := filepath.Join(home, "ledger.db")
		newLedger(t, ledger)
		// No Secret Service (a bus address that leads nowhere) and no
		// COOLPAY_PRIVATE_KEY: only the console can get the key.
		tm := startConsole(t, "nokey", 80, 24, fmt.Sprintf("env -u COOLPAY_PRIVATE_KEY HOME=%s DBUS_SESSION_BUS_ADDRESS=unix:path=%s/nobus "+
			"LANG=C.UTF-8 TERM=xterm-256color %s --db %s --public-key %s --base-url http://%s/api --lang en",
			home, home, bin, ledger, client.SandboxPublicKey, addr))
		tm.waitFor(`no private key yet`, 10*time.Second)
		tm.keys("F2") // Payin → Payout
		tm.waitFor(`Payout — send money`, 5*time.Second)
		tm.keys("Right", "Tab")
		tm.typeText("677123456")
		tm.keys("Tab")
		tm.typeText("5000")
		tm.keys("C-s")
		tm.waitFor(`Private key needed`, 5*time.Second)
		tm.typeText(sandbox.DefaultPrivateKey)
		s := tm.waitFor(`••••••••••••••••`, 5*time.Second)
		if strings.Contains(s, sandbox.DefaultPrivateKey) || !strings.Contains(s, "••••••••") {
			t.Fatalf("the key is not masked:\n%s", s)
		}
		tm.keys("Enter")
		tm.waitFor(`Check before sending`, 5*time.Second)
		tm.waitFor(`1 000 000 XAF`, 5*time.Second)
		tm.typeText("5 000")
		tm.keys("Enter")
		tm.waitFor(`✔ Paid`, 10*time.Second)
		tm.keys("C-c")
		tm.waitFor(`EXIT=0`, 5*time.Second)
		if st := sandboxStats(t, addr); st.Payout != 1 {
			t.Fatalf("sandbox saw %d payouts, want 1", st.Payout)
		}
		raw, err := os.ReadFile(ledger)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(sandbox.DefaultPrivateKey)) {
			t.Fatal("the typed private key is in the ledger file")
		}
		if !bytes.Contains(raw, []byte("677123456")) {
			t.Fatal("the payout is not in the ledger file (wrong file checked?)")
		}
	})

	for _, lang := range []string{"en", "fr"} {
		t.Run("crash-notice-at-start-"+lang, func(t *testing.T) {
			ledger := filepath.Join(t.TempDir(), "ledger.db")
			db, err := store.Open(ledger, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := store.Record{Type: store.TypePayout, State: store.StateNew, Amount: "5000", Currency: "XAF", CustomerPhone: "677123456"}
			if err := db.Create(&r); err != nil {
				t.Fatal(err)
			}
			db.Close()
			want := map[string]string{"en": "1 payment(s) cut off by a crash: UNKNOWN", "fr": "1 paiement(s) coupé(s) par un arrêt : INCONNU"}[lang]
			tm := startConsole(t, "crash-"+lang, 80, 24, fmt.Sprintf(
				"env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --db %s --lang %s", bin, freePort(t), ledger, lang))
			tm.waitFor(`SANDBOX|BAC À SABLE`, 10*time.Second)
			tm.waitFor(regexp.QuoteMeta(want), 5*time.Second)
			tm.keys("C-c")
			s := tm.waitFor(`EXIT=0`, 5*time.Second)
			if strings.Contains(s, "interrupted before their answer came") {
				t.Fatalf("the notice is still printed after quitting:\n%s", s)
			}
		})
	}
}
