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
			db, svc, _, err := f.online()
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			bal, err := svc.Balance(ctx)
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(f.IO.Out, map[string]any{"balance": json.Number(bal), "currency": "XAF"})
			}
			_, err = fmt.Fprintf(f.IO.Out, "%s XAF\n", bal)
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"balance": N, "currency": "XAF"}`)
	return cmd
}
