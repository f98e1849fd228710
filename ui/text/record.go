package text

import (
	"fmt"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// RecordField is one line of a record described for people.
type RecordField struct {
	// Key names the field; its label is the message "history.field."+Key.
	Key string
	// Value is what the line says, in t's language where it is a word.
	// Text from outside is left as it came: the caller's one sanitizer
	// (the view helper, the table writer) makes it inert.
	Value string
	// Code is the ledger's own value behind a translated Value (type,
	// state, operator), for a view that shows both; "" otherwise.
	Code string
}

// RecordFields describes a record's fields for people, in the one order
// the console's detail view and `coolpay status` list them; fields with
// nothing to say are left out. Advice that depends on where it is shown
// (the console's keys, warnings from the event trail) and the layout are
// the caller's.
func RecordFields(t *i18n.Translator, r store.Record) []RecordField {
	var out []RecordField
	add := func(key, v, code string) {
		if v != "" {
			out = append(out, RecordField{Key: key, Value: v, Code: code})
		}
	}
	ts := func(x time.Time) string {
		if x.IsZero() {
			return ""
		}
		return x.Local().Format("2006-01-02 15:04:05 MST")
	}
	add("id", fmt.Sprint(r.ID), "")
	add("type", TypeWord(t, r.Type), string(r.Type))
	add("state", StateLabel(t, r.State), string(r.State))
	add("amount", Amount(t.Lang(), r.Amount, r.Currency), "")
	add("fees", Amount(t.Lang(), r.Fees, r.Currency), "")
	add("operator", OperatorWord(t, r.Operator), r.Operator)
	add("api_status", r.APIStatus, "")
	add("message", APIMessageDetail(t, r.Message), "") // the API's own words kept
	add("reason", r.Reason, "")
	add("customer_name", r.CustomerName, "")
	add("customer_phone", r.CustomerPhone, "")
	add("customer_email", r.CustomerEmail, "")
	add("customer_username", r.CustomerUsername, "")
	add("customer_lang", r.CustomerLang, "")
	add("app_ref", r.AppRef, "")
	add("transaction_ref", r.TransactionRef, "")
	add("operator_ref", r.OperatorRef, "")
	if r.PaymentURL != "" && client.CheckPaymentURL(r.PaymentURL) != nil {
		add("payment_url", t.T("history.detail.bad_url"), "")
	} else {
		add("payment_url", r.PaymentURL, "")
	}
	add("ussd", r.USSD, "")
	add("action", r.Action, "")
	if r.HTTPStatus != 0 {
		add("http_status", fmt.Sprint(r.HTTPStatus), "")
	}
	if r.Synthetic {
		add("synthetic", t.T("history.detail.synthetic"), "")
	}
	if r.Batch != "" {
		add("batch", r.Batch+" · "+t.T("batch.at.line", r.BatchLine), "")
	}
	add("cashier", r.Cashier, "")
	add("created", ts(r.Created), "")
	add("updated", ts(r.Updated), "")
	add("request", r.Request, "")
	return out
}
