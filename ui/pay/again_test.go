package pay

import (
	"testing"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/receipt"
)

// TestResultScreenOpensTheReceipt: after SUCCESS, "p" asks the console for
// the receipt of that very record, and the help says so.
func TestResultScreenOpensTheReceipt(t *testing.T) {
	p := submitted(t)
	answer(p, store.Record{ID: 7, State: store.StatePending, TransactionRef: "T7", Amount: "1500", Currency: "XAF"}, nil)
	if cmd := press(p, "p"); cmd != nil {
		if _, ok := find[receipt.ShowMsg](run(cmd)); ok {
			t.Fatal("a receipt offered while the customer has not confirmed")
		}
	}
	p.Update(common.RecordUpdatedMsg{Record: store.Record{ID: 7, State: store.StateSuccess, Amount: "1500", Currency: "XAF"}})
	show, ok := find[receipt.ShowMsg](run(press(p, "p")))
	if !ok || show.Record.ID != 7 || show.Record.State != store.StateSuccess {
		t.Fatalf("p on the result: %+v %v", show, ok)
	}
	found := false
	for _, b := range p.ShortHelp() {
		found = found || b.Help().Key == "p"
	}
	if !found {
		t.Error("the result's help does not list the receipt")
	}
}

// TestPayAgainFillsTheForm: each form takes a record's amount, customer and
// reason; nothing is sent; a screen in the middle of a payment refuses.
func TestPayAgainFillsTheForm(t *testing.T) {
	old := store.Record{ID: 9, Type: store.TypePayin, Amount: "2500", CustomerPhone: "677123456",
		CustomerName: "Marie\x1b[2J Ngono", Reason: "Facture 12", CustomerLang: "en"}
	p := newTestPayin(t)
	fillPayin(p, "99", "690000000")
	_, cmd := p.Update(common.PayAgainMsg{Record: old})
	for _, m := range run(cmd) {
		if _, ok := m.(payinAnswerMsg); ok {
			t.Fatal("pay again sent a payin")
		}
	}
	if p.state != payinForm || p.form.Value(fAmount) != "2500" || p.form.Value(fPhone) != "677123456" ||
		p.form.Value(fName) != "Marie[2J Ngono" || p.form.Value(fReason) != "Facture 12" || p.form.Value(fLang) != "en" {
		t.Fatalf("payin form: %q %q %q %q %q", p.form.Value(fAmount), p.form.Value(fPhone), p.form.Value(fName),
			p.form.Value(fReason), p.form.Value(fLang))
	}
	mustContain(t, p.View(), "2500", "677123456")

	busy := submitted(t)
	_, cmd = busy.Update(common.PayAgainMsg{Record: old})
	if st, ok := find[common.StatusMsg](run(cmd)); !ok || st.Kind != common.StatusWarn || busy.state != payinSending {
		t.Fatalf("a sending screen took pay again: %+v state %d", st, busy.state)
	}

	po := NewPayout(newCommon(offlineSvc()))
	po.Update(common.PayAgainMsg{Record: store.Record{Type: store.TypePayout, Operator: "MCP", Amount: "7000",
		CustomerUsername: "awa237", Reason: "Salaire"}})
	if po.form.Value(fOperator) != "MCP" || po.form.Value(fAmount) != "7000" || po.form.Value(fUsername) != "awa237" {
		t.Fatalf("payout form: %q %q %q", po.form.Value(fOperator), po.form.Value(fAmount), po.form.Value(fUsername))
	}
	if f := po.form.Field(fUsername); f == nil || f.Hidden {
		t.Fatal("the MCP username field stays hidden after pay again")
	}

	pl := NewPaylink(newCommon(offlineSvc()))
	pl.Update(common.PayAgainMsg{Record: store.Record{Type: store.TypePaylink, Amount: "12.50", Currency: "EUR", CustomerEmail: "a@b.cm"}})
	if pl.form.Value(fAmount) != "12.50" || pl.form.Value(fCurrency) != "EUR" || pl.form.Value(fEmail) != "a@b.cm" {
		t.Fatalf("paylink form: %q %q %q", pl.form.Value(fAmount), pl.form.Value(fCurrency), pl.form.Value(fEmail))
	}
}
