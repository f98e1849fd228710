package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/safe"
)

func newCmdPayoutsSend(f *Factory) *cobra.Command {
	var o payoutsSendOptions
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
			return batchExit(payoutsSend(ctx, f.batchEnv(db, svc), args[0], o))
		},
	}
	cmd.Flags().StringVar(&o.Total, "total", "", "the file's total in XAF, typed as confirmation (required)")
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().StringVar(&o.Out, "out", "", "results file (default: beside the file, NAME.results.csv; never overwritten)")
	cmd.Flags().BoolVar(&o.RetryFailed, "retry-failed", false, "send again lines that were rejected or failed (never unknown ones)")
	cmd.Flags().BoolVar(&o.AllowRepeat, "allow-repeat", false, "also pay lines identical to payouts already made outside this batch")
	return cmd
}

// payoutsSendOptions are `coolpay payouts send`'s flags.
type payoutsSendOptions struct {
	Batch       string // default batch.BatchName(path)
	Total       string // as typed: must equal the file's total
	Out         string // results file, default batch.ResultsPath(path); never the batch file, never overwritten
	RetryFailed bool
	AllowRepeat bool // pay lines identical to payouts already made outside this batch
}

// payoutsSend is `coolpay payouts send FILE --total AMOUNT`. Exit 0 when every
// line of the file is accepted (paid, or in progress at the operator); 4 when
// any is rejected, failed, unknown or was not sent; 1 when nothing was sent
// (file errors, wrong total, balance short); 3 when another send is running.
func payoutsSend(ctx context.Context, env payoutsEnv, path string, o payoutsSendOptions) int {
	if o.Out != "" {
		if err := batch.CheckOut(path, o.Out); err != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.out_is_input", safe.Line(o.Out), safe.Line(path)))
			return ExitUsage
		}
	}
	f, err := batch.ReadFile(path)
	if err != nil {
		return env.fail(err)
	}
	if o.Batch == "" {
		o.Batch = batch.BatchName(path)
	}
	if !f.OK() {
		for _, p := range f.Problems {
			if !p.Warning {
				fmt.Fprintln(env.Stderr, "✘ "+batch.ProblemText(env.T, p))
			}
		}
		fmt.Fprintln(env.Stderr, env.t("batch.file_errors", f.Errors(), "coolpay payouts check "+shellQuote(path)))
		return ExitFailed
	}
	total, ok := batch.ParseTotal(o.Total)
	if !ok {
		fmt.Fprintln(env.Stderr, env.t("batch.total_bad", batch.Money(f.Total)))
		return ExitUsage
	}
	if total != f.Total {
		fmt.Fprintln(env.Stderr, env.t("batch.total_mismatch", batch.Money(total), batch.Money(f.Total)))
		return ExitFailed
	}
	w := env.Stdout
	// Warnings a person should have seen in check, said again before the
	// lines leave (the typed total is the confirmation).
	if pre, err := batch.MakePlan(ctx, env.store(), f, o.Batch); err == nil {
		lines, _ := batch.RepeatLines(env.T, pre)
		for _, s := range lines {
			fmt.Fprintln(env.Stderr, s)
		}
	}
	rep, err := batch.Send(ctx, env.Svc, f, batch.Options{Batch: o.Batch, Total: total, RetryFailed: o.RetryFailed, AllowRepeat: o.AllowRepeat,
		Progress: func(p batch.Progress) {
			if p.Sending {
				return
			}
			e := p.Entry
			fmt.Fprintf(w, "[%*d/%d] %-10s %14s  %s  %s\n", len(strconv.Itoa(p.Count)), p.Done, p.Count,
				env.t("batch.at.line", e.Line.Num), batch.Money(e.Line.Amount), safe.Line(batch.Recipient(e.Line)), batchResultWord(env, e))
		}})
	switch {
	case errors.Is(err, batch.ErrBusy):
		fmt.Fprintln(env.Stderr, env.t("batch.busy"))
		return ExitBusy
	case errors.Is(err, batch.ErrRepeat) && rep != nil:
		// Said again after the lines, in case they scrolled by.
		fmt.Fprintln(env.Stderr, env.t("batch.repeat_refused", len(rep.Repeats)))
		return ExitFailed
	case errors.Is(err, batch.ErrInsufficient) && rep != nil:
		fmt.Fprintln(env.Stderr, env.t("batch.insufficient", xafText(env.T, rep.Balance), batch.Money(rep.Need)))
		return ExitFailed
	case err != nil && rep == nil:
		return env.fail(fmt.Errorf("nothing was sent: %w", err))
	}
	if err != nil {
		// Stopped mid-way by a ledger error: what was sent is recorded.
		fmt.Fprintln(env.Stderr, env.t("batch.stopped", safe.Line(err.Error())))
	}
	if rep.Sent == 0 && err == nil {
		fmt.Fprintln(w, env.t("batch.nothing_to_send", "coolpay payouts status "+shellQuote(path)))
	}
	if rep.Stopped != "" {
		if ctx.Err() != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.interrupted"))
		} else {
			fmt.Fprintln(env.Stderr, env.t("batch.stopped", safe.Line(rep.Stopped)))
		}
	}
	env.report(rep.Plan, rep.Sent)
	env.saveResults(w, path, o.Out, rep.Plan)
	if err != nil || !rep.Plan.Accepted() {
		return ExitUnsettled
	}
	return ExitOK
}
