package today

import (
	"strings"
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// A typed day beyond the years the ledger can index (its int64
// nanoseconds wrap after 2262 and before 1678) stays in the field with a
// message, instead of a window turned inside out.
func TestTodayRefusesDaysTheLedgerCannotHold(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	for lang, want := range map[i18n.Lang]string{
		i18n.EN: `"31/12/9999" is outside the years the ledger keeps (1678 to 2261)`,
		i18n.FR: "« 31/12/9999 » est hors des années que garde le registre (1678 à 2261)",
	} {
		h := newHarness(t, db, lang)
		day := h.m.Day()
		h.key("d")
		for _, r := range "31/12/9999" {
			h.key(string(r))
		}
		h.key("enter")
		if !h.m.InputFocused() || !h.m.Day().Equal(day) || !strings.Contains(h.m.View(), want) {
			t.Fatalf("%s: day %v, view:\n%s", lang, h.m.Day(), h.m.View())
		}
		h.key("esc", "d")
		for _, r := range "2261-12-31" {
			h.key(string(r))
		}
		h.key("enter")
		if h.m.InputFocused() || h.m.Day().Year() != 2261 {
			t.Fatalf("%s: the last year the ledger holds was refused:\n%s", lang, h.m.View())
		}
	}
}
