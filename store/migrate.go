package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"slices"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Bucket names. The layout a schema version implies is documented with the
// migration that introduced it.
var (
	bMeta     = []byte("meta")
	bRecords  = []byte("records")
	bSettings = []byte("settings")
	bStats    = []byte("stats")
	bChanges  = []byte("changes") // schema 3: the change log (changes.go)

	kSchema    = []byte("schema")     // uint64: schema version
	kCount     = []byte("count")      // uint64: number of records
	kReal      = []byte("real")       // uint64: records with Synthetic == false
	kMaxTime   = []byte("maxcreated") // uint64: largest Created seen (timeKey order)
	kMonotonic = []byte("monotonic")  // 1 while Created never went backwards with ID
	kChanges   = []byte("changes")    // uint64: write transactions so far (see DB.Changes)
)

// SchemaVersion is the layout this binary reads and writes.
const SchemaVersion = 6

// migration brings a file from version to-1 to version to, inside the
// single Update that Open runs.
type migration struct {
	to   uint64
	what string
	fn   func(tx *bolt.Tx) error
}

// migrations, in order. A fresh file is created at schema 1 and walked up
// through every step, so new files and old files end in the same layout and
// every migration runs on every fresh open in the tests.
//
// Honesty note: no released coolpay wrote a schema-1 file; it is the minimal
// layout (meta, records, settings) kept as the baseline so that the path from
// an older file is real and tested from the first release. Step 2 derives all
// secondary indexes and counters from the records, which is also how a later
// version would add an index.
var migrations = []migration{
	{to: 2, what: "secondary indexes and counters", fn: migrateIndexes},
	{to: 3, what: "change log", fn: migrateChangeLog},
	{to: 4, what: "batch index", fn: migrateBatchIndex},
	{to: 5, what: "customer look-up by phone and name", fn: migrateLookup},
	{to: 6, what: "shorter index keys", fn: migrateShortKeys},
}

