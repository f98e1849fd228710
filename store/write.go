package store

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

var errReadOnly = errors.New("ledger is open read-only")

// Create stores r as a new record: it assigns the ID, sets Created and
// Updated to now when zero and appends a "created" event. A NEW record
// without an Owner gets this process's (see Owner), so that another
// process's crash recovery leaves it alone while this one lives. It returns after
// bbolt's fsync (unless the ledger was opened with NoSync), so a caller may
// send a request once Create has returned. r is changed only on success.
func (db *DB) Create(r *Record) (err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return errReadOnly
	}
	n := *r
	if n.State == StateNew && n.Owner == "" {
		// Without a lock file (read-only directory, unsupported system)
		// the record is journaled anyway: recovery then treats it as it
		// did before owners existed.
		var oerr error
		n.Owner, oerr = db.Owner()
		if oerr != nil && db.pg != nil {
			// On a shared database an unowned NEW record is an orphan
			// to every other desk at once: they would mark it UNKNOWN
			// while this one sends it. Nothing is journaled, nothing
			// may be sent.
			return oerr
		}
	}
	db.stampNew(&n)
	if db.pg != nil {
		if err := db.pg.create(&n); err != nil {
			return err
		}
		*r = n
		return nil
	}
	err = db.update(func(tx *bolt.Tx, log *txLog) error {
		w := newWriter(tx, log)
		if err := w.insert(&n); err != nil {
			return err
		}
		return w.flush()
	})
	if err != nil {
		return fmt.Errorf("ledger %s: recording: %w", db.path, err)
	}
	*r = n
	return nil
}

// Update reads record id, lets fn change it and writes it back with its
// indexes, in one transaction; Updated is set to now. fn runs inside the
// write transaction: it must be quick and must not call the DB. Events are
// append-only: if fn drops or alters an earlier event, nothing is written and
// the error wraps ErrEventsRewritten. An error from fn is returned as is and
// nothing is written.
func (db *DB) Update(id uint64, fn func(r *Record) error) (out Record, err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return Record{}, errReadOnly
	}
	if db.pg != nil {
		return db.pg.update(id, fn)
	}
	err = db.update(func(tx *bolt.Tx, log *txLog) error {
		w := newWriter(tx, log)
		raw := w.records.Get(idKey(id))
		if raw == nil {
			return ErrNotFound
		}
		var old Record
		if err := decodeRecord(raw, &old); err != nil {
			return fmt.Errorf("record %d: %w", id, err)
		}
		old.ID = id
		cur, err := applyUpdate(id, old, fn, db.now)
		if err != nil {
			return err
		}
		if err := w.put(&old, &cur); err != nil {
			return err
		}
		out = cur
		return w.flush()
	})
	if err != nil {
		return Record{}, err
	}
	return out, nil
}

// applyUpdate runs an Update's fn on a copy of old, the record as stored,
// and checks what it did: the id cannot change and the events are
// append-only (ErrEventsRewritten). Updated is set to now. Both engines
// use it, so an update means the same on each.
func applyUpdate(id uint64, old Record, fn func(r *Record) error, now func() time.Time) (Record, error) {
	cur := old
	cur.Events = append([]Event(nil), old.Events...)
	if err := fn(&cur); err != nil {
		return Record{}, err
	}
	cur.ID = id
	if len(cur.Events) < len(old.Events) {
		return Record{}, fmt.Errorf("%w: record %d had %d events, the update left %d", ErrEventsRewritten, id, len(old.Events), len(cur.Events))
	}
	for i, e := range old.Events {
		c := cur.Events[i]
		if !c.At.Equal(e.At) || c.Kind != e.Kind || c.Detail != e.Detail {
			return Record{}, fmt.Errorf("%w: record %d event %d (%s) was changed", ErrEventsRewritten, id, i, e.Kind)
		}
	}
	cur.Updated = now()
	return cur, nil
}

// insertBatch is how many records Insert writes per transaction.
const insertBatch = 10000

