package history

import (
	"sort"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// cashierWindow is how many of the newest records are read to list the
// cashiers the filter bar offers: enough for weeks of a shop's work, a few
// milliseconds to read.
const cashierWindow = 5000

// cashiersMsg carries the cashier filter's values.
type cashiersMsg struct{ names []string }

// loadCashiers lists who is at the till now, then the other cashiers of
// the newest records, alphabetically.
func (m *Model) loadCashiers() tea.Cmd {
	db, svc := m.c.Store, m.c.Svc
	if db == nil {
		return nil
	}
	ctx := m.ctx()
	return func() tea.Msg {
		// The service holds the name read at start-up; offline, the
		// ledger is read for it.
		var me string
		if svc.Online() {
			me = svc.Cashier()
		} else {
			me = core.Cashier(db)
		}
		seen := map[string]bool{me: true}
		var others []string
		n := 0
		db.Scan(ctx, store.Filter{}, func(r store.Record) bool {
			if r.Cashier != "" && !seen[r.Cashier] {
				seen[r.Cashier] = true
				others = append(others, r.Cashier)
			}
			n++
			return n < cashierWindow
		})
		sort.Strings(others)
		names := others
		if me != "" {
			names = append([]string{me}, others...)
		}
		return cashiersMsg{names: names}
	}
}

// onCashiers keeps the chosen cashier chosen when the list changes.
func (m *Model) onCashiers(msg cashiersMsg) tea.Cmd {
	cur := m.filters.cashier()
	m.filters.cashiers = msg.names
	m.filters.idx[fieldCashier] = 0
	for i, n := range msg.names {
		if n == cur && cur != "" {
			m.filters.idx[fieldCashier] = i + 1
		}
	}
	return nil
}
