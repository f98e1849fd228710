// Package receipttext makes a customer's receipt from a ledger record:
// plain text in the interface language, narrow enough for a till printer
// (32 columns) and for a phone's message app, with the shop's name, the
// date, the amount, the operator, the references, the state and the
// cashier. It is engine, not screen (no Bubble Tea): the receipt screen
// (ui/receipt) shows, prints, saves and copies this text, and `coolpay
// receipt REF` prints it.
//
// A receipt can be printed (the system's lp or lpr) or saved as a text
// file — see actions.go. Every value from the ledger or the API goes
// through one helper (clean) so that it cannot drive the terminal or the
// printer.
package receipttext

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// Width is the receipt's width in characters: what a 58 mm till printer
// prints, and short enough for a phone's message bubble.
const Width = 32

// labelW is the width of the labels' column.
const labelW = 11

// Info is what a receipt shows besides the record.
type Info struct {
	Merchant string         // the shop's name (merchant_name setting); "" leaves the line out
	Loc      *time.Location // the time zone dates are written in; nil is local
}

// clean makes text from the ledger or the API inert: one line, control
// characters and bidi overrides shown, not obeyed.
func clean(s string) string { return safe.Line(strings.TrimSpace(s)) }

// Text is the receipt of r in t's language, lines ending in "\n".
func Text(t *i18n.Translator, r store.Record, info Info) string {
	loc := info.Loc
	if loc == nil {
		loc = time.Local
	}
	var b strings.Builder
	rule := strings.Repeat("-", Width) + "\n"
	center := func(s string) {
		for _, l := range wrap(s, Width) {
			pad := (Width - utf8.RuneCountInString(l)) / 2
			b.WriteString(strings.Repeat(" ", max(0, pad)) + l + "\n")
		}
	}
	if m := clean(info.Merchant); m != "" {
		center(m)
	}
	center(strings.ToUpper(t.T("receipt.title")))
	b.WriteString(rule)
	field := func(label, value string) {
		if value == "" {
			return
		}
		label = fitLabel(label)
		lines := wrap(value, Width-labelW)
		if utf8.RuneCountInString(value) > Width-labelW && !strings.Contains(value, " ") {
			// A reference is one long word: give it its own lines, whole.
			b.WriteString(strings.TrimRight(label, " ") + "\n")
			for _, l := range wrap(value, Width-2) {
				b.WriteString("  " + l + "\n")
			}
			return
		}
		for i, l := range lines {
			if i == 0 {
				b.WriteString(label + l + "\n")
			} else {
				b.WriteString(strings.Repeat(" ", labelW) + l + "\n")
			}
		}
	}
	field(t.T("receipt.date"), dateText(t, r.Created.In(loc)))
	field(t.T("receipt.type"), t.T("receipt.type."+strings.ToLower(string(r.Type))))
	field(t.T("receipt.amount"), text.Amount(t.Lang(), clean(r.Amount), clean(r.Currency)))
	if r.Fees != "" && r.Fees != "0" {
		field(t.T("receipt.fees"), text.Amount(t.Lang(), clean(r.Fees), clean(r.Currency)))
	}
	field(t.T("receipt.operator"), clean(text.OperatorWord(t, r.Operator)))
	who := clean(r.CustomerName)
	if p := clean(r.CustomerPhone); p != "" {
		if who != "" {
			who += " "
		}
		who += p
	}
	if who == "" {
		who = clean(r.CustomerUsername)
	}
	field(t.T("receipt.customer"), who)
	field(t.T("receipt.reason"), clean(r.Reason))
	field(t.T("receipt.state"), text.StateLabel(t, r.State))
	field(t.T("receipt.ref"), clean(r.TransactionRef))
	field(t.T("receipt.appref"), clean(r.AppRef))
	field(t.T("receipt.opref"), clean(r.OperatorRef))
	field(t.T("receipt.cashier"), clean(r.Cashier))
	b.WriteString(rule)
	// A receipt is proof of payment: one for money that has not arrived
	// must say so in words, not only in the state line.
	switch {
	case r.State == store.StateSuccess:
		center(t.T("receipt.thanks"))
	case r.State.Final():
		center("*** " + t.T("receipt.not_paid") + " ***")
	default:
		center("*** " + t.T("receipt.not_yet") + " ***")
	}
	return b.String()
}

// dateText: "29/11/2026 14:05" in French, "2026-11-29 14:05" in English.
func dateText(t *i18n.Translator, at time.Time) string {
	if at.IsZero() {
		return ""
	}
	if t.Lang() == i18n.FR {
		return at.Format("02/01/2006 15:04")
	}
	return at.Format("2006-01-02 15:04")
}

// fitLabel pads (or cuts) a label to the labels' column.
func fitLabel(s string) string {
	if utf8.RuneCountInString(s) > labelW-1 {
		s = string([]rune(s)[:labelW-1])
	}
	return s + strings.Repeat(" ", labelW-utf8.RuneCountInString(s))
}

// wrap cuts s into lines of at most w characters, at spaces when it can.
func wrap(s string, w int) []string {
	var out []string
	for utf8.RuneCountInString(s) > w {
		r := []rune(s)
		cut := w
		for i := w; i > w/2; i-- {
			if r[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), " "))
		s = strings.TrimLeft(string(r[cut:]), " ")
	}
	return append(out, s)
}
