package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

func newCmdPayoutsCheck(f *Factory) *cobra.Command {
	var o payoutsCheckOptions
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
			return f.batchRun(cmd, svc, func(ctx context.Context, env payoutsEnv) int {
				return payoutsCheck(ctx, env, args[0], o)
			})
		},
	}
	cmd.Flags().StringVar(&o.Batch, "batch", "", "batch name (default: the file's name)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the problems and the summary as JSON")
	return cmd
}

// payoutsCheckOptions are `coolpay payouts check`'s flags.
type payoutsCheckOptions struct {
	Batch string // default batch.BatchName(path)
	JSON  bool
}

// payoutsCheckJSON is `payouts check --json`'s stable output.
type payoutsCheckJSON struct {
	File      string `json:"file"`
	Batch     string `json:"batch"`
	Delimiter string `json:"delimiter"`
	BOM       bool   `json:"bom"`
	Lines     int    `json:"lines"`
	Errors    int    `json:"errors"`
	// Money is in coolpay's one JSON form, a decimal string in Currency
	// ("1500"), never a number.
	Currency     string          `json:"currency"`
	Total        money.Amount    `json:"total"`
	FeesEstimate money.Amount    `json:"fees_estimate"`
	Balance      *money.Amount   `json:"balance"`       // null when it could not be read
	BalanceAfter *money.Amount   `json:"balance_after"` // balance − (lines still to send + their fees)
	AlreadySent  int             `json:"already_sent"`
	ToSend       int             `json:"to_send"`
	ToSendAmount money.Amount    `json:"to_send_amount"`
	OK           bool            `json:"ok"`
	Problems     []batch.Problem `json:"problems"`
	// Orphans are this batch's payouts that match no line any more (their
	// line was corrected or removed since): app_transaction_refs.
	Orphans []string `json:"orphans"`
	// Repeats are lines still to send that make the same payment as a
	// payout made outside this batch: identical ones (blocked: send
	// refuses them without --allow-repeat) whatever their age, the others
	// within RepeatWindow.
	Repeats []payoutsRepeatJSON `json:"repeats"`
}

// payoutsRepeatJSON is one repeat warning of `payouts check --json`.
type payoutsRepeatJSON struct {
	Line   int    `json:"line"`
	AppRef string `json:"app_transaction_ref"`
	Batch  string `json:"batch,omitempty"` // "" for a payout made by hand
	State  string `json:"state"`
	// Blocked: the reason is the same too; send refuses the line unless
	// --allow-repeat.
	Blocked bool `json:"blocked"`
}

