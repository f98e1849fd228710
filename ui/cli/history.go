package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/text"
)

type historyOptions struct {
	json, csv            bool
	typ, state, operator string
	since, until, search string
	cashier, customer    string
	limit                int
	sep                  string
	bom                  bool
	sepSet, bomSet       bool
}

// NewCmdHistory is `coolpay history`: the ledger, offline. It opens the
// file read-only and does nothing the answer does not need: no keyring, no
// network, no terminal probing.
func NewCmdHistory(f *Factory) *cobra.Command {
	var o historyOptions
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List transactions from the local ledger (offline)",
		Long: `List transactions from the local ledger, newest first. Nothing is sent
to the API and no private key is needed.

The table is for people: local times, words in your language (--lang,
LANG), amounts grouped as the console shows them ("50 500 XAF").

--json and --csv are for other programs and stay the same whatever the
language: times in UTC (RFC 3339, whole seconds, "2026-11-29T04:32:10Z"),
amounts as the text the API was sent ("50500").

For a spreadsheet in French, --csv --sep ';' --bom (or once for all:
coolpay config set csv_format fr) writes semicolons, decimal commas and a
byte-order mark.`,
		Example: `  coolpay history
  coolpay history --state PENDING,UNKNOWN
  coolpay history --type PAYOUT --since 2026-11-01 --until 2026-11-30 --csv > payouts.csv
  coolpay history --search 690112233 --limit 0 --json
  coolpay history --limit 0 --csv --sep ';' --bom > historique.csv`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.sepSet, o.bomSet = cmd.Flags().Changed("sep"), cmd.Flags().Changed("bom")
			if (o.sepSet || o.bomSet) && !o.csv {
				return usageMsg("cli.err.sep_bom")
			}
			return runHistory(f, o)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&o.json, "json", false, "print a JSON array of records")
	fl.BoolVar(&o.csv, "csv", false, "print CSV with a header row")
	fl.StringVar(&o.typ, "type", "", "PAYIN, PAYOUT or PAYLINK (comma-separated for several)")
	fl.StringVar(&o.state, "state", "", "state(s), e.g. FAILED or PENDING,UNKNOWN")
	fl.StringVar(&o.operator, "operator", "", "MCP, CM_MOMO, CM_OM or CARD")
	fl.StringVar(&o.since, "since", "", "from this date (YYYY-MM-DD, inclusive, or RFC 3339)")
	fl.StringVar(&o.until, "until", "", "through this date (YYYY-MM-DD, inclusive, or RFC 3339)")
	fl.StringVar(&o.search, "search", "", "text in name, phone, email, reason or references; a phone number as typed (+237 6 91 23 45 67) is looked up whole")
	fl.StringVar(&o.customer, "customer", "", "a customer's phone number or the start of their name (from the look-up index)")
	fl.StringVar(&o.cashier, "cashier", "", "only this cashier's transactions (the name in Settings)")
	fl.IntVar(&o.limit, "limit", 50, "at most this many records, newest first (0 = all)")
	fl.StringVar(&o.sep, "sep", ",", "CSV field separator: , or ; (; also writes decimal commas, for a French spreadsheet)")
	fl.BoolVar(&o.bom, "bom", false, "start the CSV with a UTF-8 byte-order mark (spreadsheets then read accents right)")
	completeWith(cmd, "type", "PAYIN", "PAYOUT", "PAYLINK")
	completeWith(cmd, "state", "NEW", "CREATED", "OTP_REQUIRED", "PENDING", "SUCCESS", "FAILED", "CANCELED", "REJECTED", "UNKNOWN")
	completeWith(cmd, "operator", "MCP", "CM_MOMO", "CM_OM", "CARD")
	completeWith(cmd, "sep", ",", ";")
	return cmd
}

func runHistory(f *Factory, o historyOptions) error {
	if o.json && o.csv {
		return usageMsg("cli.err.json_csv")
	}
	if o.limit < 0 {
		return usageMsg("cli.err.limit")
	}
	filter, err := HistoryFilter(o.typ, o.state, o.operator, o.since, o.until, o.search)
	var ue usageError
	if errors.As(err, &ue) {
		return err
	} else if err != nil {
		return usageError{err}
	}
	filter.Cashier = o.cashier
	if o.customer != "" {
		filter.Customer = o.customer
	}
	db, err := f.OpenLedger(LedgerReadOnce)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := listHistory(f, db, filter, o); errors.Is(err, store.ErrNoLedger) {
		// A file created by another process and not yet set up: what
		// Open says of it without DeferCheck.
		return errNoLedger(db.Path())
	} else if err != nil {
		return err
	}
	return nil
}

func listHistory(f *Factory, db *store.DB, filter store.Filter, o historyOptions) error {
	if o.json || o.csv {
		eo, err := csvOptions(f, db, o)
		if err != nil {
			return err
		}
		w := export.NewWriter(f.IO.Out, eo)
		if _, err := eachRecord(db, filter, o.limit, w.Write); err != nil {
			return err
		}
		return w.Close()
	}
	var recs []store.Record
	more, err := eachRecord(db, filter, o.limit, func(r *store.Record) error {
		recs = append(recs, *r)
		return nil
	})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f.IO.Out)
	t := f.T(db)
	writeTable(w, t, recs)
	if err := w.Flush(); err != nil {
		return err
	}
	if more {
		// A note for the person reading, not a row: on stderr, so
		// `coolpay history | wc -l` or a pager gets the table alone.
		fmt.Fprintln(f.IO.ErrOut, t.T("cli.history.more", text.Count(len(recs))))
	}
	return nil
}