// migrateShortKeys rewrites every index in schema 6's shorter keys (see
// index.go): ids in appendID's form, the refs and phones as hashPrefix,
// ix_state, ix_type and ix_operator as bitmaps. The
// keys are made from the records, not from the old keys, so it does not
// matter which form the earlier steps wrote. As in migrateLookup, each
// index's keys are gathered, sorted and appended into a new bucket, with
// full pages. A million records: about 10 million keys.
func migrateShortKeys(tx *bolt.Tx) error {
	all := append(append([]*index(nil), indexes...), ixPhone, ixName)
	keys := make([]keyArena, len(all))
	// A bitmap index's block under each value, filled while the records
	// (in id order) are in it.
	type block struct {
		n    uint64
		bits [bitmapBytes]byte
	}
	blocks := make([]map[string]*block, len(all))
	flush := func(i int, prefix string, b *block) {
		keys[i].add(appendID([]byte(prefix), b.n))
		keys[i].vals = append(keys[i].vals, b.bits[:]...)
	}
	c := tx.Bucket(bRecords).Cursor()
	var buf []byte
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r Record
		if err := decodeRecord(v, &r); err != nil {
			return fmt.Errorf("record %x: %w", k, err)
		}
		r.ID = binary.BigEndian.Uint64(k)
		for i, ix := range all {
			if ix.bitmap {
				val := ix.value(&r)
				if val == "" {
					continue
				}
				if blocks[i] == nil {
					blocks[i] = map[string]*block{}
				}
				p := string(ix.prefix(val))
				b := blocks[i][p]
				if b == nil {
					b = &block{n: r.ID >> bitmapShift}
					blocks[i][p] = b
				} else if b.n != r.ID>>bitmapShift {
					flush(i, p, b)
					*b = block{n: r.ID >> bitmapShift}
				}
				j := r.ID & (bitmapIDs - 1)
				b.bits[j>>3] |= 1 << (j & 7)
			} else if ix == ixName {
				for _, w := range nameWords(&r) {
					buf = appendID(append(append(buf[:0], w...), 0), r.ID)
					keys[i].add(buf)
				}
			} else if key := ix.key(&r); key != nil {
				keys[i].add(key)
			}
		}
	}
	for i := range all {
		for p, b := range blocks[i] {
			flush(i, p, b)
		}
	}
	for i, ix := range all {
		if err := tx.DeleteBucket(ix.name); err != nil && err != berrors.ErrBucketNotFound {
			return err
		}
		b, err := tx.CreateBucket(ix.name)
		if err != nil {
			return err
		}
		b.FillPercent = 1.0 // appended in order: full pages
		a := &keys[i]
		for _, j := range a.sorted() {
			var v []byte
			if ix.bitmap {
				v = a.vals[j*bitmapBytes : (j+1)*bitmapBytes]
			}
			if err := b.Put(a.key(j), v); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyArena holds many short keys in one allocation (bbolt keeps the key
// slices it is given until the commit), and for a bitmap index their
// values, bitmapBytes each.
type keyArena struct {
	buf      []byte
	ends     []int
	vals     []byte
	unsorted bool
}

func (a *keyArena) add(k []byte) {
	if n := len(a.ends); n > 0 && bytes.Compare(a.key(n-1), k) > 0 {
		a.unsorted = true
	}
	a.buf = append(a.buf, k...)
	a.ends = append(a.ends, len(a.buf))
}

func (a *keyArena) key(i int) []byte {
	start := 0
	if i > 0 {
		start = a.ends[i-1]
	}
	return a.buf[start:a.ends[i]:a.ends[i]]
}

// sorted returns the keys' positions in key order.
func (a *keyArena) sorted() []int {
	order := make([]int, len(a.ends))
	for i := range order {
		order[i] = i
	}
	if a.unsorted {
		slices.SortFunc(order, func(i, j int) int { return bytes.Compare(a.key(i), a.key(j)) })
	}
	return order
}

// migrateBatchIndex adds the (empty) batch index: no record written before
// schema 4 can carry a batch (the field came with codec version 2), so
// there is nothing to index and no need to read a million records.
func migrateBatchIndex(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(ixBatch.name)
	return err
}

// migrateChangeLog adds the change log (see changes.go); the counter starts
// where it is (0 on a file from before it).
func migrateChangeLog(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bChanges)
	return err
}

// createV1 writes the schema-1 baseline into an empty file.
func createV1(tx *bolt.Tx) error {
	for _, name := range [][]byte{bMeta, bRecords, bSettings} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bMeta).Put(kSchema, u64(1))
}

func migrateIndexes(tx *bolt.Tx) error {
	for _, ix := range indexes {
		if err := tx.DeleteBucket(ix.name); err != nil && err != berrors.ErrBucketNotFound {
			return err
		}
		if _, err := tx.CreateBucket(ix.name); err != nil {
			return err
		}
	}
	if err := tx.DeleteBucket(bStats); err != nil && err != berrors.ErrBucketNotFound {
		return err
	}
	if _, err := tx.CreateBucket(bStats); err != nil {
		return err
	}
	meta := tx.Bucket(bMeta)
	for _, k := range [][]byte{kCount, kReal, kMaxTime} {
		if err := meta.Put(k, u64(0)); err != nil {
			return err
		}
	}
	if err := meta.Put(kMonotonic, []byte{1}); err != nil {
		return err
	}
	w := newWriter(tx, &txLog{})
	c := tx.Bucket(bRecords).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r Record
		if err := decodeRecord(v, &r); err != nil {
			return fmt.Errorf("record %x: %w", k, err)
		}
		r.ID = binary.BigEndian.Uint64(k)
		if err := w.index(nil, &r); err != nil {
			return err
		}
	}
	return w.flush()
}

