package store

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// maxCheckErrors bounds what Check reports: a badly damaged file can yield
// an error per page.
const maxCheckErrors = 10

// Check verifies the whole file in one read transaction and returns nil for
// a sound ledger, else an error wrapping ErrCorrupt that lists the first
// problems found. It reads every page, so it takes time on a large ledger.
//
// It walks every bucket, key and value first, in this goroutine, where a
// damaged page becomes an error (see protect); only then does it run
// bbolt's own check (every page reachable exactly once, the freelist in
// agreement). bbolt runs that check in a goroutine of its own, where an
// assertion on a damaged page would kill the process, so it is not run on
// a file the walk found damaged. A page the walk cannot reach (the
// freelist) can still crash bbolt's check: run Check in a process whose
// crash is an answer (coolpay doctor does).
//
// It is one read transaction, so it holds the shared lock for as long as it
// reads: on a large ledger, writers in other processes may give up with
// ErrLocked meanwhile (readers are not held up).
func (db *DB) Check() (err error) {
	if db.pg != nil {
		return db.pg.check()
	}
	defer db.protect(&err)()
	return db.view(func(tx *bolt.Tx) error {
		if err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return walkBucket(b)
		}); err != nil {
			return fmt.Errorf("ledger %s: %w: %w", db.path, ErrCorrupt, err)
		}
		var problems []error
		for e := range tx.Check() {
			// Drain the channel even past the bound: the checker's
			// goroutine ends only when it has sent everything.
			if len(problems) < maxCheckErrors {
				problems = append(problems, e)
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("ledger %s: %w: %w", db.path, ErrCorrupt, errors.Join(problems...))
		}
		return nil
	})
}

// walkBucket visits every key and value of b and its nested buckets, which
// makes bbolt read (and check the header of) every page they sit on.
func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			nested := b.Bucket(k)
			if nested == nil {
				return fmt.Errorf("key %x has no value and is not a bucket", k)
			}
			return walkBucket(nested)
		}
		return nil
	})
}
