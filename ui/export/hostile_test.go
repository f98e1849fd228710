package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
)

// evil is text from outside at its worst: sequences a terminal obeys
// (CSI, OSC 0/8/52, BEL, C1 CSI), bidi controls, NUL, a formula.
const evil = "=HYPERLINK(\"x\")\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://e/\x1b\\l\x1b]8;;\x1b\\\x1b]52;c;eA==\x07" +
	"\u009b31m\u202e\u2066\u2069\u200e\u200f\u061c\x00\r\nnext"

// hostileRecord has evil (or a formula) in every text field a record has,
// the ledger's own codes included: a damaged ledger is text from outside
// too.
func hostileRecord() store.Record {
	at := time.Date(2026, 11, 29, 5, 6, 7, 0, time.UTC)
	return store.Record{ID: 9, Type: store.Type("+" + evil), State: store.State("@" + evil), AppRef: "-" + evil,
		TransactionRef: evil, OperatorRef: "\t" + evil, Amount: "=1+1", Fees: "-2+3", Currency: "EUR\x1b]0;t\x07",
		Operator: "=HYPERLINK(\"x\")", APIStatus: evil, Message: evil, Reason: evil, CustomerName: evil,
		CustomerPhone: "+237 690\x1b[0m", CustomerEmail: evil, CustomerUsername: evil, CustomerLang: evil,
		PaymentURL: evil, USSD: evil, Action: evil, Request: evil, Cashier: evil, Batch: evil,
		Created: at, Updated: at, Events: []store.Event{{At: at, Kind: evil, Detail: evil}}}
}

// obeyed: a code point a terminal obeys or that reorders text, or a line
// break other than the one ending a row.
func obeyed(r rune) bool {
	return r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

func TestEveryCSVCellIsInertAndNoFormula(t *testing.T) {
	for _, o := range []export.Options{export.ForSetting(""), export.ForSetting("fr")} {
		recs := []store.Record{hostileRecord(), records()[0]}
		var b bytes.Buffer
		w := export.NewWriter(&b, o)
		for i := range recs {
			w.Write(&recs[i])
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		out := strings.TrimPrefix(b.String(), "\uFEFF")
		for _, r := range out {
			if obeyed(r) {
				t.Fatalf("sep %q: %U reaches the file raw:\n%q", o.Sep, r, out)
			}
		}
		// One line per row: `cat` shows no fake row.
		if n := strings.Count(out, "\n"); n != 3 {
			t.Fatalf("sep %q: %d lines for 3 rows:\n%s", o.Sep, n, out)
		}
		rd := csv.NewReader(strings.NewReader(out))
		if o.Sep != 0 {
			rd.Comma = o.Sep
		}
		rows, err := rd.ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("does not read back: %v", err)
		}
		for i, cell := range rows[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s starts with %q: a spreadsheet runs it", export.CSVHeader()[i], cell)
			}
		}
		// The text is kept, made visible as the tables show it.
		if got, want := rows[1][9], "'=HYPERLINK(\"x\")^[[2J^[]0;pwned^G"; !strings.HasPrefix(got, want) {
			t.Errorf("customer_name %q, want it to start %q", got, want)
		}
		if !strings.Contains(rows[1][9], "<U+202E><U+2066><U+2069><U+200E><U+200F><U+061C>^@^M^Jnext") {
			t.Errorf("customer_name %q lost text", rows[1][9])
		}
		if rows[1][7] != "EUR^[]0;t^G" || rows[1][8] != `'=HYPERLINK("x")` || rows[1][5] != "'=1+1" || rows[1][6] != "'-2+3" {
			t.Errorf("currency, operator, amount, fees: %q", rows[1][5:9])
		}
		// A plain record is unchanged.
		if rows[2][14] != "cp-b" || rows[2][7] != "EUR" {
			t.Errorf("plain row changed: %q", rows[2])
		}
	}
}

// TestCSVWriterAppliesTheRuleToEveryColumn: a CSV made with NewCSV (the
// report's, the batch results file's) cannot leave a column live.
func TestCSVWriterAppliesTheRuleToEveryColumn(t *testing.T) {
	var b bytes.Buffer
	w, err := export.FrenchSpreadsheet.NewCSV(&b)
	if err != nil {
		t.Fatal(err)
	}
	row := []string{"=HYPERLINK(\"x\")", "XAF\x1b]0;t\x07", "-1500", "-12,50", "@x", "\u202eabc", "plain", strings.Repeat("=A", 20000)}
	in := append([]string(nil), row...)
	w.Write(row)
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row, in) {
		t.Fatal("Write changed the caller's row")
	}
	rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\uFEFF"))))
	rd.Comma = ';'
	got, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'=HYPERLINK(\"x\")", "XAF^[]0;t^G", "-1500", "-12,50", "'@x", "<U+202E>abc", "plain", "'" + strings.Repeat("=A", 20000)}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// TestJSONExportIsInertAndExact: history --json and status --json escape
// what a terminal would obey, and decode to the very values stored.
func TestJSONExportIsInertAndExact(t *testing.T) {
	r := hostileRecord()
	var arr, one bytes.Buffer
	w := export.NewWriter(&arr, export.Options{Format: export.JSON})
	w.Write(&r)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteRecord(&one, &r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{"array": arr.Bytes(), "record": one.Bytes()} {
		for _, c := range string(out) {
			if obeyed(c) && c != '\n' || unicode.Is(unicode.Cf, c) {
				t.Fatalf("%s: %U raw in the JSON", name, c)
			}
		}
		for _, esc := range []string{`\u202e`, `\u009b`, `\u2066`, `\u061c`, `\u001b`, `\u0000`} {
			if !bytes.Contains(out, []byte(esc)) {
				t.Errorf("%s: %s missing", name, esc)
			}
		}
	}
	var got []store.Record
	if err := json.Unmarshal(arr.Bytes(), &got); err != nil || len(got) != 1 {
		t.Fatalf("%v", err)
	}
	if !reflect.DeepEqual(got[0], r) {
		t.Fatalf("decoded record differs:\n%+v\n%+v", got[0], r)
	}
}
