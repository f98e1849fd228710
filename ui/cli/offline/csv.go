package offline

import (
	"strconv"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

// CSVHeader is the header row of every CSV export, the console's (History,
// x) and `coolpay history --csv`'s.
var CSVHeader = []string{
	"id", "created", "updated", "type", "state", "amount", "fees", "currency", "operator",
	"customer_name", "customer_phone", "customer_email", "customer_username", "reason",
	"app_transaction_ref", "transaction_ref", "operator_transaction_ref", "api_status", "message",
}

// CSVRow renders one record for CSV. Amounts stay the integer text (decimal
// for EUR) the API was sent, never grouped or reformatted; times are UTC
// RFC 3339. Text cells (which come from customers, the API, callbacks) are
// neutralised so that a spreadsheet shows them instead of running them as a
// formula (safe.CSVCell).
func CSVRow(r store.Record) []string {
	c := safe.CSVCell
	return []string{
		strconv.FormatUint(r.ID, 10), r.Created.UTC().Format(time.RFC3339), r.Updated.UTC().Format(time.RFC3339),
		string(r.Type), string(r.State), r.Amount, r.Fees, c(r.Currency), c(r.Operator),
		c(r.CustomerName), c(r.CustomerPhone), c(r.CustomerEmail), c(r.CustomerUsername), c(r.Reason),
		c(r.AppRef), c(r.TransactionRef), c(r.OperatorRef), c(r.APIStatus), c(r.Message),
	}
}
