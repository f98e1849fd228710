package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/text"
)

// newCmdLedgerCompact is `coolpay ledger compact`: rewrites a ledger grown
// by churn densely (store.Compact) and prints its size before and after.
// It refuses while another coolpay process has the ledger open.
func newCmdLedgerCompact(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the ledger densely (no other coolpay may have it open)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			path, err := f.LedgerPath()
			if err != nil {
				return err
			}
			t := f.T(nil)
			before, after, err := store.Compact(path)
			switch {
			case errors.Is(err, store.ErrNotAFile):
				return errors.New(t.T("cli.ledger.compact.database", store.Redact(path)))
			case errors.Is(err, os.ErrNotExist):
				return errNoLedger(path)
			case errors.Is(err, store.ErrInUse):
				return errors.New(t.T("cli.ledger.compact.in_use", inert(path)))
			case err != nil:
				return err
			}
			_, err = fmt.Fprintln(f.IO.Out, t.T("cli.ledger.compact.done", inert(path), text.Count(before), text.Count(after)))
			return err
		},
	}
}
