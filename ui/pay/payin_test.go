package pay

import (
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

func newTestPayin(t *testing.T) *Payin {
	t.Helper()
	p := NewPayin(newCommon(offlineSvc()))
	p.SetSize(80, 18)
	return p
}

// fillPayin types an amount and a phone (focus ends on the phone field).
func fillPayin(p *Payin, amount, phone string) {
	typeText(p, amount)
	press(p, "tab")
	typeText(p, phone)
}

func TestPayinFormNavigation(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		focus string
	}{
		{"starts on amount", nil, fAmount},
		{"tab goes to phone", []string{"tab"}, fPhone},
		{"enter on a middle field moves on", []string{"tab", "enter"}, fName},
		{"shift+tab goes back", []string{"tab", "tab", "shift+tab"}, fPhone},
		{"shift+tab wraps to the last field", []string{"shift+tab"}, fLang},
		{"tab wraps to the first field", []string{"tab", "tab", "tab", "tab", "tab", "tab"}, fAmount},
		{"down and up move too", []string{"down", "down", "up"}, fPhone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPayin(t)
			if cmd := press(p, tt.keys...); len(tt.keys) > 0 && len(run(cmd)) != 0 {
				t.Errorf("navigation produced messages: %v", run(cmd))
			}
			if got := p.form.Focused().Name; got != tt.focus {
				t.Errorf("focus %s, want %s", got, tt.focus)
			}
			if p.state != payinForm || !p.InputFocused() {
				t.Errorf("state %d, InputFocused %v", p.state, p.InputFocused())
			}
		})
	}
}

func TestPayinLettersStayInTheField(t *testing.T) {
	for _, letters := range []string{"q", "y", "O", "c", "?", "n"} {
		p := newTestPayin(t)
		press(p, "tab", "tab", "tab", "tab") // reason
		typeText(p, "tea "+letters)
		if got := p.form.Value(fReason); got != "tea "+letters {
			t.Errorf("reason = %q after typing %q", got, letters)
		}
		if p.state != payinForm || !p.InputFocused() {
			t.Errorf("typing %q left the form", letters)
		}
	}
}

func TestPayinLanguageToggle(t *testing.T) {
	p := newTestPayin(t)
	press(p, "shift+tab") // customer language
	if p.form.Value(fLang) != client.LangFR {
		t.Fatalf("default customer language %q", p.form.Value(fLang))
	}
	press(p, " ")
	if p.form.Value(fLang) != client.LangEN {
		t.Errorf("space did not switch to en: %q", p.form.Value(fLang))
	}
	press(p, "left")
	if p.form.Value(fLang) != client.LangFR {
		t.Errorf("left did not switch back to fr")
	}
}

func TestPayinShowsOperatorGuessedFromNumber(t *testing.T) {
	p := newTestPayin(t)
	fillPayin(p, "1500", "690 00 00 01")
	mustContain(t, p.View(), "Orange")
	p = newTestPayin(t)
	fillPayin(p, "1500", "+237 670000001")
	mustContain(t, p.View(), "MTN")
	p = newTestPayin(t)
	fillPayin(p, "1500", "69")
	mustNotContain(t, p.View(), "Orange", "MTN")
}

func TestPayinBadInputIsInlineAndSendsNothing(t *testing.T) {
	tests := []struct {
		name, amount, phone, field, want string
	}{
		{"no amount", "", "690000001", fAmount, "Type an amount."},
		{"fraction", "12.5", "690000001", fAmount, "XAF amounts are whole numbers"},
		{"letters", "12a", "690000001", fAmount, "Digits only"},
		{"zero", "0", "690000001", fAmount, "greater than zero"},
		{"no phone", "1500", "", fPhone, "Type a phone number."},
		{"bad phone", "1500", "12345", fPhone, "Not a Cameroonian mobile number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTestPayin(t)
			fillPayin(p, tt.amount, tt.phone)
			if cmd := press(p, "ctrl+s"); cmd != nil {
				t.Fatalf("bad input produced a cmd (would send): %v", run(cmd))
			}
			if p.state != payinForm {
				t.Fatalf("state %d, want form", p.state)
			}
			if p.form.Field(tt.field).Err.IsZero() {
				t.Errorf("no inline error on %s", tt.field)
			}
			if p.form.Focused().Name != tt.field {
				t.Errorf("focus on %s, want the faulty field %s", p.form.Focused().Name, tt.field)
			}
			v := p.View()
			mustContain(t, v, tt.want)
			if p.form.Value(fAmount) != tt.amount || p.form.Value(fPhone) != strings.TrimSpace(tt.phone) {
				t.Errorf("form lost what was typed: %q %q", p.form.Value(fAmount), p.form.Value(fPhone))
			}
		})
	}
}

func TestPayinErrorsAreTranslatedLive(t *testing.T) {
	p := newTestPayin(t)
	fillPayin(p, "12.5", "690000001")
	press(p, "ctrl+s")
	mustContain(t, p.View(), "XAF amounts are whole numbers")
	p.c.T = i18n.New(i18n.FR)
	mustContain(t, p.View(), "Montants XAF entiers", "Montant (XAF)")
}

