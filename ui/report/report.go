// Package report adds up one day of the ledger: counts, amounts and fees per
// type, state, operator and cashier, and the money taken per hour. The Today
// screen (ui/today) and `coolpay report` both read their figures from here,
// so the screen and the command can never disagree.
//
// A day is a local calendar day of creation, [midnight, next midnight), the
// same window `coolpay history --since D --until D` lists: the totals equal
// what history shows for that day.
package report

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
)

// Group is one line of a day's report: the transactions that share a type,
// state, operator, cashier and currency.
type Group struct {
	Type     store.Type  `json:"type"`
	State    store.State `json:"state"`
	Operator string      `json:"operator"`
	Cashier  string      `json:"cashier"`
	// Currency is omitted for XAF, the currency of nearly every record,
	// so a report's JSON is the same seven fields in the usual case; a
	// paylink in EUR gets its own group, never added to francs.
	Currency string `json:"currency,omitempty"`
	Count    int    `json:"count"`
	// Amount and Fees are in Currency; JSON writes them in coolpay's one
	// form for money, a decimal string ("1500", "10.50").
	Amount money.Amount `json:"amount"`
	Fees   money.Amount `json:"fees"`
	// FeesUnknown counts successful transactions whose fees the API has
	// not given (yet): Fees and Net leave them out, and say so.
	FeesUnknown int `json:"fees_unknown,omitempty"`
}

// Net is what the group did to the merchant's balance: money received less
// fees for a successful payin or paylink, money sent plus fees (negative)
// for a successful payout, and nothing for a transaction that did not
// succeed (no money moved).
func (g Group) Net() money.Amount {
	if g.State != store.StateSuccess {
		return money.Amount{Currency: g.CurrencyName()}
	}
	if g.Type == store.TypePayout {
		return plus(g.Amount, g.Fees).Neg()
	}
	return plus(g.Amount, g.Fees.Neg())
}

// plus is a+b for two sums of one group or total: they share a currency
// by construction (groups are keyed by currency), so money.Amount's
// refusal to mix currencies never applies here.
func plus(a, b money.Amount) money.Amount {
	s, _ := a.Add(b)
	return s
}

// CurrencyName is the group's currency with XAF spelled out.
func (g Group) CurrencyName() string {
	if g.Currency == "" {
		return "XAF"
	}
	return g.Currency
}

// Report is one day's figures.
type Report struct {
	// Day is local midnight of the day.
	Day time.Time
	// Groups are sorted by type, state, operator, cashier and currency.
	Groups []Group
	// Hours is, per local hour of the day, the XAF received by successful
	// payins and paylinks (what the Today chart draws).
	Hours [24]money.Amount
	// Count is the number of transactions of the day.
	Count int
	// Damaged counts records whose amount or fees could not be read (they
	// are counted, their money is not added).
	Damaged int
	// FeesUnknown counts successful transactions without known fees
	// (see Group.FeesUnknown).
	FeesUnknown int
}

// jsonReport is the stable JSON form: {"date", "groups"}.
type jsonReport struct {
	Date   string  `json:"date"`
	Groups []Group `json:"groups"`
}

// MarshalJSON writes {"date": "YYYY-MM-DD", "groups": [...]}; groups is [] on
// an empty day, never null.
func (r Report) MarshalJSON() ([]byte, error) {
	g := r.Groups
	if g == nil {
		g = []Group{}
	}
	return json.Marshal(jsonReport{Date: r.Day.Format(time.DateOnly), Groups: g})
}

// DayOf is local midnight of the day t falls on (in t's location).
func DayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Window is the filter of the day that starts at day (local midnight): the
// same [since, until) as `history --since D --until D`.
func Window(day time.Time) store.Filter {
	day = DayOf(day)
	return store.Filter{Since: day, Until: day.AddDate(0, 0, 1)}
}

type groupKey struct {
	typ                         store.Type
	state                       store.State
	operator, cashier, currency string
}

// Day reads every record created on day's local date and adds it up. The
// records are streamed from the store: memory holds the groups, not the
// day. cashier, when not "", keeps only that cashier's transactions.
func Day(ctx context.Context, db *store.DB, day time.Time, cashier string) (Report, error) {
	r := Report{Day: DayOf(day)}
	f := Window(day)
	f.Cashier = cashier
	groups := map[groupKey]*Group{}
	err := db.Scan(ctx, f, func(rec store.Record) bool {
		r.add(groups, &rec)
		return true
	})
	if err != nil {
		return Report{}, err
	}
	r.Groups = make([]Group, 0, len(groups))
	for _, g := range groups {
		r.Groups = append(r.Groups, *g)
	}
	sortGroups(r.Groups)
	return r, nil
}

