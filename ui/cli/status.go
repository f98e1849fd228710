package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
)

// NewCmdStatus is `coolpay status REF`: ask the API, update the ledger,
// print. REF is a transaction_ref, or the app_transaction_ref of a ledger
// record.
func NewCmdStatus(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status REF",
		Short: "Ask the API about one transaction and update the ledger",
		Long: `Ask the API for the current state of one transaction and record the answer
in the ledger. REF is the transaction_ref My-CoolPay gave, or the
app_transaction_ref coolpay gave (cp-…).`,
		Example: `  coolpay status 6f0e1c2a-9b7d-4c3e-8a55-0d2f4b1e9c11
  coolpay status cp-20261129-0001 --json`,
		Args: exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, svc, _, err := f.online()
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			rec, err := svc.Track(ctx, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(f.IO.Out, rec)
			}
			printRecord(f.IO.Out, rec)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the record as JSON")
	return cmd
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printRecord(w io.Writer, r store.Record) {
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-26s %s\n", k, v)
		}
	}
	row("state", stateWord(r.State))
	row("type", string(r.Type))
	row("amount", strings.TrimSpace(r.Amount+" "+r.Currency))
	row("fees", r.Fees)
	row("operator", r.Operator)
	row("transaction_ref", r.TransactionRef)
	row("app_transaction_ref", r.AppRef)
	row("operator_transaction_ref", r.OperatorRef)
	row("customer", strings.TrimSpace(r.CustomerName+" "+r.CustomerPhone+" "+r.CustomerEmail+" "+r.CustomerUsername))
	row("reason", r.Reason)
	row("message", r.Message)
	row("payment_url", r.PaymentURL)
	row("ussd", r.USSD)
	row("created", r.Created.Local().Format(time.DateTime))
	row("updated", r.Updated.Local().Format(time.DateTime))
	for _, e := range r.Events {
		fmt.Fprintf(w, "  %s  %-13s %s\n", e.At.Local().Format(time.DateTime), e.Kind, e.Detail)
	}
}
