package core_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// TestLostAnswerDoesNotUndoWhatTheAPIConfirmed: while a payout is in
// flight, a callback confirmed with the API settles its record SUCCESS
// (another process, or the console's own receiver); then the answer to the
// request is lost. The record stays SUCCESS — the lost answer must not turn
// a confirmed payment back into UNKNOWN, an invitation to pay twice — and
// the trail keeps both.
func TestLostAnswerDoesNotUndoWhatTheAPIConfirmed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			AppRef string `json:"app_transaction_ref"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		rec, err := other.ByAppRef(body.AppRef)
		if err != nil {
			t.Errorf("the payout was not journaled before it left: %v", err)
			panic(http.ErrAbortHandler)
		}
		other.Update(rec.ID, func(r *store.Record) error {
			r.State, r.TransactionRef, r.APIStatus = store.StateSuccess, "TX-CONFIRMED", "SUCCESS"
			r.Events = append(r.Events, store.Event{At: time.Now(), Kind: store.EvCallback, Detail: "confirmed with the API"})
			return nil
		})
		panic(http.ErrAbortHandler) // the answer is lost
	}))
	defer srv.Close()
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(srv.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return "k", nil }))
	svc := core.New(core.Config{Client: c, Store: db})
	rec, _ := svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_MOMO", Amount: "5000", Phone: "677123456"})
	got, err := db.Get(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != store.StateSuccess || got.TransactionRef != "TX-CONFIRMED" {
		t.Fatalf("the lost answer undid the confirmed state: %s %q", got.State, got.TransactionRef)
	}
	trail := ""
	for _, e := range got.Events {
		trail += e.Kind + ": " + e.Detail + "\n"
	}
	if !strings.Contains(trail, "own answer came after the record was SUCCESS") {
		t.Fatalf("the lost answer is not in the trail:\n%s", trail)
	}
	if n, _ := db.Count(); n != 1 {
		t.Fatalf("%d records, want 1", n)
	}
}
