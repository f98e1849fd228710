package pay

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
)

func newTestPaylink(t *testing.T) (*Paylink, *bytes.Buffer) {
	t.Helper()
	p := NewPaylink(newCommon(offlineSvc()))
	var clip bytes.Buffer
	p.Clipboard = &clip
	p.tmux = false
	p.SetSize(80, 19)
	return p, &clip
}

const testURL = "http://127.0.0.1:43121/payment/checkout/SBX-PL-000001-0a1b2c3d"

func TestPaylinkCurrencyToggleAndValidation(t *testing.T) {
	p, _ := newTestPaylink(t)
	typeText(p, "10.50")
	if cmd := press(p, "ctrl+s"); cmd != nil {
		t.Fatal("10.50 XAF produced a cmd")
	}
	mustContain(t, p.View(), "XAF amounts are whole numbers")
	press(p, "tab", "right") // currency → EUR
	if p.form.Value(fCurrency) != client.CurrencyEUR {
		t.Fatalf("currency %q", p.form.Value(fCurrency))
	}
	if cmd := press(p, "ctrl+s"); cmd == nil || p.state != paylinkSending {
		t.Fatalf("10.50 EUR not sent: state %d\n%s", p.state, p.View())
	}
	mustContain(t, p.View(), "10.50 EUR")
}

func TestPaylinkShowsURLAndQRAndCopies(t *testing.T) {
	p, clip := newTestPaylink(t)
	typeText(p, "2500")
	press(p, "ctrl+s")
	_, cmd := p.Update(paylinkAnswerMsg{id: p.seq, rec: store.Record{ID: 4, Type: store.TypePaylink, State: store.StateCreated, TransactionRef: "R4", PaymentURL: testURL, Amount: "2500", Currency: "XAF"}})
	msgs := feed(p, cmd)
	if f, ok := find[common.FollowMsg](msgs); !ok || f.ID != 4 {
		t.Errorf("paylink not followed: %v", msgs)
	}
	if c, ok := find[components.CopiedMsg](msgs); !ok || c.Err != nil {
		t.Errorf("not copied: %v", msgs)
	}
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(testURL)) + "\x07"
	if clip.String() != want {
		t.Errorf("clipboard got %q, want %q", clip.String(), want)
	}
	v := p.View()
	mustContain(t, v, "http://127.0.0.1:43121/payment/checkout/", "0a1b2c3d")
	mustContain(t, v, "█", "▀", "LINK CREATED")
	if h := lipgloss.Height(v); h > 19 {
		t.Errorf("link view is %d lines, more than the 19 given:\n%s", h, v)
	}
	for i, line := range strings.Split(v, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			t.Errorf("line %d is %d wide", i, w)
		}
	}
	// c copies again.
	clip.Reset()
	msgs = feed(p, press(p, "c"))
	if clip.String() != want {
		t.Error("c did not copy again")
	}
	if s, ok := find[common.StatusMsg](msgs); !ok || !strings.Contains(s.Text, "copied") {
		t.Errorf("copy not reported: %v", msgs)
	}
	// Follow to the end.
	p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 4, Type: store.TypePaylink, State: store.StateSuccess, PaymentURL: testURL}})
	mustContain(t, p.View(), "✔ SUCCESS")
	if p.Busy() {
		t.Error("finished paylink still busy")
	}
}

func TestPaylinkSmallWindowDropsQR(t *testing.T) {
	p, _ := newTestPaylink(t)
	p.SetSize(60, 12)
	typeText(p, "2500")
	press(p, "ctrl+s")
	p.Update(paylinkAnswerMsg{id: p.seq, rec: store.Record{ID: 4, State: store.StateCreated, TransactionRef: "R4", PaymentURL: testURL}})
	mustContain(t, p.View(), "Enlarge the window")
	mustNotContain(t, p.View(), "█")
}

func TestPaylinkCopyWithoutTerminal(t *testing.T) {
	p, _ := newTestPaylink(t)
	p.Clipboard = nil
	typeText(p, "2500")
	press(p, "ctrl+s")
	_, cmd := p.Update(paylinkAnswerMsg{id: p.seq, rec: store.Record{ID: 4, State: store.StateCreated, TransactionRef: "R4", PaymentURL: testURL}})
	msgs := feed(p, cmd)
	var said bool
	for _, m := range msgs {
		if s, ok := m.(common.StatusMsg); ok && strings.Contains(s.Text, "select the link") {
			said = true
		}
	}
	if !said {
		t.Errorf("failed copy not explained: %v", msgs)
	}
}

func TestPaylinkEscLeavesAndLateAnswerIsRouted(t *testing.T) {
	p, clip := newTestPaylink(t)
	typeText(p, "2500")
	press(p, "ctrl+s")
	id := p.seq
	press(p, "esc")
	if p.state != paylinkForm || p.Busy() {
		t.Fatalf("esc while sending: state %d", p.state)
	}
	_, cmd := p.Update(paylinkAnswerMsg{id: id, rec: store.Record{ID: 4, Type: store.TypePaylink, State: store.StateCreated, TransactionRef: "R4", PaymentURL: testURL}})
	if p.state != paylinkForm {
		t.Fatal("late answer shown")
	}
	msgs := run(cmd)
	if _, ok := find[common.FollowMsg](msgs); !ok {
		t.Errorf("late paylink not followed: %v", msgs)
	}
	if clip.Len() != 0 {
		t.Error("late answer overwrote the clipboard")
	}
}
