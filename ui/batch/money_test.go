package batch_test

import (
	"testing"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/ui/batch"
)

// TestBalanceAfterIsExactAndNeverMixesCurrencies: the one "balance after"
// rule takes the amount and its fee off exactly (cents of a balance kept),
// reads the API's balance as the JSON number it is, says when the balance
// is short, and refuses to take francs off euros.
func TestBalanceAfterIsExactAndNeverMixesCurrencies(t *testing.T) {
	for _, tc := range []struct {
		bal           string
		amount, fees  int64
		after         string
		short, wantOK bool
	}{
		{"1000000", 1500, 30, "998470", false, true},
		{"1000000.75", 1500, 30, "998470.75", false, true},
		{"1e6", 1500, 30, "998470", false, true},
		{"1500", 1500, 30, "-30", true, true},
		{"1530", 1500, 30, "0", false, true},
		{"", 1500, 30, "", false, false},
		{"lots", 1500, 30, "", false, false},
		{"10.001", 1, 0, "", false, false},
	} {
		after, short, ok := batch.BalanceAfter(tc.bal, tc.amount, tc.fees)
		if after != tc.after || short != tc.short || ok != tc.wantOK {
			t.Errorf("BalanceAfter(%q, %d, %d) = %q %v %v, want %q %v %v", tc.bal, tc.amount, tc.fees,
				after, short, ok, tc.after, tc.short, tc.wantOK)
		}
	}
	eur := money.Amount{Minor: 10_000_00, Currency: money.EUR}
	if _, _, ok := batch.After(eur, money.XAFOf(100), money.XAFOf(2)); ok {
		t.Error("francs were taken off a balance in euros")
	}
	if a, short, ok := batch.After(money.XAFOf(100), money.XAFOf(100), money.XAFOf(2)); !ok || !short || a.Number() != "-2" {
		t.Errorf("After: %v %v %v", a, short, ok)
	}
}
