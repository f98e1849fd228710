package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/coolpay/coolpay/store"
)

// errNoLedger is the one message for a ledger that is not there, naming the
// path so a typo in --db is visible.
func errNoLedger(path string) error {
	return fmt.Errorf("%w at %s (check --db or COOLPAY_DB; the console creates the ledger on its first run)", store.ErrNoLedger, path)
}

// openLedger opens path for writing or read-only. No command creates a
// directory: a missing one is an error naming the path, not a fresh ledger
// under a mistyped name. Read-only opens never create the file.
func openLedger(path string, write bool) (*store.DB, error) {
	if err := checkLedgerDir(path); err != nil {
		return nil, err
	}
	if !write {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, errNoLedger(path)
		}
	}
	db, err := store.Open(path, store.Options{ReadOnly: !write})
	if errors.Is(err, store.ErrNoLedger) {
		return nil, errNoLedger(path)
	}
	return db, err
}

// checkLedgerDir fails, naming the path, when the ledger's directory is
// not there: commands never create one.
func checkLedgerDir(path string) error {
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return errNoLedger(path)
	}
	return nil
}
