package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/coolpay/coolpay/store/filelock"
)

// ErrInUse: Compact refuses a ledger that another live process has open
// (it holds an owner lock file beside the ledger).
var ErrInUse = errors.New("the ledger is in use by another coolpay process")

// ErrNotAFile: Compact is for a ledger file; a PostgreSQL database
// reclaims its space itself (autovacuum).
var ErrNotAFile = errors.New("the ledger is a database, not a file")

// Compact rewrites the ledger at path densely (bbolt's Compact into a
// temporary file beside it, synced, then renamed over it) and returns the
// sizes before and after. It holds bbolt's exclusive lock on the ledger for
// the whole copy, and refuses while any other process holds an owner lock on
// it. A crash before the rename leaves the original untouched (the temporary
// file is removed on any error).
func Compact(path string) (before, after int64, err error) {
	if IsURL(path) {
		return 0, 0, ErrNotAFile
	}
	if err := ownersLive(path); err != nil {
		return 0, 0, err
	}
	src, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: defaultCompactTimeout, OpenFile: func(name string, flag int, perm os.FileMode) (*os.File, error) {
		return os.OpenFile(name, flag&^os.O_CREATE, perm)
	}})
	if err != nil {
		return 0, 0, fmt.Errorf("ledger %s: %w", path, err)
	}
	defer src.Close()
	// Checked again under the lock: an owner may have appeared meanwhile.
	if err := ownersLive(path); err != nil {
		return 0, 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	before = fi.Size()
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact")
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, fi.Mode().Perm(), &bolt.Options{NoSync: true})
	if err != nil {
		return 0, 0, fmt.Errorf("ledger %s: compact: %w", path, err)
	}
	ok := false
	defer func() {
		if !ok {
			dst.Close()
			os.Remove(tmp)
		}
	}()
	if err := bolt.Compact(dst, src, 64<<20); err != nil {
		return 0, 0, fmt.Errorf("ledger %s: compact: %w", path, err)
	}
	if err := dst.Sync(); err != nil {
		return 0, 0, fmt.Errorf("ledger %s: compact: %w", path, err)
	}
	if err := dst.Close(); err != nil {
		return 0, 0, fmt.Errorf("ledger %s: compact: %w", path, err)
	}
	ok = true
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return 0, 0, fmt.Errorf("ledger %s: compact: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	fi, err = os.Stat(path)
	if err != nil {
		return before, 0, err
	}
	return before, fi.Size(), nil
}

const defaultCompactTimeout = 2e9 // 2 s

// ownersLive returns ErrInUse when a process holds an owner lock beside the
// ledger at path.
func ownersLive(path string) error {
	entries, _ := os.ReadDir(filepath.Dir(path))
	prefix := "." + filepath.Base(path) + ".owner-"
	for _, e := range entries {
		tok, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !ownerRE().MatchString(tok) {
			continue
		}
		if held, _ := filelock.Held(filepath.Join(filepath.Dir(path), e.Name())); held {
			return fmt.Errorf("%s: %w", path, ErrInUse)
		}
	}
	return nil
}
