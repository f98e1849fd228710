package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/text"
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
Prints what changed. Then asks, once each, for the fees of successful
transactions of the last 90 days that have none (a payout paid at once is
answered without its fees). Ctrl-C stops it cleanly.

Exits 0 when every transaction is settled, 4 when some are still not final
or could not be checked (run it again later), 1 when it could not run.`,
		Example: `  coolpay reconcile
  coolpay reconcile --workers 8`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if workers < 1 || workers > 32 {
				return usageErrorf("--workers must be between 1 and 32")
			}
			db, svc, _, err := f.online(LedgerUpdate)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			out, t := f.IO.Out, f.T(db)
			var checked, changed, failed, open int
			err = svc.Reconcile(ctx, workers, func(before, after store.Record, err error) {
				checked++
				ref := inert(before.TransactionRef)
				if ref == "" {
					ref = inert(before.AppRef)
				}
				// before is the record as this run's write found it: a
				// change the listener made meanwhile is not this run's.
				switch {
				case err != nil:
					failed++
					if !before.State.Final() {
						open++ // (a fee look-up that failed leaves a final record final)
					}
					why := inert(err.Error())
					var api *client.APIError
					switch k := text.NetErrorKey(err); {
					case k != "":
						why = t.T(k) + " " + t.T("err.details", why)
					case errors.As(err, &api) && text.KnownAPIMessage(api.Message):
						why = t.T("err.server", api.HTTPStatus, inert(text.APIMessage(t, api.Message)))
					}
					fmt.Fprintln(out, t.T("cli.reconcile.err", ref, text.StateLabel(t, before.State), why))
				case after.State != before.State:
					changed++
					fmt.Fprintln(out, t.T("cli.reconcile.line", ref, text.StateLabel(t, before.State), text.StateLabel(t, after.State)))
				case before.Fees == "" && after.Fees != "":
					changed++
					fmt.Fprintln(out, t.T("cli.reconcile.fees", ref, amountText(t, after.Fees, after.Currency)))
				case core.NeedsFees(before) && !core.NeedsFees(after):
					fmt.Fprintln(out, t.T("cli.reconcile.fees_unknown", ref))
				}
				if err == nil && !after.State.Final() {
					open++
				}
			})
			fmt.Fprintln(out, t.T("cli.reconcile.total", checked, changed, failed))
			if err != nil {
				return err
			}
			if open > 0 {
				fmt.Fprintln(out, t.T("cli.reconcile.left", open))
				return exitError{code: ExitUnsettled}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 4, "status checks at once (1-32)")
	return cmd
}
