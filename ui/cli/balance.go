package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
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
				return printJSON(f.IO.Out, map[string]any{"balance": json.Number(bal), "currency": "XAF"})
			}
			_, err = fmt.Fprintln(f.IO.Out, f.T(db).T("cli.balance", amountText(bal, "XAF")))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"balance": N, "currency": "XAF"}`)
	return cmd
}