func TestPayinOfflineSendsNothing(t *testing.T) {
	p := NewPayin(newCommon(nil))
	fillPayin(p, "1500", "690000001")
	if cmd := press(p, "ctrl+s"); cmd != nil {
		t.Fatal("offline submit produced a cmd")
	}
	mustContain(t, p.View(), "Offline")
}

// submitted returns a payin screen that has sent a valid form.
func submitted(t *testing.T) *Payin {
	t.Helper()
	p := newTestPayin(t)
	fillPayin(p, "1 500", "690000000")
	press(p, "tab", "tab", "tab", "tab") // to the last field
	if cmd := press(p, "enter"); cmd == nil {
		t.Fatal("enter on the last field did not send")
	}
	if p.state != payinSending || !p.Busy() || p.InputFocused() {
		t.Fatalf("after submit: state %d busy %v", p.state, p.Busy())
	}
	mustContain(t, p.View(), "1 500 XAF")
	return p
}

func answer(p *Payin, rec store.Record, err error) []tea.Msg {
	_, cmd := p.Update(payinAnswerMsg{id: p.seq, rec: rec, err: err})
	return run(cmd)
}

func TestPayinUSSDAndFollow(t *testing.T) {
	p := submitted(t)
	msgs := answer(p, store.Record{ID: 7, State: store.StatePending, TransactionRef: "T7", USSD: "#150*50#", Amount: "1500", Currency: "XAF"}, nil)
	if f, ok := find[common.FollowMsg](msgs); !ok || f.ID != 7 {
		t.Errorf("no FollowMsg{7}: %v", msgs)
	}
	if _, ok := find[common.LedgerChangedMsg](msgs); !ok {
		t.Error("History not told")
	}
	if p.state != payinWaiting || !p.Busy() {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "confirm the payment on the phone", "dials #150*50#", "▀")
	// An update for another record changes nothing.
	p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 8, State: store.StateFailed}})
	if p.state != payinWaiting {
		t.Fatal("another record's update moved the screen")
	}
	_, cmd := p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 7, State: store.StateSuccess, Amount: "1500"}})
	if _, ok := find[common.RefreshBalanceMsg](run(cmd)); !ok {
		t.Error("a successful payin does not refresh the header's balance")
	}
	if p.state != payinResult || p.Busy() {
		t.Fatalf("state %d after SUCCESS", p.state)
	}
	mustContain(t, p.View(), "✔ SUCCESS")
	press(p, "ctrl+n")
	if p.state != payinForm || p.form.Value(fAmount) != "" {
		t.Errorf("ctrl+n did not start an empty form")
	}
}

func TestPayinResultsCarryWordAndSymbol(t *testing.T) {
	for state, want := range map[store.State]string{
		store.StateSuccess:  "✔ SUCCESS",
		store.StateFailed:   "✘ FAILED",
		store.StateCanceled: "⊘ CANCELED",
		store.StateUnknown:  "? UNKNOWN",
	} {
		p := submitted(t)
		answer(p, store.Record{ID: 1, State: store.StatePending, TransactionRef: "T"}, nil)
		p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 1, State: state}})
		mustContain(t, p.View(), want)
	}
}

func TestPayinOTPWrongThenRight(t *testing.T) {
	p := submitted(t)
	msgs := answer(p, store.Record{ID: 3, State: store.StateOTP, TransactionRef: "T3"}, nil)
	if _, ok := find[common.FollowMsg](msgs); !ok {
		t.Error("OTP payin not handed to the follower")
	}
	if p.state != payinOTP || !p.InputFocused() {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "code was sent by SMS", "Attempts left: 3")

	// Empty code: inline, nothing sent.
	if cmd := press(p, "enter"); cmd != nil {
		t.Fatal("empty code produced a cmd")
	}
	mustContain(t, p.View(), "Type the code")

	typeText(p, "1111")
	if cmd := press(p, "enter"); cmd == nil || p.state != payinAuthorizing {
		t.Fatalf("code not sent: state %d", p.state)
	}
	if cmd := press(p, "enter"); cmd != nil {
		t.Fatal("a second enter while the code is checked sent it again")
	}
	wrong := &client.APIError{HTTPStatus: 401, Status: "error", Message: "Invalid authorization code !"}
	p.Update(authorizeAnswerMsg{id: p.seq, rec: store.Record{ID: 3, State: store.StateOTP}, err: wrong})
	if p.state != payinOTP {
		t.Fatalf("state %d after a wrong code", p.state)
	}
	mustContain(t, p.View(), "Invalid authorization code !", "— 2 attempt(s)", "Attempts left: 2")
	if p.otp.Value(fCode) != "" {
		t.Error("wrong code kept in the field")
	}

	typeText(p, "1234")
	press(p, "enter")
	p.Update(authorizeAnswerMsg{id: p.seq, rec: store.Record{ID: 3, State: store.StatePending, USSD: "*126#"}})
	if p.state != payinWaiting {
		t.Fatalf("state %d after the right code", p.state)
	}
	mustContain(t, p.View(), "*126#")
}