// csvOptions is the export format the flags ask for; for CSV the
// separator and byte-order mark come from --sep and --bom, else from the
// csv_format setting.
func csvOptions(f *Factory, db *store.DB, o historyOptions) (export.Options, error) {
	if o.json {
		return export.Options{Format: export.JSON}, nil
	}
	v, _, _ := db.Setting(string(config.CSVFormat))
	eo := export.ForSetting(v)
	if o.sepSet {
		sep, err := parseSep(o.sep)
		if err != nil {
			return eo, err
		}
		eo.Sep = sep
		eo.DecimalComma = sep == ';'
	}
	if o.bomSet {
		eo.BOM = o.bom
	}
	return eo, nil
}

// parseSep reads --sep: one character among , ; | and tab ("\t" or "tab").
func parseSep(v string) (rune, error) {
	switch v {
	case ",", ";", "|":
		return rune(v[0]), nil
	case "tab", `\t`, "\t":
		return '\t', nil
	}
	return 0, usageMsg("cli.err.sep", v)
}

// parseDate reads a date flag's value: 2006-01-02 (local midnight) or RFC
// 3339, within the years the ledger can filter on (text.DateInRange).
// Its errors are usage errors naming the flag.
func parseDate(flag, s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, time.Local)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return time.Time{}, usageMsg("cli.err.date_bad", flag, s)
		}
	}
	if !text.DateInRange(t) {
		return time.Time{}, usageMsg("cli.err.date_range", flag, s,
			fmt.Sprintf("%d-01-01", text.FirstYear), fmt.Sprintf("%d-12-31", text.LastYear))
	}
	return t, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(strings.ToUpper(p)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// HistoryFilter builds a store filter from the command's flag values,
// checking each against the known enumerations.
func HistoryFilter(typ, state, operator, since, until, search string) (store.Filter, error) {
	var f store.Filter
	for _, t := range splitList(typ) {
		switch store.Type(t) {
		case store.TypePayin, store.TypePayout, store.TypePaylink:
			f.Types = append(f.Types, store.Type(t))
		default:
			return f, usageMsg("cli.err.type", t)
		}
	}
	for _, s := range splitList(state) {
		switch st := store.State(s); st {
		case store.StateNew, store.StateCreated, store.StateOTP, store.StatePending, store.StateSuccess,
			store.StateFailed, store.StateCanceled, store.StateRejected, store.StateUnknown,
			store.StateReported, store.StateNotFound, store.StateMerged:
			f.States = append(f.States, st)
		default:
			return f, usageMsg("cli.err.state", s)
		}
	}
	if operator != "" {
		op := strings.ToUpper(operator)
		switch op {
		case "MCP", "CM_MOMO", "CM_OM", "CARD":
			f.Operator = op
		default:
			return f, usageMsg("cli.err.operator", operator)
		}
	}
	var err error
	if since != "" {
		if f.Since, err = parseDate("--since", since); err != nil {
			return f, err
		}
	}
	if until != "" {
		if f.Until, err = parseDate("--until", until); err != nil {
			return f, err
		}
		if len(until) == len("2006-01-02") {
			f.Until = f.Until.AddDate(0, 0, 1) // a date means through the end of that day
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		// An empty window is a typing mistake, not "No transactions".
		return f, usageMsg("cli.err.since_after", since, until)
	}
	if store.IsPhone(search) {
		f.Customer = search // a phone as typed: the phone index, whole number
	} else {
		f.Search = search
	}
	return f, nil
}

// eachRecord feeds fn the newest limit records that match (all when limit
// is 0), a page at a time, so memory stays bounded whatever the ledger
// holds. more says whether the limit left matching records out.
func eachRecord(db *store.DB, f store.Filter, limit int, fn func(*store.Record) error) (more bool, err error) {
	cursor, left := "", limit
	for {
		n := 500
		if limit > 0 && left < n {
			n = left
		}
		p, err := db.List(f, n, cursor)
		if err != nil {
			return false, err
		}
		for i := range p.Records {
			if err := fn(&p.Records[i]); err != nil {
				return false, err
			}
		}
		left -= len(p.Records)
		if p.Next == "" {
			return false, nil
		}
		if limit > 0 && left <= 0 {
			return true, nil
		}
		cursor = p.Next
	}
}

// writeTable is history for people: local times, translated words,
// grouped amounts, text from outside made inert.
func writeTable(w io.Writer, t *i18n.Translator, recs []store.Record) {
	if len(recs) == 0 {
		fmt.Fprintln(w, t.T("cli.history.empty"))
		return
	}
	// The cashier column appears once any listed record has a cashier:
	// ledgers from before cashiers were recorded keep their old table.
	cashiers := false
	for i := range recs {
		cashiers = cashiers || recs[i].Cashier != ""
	}
	tb := table{right: map[int]bool{3: true}}
	head := []string{t.T("history.col.time"), t.T("history.col.type"), t.T("history.col.state"), t.T("history.col.amount"),
		t.T("history.col.operator"), t.T("history.col.customer")}
	if cashiers {
		head = append(head, t.T("today.by.cashier"))
	}
	tb.add(append(head, t.T("history.col.reference"))...)
	for _, r := range recs {
		cust := r.CustomerName
		if cust == "" {
			cust = r.CustomerPhone
		}
		if cust == "" {
			cust = r.CustomerUsername
		}
		if utf8.RuneCountInString(cust) > 22 {
			cust = string([]rune(cust)[:21]) + "…"
		}
		ref := r.TransactionRef
		if ref == "" {
			ref = r.AppRef
		}
		row := []string{r.Created.Local().Format("2006-01-02 15:04"), text.TypeWord(t, r.Type), text.StateLabel(t, r.State),
			amountText(t, r.Amount, r.Currency), text.OperatorWord(t, r.Operator), cust}
		if cashiers {
			row = append(row, r.Cashier)
		}
		tb.add(append(row, ref)...)
	}
	tb.write(w)
}
