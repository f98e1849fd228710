package history

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// History narrowed to one payout batch (b on a record of a batch): the
// batch's payouts in line order, from the store's batch index, with a
// one-line tally. esc goes back to the whole ledger.

// batchKey opens the batch of the selected record (a key of this screen
// alone, so it is not in the shared KeyMap).
func batchKey(help string) key.Binding {
	return key.NewBinding(key.WithKeys("b"), key.WithHelp("b", help))
}

// batchPageMsg answers a batch page request.
type batchPageMsg struct {
	id    int
	page  store.Page
	tally string
	err   error
}

// openBatch narrows the list to name's payouts.
func (m *Model) openBatch(name string) tea.Cmd {
	m.batch = name
	return m.reset()
}

// closeBatch goes back to the whole ledger.
func (m *Model) closeBatch() tea.Cmd {
	m.batch, m.batchTally = "", ""
	return m.reset()
}

// loadBatch is load for the batch view: the page at the cursor (an offset
// into the batch, in line order). Only this batch's records are read.
func (m *Model) loadBatch(ctx context.Context, id, limit int, cursor string) tea.Cmd {
	db, name, t := m.c.Store, m.batch, m.c.T
	return func() tea.Msg {
		if db == nil {
			return pageMsg{id: id, err: errNoLedger}
		}
		if err := ctx.Err(); err != nil {
			return pageMsg{id: id, err: err}
		}
		recs, err := db.ByBatch(name)
		if err != nil {
			return pageMsg{id: id, err: err}
		}
		off, _ := strconv.Atoi(cursor)
		off = max(0, min(off, len(recs)))
		end := min(len(recs), off+limit)
		p := store.Page{Records: recs[off:end:end]}
		if end < len(recs) {
			p.Next = strconv.Itoa(end)
		}
		return batchPageMsg{id: id, page: p, tally: tally(t, recs)}
	}
}

// tally counts a batch's payouts by state, most important first.
func tally(t *i18n.Translator, recs []store.Record) string {
	n := map[store.State]int{}
	total := money.XAFOf(0)
	for _, r := range recs {
		n[r.State]++
		if v, err := money.Parse(r.Amount, money.XAF); err == nil {
			total, _ = total.Add(v) // a payout batch is XAF only
		}
	}
	parts := []string{t.T("batch.history.count", len(recs), common.Money(t, total))}
	for _, s := range []store.State{store.StateSuccess, store.StatePending, store.StateUnknown, store.StateNew,
		store.StateFailed, store.StateCanceled, store.StateRejected} {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], common.StateLabel(t, s)))
		}
	}
	return strings.Join(parts, " · ")
}

// batchBar replaces the filter bar in the batch view.
func (m *Model) batchBar() string {
	st, t := m.c.Styles, m.c.T
	head := st.FocusedLabel.Render(" " + t.T("batch.history.title", safe.Line(m.batch)) + " ")
	if m.batchTally != "" {
		head += st.Muted.Render("  " + m.batchTally)
	}
	return ansi.Truncate(head, m.width, "…")
}
