// Package text is what commands, the engine and the screens say in words,
// without any screen plumbing: amounts for people, the words for states,
// types and operators, the API's messages and network failures in the
// user's language, a record's fields, dates. It imports no Bubble Tea,
// Bubbles or Lip Gloss, so `coolpay payouts`, `report` or `history` do not
// pull the console in (a test in this package checks it); ui/common keeps
// thin wrappers for the screens.
package text

import (
	"strconv"
	"strings"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Style is how amounts are written for people in lang: digits grouped by
// three with a space, and French's decimal comma.
func Style(lang i18n.Lang) money.Style {
	return money.Style{DecimalComma: lang == i18n.FR}
}

// Money is an amount for reading in lang: "1 500 XAF", "10.50 EUR",
// "10,50 EUR" in French. XAF has no decimals unless the amount has some.
// The currency may come from the ledger: the result is inert.
func Money(lang i18n.Lang, a money.Amount) string { return safe.Line(a.Format(Style(lang))) }

// Amount is the ledger's (or the API's) decimal text for reading in lang,
// the one way every screen and command writes an amount for people: digits
// grouped, EUR with its cents, French's decimal comma. "" stays "".
// Amount and currency come from outside (a callback nobody asked for brings
// its own), so the result is inert (safe.Line), and text that is not an
// amount is shown as it came rather than guessed at. Exports and JSON keep
// the raw text.
func Amount(lang i18n.Lang, amount, currency string) string {
	amount, currency = strings.TrimSpace(amount), strings.TrimSpace(currency)
	if amount == "" {
		return ""
	}
	a, err := money.ParseNumber(amount, currency) // the ledger's text, or the API's JSON number (a balance)
	if err != nil {
		return safe.Line(strings.TrimSpace(amount + " " + currency))
	}
	return safe.Line(strings.TrimSpace(a.FormatNumber(Style(lang)) + " " + currency))
}

// Count is a whole number grouped by three for reading ("12 500"): counts
// of records, lines, rows.
func Count[N ~int | ~int64](n N) string {
	s := strconv.FormatInt(int64(n), 10)
	if n < 0 {
		return "-" + money.Group(s[1:], " ")
	}
	return money.Group(s, " ")
}
