package pay

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
)

// loadBatchFile opens the batch flow on content and loads it.
func loadBatchFile(t *testing.T, p *Payout, name, content string) []tea.Msg {
	t.Helper()
	path := writeFile(t, t.TempDir(), name, content)
	ctrlO(p)
	typeText(p, path)
	return drive(t, p, press(p, "enter"))
}

// TestBatchConfirmListsLinesAndScrollsWithFocus: the confirmation lists
// each line (who, how much); with the total field focused, ↓ scrolls and
// "j" is typed into the field; tab gives the keys to the list, where j
// scrolls and digits go nowhere; enter there gives them back.
func TestBatchConfirmListsLinesAndScrollsWithFocus(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 24)
	var b strings.Builder
	b.WriteString("operator,phone,amount,name\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "MTN,67%07d,%d,Employé %d\n", i, 1000*i, i)
	}
	loadBatchFile(t, p, "paie.csv", b.String())
	v := p.View()
	mustContain(t, v, "line 2", "1 000 XAF", "Employé 1 · 670000001", "lines 1–", "of 30")
	if !p.InputFocused() || p.bt.focus != focusTotal {
		t.Fatal("the total field should have the keys first")
	}
	press(p, "down", "down")
	mustContain(t, p.View(), "lines 3–")
	typeText(p, "j")
	if got := p.bt.total.Value("batch_total"); got != "j" {
		t.Fatalf("j with the field focused: field %q", got)
	}
	if p.bt.scroll != 2 {
		t.Fatalf("j scrolled the list (%d) while the field had the keys", p.bt.scroll)
	}
	press(p, "backspace", "tab")
	if p.bt.focus != focusLines || !p.InputFocused() {
		t.Fatal("tab should give the keys to the list (still the screen's, so tab comes back)")
	}
	typeText(p, "jj5")
	if p.bt.scroll != 4 || p.bt.total.Value("batch_total") != "" {
		t.Fatalf("in the list: scroll %d, field %q", p.bt.scroll, p.bt.total.Value("batch_total"))
	}
	mustContain(t, p.View(), "lines 5–", "line 6")
	press(p, "enter")
	if p.bt.focus != focusTotal || p.bt.state != batchChecked || sb.Stats().Payout != 0 {
		t.Fatal("enter in the list should focus the field, never send")
	}
}

// TestBatchConfirmAtSmallSizes: at 40×8 and 60×11 (content sizes of a
// 40×12 and 60×15 console) the confirmation shows a line with who and how
// much, the total and the field; below that it shows no field and the typed
// total sends nothing.
func TestBatchConfirmAtSmallSizes(t *testing.T) {
	for _, size := range [][2]int{{40, 8}, {60, 11}} {
		c, sb := sandboxCommon(t)
		p := NewPayout(c)
		p.SetSize(size[0], size[1])
		loadBatchFile(t, p, "p.csv", "operator,phone,amount,name\nMTN,670000001,10000,Awa\nOrange,690000002,12500,Bello\n")
		v := p.View()
		mustContain(t, v, "10 000 XAF  Awa", "Total 22 500 XAF", "› Total")
		if n := strings.Count(v, "\n") + 1; n > size[1] {
			t.Errorf("%dx%d: view of %d rows", size[0], size[1], n)
		}
		for _, l := range strings.Split(v, "\n") {
			if w := len([]rune(l)); w > size[0] {
				t.Errorf("%dx%d: row of %d columns: %q", size[0], size[1], w, l)
			}
		}
		p.SetSize(size[0], 5)
		mustContain(t, p.View(), "Enlarge the window")
		typeText(p, "22500")
		drive(t, p, press(p, "enter"))
		if p.bt.state != batchChecked || sb.Stats().Payout != 0 {
			t.Fatalf("%dx5: the total sent (state %d, %d payouts)", size[0], p.bt.state, sb.Stats().Payout)
		}
	}
}

