package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
)

// NewCmdPayouts is `coolpay payouts`: batch payouts from a spreadsheet. The
// logic is ui/batch's (shared with the console's batch flow); this file only
// maps flags and exit codes.
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
	if code == batch.ExitOK {
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

// batchRun runs a check or status of package batch: the ledger opened as
// batchLedger opens it, the service svc builds on it, a context Ctrl-C
// cancels, and the command's exit code turned into batchExit's error.
func (f *Factory) batchRun(cmd *cobra.Command, svc func(*store.DB) *core.Service, run func(context.Context, batch.Env) int) error {
	db, closeDB, err := f.batchLedger()
	if err != nil {
		return err
	}
	defer closeDB()
	ctx, cancel := signalContext(cmd.Context())
	defer cancel()
	return batchExit(run(ctx, f.batchEnv(db, svc(db))))
}

// batchEnv is what package batch's commands work with: svc, the ledger's
// language and this command's output streams.
func (f *Factory) batchEnv(db *store.DB, svc *core.Service) batch.Env {
	return batch.Env{Svc: svc, T: f.T(db), Stdout: f.IO.Out, Stderr: f.IO.ErrOut}
}

func newCmdPayoutsCheck(f *Factory) *cobra.Command {
	var o batch.CheckOptions
	cmd := &cobra.Command{
		Use:   "check FILE",
		Short: "Check a batch file: every problem by line, the total, fees and balance",
		Long: `Check every line of a batch file at once and print each problem with its
spreadsheet line number (the header is line 1), then the number of lines, the
total, the estimated fees, the balance now and after, and how much of the
batch was sent before. Nothing is sent. Exit 0 when the file can be sent, 1
when any line is bad.`,
		Example: `  coolpay payouts check paie-novembre.csv
  coolpay payouts check paie-novembre.csv --json`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			// With an API configured the summary shows the balance; check
			// never prompts for the private key (it sends nothing).
			svc := func(db *store.DB) *core.Service {
				if pub, base := f.Resolve(db); pub != "" {
					return core.New(core.Config{Client: f.NewClient(pub, base, f.keysNoPrompt(pub)), Store: db})
				}
				return core.New(core.Config{Store: db})
			}
			return f.batchRun(cmd, svc, func(ctx context.Context, env batch.Env) int {
				return batch.CheckCmd(ctx, env, args[0], o)
			})
		},
	}
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the problems and the summary as JSON")
	return cmd
}

func newCmdPayoutsSend(f *Factory) *cobra.Command {
	var o batch.SendOptions
	cmd := &cobra.Command{
		Use:   "send FILE --total AMOUNT",
		Short: "Pay the lines of a batch file never sent before",
		Long: `Send the lines of a batch file that were never sent, one by one in file order,
each recorded in the ledger before it leaves, and print each result. Nothing
is sent unless --total equals the file's total (your confirmation), the file
has no error and the balance covers the lines plus estimated fees.

Running it again pays only lines never sent. A line whose outcome is unknown
is never re-sent; a rejected or failed line only with --retry-failed (or once
corrected, since a corrected line is a new line). A line identical to a payout
already made outside this batch (same operator, recipient, amount and reason,
paid, in progress or unknown, however old) stops the send before anything
leaves, unless --allow-repeat. A results file written by coolpay is refused.

Results are written beside the file (paie.csv -> paie.results.csv) or to
--out, never over an existing file (paie.results-2.csv, … instead) and never
over the batch file itself.

Exit 0 when every line is accepted (paid, or in progress at the operator), 1
when nothing was sent, 3 when another batch send holds the ledger, 4 when a
line was rejected, failed, is unknown or was left unsent.`,
		Example: `  coolpay payouts send paie-novembre.csv --total 1250000
  coolpay payouts send paie-novembre.csv --total "1 250 000" --out /tmp/results.csv`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Total == "" {
				return usageErrorf("--total is required: type the file's total (coolpay payouts check %s shows it)", args[0])
			}
			db, svc, _, err := f.online(LedgerCreate)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			return batchExit(batch.SendCmd(ctx, f.batchEnv(db, svc), args[0], o))
		},
	}
	cmd.Flags().StringVar(&o.Total, "total", "", "the file's total in XAF, typed as confirmation (required)")
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().StringVar(&o.Out, "out", "", "results file (default: beside the file, NAME.results.csv; never overwritten)")
	cmd.Flags().BoolVar(&o.RetryFailed, "retry-failed", false, "send again lines that were rejected or failed (never unknown ones)")
	cmd.Flags().BoolVar(&o.AllowRepeat, "allow-repeat", false, "also pay lines identical to payouts already made outside this batch")
	return cmd
}

func newCmdPayoutsStatus(f *Factory) *cobra.Command {
	var o batch.StatusOptions
	cmd := &cobra.Command{
		Use:   "status FILE",
		Short: "Where each line of a batch stands, from the ledger alone",
		Long: `Show each line of a batch file with its result from the ledger (no API call):
paid, in progress, unknown (with how to settle it), failed, rejected or not
sent yet. Exit 0 when every line is paid, 4 otherwise.`,
		Example: `  coolpay payouts status paie-novembre.csv
  coolpay payouts status paie-novembre.csv --json`,
		Args: exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			offline := func(db *store.DB) *core.Service { return core.New(core.Config{Store: db}) }
			return f.batchRun(cmd, offline, func(ctx context.Context, env batch.Env) int {
				return batch.StatusCmd(ctx, env, args[0], o)
			})
		},
	}
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print each line as JSON")
	cmd.Flags().StringVar(&o.Out, "out", "", "also write the results CSV here (never over an existing file)")
	return cmd
}
