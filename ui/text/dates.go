package text

import "time"

// The ledger indexes records by their time in int64 nanoseconds since 1970,
// which reaches from 1677-09-21 to 2262-04-11: a date filter beyond that
// wraps around and turns the filter inside out. Dates people type are held
// to the whole years inside, FirstYear to LastYear.
const (
	FirstYear = 1678
	LastYear  = 2261
)

// DateInRange reports whether t is a time the ledger's filters can use.
func DateInRange(t time.Time) bool {
	y := t.Year()
	return y >= FirstYear && y <= LastYear
}
