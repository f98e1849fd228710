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
