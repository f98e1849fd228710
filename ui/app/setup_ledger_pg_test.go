package app

import (
	"net/url"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// TestSetupLedgerSwitchesToPostgreSQL: a postgres:// URL typed on the
// first-run screen, with its password in the masked field: a wrong
// password is said under that field and saves nothing; the right one
// creates coolpay's tables (after the "enter again" question), the keys
// land in the database, the desk remembers the URL without the password,
// and the password goes to the keyring, not to a file.
func TestSetupLedgerSwitchesToPostgreSQL(t *testing.T) {
	full := pgtest.URL(t)
	u, err := url.Parse(full)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	u.User = url.User(u.User.Username())
	bare := u.String()

	r := newLedgerRig(t, config.FromDefault)
	r.fillKeys(sandboxBase(t))
	r.typeLedger(bare)
	r.h.m.setup.setFocus(setupDBPassword)
	r.h.typeText("not-" + pw)
	r.h.keys("enter")
	v := strings.Join(strings.Fields(r.h.m.View()), " ")
	if !strings.Contains(v, "the database refused this password") || strings.Contains(v, pw) {
		t.Fatalf("a wrong password is not said under its field:\n%s", r.h.m.View())
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" || r.remembered() != "" || len(r.kept) != 0 {
		t.Fatalf("saved after a refused password: key %q, remembered %q, kept %v", p, r.remembered(), r.kept)
	}
	in := &r.h.m.setup.inputs[setupDBPassword]
	in.SetValue("")
	r.h.m.setup.setFocus(setupDBPassword)
	r.h.typeText(pw)
	r.h.keys("enter")
	if v := r.h.m.View(); !strings.Contains(v, "no coolpay ledger in the database") {
		t.Fatalf("an empty database is not asked about:\n%s", v)
	}
	r.h.keys("enter")
	v = strings.Join(strings.Fields(r.h.m.View()), " ")
	if !strings.Contains(v, "this desk opens it from now on") || !strings.Contains(v, "coolpay-db") || strings.Contains(v, pw) {
		t.Fatalf("the switch to PostgreSQL is not said (or shows the password):\n%s", r.h.m.View())
	}
	if got := settingOf(t, full, "public_key"); got != client.SandboxPublicKey {
		t.Fatalf("public key in the PostgreSQL ledger: %q", got)
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" {
		t.Fatalf("the keys went to the first ledger: %q", p)
	}
	if got := r.remembered(); got != bare {
		t.Fatalf("the desk remembers %q, want %q", got, bare)
	}
	if len(r.kept) != 1 || r.kept[0] != pw {
		t.Fatalf("the password kept for the next start: %v", r.kept)
	}
	// The database holds no desk setting: the desk's choice is its own.
	db, err := store.Open(full, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _, _ := db.Setting(string(config.Ledger)); v != "" {
		t.Fatalf("the shared database holds this desk's ledger: %q", v)
	}
}

// TestSetupLedgerUnreachableDatabaseSavesNothing: a database that does not
// answer is said under the ledger field in the store's words, and nothing
// is saved.
func TestSetupLedgerUnreachableDatabaseSavesNothing(t *testing.T) {
	r := newLedgerRig(t, config.FromDefault)
	r.fillKeys(sandboxBase(t))
	r.typeLedger("postgres://coolpay:s3cretPW@127.0.0.1:1/coolpay?sslmode=disable&connect_timeout=2")
	r.h.wait = 10e9
	r.h.keys("enter")
	v := strings.Join(strings.Fields(r.h.m.View()), " ")
	if !strings.Contains(v, "cannot be reached") || strings.Contains(v, "s3cretPW") {
		t.Fatalf("an unreachable database is not said (or shows the password):\n%s", r.h.m.View())
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" || r.remembered() != "" || len(r.kept) != 0 {
		t.Fatalf("saved: key %q, remembered %q, kept %v", p, r.remembered(), r.kept)
	}
}
