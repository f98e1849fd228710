package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// ledgerRig is a first-run screen whose ledger field works as ui/cli's
// console makes it work: a ledger opened as --db would (a missing
// directory refused, a missing ledger created only when asked), this
// desk's settings in its own file, a typed database password handed to
// the ledger.
type ledgerRig struct {
	t     *testing.T
	db    *store.DB // the ledger the console opened
	path  string
	desk  string // this desk's settings file
	h     *harness
	mu    sync.Mutex
	kept  []string // database passwords kept "in the keyring"
	opens int
}

func newLedgerRig(t *testing.T, from config.Source) *ledgerRig {
	t.Helper()
	r := &ledgerRig{t: t, desk: filepath.Join(t.TempDir(), "desk-settings.json")}
	r.path = filepath.Join(t.TempDir(), "ledger.db")
	db, err := r.open(r.path, "", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	connect, _, _ := sandboxAPI(t, db)
	lo := LedgerOptions{Location: r.path, From: from, Open: r.open, Default: "/nowhere/default/ledger.db",
		KeepPassword: func(pw string) (string, error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.kept = append(r.kept, pw)
			return "coolpay@127.0.0.1", nil
		}}
	r.h = newHarness(t, offline(db), Options{NeedSetup: true, Connect: connect, Ledger: lo})
	r.h.send(tea.WindowSizeMsg{Width: 110, Height: 40})
	return r
}

func (r *ledgerRig) getenv(k string) string {
	return map[string]string{config.EnvDeskFile: r.desk}[k]
}

// open is ui/cli's LedgerOptions.Open in miniature.
func (r *ledgerRig) open(loc, pw string, create bool) (*store.DB, error) {
	r.mu.Lock()
	r.opens++
	r.mu.Unlock()
	if !store.IsURL(loc) {
		if st, err := os.Stat(filepath.Dir(loc)); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("%w: %s", fs.ErrNotExist, filepath.Dir(loc))
		}
		if _, err := os.Stat(loc); err != nil && !create {
			return nil, fmt.Errorf("no ledger at %s: %w", loc, store.ErrNoLedger)
		}
	}
	store.SetPasswordSource(func(user, host string) (string, error) { return pw, nil })
	if store.IsURL(loc) && !create {
		probe, err := store.Open(loc, store.Options{ReadOnly: true})
		if err == nil {
			probe.Close()
		} else if errors.Is(err, store.ErrNoLedger) {
			return nil, err
		}
	}
	db, err := store.Open(loc, store.Options{NoSync: true})
	if err != nil {
		if strings.Contains(err.Error(), "28P01") || strings.Contains(err.Error(), "password authentication failed") {
			return nil, fmt.Errorf("%w: %v", ErrLedgerPassword, err)
		}
		return nil, err
	}
	if err := config.AttachDesk(db, r.getenv); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// fillKeys types the sandbox's keys and the given API address.
func (r *ledgerRig) fillKeys(base string) {
	h := r.h
	h.typeText(client.SandboxPublicKey)
	h.keys("tab")
	h.typeText(sandbox.DefaultPrivateKey)
	h.keys("tab")
	for range client.DefaultBaseURL {
		h.keys("backspace")
	}
	h.typeText(base)
}

// typeLedger replaces the ledger field's text.
func (r *ledgerRig) typeLedger(v string) {
	r.h.m.setup.setFocus(setupLedger)
	r.h.m.setup.inputs[setupLedger].SetValue("")
	r.h.typeText(v)
}

func (r *ledgerRig) remembered() string {
	v, _, err := (&config.DeskFile{Path: r.desk}).Get(string(config.Ledger))
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

func settingOf(t *testing.T, loc, k string) string {
	t.Helper()
	db, err := store.Open(loc, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, _, err := db.Setting(k)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func sandboxBase(t *testing.T) string {
	_, _, base := sandboxAPI(t, nil)
	return base
}

// TestSetupLedgerLeftAloneSavesWhereItDidBefore: with the ledger field as
// it started, the keys go to the ledger the console opened, nothing is
// remembered for the desk and the console opens as before (no restart).
func TestSetupLedgerLeftAloneSavesWhereItDidBefore(t *testing.T) {
	r := newLedgerRig(t, config.FromDefault)
	if v := r.h.m.View(); !strings.Contains(v, "Ledger") || !strings.Contains(v, r.path) || !strings.Contains(v, "postgres:// URL") {
		t.Fatalf("the ledger field does not show the ledger in use:\n%s", v)
	}
	r.fillKeys(sandboxBase(t))
	r.h.keys("enter")
	if v, _, _ := r.db.Setting("public_key"); v != client.SandboxPublicKey {
		t.Fatalf("public key in the ledger: %q\n%s", v, r.h.m.View())
	}
	if r.opens != 1 {
		t.Fatalf("the unchanged ledger was opened again (%d opens)", r.opens)
	}
	if _, err := os.Stat(r.desk); !os.IsNotExist(err) {
		t.Fatalf("a desk file was written: %v", err)
	}
	r.h.keys("enter")
	if r.h.m.InSetup() || r.h.m.SwitchLedger() || r.h.quit {
		t.Fatalf("in setup %v, switch %v, quit %v", r.h.m.InSetup(), r.h.m.SwitchLedger(), r.h.quit)
	}
}

// TestSetupLedgerSwitchesToAnotherFile: a new file path is asked about
// first (a typo is no new ledger), created on the second enter, receives
// the keys (the first ledger none), is remembered by the desk, and leaving
// the screen ends the program for the console to reopen on it.
func TestSetupLedgerSwitchesToAnotherFile(t *testing.T) {
	r := newLedgerRig(t, config.FromDefault)
	second := filepath.Join(t.TempDir(), "shop.db")
	r.fillKeys(sandboxBase(t))
	r.typeLedger(second)
	r.h.keys("enter")
	v := r.h.m.View()
	if !strings.Contains(v, "no ledger at "+second+" yet") {
		t.Fatalf("a missing ledger is not asked about:\n%s", v)
	}
	if _, err := os.Stat(second); !os.IsNotExist(err) || r.remembered() != "" {
		t.Fatalf("something was created or remembered before the answer: %v %q", err, r.remembered())
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" {
		t.Fatalf("the keys went to the first ledger: %q", p)
	}
	r.h.keys("enter")
	v = strings.Join(strings.Fields(r.h.m.View()), " ")
	if !strings.Contains(v, "this desk opens it from now on") || !strings.Contains(v, "1 000 000") {
		t.Fatalf("the switch is not said, or the keys not checked:\n%s", v)
	}
	if got := settingOf(t, second, "public_key"); got != client.SandboxPublicKey {
		t.Fatalf("public key in the new ledger: %q", got)
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" {
		t.Fatalf("the keys went to the first ledger too: %q", p)
	}
	if r.remembered() != second {
		t.Fatalf("the desk remembers %q, want %q", r.remembered(), second)
	}
	if p, from, err := config.LedgerFrom("", r.getenv); p != second || from != config.FromLedger || err != nil {
		t.Fatalf("the next start opens %q (%s, %v)", p, from, err)
	}
	r.h.keys("enter")
	if !r.h.quit || !r.h.m.SwitchLedger() {
		t.Fatalf("leaving the screen does not reopen on the new ledger: quit %v switch %v", r.h.quit, r.h.m.SwitchLedger())
	}
}

// TestSetupLedgerRefusalsSaveNothing: a missing directory, a relative
// path made absolute, a remote database without TLS: each is said under
// the field and nothing is saved anywhere.
func TestSetupLedgerRefusalsSaveNothing(t *testing.T) {
	r := newLedgerRig(t, config.FromDefault)
	base := sandboxBase(t)
	r.fillKeys(base)
	missing := filepath.Join(t.TempDir(), "no-such-dir", "shop.db")
	r.typeLedger(missing)
	r.h.keys("enter", "enter")
	if v := r.h.m.View(); !strings.Contains(v, "no directory "+filepath.Dir(missing)) {
		t.Fatalf("missing directory:\n%s", v)
	}
	r.typeLedger("postgres://coolpay:s3cretPW@db.example.com/coolpay")
	r.h.keys("enter")
	v := r.h.m.View()
	if !strings.Contains(v, "without TLS") || !strings.Contains(v, "sslmode=verify-full") || strings.Contains(v, "s3cretPW") {
		t.Fatalf("a remote database without TLS is not refused in the store's words:\n%s", v)
	}
	if !r.h.m.setup.shown(setupDBPassword) || !strings.Contains(v, "Database password") {
		t.Fatalf("no database password field for a URL:\n%s", v)
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" || r.remembered() != "" || len(r.kept) != 0 {
		t.Fatalf("saved after a refusal: key %q, remembered %q, kept %v", p, r.remembered(), r.kept)
	}
	// A relative path is made absolute: the desk remembers it wherever
	// coolpay starts from.
	dir := t.TempDir()
	t.Chdir(dir)
	r.typeLedger("rel.db")
	r.h.keys("enter", "enter")
	if want := filepath.Join(dir, "rel.db"); r.remembered() != want {
		t.Fatalf("remembered %q, want %q\n%s", r.remembered(), want, r.h.m.View())
	}
}

// TestSetupLedgerFromFlagIsNotChangedHere: a ledger --db named is shown
// with where it came from; changing it is refused (--db would win at every
// start), and nothing is saved.
func TestSetupLedgerFromFlagIsNotChangedHere(t *testing.T) {
	r := newLedgerRig(t, config.FromFlag)
	if v := r.h.m.View(); !strings.Contains(v, "from --db") {
		t.Fatalf("where the ledger came from is not said:\n%s", v)
	}
	r.fillKeys(sandboxBase(t))
	r.typeLedger(filepath.Join(t.TempDir(), "other.db"))
	r.h.keys("enter")
	if v := r.h.m.View(); !strings.Contains(v, "--db chose the ledger for this run") {
		t.Fatalf("a change to a --db ledger is not refused:\n%s", v)
	}
	if p, _, _ := r.db.Setting("public_key"); p != "" || r.remembered() != "" || r.opens != 1 {
		t.Fatalf("saved: key %q, remembered %q, %d opens", p, r.remembered(), r.opens)
	}
}

// TestSetupLedgerShownWithoutPassword: a PostgreSQL URL with a password
// (COOLPAY_DB may hold one) is shown without it, and inert.
func TestSetupLedgerShownWithoutPassword(t *testing.T) {
	db := openDB(t)
	lo := LedgerOptions{Location: "postgres://coolpay:s3cretPW@127.0.0.1/shop\x1b[2J?sslmode=disable", From: config.FromEnv,
		Open: func(string, string, bool) (*store.DB, error) { return nil, errors.New("not here") }}
	h := newHarness(t, offline(db), Options{NeedSetup: true, Ledger: lo})
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	v := h.m.View()
	if strings.Contains(v, "s3cretPW") || strings.Contains(v, "\x1b[2J") || !strings.Contains(v, "from COOLPAY_DB") {
		t.Fatalf("the ledger's URL is not shown redacted and inert:\n%q", v)
	}
}
