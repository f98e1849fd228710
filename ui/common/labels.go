package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Relabel rewrites the help text of every binding in the translator's
// language. The root calls it at start and whenever the language changes, so
// screens that build help from c.Keys show translated labels.
func Relabel(km *KeyMap, t *i18n.Translator) {
	set := func(b *key.Binding, id string) { b.SetHelp(KeyName(t, b.Help().Key), t.T("app.key."+id)) }
	set(&km.NextTab, "next_tab")
	set(&km.PrevTab, "prev_tab")
	set(&km.NextField, "next_field")
	set(&km.PrevField, "prev_field")
	set(&km.Submit, "submit")
	set(&km.Back, "back")
	set(&km.Quit, "quit")
	set(&km.Help, "help")
	set(&km.Up, "up")
	set(&km.Down, "down")
	set(&km.PageUp, "page_up")
	set(&km.PageDown, "page_down")
	set(&km.Refresh, "refresh")
	set(&km.Reconcile, "reconcile")
	set(&km.Filter, "filter")
	set(&km.Search, "search")
	set(&km.Export, "export")
	set(&km.Details, "details")
	set(&km.Copy, "copy")
	set(&km.Confirm, "confirm")
	set(&km.Cancel, "cancel")
	set(&km.Override, "override")
	set(&km.NewTx, "new")
	set(&km.Balance, "balance")
	set(&km.Left, "left")
	set(&km.Right, "right")
	set(&km.Delete, "delete")
	set(&km.NextScreen, "next_screen")
	set(&km.PrevScreen, "prev_screen")
	set(&km.SubmitForm, "submit_form")
	set(&km.Toggle, "toggle")
	set(&km.Attach, "attach")
}

// keyWords are the key names help spells out in words; in French they are
// the words on the keys and in the catalogue's prose ("entrée", "échap"),
// so the help bar and the hints under a form say the same thing.
var keyWords = [...]string{"enter", "esc", "space", "shift", "pgup", "pgdn"}

// KeyName is a binding's key name ("enter", "shift+tab", "n/esc") in t's
// language ("entrée", "maj+tab", "n/échap"). It also takes a name already
// in the other language, so relabelling after a language switch works.
func KeyName(t *i18n.Translator, k string) string {
	en, fr := i18n.New(i18n.EN), i18n.New(i18n.FR)
	var b strings.Builder
	start := 0
	for i := 0; i <= len(k); i++ {
		if i < len(k) && k[i] != '/' && k[i] != '+' {
			continue
		}
		tok := k[start:i]
		for _, w := range keyWords {
			id := "app.keyname." + w
			if tok == en.T(id) || tok == fr.T(id) {
				tok = t.T(id)
				break
			}
		}
		b.WriteString(tok)
		if i < len(k) {
			b.WriteByte(k[i])
		}
		start = i + 1
	}
	return b.String()
}

