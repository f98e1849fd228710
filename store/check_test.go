package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestCheckReportsADamagedPageAsAnError: a sound ledger passes; one whose
// data page was overwritten (meta pages intact, so it still opens) fails
// with ErrCorrupt instead of crashing.
func TestCheckReportsADamagedPageAsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := Seed(db, 3000, 1, false); err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatalf("sound ledger: %v", err)
	}
	var pageSize int
	db.view(func(tx *bolt.Tx) error { pageSize = tx.DB().Info().PageSize; return nil })
	db.Close()

	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.Stat()
	garbage := make([]byte, pageSize)
	for i := range garbage {
		garbage[i] = 0xA5
	}
	// A page in the middle of the file: past the meta pages and the root.
	if _, err := f.WriteAt(garbage, (st.Size()/int64(pageSize)/2)*int64(pageSize)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Skipf("the damage was caught at open already: %v", err)
	}
	defer db.Close()
	if err := db.Check(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged ledger: %v, want ErrCorrupt", err)
	}
}
