package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
)

// FuzzDecodeResponse: whatever the status code and body, decoding never
// panics and gives either a value or an *APIError describing the answer.
func FuzzDecodeResponse(f *testing.F) {
	seeds := []struct {
		code int
		body string
	}{
		{201, `{"status":"success","transaction_ref":"r","action":"PENDING","ussd":"#150*50#"}`},
		{200, `{"status":"success","balance":500}`},
		{200, `{"status":"success","transaction_amount":100.50,"transaction_message":null}`},
		{401, `{"status":"error","message":"Invalid authorization code !"}`},
		{500, "<html><head><title>500 Internal Server Error</title></head></html>"},
		{200, "<!DOCTYPE html><title>Redirecting...</title>"},
		{302, ""},
		{201, `{"status":"success","transaction_ref":`},
		{200, `{"status":"success","balance":"abc"}`},
		{400, `{"status":"error","message":["a",{"b":1}]}`},
		{200, `{"status":null}`},
		{200, `[]`},
		{200, "\xff\xfe{"},
		{0, ""},
		{999, `{"status":"success"}`},
		{-1, "   {\"status\":\"success\"}   "},
	}
	for _, s := range seeds {
		f.Add(s.code, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, code int, body []byte) {
		outs := []any{nil, &PaylinkResponse{}, &PayinResponse{}, &PayoutResponse{}, &StatusResponse{}, &BalanceResponse{}}
		for _, out := range outs {
			err := decodeResponse(code, body, out)
			if err == nil {
				if code/100 != 2 {
					t.Fatalf("HTTP %d accepted as success", code)
				}
				continue
			}
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is %T, want *APIError", err, err)
			}
			if ae.HTTPStatus != code || ae.Message == "" || ae.Error() == "" {
				t.Fatalf("APIError %#v lacks status or message", ae)
			}
			if len(ae.Body) > maxErrorBody+len("…") || !utf8Valid(ae.Body) {
				t.Fatalf("APIError body not bounded or not UTF-8: %d bytes", len(ae.Body))
			}
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }

// FuzzVerifyCallback: plain amounts sign and verify round-trip, keep their
// value exactly, and a changed amount is refused; exponents, signs, zero and
// out-of-range amounts are refused as malformed; arbitrary bodies never
// make verification panic or succeed without a valid signature.
func FuzzVerifyCallback(f *testing.F) {
	for _, a := range []string{"100", "100.00", "100.50", "1e2", "1E+2", "0.05", "5e-2", "-0", "0", "00.10",
		"1e1000", "1e1001", "123456789012345678901234567890.000", "1.", ".5", "", "abc", "1e", "-1.5e-3", "+1"} {
		f.Add(a, "test-private-key-FAKE", []byte(`{"application":"pk","transaction_ref":"r","transaction_amount":`+a+`,"signature":"00"}`))
	}
	f.Fuzz(func(t *testing.T, amount, key string, raw []byte) {
		const pub = "pk"
		// Arbitrary bodies: no panic, and no success without the right signature.
		if cb, err := VerifyCallbackBody("application/json", raw, pub, key); err == nil {
			if cb == nil || key == "" || Signature(*cb, key) != strings.ToLower(cb.Signature) {
				t.Fatalf("accepted %q without a valid signature", raw)
			}
		}

		canon, ok := CanonicalAmount(json.Number(amount))
		if !ok || key == "" || !json.Valid([]byte(amount)) {
			return
		}
		_, plain := CallbackAmount(json.Number(amount))
		// The canonical text is a fixed point and has the same exact value.
		if again, ok := CanonicalAmount(json.Number(canon)); !ok || again != canon {
			t.Fatalf("CanonicalAmount(%q) = %q, not stable (%q)", amount, canon, again)
		}
		a, okA := new(big.Rat).SetString(amount)
		c, okC := new(big.Rat).SetString(canon)
		if !okA || !okC || a.Cmp(c) != 0 {
			t.Fatalf("CanonicalAmount(%q) = %q changes the value", amount, canon)
		}
		cb := SignCallback(Callback{Application: pub, TransactionRef: "ref", TransactionType: TypePayin,
			TransactionAmount: json.Number(amount), TransactionCurrency: CurrencyXAF, TransactionOperator: OperatorOM}, key)
		body, err := json.Marshal(cb)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		_, err = VerifyCallbackBody("application/json", body, pub, key)
		switch {
		case !plain:
			// Exponents, signs, zero and out-of-range amounts are refused
			// before the signature is even looked at.
			if !errors.Is(err, ErrCallbackMalformed) {
				t.Fatalf("amount %q is not a plain amount in range, yet: err = %v", amount, err)
			}
			return
		case err != nil:
			if len(body) > MaxCallbackBody {
				return
			}
			t.Fatalf("amount %q (key len %d): signed callback refused: %v", amount, len(key), err)
		}
		// Another value with the same signature must be refused.
		if strings.Contains(canon, ".") {
			cb.TransactionAmount = json.Number(canon + "1")
		} else {
			cb.TransactionAmount = json.Number(canon + ".1")
		}
		body, _ = json.Marshal(cb)
		// (One more decimal can take it past the 6 allowed: refused as
		// malformed before the signature is looked at, as it should be.)
		want := ErrCallbackSignature
		if _, ok := CallbackAmount(cb.TransactionAmount); !ok {
			want = ErrCallbackMalformed
		}
		if _, err := VerifyCallbackBody("application/json", body, pub, key); !errors.Is(err, want) {
			t.Fatalf("amount changed from %q to %q: err = %v, want %v", amount, cb.TransactionAmount, err, want)
		}
	})
}

// TestBoundBodyStaysBoundedWithInvalidUTF8: every invalid byte becomes a
// three-byte replacement character, so the body must be cut after repair.
func TestBoundBodyStaysBoundedWithInvalidUTF8(t *testing.T) {
	for _, b := range [][]byte{bytes.Repeat([]byte{0xff}, 5000), bytes.Repeat([]byte("é"), 3000), []byte("short")} {
		s := boundBody(b)
		if len(s) > maxErrorBody+len("…") || !utf8Valid(s) {
			t.Fatalf("bound body of %d bytes: %d bytes, valid %v", len(b), len(s), utf8Valid(s))
		}
	}
}

// TestHTMLTitleWithBytesThatChangeWhenLowered: strings.ToLower changes the
// length of invalid UTF-8 and of some letters; the title must still be cut
// from the right place, without a panic.
func TestHTMLTitleWithBytesThatChangeWhenLowered(t *testing.T) {
	body := []byte("\xff\xfe İİİ <TITLE>502 Bad Gateway</TITLE> " + strings.Repeat("\xff", 40))
	if got := htmlTitle(body); got != "502 Bad Gateway" {
		t.Fatalf("title %q", got)
	}
	long := []byte("<title>" + strings.Repeat("é", 100) + "</title>")
	if got := htmlTitle(long); !utf8Valid(got) || len(got) > 120+len("…") {
		t.Fatalf("long title cut badly: %q", got)
	}
}
