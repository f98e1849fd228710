package safe_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

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

// hostile is text from outside at its worst: every kind of sequence a
// terminal obeys, the code points that reorder or hide text, and formulas.
var hostile = []string{
	"\x1b[2J\x1b[H cleared",                                  // CSI (ESC [): clear the screen
	"\x1b]0;pwned\x07 retitled",                              // OSC 0: window title, BEL-terminated
	"\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", // OSC 8: hyperlink, ST-terminated
	"\x1b]52;c;cm0gLXJmIH4=\x07",                             // OSC 52: write the clipboard
	"\u009b2J c1 csi",                                        // C1 CSI
	"\u009d0;title\u009c c1 osc",                             // C1 OSC ... ST
	"\u0085 nel \u0080\u009f",
	"invoice\u202egnp.exe",               // RLO
	"\u2066iso\u2067late\u2068fsi\u2069", // isolates
	"mark\u200e\u200f\u061c",             // LRM, RLM, ALM
	"\u202a\u202b\u202c\u202d",
	"nul\x00byte",
	"bell\x07 del\x7f bs\x08",
	"two\nlines\r\nthree",
	"bad \xff\xfe utf8",
}

// controlOrBidi: what must never reach a terminal, written independently of
// the package's own tables.
func controlOrBidi(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

func TestCSVCellKeepsTheTextButNoControls(t *testing.T) {
	for _, in := range hostile {
		out := safe.CSVCell(in)
		for _, r := range out {
			if controlOrBidi(r) {
				t.Errorf("CSVCell(%q) = %q keeps %U", in, out, r)
			}
		}
		if out != safe.Line(in) {
			t.Errorf("CSVCell(%q) = %q: not the terminal rule (%q)", in, out, safe.Line(in))
		}
		if safe.CSVCell(out) != out {
			t.Errorf("CSVCell is not idempotent on %q", in)
		}
	}
	// The text is kept, only made visible.
	if got := safe.CSVCell("Awa\x1b]0;x\x07 Ngono"); got != "Awa^[]0;x^G Ngono" {
		t.Errorf("got %q", got)
	}
	long := strings.Repeat("é\x1b[31m", 20000)
	if got := safe.CSVCell(long); got != strings.Repeat("é^[[31m", 20000) {
		t.Errorf("a long cell is not kept whole (%d bytes)", len(got))
	}
}

func TestCSVCellNeutralisesFormulas(t *testing.T) {
	for _, in := range []string{"=HYPERLINK(\"http://x\",\"pay\")", "+237 690", "+237690112233", "-2+3", "-", "-1e3", "@SUM(A1)",
		"=" + strings.Repeat("A", 40000)} {
		if got := safe.CSVCell(in); got != "'"+in {
			t.Errorf("CSVCell(%q) = %q", in, got)
		}
	}
	// A leading tab or carriage return would also start a formula: the
	// terminal rule already shows it as text.
	for in, want := range map[string]string{"\tx": "^Ix", "\r=1": "^M=1", "\x00=1": "^@=1"} {
		if got := safe.CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"Ngono", "690112233", "", "a=b", "-1500", "-12,50", "-0.5", "1500", "12,50"} {
		if got := safe.CSVCell(in); got != in {
			t.Errorf("CSVCell(%q) changed it to %q", in, got)
		}
	}
	if strings.HasPrefix(safe.CSVCell("x=1"), "'") {
		t.Fatal("only the first character counts")
	}
	if got := safe.CSVCell(safe.CSVCell("=1+1")); got != "'=1+1" {
		t.Fatalf("twice: %q", got)
	}
}

// jsonCheck: out is valid JSON, decodes to want, and carries none of the
// code points a terminal obeys or that reorder text.
func jsonCheck(t *testing.T, out []byte, want string) {
	t.Helper()
	var got struct{ S string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("not valid JSON (%v): %s", err, out)
	}
	if got.S != want {
		t.Fatalf("decodes to %q, want %q", got.S, want)
	}
	for _, r := range string(out) {
		if r != '\n' && r != ' ' && controlOrBidi(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 {
			t.Fatalf("%U raw in %q", r, out)
		}
	}
}

// decoded is what encoding/json's own output decodes to (invalid UTF-8
// already U+FFFD there).
func decoded(t *testing.T, b []byte) string {
	t.Helper()
	var v struct{ S string }
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v.S
}

func TestJSONEscapesWhatTheEncoderLeavesRaw(t *testing.T) {
	for _, in := range append(hostile, "\u00ad soft \u200b zw \ufeff bom \U000e0041 tag \u2028", "<&> é à 😀") {
		b, err := json.MarshalIndent(struct{ S string }{in}, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		jsonCheck(t, safe.JSON(b), decoded(t, b))
	}
	b, _ := json.Marshal(struct{ S string }{"Ngono\u202e\u2066\u009b"})
	if got := string(safe.JSON(b)); got != `{"S":"Ngono\u202e\u2066\u009b"}` {
		t.Fatalf("got %s", got)
	}
	clean := []byte(`{"S": "Ngono é 😀"}`)
	if got := safe.JSON(clean); &got[0] != &clean[0] {
		t.Fatal("clean JSON was copied")
	}
	// Invalid UTF-8 left by another encoder becomes U+FFFD, as
	// encoding/json writes it.
	jsonCheck(t, safe.JSON([]byte("{\"S\":\"a\xffb\x7f\"}")), "a\ufffdb\x7f")
}

// FuzzJSON: whatever a string holds, its JSON made safe is valid JSON,
// decodes to the same string, holds no raw control, format or bidi code
// point, and is not changed by a second pass.
func FuzzJSON(f *testing.F) {
	for _, s := range append(hostile, "", "ok", "\U000e0001", "\u2028") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := json.Marshal(struct{ S string }{s})
		if err != nil {
			t.Fatal(err)
		}
		out := safe.JSON(b)
		jsonCheck(t, out, decoded(t, b))
		if again := safe.JSON(out); !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %s then %s", out, again)
		}
	})
}