func TestPayinThreeWrongCodes(t *testing.T) {
	p := submitted(t)
	answer(p, store.Record{ID: 3, State: store.StateOTP, TransactionRef: "T3"}, nil)
	wrong := &client.APIError{HTTPStatus: 401, Status: "error", Message: "Invalid authorization code !"}
	for i := 0; i < 2; i++ {
		typeText(p, "0000")
		press(p, "enter")
		p.Update(authorizeAnswerMsg{id: p.seq, rec: store.Record{ID: 3, State: store.StateOTP}, err: wrong})
	}
	mustContain(t, p.View(), "— 1 attempt(s)")
	typeText(p, "0000")
	press(p, "enter")
	// The server failed it after the third wrong code (core refreshed).
	p.Update(authorizeAnswerMsg{id: p.seq, rec: store.Record{ID: 3, State: store.StateFailed, Message: "Too many invalid authorization codes"}, err: wrong})
	if p.state != payinResult {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "✘ FAILED", "Wrong code (Invalid authorization code !)")
}

func TestPayinRejectedKeepsForm(t *testing.T) {
	p := submitted(t)
	api := &client.APIError{HTTPStatus: 403, Status: "error", Message: "Operator unavailable"}
	answer(p, store.Record{ID: 2, State: store.StateRejected, Message: "Operator unavailable"}, api)
	if p.state != payinForm {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "Operator unavailable", "1 500", "690000000")
}

func TestPayinAmbiguousIsUnknown(t *testing.T) {
	p := submitted(t)
	amb := &client.AmbiguousError{Op: "payin", Err: errors.New("timeout")}
	msgs := answer(p, store.Record{ID: 2, State: store.StateUnknown}, amb)
	if _, ok := find[common.FollowMsg](msgs); ok {
		t.Error("an UNKNOWN record without reference cannot be followed")
	}
	if p.state != payinResult {
		t.Fatalf("state %d", p.state)
	}
	mustContain(t, p.View(), "? UNKNOWN", "check before paying again")
}

func TestPayinStaleAnswerIgnored(t *testing.T) {
	p := submitted(t)
	old := p.seq
	press(p, "esc")
	if p.state != payinForm {
		t.Fatalf("esc while sending: state %d", p.state)
	}
	fillPayin(p, "2000", "670000000")
	_, cmd := p.Update(payinAnswerMsg{id: old, rec: store.Record{ID: 9, Type: store.TypePayin, State: store.StatePending, TransactionRef: "T9", USSD: "#150*50#", Amount: "1500", Currency: "XAF"}})
	if p.state != payinForm || p.form.Value(fAmount) != "2000" {
		t.Fatalf("late answer changed the screen: state %d amount %q", p.state, p.form.Value(fAmount))
	}
	mustNotContain(t, p.View(), "#150*50#")
	msgs := run(cmd)
	if f, ok := find[common.FollowMsg](msgs); !ok || f.ID != 9 {
		t.Errorf("late answer not routed to the follower: %v", msgs)
	}
	if s, ok := find[common.StatusMsg](msgs); !ok || !strings.Contains(s.Text, "History") {
		t.Errorf("late answer not reported: %v", msgs)
	}
}

func TestPayinEscWhileWaitingKeepsFollowing(t *testing.T) {
	p := submitted(t)
	answer(p, store.Record{ID: 4, AppRef: "cp-x", State: store.StatePending, TransactionRef: "T4", USSD: "*126#"}, nil)
	cmd := press(p, "esc")
	if p.state != payinForm || p.Busy() || p.form.Value(fAmount) != "" {
		t.Fatalf("esc: state %d busy %v", p.state, p.Busy())
	}
	msgs := run(cmd)
	s, ok := find[common.StatusMsg](msgs)
	if !ok || !strings.Contains(s.Text, "still being followed") || !strings.Contains(s.Text, "History") {
		t.Errorf("status line does not say it continues in History: %v", msgs)
	}
	for _, m := range msgs {
		if _, ok := m.(common.StatusMsg); !ok {
			t.Errorf("esc sent %s: leaving must not stop or change the follow", typeName(m))
		}
	}
	// The follower's later news does not pull the form back.
	p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 4, State: store.StateSuccess}})
	if p.state != payinForm {
		t.Error("update for the left payin changed the screen")
	}
}

func TestPayinHelpFollowsState(t *testing.T) {
	p := newTestPayin(t)
	has := func(want string) bool {
		for _, b := range p.ShortHelp() {
			if b.Help().Desc == want {
				return true
			}
		}
		return false
	}
	if !has("next field") || has("leave (still followed)") {
		t.Errorf("form help: %v", p.ShortHelp())
	}
	p = submitted(t)
	if has("next field") || !has("leave (still followed)") {
		t.Errorf("sending help: %v", p.ShortHelp())
	}
}