// add counts one record into groups (keyed as Day keys them) and the
// hourly figures.
// the records.
func (r *Report) add(groups map[groupKey]*Group, rec *store.Record) {
	cur := rec.Currency
	if cur == "XAF" {
		cur = ""
	}
	k := groupKey{rec.Type, rec.State, rec.Operator, strings.TrimSpace(rec.Cashier), cur}
	g := groups[k]
	if g == nil {
		g = &Group{Type: k.typ, State: k.state, Operator: k.operator, Cashier: k.cashier, Currency: cur}
		g.Amount, g.Fees = money.Amount{Currency: g.CurrencyName()}, money.Amount{Currency: g.CurrencyName()}
		groups[k] = g
	}
	g.Count++
	r.Count++
	// A damaged amount or fee (not the ledger's decimal text) is counted
	// as damaged and adds nothing.
	amt, err := money.Parse(rec.Amount, g.CurrencyName())
	if err != nil {
		amt = money.Amount{Currency: g.CurrencyName()}
	}
	fees := money.Amount{Currency: g.CurrencyName()}
	if rec.Fees != "" {
		var ferr error
		if fees, ferr = money.Parse(rec.Fees, g.CurrencyName()); ferr != nil {
			fees, err = money.Amount{Currency: g.CurrencyName()}, ferr
		}
	}
	if err != nil {
		r.Damaged++
	}
	g.Amount = plus(g.Amount, amt)
	g.Fees = plus(g.Fees, fees)
	if rec.State == store.StateSuccess && strings.TrimSpace(rec.Fees) == "" {
		g.FeesUnknown++
		r.FeesUnknown++
	}
	if cur == "" && rec.State == store.StateSuccess && rec.Type != store.TypePayout {
		h := rec.Created.In(r.Day.Location()).Hour()
		r.Hours[h] = plus(r.Hours[h], amt)
	}
}

func sortGroups(gs []Group) {
	sort.Slice(gs, func(i, j int) bool {
		a, b := gs[i], gs[j]
		switch {
		case a.Type != b.Type:
			return typeRank(a.Type) < typeRank(b.Type)
		case a.State != b.State:
			return stateRank(a.State) < stateRank(b.State)
		case a.Operator != b.Operator:
			return a.Operator < b.Operator
		case a.Cashier != b.Cashier:
			return a.Cashier < b.Cashier
		}
		return a.Currency < b.Currency
	})
}

func typeRank(t store.Type) int {
	switch t {
	case store.TypePayin:
		return 0
	case store.TypePaylink:
		return 1
	case store.TypePayout:
		return 2
	}
	return 3
}

func stateRank(s store.State) int {
	for i, v := range []store.State{store.StateSuccess, store.StatePending, store.StateOTP, store.StateCreated,
		store.StateNew, store.StateUnknown, store.StateFailed, store.StateCanceled, store.StateRejected} {
		if s == v {
			return i
		}
	}
	return 99
}

// Total is a sum over several groups (one line of a "by X" table).
type Total struct {
	Key      string // the value grouped on: a type, state, operator or cashier
	Currency string // "" for XAF
	Count    int
	Amount   money.Amount // in Currency, as are Fees and Net
	Fees     money.Amount
	Net      money.Amount
	// FeesUnknown: successful transactions whose fees are not known.
	FeesUnknown int
}

// Dimension names what a Totals table is grouped by.
type Dimension int

// The dimensions a day's figures are shown by.
const (
	ByType Dimension = iota
	ByState
	ByOperator
	ByCashier
)

// Totals sums the groups by one dimension, in the order the groups are
// sorted (types and states in their natural order, operators and cashiers
// alphabetically); each currency is summed apart.
func (r Report) Totals(d Dimension) []Total {
	type k struct{ key, cur string }
	idx := map[k]int{}
	var out []Total
	for _, g := range r.Groups {
		key := string(g.Type)
		switch d {
		case ByState:
			key = string(g.State)
		case ByOperator:
			key = g.Operator
		case ByCashier:
			key = g.Cashier
		}
		i, ok := idx[k{key, g.Currency}]
		if !ok {
			i = len(out)
			idx[k{key, g.Currency}] = i
			out = append(out, Total{Key: key, Currency: g.Currency})
			z := money.Amount{Currency: g.CurrencyName()}
			out[i].Amount, out[i].Fees, out[i].Net = z, z, z
		}
		t := &out[i]
		t.Count += g.Count
		t.Amount = plus(t.Amount, g.Amount)
		t.Fees = plus(t.Fees, g.Fees)
		t.Net = plus(t.Net, g.Net())
		t.FeesUnknown += g.FeesUnknown
	}
	switch d {
	case ByState:
		sort.SliceStable(out, func(i, j int) bool {
			return stateRank(store.State(out[i].Key)) < stateRank(store.State(out[j].Key))
		})
	case ByOperator, ByCashier:
		sort.SliceStable(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	}
	return out
}

// Sum is the whole day in one line per currency (XAF first).
func (r Report) Sum() []Total {
	var out []Total
	idx := map[string]int{}
	for _, g := range r.Groups {
		i, ok := idx[g.Currency]
		if !ok {
			i = len(out)
			idx[g.Currency] = i
			out = append(out, Total{Currency: g.Currency})
			z := money.Amount{Currency: g.CurrencyName()}
			out[i].Amount, out[i].Fees, out[i].Net = z, z, z
		}
		t := &out[i]
		t.Count += g.Count
		t.Amount = plus(t.Amount, g.Amount)
		t.Fees = plus(t.Fees, g.Fees)
		t.Net = plus(t.Net, g.Net())
		t.FeesUnknown += g.FeesUnknown
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}
