package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// NewCmdPayouts is `coolpay payouts`: batch payouts from a spreadsheet. The
// engine is ui/batch's (shared with the console's batch flow); the commands
// and their output are payouts_check.go, payouts_send.go and
// payouts_status.go, what they share payouts_batch.go.
func NewCmdPayouts(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payouts",
		Short: "Batch payouts from a spreadsheet (CSV): check, send, status",
		Long: `Pay many wallets from one CSV file made in a spreadsheet: a header row naming
the columns (operator, phone, username, email, amount, reason, name — English
or French), separated by , or ; and saved as UTF-8.

check finds every problem at once; send pays the lines never sent before,
after you type the file's total; status shows where each line stands. A line
whose outcome is unknown is never sent again by coolpay, a results file
written by coolpay is refused, and a line identical to a payout already made
is paid again only with --allow-repeat. See README, "Batch payouts".`,
		Example: `  coolpay payouts check paie-novembre.csv
  coolpay payouts send paie-novembre.csv --total 1250000
  coolpay payouts status paie-novembre.csv --json`,
	}
	// Without a subcommand there is nothing to do: a usage error (exit 2),
	// the usage on stderr, as for any other wrong call.
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		cmd.SetOut(f.IO.ErrOut)
		cmd.Usage()
		return usageErrorf("%s needs a subcommand: check, send or status", cmd.CommandPath())
	}
	cmd.AddCommand(newCmdPayoutsCheck(f), newCmdPayoutsSend(f), newCmdPayoutsStatus(f))
	return cmd
}

// batchExit turns a batch command's exit code into the tree's error (the
// command has already said why).
func batchExit(code int) error {
	if code == ExitOK {
		return nil
	}
	return exitError{code: code}
}

// batchLedger opens the ledger read-only for check and status; none yet is
// no error (the file alone is checked, every line is still to send).
func (f *Factory) batchLedger() (*store.DB, func(), error) {
	db, err := f.OpenLedger(LedgerRead)
	if errors.Is(err, store.ErrNoLedger) {
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return db, func() { db.Close() }, nil
}

// batchRun runs payouts check or status: the ledger opened as
// batchLedger opens it, the service svc builds on it, a context Ctrl-C
// cancels, and the command's exit code turned into batchExit's error.
func (f *Factory) batchRun(cmd *cobra.Command, svc func(*store.DB) *core.Service, run func(context.Context, payoutsEnv) int) error {
	db, closeDB, err := f.batchLedger()
	if err != nil {
		return err
	}
	defer closeDB()
	ctx, cancel := signalContext(cmd.Context())
	defer cancel()
	return batchExit(run(ctx, f.batchEnv(db, svc(db))))
}

// batchEnv is what the payouts commands work with: svc, the ledger's
// language and this command's output streams.
func (f *Factory) batchEnv(db *store.DB, svc *core.Service) payoutsEnv {
	return payoutsEnv{Svc: svc, T: f.T(db), Stdout: f.IO.Out, Stderr: f.IO.ErrOut}
}
