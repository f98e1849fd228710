package store

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestChangesSeenFromAnotherProcess: what a child process writes moves the
// counter the parent polls, and ChangedSince names exactly the records and
// the setting it touched.
func TestChangesSeenFromAnotherProcess(t *testing.T) {
	if p := os.Getenv("COOLPAY_STORE_CHANGER"); p != "" {
		db, err := Open(p, Options{})
		if err == nil {
			_, err = db.Update(2, func(r *Record) error { r.State = StateSuccess; return nil })
		}
		if err == nil {
			err = db.Create(&Record{AppRef: "from-child"})
		}
		if err == nil {
			err = db.SetSetting("lang", "en")
		}
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := db.Create(&Record{AppRef: "r" + strconv.Itoa(i), State: StatePending}); err != nil {
			t.Fatal(err)
		}
	}
	n0, err := db.Changes()
	if err != nil || n0 == 0 {
		t.Fatalf("Changes = %d, %v; want the creates counted", n0, err)
	}
	if cs, _ := db.ChangedSince(n0); cs.Now != n0 || len(cs.IDs) != 0 || cs.All || cs.Settings {
		t.Fatalf("nothing changed, ChangedSince = %+v", cs)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChangesSeenFromAnotherProcess$")
	cmd.Env = append(os.Environ(), "COOLPAY_STORE_CHANGER="+p)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	n1, err := db.Changes()
	if err != nil || n1 != n0+3 {
		t.Fatalf("after three writes elsewhere, Changes = %d (was %d), %v", n1, n0, err)
	}
	cs, err := db.ChangedSince(n0)
	if err != nil || cs.Now != n1 || !slices.Equal(cs.IDs, []uint64{2, 4}) || !cs.Settings || cs.All {
		t.Fatalf("ChangedSince = %+v, %v; want ids [2 4], settings", cs, err)
	}
	if r, _ := db.Get(2); r.State != StateSuccess {
		t.Fatalf("record 2 is %s", r.State)
	}
	// Watch tells the same and reads those records, unless too many.
	wcs, recs, err := db.Watch(n0, 2)
	if err != nil || !slices.Equal(wcs.IDs, cs.IDs) || wcs.Now != n1 || len(recs) != 2 ||
		recs[0].ID != 2 || recs[0].State != StateSuccess || recs[1].AppRef != "from-child" {
		t.Fatalf("Watch = %+v, %+v, %v", wcs, recs, err)
	}
	if wcs, recs, err := db.Watch(n0, 1); err != nil || !slices.Equal(wcs.IDs, cs.IDs) || recs != nil {
		t.Fatalf("Watch past its max = %+v, %d records, %v; want the ids only", wcs, len(recs), err)
	}
	if wcs, recs, err := db.Watch(n1, 2); err != nil || wcs.Now != n1 || len(wcs.IDs) != 0 || recs != nil {
		t.Fatalf("Watch with nothing new = %+v, %d records, %v", wcs, len(recs), err)
	}
}

// TestChangeLogIsBounded: the log keeps the last changeLogKeep writes;
// asking from before that, or across a bulk insert, says "re-read all".
func TestChangeLogIsBounded(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "ledger.db"), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	r := Record{AppRef: "x"}
	db.Create(&r)
	start, _ := db.Changes()
	for i := 0; i < changeLogKeep+10; i++ {
		if _, err := db.Update(r.ID, func(*Record) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	now, _ := db.Changes()
	if now != start+changeLogKeep+10 {
		t.Fatalf("counter %d, want %d", now, start+changeLogKeep+10)
	}
	if cs, _ := db.ChangedSince(start); !cs.All {
		t.Fatalf("from beyond the log: %+v, want All", cs)
	}
	if cs, _ := db.ChangedSince(now - changeLogKeep); cs.All || !slices.Equal(cs.IDs, []uint64{r.ID}) {
		t.Fatalf("from the log's oldest entry: %+v", cs)
	}
	if err := Seed(db, changeMaxIDs+1, 1, true); err != nil {
		t.Fatal(err)
	}
	if cs, _ := db.ChangedSince(now); !cs.All {
		t.Fatalf("across a bulk insert: %+v, want All", cs)
	}
	var n int
	db.view(func(tx *bolt.Tx) error { n = tx.Bucket(bChanges).Stats().KeyN; return nil })
	if n > changeLogKeep {
		t.Fatalf("the log holds %d entries", n)
	}
}
