package pay

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// The content areas of a 40×12 and a 60×15 terminal (header, tabs, status
// and help take four lines), and 80×24's.
var smallSizes = [][2]int{{40, 8}, {60, 11}, {80, 20}}

// plain replaces the no-break spaces of French digit groups, so amounts
// compare with plain spaces.
func plain(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) }

func checkFits(t *testing.T, name string, v string, w, h int) {
	t.Helper()
	if n := lipgloss.Height(v); n > h {
		t.Errorf("%s: %d lines in %d:\n%s", name, n, h, v)
	}
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > w {
			t.Errorf("%s: line wider than %d: %q", name, w, l)
		}
	}
}

// TestMoneyScreensShowWhoAndHowMuchInSmallWindows: at 40×12, 60×15 and
// 80×24, in both languages, every view of a payment on its way or done
// shows its amount and who it is with (the phone; the link for a paylink)
// and fits the window.
func TestMoneyScreensShowWhoAndHowMuchInSmallWindows(t *testing.T) {
	amb := &client.AmbiguousError{Op: "payout", Err: errors.New("EOF")}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		for _, sz := range smallSizes {
			w, h := sz[0], sz[1]
			name := func(s string) string { return fmt.Sprintf("%s %s %d×%d", lang, s, w, h) }
			payin := func() *Payin {
				p := NewPayin(newCommon(offlineSvc()))
				p.c.T = i18n.New(lang)
				p.SetSize(w, h)
				fillPayin(p, "250000", "690000000")
				press(p, "ctrl+s")
				return p
			}
			rec := store.Record{ID: 7, Type: store.TypePayin, AppRef: "cp-20261204-8898b62a3550", TransactionRef: "MCP-TX-1",
				Amount: "250000", Currency: "XAF", CustomerPhone: "690000000"}
			states := map[string]func(p *Payin){
				"payin otp": func(p *Payin) {
					r := rec
					r.State = store.StateOTP
					p.Update(payinAnswerMsg{id: p.seq, rec: r})
				},
				"payin waiting": func(p *Payin) {
					r := rec
					r.State, r.USSD = store.StatePending, "#150*50#"
					p.Update(payinAnswerMsg{id: p.seq, rec: r})
				},
				"payin unknown": func(p *Payin) {
					r := rec
					r.State, r.TransactionRef = store.StateUnknown, ""
					p.Update(payinAnswerMsg{id: p.seq, rec: r, err: amb})
				},
				"payin success": func(p *Payin) {
					r := rec
					r.State, r.Message = store.StateSuccess, "Transaction successful"
					p.Update(payinAnswerMsg{id: p.seq, rec: r})
				},
			}
			for s, set := range states {
				p := payin()
				set(p)
				v := p.View()
				checkFits(t, name(s), v, w, h)
				if !strings.Contains(plain(v), "250 000 XAF") || !strings.Contains(v, "690000000") {
					t.Errorf("%s: amount or phone out of sight:\n%s", name(s), v)
				}
				if s == "payin otp" && !strings.Contains(v, map[i18n.Lang]string{i18n.EN: "SMS code", i18n.FR: "Code SMS"}[lang]) {
					t.Errorf("%s: the code field is out of sight:\n%s", name(s), v)
				}
			}

			// Payout results: the recipient is in the heading too.
			for _, st := range []store.State{store.StateSuccess, store.StateUnknown, store.StatePending} {
				p := NewPayout(newCommon(offlineSvc()))
				p.c.T = i18n.New(lang)
				p.SetSize(w, h)
				p.state = payoutSending
				r := store.Record{ID: 9, Type: store.TypePayout, State: st, AppRef: "cp-x", Amount: "5000", Currency: "XAF",
					Operator: client.OperatorMoMo, CustomerPhone: "677123456", HTTPStatus: 200}
				var err error
				if st == store.StateUnknown {
					err = amb
				}
				p.Update(payoutAnswerMsg{id: p.seq, rec: r, err: err})
				v := p.View()
				checkFits(t, name("payout "+string(st)), v, w, h)
				if !strings.Contains(plain(v), "5 000 XAF") || !strings.Contains(v, "677123456") {
					t.Errorf("%s: amount or recipient out of sight:\n%s", name("payout "+string(st)), v)
				}
			}

			// Paylink: the amount and the link.
			for _, st := range []store.State{store.StateCreated, store.StateSuccess} {
				p, _ := newTestPaylink(t)
				p.c.T = i18n.New(lang)
				p.SetSize(w, h)
				typeText(p, "4000")
				press(p, "ctrl+s")
				vendor := "https://my-coolpay.com/payment/checkout/8c1c2d7e-1f0b-4c41-9d4e-2f4b7f0e9a11"
				p.Update(paylinkAnswerMsg{id: p.seq, rec: store.Record{ID: 3, Type: store.TypePaylink, State: store.StateCreated,
					TransactionRef: "T", PaymentURL: vendor, Amount: "4000", Currency: "XAF"}})
				if st == store.StateSuccess {
					p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 3, Type: store.TypePaylink, State: st,
						TransactionRef: "T", PaymentURL: vendor, Amount: "4000", Currency: "XAF"}})
				}
				v := p.View()
				checkFits(t, name("paylink "+string(st)), v, w, h)
				if !strings.Contains(plain(v), "4 000 XAF") || !strings.Contains(v, "my-coolpay.com/") || !strings.Contains(v, "9a11") {
					t.Errorf("%s: amount or link out of sight:\n%s", name("paylink "+string(st)), v)
				}
			}
		}
	}
}

