package batch

import (
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/coolpay/coolpay/ui/export"
)

// ResultsPath is where a send writes its results by default: beside the
// file, "paie.csv" → "paie.results.csv".
func ResultsPath(file string) string {
	ext := filepath.Ext(file)
	return strings.TrimSuffix(file, ext) + ".results.csv"
}

// ResultsHeader is the header row of the results file.
var ResultsHeader = []string{
	"line", "result", "operator", "phone", "username", "email", "name", "amount", "reason",
	"state", "app_transaction_ref", "transaction_ref", "attempts", "message", "to_settle",
}

// WriteResults writes one row per line of the file, with the file's own
// delimiter (and BOM) so the spreadsheet that made it opens it the same way.
// Every cell goes through coolpay's one CSV writer (export.CSVWriter): text
// from the file, the API or a callback is shown, never obeyed, by a
// terminal that prints the file, and never run as a formula.
func WriteResults(w io.Writer, p *Plan) error {
	cw, err := export.Options{Format: export.CSV, Sep: p.File.Delimiter, BOM: p.File.BOM}.NewCSV(w)
	if err != nil {
		return err
	}
	if err := cw.Write(ResultsHeader); err != nil {
		return err
	}
	for _, e := range p.Entries {
		l, r := e.Line, e.Rec
		row := []string{
			strconv.Itoa(l.Num), string(e.Status), l.In.Operator, l.In.Phone, l.In.Username, l.In.Email,
			l.In.Name, l.In.Amount, l.In.Reason, string(r.State), r.AppRef, r.TransactionRef,
			strconv.Itoa(e.Attempts), r.Message, Settle(e),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
