package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
)

// NewCmdReconcile is `coolpay reconcile`: poll every non-final transaction
// and print what changed. Ctrl-C stops it cleanly.
func NewCmdReconcile(f *Factory) *cobra.Command {
	var workers int
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Ask the API about every transaction that is not final",
		Long: `Ask the API about every transaction in the ledger that is not final yet
(NEW, CREATED, OTP_REQUIRED, PENDING, UNKNOWN) and record the answers.
Prints what changed. Ctrl-C stops it cleanly.`,
		Example: `  coolpay reconcile
  coolpay reconcile --workers 8`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if workers < 1 || workers > 32 {
				return usageErrorf("--workers must be between 1 and 32")
			}
			db, svc, _, err := f.online()
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			out := f.IO.Out
			var checked, changed, failed int
			err = svc.Reconcile(ctx, workers, func(before, after store.Record, err error) {
				checked++
				ref := before.TransactionRef
				if ref == "" {
					ref = before.AppRef
				}
				switch {
				case err != nil:
					failed++
					fmt.Fprintf(out, "%-40s %-12s could not check: %v\n", ref, before.State, err)
				case after.State != before.State:
					changed++
					fmt.Fprintf(out, "%-40s %-12s -> %s\n", ref, before.State, after.State)
				}
			})
			fmt.Fprintf(out, "%d checked, %d changed, %d could not be checked\n", checked, changed, failed)
			if err != nil {
				return err
			}
			if failed > 0 {
				return exitError{code: ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 4, "status checks at once (1-32)")
	return cmd
}
