package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHistorySearchShowsItsProgress drives the real console on a big
// seeded ledger: once a search found nowhere is applied, no frame shows the
// rows of the unfiltered list under it, any progress line is in the table
// and the pager alike, and the end is "No transaction matches"; then a
// search that finds records shows them.
func TestHistorySearchShowsItsProgress(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 300,000 records")
	}
	needTmux(t)
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "big.db")
	if out, err := exec.Command(bin, "seed", "--db", db, "--count", "300000").CombinedOutput(); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	tm := startConsole(t, "search", 100, 20, fmt.Sprintf(
		"env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --db %s --lang en", bin, freePort(t), db))
	tm.waitFor(`SANDBOX`, 10*time.Second)
	for i := 0; i < 6 && !strings.Contains(tm.screen(), "Page 1"); i++ {
		tm.keys("C-Right")
		time.Sleep(200 * time.Millisecond) // a screen switch, then look again
	}
	before := tm.waitFor(`Page 1`, 5*time.Second)
	rows := regexp.MustCompile(`(?m)^.\d\d-\d\d \d\d:\d\d (payin|payout|paylink) `)
	if !rows.MatchString(before) {
		t.Fatalf("History shows no rows before the search:\n%s", before)
	}

	tm.keys("/")
	tm.typeText("zzq-nowhere")
	tm.keys("Enter")
	// Every frame from the Enter to the answer: never a row of the list
	// before under the new query. The progress line ("Searching… 43% read")
	// shows while the scan runs; since a no-hit scan of this ledger takes
	// well under a second now, it may come and go between two looks, so
	// it is checked when seen (ui/history's tests hold it to its words).
	deadline := time.Now().Add(60 * time.Second)
	var s string
	for {
		s = tm.screen()
		// While the query is still being typed ("enter apply" in the help
		// bar) the list before stays, as it should: only an applied search
		// must never show it.
		applied := strings.Contains(s, "/ zzq-nowhere") && !strings.Contains(s, "enter apply")
		if applied && rows.MatchString(s) {
			t.Fatalf("rows of the unfiltered list under the search:\n%s", s)
		}
		if regexp.MustCompile(`Searching… \d+% read`).MatchString(s) && !regexp.MustCompile(`searching… \d+%`).MatchString(s) {
			t.Fatalf("progress in the table but not in the pager:\n%s", s)
		}
		if strings.Contains(s, "No transaction matches") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer to the search; last screen:\n%s", s)
		}
		time.Sleep(10 * time.Millisecond) // the next look at the screen
	}
	if rows.MatchString(s) || strings.Contains(s, "earching") || !strings.Contains(s, "/ zzq-nowhere") {
		t.Fatalf("final screen:\n%s", s)
	}

	// A word that is there: rows again, each holding it.
	tm.keys("Escape") // alone: escape then "/" at once reads as alt+/
	tm.waitFor(`/ search · f filter`, 10*time.Second)
	tm.keys("/")
	tm.typeText("facture")
	tm.keys("Enter")
	s = tm.waitFor(rows.String(), 30*time.Second)
	if !strings.Contains(s, "/ facture") {
		t.Fatalf("rows under another search line:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`Quit anyway\? y/n`, 10*time.Second) // the seeded ledger has payments still being followed
	tm.keys("y")
	tm.waitFor(`EXIT=0`, 10*time.Second)
}
