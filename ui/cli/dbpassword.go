package cli

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/zalando/go-keyring"
	"golang.org/x/term"

	"github.com/coolpay/coolpay/store"
)

// typedDBPassword is the database password typed at the console's start
// (askDBPassword), given to the ledger before the keyring is asked; and
// the account ("user@host") the ledger last asked a password for, as
// the keyring entry is named.
var typedDBPassword struct {
	mu      sync.Mutex
	pw      string
	account string
}

// dbPasswordTyped answers the ledger's password question with the typed
// password, if any, noting which account was asked about.
func dbPasswordTyped(user, host string) string {
	typedDBPassword.mu.Lock()
	defer typedDBPassword.mu.Unlock()
	typedDBPassword.account = user + "@" + host
	return typedDBPassword.pw
}

// passwordRefused: the database refused the role's password (or was
// given none while it asks for one).
func passwordRefused(err error) bool {
	var pge *pgconn.PgError
	return errors.As(err, &pge) && pge.Code == "28P01"
}

// askDBPassword is the console's answer to a PostgreSQL ledger that
// refused to open for want of a password (none in the URL, PGPASSWORD,
// .pgpass or the keyring): in a terminal it asks for it, masked, opens the
// ledger with it, and offers to keep it in the OS keyring (service
// coolpay-db, account user@host), where the next start finds it. Without a
// terminal, or when the password typed is refused three times, the error
// stands. The password is never printed nor stored anywhere else.
func (f *Factory) askDBPassword(path string, openErr error) (*store.DB, error) {
	in := f.IO.In
	if !passwordRefused(openErr) || in == nil || !term.IsTerminal(int(in.Fd())) {
		return nil, openErr
	}
	typedDBPassword.mu.Lock()
	asked := typedDBPassword.account != ""
	typedDBPassword.mu.Unlock()
	if !asked {
		// The password came from the URL, PGPASSWORD or .pgpass: one
		// typed here would not be used; the error says where to fix it.
		return nil, openErr
	}
	t := f.T(nil)
	err := openErr
	for try := 0; try < 3 && passwordRefused(err); try++ {
		fmt.Fprint(f.IO.ErrOut, t.T("console.dbpw.ask", store.Redact(path)))
		raw, rerr := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(f.IO.ErrOut)
		if rerr != nil || len(raw) == 0 {
			return nil, openErr
		}
		typedDBPassword.mu.Lock()
		typedDBPassword.pw = string(raw)
		typedDBPassword.mu.Unlock()
		var db *store.DB
		db, err = f.openLedgerAt(path, LedgerCreate)
		if err == nil {
			f.offerKeyring(string(raw))
			return db, nil
		}
	}
	return nil, err
}

// offerKeyring asks whether to keep the password that opened the ledger in
// the OS keyring, and says whether it was kept.
func (f *Factory) offerKeyring(pw string) {
	account := dbPasswordAccount()
	if account == "" {
		return
	}
	t := f.T(nil)
	fmt.Fprint(f.IO.ErrOut, t.T("console.dbpw.keep", dbPasswordService, account))
	if !yes(readLine(f.IO.In), t.Lang()) {
		return
	}
	if _, err := keepDBPassword(pw); err != nil {
		fmt.Fprintln(f.IO.ErrOut, t.T("console.dbpw.notkept", inert(err.Error())))
		return
	}
	fmt.Fprintln(f.IO.ErrOut, t.T("console.dbpw.kept", dbPasswordService, account))
}

// dbPasswordAccount is the keyring account ("user@host") the ledger last
// asked a password for; "" when the URL, PGPASSWORD or .pgpass gave one.
func dbPasswordAccount() string {
	typedDBPassword.mu.Lock()
	defer typedDBPassword.mu.Unlock()
	return typedDBPassword.account
}

// useTypedDBPassword makes pw the password the next ledger opens are given
// before the keyring is asked, and forgets which account was last asked
// about; it returns what to put back (restoreTypedDBPassword) when pw
// turns out not to be the one.
func useTypedDBPassword(pw string) (previous string) {
	typedDBPassword.mu.Lock()
	defer typedDBPassword.mu.Unlock()
	previous = typedDBPassword.pw
	typedDBPassword.pw, typedDBPassword.account = pw, ""
	return previous
}

func restoreTypedDBPassword(pw string) {
	typedDBPassword.mu.Lock()
	typedDBPassword.pw = pw
	typedDBPassword.mu.Unlock()
}

// keepDBPassword keeps pw in the OS keyring (service coolpay-db) under the
// account the ledger asked a password for, and returns that account ("":
// nothing asked, nothing kept). A keyring that does not answer within 3 s
// counts as refusing.
func keepDBPassword(pw string) (string, error) {
	account := dbPasswordAccount()
	if account == "" || pw == "" {
		return "", nil
	}
	done := make(chan error, 1)
	go func() { done <- keyring.Set(dbPasswordService, account, pw) }()
	select {
	case err := <-done:
		return account, err
	case <-time.After(3 * time.Second):
		return account, errors.New("the keyring did not answer")
	}
}
