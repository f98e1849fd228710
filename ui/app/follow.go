package app

import (
	"errors"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
)

// FollowPolicy bounds the background follower's polling.
type FollowPolicy struct {
	Step   time.Duration // the n-th wait is n×Step (1s, 2s, 3s, …)
	Max    time.Duration // a wait never exceeds this
	GiveUp time.Duration // stop following after this long and say so
}

// DefaultFollowPolicy polls after 1s, 2s, 3s, … up to every 10s, for 10 minutes.
var DefaultFollowPolicy = FollowPolicy{Step: time.Second, Max: 10 * time.Second, GiveUp: 10 * time.Minute}

// delay is the wait before poll number n (1-based).
func (p FollowPolicy) delay(n int) time.Duration {
	d := time.Duration(n) * p.Step
	if d > p.Max {
		d = p.Max
	}
	return d
}

// followed is one record the follower polls. gen tells this follow apart
// from an earlier one of the same record, so a tick left over from a
// stopped follow is dropped instead of doubling the polling.
type followed struct {
	id      uint64
	gen     int
	started time.Time
	polls   int
	state   store.State
}

type followTickMsg struct {
	id  uint64
	gen int
}

type followResultMsg struct {
	id  uint64
	gen int
	rec store.Record
	err error
}

// follow starts polling a record unless it is already followed.
func (m *Model) follow(id uint64) tea.Cmd {
	if id == 0 {
		return nil
	}
	if _, ok := m.follows[id]; ok {
		return nil
	}
	m.followGen++
	f := &followed{id: id, gen: m.followGen, started: m.opts.Now()}
	m.follows[id] = f
	return m.followTick(f)
}

func (m *Model) followTick(f *followed) tea.Cmd {
	id, gen := f.id, f.gen
	return tea.Tick(m.opts.Follow.delay(f.polls+1), func(time.Time) tea.Msg {
		return followTickMsg{id: id, gen: gen}
	})
}

// Following reports how many records the follower polls (for tests).
func (m Model) Following() int { return len(m.follows) }

func (m *Model) current(id uint64, gen int) *followed {
	f, ok := m.follows[id]
	if !ok || f.gen != gen {
		return nil
	}
	return f
}

func (m *Model) onFollowTick(msg followTickMsg) tea.Cmd {
	f := m.current(msg.id, msg.gen)
	if f == nil {
		return nil
	}
	svc := m.c.Svc
	ctx := m.ctx()
	id, gen := f.id, f.gen
	f.polls++
	return func() tea.Msg {
		if !svc.Online() {
			// No API configured (an offline console): nothing to ask;
			// the follow stops and says why.
			return followResultMsg{id: id, gen: gen, err: core.ErrOffline}
		}
		rec, _, err := svc.Refresh(ctx, id)
		return followResultMsg{id: id, gen: gen, rec: rec, err: err}
	}
}

// onFollowResult broadcasts the fresh record and decides whether to poll
// again. Errors that polling cannot cure stop the follow at once; network
// trouble is retried with the same backoff.
func (m *Model) onFollowResult(msg followResultMsg) tea.Cmd {
	f := m.current(msg.id, msg.gen)
	if f == nil {
		return nil
	}
	t := m.c.T
	var cmds []tea.Cmd
	if msg.err == nil || msg.rec.ID != 0 {
		cmds = append(cmds, m.broadcast(common.RecordUpdatedMsg{Record: msg.rec}))
		f.state = msg.rec.State
	}
	switch {
	case errors.Is(msg.err, core.ErrOffline), errors.Is(msg.err, core.ErrNoReference),
		errors.Is(msg.err, store.ErrNotFound):
		delete(m.follows, f.id)
		m.setStatus(common.StatusWarn, t.T("app.follow.stopped", f.id, msg.err))
		return tea.Batch(cmds...)
	case msg.err == nil && msg.rec.State.Final():
		delete(m.follows, f.id)
		kind := common.StatusOK
		if msg.rec.State != store.StateSuccess {
			kind = common.StatusError
		}
		m.setStatus(kind, t.T("app.follow.final", f.id, common.TypeWord(t, msg.rec.Type),
			common.StateLabel(t, msg.rec.State)))
		m.statusRec = f.id
		if movesBalance(msg.rec) {
			cmds = append(cmds, m.refreshBalance())
		}
		return tea.Batch(cmds...)
	}
	if m.opts.Now().Sub(f.started) >= m.opts.Follow.GiveUp {
		delete(m.follows, f.id)
		state := f.state
		if state == "" {
			state = store.StatePending
		}
		m.setStatus(common.StatusWarn, t.T("app.follow.gaveup", f.id,
			int(m.opts.Follow.GiveUp.Minutes()), common.StateLabel(t, state)))
		return tea.Batch(cmds...)
	}
	cmds = append(cmds, m.followTick(f))
	return tea.Batch(cmds...)
}

