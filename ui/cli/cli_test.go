package cli_test

// The callback receiver's tests moved with it to ui/listener.

import (
	"path/filepath"
	"testing"

	"github.com/coolpay/coolpay/store"
)

func openLedger(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}
