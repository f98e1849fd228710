package pay

import (
	"net/http"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
)

// These tests run the screens' cmds for real: sandbox over HTTP, client,
// ledger in a temp dir, core. The follower is played by follow().

func followID(t *testing.T, msgs []tea.Msg) uint64 {
	t.Helper()
	f, ok := find[common.FollowMsg](msgs)
	if !ok {
		t.Fatalf("no FollowMsg in %v", msgs)
	}
	return f.ID
}

func TestSandboxPayinSucceeds(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayin(c)
	p.SetSize(80, 18)
	fillPayin(p, "1 500", "690 00 00 04") // amount ends in 0: SUCCESS
	msgs := feed(p, press(p, "ctrl+s"))
	if p.state != payinWaiting {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "#150*50#")
	rec := follow(t, c, p, followID(t, msgs))
	if rec.State != store.StateSuccess || p.state != payinResult {
		t.Fatalf("record %s, screen state %d", rec.State, p.state)
	}
	mustContain(t, p.View(), "✔ SUCCESS")
	if n := sb.Stats().Payin; n != 1 {
		t.Errorf("sandbox saw %d payins, want 1", n)
	}
}

func TestSandboxPayinOTPWrongThenRight(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayin(c)
	p.SetSize(80, 18)
	fillPayin(p, "2000", "690000000") // ends in 00: the sandbox asks for a code
	msgs := feed(p, press(p, "ctrl+s"))
	if p.state != payinOTP {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	id := followID(t, msgs)
	typeText(p, "9999")
	feed(p, press(p, "enter"))
	if p.state != payinOTP {
		t.Fatalf("after a wrong code: state %d", p.state)
	}
	mustContain(t, p.View(), "Invalid authorization code !", "— 2 attempt(s)")
	typeText(p, "1234")
	feed(p, press(p, "enter"))
	if p.state != payinWaiting {
		t.Fatalf("after the right code: state %d:\n%s", p.state, p.View())
	}
	rec := follow(t, c, p, id)
	if rec.State != store.StateSuccess {
		t.Fatalf("record %s", rec.State)
	}
	mustContain(t, p.View(), "✔ SUCCESS")
	if st := sb.Stats(); st.Authorize != 2 || st.Payin != 1 {
		t.Errorf("sandbox saw %+v", st)
	}
}

func TestSandboxPayinFailsAfterThreeWrongCodes(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayin(c)
	p.SetSize(80, 18)
	fillPayin(p, "2000", "670000000")
	feed(p, press(p, "ctrl+s"))
	for i := 0; i < 3; i++ {
		typeText(p, "0000")
		feed(p, press(p, "enter"))
	}
	if p.state != payinResult {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "✘ FAILED")
}

func TestSandboxPaylinkPaid(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPaylink(c)
	p.Clipboard = &strings.Builder{}
	p.SetSize(80, 20) // the sandbox's URL is long: a 37-module code, 20 rows
	typeText(p, "5000")
	msgs := feed(p, press(p, "ctrl+s"))
	if p.state != paylinkLink || p.rec.PaymentURL == "" {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "▀")
	resp, err := http.Post(p.rec.PaymentURL+"/pay", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rec := follow(t, c, p, followID(t, msgs))
	if rec.State != store.StateSuccess {
		t.Fatalf("record %s", rec.State)
	}
	mustContain(t, p.View(), "✔ SUCCESS")
	if n := sb.Stats().Paylink; n != 1 {
		t.Errorf("sandbox saw %d paylinks", n)
	}
}

// TestPayoutConfirmSendsOnce counts requests where they land: at the sandbox.
func TestPayoutConfirmSendsOnce(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 18)
	fillPayout(p, 2, "690000000", "1500")
	feed(p, press(p, "ctrl+s"))
	if p.state != payoutConfirm {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "1 000 000 XAF", "998 470 XAF", "about 30 XAF") // the balance came
	typeText(p, "1500")
	var cmds []tea.Cmd
	for i := 0; i < 3; i++ {
		_, cmd := p.Update(keyMsg("enter"))
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	if len(cmds) != 1 {
		t.Fatalf("%d cmds for three enters, want 1", len(cmds))
	}
	feed(p, cmds[0])
	if n := sb.Stats().Payout; n != 1 {
		t.Fatalf("sandbox saw %d payouts, want exactly 1", n)
	}
	mustContain(t, p.View(), "✔ Paid")
	// More keys after the answer send nothing either.
	for _, k := range []string{"enter", "y", "O", "ctrl+s"} {
		feed(p, press(p, k))
	}
	if n := sb.Stats().Payout; n != 1 {
		t.Fatalf("sandbox saw %d payouts after more keys", n)
	}
}

func TestSandboxPayout202IsFollowed(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 18)
	fillPayout(p, 1, "670000000", "3007") // amount ends in 7: 202, then SUCCESS
	feed(p, press(p, "ctrl+s"))
	typeText(p, "3007")
	msgs := feed(p, press(p, "enter"))
	mustContain(t, p.View(), "In progress — will be followed")
	rec := follow(t, c, p, followID(t, msgs))
	if rec.State != store.StateSuccess {
		t.Fatalf("record %s", rec.State)
	}
	mustContain(t, p.View(), "✔ SUCCESS")
}

func TestSandboxPayoutInsufficientBalanceKeepsForm(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 18)
	fillPayout(p, 2, "690000000", "2000000")
	feed(p, press(p, "ctrl+s"))
	mustContain(t, p.View(), "insufficient")
	typeText(p, "2000000")
	feed(p, press(p, "enter"))
	if p.state != payoutForm {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "Insufficient balance", "2000000")
}

// An ambiguous payout is UNKNOWN and is sent again only after O then y.
func TestSandboxPayoutUnknownResentOnlyWithOverride(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 20)
	fillPayout(p, 2, "690000000", "1500")
	press(p, "tab")
	typeText(p, "sandbox:drop") // the sandbox pays, then hangs up without an answer
	feed(p, press(p, "ctrl+s"))
	typeText(p, "1500")
	feed(p, press(p, "enter"))
	if p.state != payoutResult || p.rec.State != store.StateUnknown {
		t.Fatalf("state %d record %s:\n%s", p.state, p.rec.State, p.View())
	}
	mustContain(t, p.View(), "? UNKNOWN", "check before paying again")
	for _, k := range []string{"enter", "ctrl+s", "y", "O", "n", "esc"} {
		feed(p, press(p, k))
	}
	if n := sb.Stats().Payout; n != 1 {
		t.Fatalf("sandbox saw %d payouts before the override", n)
	}
	if p.state != payoutForm {
		t.Fatalf("esc from the result: state %d", p.state)
	}
	// Back to that record: the override path.
	rec, err := c.Store.Get(1)
	if err != nil || rec.State != store.StateUnknown {
		t.Fatalf("ledger: %v %s", err, rec.State)
	}
	p.state, p.rec = payoutResult, rec
	press(p, "O")
	feed(p, press(p, "y"))
	if n := sb.Stats().Payout; n != 2 {
		t.Fatalf("sandbox saw %d payouts after the override, want 2", n)
	}
	if p.rec.ID == rec.ID {
		t.Error("the re-send should be a new record")
	}
}
