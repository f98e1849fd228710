package pay

import (
	"errors"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

func newTestPayout(t *testing.T) *Payout {
	t.Helper()
	p := NewPayout(newCommon(offlineSvc()))
	p.SetSize(80, 18)
	return p
}

// fillPayout chooses the operator (0 MCP, 1 MoMo, 2 OM) and types phone and amount.
func fillPayout(p *Payout, op int, phone, amount string) {
	for i := 0; i < op; i++ {
		press(p, "right")
	}
	press(p, "tab")
	typeText(p, phone)
	p.form.Focus(fAmount)
	typeText(p, amount)
}

// toConfirm fills a valid payout and opens the confirmation.
func toConfirm(t *testing.T, p *Payout) {
	t.Helper()
	fillPayout(p, 2, "690000000", "1 500")
	cmd := press(p, "ctrl+s")
	if p.state != payoutConfirm {
		t.Fatalf("state %d after review; form errors: %s", p.state, p.View())
	}
	if cmd == nil {
		t.Fatal("no balance request for the confirmation")
	}
}

func TestPayoutOperatorShowsOnlyItsFields(t *testing.T) {
	p := newTestPayout(t)
	mustContain(t, p.View(), "or username", "or e-mail")
	if p.form.Value(fOperator) != client.OperatorMCP {
		t.Fatalf("default operator %q", p.form.Value(fOperator))
	}
	press(p, "right") // MTN MoMo
	if p.form.Value(fOperator) != client.OperatorMoMo {
		t.Fatalf("operator %q", p.form.Value(fOperator))
	}
	mustNotContain(t, p.View(), "or username", "or e-mail")
	// Navigation skips the hidden fields: operator → phone → amount.
	press(p, "tab", "tab")
	if got := p.form.Focused().Name; got != fAmount {
		t.Errorf("focus %s, want amount", got)
	}
	// A username typed for MCP is not sent once MoMo is chosen.
	p = newTestPayout(t)
	press(p, "tab", "tab")
	typeText(p, "alice")
	p.form.Focus(fOperator)
	press(p, "right")
	if p.input().Username != "" {
		t.Errorf("hidden username submitted: %+v", p.input())
	}
}

func TestPayoutBadInputInline(t *testing.T) {
	tests := []struct {
		name          string
		op            int
		phone, amount string
		field, want   string
	}{
		{"no amount", 2, "690000000", "", fAmount, "Type an amount."},
		{"fraction", 2, "690000000", "10.5", fAmount, "XAF amounts are whole numbers"},
		{"no recipient for MCP", 0, "", "1500", fPhone, "Give a phone, a username or an e-mail."},
		{"no phone for Orange", 2, "", "1500", fPhone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPayout(t)
			fillPayout(p, tt.op, tt.phone, tt.amount)
			if cmd := press(p, "ctrl+s"); cmd != nil {
				t.Fatalf("bad input produced a cmd: %v", run(cmd))
			}
			if p.state != payoutForm || p.form.Field(tt.field).Err.IsZero() {
				t.Fatalf("state %d, no inline error on %s:\n%s", p.state, tt.field, p.View())
			}
			mustContain(t, p.View(), tt.want)
			if p.form.Value(fAmount) != tt.amount {
				t.Error("amount lost")
			}
		})
	}
}

func TestPayoutConfirmationShowsWhoGetsHowMuch(t *testing.T) {
	p := newTestPayout(t)
	toConfirm(t, p)
	mustContain(t, p.View(), "690000000", "Orange Money", "1 500 XAF", "Fees", "Balance now", "…")
	p.Update(payoutBalanceMsg{id: p.balSeq, balance: "1000000"})
	mustContain(t, p.View(), "1 000 000 XAF", "998 470 XAF", "about 30 XAF")
	// A balance answer for an older confirmation is ignored.
	p.Update(payoutBalanceMsg{id: p.balSeq - 1, balance: "5"})
	mustContain(t, p.View(), "1 000 000 XAF")
	// Unknown balance shows a dash.
	p.Update(payoutBalanceMsg{id: p.balSeq, err: errors.New("offline")})
	mustContain(t, p.View(), "—")
	mustNotContain(t, p.View(), "1 000 000 XAF")
}

func TestPayoutConfirmAmountMismatch(t *testing.T) {
	for _, typed := range []string{"", "150", "15000", "1 501", "1500 "} {
		p := newTestPayout(t)
		toConfirm(t, p)
		typeText(p, typed)
		cmd := press(p, "enter")
		if typed == "1500 " {
			// Surrounding spaces are not a different amount.
			if cmd == nil || p.state != payoutSending {
				t.Errorf("%q: exact amount with a trailing space refused", typed)
			}
			continue
		}
		if cmd != nil || p.state != payoutConfirm {
			t.Fatalf("%q: mismatch sent (state %d)", typed, p.state)
		}
		mustContain(t, p.View(), "The amounts differ: nothing was sent.")
	}
}

