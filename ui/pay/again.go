package pay

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/receipt"
)

// "Pay again": History sends common.PayAgainMsg, the root switches here,
// and the form is filled in from the old record. Nothing is sent: the
// cashier checks, changes what needs changing and sends as usual.

// prefill sets the form's fields from r; values come from the ledger, so
// control and format characters are dropped before they reach a field.
func prefill(f *components.Form, vals map[string]string) {
	for name, v := range vals {
		if fl := f.Field(name); fl != nil && v != "" {
			fl.SetValue(fieldText(v))
		}
	}
	f.Focus(fAmount)
}

func fieldText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// busyAgain is the answer when the screen is in the middle of a payment.
func busyAgain(c *common.Common) tea.Cmd {
	return func() tea.Msg {
		return common.StatusMsg{Kind: common.StatusWarn, Text: c.T.T("desk.again.busy")}
	}
}

func againDone(c *common.Common, r store.Record) tea.Cmd {
	return func() tea.Msg {
		return common.StatusMsg{Kind: common.StatusInfo, Text: c.T.T("desk.again.filled", r.ID)}
	}
}

func (p *Payin) payAgain(r store.Record) tea.Cmd {
	if p.Busy() {
		return busyAgain(p.c)
	}
	p.reset()
	prefill(p.form, map[string]string{fAmount: r.Amount, fPhone: r.CustomerPhone, fName: r.CustomerName,
		fEmail: r.CustomerEmail, fReason: r.Reason, fLang: r.CustomerLang})
	return againDone(p.c, r)
}

func (p *Paylink) payAgain(r store.Record) tea.Cmd {
	if p.Busy() {
		return busyAgain(p.c)
	}
	p.leave()
	prefill(p.form, map[string]string{fAmount: r.Amount, fCurrency: r.Currency, fPhone: r.CustomerPhone,
		fName: r.CustomerName, fEmail: r.CustomerEmail, fReason: r.Reason, fLang: r.CustomerLang})
	return againDone(p.c, r)
}

func (p *Payout) payAgain(r store.Record) tea.Cmd {
	if p.Busy() || p.state != payoutForm && p.state != payoutResult {
		return busyAgain(p.c)
	}
	p.reset()
	prefill(p.form, map[string]string{fOperator: r.Operator, fPhone: r.CustomerPhone, fUsername: r.CustomerUsername,
		fEmail: r.CustomerEmail, fAmount: r.Amount, fReason: r.Reason, fName: r.CustomerName})
	p.syncOperator()
	p.form.Focus(fAmount)
	return againDone(p.c, r)
}

// receiptOn opens the receipt of rec when msg is the receipt key (result
// screens).
func receiptOn(c *common.Common, rec store.Record, msg tea.KeyMsg) tea.Cmd {
	if rec.ID != 0 && key.Matches(msg, common.ReceiptKey(c.T)) {
		return receipt.Show(rec)
	}
	return nil
}

// withReceipt adds the receipt key to a result screen's help.
func withReceipt(c *common.Common, rec store.Record, b []key.Binding) []key.Binding {
	if rec.ID == 0 {
		return b
	}
	return append(b, common.ReceiptKey(c.T))
}
