package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
)

type historyOptions struct {
	json, csv            bool
	typ, state, operator string
	since, until, search string
	limit                int
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

--json and --csv are for other programs: locale-free, times in UTC
(RFC 3339, whole seconds), amounts as the integer text the API was sent.`,
		Example: `  coolpay history
  coolpay history --state PENDING,UNKNOWN
  coolpay history --type PAYOUT --since 2026-11-01 --until 2026-11-30 --csv > payouts.csv
  coolpay history --search 690112233 --limit 0 --json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
	fl.StringVar(&o.search, "search", "", "text in name, phone, email, reason or references")
	fl.IntVar(&o.limit, "limit", 50, "at most this many records, newest first (0 = all)")
	return cmd
}

func runHistory(f *Factory, o historyOptions) error {
	if o.json && o.csv {
		return usageErrorf("choose one of --json and --csv")
	}
	if o.limit < 0 {
		return usageErrorf("--limit must be 0 or more")
	}
	filter, err := HistoryFilter(o.typ, o.state, o.operator, o.since, o.until, o.search)
	if err != nil {
		return usageError{err}
	}
	db, err := f.OpenLedger(false)
	if err != nil {
		return err
	}
	defer db.Close()
	switch {
	case o.json || o.csv:
		eo := export.Options{Format: export.JSON}
		if o.csv {
			eo = export.Options{Format: export.CSV}
		}
		w := export.NewWriter(f.IO.Out, eo)
		if err := eachRecord(db, filter, o.limit, w.Write); err != nil {
			return err
		}
		return w.Close()
	default:
		var recs []store.Record
		err := eachRecord(db, filter, o.limit, func(r *store.Record) error {
			recs = append(recs, *r)
			return nil
		})
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f.IO.Out)
		writeTable(w, recs)
		return w.Flush()
	}
}

// parseDate accepts 2006-01-02 (local midnight) or RFC 3339.
func parseDate(s string) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use YYYY-MM-DD or RFC 3339)", s)
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
			return f, fmt.Errorf("--type %q: use PAYIN, PAYOUT or PAYLINK", t)
		}
	}
	for _, s := range splitList(state) {
		switch st := store.State(s); st {
		case store.StateNew, store.StateCreated, store.StateOTP, store.StatePending, store.StateSuccess,
			store.StateFailed, store.StateCanceled, store.StateRejected, store.StateUnknown:
			f.States = append(f.States, st)
		default:
			return f, fmt.Errorf("--state %q: use NEW, CREATED, OTP_REQUIRED, PENDING, SUCCESS, FAILED, CANCELED, REJECTED or UNKNOWN", s)
		}
	}
	if operator != "" {
		op := strings.ToUpper(operator)
		switch op {
		case "MCP", "CM_MOMO", "CM_OM", "CARD":
			f.Operator = op
		default:
			return f, fmt.Errorf("--operator %q: use MCP, CM_MOMO, CM_OM or CARD", operator)
		}
	}
	var err error
	if since != "" {
		if f.Since, err = parseDate(since); err != nil {
			return f, fmt.Errorf("--since: %w", err)
		}
	}
	if until != "" {
		if f.Until, err = parseDate(until); err != nil {
			return f, fmt.Errorf("--until: %w", err)
		}
		if len(until) == len("2006-01-02") {
			f.Until = f.Until.AddDate(0, 0, 1) // a date means through the end of that day
		}
	}
	f.Search = search
	return f, nil
}

// eachRecord feeds fn the newest limit records that match (all when limit
// is 0), a page at a time, so memory stays bounded whatever the ledger holds.
func eachRecord(db *store.DB, f store.Filter, limit int, fn func(*store.Record) error) error {
	cursor, left := "", limit
	for {
		n := 500
		if limit > 0 && left < n {
			n = left
		}
		p, err := db.List(f, n, cursor)
		if err != nil {
			return err
		}
		for i := range p.Records {
			if err := fn(&p.Records[i]); err != nil {
				return err
			}
		}
		left -= len(p.Records)
		if p.Next == "" || (limit > 0 && left <= 0) {
			return nil
		}
		cursor = p.Next
	}
}

var errEmpty = errors.New("no transactions")

func writeTable(w io.Writer, recs []store.Record) {
	if len(recs) == 0 {
		fmt.Fprintln(w, errEmpty)
		return
	}
	fmt.Fprintf(w, "%-16s  %-7s  %-12s  %12s %-3s  %-7s  %-22s  %s\n", "CREATED", "TYPE", "STATE", "AMOUNT", "", "OPER", "CUSTOMER", "REFERENCE")
	for _, r := range recs {
		cust := r.CustomerName
		if cust == "" {
			cust = r.CustomerPhone
		}
		if cust == "" {
			cust = r.CustomerUsername
		}
		if len(cust) > 22 {
			cust = cust[:21] + "…"
		}
		ref := r.TransactionRef
		if ref == "" {
			ref = r.AppRef
		}
		fmt.Fprintf(w, "%-16s  %-7s  %-12s  %12s %-3s  %-7s  %-22s  %s\n",
			r.Created.Local().Format("2006-01-02 15:04"), r.Type, stateWord(r.State), r.Amount, r.Currency, r.Operator, cust, ref)
	}
}

// stateWord marks non-final states so they stand out without colour.
func stateWord(s store.State) string {
	if s.Final() {
		return string(s)
	}
	return string(s) + " …"
}
