// Package money is coolpay's one money type: an amount in hundredths of its
// currency's unit with the currency beside it, parsed from the ledger's
// decimal text, added up without floats, formatted for people in English
// or French, and written to JSON in one documented form.
//
// The API's amounts are XAF (no minor unit: whole numbers) and, for
// paylinks only, EUR (two decimals). Hundredths hold both exactly, and an
// int64 of hundredths holds 92 trillion units, far beyond any ledger.
//
// What people type is checked by client.ParseAmount (strict: a slip such as
// "1,500" or "1e3" is refused, not guessed at); what the ledger holds was
// checked on the way in and is read here with Parse.
//
// JSON: every amount coolpay writes is a decimal string in the currency's
// unit — "1500" for 1 500 XAF, "10.50" for 10.50 EUR — with the currency in
// a field beside it. A string, not a number, so that no reader turns money
// into a binary float.
package money

import (
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// Currencies the API knows.
const (
	XAF = "XAF"
	EUR = "EUR"
)

// Amount is a sum of money: Minor hundredths of Currency's unit.
type Amount struct {
	Minor    int64
	Currency string // "" is XAF
}

// XAFOf is n whole francs.
func XAFOf(n int64) Amount { return Amount{Minor: n * 100, Currency: XAF} }

// ErrSyntax: the text is not a decimal amount.
var ErrSyntax = errors.New("not a decimal amount")

// Parse reads the ledger's decimal text ("1500", "-1500", "12.5", "12.50")
// in currency cur. Grouping spaces are not part of the ledger's form.
func Parse(s, cur string) (Amount, error) {
	v, err := parseMinor(strings.TrimSpace(s))
	if err != nil {
		return Amount{}, err
	}
	return Amount{Minor: v, Currency: normCur(cur)}, nil
}

// ParseNumber reads a number as the API may write one in JSON (its
// balance is a JSON number): the ledger's form, or an exponent ("1e6",
// "1.5E3") or trailing zeros ("1000.000"). The value must be a whole number
// of hundredths within Parse's range: a third decimal is refused, never
// rounded away.
func ParseNumber(s, cur string) (Amount, error) {
	s = strings.TrimSpace(s)
	if a, err := Parse(s, cur); err == nil {
		return a, nil
	}
	if !json.Valid([]byte(s)) || s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return Amount{}, ErrSyntax
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Amount{}, ErrSyntax
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() || !r.Num().IsInt64() {
		return Amount{}, ErrSyntax
	}
	v := r.Num().Int64()
	if v > maxMinor || v < -maxMinor {
		return Amount{}, ErrSyntax
	}
	return Amount{Minor: v, Currency: normCur(cur)}, nil
}

// maxMinor is the largest amount Parse reads: 15 digits of units.
const maxMinor = 999_999_999_999_999_99

func parseMinor(s string) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (dot && frac == "") || len(whole) > 15 || !digits(whole) || !digits(frac) {
		return 0, ErrSyntax
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64) // at most 15 digits: cannot fail
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func normCur(c string) string {
	if c == "" {
		return XAF
	}
	return c
}

// Add is a+b. Amounts of different currencies are never added: ok is false.
func (a Amount) Add(b Amount) (sum Amount, ok bool) {
	if normCur(a.Currency) != normCur(b.Currency) {
		return a, false
	}
	return Amount{Minor: a.Minor + b.Minor, Currency: normCur(a.Currency)}, true
}

// Sub is a−b, under the same rule as Add.
func (a Amount) Sub(b Amount) (Amount, bool) { return a.Add(b.Neg()) }

// Neg is −a.
func (a Amount) Neg() Amount { return Amount{Minor: -a.Minor, Currency: a.Currency} }

// IsZero reports a zero amount.
func (a Amount) IsZero() bool { return a.Minor == 0 }

// Number is the amount as the ledger and JSON write it, without the
// currency: whole numbers without a decimal point ("1500"), others with two
// decimals ("12.50").
func (a Amount) Number() string {
	sign, v := "", a.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	if v%100 == 0 {
		return sign + strconv.FormatInt(v/100, 10)
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
}

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// String is Number and the currency ("1500 XAF"), for logs and errors.
func (a Amount) String() string { return a.Number() + " " + normCur(a.Currency) }

// Style says how Format writes an amount for people.
type Style struct {
	// DecimalComma writes "10,50" (French) instead of "10.50".
	DecimalComma bool
	// Group separates thousands; "" means a plain space. French typography
	// asks for a narrow no-break space (U+202F); a terminal or a CSV cell
	// may prefer a plain one.
	Group string
}

// Format writes the amount for reading: digits grouped by three, EUR with
// its cents, XAF (and any other currency) whole unless it has cents, then
// the currency: "1 500 XAF", "10.50 EUR", "-14 280 XAF", "10,50 EUR" with
// a decimal comma.
func (a Amount) Format(st Style) string { return a.FormatNumber(st) + " " + normCur(a.Currency) }

// FormatNumber is Format without the currency.
func (a Amount) FormatNumber(st Style) string {
	sep := st.Group
	if sep == "" {
		sep = " "
	}
	sign, v := "", a.Minor
	if v < 0 {
		sign, v = "-", -v
	}
	s := sign + Group(strconv.FormatInt(v/100, 10), sep)
	// Cents are written for EUR always and for other currencies only when
	// there are some: XAF has none, and a currency coolpay does not know
	// (a callback nobody asked for may bring one) is not given any.
	if normCur(a.Currency) == EUR || v%100 != 0 {
		dec := "."
		if st.DecimalComma {
			dec = ","
		}
		s += dec + twoDigits(v%100)
	}
	return s
}

// Group puts sep between groups of three digits of a run of digits
// ("1500000" → "1 500 000"). Anything that is not only digits is returned
// as it is.
func Group(ds, sep string) string {
	if ds == "" || !digits(ds) {
		return ds
	}
	var b strings.Builder
	for i := 0; i < len(ds); i++ {
		if i > 0 && (len(ds)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteByte(ds[i])
	}
	return b.String()
}

// MarshalJSON writes the amount in coolpay's one JSON form for money: a
// decimal string in the currency's unit ("1500", "10.50"). The currency is
// written beside it by whoever writes the object.
func (a Amount) MarshalJSON() ([]byte, error) { return json.Marshal(a.Number()) }

// UnmarshalJSON reads a decimal string, or a JSON number for the same
// value; the currency is not part of it and is left as it was.
func (a *Amount) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	v, err := parseMinor(s)
	if err != nil {
		return err
	}
	a.Minor = v
	return nil
}
