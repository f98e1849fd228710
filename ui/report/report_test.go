package report

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

func TestDayGroupsAndTotals(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc := time.FixedZone("WAT", 3600)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, loc)
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa", Amount: "1000", Fees: "20", Currency: "XAF", Created: day.Add(23*time.Hour + 59*time.Minute)},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa", Amount: "500", Fees: "10", Currency: "XAF", Created: day.Add(8 * time.Hour)},
		{Type: store.TypePaylink, State: store.StateSuccess, Operator: "CARD", Cashier: "awa", Amount: "10.50", Fees: "0.35", Currency: "EUR", Created: day.Add(9 * time.Hour)},
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_MOMO", Cashier: "paul", Amount: "300", Fees: "6", Currency: "XAF", Created: day.Add(10 * time.Hour)},
		{Type: store.TypePayout, State: store.StateFailed, Operator: "CM_MOMO", Cashier: "paul", Amount: "900", Currency: "XAF", Created: day.Add(11 * time.Hour)},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Amount: "7777", Currency: "XAF", Created: day.Add(-time.Minute)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	rep, err := Day(context.Background(), db, day.Add(15*time.Hour), "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count != 5 || len(rep.Groups) != 4 {
		t.Fatalf("%d records in %d groups: %+v", rep.Count, len(rep.Groups), rep.Groups)
	}
	g := rep.Groups[0]
	if g.Type != store.TypePayin || g.Count != 2 || g.Amount.Number() != "1500" || g.Fees.Number() != "30" || g.Net().Number() != "1470" {
		t.Errorf("payin group %+v", g)
	}
	if rep.Hours[23].Number() != "1000" || rep.Hours[8].Number() != "500" || !rep.Hours[9].IsZero() || !rep.Hours[10].IsZero() {
		t.Errorf("hours %v: XAF received per local hour, no EUR, no payout", rep.Hours)
	}
	sums := rep.Sum()
	if len(sums) != 2 || sums[0].Currency != "" || sums[0].Net.Number() != "1164" || sums[1].Currency != "EUR" || sums[1].Amount.Number() != "10.50" {
		t.Errorf("sums %+v: francs and euros apart; net 1470 - 306 = 1164", sums)
	}
	byCashier := rep.Totals(ByCashier)
	if len(byCashier) != 3 || byCashier[0].Key != "awa" || byCashier[0].Count != 2 || byCashier[1].Key != "awa" || byCashier[1].Currency != "EUR" ||
		byCashier[2].Key != "paul" || byCashier[2].Count != 2 || byCashier[2].Net.Number() != "-306" {
		t.Errorf("by cashier %+v", byCashier)
	}
	b, _ := json.Marshal(rep)
	var back struct {
		Date   string
		Groups []map[string]any
	}
	json.Unmarshal(b, &back)
	if back.Date != "2026-11-20" || len(back.Groups) != 4 || back.Groups[0]["amount"] != "1500" {
		t.Errorf("JSON %s", b)
	}
	if only, _ := Day(context.Background(), db, day, "PAUL"); only.Count != 2 {
		t.Errorf("cashier paul: %d", only.Count)
	}
}
