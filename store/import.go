package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	bolt "go.etcd.io/bbolt"
)

// ErrImportConflict: Import met a record whose id the ledger already uses
// for another transaction (the destination of a copy is not empty, or
// holds another shop's records).
var ErrImportConflict = errors.New("the ledger already holds another record under this id")

// ImportResult is what Import did.
type ImportResult struct {
	Added, Replaced, Same int
}

// Import writes records copied from another ledger under their own ids, in
// one transaction: a record not there is added, one already there as the
// same transaction (type, app_transaction_ref, creation time) is replaced
// when it differs and left alone when it is identical, so running a copy
// again writes nothing and a copy stopped half-way resumes. A record whose
// id holds another transaction fails the whole call with
// ErrImportConflict. The id sequence moves past the highest id.
func (db *DB) Import(recs []Record) (res ImportResult, err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return res, errReadOnly
	}
	if len(recs) == 0 {
		return res, nil
	}
	same := func(old, r *Record) (bool, error) {
		if old.Type != r.Type || old.AppRef != r.AppRef || !old.Created.Equal(r.Created) {
			return false, fmt.Errorf("%w: id %d is %s %q of %s here, %s %q of %s in the source", ErrImportConflict, r.ID,
				old.Type, old.AppRef, old.Created.Format("2006-01-02 15:04:05"), r.Type, r.AppRef, r.Created.Format("2006-01-02 15:04:05"))
		}
		return bytes.Equal(appendRecord(nil, old), appendRecord(nil, r)), nil
	}
	for _, r := range recs {
		if r.ID == 0 {
			return res, fmt.Errorf("Import: a record without an id")
		}
	}
	if db.pg != nil {
		return db.pg.importRecords(recs, same)
	}
	err = db.write(false, len(recs) > 1000, func(tx *bolt.Tx, log *txLog) error {
		res = ImportResult{}
		w := newWriter(tx, log)
		for i := range recs {
			r := recs[i]
			if raw := w.records.Get(idKey(r.ID)); raw != nil {
				var old Record
				if err := decodeRecord(raw, &old); err != nil {
					return fmt.Errorf("record %d: %w", r.ID, err)
				}
				old.ID = r.ID
				eq, err := same(&old, &r)
				if err != nil {
					return err
				}
				if eq {
					res.Same++
					continue
				}
				if err := w.put(&old, &r); err != nil {
					return err
				}
				res.Replaced++
				continue
			}
			if err := w.put(nil, &r); err != nil {
				return err
			}
			if r.ID > w.records.Sequence() {
				if err := w.records.SetSequence(r.ID); err != nil {
					return err
				}
			}
			res.Added++
		}
		return w.flush()
	})
	if err != nil {
		return ImportResult{}, fmt.Errorf("ledger %s: importing: %w", db.path, err)
	}
	return res, nil
}

func (l *pgLedger) importRecords(recs []Record, same func(old, r *Record) (bool, error)) (res ImportResult, err error) {
	var conflict error
	err = l.tx("importing", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
		res = ImportResult{}
		ids := make([]int64, len(recs))
		var top int64
		for i, r := range recs {
			ids[i] = int64(r.ID)
			top = max(top, ids[i])
		}
		have, err := l.records(ctx, tx, `SELECT id, data FROM coolpay_records WHERE id = ANY($1) FOR UPDATE`, ids)
		if err != nil {
			return err
		}
		old := make(map[uint64]*Record, len(have))
		for i := range have {
			old[have[i].ID] = &have[i]
		}
		var rows [][]any
		for i := range recs {
			r := &recs[i]
			o := old[r.ID]
			if o == nil {
				rows = append(rows, pgRecordArgs(r))
				log.add(r.ID)
				log.count++
				if !r.Synthetic {
					log.real++
				}
				res.Added++
				continue
			}
			eq, err := same(o, r)
			if err != nil {
				conflict = err
				return err
			}
			if eq {
				res.Same++
				continue
			}
			args := pgRecordArgs(r)
			if _, err := tx.Exec(ctx, `UPDATE coolpay_records SET created_ns=$2, type=$3, state=$4, operator=$5, app_ref=$6,
				tx_ref=$7, batch=$8, cashier_key=$9, phone_key=$10, name_text=$11, search=$12, synthetic=$13, data=$14 WHERE id=$1`,
				args...); err != nil {
				return err
			}
			log.add(r.ID)
			if o.Synthetic != r.Synthetic {
				if r.Synthetic {
					log.real--
				} else {
					log.real++
				}
			}
			res.Replaced++
		}
		if len(rows) > 0 {
			cols := []string{"id", "created_ns", "type", "state", "operator", "app_ref", "tx_ref", "batch", "cashier_key",
				"phone_key", "name_text", "search", "synthetic", "data"}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"coolpay_records"}, cols, pgx.CopyFromRows(rows)); err != nil {
				return err
			}
		}
		// The sequence moves past the copied ids: records made here
		// later never take one of them.
		_, err = tx.Exec(ctx, `SELECT setval('coolpay_record_ids', greatest($1, (SELECT last_value FROM coolpay_record_ids)))`, top)
		return err
	})
	if conflict != nil {
		return ImportResult{}, fmt.Errorf("ledger %s: importing: %w", l.db.path, conflict)
	}
	return res, err
}
