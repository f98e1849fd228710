package store

import (
	"encoding/binary"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// The change counter and the change log let a process learn, cheaply, what
// other processes wrote. Every write transaction adds one to meta/changes
// and, in the same transaction, puts an entry in the changes bucket under
// that number: one flag byte (changeSettings, changeAll) and the 8-byte ids
// of the records it wrote. Only the last changeLogKeep entries are kept.
const (
	changeLogKeep = 4096
	// changeMaxIDs: a transaction writing more records than this (seeding,
	// imports, migrations) logs changeAll instead of the ids.
	changeMaxIDs = 256

	changeSettings = 1 << 0
	changeAll      = 1 << 1
)

// txLog collects what one write transaction changed.
type txLog struct {
	ids      []uint64
	settings bool
	all      bool
}

func (l *txLog) add(id uint64) {
	if l.all {
		return
	}
	if len(l.ids) == changeMaxIDs {
		l.all, l.ids = true, nil
		return
	}
	l.ids = append(l.ids, id)
}

// commit counts the transaction and logs it.
func (l *txLog) commit(tx *bolt.Tx) error {
	meta := tx.Bucket(bMeta)
	if meta == nil { // not a ledger (yet): the caller fails anyway
		return nil
	}
	n := getU64(meta, kChanges) + 1
	if err := meta.Put(kChanges, u64(n)); err != nil {
		return err
	}
	log := tx.Bucket(bChanges)
	if log == nil { // a migration to before the change log
		return nil
	}
	var flags byte
	if l.settings {
		flags |= changeSettings
	}
	if l.all {
		flags |= changeAll
	}
	v := make([]byte, 1, 1+8*len(l.ids))
	v[0] = flags
	for _, id := range l.ids {
		v = binary.BigEndian.AppendUint64(v, id)
	}
	if err := log.Put(u64(n), v); err != nil {
		return err
	}
	if n > changeLogKeep {
		return log.Delete(u64(n - changeLogKeep))
	}
	return nil
}

// Changes returns the ledger's change counter: the number of write
// transactions any process has committed. It only reads the meta bucket, so
// polling it every half second costs microseconds; when it differs from the
// last value seen, something in the ledger changed (see ChangedSince).
func (db *DB) Changes() (n uint64, err error) {
	if db.pg != nil {
		return db.pg.changes()
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		n = getU64(tx.Bucket(bMeta), kChanges)
		return nil
	})
	return n, err
}

// ChangeSet is what ChangedSince found.
type ChangeSet struct {
	Now      uint64   // the counter now: the n to pass next time
	IDs      []uint64 // records created or changed since n, each once, ascending
	Settings bool     // a setting changed
	// All: the log cannot say exactly what changed (it no longer reaches
	// back to n, or a bulk write or migration happened): re-read whatever
	// is shown.
	All bool
}

// ChangedSince tells what other writers (and this process) changed after
// the counter was n: a console polls Changes every half second and, when
// it moved, asks ChangedSince which records to re-read. One read of the
// change log, no record is decoded.
func (db *DB) ChangedSince(n uint64) (cs ChangeSet, err error) {
	if db.pg != nil {
		ctx, cancel := db.pg.ctx()
		defer cancel()
		cs, err = db.pg.changedSince(ctx, db.pg.pool, n)
		return cs, db.pg.wrap("reading changes", err)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		cs = changedSince(tx, n)
		return nil
	})
	return cs, err
}

// changedSince is ChangedSince inside a read transaction.
func changedSince(tx *bolt.Tx, n uint64) ChangeSet {
	cs := ChangeSet{Now: getU64(tx.Bucket(bMeta), kChanges)}
	switch {
	case cs.Now == n:
		return cs
	case cs.Now < n: // another ledger now sits at this path
		cs.All = true
		return cs
	}
	c := tx.Bucket(bChanges).Cursor()
	k, v := c.Seek(u64(n + 1))
	if k == nil || binary.BigEndian.Uint64(k) != n+1 {
		cs.All = true
		return cs
	}
	for ; k != nil; k, v = c.Next() {
		if len(v) == 0 || (len(v)-1)%8 != 0 {
			cs.All = true
			continue
		}
		cs.Settings = cs.Settings || v[0]&changeSettings != 0
		cs.All = cs.All || v[0]&changeAll != 0
		for i := 1; i < len(v); i += 8 {
			cs.IDs = append(cs.IDs, binary.BigEndian.Uint64(v[i:]))
		}
	}
	slices.Sort(cs.IDs)
	cs.IDs = slices.Compact(cs.IDs)
	return cs
}
