package history

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
)

// TestRefreshMarkMatchesTheState: r on a payment the sandbox keeps
// pending ends in "#1 unchanged: ● pending" without the ✔ of a success;
// on one that succeeded, with it. Real sandbox over HTTP, real ledger.
func TestRefreshMarkMatchesTheState(t *testing.T) {
	cl := sandboxtest.Start(t, sandbox.Config{ConfirmAfter: 10 * time.Millisecond}).Client()
	db := openDB(t)
	c := newCommon(db)
	c.Svc = core.New(core.Config{Client: cl, Store: db})
	// Amount ending in 3: the sandbox keeps it pending.
	pending, err := c.Svc.Payin(context.Background(), core.PayinInput{Amount: "1503", Phone: "690112233"})
	if err != nil || pending.State.Final() || pending.TransactionRef == "" {
		t.Fatalf("pending payin: %v %s", err, pending.State)
	}
	h := &harness{t: t, m: New(c, Options{Now: fixedNow, Debounce: 1})}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 20})
	h.keys("r")
	last := h.status[len(h.status)-1]
	if last.Kind != common.StatusInfo || !strings.Contains(last.Text, "● pending") {
		t.Fatalf("refresh of a pending payment: %+v", h.status)
	}
	for _, s := range h.status {
		if s.Kind == common.StatusBusy {
			continue
		}
		if s.Kind == common.StatusOK {
			t.Errorf("a ✔ line for a pending payment: %+v", s)
		}
	}

	ok, err := c.Svc.Payin(context.Background(), core.PayinInput{Amount: "1500", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	h.send(common.LedgerChangedMsg{})
	deadline := time.Now().Add(5 * time.Second)
	for {
		h.status = nil
		h.keys("r") // the newest row: the 1500 payin
		last = h.status[len(h.status)-1]
		if strings.Contains(last.Text, "success") || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // the sandbox settles it after ConfirmAfter
	}
	if last.Kind != common.StatusOK || !strings.Contains(last.Text, "✔ success") {
		t.Fatalf("refresh of #%d once paid: %+v", ok.ID, last)
	}
	if r, _ := db.Get(ok.ID); r.State != store.StateSuccess {
		t.Fatalf("ledger: %s", r.State)
	}
}