// prepare creates or migrates the file (read-write) or checks that it can be
// read as it is (read-only). An up-to-date ledger is only read, under the
// shared lock: starting a process does not stop the others, nor count as a
// change.
func (db *DB) prepare() (err error) {
	defer db.protect(&err)()
	fresh := true
	if info, err := os.Stat(db.path); err == nil && info.Size() > 0 {
		var v uint64
		err := db.view(func(tx *bolt.Tx) error {
			if db.readOnly {
				v = SchemaVersion
				return db.checkReadable(tx)
			}
			var err error
			v, fresh, err = db.schemaOf(tx)
			switch {
			case err != nil:
				return err
			case fresh:
				return nil
			case v > SchemaVersion:
				return db.schemaErr(v, false)
			case v == SchemaVersion:
				return db.checkBuckets(tx)
			}
			return nil
		})
		if err != nil || v == SchemaVersion {
			return err
		}
	} else if db.readOnly {
		return fmt.Errorf("%w at %s", ErrNoLedger, db.path)
	}
	return db.write(fresh, false, db.migrate)
}

// checkReadable is the whole check of a read-only open: a coolpay ledger of
// this binary's schema, with all its buckets.
func (db *DB) checkReadable(tx *bolt.Tx) error {
	v, fresh, err := db.schemaOf(tx)
	switch {
	case err != nil:
		return err
	case fresh:
		return fmt.Errorf("%w at %s", ErrNoLedger, db.path)
	case v != SchemaVersion:
		return db.schemaErr(v, true)
	}
	return db.checkBuckets(tx)
}

// migrate creates the baseline in an empty file and walks it up to
// SchemaVersion; a file another process just brought up to date is left
// alone.
func (db *DB) migrate(tx *bolt.Tx, log *txLog) error {
	log.all = true
	v, fresh, err := db.schemaOf(tx)
	if err != nil {
		return err
	}
	if fresh {
		if err := createV1(tx); err != nil {
			return err
		}
		v = 1
	}
	if v > SchemaVersion {
		return db.schemaErr(v, false)
	}
	for _, m := range migrations {
		if m.to <= v {
			continue
		}
		if m.to != v+1 {
			return fmt.Errorf("ledger %s: no migration from schema %d", db.path, v)
		}
		if err := m.fn(tx); err != nil {
			return fmt.Errorf("ledger %s: migrating to schema %d (%s): %w", db.path, m.to, m.what, err)
		}
		if err := tx.Bucket(bMeta).Put(kSchema, u64(m.to)); err != nil {
			return err
		}
		v = m.to
	}
	return db.checkBuckets(tx)
}

// schemaOf reads the schema version; fresh means the file has no buckets.
func (db *DB) schemaOf(tx *bolt.Tx) (v uint64, fresh bool, err error) {
	meta := tx.Bucket(bMeta)
	if meta == nil {
		empty := true
		tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if empty {
			return 0, true, nil
		}
		return 0, false, fmt.Errorf("%s: %w (a bbolt file of another program)", db.path, ErrCorrupt)
	}
	raw := meta.Get(kSchema)
	if len(raw) != 8 {
		return 0, false, fmt.Errorf("%s: %w (no schema version)", db.path, ErrCorrupt)
	}
	return binary.BigEndian.Uint64(raw), false, nil
}

func (db *DB) schemaErr(v uint64, readOnly bool) error {
	if v > SchemaVersion {
		return fmt.Errorf("%w: ledger %s has schema %d, newer than this coolpay (schema %d); upgrade coolpay",
			ErrSchema, db.path, v, SchemaVersion)
	}
	if readOnly {
		return fmt.Errorf("%w: ledger %s has schema %d and needs upgrading to %d; run a coolpay command that writes (e.g. the console) once",
			ErrSchema, db.path, v, SchemaVersion)
	}
	return fmt.Errorf("%w: ledger %s has schema %d", ErrSchema, db.path, v)
}

func (db *DB) checkBuckets(tx *bolt.Tx) error {
	need := [][]byte{bMeta, bRecords, bSettings, bStats, bChanges}
	for _, ix := range indexes {
		need = append(need, ix.name)
	}
	need = append(need, ixPhone.name, ixName.name)
	for _, n := range need {
		if tx.Bucket(n) == nil {
			return fmt.Errorf("%s: %w (bucket %q missing)", db.path, ErrCorrupt, n)
		}
	}
	return nil
}

func u64(v uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	return b[:]
}

func getU64(b *bolt.Bucket, k []byte) uint64 {
	v := b.Get(k)
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}
