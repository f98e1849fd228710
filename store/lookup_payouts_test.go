package store

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
)

// TestPayoutsToReadsThePhoneIndex: every payout to the phones asked (in any
// of their spellings) and nothing else — not a payin to the same phone, not
// a payout to another — from a real ledger file.
func TestPayoutsToReadsThePhoneIndex(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "l.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, r := range []Record{
		{Type: TypePayout, State: StateSuccess, AppRef: "a", Amount: "100", CustomerPhone: "670000001"},
		{Type: TypePayout, State: StateFailed, AppRef: "b", Amount: "200", CustomerPhone: "237670000001"},
		{Type: TypePayin, State: StateSuccess, AppRef: "c", Amount: "300", CustomerPhone: "670000001"},
		{Type: TypePayout, State: StateSuccess, AppRef: "d", Amount: "400", CustomerPhone: "690000002"},
		{Type: TypePayout, State: StateSuccess, AppRef: "e", Amount: "500", CustomerPhone: "680000003"},
	} {
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	err = db.PayoutsTo(context.Background(), []string{"+237 6 70 00 00 01", "690000002", "670000001", "not a phone"}, func(r Record) {
		got = append(got, r.AppRef)
	})
	sort.Strings(got)
	if err != nil || len(got) != 3 || got[0] != "a" || got[1] != "b" || got[2] != "d" {
		t.Fatalf("PayoutsTo: %v %v", err, got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.PayoutsTo(ctx, []string{"670000001"}, func(Record) {}); err == nil {
		t.Fatal("a cancelled look-up answered")
	}
}
