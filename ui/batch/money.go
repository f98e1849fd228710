package batch

import (
	"math/big"
	"strings"
)

// The one rule for "balance after", said the same way on the single payout's
// confirmation, the batch confirmation and `payouts check`: the balance
// minus the amounts and their estimated fees (EstimateFee, FeePercent),
// since the vendor takes both from it and publishes no fee schedule; the
// real fee is known once a payout is paid.

// AfterNoteKey is the catalogue key of the words shown beside every
// "balance after": what it counts.
const AfterNoteKey = "batch.s.after_note"

// BalanceAfter is balance − (amount + fees) as decimal text; short is true
// when it is below zero. ok is false when the balance is not a number.
func BalanceAfter(balance string, amount, fees int64) (after string, short, ok bool) {
	b, ok := new(big.Rat).SetString(strings.TrimSpace(balance))
	if !ok {
		return "", false, false
	}
	d := b.Sub(b, new(big.Rat).SetInt64(amount+fees))
	return strings.TrimSuffix(d.FloatString(2), ".00"), d.Sign() < 0, true
}

// WholeXAF is a balance as the JSON outputs carry money: whole XAF, an
// integer (a fraction, which XAF does not have, is dropped).
func WholeXAF(balance string) (int64, bool) {
	b, ok := new(big.Rat).SetString(strings.TrimSpace(balance))
	if !ok {
		return 0, false
	}
	q := new(big.Int).Quo(b.Num(), b.Denom()) // toward zero
	if b.Sign() < 0 && !b.IsInt() {
		q.Sub(q, big.NewInt(1)) // floor: never more than there is
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}
