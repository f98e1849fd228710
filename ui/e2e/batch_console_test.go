package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// consoleCmd is the console on the sandbox at addr, with a home (and so a
// ledger) of its own.
func consoleCmd(t *testing.T, bin, addr string) string {
	home := t.TempDir()
	return fmt.Sprintf("env HOME=%s XDG_DATA_HOME=%s/data LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --lang en",
		home, home, bin, addr)
}

// openBatch goes to the Payout screen and loads file in its batch flow.
func openBatch(tm *term, file string) {
	tm.t.Helper()
	tm.waitFor(`Payin`, 10*time.Second)
	tm.keys("C-Right")
	tm.waitFor(`Payout`, 5*time.Second)
	tm.keys("C-o")
	tm.waitFor(`batch file`, 5*time.Second)
	tm.typeText(file)
	tm.keys("Enter")
}

// switchTime presses F2 and returns how long History took to show, then
// goes back with F3.
func switchTime(t *testing.T, tm *term, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	tm.keys("F2")
	tm.waitFor(`\[History\]`, within)
	took := time.Since(start)
	tm.keys("F3")
	tm.waitFor(`\[Payout\]`, within)
	return took
}

// TestConsoleBatchBigFileStaysResponsive: a file of 100,000 identical lines
// is read and checked off the update loop, with its progress shown: F2
// switches screens within a bound while it loads and once its 100,001-row
// list is on screen; the duplicate warning is one line naming the lines
// as a range, and no row is wider than the window.
func TestConsoleBatchBigFileStaysResponsive(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	file := filepath.Join(t.TempDir(), "big.csv")
	var b strings.Builder
	b.WriteString("operator,phone,amount,reason,name\n")
	for range 100_000 {
		b.WriteString("MTN,670000001,100,Salaire,Awa\n")
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := newTerm(t, "coolpay-e2e-bigbatch")
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", consoleCmd(t, bin, addr)+"; echo EXIT=$?; sleep 60")
	openBatch(tm, file)
	tm.waitFor(`Reading and checking the file|matching it against the ledger`, 10*time.Second)
	const bound = 3 * time.Second // a loaded, shared machine; the freeze was 80 s
	if d := switchTime(t, tm, bound); d > bound {
		t.Fatalf("F2 took %v while the file loaded", d)
	}
	tm.waitFor(`Check before sending`, 90*time.Second)
	if d := switchTime(t, tm, bound); d > bound {
		t.Fatalf("F2 took %v with the 100,000 lines on screen", d)
	}
	s := tm.waitFor(`Check before sending`, 5*time.Second)
	if !strings.Contains(s, "Lines 2–100001 pay the same amount to the same recipient") {
		t.Fatalf("no summarised duplicate warning:\n%s", s)
	}
	for _, l := range strings.Split(s, "\n") {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Fatalf("a row of %d columns in a 100-column window: %q", n, l)
		}
	}
	// The list scrolls to its end without redrawing it whole.
	tm.keys("End")
	tm.waitFor(`line 100001 .*Awa · 670000001`, 5*time.Second)
	tm.waitFor(`of 100001`, time.Second)
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}

// TestConsoleBatchSmallWindows: at 40×12 and 60×15 the confirmation shows
// who is paid how much and the total beside the field, and the typed total
// sends each line once; the line still in progress turns paid on screen as
// the follower settles it. In a window too small for a line and the total,
// nothing can be sent.
func TestConsoleBatchSmallWindows(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	for _, size := range [][2]int{{40, 12}, {60, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			addr := freePort(t)
			dir := t.TempDir()
			file := filepath.Join(dir, "paie.csv")
			os.WriteFile(file, []byte("operator,phone,amount,reason,name\n"+
				"MTN,670000001,10000,Salaire,Awa\n"+
				"Orange,690000002,12500,Salaire,Bello\n"+
				"MTN,670000003,3007,Salaire,Chantal\n"), 0o600)
			tm := newTerm(t, fmt.Sprintf("coolpay-e2e-small%d", size[0]))
			tm.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]),
				consoleCmd(t, bin, addr)+"; echo EXIT=$?; sleep 60")
			openBatch(tm, file)
			s := tm.waitFor(`Type the total \(25507\)`, 15*time.Second)
			for _, want := range []string{"Total 25 507 XAF", "› Total", "Balance after"} {
				if !strings.Contains(s, want) {
					t.Fatalf("%dx%d lacks %q:\n%s", size[0], size[1], want, s)
				}
			}
			if !regexp.MustCompile(`10 000 XAF  Awa`).MatchString(s) {
				t.Fatalf("no line with who and how much:\n%s", s)
			}
			// ↓ scrolls (the field keeps what is typed: j is a letter).
			tm.keys("Down", "Down")
			tm.waitFor(`3 007 XAF  Chantal`, 5*time.Second)
			tm.typeText("25507")
			tm.keys("Enter")
			s = tm.waitFor(`Results:`, 20*time.Second)
			if st := sandboxStats(t, addr); st.Payout != 3 {
				t.Fatalf("%d payouts for 3 lines:\n%s", st.Payout, s)
			}
			// 3 007 is accepted then settled by the sandbox: the line
			// follows without a key pressed.
			tm.waitFor(`3 007 XAF  Chantal.*✔ paid`, 20*time.Second)

			// Too small for a line and the total: nothing can be sent.
			other := filepath.Join(dir, "autre.csv")
			os.WriteFile(other, []byte("operator,phone,amount,reason,name\nMTN,670000009,1000,Prime,Esther\n"), 0o600)
			tm.keys("r") // re-read; then another file
			tm.waitFor(`Nothing to send`, 10*time.Second)
			tm.keys("Escape")
			for range len(file) {
				tm.keys("BSpace")
			}
			tm.tmux("resize-window", "-t", "e2e", "-x", fmt.Sprint(size[0]), "-y", "8")
			tm.typeText(other)
			tm.keys("Enter")
			tm.waitFor(`Enlarge the window`, 10*time.Second)
			tm.typeText("1000")
			tm.keys("Enter")
			tm.tmux("resize-window", "-t", "e2e", "-x", fmt.Sprint(size[0]), "-y", fmt.Sprint(size[1]))
			tm.waitFor(`(?s)› Total\s+1000.*Enlarge the window`, 10*time.Second)
			if st := sandboxStats(t, addr); st.Payout != 3 {
				t.Fatalf("a window too small sent a payout (%d)", st.Payout)
			}
			tm.keys("C-c")
			tm.waitFor(`EXIT=0`, 5*time.Second)
		})
	}
}