func TestPayoutConfirmAcceptsEitherWriting(t *testing.T) {
	for _, typed := range []string{"1500", "1 500"} {
		p := newTestPayout(t)
		toConfirm(t, p)
		typeText(p, typed)
		if cmd := press(p, "enter"); cmd == nil || p.state != payoutSending {
			t.Errorf("%q refused", typed)
		}
	}
}

// Whatever way the amount was first written, the retyped one is read the
// same way as the form reads it: "5 000" confirms "5000" and the reverse.
func TestPayoutRetypedAmountAcceptsTheSameFormsAsTheFirst(t *testing.T) {
	for _, tc := range []struct{ first, again string }{
		{"5000", "5 000"}, {"5 000", "5000"}, {"5000", "5 000"}, {"5000", "05000"},
	} {
		p := newTestPayout(t)
		fillPayout(p, 1, "677123456", tc.first)
		press(p, "ctrl+s")
		if p.state != payoutConfirm {
			t.Fatalf("%q: no confirmation:\n%s", tc.first, p.View())
		}
		typeText(p, tc.again)
		if cmd := press(p, "enter"); cmd == nil || p.state != payoutSending {
			t.Errorf("first %q, again %q: refused:\n%s", tc.first, tc.again, p.View())
		}
	}
}

func TestPayoutDoubleEnterSendsOnce(t *testing.T) {
	p := newTestPayout(t)
	toConfirm(t, p)
	typeText(p, "1500")
	_, first := p.Update(keyMsg("enter"))
	_, second := p.Update(keyMsg("enter"))
	if first == nil {
		t.Fatal("first enter did not send")
	}
	if second != nil {
		t.Fatalf("second enter produced a cmd: %v", run(second))
	}
	if p.state != payoutSending || !p.Busy() {
		t.Fatalf("state %d", p.state)
	}
	// Nothing else sends while the request is out: esc, ctrl+s, O, y.
	for _, k := range []string{"esc", "ctrl+s", "O", "y", "enter"} {
		if cmd := press(p, k); cmd != nil || p.state != payoutSending {
			t.Errorf("%s while sending: cmd %v state %d", k, cmd != nil, p.state)
		}
	}
}

func payoutAnswer(p *Payout, rec store.Record, err error) []any {
	_, cmd := p.Update(payoutAnswerMsg{id: p.seq, rec: rec, err: err})
	var out []any
	for _, m := range run(cmd) {
		out = append(out, m)
	}
	return out
}

func sentPayout(t *testing.T) *Payout {
	t.Helper()
	p := newTestPayout(t)
	toConfirm(t, p)
	typeText(p, "1500")
	press(p, "enter")
	return p
}

func TestPayout200And202AreShownDifferently(t *testing.T) {
	p := sentPayout(t)
	payoutAnswer(p, store.Record{ID: 1, Type: store.TypePayout, State: store.StateSuccess, HTTPStatus: 200, TransactionRef: "T", Amount: "1500", Currency: "XAF"}, nil)
	mustContain(t, p.View(), "✔ Paid")
	mustNotContain(t, p.View(), "In progress")
	if p.Busy() {
		t.Error("a paid payout is not busy")
	}

	p = sentPayout(t)
	_, cmd := p.Update(payoutAnswerMsg{id: p.seq, rec: store.Record{ID: 2, Type: store.TypePayout, State: store.StatePending, HTTPStatus: 202, TransactionRef: "T2"}})
	msgs := run(cmd)
	if f, ok := find[common.FollowMsg](msgs); !ok || f.ID != 2 {
		t.Errorf("202 not followed: %v", msgs)
	}
	mustContain(t, p.View(), "… In progress — will be followed")
	if !p.Busy() {
		t.Error("a followed payout is busy")
	}
	p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 2, Type: store.TypePayout, State: store.StateSuccess, HTTPStatus: 202}})
	mustContain(t, p.View(), "✔ SUCCESS")

	// Leaving a payout still in progress says where it continues.
	p = sentPayout(t)
	p.Update(payoutAnswerMsg{id: p.seq, rec: store.Record{ID: 3, AppRef: "cp-3", Type: store.TypePayout, State: store.StatePending, HTTPStatus: 202, TransactionRef: "T3"}})
	msgs = run(press(p, "esc"))
	if s, ok := find[common.StatusMsg](msgs); !ok || !strings.Contains(s.Text, "cp-3") || p.state != payoutForm {
		t.Errorf("esc from a followed payout: state %d, %v", p.state, msgs)
	}
}

func TestPayoutRejectedKeepsForm(t *testing.T) {
	p := sentPayout(t)
	api := &client.APIError{HTTPStatus: 402, Status: "error", Message: "Insufficient balance"}
	payoutAnswer(p, store.Record{ID: 1, State: store.StateRejected, Message: "Insufficient balance"}, api)
	if p.state != payoutForm {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "Insufficient balance", "690000000")
	if p.form.Value(fAmount) != "1 500" {
		t.Error("form not kept")
	}
}