// payoutsCheck is `coolpay payouts check FILE`: every problem of the file at once
// and a summary; nothing is sent. Exit 0 when the file can be sent, 1 when
// any line is bad.
func payoutsCheck(ctx context.Context, env payoutsEnv, path string, o payoutsCheckOptions) int {
	f, plan, err := env.planFile(ctx, path, &o.Batch)
	if err != nil {
		return env.fail(err)
	}
	todo := plan.ToSend(false)
	amount, fees := plan.Amounts(todo)
	_, allFees := plan.Amounts(validLines(plan))
	bal, balErr := "", error(nil)
	if env.Svc.Online() && len(f.Lines) > 0 {
		bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		bal, balErr = env.Svc.Balance(bctx)
		cancel()
	} else {
		balErr = core.ErrOffline
	}
	sent := len(validLines(plan)) - len(todo)
	repeats, blocked := batch.RepeatLines(env.T, plan)
	code := ExitOK
	if !f.OK() || blocked > 0 {
		code = ExitFailed
	}
	if o.JSON {
		out := payoutsCheckJSON{File: path, Batch: o.Batch, Delimiter: string(f.Delimiter), BOM: f.BOM, Lines: len(f.Lines),
			Errors: f.Errors(), Currency: money.XAF, Total: money.XAFOf(f.Total), FeesEstimate: money.XAFOf(allFees), AlreadySent: sent, ToSend: len(todo),
			ToSendAmount: money.XAFOf(amount), OK: f.OK() && blocked == 0, Problems: f.Problems}
		if out.Problems == nil {
			out.Problems = []batch.Problem{}
		}
		out.Orphans = []string{}
		for _, r := range plan.Orphans {
			out.Orphans = append(out.Orphans, r.AppRef)
		}
		out.Repeats = []payoutsRepeatJSON{}
		for i, e := range plan.Entries {
			if r, ok := plan.Repeats[i]; ok {
				out.Repeats = append(out.Repeats, payoutsRepeatJSON{Line: e.Line.Num, AppRef: r.AppRef, Batch: r.Batch,
					State: string(r.State), Blocked: plan.Blocked[i]})
			}
		}
		if balErr == nil {
			if b, err := money.ParseNumber(bal, money.XAF); err == nil {
				if after, _, ok := batch.After(b, money.XAFOf(amount), money.XAFOf(fees)); ok {
					out.Balance, out.BalanceAfter = &b, &after
				}
			}
		}
		return env.printJSON(out, code)
	}
	w := env.Stdout
	env.head(path, o.Batch, f)
	for _, p := range f.Problems {
		mark := "✘"
		if p.Warning {
			mark = "!"
		}
		fmt.Fprintln(w, mark+" "+batch.ProblemText(env.T, p))
	}
	moved := batch.MoneyMoved(plan.Orphans)
	for _, r := range moved {
		fmt.Fprintln(w, "! "+batch.OrphanText(env.T, r))
	}
	for _, s := range repeats {
		fmt.Fprintln(w, s)
	}
	if len(f.Problems)+len(moved)+len(repeats) > 0 {
		fmt.Fprintln(w)
	}
	row := func(k, v string) { fmt.Fprintf(w, "%-16s %s\n", k, v) }
	lines := strconv.Itoa(len(f.Lines))
	if bad := len(f.Lines) - len(validLines(plan)); bad > 0 {
		lines = env.t("batch.s.lines_bad", len(f.Lines), bad)
	}
	row(env.t("batch.s.lines"), lines)
	row(env.t("batch.s.total"), batch.Money(f.Total))
	row(env.t("batch.s.fees"), env.t("batch.s.fees_note", batch.Money(allFees), batch.FeePercent))
	switch {
	case errors.Is(balErr, core.ErrOffline):
		row(env.t("batch.s.balance"), env.t("batch.s.offline"))
	case balErr != nil:
		row(env.t("batch.s.balance"), env.t("batch.s.unavailable", safe.Line(balErr.Error())))
	default:
		row(env.t("batch.s.balance"), xafText(env.T, bal))
		if after, short, ok := batch.BalanceAfter(bal, amount, fees); ok {
			v := xafText(env.T, after)
			if short {
				v += "  " + env.t("batch.s.insufficient")
			}
			row(env.t("batch.s.after"), v)
			row("", env.t(batch.AfterNoteKey))
		}
	}
	if sent > 0 {
		row(env.t("batch.s.sent"), env.t("batch.s.sent_n", sent, len(validLines(plan))))
		row(env.t("batch.s.to_send"), env.t("batch.s.to_send_n", len(todo), batch.Money(amount)))
	}
	if !f.OK() {
		fmt.Fprintln(w, "\n"+env.t("batch.errors_count", f.Errors()))
		return code
	}
	if blocked > 0 {
		fmt.Fprintln(w, "\n"+env.t("batch.repeat_blocked", blocked))
		return code
	}
	fmt.Fprintln(w)
	if len(todo) == 0 {
		fmt.Fprintln(w, env.t("batch.nothing_to_send", "coolpay payouts status "+shellQuote(path)))
	} else {
		fmt.Fprintln(w, env.t("batch.next_send", sendCommand(path, o.Batch, f.Total)))
	}
	return code
}
