package offline

import (
	"strconv"
	"time"

	"github.com/coolpay/coolpay/store"
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
// RFC 3339.
func CSVRow(r store.Record) []string {
	return []string{
		strconv.FormatUint(r.ID, 10), r.Created.UTC().Format(time.RFC3339), r.Updated.UTC().Format(time.RFC3339),
		string(r.Type), string(r.State), r.Amount, r.Fees, r.Currency, r.Operator,
		r.CustomerName, r.CustomerPhone, r.CustomerEmail, r.CustomerUsername, r.Reason,
		r.AppRef, r.TransactionRef, r.OperatorRef, r.APIStatus, r.Message,
	}
}
