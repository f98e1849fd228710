package pay

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// screens builds the three pay screens on c, sized w×h.
func screens(c *common.Common, w, h int) map[string]common.Component {
	out := map[string]common.Component{"payin": NewPayin(c), "payout": NewPayout(c), "paylink": NewPaylink(c)}
	for _, s := range out {
		s.SetSize(w, h)
	}
	return out
}

// On the sandbox each form says how to get each outcome, in both languages;
// on a real API it says nothing of the kind.
func TestSandboxRulesAreShownOnTheSandboxOnly(t *testing.T) {
	want := map[i18n.Lang]map[string]string{
		i18n.EN: {"payin": "phone ending in 00 asks for an SMS code: 1234", "payout": "1 fails and 2 is canceled (both refunded)", "paylink": "Pay, Cancel or Fail"},
		i18n.FR: {"payin": "téléphone finissant par 00 demande un code SMS : 1234", "payout": "1 échoue et 2 annulé (remboursés)", "paylink": "Payer, Annuler ou Échouer"},
	}
	for lang, texts := range want {
		c := newCommon(offlineSvc())
		c.T = i18n.New(lang)
		c.Sandbox = true
		for name, s := range screens(c, 80, 18) {
			// Words wrap: compare with single spaces, line breaks removed.
			v := strings.Join(strings.Fields(s.View()), " ")
			if !strings.Contains(v, texts[name]) {
				t.Errorf("%s %s: no sandbox rule %q:\n%s", lang, name, texts[name], s.View())
			}
		}
		c.Sandbox = false
		for name, s := range screens(c, 80, 18) {
			if v := s.View(); strings.Contains(v, "Sandbox") || strings.Contains(v, "Bac à sable") {
				t.Errorf("%s %s: sandbox rules on a real API:\n%s", lang, name, v)
			}
		}
	}
	// The SMS-code step says which code works.
	c := newCommon(offlineSvc())
	c.Sandbox = true
	p := NewPayin(c)
	p.SetSize(80, 18)
	p.state, p.rec = payinOTP, store.Record{ID: 1, State: store.StateOTP}
	mustContain(t, p.View(), "Sandbox: the right code is 1234.")
}

// Letters in the SMS-code field are not typed, say so, and never reach the
// server as a wrong code: the customer keeps every attempt.
func TestSMSCodeTakesDigitsOnlyAndLettersCostNoAttempt(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c, sb := sandboxCommon(t)
		c.T = i18n.New(lang)
		p := NewPayin(c)
		p.SetSize(80, 18)
		fillPayin(p, "2000", "690000000")
		msgs := feed(p, press(p, "ctrl+s"))
		if p.state != payinOTP {
			t.Fatalf("state %d:\n%s", p.state, p.View())
		}
		typeText(p, "abc")
		mustContain(t, p.View(), map[i18n.Lang]string{i18n.EN: "digits only", i18n.FR: "que des chiffres"}[lang])
		feed(p, press(p, "enter")) // nothing but letters was typed: nothing to send
		if st := sb.Stats(); st.Authorize != 0 {
			t.Fatalf("letters were sent as a code: %+v", st)
		}
		// A pasted "code: 12 34" keeps its digits.
		p.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("code: 12 34"), Paste: true})
		if got := p.otp.Value(fCode); got != "1234" {
			t.Fatalf("field holds %q, want 1234", got)
		}
		mustContain(t, p.View(), otpLeftText(lang))
		feed(p, press(p, "enter"))
		if p.state != payinWaiting && p.state != payinResult {
			t.Fatalf("right code refused: state %d:\n%s", p.state, p.View())
		}
		if st := sb.Stats(); st.Authorize != 1 {
			t.Fatalf("sandbox saw %d authorize calls, want 1", st.Authorize)
		}
		follow(t, c, p, followID(t, msgs))
	}
}

// otpLeftText is the attempts line before any wrong code.
func otpLeftText(lang i18n.Lang) string {
	return i18n.New(lang).T("payin.otp_left", MaxOTPAttempts)
}

// In French a EUR amount is typed with a decimal comma ("10,50") and sent
// as 10.5; XAF and English keep refusing a comma (it could be thousands).
func TestFrenchEURAmountTakesADecimalComma(t *testing.T) {
	c, sb := sandboxCommon(t)
	c.T = i18n.New(i18n.FR)
	p := NewPaylink(c)
	p.SetSize(80, 18)
	typeText(p, "10,50")
	press(p, "tab", "right") // currency → EUR
	feed(p, press(p, "ctrl+s"))
	if sb.Stats().Paylink != 1 {
		t.Fatalf("not sent:\n%s", p.View())
	}
	mustContain(t, p.View(), "10,50 EUR")
	page, err := c.Store.List(store.Filter{}, 1, "")
	if err != nil || len(page.Records) != 1 || page.Records[0].Amount != "10.5" {
		t.Fatalf("ledger %+v, %v", page.Records, err)
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c2 := newCommon(offlineSvc())
		c2.T = i18n.New(lang)
		q := NewPaylink(c2)
		q.SetSize(80, 18)
		typeText(q, "1,500")
		if lang == i18n.EN {
			press(q, "tab", "right") // EUR, English: still refused
		}
		if cmd := press(q, "ctrl+s"); cmd != nil || q.state != paylinkForm {
			t.Errorf("%s: a comma amount was sent (state %d)", lang, q.state)
		}
	}
}

// A wrong SMS code reads in French, the API's words translated.
func TestWrongCodeMessageIsTranslated(t *testing.T) {
	c, _ := sandboxCommon(t)
	c.T = i18n.New(i18n.FR)
	p := NewPayin(c)
	p.SetSize(80, 18)
	fillPayin(p, "2000", "690000000")
	feed(p, press(p, "ctrl+s"))
	typeText(p, "9999")
	feed(p, press(p, "enter"))
	mustContain(t, p.View(), "Code d'autorisation invalide !")
	mustNotContain(t, p.View(), "Invalid authorization code")
}
