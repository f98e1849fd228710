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

// TestHistorySearchShowsItsProgress drives the real console on a seeded
// ledger big enough that a search found nowhere takes a while: once the
// search is applied, the rows of the unfiltered list are gone at once, the
// table says how far the scan has read ("Searching… 37% read … no match
// yet") and the pager "searching… 37%", and the end is "No transaction
// matches"; then a search that finds records shows them.
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
	s := tm.waitFor(`Searching… \d+% read \([\d  ]+ of 300 000 records\), no match yet`, 10*time.Second)
	if rows.MatchString(s) {
		t.Fatalf("rows of the unfiltered list under the search:\n%s", s)
	}
	if !regexp.MustCompile(`searching… \d+%`).MatchString(s) || !strings.Contains(s, "/ zzq-nowhere") {
		t.Fatalf("pager or search line:\n%s", s)
	}
	s = tm.waitFor(`No transaction matches`, 60*time.Second)
	if rows.MatchString(s) || strings.Contains(s, "earching") {
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
