package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/money"
)

// NewCmdBalance is `coolpay balance`: the merchant balance, from the API.
func NewCmdBalance(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "balance",
		Short: "Show the merchant balance",
		Example: `  coolpay balance
  coolpay balance --json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The balance needs the keys, not the records: the ledger is
			// read for its settings only, and may be absent when the
			// flags or environment name the keys.
			db, done, err := f.optionalLedger()
			if err != nil {
				return err
			}
			defer done()
			svc, _, err := f.Service(db)
			if err != nil {
				return err
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			bal, err := svc.Balance(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				// coolpay's one JSON form for money: a decimal string.
				if a, perr := money.ParseNumber(bal, money.XAF); perr == nil {
					bal = a.Number()
				}
				return printJSON(f.IO.Out, map[string]any{"balance": bal, "currency": money.XAF})
			}
			t := f.T(db)
			_, err = fmt.Fprintln(f.IO.Out, t.T("cli.balance", amountText(t, bal, "XAF")))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"balance": "N", "currency": "XAF"} (the amount a decimal string)`)
	return cmd
}
