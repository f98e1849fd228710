package cli

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/coolpay/coolpay/client/money"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/ui/export"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/report"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// NewCmdReport is `coolpay report`: one day's totals, the figures of the
// console's Today screen (both come from ui/report). Offline, read-only.
func NewCmdReport(f *Factory) *cobra.Command {
	var date, cashier string
	var asJSON, asCSV bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Totals of one day by type, state, operator and cashier (offline)",
		Long: `Add up one day of the local ledger: count, amount, fees and net per type,
state, operator and cashier. The day is a local calendar day of creation,
the same transactions ` + "`coolpay history --since D --until D`" + ` lists.

Net is what reached the balance: received less fees for successful payins
and paylinks, sent plus fees for successful payouts; 0 for the others.

--json prints {"date": "YYYY-MM-DD", "groups": [{"type", "state",
"operator", "cashier", "count", "amount", "fees"}, ...]} with amounts as
decimal strings; a group in another currency than XAF also has "currency",
and one with successful transactions whose fees the API has not given yet
"fees_unknown" (their count: fees and net leave them out, and the text
output says so; coolpay reconcile asks the API for them).
--csv prints the same groups, one per row.`,
		Example: `  coolpay report
  coolpay report --date 2026-11-28 --lang fr
  coolpay report --json | jq '.groups[] | select(.state == "SUCCESS")'
  coolpay report --cashier awa --csv > awa.csv`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asJSON && asCSV {
				return usageMsg("cli.err.json_csv")
			}
			day := report.DayOf(time.Now())
			if date != "" {
				d, err := parseDay("--date", date)
				if err != nil {
					return err
				}
				day = d
			}
			db, err := f.OpenLedger(LedgerRead)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			rep, err := report.Day(ctx, db, day, cashier)
			if err != nil {
				return err
			}
			switch {
			case asJSON:
				return printJSON(f.IO.Out, rep)
			case asCSV:
				v, _, _ := db.Setting(string(config.CSVFormat))
				return writeReportCSV(f.IO.Out, rep, export.ForSetting(v))
			}
			w := bufio.NewWriter(f.IO.Out)
			writeReport(w, f.T(db), rep)
			return w.Flush()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&date, "date", "", "the day, YYYY-MM-DD (default: today)")
	fl.StringVar(&cashier, "cashier", "", "only this cashier's transactions")
	fl.BoolVar(&asJSON, "json", false, `print {"date", "groups"} as JSON`)
	fl.BoolVar(&asCSV, "csv", false, "print the groups as CSV with a header row")
	return cmd
}

// parseDay reads a day flag (YYYY-MM-DD, local), within the years the
// ledger can filter on, as history's --since and --until.
func parseDay(flag, s string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		return time.Time{}, usageMsg("cli.err.date_day", flag, s)
	}
	if !text.DateInRange(d) {
		return time.Time{}, usageMsg("cli.err.date_range", flag, s,
			fmt.Sprintf("%d-01-01", text.FirstYear), fmt.Sprintf("%d-12-31", text.LastYear))
	}
	return d, nil
}

// writeReportCSV writes one row per group; with the French spreadsheet
// format, semicolons and decimal commas, as history --csv does.
func writeReportCSV(out io.Writer, rep report.Report, o export.Options) error {
	w, err := o.NewCSV(out)
	if err != nil {
		return err
	}
	num := func(a money.Amount) string { return o.Number(a.Number()) }
	w.Write([]string{"date", "type", "state", "operator", "cashier", "currency", "count", "amount", "fees"})
	for _, g := range rep.Groups {
		w.Write([]string{rep.Day.Format(time.DateOnly), string(g.Type), string(g.State), g.Operator,
			safe.CSVCell(g.Cashier), g.CurrencyName(), strconv.Itoa(g.Count), num(g.Amount), num(g.Fees)})
	}
	w.Flush()
	return w.Error()
}

// writeReport is the day for people: one table per dimension, grouped
// amounts, translated words, the cashier names made inert.
func writeReport(w io.Writer, t *i18n.Translator, rep report.Report) {
	fmt.Fprintln(w, t.T("today.title.day", text.LongDate(t, rep.Day)))
	if rep.Count == 0 {
		fmt.Fprintln(w, t.T("today.empty"))
		return
	}
	for _, d := range []report.Dimension{report.ByType, report.ByState, report.ByOperator, report.ByCashier} {
		fmt.Fprintln(w)
		tb := table{right: map[int]bool{1: true, 2: true, 3: true, 4: true}}
		tb.add(text.ReportDimension(t, d), t.T("today.col.count"), t.T("today.col.amount"),
			t.T("today.col.fees"), t.T("today.col.net"))
		for _, tot := range rep.Totals(d) {
			tb.add(text.ReportKey(t, d, tot.Key), strconv.Itoa(tot.Count), text.ReportAmount(t, tot.Amount),
				text.ReportAmount(t, tot.Fees), text.ReportAmount(t, tot.Net))
		}
		tb.write(w)
	}
	fmt.Fprintln(w)
	for _, s := range rep.Sum() {
		fmt.Fprintln(w, t.T("today.total", s.Count, text.ReportAmount(t, s.Amount),
			text.ReportAmount(t, s.Fees), text.ReportAmount(t, s.Net)))
	}
	if rep.FeesUnknown > 0 {
		fmt.Fprintln(w, t.T("today.fees_unknown", rep.FeesUnknown))
	}
	if rep.Damaged > 0 {
		fmt.Fprintln(w, t.T("today.damaged", rep.Damaged))
	}
}
