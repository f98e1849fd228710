package today

import (
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/report"
)

// TestTodaySaysWhenFeesAreUnknown: successful transactions whose fees the
// API has not given (payouts paid at once whose fee look-up has not
// happened yet) are named under the day's total, in both languages, and
// the line goes once their fees are known.
func TestTodaySaysWhenFeesAreUnknown(t *testing.T) {
	db := openDB(t)
	seed(t, db)
	day := report.DayOf(now)
	recs := []store.Record{
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_OM", Amount: "295000", Currency: "XAF", AppRef: "cp-a", Created: day.Add(15 * time.Hour)},
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_OM", Amount: "5000", Currency: "XAF", AppRef: "cp-b", Created: day.Add(15 * time.Hour)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[i18n.Lang]string{i18n.EN: "⚠ fees unknown for 2 transaction(s)", i18n.FR: "⚠ frais inconnus pour 2 transaction(s)"} {
		if v := newHarness(t, db, lang).m.View(); !strings.Contains(v, want) {
			t.Errorf("%s: no fees-unknown line:\n%s", lang, v)
		}
	}
	for i, fees := range []string{"5900", "100"} {
		if _, err := db.Update(recs[i].ID, func(r *store.Record) error { r.Fees = fees; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if v := newHarness(t, db, i18n.EN).m.View(); strings.Contains(v, "fees unknown") {
		t.Errorf("the line stays once the fees are known:\n%s", v)
	}
}
