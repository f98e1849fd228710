package history

import (
	"strings"
	"time"
	"unicode"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// The filter bar has four fields, each cycling through a short list of
// values; index 0 of every list means "all".
const (
	fieldType = iota
	fieldState
	fieldOperator
	fieldDate
	fieldCashier // values: all, then the cashiers seen (cashier.go)
	numFields
)

var typeValues = []store.Type{"", store.TypePayin, store.TypePayout, store.TypePaylink}

// stateValues: "open" (every state that can still change) comes first after
// "all", because that is what a cashier looks for most.
var stateValues = []string{"", "open", string(store.StateSuccess), string(store.StateFailed),
	string(store.StateCanceled), string(store.StateRejected), string(store.StateUnknown), string(store.StateReported)}

var openStates = []store.State{store.StateNew, store.StateCreated, store.StateOTP,
	store.StatePending, store.StateUnknown, store.StateReported}

var operatorValues = []string{"", "CM_OM", "CM_MOMO", "MCP", "CARD"}

// dateValues are day counts: 0 all, 1 today, 7 and 30 the last days.
var dateValues = []int{0, 1, 7, 30}

// filters is the filter bar's state: an index into each value list.
type filters struct {
	idx      [numFields]int
	focus    int      // the field the arrows change while the bar is focused
	cashiers []string // the cashier field's values after "all"
}

func (f *filters) count(field int) int {
	switch field {
	case fieldType:
		return len(typeValues)
	case fieldState:
		return len(stateValues)
	case fieldOperator:
		return len(operatorValues)
	case fieldCashier:
		return 1 + len(f.cashiers)
	}
	return len(dateValues)
}

// cycle moves the focused field's value by d (wrapping).
func (f *filters) cycle(d int) {
	n := f.count(f.focus)
	f.idx[f.focus] = ((f.idx[f.focus]+d)%n + n) % n
}

func (f *filters) active() bool { return f.idx != [numFields]int{} }

// cashier is the cashier chosen, "" for all.
func (f filters) cashier() string {
	if i := f.idx[fieldCashier]; i > 0 && i <= len(f.cashiers) {
		return f.cashiers[i-1]
	}
	return ""
}

// storeFilter turns the bar and the search text into a store.Filter; now
// anchors the date ranges at local midnight.
func (f filters) storeFilter(search string, now time.Time, fullText bool) store.Filter {
	var sf store.Filter
	if t := typeValues[f.idx[fieldType]]; t != "" {
		sf.Types = []store.Type{t}
	}
	switch s := stateValues[f.idx[fieldState]]; s {
	case "":
	case "open":
		sf.States = append([]store.State(nil), openStates...)
	default:
		sf.States = []store.State{store.State(s)}
	}
	sf.Operator = operatorValues[f.idx[fieldOperator]]
	if days := dateValues[f.idx[fieldDate]]; days > 0 {
		y, m, d := now.Date()
		sf.Since = time.Date(y, m, d, 0, 0, 0, 0, now.Location()).AddDate(0, 0, -(days - 1))
	}
	switch {
	case store.IsPhone(search):
		// A phone number as people type it ("6 91 23 45 67",
		// "+237…"): looked up in the phone index, whole.
		sf.Customer = search
	case nameLike(search) && !fullText:
		// A name ("ngono", "marie ng"): customers whose name or username
		// starts so, from the name index; when none does, the page load
		// falls back to the text search everywhere (fullText).
		sf.Customer = search
	default:
		sf.Search = search
	}
	sf.Cashier = f.cashier()
	return sf
}

func (f filters) label(t *i18n.Translator, field int) string {
	i := f.idx[field]
	if i == 0 {
		if field == fieldDate {
			return t.T("history.filter.all_dates") // French agrees: "Date : toutes"
		}
		return t.T("history.filter.all")
	}
	switch field {
	case fieldType:
		return t.T("app.type." + strings.ToLower(string(typeValues[i])))
	case fieldState:
		return t.T("app.state." + strings.ToLower(stateValues[i]))
	case fieldOperator:
		return t.T("app.op." + strings.ToLower(operatorValues[i]))
	case fieldCashier:
		return safe.Line(f.cashier())
	}
	if dateValues[i] == 1 {
		return t.T("history.filter.today")
	}
	return t.T("history.filter.days", dateValues[i])
}

func fieldName(t *i18n.Translator, field int) string {
	return t.T([...]string{"history.filter.type", "history.filter.state",
		"history.filter.operator", "history.filter.date", "today.by.cashier"}[field])
}

// nameLike: the search text reads as (the start of) a person's name:
// letters, with spaces, apostrophes, hyphens or dots between them.
func nameLike(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case r == ' ' || r == '\'' || r == '-' || r == '.' || r == '’':
		default:
			return false
		}
	}
	return letters >= 2
}