// movesBalance reports whether a record that just became final changed the
// merchant's balance: any success, and a payout that failed or was
// canceled, since its amount and fees come back (the refund).
func movesBalance(r store.Record) bool {
	switch r.State {
	case store.StateSuccess:
		return true
	case store.StateFailed, store.StateCanceled:
		return r.Type == store.TypePayout
	}
	return false
}

// resumeWindow: unsettled records younger than this are followed again when
// the console starts; older ones are left to History's refresh and
// reconcile (the follower would give up on them soon anyway).
const resumeWindow = 24 * time.Hour

// resumeMsg lists the records to follow again after a restart.
type resumeMsg struct{ ids []uint64 }

// resumeFollowing finds the payments a previous run was still following
// (pending, OTP, paylinks not yet paid), so leaving the console does not
// leave them unwatched.
func (m *Model) resumeFollowing() tea.Cmd {
	db, svc, now := m.c.Store, m.c.Svc, m.opts.Now
	if db == nil || !svc.Online() {
		return nil
	}
	return func() tea.Msg {
		// Only the recent ones are read: start-up must not grow with
		// the ledger.
		recs, err := db.UnsettledSince(now().Add(-resumeWindow))
		if err != nil {
			return nil
		}
		var ids []uint64
		for _, r := range recs {
			if r.TransactionRef != "" && now().Sub(r.Created) < resumeWindow {
				ids = append(ids, r.ID)
			}
		}
		return resumeMsg{ids: ids}
	}
}

func (m *Model) onResume(msg resumeMsg) tea.Cmd {
	// Callbacks still waiting for the API (the listener could not reach
	// it) are confirmed now and then every claimsEvery.
	cmds := []tea.Cmd{m.confirmClaims()}
	for _, id := range msg.ids {
		cmds = append(cmds, m.follow(id))
	}
	return tea.Batch(cmds...)
}

// claimsEvery is how often the console confirms, with the API, callbacks
// that are stored but not yet confirmed (core.ConfirmWaiting).
const claimsEvery = 30 * time.Second

type claimsTickMsg struct{}

type claimsDoneMsg struct{ changed []store.Record }

// confirmClaims confirms the waiting callbacks in the background, then
// schedules the next round.
func (m *Model) confirmClaims() tea.Cmd {
	svc, ctx := m.c.Svc, m.ctx()
	if !svc.Online() {
		return tea.Tick(claimsEvery, func(time.Time) tea.Msg { return claimsTickMsg{} })
	}
	return func() tea.Msg {
		var changed []store.Record
		svc.ConfirmWaiting(ctx, func(_ store.Claim, res core.Result, err error) {
			if err == nil && res.Changed && res.Record.ID != 0 {
				changed = append(changed, res.Record)
			}
		})
		return claimsDoneMsg{changed: changed}
	}
}

func (m *Model) onClaimsDone(msg claimsDoneMsg) tea.Cmd {
	cmds := []tea.Cmd{tea.Tick(claimsEvery, func(time.Time) tea.Msg { return claimsTickMsg{} })}
	cmds = append(cmds, m.showChanged(msg.changed, len(msg.changed) > 0)...)
	return tea.Batch(cmds...)
}
