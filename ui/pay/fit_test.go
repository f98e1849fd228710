package pay

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/i18n"
)

// The root gives the screens 80×20 in an 80×24 terminal (header, tabs,
// status and help take four lines). Every state must fit, in both languages.
const fitW, fitH = 80, 20

func TestEveryStateFits80x24(t *testing.T) {
	type view struct {
		name string
		v    func(lang i18n.Lang) string
	}
	vendorURL := "https://my-coolpay.com/payment/checkout/8c1c2d7e-1f0b-4c41-9d4e-2f4b7f0e9a11"
	wrong := &client.APIError{HTTPStatus: 401, Status: "error", Message: "Invalid authorization code !"}
	amb := &client.AmbiguousError{Op: "payout", Err: errors.New("EOF")}
	payin := func(lang i18n.Lang) *Payin {
		p := NewPayin(newCommon(offlineSvc()))
		p.c.T = i18n.New(lang)
		p.SetSize(fitW, fitH)
		return p
	}
	paylink := func(lang i18n.Lang) *Paylink {
		p, _ := newTestPaylink(t)
		p.c.T = i18n.New(lang)
		p.SetSize(fitW, fitH)
		return p
	}
	payout := func(lang i18n.Lang) *Payout {
		p := NewPayout(newCommon(offlineSvc()))
		p.c.T = i18n.New(lang)
		p.SetSize(fitW, fitH)
		return p
	}
	views := []view{
		{"payin form with every error", func(l i18n.Lang) string {
			p := payin(l)
			for _, f := range p.form.Fields {
				f.Err = components.T("err.amount_not_number")
			}
			p.form.Err = components.T("err.offline")
			return p.View()
		}},
		{"payin otp wrong", func(l i18n.Lang) string {
			p := payin(l)
			fillPayin(p, "1500", "690000000")
			press(p, "ctrl+s")
			p.Update(payinAnswerMsg{id: p.seq, rec: store.Record{ID: 1, State: store.StateOTP, TransactionRef: "T", Amount: "1500", CustomerPhone: "690000000"}})
			typeText(p, "1")
			press(p, "enter")
			p.Update(authorizeAnswerMsg{id: p.seq, rec: store.Record{ID: 1, State: store.StateOTP}, err: wrong})
			return p.View()
		}},
		{"payin waiting with note", func(l i18n.Lang) string {
			p := payin(l)
			fillPayin(p, "1500", "690000000")
			press(p, "ctrl+s")
			p.Update(payinAnswerMsg{id: p.seq, rec: store.Record{ID: 1, State: store.StatePending, TransactionRef: "T", USSD: "#150*50#"}})
			p.note = components.T("payin.otp_exhausted")
			return p.View()
		}},
		{"payin unknown", func(l i18n.Lang) string {
			p := payin(l)
			fillPayin(p, "1500", "690000000")
			press(p, "ctrl+s")
			p.Update(payinAnswerMsg{id: p.seq, rec: store.Record{ID: 1, AppRef: "cp-20261127-8898b62a3550", State: store.StateUnknown}, err: amb})
			return p.View()
		}},
		{"paylink form", func(l i18n.Lang) string { return paylink(l).View() }},
		{"paylink link", func(l i18n.Lang) string {
			p := paylink(l)
			typeText(p, "1500")
			press(p, "ctrl+s")
			p.Update(paylinkAnswerMsg{id: p.seq, rec: store.Record{ID: 1, State: store.StateCreated, TransactionRef: "T", PaymentURL: vendorURL, Amount: "1500", Currency: "XAF"}})
			v := p.View()
			if !strings.Contains(v, "▀") {
				t.Errorf("%s: vendor-length URL's QR does not fit 80×20", l)
			}
			return v
		}},
		{"payout form MCP with errors", func(l i18n.Lang) string {
			p := payout(l)
			for _, f := range p.form.Fields {
				f.Err = components.T("err.recipient_required")
			}
			return p.View()
		}},
		{"payout confirm", func(l i18n.Lang) string {
			p := payout(l)
			press(p, "tab")
			typeText(p, "690000000")
			p.form.Focus(fAmount)
			typeText(p, "1500")
			press(p, "tab")
			typeText(p, "Salaire de mai pour le personnel de la boutique")
			press(p, "tab")
			typeText(p, "Jean-Baptiste Mbarga Essomba")
			press(p, "ctrl+s")
			p.Update(payoutBalanceMsg{id: p.balSeq, balance: "1000"})
			typeText(p, "15")
			press(p, "enter")
			return p.View()
		}},
		{"payout override", func(l i18n.Lang) string {
			p := payout(l)
			p.state = payoutOverride
			p.rec = store.Record{ID: 1, AppRef: "cp-20261127-8898b62a3550", Type: store.TypePayout, State: store.StateUnknown, Amount: "1500", Currency: "XAF", Operator: "CM_OM"}
			return p.View()
		}},
		{"payout unknown", func(l i18n.Lang) string {
			p := payout(l)
			p.state = payoutSending
			p.Update(payoutAnswerMsg{id: p.seq, rec: store.Record{ID: 1, AppRef: "cp-x", Type: store.TypePayout, State: store.StateUnknown}, err: amb})
			return p.View()
		}},
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		for _, vw := range views {
			v := vw.v(lang)
			if h := lipgloss.Height(v); h > fitH {
				t.Errorf("%s %s: %d lines:\n%s", lang, vw.name, h, v)
			}
			for i, line := range strings.Split(v, "\n") {
				if w := lipgloss.Width(line); w > fitW {
					t.Errorf("%s %s: line %d is %d wide: %q", lang, vw.name, i, w, line)
				}
				if strings.Contains(line, "…") && strings.Contains(line, "payin.") {
					t.Errorf("%s %s: untranslated key: %q", lang, vw.name, line)
				}
			}
		}
	}
}
