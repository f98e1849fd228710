package safe_test

import (
	"strings"
	"testing"

	"github.com/coolpay/coolpay/ui/safe"
)

func TestLineShowsWhatWouldBeObeyed(t *testing.T) {
	cases := map[string]string{
		"plain text, accents é à": "plain text, accents é à",
		"\x1b[31mred\x1b[0m":      "^[[31mred^[[0m",
		"\x1b]52;c;SGVsbG8=\x07":  "^[]52;c;SGVsbG8=^G",
		"a\nb\tc\r":               "a^Jb^Ic^M",
		"del\x7f":                 "del^?",
		"csi\u009b31m":            "csi^[[31m",
		"osc\u009d0;title\u009c":  "osc^[]0;title^[\\",
		"invoice\u202egnp.exe":    "invoice<U+202E>gnp.exe",
		"iso\u2066late\u2069":     "iso<U+2066>late<U+2069>",
		"bad \xff\xfe utf8":       "bad \uFFFD\uFFFD utf8",
		"":                        "",
		"nul\x00":                 "nul^@",
	}
	for in, want := range cases {
		if got := safe.Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got := safe.Text("two\nlines\tand \x1b[2J"); got != "two\nlines\tand ^[[2J" {
		t.Errorf("Text kept or lost the wrong things: %q", got)
	}
}

// FuzzLine: whatever goes in, nothing that a terminal obeys comes out, and
// clean text comes out unchanged.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b[31m", "\u009b", "\u202e", "\xff", "a\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safe.Line(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("Line(%q) = %q keeps %U", s, out, r)
			}
		}
		if safe.Line(out) != out {
			t.Fatalf("Line is not idempotent on %q", s)
		}
	})
}

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for _, in := range []string{"=HYPERLINK(\"http://x\",\"pay\")", "+237 690", "-2+3", "@SUM(A1)", "\tx", "\rx"} {
		if got := safe.CSVCell(in); got != "'"+in {
			t.Errorf("CSVCell(%q) = %q", in, got)
		}
	}
	for _, in := range []string{"Ngono", "690112233", "", "a=b"} {
		if got := safe.CSVCell(in); got != in {
			t.Errorf("CSVCell(%q) changed it to %q", in, got)
		}
	}
	if strings.HasPrefix(safe.CSVCell("x=1"), "'") {
		t.Fatal("only the first character counts")
	}
}
