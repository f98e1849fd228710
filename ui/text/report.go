package text

import (
	"strconv"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/report"
)

// LongDate is a day as people write it: "Sunday 29 November 2026" /
// "dimanche 29 novembre 2026".
func LongDate(t *i18n.Translator, d time.Time) string {
	wd := t.T("date.wd." + strings.ToLower(d.Weekday().String()[:3]))
	mo := t.T("date.mo." + strings.ToLower(d.Month().String()[:3]))
	return wd + " " + strconv.Itoa(d.Day()) + " " + mo + " " + strconv.Itoa(d.Year())
}

// ReportDimension is the column title of a "by …" table of a day's report.
func ReportDimension(t *i18n.Translator, d report.Dimension) string {
	return t.T([...]string{"today.by.type", "today.by.state", "today.by.operator", "today.by.cashier"}[d])
}

// ReportKey is one value of a dimension in words: a translated type,
// state or operator; a cashier's name, or a dash for transactions made
// before cashiers were recorded (or by a command).
func ReportKey(t *i18n.Translator, d report.Dimension, key string) string {
	switch d {
	case report.ByType:
		return TypeWord(t, store.Type(key))
	case report.ByState:
		return StateWord(t, store.State(key))
	case report.ByOperator:
		if key == "" {
			return "—"
		}
		return OperatorWord(t, key)
	}
	if key == "" {
		return t.T("today.cashier.none")
	}
	return key
}

// ReportAmount is a sum as the console shows amounts: "50 500 XAF", and
// in French "12,50 EUR".
func ReportAmount(t *i18n.Translator, a money.Amount) string { return Money(t.Lang(), a) }
