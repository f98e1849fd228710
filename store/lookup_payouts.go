package store

import (
	"context"
	"errors"
	"math"

	bolt "go.etcd.io/bbolt"
)

// errNoPhoneIndex: the ledger has no phone look-up index (it cannot happen
// after the migration to schema 5; PayoutsTo then says so rather than
// answer "none").
var errNoPhoneIndex = errors.New("the ledger has no phone look-up index")

// PayoutsTo hands fn every payout whose customer phone is one of phones
// (compared as PhoneKey), read from the phone look-up index in one read
// transaction: a batch file checks all its recipients against the ledger
// with one opening of the file, a few index keys each, not a walk of the
// records nor one opening per recipient. fn runs after the transaction.
func (db *DB) PayoutsTo(ctx context.Context, phones []string, fn func(Record)) (err error) {
	defer db.protect(&err)()
	seen := map[string]bool{}
	var keys []string
	for _, p := range phones {
		if k := PhoneKey(p); k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	if db.pg != nil {
		recs, err := db.pg.payoutsTo(ctx, keys)
		if err != nil {
			return err
		}
		for _, r := range recs {
			fn(r)
		}
		return nil
	}
	var recs []Record
	err = db.view(func(tx *bolt.Tx) error {
		if tx.Bucket(ixPhone.name) == nil {
			return errNoPhoneIndex
		}
		for i, k := range keys {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			// One value per source: the source merges its values by a
			// linear pass, fine for a few, not for thousands.
			src := newIndexSource(tx, ixPhone, []string{k}, math.MaxUint64, 1)
			if err := src.eachRecord(func(r Record) bool {
				if r.Type == TypePayout && PhoneKey(r.CustomerPhone) == k { // the index is keyed by a hash
					recs = append(recs, r)
				}
				return true
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return db.wrap(err)
	}
	for _, r := range recs {
		fn(r)
	}
	return nil
}
