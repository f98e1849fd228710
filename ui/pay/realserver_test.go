package pay

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// sandboxWith wires the real chain like sandboxCommon, for a sandbox set up
// as the real server is known to behave, and a client that gives up after
// timeout.
func sandboxWith(t *testing.T, cfg sandbox.Config, timeout time.Duration) (*Payout, *Payin, *sandbox.Server, *store.DB) {
	t.Helper()
	cfg.ConfirmAfter = 50 * time.Millisecond
	e := sandboxtest.Start(t, cfg)
	sb, cl := e.SB, e.Client(client.WithHTTPClient(&http.Client{Timeout: timeout}))
	db, err := store.Open(t.TempDir()+"/l.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := newCommon(core.New(core.Config{Client: cl, Store: db}))
	c.Store = db
	po, pi := NewPayout(c), NewPayin(c)
	po.SetSize(200, 24) // wide: messages are checked whole, not wrapped
	pi.SetSize(200, 24)
	return po, pi, sb, db
}

func sendPayout(p *Payout, amount string) {
	fillPayout(p, 2, "690000000", amount)
	feed(p, press(p, "ctrl+s"))
	typeText(p, amount)
	feed(p, press(p, "enter"))
}

// The vendor's REST client reads an error's text from "message" or "msg":
// an error worded in msg reaches the cashier.
func TestSandboxErrorWordedInMsgIsShown(t *testing.T) {
	po, pi, _, _ := sandboxWith(t, sandbox.Config{ErrorField: sandbox.ErrorFieldMsg}, 5*time.Second)
	fillPayin(pi, "2000", "690000000") // ends in 00: a code is asked
	feed(pi, press(pi, "ctrl+s"))
	typeText(pi, "9999")
	feed(pi, press(pi, "enter"))
	mustContain(t, pi.View(), "Invalid authorization code !")

	sendPayout(po, "2000000") // over the balance: 402 {"status":"error","msg":"Insufficient balance"}
	if po.state != payoutForm {
		t.Fatalf("state %d:\n%s", po.state, po.View())
	}
	mustContain(t, po.View(), "Insufficient balance")
	mustNotContain(t, po.View(), "without a message")
}

func lastRecord(t *testing.T, db *store.DB) store.Record {
	t.Helper()
	r, err := db.Get(1) // each test sends one transaction

	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A payout from an address not on the merchant's allow-list, answered by the
// redirect page (the default) or a 403: REJECTED, nothing moved, and the
// cashier reads why.
func TestSandboxPayoutFromUnlistedAddressSaysSo(t *testing.T) {
	for _, mode := range []string{sandbox.IPRejectRedirect, sandbox.IPRejectJSON} {
		t.Run(mode, func(t *testing.T) {
			po, _, sb, db := sandboxWith(t, sandbox.Config{StrictIP: true, IPReject: mode}, 5*time.Second)
			sendPayout(po, "1500")
			if po.state != payoutForm {
				t.Fatalf("state %d:\n%s", po.state, po.View())
			}
			mustContain(t, po.View(), "not on the merchant's payout IP allow-list (or the base URL is wrong)", "Nothing was sent out")
			if r := lastRecord(t, db); r.State != store.StateRejected {
				t.Fatalf("record %s, want REJECTED", r.State)
			}
			if b := sb.Balance(); b != sandbox.DefaultBalance {
				t.Fatalf("balance %d: a refused payout moved money", b)
			}
		})
	}
}

// The same refusal as no answer at all: the client gives up, the outcome is
// UNKNOWN (the server may have acted), and the record says the allow-list
// may be why.
func TestSandboxPayoutHangIsUnknown(t *testing.T) {
	po, _, sb, db := sandboxWith(t, sandbox.Config{StrictIP: true, IPReject: sandbox.IPRejectHang}, 300*time.Millisecond)
	sendPayout(po, "1500")
	if po.state != payoutResult || po.rec.State != store.StateUnknown {
		t.Fatalf("state %d record %s:\n%s", po.state, po.rec.State, po.View())
	}
	mustContain(t, po.View(), "? UNKNOWN", "check before paying again", "No answer in time", "payout IP")
	if r := lastRecord(t, db); r.State != store.StateUnknown || !strings.Contains(r.Message, "payout IP allow-list") {
		t.Fatalf("record %s %q", r.State, r.Message)
	}
	if n := sb.Stats().Payout; n != 1 {
		t.Fatalf("sandbox saw %d payouts, want 1 (never retried)", n)
	}
}