func TestPayoutUnknownNeedsOverride(t *testing.T) {
	p := sentPayout(t)
	amb := &client.AmbiguousError{Op: "payout", Err: errors.New("timeout")}
	payoutAnswer(p, store.Record{ID: 5, AppRef: "cp-5", Type: store.TypePayout, State: store.StateUnknown}, amb)
	mustContain(t, p.View(), "? UNKNOWN", "check before paying again")
	// Nothing re-sends it: enter, ctrl+s, y.
	for _, k := range []string{"enter", "ctrl+s", "y"} {
		if cmd := press(p, k); cmd != nil {
			t.Fatalf("%s re-sent an UNKNOWN payout", k)
		}
	}
	if press(p, "O") != nil || p.state != payoutOverride {
		t.Fatalf("O: state %d", p.state)
	}
	mustContain(t, p.View(), "may have gone through", "cp-5")
	press(p, "n")
	if p.state != payoutResult {
		t.Fatalf("n did not cancel the override")
	}
	press(p, "O")
	first := press(p, "y")
	second := press(p, "y")
	if first == nil || second != nil || p.state != payoutResending {
		t.Fatalf("override: first %v second %v state %d", first != nil, second != nil, p.state)
	}
	payoutAnswer(p, store.Record{ID: 6, Type: store.TypePayout, State: store.StateSuccess, HTTPStatus: 200}, nil)
	mustContain(t, p.View(), "✔ Paid")
	if press(p, "O") != nil || p.state != payoutResult {
		t.Error("override offered for a paid payout")
	}
}

func TestPayoutEscFromConfirmKeepsForm(t *testing.T) {
	p := newTestPayout(t)
	toConfirm(t, p)
	press(p, "esc")
	if p.state != payoutForm || p.form.Value(fAmount) != "1 500" || p.form.Value(fPhone) != "690000000" {
		t.Fatalf("esc: state %d, form %+v", p.state, p.input())
	}
	// The balance answer for the confirmation left is dropped.
	p.Update(payoutBalanceMsg{id: p.balSeq - 1, balance: "7"})
	if p.balance == "7" {
		t.Error("stale balance kept")
	}
}

func TestPayoutStaleAnswerRouted(t *testing.T) {
	p := sentPayout(t)
	_, cmd := p.Update(payoutAnswerMsg{id: p.seq - 1, rec: store.Record{ID: 3, Type: store.TypePayout, State: store.StatePending, TransactionRef: "T"}})
	if p.state != payoutSending {
		t.Fatalf("stale answer moved the screen: %d", p.state)
	}
	if _, ok := find[common.FollowMsg](run(cmd)); !ok {
		t.Error("stale pending payout not routed to the follower")
	}
}

// An MTN number with Orange Money chosen (or the reverse) is pointed out
// before the confirmation; a second review of the same pair goes on, and
// the confirmation still says it. Matching pairs and wallets pass at once.
func TestPayoutOperatorMismatchWarnsBeforeTheConfirmation(t *testing.T) {
	for _, tc := range []struct {
		op           int
		phone, guess string
		chosen       string
	}{{2, "677123456", "MTN", "Orange Money"}, {1, "690112233", "Orange", "MTN MoMo"}} {
		p := newTestPayout(t)
		fillPayout(p, tc.op, tc.phone, "5000")
		if cmd := press(p, "ctrl+s"); cmd != nil || p.state != payoutForm {
			t.Fatalf("%s via %s: went on without a warning (state %d)", tc.phone, tc.chosen, p.state)
		}
		mustContain(t, p.View(), tc.phone+" is an "+tc.guess+" number, but "+tc.chosen+" is chosen")
		press(p, "ctrl+s")
		if p.state != payoutConfirm {
			t.Fatalf("%s: the second review did not open the confirmation:\n%s", tc.phone, p.View())
		}
		mustContain(t, p.View(), "an "+tc.guess+" number, sent through "+tc.chosen)
	}
	for _, tc := range []struct {
		op    int
		phone string
	}{{1, "677123456"}, {2, "690112233"}, {0, "677123456"}} {
		p := newTestPayout(t)
		fillPayout(p, tc.op, tc.phone, "5000")
		press(p, "ctrl+s")
		if p.state != payoutConfirm {
			t.Fatalf("op %d %s: a matching operator was stopped:\n%s", tc.op, tc.phone, p.View())
		}
		mustNotContain(t, p.View(), "sent through")
	}
	// French.
	p := newTestPayout(t)
	p.c.T = i18n.New(i18n.FR)
	fillPayout(p, 2, "677123456", "5000")
	press(p, "ctrl+s")
	mustContain(t, p.View(), "677123456 est un numéro MTN, mais Orange Money est choisi")
}
