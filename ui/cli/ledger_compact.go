package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
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
			if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
				return errNoLedger(path)
			}
			t := f.T(nil)
			before, after, err := store.Compact(path)
			if errors.Is(err, store.ErrInUse) {
				return errors.New(t.T("cli.ledger.compact.in_use", path))
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(f.IO.Out, t.T("cli.ledger.compact.done", path, before, after))
			return err
		},
	}
}

// newCmdLedger is the `ledger` group (maintenance of the ledger file).
func newCmdLedger(f *Factory) *cobra.Command {
	c := &cobra.Command{Use: "ledger", Short: "Maintain the ledger file", Args: cobra.NoArgs}
	c.AddCommand(newCmdLedgerCompact(f))
	return c
}
