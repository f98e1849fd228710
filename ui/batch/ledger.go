package batch

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/coolpay/coolpay/store"
)

// This file is the one place that knows how a batch line is marked in the
// ledger. A payout sent for a batch line carries, in the record written
// before its request leaves: Record.Batch (the batch, indexed: ByBatch reads
// only that batch's records), Record.BatchLine (the spreadsheet line it came
// from, for people and History), and an event of kind EvBatch whose detail
// is {"batch":…,"line":…,"key":…} — the key (fingerprint/occurrence) that
// the plan matches lines by, since line numbers move when a file is edited.

// EvBatch is the event kind that carries a batch line's key.
const EvBatch = "batch"

// Tag is what the ledger keeps about a batch line.
type Tag struct {
	Batch string `json:"batch"`
	Line  int    `json:"line"`
	Key   string `json:"key"`
}

// mark writes t into a record about to be journaled.
func mark(r *store.Record, t Tag, at time.Time) {
	r.Batch, r.BatchLine = t.Batch, t.Line
	b, _ := json.Marshal(t) // three plain fields: cannot fail
	r.Events = append(r.Events, store.Event{At: at, Kind: EvBatch, Detail: string(b)})
}

// TagOf reads a record's batch tag; ok is false for a payout not sent by a
// batch. The record's indexed Batch field must agree with the event, so a
// record cannot be counted in a batch it is not filed under.
func TagOf(r store.Record) (Tag, bool) {
	if r.Type != store.TypePayout || r.Batch == "" {
		return Tag{}, false
	}
	for _, e := range r.Events {
		if e.Kind != EvBatch {
			continue
		}
		var t Tag
		if err := json.Unmarshal([]byte(e.Detail), &t); err != nil || t.Batch != r.Batch || t.Key == "" {
			return Tag{}, false
		}
		t.Line = r.BatchLine
		return t, true
	}
	return Tag{}, false
}

// records returns the payouts of one batch, oldest first, from the batch
// index. A nil db (no ledger yet) has none.
func records(ctx context.Context, db *store.DB, batch string) ([]store.Record, error) {
	if db == nil {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	recs, err := db.ByBatch(batch)
	if err != nil {
		return nil, err
	}
	out := recs[:0]
	for _, r := range recs {
		if _, ok := TagOf(r); ok {
			out = append(out, r)
		}
	}
	// ByBatch orders by line; the plan wants attempts in the order they
	// were made, which ids give.
	slices.SortFunc(out, func(a, b store.Record) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}
