package core_test

import (
	"context"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// TestEveryTransactionRecordsItsCashier: the name the service was given
// (read once from the settings at start-up) is journaled with the record,
// before the request leaves; SetCashier applies to the next payment at once;
// without a name the OS user is recorded. The ledger is not read at each
// journal: a setting written behind the service's back changes nothing.
func TestEveryTransactionRecordsItsCashier(t *testing.T) {
	t.Setenv("USER", "kiosk1")
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	if err := r.db.SetSetting(core.SettingCashier, "written-behind"); err != nil {
		t.Fatal(err)
	}
	rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: "1500", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := r.db.Get(rec.ID); got.Cashier != "kiosk1" {
		t.Fatalf("without a name the cashier is %q, want the OS user kiosk1 (not the ledger's, read at each journal)", got.Cashier)
	}
	var atJournal string
	svc := core.New(core.Config{Client: clientFor(r), Store: r.db, Cashier: "  Awa\x1b[2J Ndiaye ", AfterJournal: func(rec store.Record) {
		atJournal = rec.Cashier
	}})
	rec, err = svc.Paylink(ctx, core.PaylinkInput{Amount: "2000"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := r.db.Get(rec.ID)
	if atJournal != "Awa[2J Ndiaye" || got.Cashier != "Awa[2J Ndiaye" {
		t.Fatalf("cashier at journal %q, stored %q; want the name without its escape character", atJournal, got.Cashier)
	}
	svc.SetCashier("Binta")
	out, err := svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "1000", Phone: "677123456"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Cashier != "Binta" {
		t.Fatalf("payout cashier %q after SetCashier(Binta)", out.Cashier)
	}
	svc.SetCashier("")
	if out, err = svc.Payout(ctx, core.PayoutInput{Operator: "CM_MOMO", Amount: "1000", Phone: "677123456"}); err != nil || out.Cashier != "kiosk1" {
		t.Fatalf("payout cashier %q (%v) after SetCashier(\"\"), want the OS user", out.Cashier, err)
	}
}
