package store

import (
	"errors"

	bolt "go.etcd.io/bbolt"
)

// Watch is what a process showing the ledger needs after the change counter
// moved: what changed since n (as ChangedSince) and, unless more than max
// records changed or the log cannot tell, those records themselves, read in
// the same transaction (one open of the file, not one per record). A record
// listed in the change log but deleted since is skipped.
func (db *DB) Watch(n uint64, max int) (cs ChangeSet, recs []Record, err error) {
	if db.pg != nil {
		return db.pg.watch(n, max)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		cs = changedSince(tx, n)
		if cs.Now == n || cs.All || len(cs.IDs) == 0 || len(cs.IDs) > max {
			return nil
		}
		b := tx.Bucket(bRecords)
		recs = make([]Record, 0, len(cs.IDs))
		for _, id := range cs.IDs {
			var r Record
			if err := getRecord(b, id, &r); err != nil {
				if errors.Is(err, ErrNotFound) {
					continue
				}
				return err
			}
			recs = append(recs, r)
		}
		return nil
	})
	return cs, recs, err
}