// Help returns a copy of b with its help text replaced; screens use it for a
// binding whose meaning differs in one state (enter = "save" in a form).
func Help(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// StateSymbol is the symbol shown next to a state word, so a state never
// depends on colour alone. Every state that can still change gets "●".
func StateSymbol(s store.State) string {
	switch s {
	case store.StateSuccess:
		return "✔"
	case store.StateFailed, store.StateRejected:
		return "✘"
	case store.StateCanceled, store.StateNotFound:
		return "⊘"
	case store.StateMerged:
		return "↪"
	case store.StateUnknown:
		return "?"
	}
	return "●"
}

// StateWord is the translated word for a state ("success" / "réussi").
func StateWord(t *i18n.Translator, s store.State) string {
	return t.T("app.state." + strings.ToLower(string(s)))
}

// StateLabel is symbol and word together: "✔ success".
func StateLabel(t *i18n.Translator, s store.State) string {
	return StateSymbol(s) + " " + StateWord(t, s)
}

// StateStyle is the theme style for a state's label.
func (s *Styles) StateStyle(st store.State) lipgloss.Style {
	switch st {
	case store.StateSuccess:
		return s.Success
	case store.StateFailed, store.StateRejected, store.StateCanceled:
		return s.Failure
	case store.StateUnknown:
		return s.Warning
	}
	return s.Pending
}

// TypeWord is the translated, short name of a transaction type.
func TypeWord(t *i18n.Translator, ty store.Type) string {
	return t.T("app.type." + strings.ToLower(string(ty)))
}

// OperatorWord is the human name of an API operator code (CM_OM → Orange).
// Unknown codes are shown as they are, made inert (safe.Line); "" stays "".
func OperatorWord(t *i18n.Translator, op string) string {
	switch op {
	case "":
		return ""
	case "CM_OM", "CM_MOMO", "MCP", "CARD":
		return t.T("app.op." + strings.ToLower(op))
	}
	return safe.Line(op)
}

// GroupDigits formats the integer part of a decimal amount in groups of
// three for display ("1500000" → "1 500 000"). Exports keep the raw text.
func GroupDigits(amount string) string {
	intPart, frac, hasFrac := strings.Cut(amount, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	for _, r := range intPart {
		if r < '0' || r > '9' {
			return amount
		}
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Amount is an amount for reading, with its currency: digits grouped, EUR
// with its cents ("10.50 EUR"), and French's decimal comma ("10,50 EUR").
// XAF has no decimals. Exports and JSON keep the raw text. Amount and
// currency come from the ledger (a callback nobody asked for brings its
// own): the result is inert (safe.Line) wherever it is shown.
func Amount(t *i18n.Translator, amount, currency string) string {
	if amount == "" {
		return ""
	}
	s := GroupDigits(amount)
	if currency == "EUR" {
		whole, frac, _ := strings.Cut(s, ".")
		if len(frac) < 2 {
			frac += strings.Repeat("0", 2-len(frac))
		}
		s = whole + "." + frac
	}
	if t != nil && t.Lang() == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return safe.Line(strings.TrimSpace(s + " " + currency))
}

// apiMessages maps the My-CoolPay answers the console knows (the vendor's
// documented ones and the sandbox's) to catalogue keys. The API speaks
// English only; the ledger and History's detail keep its own words.
var apiMessages = map[string]string{
	"transaction successful":                                           "api.msg.successful",
	"successful transaction !":                                         "api.msg.successful_excl",
	"transaction in progress...":                                       "api.msg.in_progress",
	"transaction canceled":                                             "api.msg.canceled",
	"transaction canceled by the customer":                             "api.msg.canceled_customer",
	"transaction failed":                                               "api.msg.failed",
	"too many invalid authorization codes":                             "api.msg.too_many_codes",
	"too many invalid authorization codes: the transaction has failed": "api.msg.too_many_codes_failed",
	"invalid authorization code !":                                     "api.msg.invalid_code",
	"insufficient balance":                                             "api.msg.insufficient",
	"ip address not allowed":                                           "api.msg.ip",
	"invalid private key":                                              "api.msg.private_key",
	"unknown application: no application has this public key":          "api.msg.unknown_app",
	"transaction not found":                                            "api.msg.not_found",
	"this transaction is not awaiting an authorization code":           "api.msg.not_awaiting",
	// The sandbox's and the collection's other known refusals.
	"transaction_amount is required":                                                  "api.msg.amount_required",
	"transaction_amount must be a number":                                             "api.msg.amount_number",
	"transaction_amount must be a json number, not a string":                          "api.msg.amount_number",
	"transaction_amount must be a plain decimal number":                               "api.msg.amount_number",
	"transaction_amount must be greater than zero":                                    "api.msg.amount_positive",
	"transaction_amount is too large":                                                 "api.msg.amount_too_large",
	"transaction_amount has more than 2 decimals":                                     "api.msg.amount_decimals",
	"transaction_amount must be a whole number of xaf":                                "api.msg.amount_whole",
	"transaction_currency must be xaf":                                                "api.msg.currency_xaf",
	"transaction_currency must be xaf or eur":                                         "api.msg.currency_xaf_eur",
	"customer_phone_number is required":                                               "api.msg.phone_required",
	"customer_phone_number is neither an orange money nor an mtn mobile money number": "api.msg.phone_not_momo",
	"customer_lang must be fr or en":                                                  "api.msg.lang",
	"customer_email is not a valid email address":                                     "api.msg.email",
	"transaction_operator is required":                                                "api.msg.operator_required",
	"transaction_operator must be mcp, cm_momo or cm_om":                              "api.msg.operator_invalid",
	"mcp payouts need customer_phone_number, customer_username or customer_email":     "api.msg.mcp_recipient",
	"transaction_ref is required":                                                     "api.msg.ref_required",
	"code is required":                                                                "api.msg.code_required",
	"extra query parameters are limited to 255 characters":                            "api.msg.params_too_long",
	"missing private key: send it in the x-private-key header":                        "api.msg.private_key_missing",
	"private_key must not be sent in the body: use the x-private-key header":          "api.msg.private_key_body",
	"route not found":   "api.msg.route",
	"invalid json body": "api.msg.bad_body",
	"invalid json body: a json object is expected":            "api.msg.bad_body",
	"empty request body: a json object or a form is expected": "api.msg.bad_body",
	"request body too large":                                  "api.msg.body_too_large",
	// coolpay's own plain words for a network failure (client.Explain),
	// which the ledger keeps as a record's message.
	"no answer in time: the outcome is unknown, the server may have acted (check before paying again)":                       "err.unknown.timeout",
	"no answer in time: nothing was changed, try again":                                                                      "err.net.timeout",
	"the connection closed before the answer: the outcome is unknown, the server may have acted (check before paying again)": "err.unknown.closed",
	"the connection closed before the answer: nothing was changed, try again":                                                "err.net.closed",
	"the connection was refused (the server is down or the base url is wrong): nothing was sent":                             "err.net.refused",
	"not sent: the connection was refused (the server is down or the base url is wrong): nothing was sent":                   "err.net.refused",
	"the server's name was not found (no internet, or a wrong base url): nothing was sent":                                   "err.net.dns",
	"not sent: the server's name was not found (no internet, or a wrong base url): nothing was sent":                         "err.net.dns",
	"the secure connection failed (a certificate not trusted, or a proxy in between): nothing was sent":                      "err.net.tls",
	"not sent: the secure connection failed (a certificate not trusted, or a proxy in between): nothing was sent":            "err.net.tls",
	"the network failed during the request: the outcome is unknown, the server may have acted (check before paying again)":   "err.unknown.other",
	"the network failed during the request: nothing was changed, try again":                                                  "err.net.other",
}

// APIMessage is a message from the API in the interface's language when it
// is one the console knows; any other text is returned as it came.
func APIMessage(t *i18n.Translator, msg string) string {
	if k, ok := apiMessages[strings.ToLower(strings.TrimSpace(msg))]; ok {
		return t.T(k)
	}
	return msg
}

// APIMessageDetail is APIMessage followed by the API's own words when the
// two differ, for the detail view: "Transaction réussie (Transaction successful)".
func APIMessageDetail(t *i18n.Translator, msg string) string {
	if tr := APIMessage(t, msg); tr != msg {
		return tr + " (" + msg + ")"
	}
	return msg
}
