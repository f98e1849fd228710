package history

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestNarrowTableNeverCutsAnAmount: at 40 and 60 columns, in both
// languages, every amount on the page is shown whole with its currency
// ("5 000 XAF", not "5"), as are the states; columns go (customer,
// reference, operator, time) before an amount is cut, and the type (which
// way the money went) stays at 40 columns. No line is wider than the
// window.
func TestNarrowTableNeverCutsAnAmount(t *testing.T) {
	db := openDB(t)
	recs := []store.Record{
		{Type: store.TypePayout, State: store.StateSuccess, Amount: "5000", Currency: "XAF", Operator: "CM_MOMO",
			CustomerName: "Jean-Pierre Kamga Nkoulou", AppRef: "cp-a", Created: baseTime},
		{Type: store.TypePayin, State: store.StatePending, Amount: "1000000", Currency: "XAF", Operator: "CM_OM",
			CustomerPhone: "690112233", AppRef: "cp-b", Created: baseTime.Add(time.Minute)},
		{Type: store.TypePaylink, State: store.StateFailed, Amount: "1234.5", Currency: "EUR",
			CustomerName: "Awa", AppRef: "cp-c", Created: baseTime.Add(2 * time.Minute)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	amounts := map[i18n.Lang][]string{
		i18n.EN: {"5 000 XAF", "1 000 000 XAF", "1 234.50 EUR"},
		i18n.FR: {"5 000 XAF", "1 000 000 XAF", "1 234,50 EUR"},
	}
	states := map[i18n.Lang][]string{
		i18n.EN: {"✔ success", "● pending", "✘ failed"},
		i18n.FR: {"✔ réussi", "● en attente", "✘ échoué"},
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		for _, size := range [][2]int{{40, 8}, {60, 11}, {80, 20}} {
			h := newHarness(t, db, size[0], size[1], Options{})
			h.m.c.T = i18n.New(lang)
			v := h.m.View()
			for _, l := range strings.Split(v, "\n") {
				if w := lipgloss.Width(l); w > size[0] {
					t.Errorf("%s %v: line of %d columns: %q", lang, size, w, l)
				}
			}
			// Digit groups use a no-break space in French: compare on
			// plain spaces.
			plain := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(v)
			for _, a := range amounts[lang] {
				if !strings.Contains(plain, a) {
					t.Errorf("%s %v: amount %q not whole:\n%s", lang, size, a, v)
				}
			}
			for _, s := range states[lang] {
				if !strings.Contains(v, s) {
					t.Errorf("%s %v: state %q not whole:\n%s", lang, size, s, v)
				}
			}
			if !strings.Contains(v, map[i18n.Lang]string{i18n.EN: "payout", i18n.FR: "décaissement"}[lang][:5]) {
				t.Errorf("%s %v: the type column was dropped:\n%s", lang, size, v)
			}
		}
	}
}