func TestURLHidesThePassword(t *testing.T) {
	cases := map[string]string{
		"https://api.example/v1":                 "https://api.example/v1",
		"https://user:s3cret@api.example/v1?x=1": "https://***@api.example/v1?***",
		"https://ghp_TOKEN@api.example/":         "https://***@api.example/",
		"http://u:p%zz@h/p":                      "http://***@h/p",   // net/url refuses it: still redacted
		"https://u:p@ss@h/":                      "https://***@h/",   // the last @ ends the user-info
		"https://h/path@x":                       "https://h/path@x", // an @ in the path is not user-info
		"https://h/?to=a@b#c@d":                  "https://h/?***",   // a query can carry a key
		"https://u:pa/ss@h/x":                    "https://***@h/x",  // a "/" in the password
		"https://h:8080/users/@me":               "https://h:8080/users/@me",
		"https://h/users/@me":                    "https://h/users/@me",
		"https://u:pw@h\x1b]0;title\x07/":        "https://***@h^[]0;title^G/",
		"not a url":                              "not a url",
		"https://\u202eu:pw@h":                   "https://***@h",
		"":                                       "",
	}
	for in, want := range cases {
		got := safe.URL(in)
		if got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "s3cret") || strings.Contains(got, "TOKEN") || strings.Contains(got, ":pw@") || strings.Contains(got, "pa/ss") {
			t.Errorf("URL(%q) = %q shows the secret", in, got)
		}
	}
}

// FuzzCSVCell: whatever a cell holds, what a CSV gets keeps its text
// visible (the terminal rule's), obeys nothing, starts no formula, and is
// not changed by a second pass.
func FuzzCSVCell(f *testing.F) {
	for _, s := range append(hostile, "", "=1+1", "-1500", "-12,50", "-", "+237", "@x", "\t=1") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := safe.CSVCell(s)
		for _, r := range out {
			if controlOrBidi(r) {
				t.Fatalf("CSVCell(%q) = %q keeps %U", s, out, r)
			}
		}
		if !strings.HasSuffix(out, safe.Line(s)) || len(out) > len(safe.Line(s))+1 {
			t.Fatalf("CSVCell(%q) = %q does not keep the text %q", s, out, safe.Line(s))
		}
		if out != "" && strings.ContainsRune("=+@", rune(out[0])) {
			t.Fatalf("CSVCell(%q) = %q starts a formula", s, out)
		}
		if strings.HasPrefix(out, "-") && strings.Trim(out[1:], "0123456789.,") != "" {
			t.Fatalf("CSVCell(%q) = %q starts a formula", s, out)
		}
		if safe.CSVCell(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}
