package store

import (
	bolt "go.etcd.io/bbolt"
)

// bumpChanges counts one more write transaction. Every write goes through
// DB.write, so a process that polls the counter learns of any other
// process's write without reading records.
func bumpChanges(tx *bolt.Tx) error {
	meta := tx.Bucket(bMeta)
	if meta == nil { // a fresh file before its first migration
		return nil
	}
	return meta.Put(kChanges, u64(getU64(meta, kChanges)+1))
}

// Changes returns the ledger's change counter: the number of write
// transactions any process has committed. It only reads the meta bucket, so
// polling it every half second costs microseconds; when it differs from the
// last value seen, something in the ledger changed (see ChangedSince).
func (db *DB) Changes() (n uint64, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		n = getU64(tx.Bucket(bMeta), kChanges)
		return nil
	})
	return n, err
}
