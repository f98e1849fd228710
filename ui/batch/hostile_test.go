package batch_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestNULIsRefusedAtItsLine: a NUL byte in a reason or a name refuses that
// line, named by line and column; the lines around it are unaffected.
func TestNULIsRefusedAtItsLine(t *testing.T) {
	f, err := batch.ParseProgress(strings.NewReader("operator,phone,amount,reason,name\n"+
		"MTN,670000001,1000,salaire,Awa\n"+
		"MTN,670000002,2000,sal\x00aire,Paul\n"+
		"Orange,690000003,3000,prime,Ev\x00e\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.OK() || len(f.Lines) != 3 || f.Lines[0].Bad || !f.Lines[1].Bad || !f.Lines[2].Bad {
		t.Fatalf("lines: ok=%v %d, problems %+v", f.OK(), len(f.Lines), f.Problems)
	}
	want := map[int]string{3: batch.ColReason, 4: batch.ColName}
	for _, p := range f.Problems {
		if p.Code != batch.CodeNUL {
			continue
		}
		if want[p.Line] != p.Column {
			t.Errorf("NUL reported at line %d column %q", p.Line, p.Column)
		}
		delete(want, p.Line)
	}
	if len(want) != 0 {
		t.Fatalf("NUL not reported on lines %v: %+v", want, f.Problems)
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		if tr := i18n.New(lang); tr.T("batch.err."+batch.CodeNUL) == "batch.err."+batch.CodeNUL {
			t.Errorf("%s: no message for %s", lang, batch.CodeNUL)
		}
	}

	// In the header: line 1, and the file is not read further.
	f, err = batch.ParseProgress(strings.NewReader("operator,phone,amount,rea\x00son\nMTN,670000001,1000,x\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range f.Problems {
		found = found || p.Code == batch.CodeNUL && p.Line == 1
	}
	if !found || f.OK() || len(f.Lines) != 0 {
		t.Fatalf("a NUL in the header: ok=%v lines=%d %+v", f.OK(), len(f.Lines), f.Problems)
	}
}

// TestResultsFileIsInert: `cat` of FILE.results.csv obeys nothing and a
// spreadsheet runs nothing, whatever the file, the API or a callback wrote
// in a cell; the text stays, shown as the tables show it.
func TestResultsFileIsInert(t *testing.T) {
	for _, delim := range []rune{',', ';'} {
		evil := "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e\u2066x\u2069\u200f\u061c"
		p := &batch.Plan{File: &batch.File{Delimiter: delim, BOM: delim == ';'}, Entries: []batch.Entry{{
			Line: batch.Line{Num: 2}, Status: batch.StatusFailed,
			Rec: store.Record{State: store.StateFailed, AppRef: "cp-1", TransactionRef: "@ref", Message: "=HYPERLINK(\"x\")" + evil},
		}}}
		p.Entries[0].Line.In.Name = "=cmd|' /C calc'!A0" + evil
		p.Entries[0].Line.In.Reason = "-2+3\r\nfake,row"
		p.Entries[0].Line.In.Phone = "+237670000001"
		var b bytes.Buffer
		if err := batch.WriteResults(&b, p); err != nil {
			t.Fatal(err)
		}
		out := strings.TrimPrefix(b.String(), "\uFEFF")
		for _, r := range out {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x200e && r <= 0x200f ||
				r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x061c {
				t.Fatalf("%q: %U raw in the results file:\n%q", delim, r, out)
			}
		}
		if n := strings.Count(out, "\n"); n != 2 {
			t.Fatalf("%q: %d lines for a header and one row:\n%s", delim, n, out)
		}
		rd := csv.NewReader(strings.NewReader(out))
		rd.Comma = delim
		rows, err := rd.ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%q: %v %q", delim, err, rows)
		}
		row := rows[1]
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("%q: column %s is live: %q", delim, batch.ResultsHeader[i], c)
			}
		}
		if row[6] != "'=cmd|' /C calc'!A0^[]0;pwned^G^[[2J^[[31m<U+202E><U+2066>x<U+2069><U+200F><U+061C>" ||
			row[8] != "'-2+3^M^Jfake,row" || row[3] != "'+237670000001" || row[11] != "'@ref" {
			t.Errorf("%q: name %q reason %q phone %q ref %q", delim, row[6], row[8], row[3], row[11])
		}
	}
}
