//go:build unix

package ledgertest_test

import (
	"syscall"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/ledgertest"
	"github.com/coolpay/coolpay/store/pgtest"
)

// A desk whose process is stuck (SIGSTOP: its session and its lock stay on
// the server) keeps its records until its lease runs out, then they are
// orphans; a resumed desk does not get them back.
func TestPostgresLeaseExpires(t *testing.T) {
	loc := pgtest.URL(t)
	db, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cmd, id := ledgertest.StartOwner(t, loc, "COOLPAY_LEDGERTEST_LEASE=1500ms")
	if orph, _ := db.Orphaned(); len(orph) != 0 {
		t.Fatal("a live desk's record is an orphan")
	}
	if err := cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Signal(syscall.SIGCONT)
	took := ledgertest.WaitOrphaned(t, db, id, 10*time.Second)
	if took < 500*time.Millisecond {
		t.Fatalf("orphaned after %v: before its lease of 1.5 s could have run out", took)
	}
}
