package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

func newCmdPayoutsStatus(f *Factory) *cobra.Command {
	var o payoutsStatusOptions
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
			return f.batchRun(cmd, offline, func(ctx context.Context, env payoutsEnv) int {
				return payoutsStatus(ctx, env, args[0], o)
			})
		},
	}
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print each line as JSON")
	cmd.Flags().StringVar(&o.Out, "out", "", "also write the results CSV here (never over an existing file)")
	return cmd
}

// payoutsStatusOptions are `coolpay payouts status`'s flags.
type payoutsStatusOptions struct {
	Batch string
	JSON  bool
	Out   string // also write the results file here ("" = do not)
}

// payoutsStatusLineJSON is one line of `payouts status --json`.
type payoutsStatusLineJSON struct {
	Line   int          `json:"line"`
	Status batch.Status `json:"status"`
	// Amount is in the status's currency (XAF), a decimal string ("1500");
	// absent on a line whose amount could not be read.
	Amount         *money.Amount `json:"amount,omitempty"`
	Operator       string        `json:"operator,omitempty"`
	Recipient      string        `json:"recipient,omitempty"`
	State          string        `json:"state,omitempty"`
	AppRef         string        `json:"app_transaction_ref,omitempty"`
	TransactionRef string        `json:"transaction_ref,omitempty"`
	Attempts       int           `json:"attempts"`
	Message        string        `json:"message,omitempty"`
	Settle         string        `json:"to_settle,omitempty"`
}

// payoutsStatus is `coolpay payouts status FILE`: where each line stands, from the
// ledger alone (no API call). Exit 0 when every line is paid, 4 otherwise.
func payoutsStatus(ctx context.Context, env payoutsEnv, path string, o payoutsStatusOptions) int {
	f, p, err := env.planFile(ctx, path, &o.Batch)
	if err != nil {
		return env.fail(err)
	}
	code := ExitUnsettled
	if p.AllPaid() {
		code = ExitOK
	}
	if o.Out != "" {
		if err := batch.CheckOut(path, o.Out); err != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.out_is_input", safe.Line(o.Out), safe.Line(path)))
			return ExitUsage
		}
		// With --json, stdout is the JSON alone.
		w := env.Stdout
		if o.JSON {
			w = env.Stderr
		}
		if !env.saveResults(w, path, o.Out, p) {
			return ExitFailed
		}
	}
	if o.JSON {
		out := struct {
			File     string                  `json:"file"`
			Batch    string                  `json:"batch"`
			Currency string                  `json:"currency"`
			Counts   map[batch.Status]int    `json:"counts"`
			Lines    []payoutsStatusLineJSON `json:"lines"`
			Orphans  int                     `json:"orphans"`
		}{File: path, Batch: o.Batch, Currency: money.XAF, Counts: p.Counts(), Lines: []payoutsStatusLineJSON{}, Orphans: len(p.Orphans)}
		for _, e := range p.Entries {
			var amount *money.Amount
			if e.Line.Amount != 0 {
				a := money.XAFOf(e.Line.Amount)
				amount = &a
			}
			out.Lines = append(out.Lines, payoutsStatusLineJSON{Line: e.Line.Num, Status: e.Status, Amount: amount,
				Operator: e.Line.In.Operator, Recipient: batch.Recipient(e.Line), State: string(e.Rec.State),
				AppRef: e.Rec.AppRef, TransactionRef: e.Rec.TransactionRef, Attempts: e.Attempts,
				Message: e.Rec.Message, Settle: batch.Settle(e)})
		}
		return env.printJSON(out, code)
	}
	w := env.Stdout
	env.head(path, o.Batch, f)
	for _, e := range p.Entries {
		ref := e.Rec.AppRef
		fmt.Fprintf(w, "  %-10s %14s  %-34s %s  %s\n", env.t("batch.at.line", e.Line.Num), batch.Money(e.Line.Amount),
			safe.Line(batch.Recipient(e.Line)), batch.StatusText(env.T, e.Status), safe.Line(ref))
	}
	env.report(p, 0)
	if c := p.Counts(); c[batch.StatusToSend] > 0 && f.OK() {
		fmt.Fprintln(w, "\n"+env.t("batch.next_send", sendCommand(path, o.Batch, f.Total)))
	}
	return code
}