// TestBatchConfirmAsksBeforePayingARepeat: a line identical to a payout
// already made outside the batch is marked in the list; the right total
// asks y/n; n sends nothing, y sends every line once.
func TestBatchConfirmAsksBeforePayingARepeat(t *testing.T) {
	c, sb := sandboxCommon(t)
	if _, err := c.Svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_MOMO", Amount: "10000", Phone: "670000001", Reason: "Salaire"}); err != nil {
		t.Fatal(err)
	}
	p := NewPayout(c)
	p.SetSize(100, 30)
	loadBatchFile(t, p, "p.csv", "operator,phone,amount,reason,name\nMTN,670000001,10000,Salaire,Awa\nOrange,690000002,12500,Salaire,Bello\n")
	mustContain(t, p.View(), "this very payment (same reason) was already made", "✘ paid before", "you will be asked")
	typeText(p, "22500")
	press(p, "enter")
	if p.bt.state != batchRepeatAsk {
		t.Fatalf("state %d: no question about the repeat", p.bt.state)
	}
	mustContain(t, p.View(), "Pay again?", "1 line(s) repeat")
	press(p, "n")
	if p.bt.state != batchChecked || sb.Stats().Payout != 1 {
		t.Fatalf("n: state %d, %d payouts", p.bt.state, sb.Stats().Payout)
	}
	press(p, "enter")
	drive(t, p, press(p, "y"))
	if p.bt.state != batchDone || sb.Stats().Payout != 3 {
		t.Fatalf("y: state %d, %d payouts (want 1 + 2)", p.bt.state, sb.Stats().Payout)
	}
}

// TestBatchLinesFollowRecordUpdates: a line in progress in the results
// turns paid when the follower's record reaches the screen, and a record
// of another batch with an unknown id changes nothing.
func TestBatchLinesFollowRecordUpdates(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(100, 30)
	loadBatchFile(t, p, "p.csv", "operator,phone,amount,name\nMTN,670000001,3007,Awa\n")
	typeText(p, "3007")
	drive(t, p, press(p, "enter"))
	mustContain(t, p.View(), "… in progress")
	rec := p.bt.plan.Entries[0].Rec
	if rec.ID == 0 {
		t.Fatal("the line has no record")
	}
	stranger := rec
	stranger.ID, stranger.State = rec.ID+100, store.StateFailed
	p.Update(common.RecordUpdatedMsg{Record: stranger})
	mustContain(t, p.View(), "… in progress")
	rec.State = store.StateSuccess
	p.Update(common.RecordUpdatedMsg{Record: rec})
	mustContain(t, p.View(), "✔ paid", "Every line accepted")
}

// TestBatchLoadReportsProgressOffTheLoop: loading returns a command (the
// update loop is free) whose first messages say how many lines were read.
func TestBatchLoadReportsProgressOffTheLoop(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(100, 30)
	var b strings.Builder
	b.WriteString("operator,phone,amount\n")
	for range 10_000 {
		b.WriteString("MTN,670000001,100\n")
	}
	start := time.Now()
	seen := loadBatchFile(t, p, "big.csv", b.String())
	progress := 0
	for _, m := range seen {
		if lm, ok := m.(batchLoadingMsg); ok && lm.lines > 0 {
			progress++
		}
	}
	if progress == 0 {
		t.Fatal("no progress while a 10,000-line file was read")
	}
	if p.bt.state != batchChecked || len(p.bt.plan.Entries) != 10_000 {
		t.Fatalf("state %d after loading", p.bt.state)
	}
	// Drawing the confirmation of 10,000 lines costs a page, not the list.
	t0 := time.Now()
	for range 20 {
		p.View()
	}
	if d := time.Since(t0) / 20; d > 50*time.Millisecond {
		t.Fatalf("one frame of a 10,000-line batch took %v (load %v)", d, time.Since(start))
	}
	mustContain(t, p.View(), "Lines 2–10001 pay the same amount")
}

// TestBatchImportRefusesAResultsFile: ctrl+o on a results file coolpay
// wrote says what it is and offers no way to send it.
func TestBatchImportRefusesAResultsFile(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(80, 24)
	loadBatchFile(t, p, "paie.results.csv", strings.Join(batch.ResultsHeader, ",")+"\n"+
		"2,paid,CM_MOMO,670000001,,,Awa,10000,Salaire,SUCCESS,cp-x,tx-x,1,,\n")
	mustContain(t, p.View(), "This is a results file written by coolpay", "Send the original file", "1 error(s)")
	if p.bt.canSend() {
		t.Fatal("a results file can be sent")
	}
	typeText(p, "10000")
	drive(t, p, press(p, "enter"))
	if sb.Stats().Payout != 0 {
		t.Fatal("a results file was paid")
	}
}
