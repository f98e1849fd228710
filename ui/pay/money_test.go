package pay

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestPayoutConfirmationWritesAmountsInTheUsersLanguage: the payout screen
// writes money as every other screen and command does (ui/text): in French
// with a decimal comma, in English with a point, digits grouped in both. A
// balance with cents (an account credited in EUR and converted, say) shows
// them, and "balance after" keeps them exactly.
func TestPayoutConfirmationWritesAmountsInTheUsersLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang      i18n.Lang
		bal, left string
	}{
		{i18n.EN, "1 000 000.75 XAF", "998 470.75 XAF"},
		{i18n.FR, "1 000 000,75 XAF", "998 470,75 XAF"},
	} {
		p := newTestPayout(t)
		p.c.T = i18n.New(tc.lang)
		toConfirm(t, p)
		p.Update(payoutBalanceMsg{id: p.balSeq, balance: "1000000.75"})
		mustContain(t, p.View(), "1 500 XAF", tc.bal, tc.left)
		if tc.lang == i18n.FR {
			mustNotContain(t, p.View(), "000.75")
		}
	}
}
