package core

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/coolpay/coolpay/store"
)

// Answers waiting to be written. A payment's request leaves only after its
// NEW row is committed (journal), so the API's answer always has a record to
// go to; but a shared ledger (PostgreSQL) may become unreachable while the
// request is out. Then the answer is kept here, in this process's memory,
// and written as soon as the ledger answers again: retried with backoff, in
// the background, never by sending anything again (only the ledger write is
// repeated). PendingWrites says how many wait, for the console's header.
//
// While an answer waits, this process's own Recover (its console's watcher)
// leaves the record alone, though a server restart ended the owner session
// that protected it: it is in flight here, not interrupted.
//
// If the process dies before the write, the answer is lost with it and the
// record stays NEW; its owner's lock and lease gone, Recover marks it
// UNKNOWN, to be settled like any other (a status check asks the API).
//
// Another desk may mark the record UNKNOWN while this process still holds
// its answer: a server restart ends every session and so this process's
// owner lock, and a desk cut off longer than its lease loses it too; the
// desks still connected then see the record as an orphan. That is not
// wrong, only early, and the late write follows moneyCall's rules: UNKNOWN
// is not final, so the API's answer replaces it (the "interrupted" event
// stays in the trail, with a line saying the answer was written late); a
// final state another desk learnt meanwhile from the API (a status check,
// a confirmed callback) is kept and the answer only joins the trail, with a
// warning if they disagree. An operator who re-sends that UNKNOWN payout by
// override in the window does what the override warns about (check first);
// the late answer then shows on the first record what really happened.

// pendingBackoff bounds the pause between two tries of the queue.
var (
	pendingFirst = 500 * time.Millisecond
	pendingMax   = 5 * time.Second
)

// errWritten: on a retry, the record already carries this answer (the
// commit of an earlier try went through though its reply was lost): the
// update writes nothing.
var errWritten = errors.New("answer already written")

// AnswerPendingError: the API answered but the ledger could not be reached
// to record it; the answer is kept in memory and written when the ledger is
// back (PendingWrites counts those waiting). It unwraps to
// store.ErrUnreachable.
type AnswerPendingError struct {
	AppRef string
	Err    error // the ledger's error
}

func (e *AnswerPendingError) Error() string {
	return fmt.Sprintf("the answer for %s came while the ledger was unreachable: kept, and written as soon as the ledger is back (%v)", e.AppRef, e.Err)
}

func (e *AnswerPendingError) Unwrap() error { return e.Err }

type pendingWrite struct {
	id   uint64
	sent time.Time // the EvSent stamp this answer writes: its mark
	got  time.Time // when the answer came
	fn   func(r *store.Record) error
}

// pendingQueue is one process's answers waiting for the ledger.
type pendingQueue struct {
	mu      sync.Mutex
	items   []pendingWrite
	running bool
	lastErr error
	wake    chan struct{}
	first   time.Duration // backoff bounds; 0: pendingFirst, pendingMax
	max     time.Duration
	// inflight: records this process journaled whose answer is not
	// written yet (sent, or in the queue). Recover leaves them alone:
	// a server restart ends this process's owner session, and its own
	// watcher must not then call its own payment interrupted.
	inflight map[uint64]int
}

// hold marks record id as this process's, in flight, until release.
func (s *Service) hold(id uint64) {
	s.pending.mu.Lock()
	if s.pending.inflight == nil {
		s.pending.inflight = map[uint64]int{}
	}
	s.pending.inflight[id]++
	s.pending.mu.Unlock()
}

func (s *Service) release(id uint64) {
	s.pending.mu.Lock()
	if s.pending.inflight[id]--; s.pending.inflight[id] <= 0 {
		delete(s.pending.inflight, id)
	}
	s.pending.mu.Unlock()
}

// holds reports whether this process has record id in flight.
func (s *Service) holds(id uint64) bool {
	s.pending.mu.Lock()
	defer s.pending.mu.Unlock()
	return s.pending.inflight[id] > 0
}

