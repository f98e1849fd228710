package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
)

// A desk file routed under a real ledger file: the desk's keys are read
// from and written to the file only, the merchant's to the ledger only,
// unset removes from the file, and the file is the owner's alone.
func TestDeskFileKeepsOnlyDeskSettings(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetSetting(string(Cashier), "Ledger Name"); err != nil { // before: in the ledger
		t.Fatal(err)
	}
	f := &DeskFile{Path: filepath.Join(dir, "sub", "desk-settings.json")}
	db.KeepLocal(f)

	s := Load(db, Inputs{Getenv: func(string) string { return "" }})
	if s.String(Cashier) != "" {
		t.Fatalf("a desk key stored in the ledger is read on a desk that keeps its own: %q", s.String(Cashier))
	}
	for k, v := range map[Key]string{Cashier: "Awa", Theme: "dark", CSVFormat: "fr", Lang: "fr"} {
		if err := s.Set(db, k, v); err != nil {
			t.Fatal(k, err)
		}
	}
	if err := s.Set(db, Lang, ""); err != nil {
		t.Fatal(err)
	}
	local, err := f.All()
	if err != nil || len(local) != 2 || local["cashier"] != "Awa" || local["theme"] != "dark" {
		t.Fatalf("the desk file holds %v, %v", local, err)
	}
	db.KeepLocal(nil) // the ledger alone, as another desk sees it
	ledger, err := db.Settings()
	if err != nil || ledger["csv_format"] != "fr" || ledger["cashier"] != "Ledger Name" || ledger["theme"] != "" {
		t.Fatalf("the ledger holds %v, %v", ledger, err)
	}
	db.KeepLocal(f)
	s = Load(db, Inputs{})
	if s.String(Cashier) != "Awa" || s.String(CSVFormat) != "fr" || s.String(Theme) != "dark" {
		t.Fatalf("merged: cashier %q csv %q theme %q", s.String(Cashier), s.String(CSVFormat), s.String(Theme))
	}
	st, err := os.Stat(f.Path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("desk file: %v %v", st, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sub", ".desk-*"))
	if len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// A damaged desk file is an error naming the file, never silently empty
// (the next write would throw away every other desk setting), and the
// private key is refused before any desk file is written.
func TestDeskFileDamagedAndSecrets(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	f := &DeskFile{Path: filepath.Join(dir, "desk-settings.json")}
	db.KeepLocal(f)
	if err := db.SetSetting("private_key", "x"); err == nil {
		t.Fatal("a private key was accepted")
	}
	if _, err := os.Stat(f.Path); !os.IsNotExist(err) {
		t.Fatalf("desk file written for a refused key: %v", err)
	}
	os.WriteFile(f.Path, []byte("{not json"), 0o600)
	if _, _, err := db.Setting(string(Cashier)); err == nil || !strings.Contains(err.Error(), f.Path) {
		t.Fatalf("damaged desk file: %v", err)
	}
	if err := db.SetSetting(string(Theme), "dark"); err == nil {
		t.Fatal("a damaged desk file was overwritten")
	}
	if s := Load(db, Inputs{}); s.ReadErr() == nil {
		t.Fatal("Load hides a damaged desk file")
	}
}

// On a ledger file AttachDesk keeps the desk's settings in the file, as
// before, all but the ledger this desk opens: that one is in the desk
// file, read before any ledger is open.
func TestAttachDeskLeavesALedgerFileAlone(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk := filepath.Join(dir, "desk-settings.json")
	getenv := func(k string) string { return map[string]string{EnvDeskFile: desk}[k] }
	if err := AttachDesk(db, getenv); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(string(Cashier), "Awa"); err != nil {
		t.Fatal(err)
	}
	if Load(db, Inputs{}).DeskFile() != "" {
		t.Fatal("a ledger file is said to keep its desk settings elsewhere")
	}
	if _, err := os.Stat(desk); !os.IsNotExist(err) {
		t.Fatalf("desk file written beside a ledger file: %v", err)
	}
	other := filepath.Join(dir, "other.db")
	if err := db.SetSetting(string(Ledger), other); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(desk)
	if err != nil || !strings.Contains(string(raw), `"ledger"`) || strings.Contains(string(raw), "Awa") {
		t.Fatalf("desk file %q, %v: want the ledger alone", raw, err)
	}
	db.KeepLocal(nil)
	if v, _, _ := db.Setting(string(Ledger)); v != "" {
		t.Fatalf("the ledger file holds the desk's ledger: %q", v)
	}
	if p, from, err := LedgerFrom("", getenv); p != other || from != FromLedger || err != nil {
		t.Fatalf("LedgerFrom = %q %q %v, want the remembered %q", p, from, err, other)
	}
}

// TestLedgerPrecedence: --db, then COOLPAY_DB, then the ledger this desk
// remembers, then the default file; a remembered value that is not valid
// stops with the desk file's name instead of opening another ledger.
func TestLedgerPrecedence(t *testing.T) {
	dir := t.TempDir()
	desk := filepath.Join(dir, "desk.json")
	env := map[string]string{EnvDeskFile: desk, "XDG_DATA_HOME": dir}
	getenv := func(k string) string { return env[k] }
	t.Setenv("XDG_DATA_HOME", dir)
	def, _ := store.DefaultPath()
	if p, from, err := LedgerFrom("", getenv); err != nil || from != FromDefault || p != filepath.Clean(def) {
		t.Fatalf("nothing: %q %q %v", p, from, err)
	}
	f := &DeskFile{Path: desk}
	remembered := "postgres://coolpay@127.0.0.1:5432/coolpay?sslmode=disable"
	if err := f.Set(string(Ledger), remembered); err != nil {
		t.Fatal(err)
	}
	if p, explicit, err := LedgerPath("", getenv); p != remembered || !explicit || err != nil {
		t.Fatalf("remembered: %q %v %v", p, explicit, err)
	}
	env[EnvDB] = "/env.db"
	if p, from, _ := LedgerFrom("", getenv); p != "/env.db" || from != FromEnv {
		t.Fatalf("env: %q %q", p, from)
	}
	if p, from, _ := LedgerFrom("/flag.db", getenv); p != "/flag.db" || from != FromFlag {
		t.Fatalf("flag: %q %q", p, from)
	}
	delete(env, EnvDB)
	if err := f.Set(string(Ledger), "relative.db"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LedgerFrom("", getenv); err == nil || !strings.Contains(err.Error(), desk) {
		t.Fatalf("an invalid remembered ledger: %v, want an error naming %s", err, desk)
	}
}

// TestCheckLedger: what a desk may remember as its ledger.
func TestCheckLedger(t *testing.T) {
	for v, ok := range map[string]bool{
		"/home/awa/shop.db": true,
		"shop.db":           false, // relative: would change with the directory
		"/tmp/a\x1b[2Jb.db": false,
		"postgres://coolpay@127.0.0.1/coolpay?sslmode=disable":         true,
		"postgresql://coolpay@db.shop.lan/coolpay?sslmode=verify-full": true,
		"postgres://coolpay:s3cret@127.0.0.1/coolpay":                  false,
		"postgres://coolpay@127.0.0.1/coolpay?password=s3cret":         false,
		"postgres://coolpay@db.shop.lan/coolpay":                       false, // prefer may go without TLS
		"postgres://coolpay@db.shop.lan:port/coolpay?sslmode=require":  false,
	} {
		err := Validate(Ledger, v)
		if (err == nil) != ok {
			t.Errorf("%q: %v, want ok=%v", v, err, ok)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: the password is in %v", v, err)
		}
	}
	if got := Show(Ledger, "postgres://coolpay:s3cret@127.0.0.1/coolpay?sslmode=disable"); got != "postgres://coolpay@127.0.0.1/coolpay?sslmode=disable" {
		t.Fatalf("Show: %q", got)
	}
}
