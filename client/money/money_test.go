package money

import (
	"encoding/json"
	"testing"
)

func TestParseFormatRoundTrip(t *testing.T) {
	cases := []struct {
		in, cur, number, en, fr string
	}{
		{"1500", "XAF", "1500", "1 500 XAF", "1 500 XAF"},
		{"1500000", "", "1500000", "1 500 000 XAF", "1 500 000 XAF"},
		{"-14280", "XAF", "-14280", "-14 280 XAF", "-14 280 XAF"},
		{"10.5", "EUR", "10.50", "10.50 EUR", "10,50 EUR"},
		{"10", "EUR", "10", "10.00 EUR", "10,00 EUR"},
		{"0.07", "EUR", "0.07", "0.07 EUR", "0,07 EUR"},
		{"1234567.89", "EUR", "1234567.89", "1 234 567.89 EUR", "1 234 567,89 EUR"},
		// XAF with cents (a balance), and a currency coolpay does not
		// know: cents only when there are some.
		{"1000000.75", "XAF", "1000000.75", "1 000 000.75 XAF", "1 000 000,75 XAF"},
		{"777", "XXX", "777", "777 XXX", "777 XXX"},
		{"-0.5", "XXX", "-0.50", "-0.50 XXX", "-0,50 XXX"},
	}
	for _, c := range cases {
		a, err := Parse(c.in, c.cur)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		if got := a.Number(); got != c.number {
			t.Errorf("Parse(%q).Number() = %q, want %q", c.in, got, c.number)
		}
		if got := a.Format(Style{}); got != c.en {
			t.Errorf("Format(%q) = %q, want %q", c.in, got, c.en)
		}
		if got := a.Format(Style{DecimalComma: true}); got != c.fr {
			t.Errorf("Format(%q, comma) = %q, want %q", c.in, got, c.fr)
		}
		b, _ := json.Marshal(a)
		var back Amount
		back.Currency = a.Currency
		if err := json.Unmarshal(b, &back); err != nil || back != a {
			t.Errorf("JSON round trip of %q: %s → %+v, %v", c.in, b, back, err)
		}
	}
}

func TestParseRefusesWhatIsNotADecimalAmount(t *testing.T) {
	for _, s := range []string{"", "-", "1,5", "1e3", "1.", ".5", "1.234", "12a", "1 500", "+5", "--5", "1234567890123456"} {
		if a, err := Parse(s, "XAF"); err == nil {
			t.Errorf("Parse(%q) = %+v, want an error", s, a)
		}
	}
}

func TestArithmeticKeepsCurrenciesApart(t *testing.T) {
	x, _ := Parse("1500", "XAF")
	y, _ := Parse("30", "")
	if s, ok := x.Add(y); !ok || s.Number() != "1530" {
		t.Fatalf("1500 + 30 XAF = %v, %v", s, ok)
	}
	if d, ok := x.Sub(XAFOf(2000)); !ok || d.Format(Style{}) != "-500 XAF" {
		t.Fatalf("1500 − 2000 = %v, %v", d, ok)
	}
	e, _ := Parse("1.5", "EUR")
	if _, ok := x.Add(e); ok {
		t.Fatal("XAF + EUR was added")
	}
}

func TestJSONReadsANumberToo(t *testing.T) {
	var a Amount
	if err := json.Unmarshal([]byte(`1500`), &a); err != nil || a.Number() != "1500" {
		t.Fatalf("%+v %v", a, err)
	}
	if err := json.Unmarshal([]byte(`"1,5"`), &a); err == nil {
		t.Fatal("a comma was read")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1500", "10.5", "-3", "0.07", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s, "EUR")
		if err != nil {
			return
		}
		b, err := Parse(a.Number(), "EUR")
		if err != nil || b != a {
			t.Fatalf("Parse(%q) = %+v; its Number %q parses to %+v, %v", s, a, a.Number(), b, err)
		}
	})
}

// Sums are exact: 0.1 + 0.2 is 0.30, as money must be, and leading zeros
// in the ledger's text do not change the value.
func TestSumsAreExact(t *testing.T) {
	a, _ := Parse("0.1", EUR)
	b, _ := Parse("0.2", EUR)
	if s, ok := a.Add(b); !ok || s.Number() != "0.30" {
		t.Errorf("0.1 + 0.2 = %v %v", s, ok)
	}
	if a, err := Parse("007", XAF); err != nil || a.Number() != "7" {
		t.Errorf("007: %v %v", a, err)
	}
}

// The API's balance is a JSON number: an exponent or trailing zeros read
// exactly; a third decimal or a text is refused, never rounded.
func TestParseNumberReadsTheAPIsJSONNumbers(t *testing.T) {
	for in, want := range map[string]string{"1500": "1500", "1e6": "1000000", "1.5E3": "1500",
		"1000.000": "1000", "-2.50": "-2.50", "12.5e-1": "1.25"} {
		if a, err := ParseNumber(in, XAF); err != nil || a.Number() != want {
			t.Errorf("ParseNumber(%q) = %v %v, want %s", in, a, err, want)
		}
	}
	for _, bad := range []string{"", "1.234", "1e-3", "abc", "1e30", "NaN", "0x10", "+5", "\"5\"", "1 500"} {
		if a, err := ParseNumber(bad, XAF); err == nil {
			t.Errorf("ParseNumber(%q) = %v, want an error", bad, a)
		}
	}
}
