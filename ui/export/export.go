// Package export writes ledger records for other programs: CSV and JSON,
// the same bytes whether the History screen (ui/history) or a command
// (coolpay history) asks. Output is locale-free and stable:
//
//   - times are UTC, RFC 3339, whole seconds ("2026-11-29T04:32:10Z"),
//     in JSON and CSV alike;
//   - amounts are the integer text (decimal for EUR) the API was sent, never
//     grouped or reformatted;
//   - JSON is an indented array, one object per record (store.Record's
//     field names), streamed: memory stays bounded whatever the count
//     (WriteRecord: one object);
//   - CSV is RFC 4180 with a header row; for a French spreadsheet
//     (FrenchSpreadsheet) the separator is a semicolon, decimal amounts
//     take a comma, and the file starts with a UTF-8 byte-order mark so
//     accents survive.
//
// Text from outside stays exact in JSON and visible in CSV, never live:
//
//   - every cell of every CSV coolpay writes (this package's, the day's
//     report, the batch results file) goes through one writer, CSVWriter,
//     which applies safe.CSVCell to every column: controls, escape
//     sequences and bidi overrides shown as the tables show them ("^[",
//     "<U+202E>"), so `cat` of the file obeys nothing and a row is one
//     line, and a would-be formula gets a leading apostrophe;
//   - JSON goes through safe.JSON: the C1 controls, bidi and other format
//     code points encoding/json writes raw are \u escapes, the values the
//     same once decoded.
//
// It imports only the standard library, store and ui/safe: `coolpay history --json`
// is timed as a whole process, and every linked package's start-up counts.
package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

// Format is an output format.
type Format int

const (
	JSON Format = iota + 1
	CSV
)

// Options shape the output.
type Options struct {
	Format Format
	// Sep is the CSV field separator (0 means ',').
	Sep rune
	// BOM starts CSV with a UTF-8 byte-order mark (spreadsheets then read
	// it as UTF-8).
	BOM bool
	// DecimalComma writes decimal amounts (EUR) with a comma, "12,50", as
	// a spreadsheet in French reads numbers. Integer amounts are unchanged.
	DecimalComma bool
}

// FrenchSpreadsheet is CSV as a French-language spreadsheet opens it
// without an import dialog: ';' between fields (',' is the decimal comma
// there) and a byte-order mark.
var FrenchSpreadsheet = Options{Format: CSV, Sep: ';', BOM: true, DecimalComma: true}

// ForSetting is the CSV options a csv_format setting names: "fr" for a
// French spreadsheet, anything else RFC 4180.
func ForSetting(v string) Options {
	if v == "fr" {
		return FrenchSpreadsheet
	}
	return Options{Format: CSV}
}

// NewCSV starts CSV on w as o says: the byte-order mark when o asks for
// one, then a CSVWriter with o's separator. History's export, the day's
// report and the batch results file all start their CSV here.
func (o Options) NewCSV(w io.Writer) (*CSVWriter, error) {
	if o.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	if o.Sep != 0 {
		cw.Comma = o.Sep
	}
	return &CSVWriter{cw: cw}, nil
}

// CSVWriter is the one writer of coolpay's CSV: a csv.Writer that makes
// every cell of every row safe (safe.CSVCell) before writing it, so no
// column can be forgotten. Numbers and times coolpay writes pass unchanged
// (a negative number stays a number).
type CSVWriter struct {
	cw  *csv.Writer
	row []string
}

// Write writes one row, every cell made safe; row itself is not changed.
func (w *CSVWriter) Write(row []string) error {
	w.row = w.row[:0]
	for _, c := range row {
		w.row = append(w.row, safe.CSVCell(c))
	}
	return w.cw.Write(w.row)
}

// Flush writes any buffered data to the underlying writer.
func (w *CSVWriter) Flush() { w.cw.Flush() }

// Error reports an error from a previous Write or Flush.
func (w *CSVWriter) Error() error { return w.cw.Error() }

// Number is a decimal amount as o writes it: with a comma under
// DecimalComma ("12,50"), else as it is. Integer amounts never change.
func (o Options) Number(s string) string {
	if o.DecimalComma {
		return strings.Replace(s, ".", ",", 1)
	}
	return s
}

