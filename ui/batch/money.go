package batch

import (
	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/text"
)

// The one rule for "balance after", said the same way on the single payout's
// confirmation, the batch confirmation, `payouts check` and the balance
// check before `payouts send`: the balance minus the amounts and their
// estimated fees (EstimateFee, FeePercent), since the vendor takes both from
// it and publishes no fee schedule; the real fee is known once a payout is
// paid. The sums are money.Amount: exact, never a float.

// AfterNoteKey is the catalogue key of the words shown beside every
// "balance after": what it counts.
const AfterNoteKey = "batch.s.after_note"

// After is balance − (amount + fees) in balance's currency; short is true
// when it is below zero. ok is false when the currencies differ (nothing
// is then worked out: francs are never taken off euros).
func After(balance, amount, fees money.Amount) (after money.Amount, short, ok bool) {
	out, ok1 := amount.Add(fees)
	after, ok2 := balance.Sub(out)
	if !ok1 || !ok2 {
		return money.Amount{}, false, false
	}
	return after, after.Minor < 0, true
}

// BalanceAfter is After for the API's balance text and whole-XAF amounts,
// as decimal text ("-1500", "12.50"). ok is false when the balance is not
// a number of hundredths (money.ParseNumber: the API's JSON number).
func BalanceAfter(balance string, amount, fees int64) (after string, short, ok bool) {
	b, err := money.ParseNumber(balance, money.XAF)
	if err != nil {
		return "", false, false
	}
	a, short, ok := After(b, money.XAFOf(amount), money.XAFOf(fees))
	return a.Number(), short, ok
}

// Money shows a whole-XAF amount to people: "50 500 XAF" (text.Money; a
// whole number of francs reads the same in English and French).
func Money(v int64) string { return text.Money(i18n.EN, money.XAFOf(v)) }

// moneyText shows XAF decimal text (a balance) in t's language.
func moneyText(t *i18n.Translator, s string) string { return text.Amount(t.Lang(), s, money.XAF) }
