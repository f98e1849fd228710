package store

import "context"

// payoutsTo is PayoutsTo on a database ledger: the payouts whose phone key
// is one of keys, through the phone column's index, in one query.
func (l *pgLedger) payoutsTo(ctx context.Context, keys []string) ([]Record, error) {
	ctx, cancel := context.WithTimeout(ctx, pgOpTimeout)
	defer cancel()
	recs, err := l.records(ctx, l.pool,
		`SELECT id, data FROM coolpay_records WHERE phone_key = ANY($1) AND type = $2`, keys, string(TypePayout))
	if err != nil {
		return nil, l.wrap("payouts by phone", err)
	}
	return recs, nil
}
