package text

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

func TestCountGroupsDigits(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1 000", 1500000: "1 500 000", -4000000: "-4 000 000"} {
		if got := Count(in); got != want {
			t.Errorf("Count(%d) = %q, want %q", in, got, want)
		}
	}
}

// EUR shows its cents, with French's decimal comma; XAF stays whole.
func TestAmountUsesTheLanguagesDecimalMark(t *testing.T) {
	en, fr := i18n.New(i18n.EN), i18n.New(i18n.FR)
	for _, tc := range []struct {
		tr             *i18n.Translator
		amount, cur, w string
	}{
		{en, "10.5", "EUR", "10.50 EUR"}, {fr, "10.5", "EUR", "10,50 EUR"},
		{fr, "1250.75", "EUR", "1 250,75 EUR"}, {en, "7", "EUR", "7.00 EUR"},
		{fr, "1500000", "XAF", "1 500 000 XAF"}, {en, "", "XAF", ""},
		{en, "-4000000", "XAF", "-4 000 000 XAF"}, {fr, "12345.25", "XAF", "12 345,25 XAF"},
		{en, "1500", "", "1 500"},
		// Not an amount (a damaged or hostile ledger field): shown as it
		// came, never guessed at, and inert.
		{en, "abc", "XAF", "abc XAF"}, {en, "1.234", "XAF", "1.234 XAF"}, {en, "1e6", "XAF", "1 000 000 XAF"}, {fr, "12\x1b[31m", "X\x1bAF", "12^[[31m X^[AF"},
	} {
		if got := Amount(tc.tr.Lang(), tc.amount, tc.cur); got != tc.w {
			t.Errorf("%s %s %s: %q, want %q", tc.tr.Lang(), tc.amount, tc.cur, got, tc.w)
		}
	}
}

// Known API messages read in French; unknown ones pass as they came; the
// detail form keeps the API's own words beside the translation.
func TestAPIMessagesAreTranslatedWhenKnown(t *testing.T) {
	fr, en := i18n.New(i18n.FR), i18n.New(i18n.EN)
	for msg, want := range map[string]string{
		"Transaction successful":       "Transaction réussie",
		"Invalid authorization code !": "Code d'autorisation invalide !",
		"Insufficient balance":         "Solde insuffisant",
		"Transaction in progress...":   "Transaction en cours…",
		"Something new from the API":   "Something new from the API",
	} {
		if got := APIMessage(fr, msg); got != want {
			t.Errorf("%q: %q, want %q", msg, got, want)
		}
		if got := APIMessage(en, msg); got != msg {
			t.Errorf("English changed %q into %q", msg, got)
		}
	}
	if got := APIMessageDetail(fr, "Transaction failed"); got != "Transaction échouée (Transaction failed)" {
		t.Errorf("detail: %q", got)
	}
	if got := APIMessageDetail(en, "Transaction failed"); got != "Transaction failed" {
		t.Errorf("detail in English: %q", got)
	}
}
