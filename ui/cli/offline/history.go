package offline

import (
	"bufio"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

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
			store.StateFailed, store.StateCanceled, store.StateRejected, store.StateUnknown,
			store.StateReported, store.StateNotFound, store.StateMerged:
			f.States = append(f.States, st)
		default:
			return f, fmt.Errorf("--state %q: use NEW, CREATED, OTP_REQUIRED, PENDING, SUCCESS, FAILED, CANCELED, REJECTED, UNKNOWN, REPORTED, NOT_FOUND or MERGED", s)
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

// History is `coolpay history`: offline, from the ledger alone. It opens the
// file read-only and does nothing the answer does not need: no keyring, no
// network, no terminal probing.
func History(g *Globals, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	asJSON := fs.Bool("json", false, "print a JSON array of records")
	asCSV := fs.Bool("csv", false, "print CSV with a header row")
	typ := fs.String("type", "", "PAYIN, PAYOUT or PAYLINK (comma-separated for several)")
	state := fs.String("state", "", "state(s), e.g. FAILED or PENDING,UNKNOWN")
	operator := fs.String("operator", "", "MCP, CM_MOMO, CM_OM or CARD")
	since := fs.String("since", "", "from this date (YYYY-MM-DD, inclusive)")
	until := fs.String("until", "", "through this date (YYYY-MM-DD, inclusive)")
	search := fs.String("search", "", "text in name, phone, email, reason or references")
	limit := fs.Int("limit", 50, "at most this many records, newest first (0 = all)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *asJSON && *asCSV {
		return Fail(stderr, errors.New("choose one of --json and --csv"))
	}
	if *limit < 0 {
		return Fail(stderr, errors.New("--limit must be 0 or more"))
	}
	f, err := HistoryFilter(*typ, *state, *operator, *since, *until, *search)
	if err != nil {
		return Fail(stderr, err)
	}
	path, err := g.DBPath()
	if err != nil {
		return Fail(stderr, err)
	}
	w := bufio.NewWriterSize(stdout, 16<<10)
	out := newOutput(w, *asJSON, *asCSV)
	db, err := store.Open(path, store.Options{ReadOnly: true})
	switch {
	case errors.Is(err, store.ErrNoLedger):
		// No ledger yet: an empty history, not an error.
	case err != nil:
		return Fail(stderr, err)
	default:
		err = eachRecord(db, f, *limit, out.record)
		db.Close()
		if err != nil {
			return Fail(stderr, err)
		}
	}
	if err := out.finish(); err != nil {
		return Fail(stderr, err)
	}
	if err := w.Flush(); err != nil {
		return Fail(stderr, err)
	}
	return 0
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

// output writes records as they come: a JSON array (the same bytes as
// encoding/json with two-space indent), CSV, or a table.
type output struct {
	w         *bufio.Writer
	json, csv bool
	n         int
	cw        *csv.Writer
	buf       []byte
	table     []store.Record
}

func newOutput(w *bufio.Writer, asJSON, asCSV bool) *output {
	o := &output{w: w, json: asJSON, csv: asCSV}
	if asCSV {
		o.cw = csv.NewWriter(w)
		o.cw.Write(CSVHeader)
	}
	return o
}

func (o *output) record(r *store.Record) error {
	o.n++
	switch {
	case o.json:
		if o.n == 1 {
			o.buf = append(o.buf[:0], "[\n  "...)
		} else {
			o.buf = append(o.buf[:0], ",\n  "...)
		}
		o.buf = r.AppendJSON(o.buf, "  ")
		_, err := o.w.Write(o.buf)
		return err
	case o.csv:
		return o.cw.Write(CSVRow(*r))
	default:
		o.table = append(o.table, *r)
		return nil
	}
}

func (o *output) finish() error {
	switch {
	case o.json:
		if o.n == 0 {
			_, err := o.w.WriteString("[]\n")
			return err
		}
		_, err := o.w.WriteString("\n]\n")
		return err
	case o.csv:
		o.cw.Flush()
		return o.cw.Error()
	default:
		writeTable(o.w, o.table)
		return nil
	}
}

func writeTable(w io.Writer, recs []store.Record) {
	if len(recs) == 0 {
		fmt.Fprintln(w, "no transactions")
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
		// Ledger text is shown, never obeyed by the terminal.
		cust = safe.Line(cust)
		if rs := []rune(cust); len(rs) > 22 {
			cust = string(rs[:21]) + "…"
		}
		ref := r.TransactionRef
		if ref == "" {
			ref = r.AppRef
		}
		fmt.Fprintf(w, "%-16s  %-7s  %-12s  %12s %-3s  %-7s  %-22s  %s\n",
			r.Created.Local().Format("2006-01-02 15:04"), r.Type, StateWord(r.State), safe.Line(r.Amount),
			safe.Line(r.Currency), safe.Line(r.Operator), cust, safe.Line(ref))
	}
}

// stateWord marks non-final states so they stand out without colour.
func StateWord(s store.State) string {
	if s.Final() {
		return string(s)
	}
	return string(s) + " …"
}
