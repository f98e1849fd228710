package receipt

import (
	"context"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

var paid = store.Record{
	ID: 42, Type: store.TypePayin, State: store.StateSuccess, Amount: "15000", Fees: "300", Currency: "XAF",
	Operator: "CM_OM", CustomerName: "Marie Ngono", CustomerPhone: "690112233", Reason: "Facture 12",
	AppRef: "cp-20261129-2c01b0d7233e", Cashier: "awa",
}

// TestPrintStatusEndsInItsResult: p puts "Sending the receipt to the
// printer…" up before the print starts, and the answer (no lp or lpr
// here) replaces it with what to do instead; the receipt takes p again.
func TestPrintStatusEndsInItsResult(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		var started atomic.Bool
		c := &common.Common{Styles: common.NewStyles(lipgloss.DefaultRenderer(), nil), Keys: common.DefaultKeyMap(), T: i18n.New(lang)}
		m, _ := New(c, paid, Options{Clipboard: &strings.Builder{}, Print: func(context.Context, string) error {
			started.Store(true)
			return ErrNoPrinter
		}})
		cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("p")})
		var msgs []tea.Msg
		msg := cmd()
		v := reflect.ValueOf(msg)
		if _, ok := msg.(tea.BatchMsg); ok || v.Kind() != reflect.Slice {
			t.Fatalf("%s: p does not sequence its busy line before the print: %T", lang, msg)
		}
		first := v.Index(0).Interface().(tea.Cmd)()
		if started.Load() {
			t.Fatalf("%s: the print started before the busy line was up", lang)
		}
		msgs = append(msgs, first, v.Index(1).Interface().(tea.Cmd)())
		busy, ok := msgs[0].(common.StatusMsg)
		if !ok || busy.Kind != common.StatusBusy {
			t.Fatalf("%s: first message %#v", lang, msgs[0])
		}
		printed, ok := msgs[1].(PrintedMsg)
		if !ok || !started.Load() {
			t.Fatalf("%s: second message %#v", lang, msgs[1])
		}
		end, ok := m.Update(printed)().(common.StatusMsg)
		want := map[i18n.Lang]string{i18n.EN: "No printer command here", i18n.FR: "Aucune commande d'impression ici"}[lang]
		if !ok || end.Kind != common.StatusWarn || !strings.HasPrefix(end.Text, want) {
			t.Fatalf("%s: result %#v", lang, end)
		}
		if m.busy {
			t.Fatalf("%s: still busy after the answer", lang)
		}
		// Outcome gives the same line when the receipt was closed.
		if got := Outcome(c.T, printed)().(common.StatusMsg); got != end {
			t.Fatalf("%s: Outcome %#v, want %#v", lang, got, end)
		}
	}
}