// Insert appends records in bulk (seeding, imports), a transaction per
// insertBatch records. Each gets a fresh ID (written back into recs);
// Created and Updated default to now; no event is added.
func (db *DB) Insert(recs []Record) (err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return errReadOnly
	}
	now := db.now()
	if db.pg != nil {
		return db.pg.insert(recs, now)
	}
	for start := 0; start < len(recs); start += insertBatch {
		batch := recs[start:min(start+insertBatch, len(recs))]
		err := db.write(false, true, func(tx *bolt.Tx, log *txLog) error {
			w := newWriter(tx, log)
			for i := range batch {
				r := &batch[i]
				stampTimes(r, now)
				if err := w.insert(r); err != nil {
					return err
				}
			}
			return w.flush()
		})
		if err != nil {
			for i := range batch {
				batch[i].ID = 0
			}
			return fmt.Errorf("ledger %s: inserting: %w", db.path, err)
		}
	}
	return nil
}

// Get returns record id, or an error wrapping ErrNotFound.
func (db *DB) Get(id uint64) (r Record, err error) {
	if db.pg != nil {
		return db.pg.get(id)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		return getRecord(tx.Bucket(bRecords), id, &r)
	})
	return r, err
}

func getRecord(records *bolt.Bucket, id uint64, r *Record) error {
	raw := records.Get(idKey(id))
	if raw == nil {
		return fmt.Errorf("record %d: %w", id, ErrNotFound)
	}
	if err := decodeRecord(raw, r); err != nil {
		return fmt.Errorf("record %d: %w", id, err)
	}
	r.ID = id
	return nil
}

// ByTransactionRef returns the record with that transaction_ref (the newest
// if, against the API's promise, two share it).
func (db *DB) ByTransactionRef(ref string) (Record, error) {
	if db.pg != nil {
		return db.pg.byRef("tx_ref", ref)
	}
	return db.byRef(ixTxRef, ref)
}

// stampNew readies a copy of a record for its first write: Created (and
// Updated) now when zero, and a "created" event after the caller's own. The
// events are copied so the caller's record stays untouched until success.
func (db *DB) stampNew(n *Record) {
	if n.Created.IsZero() {
		n.Created = db.now()
	}
	if n.Updated.IsZero() {
		n.Updated = n.Created
	}
	n.Events = append(append([]Event(nil), n.Events...), Event{At: n.Created, Kind: EvCreated})
}

// ByAppRef returns the record with that app_transaction_ref.
func (db *DB) ByAppRef(ref string) (Record, error) {
	if db.pg != nil {
		return db.pg.byRef("app_ref", ref)
	}
	return db.byRef(ixAppRef, ref)
}

func (db *DB) byRef(ix *index, ref string) (r Record, err error) {
	defer db.protect(&err)()
	if ref == "" {
		return Record{}, fmt.Errorf("empty reference: %w", ErrNotFound)
	}
	err = db.view(func(tx *bolt.Tx) error {
		var found bool
		r, found, err = findByRef(tx, ix, ref)
		if err == nil && !found {
			err = fmt.Errorf("reference %q: %w", ref, ErrNotFound)
		}
		return err
	})
	return r, err
}

// findByRef finds, in tx, the newest record whose value in ix is ref.
func findByRef(tx *bolt.Tx, ix *index, ref string) (r Record, found bool, err error) {
	err = newIndexSource(tx, ix, []string{ref}, math.MaxUint64, 1).eachRecord(func(c Record) bool {
		if ix.value(&c) == ref { // the txref index is keyed by a hash
			r, found = c, true
		}
		return !found
	})
	return r, found, err
}

// ByBatch returns the records of payout batch name, in line order (then id
// order), from the batch index: it reads only those records.
func (db *DB) ByBatch(name string) (recs []Record, err error) {
	defer db.protect(&err)()
	if name == "" {
		return nil, nil
	}
	if db.pg != nil {
		return db.pg.byBatch(name)
	}
	err = db.view(func(tx *bolt.Tx) error {
		return newIndexSource(tx, ixBatch, []string{name}, math.MaxUint64, 1).eachRecord(func(r Record) bool {
			if r.Batch == name {
				recs = append(recs, r)
			}
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("ledger %s: batch %q: %w", db.path, name, err)
	}
	slices.SortFunc(recs, func(a, b Record) int {
		if a.BatchLine != b.BatchLine {
			return cmp.Compare(a.BatchLine, b.BatchLine)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return recs, nil
}

// stampTimes gives a record inserted without times (Insert, on either
// engine) the time of the insert.
func stampTimes(r *Record, now time.Time) {
	if r.Created.IsZero() {
		r.Created = now
	}
	if r.Updated.IsZero() {
		r.Updated = r.Created
	}
}
