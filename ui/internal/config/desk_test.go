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

// On a ledger file AttachDesk changes nothing: the file is the desk's own.
func TestAttachDeskLeavesALedgerFileAlone(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk := filepath.Join(dir, "desk-settings.json")
	if err := AttachDesk(db, func(k string) string { return map[string]string{EnvDeskFile: desk}[k] }); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(string(Cashier), "Awa"); err != nil {
		t.Fatal(err)
	}
	if db.Local() != nil || Load(db, Inputs{}).DeskFile() != "" {
		t.Fatal("a ledger file got a desk file")
	}
	if _, err := os.Stat(desk); !os.IsNotExist(err) {
		t.Fatalf("desk file written beside a ledger file: %v", err)
	}
}
