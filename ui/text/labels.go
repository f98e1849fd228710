package text

import (
	"strings"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

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
