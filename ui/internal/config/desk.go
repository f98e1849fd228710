package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/coolpay/coolpay/store"
)

// EnvDeskFile names the file that keeps this desk's own settings when the
// ledger is shared (tests, or two tills on one computer account).
const EnvDeskFile = "COOLPAY_DESK_FILE"

// maxDeskFile bounds what is read from the desk file: a handful of short
// settings, never megabytes.
const maxDeskFile = 64 << 10

// DeskPath is the file that keeps this desk's own settings on a shared
// ledger: COOLPAY_DESK_FILE, else desk-settings.json in coolpay's directory under
// the user's configuration directory (~/.config/coolpay on Linux).
func DeskPath(getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if p := getenv(EnvDeskFile); p != "" {
		return filepath.Clean(p), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding this desk's settings file: %w (set %s)", err, EnvDeskFile)
	}
	return filepath.Join(dir, "coolpay", "desk-settings.json"), nil
}

// AttachDesk makes db keep the desk's own settings (Scope Desk) in the
// desk file when db is a ledger several desks share; the merchant's stay in
// the ledger. On a ledger file the file is the desk's own and keeps them,
// all but one: the ledger this desk opens (Ledger), read before any ledger
// is open, lives in the desk file whatever the engine. Every read and write
// of a setting goes through db (store.DB.KeepLocal), so no caller can store
// a desk's setting in the shared ledger.
func AttachDesk(db *store.DB, getenv func(string) string) error {
	if db == nil {
		return nil
	}
	p, err := DeskPath(getenv)
	if err != nil {
		if !db.Shared() {
			return nil // no configuration directory: no remembered ledger either
		}
		return err
	}
	db.KeepLocal(&DeskFile{Path: p, ledgerOnly: !db.Shared()})
	return nil
}

// DeskFile keeps a desk's own settings as a small JSON object, written
// whole to a temporary file and renamed over the old one (never half
// written), readable by its owner only. Two processes of the same desk
// setting values at the same instant: the last one written wins.
type DeskFile struct {
	Path string
	mu   sync.Mutex
	// ledgerOnly: beside a ledger file, which keeps the desk's other
	// settings, the file keeps only Ledger.
	ledgerOnly bool
}

// Keeps is true for the desk's own settings (beside a ledger file: Ledger
// alone).
func (f *DeskFile) Keeps(key string) bool {
	if f.ledgerOnly {
		return key == string(Ledger)
	}
	d, ok := Lookup(key)
	return ok && d.Scope == Desk
}

// Get is the value kept for key.
func (f *DeskFile) Get(key string) (string, bool, error) {
	m, err := f.All()
	if err != nil {
		return "", false, err
	}
	v, ok := m[key]
	return v, ok, nil
}

// All reads every value the desk keeps (none when the file is not there
// yet).
func (f *DeskFile) All() (map[string]string, error) {
	m := map[string]string{}
	fh, err := os.Open(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("this desk's settings: %w", err)
	}
	defer fh.Close()
	raw, err := io.ReadAll(io.LimitReader(fh, maxDeskFile+1))
	if err != nil {
		return nil, fmt.Errorf("this desk's settings: %w", err)
	}
	if len(raw) > maxDeskFile {
		return nil, fmt.Errorf("this desk's settings: %s is too large", f.Path)
	}
	if len(raw) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("this desk's settings: %s is damaged: remove it to start afresh", f.Path)
	}
	return m, nil
}

// Set stores value under key ("" removes it).
func (f *DeskFile) Set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.All()
	if err != nil {
		return err
	}
	if value == "" {
		if _, ok := m[key]; !ok {
			return nil
		}
		delete(m, key)
	} else {
		m[key] = value
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := writeAtomic(f.Path, append(raw, '\n')); err != nil {
		return fmt.Errorf("saving this desk's settings: %w", err)
	}
	return nil
}

// writeAtomic replaces path by data: a temporary file beside it (0600),
// synced, then renamed, so a reader sees the old file or the new one.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".desk-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename: already gone
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
