package app

import (
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// The watcher shows what other processes wrote to the ledger (the listener
// settling a payment from a callback, reconcile, status REF, another
// console): every WatchEvery it asks the ledger's change counter whether
// anything changed and, if so, re-reads just the records that did and
// hands them to the screens, as the follower does with its own answers.

// DefaultWatchEvery is how often the console looks at the change counter:
// well within the 2 s in which another process's write must show.
const DefaultWatchEvery = 500 * time.Millisecond

// watchMaxRecords: more changed records than this in one interval (a bulk
// import, a reconcile of hundreds) and the screens reload what they show
// instead of receiving each record.
const watchMaxRecords = 64

type watchTickMsg struct{}

// recoverEvery: every this many looks (10 s at the default pace), the
// watcher also marks UNKNOWN the payments that another coolpay process
// journaled and then died sending (a crash of the console beside this one),
// so they do not wait for this console's next start.
const recoverEvery = 20

// watchMsg is one look at the ledger. first is the look at start, which only
// learns where the counter stands. recovered counts payments found cut off
// by another process's crash.
type watchMsg struct {
	first     bool
	cs        store.ChangeSet
	recs      []store.Record
	err       error
	recovered int
	// cashier is the cashier setting, read again only when another
	// process changed a setting (cs.Settings).
	cashier    string
	cashierNew bool
	// pending counts the answers waiting for an unreachable ledger.
	pending int
}

// watchStart learns the counter, then the ticks begin.
func (m *Model) watchStart() tea.Cmd {
	db := m.c.Store
	if db == nil || m.opts.WatchEvery < 0 {
		return nil
	}
	return func() tea.Msg {
		n, err := db.Changes()
		return watchMsg{first: true, cs: store.ChangeSet{Now: n}, err: err}
	}
}

func (m *Model) watchTick() tea.Cmd {
	if m.opts.WatchEvery < 0 {
		return nil // off (tests drive it by hand)
	}
	if ch, every := m.c.Store.Notify(), m.opts.WatchEvery; ch != nil {
		// A PostgreSQL ledger says when another desk wrote: look then,
		// and at the usual pace anyway (a notification may be lost).
		return func() tea.Msg {
			select {
			case <-ch:
			case <-time.After(every):
			}
			return watchTickMsg{}
		}
	}
	return tea.Tick(m.opts.WatchEvery, func(time.Time) tea.Msg { return watchTickMsg{} })
}

func (m *Model) onWatchTick() tea.Cmd {
	db, n := m.c.Store, m.changes
	if db == nil {
		return nil
	}
	m.watchTicks++
	var svc *core.Service
	if m.watchTicks%recoverEvery == 0 && m.c.Svc.Online() {
		svc = m.c.Svc
	}
	deskLocal := db.Local() != nil && db.Local().Keeps(string(config.Cashier))
	pending := m.c.Svc
	return func() tea.Msg {
		recovered := 0
		if svc != nil {
			// Only records whose sending process is gone (never
			// this console's own requests in flight).
			recovered, _ = svc.Recover()
		}
		cs, recs, err := db.Watch(n, watchMaxRecords)
		msg := watchMsg{cs: cs, recs: recs, err: err, recovered: recovered, pending: pending.PendingWrites()}
		if err == nil && ((cs.Settings || cs.All) && cs.Now != n || deskLocal) {
			// Someone set the cashier (coolpay config set cashier, another
			// console): the next payment records the new name. On a
			// shared ledger the cashier is in this desk's own settings
			// file, which moves no change counter: it is read each look
			// (a few bytes).
			v, _, serr := db.Setting(string(config.Cashier))
			msg.cashier, msg.cashierNew = config.CleanName(v), serr == nil
		}
		return msg
	}
}

// onWatch passes what changed to the screens. A busy ledger or a read error
// is not worth a status line: the next tick tries again, and the write
// that caused it will still be there.
func (m *Model) onWatch(msg watchMsg) tea.Cmd {
	// The header says when the database is away and what waits for it;
	// once it answers again, the kept answers are written at once.
	down := errors.Is(msg.err, store.ErrUnreachable)
	if m.ledgerDown && !down && msg.pending > 0 {
		m.c.Svc.RetryPending()
	}
	m.ledgerDown, m.pendingWrites = down, msg.pending
	if msg.err != nil {
		if msg.first {
			// The counter is unknown: start from 0, so the first
			// successful look reloads what is shown (harmless).
			m.changes = 0
		}
		return m.watchTick()
	}
	cmds := []tea.Cmd{m.watchTick()}
	if msg.cashierNew && !msg.first && msg.cs.Now == m.changes {
		m.c.Svc.SetCashier(msg.cashier) // this desk's file changed alone
	}
	if msg.first || msg.cs.Now == m.changes {
		m.changes = msg.cs.Now
		return tea.Batch(cmds...)
	}
	m.changes = msg.cs.Now
	if msg.cashierNew {
		m.c.Svc.SetCashier(msg.cashier)
	}
	if msg.recovered > 0 {
		m.setStatus(common.StatusWarn, m.c.T.T("app.recovered", msg.recovered))
	}
	cmds = append(cmds, m.showChanged(msg.recs, msg.cs.All || len(msg.cs.IDs) > 0)...)
	return tea.Batch(cmds...)
}

// showChanged hands records written elsewhere (another process, the claims
// confirmed in the background) to every screen, as the follower does with
// its own answers; reload also makes History and Today re-read what they
// show, for records that are new to them. The header's balance is asked
// again when one of them moved money.
func (m *Model) showChanged(recs []store.Record, reload bool) []tea.Cmd {
	var cmds []tea.Cmd
	refresh := false
	for _, r := range recs {
		cmds = append(cmds, m.broadcast(common.RecordUpdatedMsg{Record: r}))
		if f, ok := m.follows[r.ID]; ok {
			f.state = r.State
		}
		refresh = refresh || movesBalance(r)
	}
	if reload {
		cmds = append(cmds, m.broadcast(common.LedgerChangedMsg{}))
	}
	if refresh {
		cmds = append(cmds, m.refreshBalance())
	}
	return cmds
}
