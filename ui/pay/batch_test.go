package pay

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
)

// drive runs cmd and every cmd its messages lead to, feeding the screen's
// own messages back into it, as the Bubble Tea loop would (other screens'
// broadcasts are dropped). It returns the messages seen.
func drive(t *testing.T, p *Payout, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	var seen []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		if b, ok := msg.(tea.BatchMsg); ok {
			queue = append(queue, b...)
			continue
		}
		if msg == nil {
			continue
		}
		seen = append(seen, msg)
		switch msg.(type) {
		case batchLoadingMsg, batchLoadedMsg, batchProgressMsg, batchDoneMsg:
			_, next := p.Update(msg)
			queue = append(queue, next)
		}
	}
	return seen
}

func ctrlO(p *Payout) { p.Update(tea.KeyMsg{Type: tea.KeyCtrlO}) }

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestBatchFlowNamesBadLinesAndCannotSend: a file with two bad lines shows
// both, by line number, and offers no way to send.
func TestBatchFlowNamesBadLinesAndCannotSend(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(100, 30)
	path := writeFile(t, t.TempDir(), "bad.csv", "operator,phone,amount\nMTN,690000001,1000\nOrange,690000002,1 000\nMCP,,500\n")
	ctrlO(p)
	if !p.batchMode || !p.InputFocused() {
		t.Fatal("ctrl+o on the form should open the batch flow with the path field focused")
	}
	typeText(p, path)
	drive(t, p, press(p, "enter"))
	v := p.View()
	mustContain(t, v, "line 2, phone", "Not an MTN number", "line 4", "2 error(s)")
	if p.bt.canSend() {
		t.Fatal("a file with errors must not be sendable")
	}
	typeText(p, "2500")
	press(p, "enter")
	if sb.Stats().Payout != 0 {
		t.Fatal("a file with errors sent a payout")
	}
	press(p, "esc", "esc")
	if p.batchMode {
		t.Fatal("esc twice should go back to the single payout form")
	}
}

// TestBatchFlowTypedTotalThenSendsEachLineOnce: the wrong total sends
// nothing; the right one sends each line once with progress, shows the
// results, writes the results file, and a re-check has nothing to send.
func TestBatchFlowTypedTotalThenSendsEachLineOnce(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(100, 30)
	dir := t.TempDir()
	path := writeFile(t, dir, "paie.csv", "\uFEFFopérateur;téléphone;montant;nom\n"+
		"MTN;670000001;1 000;Awa\nOrange;690000002;2 000;Bello\nMTN;670000003;3 007;Chantal\n")
	ctrlO(p)
	typeText(p, path)
	drive(t, p, press(p, "enter"))
	mustContain(t, p.View(), "Check before sending", "6 007 XAF", "type the file's total (6007)")

	typeText(p, "6000")
	press(p, "enter")
	mustContain(t, p.View(), "That is not the file's total: nothing was sent.")
	if sb.Stats().Payout != 0 {
		t.Fatal("a wrong total sent a payout")
	}

	for range 4 {
		press(p, "backspace")
	}
	typeText(p, "6 007")
	cmd := press(p, "enter")
	if p.bt.state != batchSending || !p.Busy() {
		t.Fatalf("state %d after the right total", p.bt.state)
	}
	if again := press(p, "enter"); again != nil {
		t.Fatal("a second enter while sending must do nothing")
	}
	seen := drive(t, p, cmd)
	progress := 0
	for _, m := range seen {
		if pm, ok := m.(batchProgressMsg); ok && !pm.p.Sending {
			progress++
		}
	}
	if progress != 3 {
		t.Fatalf("%d progress steps, want 3", progress)
	}
	if n := sb.Stats().Payout; n != 3 {
		t.Fatalf("sandbox got %d payouts, want 3", n)
	}
	v := p.View()
	mustContain(t, v, "Every line accepted", "line 2", "✔ paid", "line 4", "… in progress", "paie.results.csv")
	if _, err := os.Stat(filepath.Join(dir, "paie.results.csv")); err != nil {
		t.Fatalf("results file: %v", err)
	}
	recs, err := c.Store.List(store.Filter{Types: []store.Type{store.TypePayout}}, 10, "")
	if err != nil || len(recs.Records) != 3 {
		t.Fatalf("ledger: %v %d records", err, len(recs.Records))
	}

	// Re-read the same file: nothing left to send.
	drive(t, p, press(p, "r"))
	mustContain(t, p.View(), "Nothing to send")
	if p.bt.canSend() || sb.Stats().Payout != 3 {
		t.Fatal("a re-check of a sent batch offers to send again")
	}
}

// TestBatchFlowUnknownLineIsShownWithHowToSettle: a lost answer.
func TestBatchFlowUnknownLineIsShownWithHowToSettle(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(110, 30)
	path := writeFile(t, t.TempDir(), "u.csv", "operator,phone,amount,reason\nMTN,670000001,1000,sandbox:drop\nMTN,670000002,2000,ok\n")
	ctrlO(p)
	typeText(p, path)
	drive(t, p, press(p, "enter"))
	typeText(p, "3000")
	drive(t, p, press(p, "enter"))
	v := p.View()
	mustContain(t, v, "UNKNOWN", "never re-sent", "merchant area")
	if !strings.Contains(v, "✔ paid") {
		t.Fatalf("the second line should be paid:\n%s", v)
	}
}

// TestBatchFlowRefusesWhenTheBalanceIsShort: the summary says so, and the
// typed total sends nothing.
func TestBatchFlowRefusesWhenTheBalanceIsShort(t *testing.T) {
	c, sb := sandboxCommon(t)
	p := NewPayout(c)
	p.SetSize(100, 30)
	path := writeFile(t, t.TempDir(), "big.csv", "operator,phone,amount\nMTN,670000001,600 000\nMTN,670000002,500 000\n")
	ctrlO(p)
	typeText(p, path)
	drive(t, p, press(p, "enter"))
	mustContain(t, p.View(), "1 100 000 XAF", "✘ insufficient")
	typeText(p, "1100000")
	drive(t, p, press(p, "enter"))
	mustContain(t, p.View(), "Nothing was sent", "cannot cover")
	if sb.Stats().Payout != 0 {
		t.Fatal("a payout left although the balance was short")
	}
}
