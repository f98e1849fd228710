package store

import (
	"strings"
	"testing"
	"time"
)

func TestCodecRoundTripSynthetic(t *testing.T) {
	gen := Synthesize(20000, 1, time.Now())
	for i := 0; i < 20000; i++ {
		r := gen(i)
		var got Record
		raw := appendRecord(nil, &r)
		if err := decodeRecord(raw, &got); err != nil {
			t.Fatalf("record %d: %v\n%+v", i, err, r)
		}
		if !sameRecord(got, r) {
			t.Fatalf("record %d differs:\n%+v\n%+v", i, got, r)
		}
	}
}

func TestCodecRoundTripEdgeCases(t *testing.T) {
	base := time.Date(2025, 3, 1, 10, 0, 0, 123456789, time.UTC)
	cases := []Record{
		{},
		{Type: "ODD", State: "WEIRD", Operator: "NEW_OP", Currency: "GBP", CustomerLang: "de"},
		{Created: base, Updated: base.Add(-time.Hour), Events: []Event{{At: time.Time{}, Kind: "x"}, {At: base.Add(time.Nanosecond), Kind: EvPolled, Detail: "ça va"}}},
		{Created: base, AppRef: "cp-1", Request: "{\"transaction_amount\":1,\"ctl\":\"\x01\x1e\"}", PaymentURL: "https://my-coolpay.com/payment/checkout/cp-1"},
		{CustomerName: "Éloïse Ngono", Reason: "\x1e\x00", Request: `"transaction_amount":"transaction_amount":`, Amount: "transaction", HTTPStatus: 999, Synthetic: true},
		{Created: time.Unix(-5, 7), Updated: time.Unix(1<<40, 999999999)},
		{Owner: "123-00112233aabbccdd", State: StateNew, AppRef: "cp-2"},
		{Cashier: "Aïcha", Batch: "salaires-11", BatchLine: 1<<31 - 1, Request: `{"x":"salaires-11"}`},
		{BatchLine: 1},
	}
	for i, r := range cases {
		var got Record
		if err := decodeRecord(appendRecord(nil, &r), &got); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !sameRecord(got, r) {
			t.Fatalf("case %d differs:\n got %+v\nwant %+v", i, got, r)
		}
	}
}

// TestCodecVersions: a record without the version-2 fields is written in
// the version-1 layout, byte for byte what an older coolpay wrote, and one
// with them in version 2; queries match both.
func TestCodecVersions(t *testing.T) {
	r := Synthesize(1, 1, time.Now())(0)
	v1 := appendRecord(nil, &r)
	if v1[0] != 1 {
		t.Fatalf("a record without v2 fields is written as version %d", v1[0])
	}
	r2 := r
	r2.Cashier, r2.Batch, r2.BatchLine, r2.Owner = "Jean", "b-1", 3, "9-0123456789abcdef"
	v2 := appendRecord(nil, &r2)
	if v2[0] != 2 || len(v2) != len(v1)+len("Jean")+len("b-1")+len("9-0123456789abcdef")+4 {
		t.Fatalf("version %d, %d bytes (v1 %d)", v2[0], len(v2), len(v1))
	}
	for _, c := range []struct {
		raw  []byte
		want Record
	}{{v1, r}, {v2, r2}} {
		got := Record{Cashier: "stale", Owner: "stale"} // decoding must reset them
		if err := decodeRecord(c.raw, &got); err != nil || !sameRecord(got, c.want) {
			t.Fatalf("version %d: %v\n%+v\n%+v", c.raw[0], err, got, c.want)
		}
		q := compile(Filter{Types: []Type{r.Type}, States: []State{r.State}, Search: r.AppRef})
		if ok, err := q.match(c.raw); !ok || err != nil {
			t.Fatalf("version %d: the query does not match (%v)", c.raw[0], err)
		}
	}
	bad := append([]byte{3}, v2[1:]...)
	if err := decodeRecord(bad, new(Record)); err == nil {
		t.Fatal("version 3 decoded")
	}
}

func TestCodecIsCompact(t *testing.T) {
	gen := Synthesize(1000, 3, time.Now())
	total := 0
	for i := 0; i < 1000; i++ {
		r := gen(i)
		total += len(appendRecord(nil, &r))
	}
	if avg := total / 1000; avg > 300 {
		t.Fatalf("average encoded record is %d bytes; the 600-byte file budget needs ≤ 300", avg)
	}
}

func FuzzCodec(f *testing.F) {
	gen := Synthesize(10, 1, time.Unix(1.7e9, 0))
	for i := 0; i < 10; i++ {
		r := gen(i)
		f.Add(appendRecord(nil, &r))
	}
	v2 := Record{Type: TypePayout, State: StateNew, Owner: "1-0123456789abcdef", Cashier: "c", Batch: "b", BatchLine: 7}
	f.Add(appendRecord(nil, &v2))
	f.Add([]byte{1})
	f.Add([]byte{2})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r Record
		if decodeRecord(b, &r) != nil {
			return
		}
		// Whatever decodes must encode and decode to the same record.
		var again Record
		if err := decodeRecord(appendRecord(nil, &r), &again); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
		if !sameRecord(r, again) {
			t.Fatalf("round trip changed the record:\n%+v\n%+v", r, again)
		}
		q := compile(Filter{Search: "a", Types: []Type{TypePayin}, States: []State{StateFailed}, Operator: "MCP", Since: time.Unix(1, 0), Until: time.Unix(2e9, 0)})
		q.match(b)
	})
}

func TestLowerASCII(t *testing.T) {
	var all []byte
	for c := 0; c < 0x80; c++ {
		all = append(all, byte(c))
	}
	for _, s := range []string{string(all), "Hello, WORLD @[`{ Az", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "", "Q"} {
		dst := make([]byte, len(s))
		if !lowerASCII(dst, []byte(s)) || string(dst) != strings.ToLower(s) {
			t.Errorf("lowerASCII(%q) = %q", s, dst)
		}
	}
	for _, s := range []string{"abcdefgé", "É", "12345678\x80"} {
		if lowerASCII(make([]byte, len(s)), []byte(s)) {
			t.Errorf("lowerASCII(%q) says ASCII", s)
		}
	}
}
