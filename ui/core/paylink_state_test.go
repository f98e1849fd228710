package core_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// An unpaid paylink and one whose customer is paying both answer PENDING
// (the only documented word); the console still tells them apart by whether
// an operator transaction exists (operator_transaction_ref).
func TestPaylinkNotPaidYetIsToldFromPaymentInProgress(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Paylink(ctx, core.PaylinkInput{Amount: "5000"})
	if err != nil || rec.State != store.StateCreated {
		t.Fatalf("paylink: %s %v", rec.State, err)
	}
	after, _, err := r.svc.Refresh(ctx, rec.ID)
	if err != nil || after.State != store.StateCreated || after.APIStatus != client.StatusPending {
		t.Fatalf("unpaid paylink refreshed: state %s, API %s, %v; want CREATED (not paid yet) from PENDING", after.State, after.APIStatus, err)
	}
	resp, err := http.PostForm(rec.PaymentURL+"/start", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	after, _, err = r.svc.Refresh(ctx, rec.ID)
	if err != nil || after.State != store.StatePending || after.OperatorRef == "" {
		t.Fatalf("started paylink refreshed: state %s, operator ref %q, %v; want PENDING (payment in progress)", after.State, after.OperatorRef, err)
	}
	if _, err := sandbox.Settle(ctx, r.srv.URL, rec.TransactionRef, "SUCCESS"); err != nil {
		t.Fatal(err)
	}
	if after, _, err = r.svc.Refresh(ctx, rec.ID); err != nil || after.State != store.StateSuccess {
		t.Fatalf("paid paylink: %s %v", after.State, err)
	}
}

// A payin left PENDING by the digit rule (amount ending in 3) is forced to
// FAILED from outside, and a refresh records it.
func TestSettledPayinIsRecordedFailed(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	ctx := context.Background()
	rec, err := r.svc.Payin(ctx, core.PayinInput{Amount: "1003", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sandbox.Settle(ctx, r.srv.URL+"/api", rec.TransactionRef, "failed")
	if err != nil || st.TransactionStatus != client.StatusFailed {
		t.Fatalf("settle: %+v %v", st, err)
	}
	if after, _, err := r.svc.Refresh(ctx, rec.ID); err != nil || after.State != store.StateFailed {
		t.Fatalf("after settle: %s %v", after.State, err)
	}
}
