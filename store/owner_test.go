package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestOrphanedOnlyWhenTheOwnerIsGone: a NEW record journaled by a process
// that is still running is not an orphan, whoever asks; one whose process
// died (no Close: as in a crash) is, and so is one without an owner.
func TestOrphanedOnlyWhenTheOwnerIsGone(t *testing.T) {
	if p := os.Getenv("COOLPAY_STORE_JOURNAL"); p != "" {
		db, err := Open(p, Options{})
		r := Record{Type: TypePayout, State: StateNew, AppRef: "child-" + strconv.Itoa(os.Getpid())}
		if err == nil {
			err = db.Create(&r)
		}
		if err != nil || r.Owner == "" {
			fmt.Println("error:", err, r.Owner)
			os.Exit(1)
		}
		fmt.Println(r.ID)
		if os.Getenv("COOLPAY_STORE_STAY") != "" {
			bufio.NewReader(os.Stdin).ReadString('\n')
		}
		os.Exit(0) // no Close: the lock goes with the process, as in a crash
	}
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := func(stay bool) (*exec.Cmd, uint64, func()) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestOrphanedOnlyWhenTheOwnerIsGone$")
		cmd.Env = append(os.Environ(), "COOLPAY_STORE_JOURNAL="+p)
		if stay {
			cmd.Env = append(cmd.Env, "COOLPAY_STORE_STAY=1")
		}
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		id, err := strconv.ParseUint(strings.TrimSpace(line), 10, 64)
		if err != nil {
			t.Fatalf("child: %q", line)
		}
		return cmd, id, func() { stdin.Close(); cmd.Wait() }
	}
	_, crashed, wait := start(false)
	wait()
	_, running, stop := start(true)
	defer stop()

	mine := Record{Type: TypePayin, State: StateNew, AppRef: "mine"}
	old := Record{Type: TypePayin, State: StateNew, AppRef: "no-owner", Owner: ""}
	bogus := Record{Type: TypePayin, State: StateNew, AppRef: "bogus", Owner: "../../etc/passwd"}
	for _, r := range []*Record{&mine, &old, &bogus} {
		if err := db.Create(r); err != nil {
			t.Fatal(err)
		}
	}
	// A record from before owners (or from a system without them).
	if _, err := db.Update(old.ID, func(r *Record) error { r.Owner = ""; return nil }); err != nil {
		t.Fatal(err)
	}
	orphanIDs := func(db *DB) []uint64 {
		t.Helper()
		recs, err := db.Orphaned()
		if err != nil {
			t.Fatal(err)
		}
		var ids []uint64
		for _, r := range recs {
			ids = append(ids, r.ID)
		}
		slices.Sort(ids)
		return ids
	}
	// bogus kept its malformed owner: Create stamps only an empty one.
	want := []uint64{crashed, old.ID, bogus.ID}
	slices.Sort(want)
	if got := orphanIDs(db); !slices.Equal(got, want) {
		t.Fatalf("orphans = %v, want %v (crashed %d, running %d, mine %d)", got, want, crashed, running, mine.ID)
	}
	// Another process's view (a second console starting): the parent's
	// own record is not an orphan either, while the parent lives.
	other, _ := Open(p, Options{})
	if got := orphanIDs(other); !slices.Equal(got, want) {
		t.Fatalf("another handle sees orphans %v, want %v", got, want)
	}
	other.Close()
	stop()
	want = append(want, running)
	slices.Sort(want)
	if got := orphanIDs(db); !slices.Equal(got, want) {
		t.Fatalf("after the running child ended: orphans %v, want %v", got, want)
	}
	// Only this process's lock file is left: the dead ones were swept.
	files, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".ledger.db.owner-*"))
	if len(files) != 1 || files[0] != db.ownerPath(mine.Owner) {
		t.Fatalf("lock files left: %v", files)
	}
	db.Close()
	if files, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".ledger.db.owner-*")); len(files) != 0 {
		t.Fatalf("Close left %v", files)
	}
}
