package pay

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// The form's type words are looked up by a key built at run time, which the
// catalogue's source scan (ui/i18n) cannot see.
func TestFormTypeWordsAreInTheCatalogue(t *testing.T) {
	tr := i18n.New(i18n.EN)
	for _, typ := range []string{"payin", "paylink", "payout"} {
		if k := "form.type." + typ; tr.T(k) == k {
			t.Errorf("%s missing", k)
		}
	}
}
