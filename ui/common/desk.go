package common

import (
	"github.com/charmbracelet/bubbles/key"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// PayAgainMsg asks the console to open the form of r's type (payin,
// paylink or payout) filled in with r's amount, customer and reason, for a
// regular customer. History sends it; the root switches to the form's tab
// and hands it the message. Nothing is sent until the cashier confirms.
type PayAgainMsg struct{ Record store.Record }

// ReceiptKey is the key that opens a record's receipt (History, result
// screens).
func ReceiptKey(t *i18n.Translator) key.Binding {
	return key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.T("receipt.help.open")))
}

// PayAgainKey is History's "pay again" key.
func PayAgainKey(t *i18n.Translator) key.Binding {
	return key.NewBinding(key.WithKeys("g"), key.WithHelp("g", t.T("desk.help.again")))
}
