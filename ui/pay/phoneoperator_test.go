package pay

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestPayinToANumberOfNoMobileMoneyOperatorIsRefusedAtTheField: a valid
// 6xx number that neither MTN nor Orange serves (Camtel 62x) is refused at
// the phone field, in the console's language, before anything is
// journaled or sent: the sandbox sees no request and the ledger no record
// (it used to be refused by the API only, in English, with a rejected row
// in History for every try).
func TestPayinToANumberOfNoMobileMoneyOperatorIsRefusedAtTheField(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayin(c)
	p.SetSize(80, 18)
	fillPayin(p, "1500", "622 12 34 56")
	if cmd := press(p, "ctrl+s"); cmd != nil {
		t.Fatalf("the payin would be sent: %v", run(cmd))
	}
	if p.state != payinForm || p.form.Field(fPhone).Err.IsZero() || p.form.Focused().Name != fPhone {
		t.Fatalf("no error at the phone field (state %d):\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "neither MTN nor Orange")
	p.c.T = i18n.New(i18n.FR)
	mustContain(t, p.View(), "ni MTN ni Orange")
	if n, _ := c.Store.Count(); n != 0 || sb.Stats().Payin != 0 {
		t.Fatalf("%d records, %d payins at the sandbox: nothing may be stored or sent", n, sb.Stats().Payin)
	}
}
