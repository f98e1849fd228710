package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/receipt/receipttext"
)

// NewCmdReceipt is `coolpay receipt REF`: a customer's receipt from the
// ledger, in the interface language (--lang), offline.
func NewCmdReceipt(f *Factory) *cobra.Command {
	var print bool
	cmd := &cobra.Command{
		Use:   "receipt REF",
		Short: "Print a customer's receipt for one transaction (offline)",
		Long: `Print the receipt of one transaction of the local ledger: the shop's name
(coolpay config set merchant_name NAME), date, amount, operator,
references, state and cashier, 32 characters wide for a till printer or a
phone message. A transaction that did not succeed says NOT PAID.

REF is the transaction_ref My-CoolPay gave, the app_transaction_ref
coolpay gave (cp-…), or the ledger id (the number History shows).`,
		Example: `  coolpay receipt cp-20261129-2c01b0d7233e
  coolpay receipt 42 --lang fr
  coolpay receipt 42 --print`,
		Args: exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := f.OpenLedger(LedgerRead)
			if err != nil {
				return err
			}
			defer db.Close()
			t := f.T(db)
			rec, err := findRecord(db, args[0])
			if errors.Is(err, store.ErrNotFound) {
				return errors.New(t.T("cli.receipt.not_found", inert(args[0])))
			}
			if err != nil {
				return err
			}
			merchant, _, _ := db.Setting(string(config.MerchantName))
			text := receipttext.Text(t, rec, receipttext.Info{Merchant: merchant})
			if print {
				ctx, cancel := signalContext(cmd.Context())
				defer cancel()
				if err := receipttext.Print(ctx, text); errors.Is(err, receipttext.ErrNoPrinter) {
					return errors.New(t.T("cli.receipt.no_printer"))
				} else if err != nil {
					return err
				}
				_, err := fmt.Fprintln(f.IO.Out, t.T("receipt.print.done"))
				return err
			}
			_, err = io.WriteString(f.IO.Out, text)
			return err
		},
	}
	cmd.Flags().BoolVar(&print, "print", false, "send it to the printer (lp or lpr) instead of printing it here")
	return cmd
}

// findRecord looks a transaction up by transaction_ref, then
// app_transaction_ref, then ledger id.
func findRecord(db *store.DB, ref string) (store.Record, error) {
	if r, err := db.ByTransactionRef(ref); err == nil || !errors.Is(err, store.ErrNotFound) {
		return r, err
	}
	if r, err := db.ByAppRef(ref); err == nil || !errors.Is(err, store.ErrNotFound) {
		return r, err
	}
	if id, err := strconv.ParseUint(ref, 10, 64); err == nil && id > 0 {
		return db.Get(id)
	}
	return store.Record{}, store.ErrNotFound
}
