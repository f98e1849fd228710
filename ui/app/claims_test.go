package app

import (
	"context"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestConsoleConfirmsWaitingCallbacksAtStart: a callback stored while the
// API was out of reach is confirmed by the console when it starts, and the
// record it made takes the API's state.
func TestConsoleConfirmsWaitingCallbacksAtStart(t *testing.T) {
	db := openDB(t)
	connect, sb, base := sandboxAPI(t, db)
	svc, k := connect(client.SandboxPublicKey, base)
	if _, err := k.Set(context.Background(), sandbox.DefaultPrivateKey); err != nil {
		t.Fatal(err)
	}
	// A payin made elsewhere; its outcome (SUCCESS) comes 30 ms later.
	raw := client.New(client.SandboxPublicKey, client.WithBaseURL(base))
	p, err := raw.Payin(context.Background(), client.PayinRequest{TransactionAmount: "2500", CustomerPhoneNumber: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	cb := client.SignCallback(client.Callback{Application: client.SandboxPublicKey, TransactionRef: p.TransactionRef,
		TransactionType: "PAYIN", TransactionAmount: "2500", TransactionCurrency: "XAF", TransactionOperator: "CM_OM",
		TransactionStatus: "SUCCESS"}, sandbox.DefaultPrivateKey)
	claim, _, err := svc.RecordClaim(&cb)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	sb.Settle()
	c := common.Common{Ctx: context.Background(), T: i18n.New(i18n.EN), Store: db, Svc: svc, Secrets: k, Sandbox: true}
	newHarness(t, c, Options{Start: TabHistory})
	got, _ := db.Claim(claim.Key)
	rec, _ := db.Get(claim.RecordID)
	if got.State != store.ClaimConfirmed || rec.State != store.StateSuccess {
		t.Fatalf("after start: claim %s, record %s", got.State, rec.State)
	}
}
