package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// dumpFile reads every key and value of every bucket (nested too) of a
// bbolt file: records, settings, claims and indexes alike.
func dumpFile(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	out := map[string]string{}
	var walk func(prefix string, bk *bolt.Bucket)
	walk = func(prefix string, bk *bolt.Bucket) {
		bk.ForEach(func(k, v []byte) error {
			if v == nil {
				walk(prefix+string(k)+"/", bk.Bucket(k))
				return nil
			}
			out[prefix+string(k)] = string(bytes.Clone(v))
			return nil
		})
	}
	b.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			walk(string(name)+"/", bk)
			return nil
		})
	})
	return out
}

func TestCompactKeepsEverythingAndShrinks(t *testing.T) {
	db := openTemp(t)
	for i := 0; i < 3000; i++ {
		r := Record{Type: TypePayin, State: StatePending, AppRef: "cp-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := db.Update(r.ID, func(r *Record) error { r.State = StateSuccess; return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Churn that leaves the file much larger than what it holds: the
	// updates above free few pages since the indexes are small (schema 6),
	// so something big is stored and removed again.
	if err := db.SetSetting("scratch", strings.Repeat("x", 3<<20)); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("scratch", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("lang", "fr"); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	want := dumpFile(t, path)
	if len(want) < 3000 {
		t.Fatalf("dump holds %d entries", len(want))
	}
	before, after, err := Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Fatalf("not smaller: %d -> %d", before, after)
	}
	got := dumpFile(t, path)
	if len(got) != len(want) {
		t.Fatalf("%d entries after, %d before", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("entry %q changed", k)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), ".ledger.db.compact")); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
	db2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if v, _, _ := db2.Setting("lang"); v != "fr" {
		t.Fatalf("setting after compact: %q", v)
	}
}

func TestCompactRefusesALedgerInUse(t *testing.T) {
	db := openTemp(t)
	r := Record{Type: TypePayin, State: StatePending, AppRef: "cp-1"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Owner(); err != nil {
		t.Skip("no owner locks here:", err)
	}
	want := dumpFile(t, db.Path())
	if _, _, err := Compact(db.Path()); !errors.Is(err, ErrInUse) {
		t.Fatalf("compact of a ledger in use: %v", err)
	}
	if got := dumpFile(t, db.Path()); len(got) != len(want) {
		t.Fatal("ledger changed")
	}
}

// A compact that died before its rename leaves only its temporary file
// beside an untouched ledger; the next compact replaces that file.
func TestCompactAfterACrashedCompact(t *testing.T) {
	db := openTemp(t)
	r := Record{Type: TypePayin, State: StatePending, AppRef: "cp-1"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	db.Close()
	want := dumpFile(t, path)
	tmp := filepath.Join(filepath.Dir(path), ".ledger.db.compact")
	if err := os.WriteFile(tmp, []byte("half a copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Compact(path); err != nil {
		t.Fatal(err)
	}
	got := dumpFile(t, path)
	if len(got) != len(want) {
		t.Fatalf("%d entries after, %d before", len(got), len(want))
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("entry %q changed", k)
		}
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("temporary file left: %v", err)
	}
}