// TestPayoutConfirmationInASmallWindow: at 40×12 the confirmation shows
// recipient, operator and amount with the field to retype it, and sends
// once the amount is typed; in a window too small for that it says to
// enlarge it and sends nothing, whatever is typed.
func TestPayoutConfirmationInASmallWindow(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		open := func(w, h int) *Payout {
			p := NewPayout(newCommon(offlineSvc()))
			p.c.T = i18n.New(lang)
			p.SetSize(w, h)
			press(p, "right", "tab") // MTN MoMo
			typeText(p, "677123456")
			p.form.Focus(fAmount)
			typeText(p, "5000")
			press(p, "tab")
			typeText(p, "loyer de décembre")
			press(p, "ctrl+s")
			p.Update(payoutBalanceMsg{id: p.balSeq, balance: "1000000"})
			if p.state != payoutConfirm {
				t.Fatalf("%s: not on the confirmation:\n%s", lang, p.View())
			}
			return p
		}
		labels := map[i18n.Lang][]string{
			i18n.EN: {"Recipient", "Operator", "Amount"},
			i18n.FR: {"Bénéficiaire", "Opérateur", "Montant"},
		}[lang]
		for _, sz := range smallSizes {
			p := open(sz[0], sz[1])
			v := p.View()
			checkFits(t, string(lang)+" confirm", v, sz[0], sz[1])
			for _, s := range append(labels, "677123456", "MTN MoMo", "5 000 XAF") {
				if !strings.Contains(plain(v), s) {
					t.Errorf("%s %v: %q out of sight:\n%s", lang, sz, s, v)
				}
			}
			if !strings.Contains(v, "› ") {
				t.Errorf("%s %v: the field to retype the amount is out of sight:\n%s", lang, sz, v)
			}
			typeText(p, "5000")
			press(p, "enter")
			if p.state != payoutSending {
				t.Errorf("%s %v: a confirmation that fits did not send: state %d", lang, sz, p.state)
			}
		}
		// 40×8 leaves 4 lines: not enough for who, what and the field.
		p := open(40, 4)
		v := p.View()
		checkFits(t, string(lang)+" too small", v, 40, 4)
		if !strings.Contains(v, map[i18n.Lang]string{i18n.EN: "enlarge", i18n.FR: "agrandissez"}[lang]) {
			t.Errorf("%s: a confirmation too small for its window does not say so:\n%s", lang, v)
		}
		typeText(p, "5000")
		press(p, "enter")
		press(p, "ctrl+s")
		if p.state != payoutConfirm {
			t.Fatalf("%s: sent from a confirmation that could not be read: state %d", lang, p.state)
		}
		// Enlarged, the same confirmation sends.
		p.SetSize(40, 8)
		press(p, "enter")
		if p.state != payoutSending {
			t.Errorf("%s: not sent after the window was enlarged: state %d\n%s", lang, p.state, p.View())
		}
	}
}

// TestResultScrollsInASmallWindow: at 40×12 an unknown payout's result
// keeps amount and recipient at the top and scrolls the rest with ↓ and
// pgdn down to its reference, and back with ↑ and pgup.
func TestResultScrollsInASmallWindow(t *testing.T) {
	p := NewPayout(newCommon(offlineSvc()))
	p.SetSize(40, 8)
	p.state = payoutSending
	p.Update(payoutAnswerMsg{id: p.seq, rec: store.Record{ID: 9, Type: store.TypePayout, State: store.StateUnknown, AppRef: "cp-20261204-aaaa",
		Amount: "5000", Currency: "XAF", Operator: client.OperatorMoMo, CustomerPhone: "677123456"},
		err: &client.AmbiguousError{Op: "payout", Err: errors.New("EOF")}})
	top := p.View()
	if !strings.Contains(top, "? UNKNOWN") || !strings.Contains(top, "↓") || strings.Contains(top, "Reference: cp-20261204-aaaa") {
		t.Fatalf("top of the result:\n%s", top)
	}
	for i := 0; i < 10; i++ {
		press(p, "pgdown")
	}
	end := p.View()
	for _, s := range []string{"5 000 XAF", "677123456", "Reference: cp-20261204-aaaa", "↑"} {
		if !strings.Contains(end, s) {
			t.Errorf("end of the result lacks %q:\n%s", s, end)
		}
	}
	press(p, "pgup", "pgup", "pgup", "pgup", "up", "up")
	if p.View() != top {
		t.Errorf("back up, the result is not at its top:\n%s", p.View())
	}
}

// TestPayinResultHelpOffersTheReceipt: the payin result's help lists p
// (receipt) early enough not to be cut, like the payout's.
func TestPayinResultHelpOffersTheReceipt(t *testing.T) {
	p := NewPayin(newCommon(offlineSvc()))
	fillPayin(p, "1500", "690112233")
	press(p, "ctrl+s")
	p.Update(payinAnswerMsg{id: p.seq, rec: store.Record{ID: 1, Type: store.TypePayin, State: store.StateSuccess, Amount: "1500", Currency: "XAF"}})
	help := p.ShortHelp()
	if len(help) != 2 || help[1].Help().Key != "p" {
		var keys []string
		for _, b := range help {
			keys = append(keys, b.Help().Key+" "+b.Help().Desc)
		}
		t.Fatalf("payin result help: %v", keys)
	}
	if k := help[0].Help().Key; k != "ctrl+n/esc" {
		t.Errorf("new payment key %q", k)
	}
}