// PendingWrites is how many API answers wait in memory for the ledger to
// come back (0 when every answer is written).
func (s *Service) PendingWrites() int {
	if s == nil {
		return 0
	}
	s.pending.mu.Lock()
	defer s.pending.mu.Unlock()
	return len(s.pending.items)
}

// RetryPending asks the queue to try again now rather than after its
// backoff (the console calls it when the ledger answers again).
func (s *Service) RetryPending() {
	s.pending.mu.Lock()
	w := s.pending.wake
	s.pending.mu.Unlock()
	if w != nil {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

// writeAnswer writes an API answer into record id with fn, whose EvSent
// event carries sent. When the ledger cannot be reached, the answer is
// queued and an *AnswerPendingError returned.
func (s *Service) writeAnswer(id uint64, appRef string, sent time.Time, fn func(r *store.Record) error) (store.Record, error) {
	out, err := s.db.Update(id, fn)
	if err == nil || !errors.Is(err, store.ErrUnreachable) {
		return out, err
	}
	got := s.now()
	late := func(r *store.Record) error {
		if hasSent(r, sent) {
			return errWritten
		}
		if err := fn(r); err != nil {
			return err
		}
		s.event(r, store.EvAnswered, fmt.Sprintf("this answer came at %s while the ledger was unreachable: written now",
			got.UTC().Format(time.RFC3339)))
		return nil
	}
	s.hold(id) // until the queue writes it (dropPending)
	q := &s.pending
	q.mu.Lock()
	q.items = append(q.items, pendingWrite{id: id, sent: sent, got: got, fn: late})
	q.lastErr = err
	if !q.running {
		q.running = true
		q.wake = make(chan struct{}, 1)
		go s.drainPending(q.wake)
	}
	q.mu.Unlock()
	s.log.Warn("ledger unreachable: answer kept in memory until it is back", "ref", appRef, "err", err)
	return store.Record{}, &AnswerPendingError{AppRef: appRef, Err: err}
}

// hasSent reports whether r carries the EvSent event stamped sent.
func hasSent(r *store.Record, sent time.Time) bool {
	for _, e := range r.Events {
		if e.Kind == store.EvSent && e.At.Equal(sent) {
			return true
		}
	}
	return false
}

// drainPending writes the queue in order until it is empty, pausing with
// backoff while the ledger stays unreachable.
func (s *Service) drainPending(wake chan struct{}) {
	s.pending.mu.Lock()
	first, most := s.pending.first, s.pending.max
	s.pending.mu.Unlock()
	if first == 0 {
		first, most = pendingFirst, pendingMax
	}
	wait := first
	for {
		q := &s.pending
		q.mu.Lock()
		if len(q.items) == 0 {
			q.running, q.wake, q.lastErr = false, nil, nil
			q.mu.Unlock()
			return
		}
		it := q.items[0]
		q.mu.Unlock()
		_, err := s.db.Update(it.id, it.fn)
		switch {
		case err == nil || errors.Is(err, errWritten):
			s.dropPending()
			wait = first
			continue
		case !errors.Is(err, store.ErrUnreachable):
			// The ledger answered and refused (the record is gone, a
			// read-only ledger): retrying will not help. The record
			// stays as it was and is settled like an UNKNOWN one.
			s.log.Error("an answer kept while the ledger was unreachable could not be written", "id", it.id, "err", err)
			s.dropPending()
			continue
		}
		q.mu.Lock()
		q.lastErr = err
		q.mu.Unlock()
		select {
		case <-wake:
		case <-time.After(wait):
		}
		wait = min(wait*2, most)
	}
}

func (s *Service) dropPending() {
	s.pending.mu.Lock()
	id := s.pending.items[0].id
	s.pending.items = s.pending.items[1:]
	s.pending.mu.Unlock()
	s.release(id)
}
