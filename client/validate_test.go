package client_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
)

// wantValidation fails unless err is a *ValidationError with this field and code.
func wantValidation(t *testing.T, err error, field, code string) {
	t.Helper()
	var ve *client.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want *ValidationError %s/%s", err, err, field, code)
	}
	if ve.Field != field || ve.Code != code {
		t.Fatalf("ValidationError = %s/%s (%q), want %s/%s", ve.Field, ve.Code, ve.Message, field, code)
	}
	if ve.Message == "" || !strings.Contains(ve.Error(), field) {
		t.Fatalf("ValidationError %q lacks a message or field name", ve.Error())
	}
}

func TestParseAmountAcceptsAndNormalises(t *testing.T) {
	cases := []struct{ in, cur, want string }{
		{"100", "XAF", "100"},
		{"100", "", "100"},
		{" 1500 ", "XAF", "1500"},
		{"1 500", "XAF", "1500"},
		{"1 500 000", "XAF", "1500000"},
		{"1\u00a0500", "XAF", "1500"},     // no-break space, as French keyboards type it
		{"10\u202f000", "XAF", "10000"},   // narrow no-break space
		{"007", "XAF", "7"},               // leading zeros are harmless
		{"10 000 000", "XAF", "10000000"}, // exactly the limit
		{"10.50", "EUR", "10.5"},          // insignificant zero stripped
		{"10.00", "EUR", "10"},            // whole after stripping
		{"0.05", "EUR", "0.05"},           // smallest kinds of EUR amounts
		{"12.500", "EUR", "12.5"},         // trailing zeros are not decimals
		{"1 234.56", "EUR", "1234.56"},    // grouping with decimals
		{"15000", "EUR", "15000"},         // EUR limit
		{"14999.99", "EUR", "14999.99"},
	}
	for _, c := range cases {
		got, err := client.ParseAmount(c.in, c.cur)
		if err != nil || string(got) != c.want {
			t.Errorf("ParseAmount(%q, %q) = %q, %v; want %q", c.in, c.cur, got, err, c.want)
		}
	}
}

func TestParseAmountRefusesWithStableCodes(t *testing.T) {
	cases := []struct{ in, cur, field, code string }{
		{"", "XAF", "transaction_amount", "amount_required"},
		{"   ", "XAF", "transaction_amount", "amount_required"},
		{"abc", "XAF", "transaction_amount", "amount_not_number"},
		{"+100", "XAF", "transaction_amount", "amount_not_number"},
		{"1e3", "XAF", "transaction_amount", "amount_not_number"},
		{"1E3", "XAF", "transaction_amount", "amount_not_number"},
		{"1,500", "XAF", "transaction_amount", "amount_not_number"},
		{"1 50", "XAF", "transaction_amount", "amount_not_number"},     // not a thousands grouping
		{"1500 000", "XAF", "transaction_amount", "amount_not_number"}, // first group too long
		{"1  500", "XAF", "transaction_amount", "amount_not_number"},
		{"100.", "EUR", "transaction_amount", "amount_not_number"},
		{".5", "EUR", "transaction_amount", "amount_not_number"},
		{"0x10", "XAF", "transaction_amount", "amount_not_number"},
		{"١٠٠", "XAF", "transaction_amount", "amount_not_number"}, // non-ASCII digits
		{"100 XAF", "XAF", "transaction_amount", "amount_not_number"},
		{"NaN", "XAF", "transaction_amount", "amount_not_number"},
		{"100.5", "XAF", "transaction_amount", "amount_fraction"},
		{"100.00", "XAF", "transaction_amount", "amount_fraction"},
		{"10.005", "EUR", "transaction_amount", "amount_fraction"},
		{"0", "XAF", "transaction_amount", "amount_not_positive"},
		{"000", "XAF", "transaction_amount", "amount_not_positive"},
		{"0.00", "EUR", "transaction_amount", "amount_not_positive"},
		{"-5", "XAF", "transaction_amount", "amount_not_positive"},
		{"10000001", "XAF", "transaction_amount", "amount_too_large"},
		{"99999999999999999999999", "XAF", "transaction_amount", "amount_too_large"},
		{"15000.01", "EUR", "transaction_amount", "amount_too_large"},
		{"100", "USD", "transaction_currency", "currency_invalid"},
		{"100", "xaf", "transaction_currency", "currency_invalid"},
	}
	for _, c := range cases {
		got, err := client.ParseAmount(c.in, c.cur)
		if err == nil {
			t.Errorf("ParseAmount(%q, %q) = %q, want %s", c.in, c.cur, got, c.code)
			continue
		}
		t.Run(c.in, func(t *testing.T) { wantValidation(t, err, c.field, c.code) })
	}
}