// CSVHeader is the header row of every CSV export.
func CSVHeader() []string {
	return []string{
		"id", "created", "updated", "type", "state", "amount", "fees", "currency", "operator",
		"customer_name", "customer_phone", "customer_email", "customer_username", "reason",
		"app_transaction_ref", "transaction_ref", "operator_transaction_ref", "api_status", "message",
	}
}

// Time is the one time format of exports: UTC, RFC 3339, whole seconds.
// The zero time is the empty string.
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// CSVRow renders one record for CSV, in CSVHeader's order, every cell
// already made safe (safe.CSVCell: what CSVWriter does again, harmlessly):
// text from customers, the API, callbacks and the ledger's own fields alike,
// so a damaged amount or state is no more live than a name. Amounts and
// times are the exact values.
func CSVRow(r *store.Record) []string {
	c := safe.CSVCell
	return []string{
		strconv.FormatUint(r.ID, 10), Time(r.Created), Time(r.Updated),
		c(string(r.Type)), c(string(r.State)), c(r.Amount), c(r.Fees), c(r.Currency), c(r.Operator),
		c(r.CustomerName), c(r.CustomerPhone), c(r.CustomerEmail), c(r.CustomerUsername), c(r.Reason),
		c(r.AppRef), c(r.TransactionRef), c(r.OperatorRef), c(r.APIStatus), c(r.Message),
	}
}

// Writer streams records in one format. Call Write for each record, then
// Close (which writes the end of a JSON array and flushes; it does not
// close the underlying writer).
type Writer struct {
	w   *bufio.Writer
	o   Options
	n   int
	cw  *CSVWriter
	buf []byte
	err error
	// tmp and events are reused for the copy whose times are rewritten,
	// so a long export does not allocate per record.
	tmp    store.Record
	events []store.Event
}

// NewWriter starts an export to w.
func NewWriter(w io.Writer, o Options) *Writer {
	x := &Writer{w: bufio.NewWriterSize(w, 16<<10), o: o}
	if o.Format == CSV {
		// A bufio.Writer reports a write error at Flush (Close).
		x.cw, _ = o.NewCSV(x.w)
		x.err = x.cw.Write(CSVHeader())
	}
	return x
}

// Count is how many records were written.
func (x *Writer) Count() int { return x.n }

// Write adds one record. Its times are written per the package's policy;
// r itself is not changed.
func (x *Writer) Write(r *store.Record) error {
	if x.err != nil {
		return x.err
	}
	x.n++
	switch x.o.Format {
	case CSV:
		row := CSVRow(r)
		row[5], row[6] = x.o.Number(row[5]), x.o.Number(row[6]) // amount, fees
		x.err = x.cw.Write(row)
	case JSON:
		if x.n == 1 {
			x.buf = append(x.buf[:0], "[\n  "...)
		} else {
			x.buf = append(x.buf[:0], ",\n  "...)
		}
		x.buf = x.policyTimes(r).AppendJSON(x.buf, "  ")
		_, x.err = x.w.Write(safe.JSON(x.buf))
	default:
		x.err = errors.New("export: no format")
	}
	return x.err
}

// policyTimes is a copy of r with its times in UTC whole seconds (valid
// until the next call).
func (x *Writer) policyTimes(r *store.Record) *store.Record {
	x.tmp = *r
	c := &x.tmp
	c.Created = policyTime(r.Created)
	c.Updated = policyTime(r.Updated)
	if len(r.Events) > 0 {
		x.events = append(x.events[:0], r.Events...)
		for i := range x.events {
			x.events[i].At = policyTime(x.events[i].At)
		}
		c.Events = x.events
	}
	return c
}

func policyTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// WriteRecord writes one record as an indented JSON object and a newline
// (what `coolpay status --json` prints), times per the package's policy,
// made safe as every JSON coolpay prints (safe.JSON).
func WriteRecord(w io.Writer, r *store.Record) error {
	var x Writer
	b := x.policyTimes(r).AppendJSON(nil, "")
	_, err := w.Write(append(safe.JSON(b), '\n'))
	return err
}

// Close ends the export and flushes it.
func (x *Writer) Close() error {
	if x.err != nil {
		return x.err
	}
	switch x.o.Format {
	case JSON:
		if x.n == 0 {
			x.w.WriteString("[]\n")
		} else {
			x.w.WriteString("\n]\n")
		}
	case CSV:
		x.cw.Flush()
		if err := x.cw.Error(); err != nil {
			return err
		}
	}
	return x.w.Flush()
}
