package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/coolpay/coolpay/store/filelock"
)

// Ownership of NEW records, for crash recovery across processes.
//
// A NEW record is journaled before its request leaves; if its process dies
// before the answer comes, the next start marks it UNKNOWN. With several
// processes on one ledger, "the next start" may be another console's while
// the first is still waiting for its answer. So each process that journals
// takes an owner token and holds, for as long as it has the ledger open, an
// exclusive lock on a small file beside the ledger named after the token
// (".ledger.db.owner-<pid>-<random>"); Create stamps the token on NEW
// records. A NEW record is orphaned when no process holds its owner's lock:
// the lock goes with the process however it ends, a reused pid does not
// matter (the token is random). The locks are store/filelock's, which works
// on every system Go supports; where the system has no file locks, or the
// lock file cannot be made (a read-only directory), records get no owner
// and are treated as before: orphaned at the next start.

// ownerRE is compiled on first use: every coolpay process links store, and
// `coolpay history` is timed as a whole process against sqlite3.
var ownerRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,10}-[0-9a-f]{16}$`) })

// queuePath is the file in front of the ledger's lock (see
// filelock.Queue): hidden beside it, like the owner tokens.
func (db *DB) queuePath() string {
	return filepath.Join(filepath.Dir(db.path), "."+filepath.Base(db.path)+".queue")
}

func (db *DB) ownerPath(token string) string {
	return filepath.Join(filepath.Dir(db.path), "."+filepath.Base(db.path)+".owner-"+token)
}

// Owner returns this DB's owner token, taking its lock file on first use
// (Create calls it for NEW records). It is released by Close.
func (db *DB) Owner() (string, error) {
	if db.pg != nil {
		return db.pg.ownerToken()
	}
	db.ownerMu.Lock()
	defer db.ownerMu.Unlock()
	if db.owner != "" {
		return db.owner, nil
	}
	if db.readOnly {
		return "", errReadOnly
	}
	var b [8]byte
	rand.Read(b[:])
	token := strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	l, err := filelock.Create(db.ownerPath(token))
	if err != nil {
		return "", fmt.Errorf("ledger %s: owner lock: %w", db.path, err)
	}
	db.owner, db.ownerLock = token, l
	db.sweepOwners()
	return token, nil
}

// releaseOwner drops the lock file: the process's NEW records are orphans
// from now on, as after a crash.
func (db *DB) releaseOwner() {
	db.ownerMu.Lock()
	defer db.ownerMu.Unlock()
	if db.ownerLock == nil {
		return
	}
	os.Remove(db.ownerPath(db.owner))
	db.ownerLock.Release()
	db.ownerLock, db.owner = nil, ""
}

// OwnerAlive reports whether the process that stamped owner on a record
// still holds its lock. An empty or malformed owner (a record from before
// owners, or a damaged one) is not alive; a stale lock file is removed.
func (db *DB) OwnerAlive(owner string) (bool, error) {
	if !ownerRE().MatchString(owner) {
		return false, nil
	}
	if db.pg != nil {
		return db.pg.ownerAlive(owner)
	}
	db.ownerMu.Lock()
	mine := owner == db.owner
	db.ownerMu.Unlock()
	if mine {
		return true, nil
	}
	return filelock.Held(db.ownerPath(owner))
}

// sweepOwners removes lock files that no process holds (left by crashes),
// so they do not pile up beside the ledger.
func (db *DB) sweepOwners() {
	// ReadDir rather than Glob: the ledger's own name may hold glob
	// metacharacters.
	entries, _ := os.ReadDir(filepath.Dir(db.path))
	prefix := filepath.Base(db.ownerPath(""))
	for _, e := range entries {
		if tok, ok := strings.CutPrefix(e.Name(), prefix); ok && ownerRE().MatchString(tok) && tok != db.owner {
			filelock.Held(db.ownerPath(tok))
		}
	}
}

// Orphaned returns the NEW records whose owner is gone: journaled by a
// process that ended (or closed the ledger) before their answer came. It
// reads only NEW records (the state index), so a start-up costs the same on
// a ledger of a million records; NEW records of live processes, this one
// included, are left out.
func (db *DB) Orphaned() (out []Record, err error) {
	if db.pg != nil {
		return db.pg.orphaned()
	}
	defer db.protect(&err)()
	var recs []Record
	err = db.view(func(tx *bolt.Tx) error {
		return newIndexSource(tx, ixState, []string{string(StateNew)}, math.MaxUint64, 1).eachRecord(func(r Record) bool {
			recs = append(recs, r)
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", db.path, err)
	}
	// The lock checks run outside the transaction: file system calls do
	// not belong under the ledger's lock.
	alive := map[string]bool{}
	for _, r := range recs {
		a, seen := alive[r.Owner]
		if !seen {
			if a, err = db.OwnerAlive(r.Owner); err != nil {
				return nil, fmt.Errorf("ledger %s: record %d: %w", db.path, r.ID, err)
			}
			alive[r.Owner] = a
		}
		if !a {
			out = append(out, r)
		}
	}
	return out, nil
}
