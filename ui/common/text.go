package common

// The screens' names for what lives in ui/text (words, amounts, dates with
// no Bubble Tea in them), so a screen needs no second import for them.
// Each is the ui/text one; commands and the engine import ui/text itself.

import (
	"time"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/report"
	"github.com/coolpay/coolpay/ui/text"
)

// The years the ledger can filter on (text.FirstYear, text.LastYear).
const (
	FirstYear = text.FirstYear
	LastYear  = text.LastYear
)

// RecordField is text.RecordField.
type RecordField = text.RecordField

// Amount is text.Amount in t's language (English when t is nil).
func Amount(t *i18n.Translator, amount, currency string) string {
	lang := i18n.EN
	if t != nil {
		lang = t.Lang()
	}
	return text.Amount(lang, amount, currency)
}

// Money is text.Money in t's language.
func Money(t *i18n.Translator, a money.Amount) string { return text.Money(t.Lang(), a) }

// DateInRange is text.DateInRange.
func DateInRange(t time.Time) bool { return text.DateInRange(t) }

// StateLabel is text.StateLabel.
func StateLabel(t *i18n.Translator, s store.State) string { return text.StateLabel(t, s) }

// TypeWord is text.TypeWord.
func TypeWord(t *i18n.Translator, ty store.Type) string { return text.TypeWord(t, ty) }

// OperatorWord is text.OperatorWord.
func OperatorWord(t *i18n.Translator, op string) string { return text.OperatorWord(t, op) }

// APIMessage is text.APIMessage.
func APIMessage(t *i18n.Translator, msg string) string { return text.APIMessage(t, msg) }

// NetErrorKey is text.NetErrorKey.
func NetErrorKey(err error) string { return text.NetErrorKey(err) }

// RecordFields is text.RecordFields.
func RecordFields(t *i18n.Translator, r store.Record) []RecordField { return text.RecordFields(t, r) }

// LongDate is text.LongDate.
func LongDate(t *i18n.Translator, d time.Time) string { return text.LongDate(t, d) }

// ReportDimension is text.ReportDimension.
func ReportDimension(t *i18n.Translator, d report.Dimension) string {
	return text.ReportDimension(t, d)
}

// ReportKey is text.ReportKey.
func ReportKey(t *i18n.Translator, d report.Dimension, key string) string {
	return text.ReportKey(t, d, key)
}

// ReportAmount is text.ReportAmount.
func ReportAmount(t *i18n.Translator, a money.Amount) string { return text.ReportAmount(t, a) }
