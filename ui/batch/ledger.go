package batch

import (
	"context"
	"encoding/json"
	"time"

	"github.com/coolpay/coolpay/store"
)

// This file is the one place that knows how a batch line is marked in the
// ledger. A payout sent for a batch line carries, in the record written
// before its request leaves, an event of kind EvBatch whose detail is
// {"batch":…,"line":…,"key":…}: the batch, the spreadsheet line it came from
// (for people) and its key (fingerprint/occurrence, for the plan).

// EvBatch is the event kind that marks a payout as a batch line.
const EvBatch = "batch"

// Tag is what the ledger keeps about a batch line.
type Tag struct {
	Batch string `json:"batch"`
	Line  int    `json:"line"`
	Key   string `json:"key"`
}

// mark writes t into a record about to be journaled.
func mark(r *store.Record, t Tag, at time.Time) {
	b, _ := json.Marshal(t) // three plain fields: cannot fail
	r.Events = append(r.Events, store.Event{At: at, Kind: EvBatch, Detail: string(b)})
}

// TagOf reads a record's batch tag; ok is false for a payout not sent by a batch.
func TagOf(r store.Record) (Tag, bool) {
	if r.Type != store.TypePayout {
		return Tag{}, false
	}
	for _, e := range r.Events {
		if e.Kind != EvBatch {
			continue
		}
		var t Tag
		if err := json.Unmarshal([]byte(e.Detail), &t); err != nil || t.Batch == "" || t.Key == "" {
			return Tag{}, false
		}
		return t, true
	}
	return Tag{}, false
}

// records returns the payouts of one batch, oldest first.
// A nil db (no ledger yet) has none.
func records(ctx context.Context, db *store.DB, batch string) ([]store.Record, error) {
	var out []store.Record
	if db == nil {
		return nil, nil
	}
	err := db.Scan(ctx, store.Filter{Types: []store.Type{store.TypePayout}}, func(r store.Record) bool {
		if t, ok := TagOf(r); ok && t.Batch == batch {
			out = append(out, r)
		}
		return true
	})
	// Scan walks newest first; the plan wants attempts in the order made.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}
