//go:build unix

package e2e

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBusyLedgerExitsThree: while another process holds the ledger's lock
// (bbolt's flock, taken here directly), a command waits about a second,
// then exits 3 with a message naming the ledger.
func TestBusyLedgerExitsThree(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t)
	f, err := os.OpenFile(db, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, errs, code := runSplit(t, bin, nil, "history", "--db", db)
	if code != 3 || out != "" || !strings.Contains(errs, db) || !strings.Contains(errs, "in use by another coolpay") {
		t.Fatalf("busy ledger: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("gave up after %v, want about a second", d)
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if _, errs, code := runSplit(t, bin, nil, "history", "--db", db); code != 0 {
		t.Fatalf("after the lock is released: %d %s", code, errs)
	}
}
