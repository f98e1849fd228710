package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/zalando/go-keyring"
)

// missingLedger is the one error for a ledger that is not there, naming
// the path so a typo in --db is visible. Main prints it translated.
type missingLedger struct{ path string }

func (e *missingLedger) Error() string {
	return fmt.Sprintf("no ledger at %s: check --db, COOLPAY_DB or this desk's ledger setting (the console creates the ledger on its first run)", e.path)
}

func (e *missingLedger) Unwrap() error { return store.ErrNoLedger }

// errNoLedger names the ledger as it may be shown: a database URL without
// its password.
func errNoLedger(path string) error { return &missingLedger{store.Redact(path)} }

// LedgerMode says how a command uses the ledger. Each command picks the
// least it needs.
type LedgerMode int

const (
	// LedgerRead opens read-only; the file must exist (history, config get,
	// doctor). Nothing is created or changed.
	LedgerRead LedgerMode = iota
	// LedgerUpdate opens read-write; the file must exist (status,
	// reconcile): they update records a ledger already holds.
	LedgerUpdate
	// LedgerCreate opens read-write and creates the file if missing, in a
	// directory that must exist (the console, seed, config set, keys set,
	// listen on a ledger of its own).
	LedgerCreate
	// LedgerReadOnce is LedgerRead for a command that reads and exits
	// (history): the ledger's schema is checked by its first read instead
	// of an open of the file of its own (store.Options.DeferCheck), so a
	// schema error comes from that read.
	LedgerReadOnce
)

// openLedger opens path in the given mode. No command creates a directory:
// a missing one is an error naming the path, not a fresh ledger under a
// mistyped name.
func openLedger(path string, mode LedgerMode) (*store.DB, error) {
	if store.IsURL(path) {
		return openLedgerURL(path, mode)
	}
	if err := checkLedgerDir(path); err != nil {
		return nil, err
	}
	if mode != LedgerCreate {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, errNoLedger(path)
		}
	}
	ro := mode == LedgerRead || mode == LedgerReadOnce
	db, err := store.Open(path, store.Options{ReadOnly: ro, DeferCheck: mode == LedgerReadOnce})
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

// openLedgerURL opens a ledger held by PostgreSQL (several desks, one
// ledger). Only LedgerCreate may create coolpay's tables in a database
// without them (as only it may create a file): a mistyped database name in
// `status` or `history` is an error, not a new empty ledger. LedgerUpdate
// may migrate an older schema. Errors name the database without its
// password.
func openLedgerURL(url string, mode LedgerMode) (*store.DB, error) {
	dbPasswordFromKeyring()
	ro := mode == LedgerRead || mode == LedgerReadOnce
	if mode == LedgerUpdate {
		probe, err := store.Open(url, store.Options{ReadOnly: true})
		switch {
		case errors.Is(err, store.ErrNoLedger):
			return nil, errNoLedger(store.Redact(url))
		case err == nil:
			probe.Close()
		case !errors.Is(err, store.ErrSchema):
			return nil, err
		}
	}
	db, err := store.Open(url, store.Options{ReadOnly: ro})
	if errors.Is(err, store.ErrNoLedger) {
		return nil, errNoLedger(store.Redact(url))
	}
	return db, err
}

// openLedgerAt is openLedger for a command that reads or writes settings:
// on a ledger several desks share, this desk's own settings (cashier,
// language, theme…) are kept on the desk (config.AttachDesk), never in
// the database.
func (f *Factory) openLedgerAt(path string, mode LedgerMode) (*store.DB, error) {
	db, err := openLedger(path, mode)
	if err != nil {
		return nil, err
	}
	if err := config.AttachDesk(db, f.getenv); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dbPasswordService is the OS keyring's service for PostgreSQL ledger
// passwords; the account is "user@host" as in the URL.
const dbPasswordService = "coolpay-db"

var dbPasswordOnce sync.Once

// dbPasswordFromKeyring lets a PostgreSQL ledger find its password in the
// OS keyring when the URL, PGPASSWORD and .pgpass give none. A keyring
// that does not answer within 3 s is taken as having nothing.
func dbPasswordFromKeyring() {
	dbPasswordOnce.Do(func() {
		store.SetPasswordSource(func(user, host string) (string, error) {
			if pw := dbPasswordTyped(user, host); pw != "" {
				return pw, nil // typed at the console's start (dbpassword.go)
			}
			type answer struct {
				pw  string
				err error
			}
			ch := make(chan answer, 1)
			go func() {
				pw, err := keyring.Get(dbPasswordService, user+"@"+host)
				ch <- answer{pw, err}
			}()
			select {
			case a := <-ch:
				return a.pw, a.err
			case <-time.After(3 * time.Second):
				return "", errors.New("the keyring did not answer")
			}
		})
	})
}