func TestNormalizePhone(t *testing.T) {
	ok := map[string]string{
		"690000000":           "690000000",
		"+237 690 000 000":    "690000000",
		"+237690000000":       "690000000",
		"00237 6 90 00 00 00": "690000000",
		"237690000000":        "690000000",
		"690-00-00-00":        "690000000",
		"690.00.00.00":        "690000000",
		"(+237) 677 12 34 56": "677123456",
		" 655 123 456 ":       "655123456",
	}
	for in, want := range ok {
		got, err := client.NormalizePhone(in)
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := client.NormalizePhone("  ")
	wantValidation(t, err, "customer_phone_number", "phone_required")
	for _, in := range []string{
		"12345", "590000000", "6900000000", "69000000", "+33690000000", "+237 590 000 000",
		"69O000000", "2376900000000", "+2376900", "237 69000000", "++237690000000",
	} {
		got, err := client.NormalizePhone(in)
		if err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want phone_invalid", in, got)
			continue
		}
		wantValidation(t, err, "customer_phone_number", "phone_invalid")
	}
}

func TestPhoneOperatorFollowsThePrefixTable(t *testing.T) {
	cases := map[string]string{
		"650000000": client.OperatorMoMo, "654999999": client.OperatorMoMo,
		"655000000": client.OperatorOM, "659999999": client.OperatorOM,
		"670000000": client.OperatorMoMo, "679999999": client.OperatorMoMo,
		"680000000": client.OperatorMoMo, "684999999": client.OperatorMoMo,
		"685000000": client.OperatorOM, "689999999": client.OperatorOM,
		"690000000": client.OperatorOM, "699009900": client.OperatorOM,
		"+237 677 00 00 00": client.OperatorMoMo,
		"620000000":         "", // Camtel
		"660000000":         "", // Nexttel
		"not a phone":       "",
		"":                  "",
	}
	for in, want := range cases {
		if got := client.PhoneOperator(in); got != want {
			t.Errorf("PhoneOperator(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRequestValidate(t *testing.T) {
	n := func(s string) json.Number { return json.Number(s) }
	payin := func(f func(*client.PayinRequest)) client.PayinRequest {
		r := client.PayinRequest{TransactionAmount: n("100"), CustomerPhoneNumber: "699009900"}
		f(&r)
		return r
	}
	payout := func(f func(*client.PayoutRequest)) client.PayoutRequest {
		r := client.PayoutRequest{TransactionAmount: n("500"), TransactionOperator: client.OperatorOM, CustomerPhoneNumber: "699009900"}
		f(&r)
		return r
	}
	type tc struct {
		name        string
		req         interface{ Validate() error }
		field, code string // "" = valid
	}
	cases := []tc{
		{"paylink minimal", client.PaylinkRequest{TransactionAmount: n("100")}, "", ""},
		{"paylink EUR cents", client.PaylinkRequest{TransactionAmount: n("9.99"), TransactionCurrency: "EUR"}, "", ""},
		{"paylink XAF cents", client.PaylinkRequest{TransactionAmount: n("9.99")}, "transaction_amount", "amount_fraction"},
		{"paylink no amount", client.PaylinkRequest{}, "transaction_amount", "amount_required"},
		{"paylink USD", client.PaylinkRequest{TransactionAmount: n("1"), TransactionCurrency: "USD"}, "transaction_currency", "currency_invalid"},
		{"paylink bad phone", client.PaylinkRequest{TransactionAmount: n("1"), CustomerPhoneNumber: "123"}, "customer_phone_number", "phone_invalid"},
		{"paylink bad email", client.PaylinkRequest{TransactionAmount: n("1"), CustomerEmail: "bob@"}, "customer_email", "email_invalid"},
		{"paylink lang de", client.PaylinkRequest{TransactionAmount: n("1"), CustomerLang: "de"}, "customer_lang", "lang_invalid"},
		{"paylink long params", client.PaylinkRequest{TransactionAmount: n("1"),
			ReturnParams: map[string][]string{"x": {strings.Repeat("a", 300)}}}, "return_params", "params_too_long"},

		{"payin ok", payin(func(*client.PayinRequest) {}), "", ""},
		{"payin grouped amount", payin(func(r *client.PayinRequest) { r.TransactionAmount = n("1 500") }), "", ""},
		{"payin EUR", payin(func(r *client.PayinRequest) { r.TransactionCurrency = "EUR" }), "transaction_currency", "currency_invalid"},
		{"payin no phone", payin(func(r *client.PayinRequest) { r.CustomerPhoneNumber = "" }), "customer_phone_number", "phone_required"},
		{"payin bad phone", payin(func(r *client.PayinRequest) { r.CustomerPhoneNumber = "+33612345678" }), "customer_phone_number", "phone_invalid"},
		{"payin exponent", payin(func(r *client.PayinRequest) { r.TransactionAmount = n("1e2") }), "transaction_amount", "amount_not_number"},
		{"payin lang", payin(func(r *client.PayinRequest) { r.CustomerLang = "EN" }), "customer_lang", "lang_invalid"},
		{"payin email", payin(func(r *client.PayinRequest) { r.CustomerEmail = "Bob <bob@mail.com>" }), "customer_email", "email_invalid"},
		{"payin email ok", payin(func(r *client.PayinRequest) { r.CustomerEmail = "bob@mail.com"; r.CustomerLang = "fr" }), "", ""},

		{"payout ok", payout(func(*client.PayoutRequest) {}), "", ""},
		{"payout no operator", payout(func(r *client.PayoutRequest) { r.TransactionOperator = "" }), "transaction_operator", "operator_invalid"},
		{"payout card", payout(func(r *client.PayoutRequest) { r.TransactionOperator = client.OperatorCard }), "transaction_operator", "operator_invalid"},
		{"payout momo no phone", payout(func(r *client.PayoutRequest) {
			r.TransactionOperator = client.OperatorMoMo
			r.CustomerPhoneNumber = ""
		}), "customer_phone_number", "phone_required"},
		{"payout MCP nobody", payout(func(r *client.PayoutRequest) {
			r.TransactionOperator = client.OperatorMCP
			r.CustomerPhoneNumber = ""
		}), "customer_phone_number", "recipient_required"},
		{"payout MCP username", payout(func(r *client.PayoutRequest) {
			r.TransactionOperator = client.OperatorMCP
			r.CustomerPhoneNumber = ""
			r.CustomerUsername = "bob"
		}), "", ""},
		{"payout MCP email", payout(func(r *client.PayoutRequest) {
			r.TransactionOperator = client.OperatorMCP
			r.CustomerPhoneNumber = ""
			r.CustomerEmail = "bob@mail.com"
		}), "", ""},
		{"payout MCP bad email", payout(func(r *client.PayoutRequest) {
			r.TransactionOperator = client.OperatorMCP
			r.CustomerPhoneNumber = ""
			r.CustomerEmail = "bob"
		}), "customer_email", "email_invalid"},
		{"payout too large", payout(func(r *client.PayoutRequest) { r.TransactionAmount = n("20000000") }), "transaction_amount", "amount_too_large"},
		{"payout EUR", payout(func(r *client.PayoutRequest) { r.TransactionCurrency = "EUR" }), "transaction_currency", "currency_invalid"},

		{"authorize ok", client.AuthorizeRequest{TransactionRef: "r", Code: "1234"}, "", ""},
		{"authorize no code", client.AuthorizeRequest{TransactionRef: "r", Code: " "}, "code", "code_required"},
		{"authorize no ref", client.AuthorizeRequest{Code: "1234"}, "transaction_ref", "ref_required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.req.Validate()
			if c.code == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantValidation(t, err, c.field, c.code)
		})
	}
}
