package core_test

import (
	"context"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// TestEveryTransactionRecordsItsCashier: the name in Settings is journaled
// with the record (before the request leaves), a change applies to the next
// payment at once, and without a name the OS user is recorded.
func TestEveryTransactionRecordsItsCashier(t *testing.T) {
	t.Setenv("USER", "kiosk1")
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: "1500", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.db.Get(rec.ID); got.Cashier != "kiosk1" {
		t.Fatalf("without a setting the cashier is %q, want the OS user kiosk1", got.Cashier)
	}
	if err := r.db.SetSetting(core.SettingCashier, "  Awa\x1b[2J Ndiaye "); err != nil {
		t.Fatal(err)
	}
	var atJournal string
	svc := core.New(core.Config{Client: clientFor(r), Store: r.db, AfterJournal: func(rec store.Record) {
		atJournal = rec.Cashier
	}})
	rec, err = svc.Paylink(ctx, core.PaylinkInput{Amount: "2000"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.db.Get(rec.ID)
	if atJournal != "Awa[2J Ndiaye" || got.Cashier != "Awa[2J Ndiaye" {
		t.Fatalf("cashier at journal %q, stored %q; want the setting without its escape character", atJournal, got.Cashier)
	}
	out, err := svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "1000", Phone: "677123456"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Cashier != "Awa[2J Ndiaye" {
		t.Fatalf("payout cashier %q", out.Cashier)
	}
}
