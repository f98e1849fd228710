package batch_test

import (
	"strings"
	"testing"

	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/i18n"
)

// FuzzParse: any bytes as a batch file give problems, never a panic; valid
// lines have a key and a positive amount, the total is their sum, line
// numbers are past the header, and every problem prints without a raw
// control character.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"operator,phone,amount\nMTN,670000001,1000\n",
		"\uFEFFOpérateur;Téléphone;Montant (XAF)\nOrange;690 00 00 01;1 500\n;;\n",
		"operator,phone,amount\n\"MTN,670000001,1000\n",
		"operator,phone,amount,name\nMTN,670000001,1000,\"a\nb\"\nMTN,670000001,1000,\"a\nb\"\n",
		"operator,amount\nMCP,10\n",
		"\xff\xfeo\x00p\x00",
		"operator,phone,amount\nMTN,670000001,\x1b[2J1\u202e0\n",
	} {
		f.Add([]byte(s))
	}
	t := i18n.New(i18n.FR)
	f.Fuzz(func(tt *testing.T, data []byte) {
		file, err := batch.ParseProgress(strings.NewReader(string(data)), nil)
		if err != nil {
			tt.Fatalf("Parse of bytes in memory failed: %v", err)
		}
		var total int64
		for _, l := range file.Lines {
			if l.Num < 2 {
				tt.Fatalf("line number %d", l.Num)
			}
			if !l.Bad {
				if l.Key == "" || l.Amount <= 0 {
					tt.Fatalf("valid line without key or amount: %+v", l)
				}
				total += l.Amount
			}
		}
		if total != file.Total {
			tt.Fatalf("total %d, lines sum to %d", file.Total, total)
		}
		for _, p := range file.Problems {
			s := batch.ProblemText(t, p)
			for _, r := range s {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) {
					tt.Fatalf("raw control character %U in %q", r, s)
				}
			}
		}
	})
}
