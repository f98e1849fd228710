package core

import (
	"context"
	"errors"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// A payout the API pays at once (HTTP 200) is answered without its fees:
// only checkStatus gives them. Without them the report's fees and net
// understate what left the balance. So once a record is final SUCCESS
// without fees, checkStatus is asked for them once (a read, never a
// resend), and the record keeps an EvFeesAsked event so that it is not
// asked again on every poll. Fees still unknown after that are counted as
// unknown by the report, never as zero.

// EvFeesAsked marks a record whose fees were asked of the API after it
// became final without them (its detail says what the API gave).
const EvFeesAsked = "fees_asked"

// feesLookBack bounds how far back Reconcile looks for successful records
// whose fees were never asked: older ones were made before coolpay asked,
// and `coolpay status REF` still fetches them one by one.
const feesLookBack = 90 * 24 * time.Hour

// feesWait bounds the fee look-up right after a payout paid at once: the
// payout is done, and the next one (a batch's next line) should not wait
// long behind a slow read; reconcile asks later when this one fails.
const feesWait = 15 * time.Second

// NeedsFees reports whether r succeeded without known fees and the API was
// never asked for them: the one case where a fee look-up is worth a call.
func NeedsFees(r store.Record) bool {
	if r.State != store.StateSuccess || r.Fees != "" || r.TransactionRef == "" {
		return false
	}
	for _, e := range r.Events {
		// A full trail cannot remember the question: asking again
		// on every poll would be worse than not asking.
		if e.Kind == EvFeesAsked || e.Kind == store.EvTrailFull {
			return false
		}
	}
	return true
}

// noteFeesAbsent is called with a status answer just applied to r: when r
// is SUCCESS and the answer carried no fees, the question has been asked
// (the answer was checkStatus's) and is not asked again.
func (s *Service) noteFeesAbsent(r *store.Record, st client.StatusResponse) {
	if r.State == store.StateSuccess && r.Fees == "" && st.TransactionFees == "" && NeedsFees(*r) {
		s.event(r, EvFeesAsked, "the API's answer gave no fees: fees unknown")
	}
}

// FetchFees asks checkStatus once for the fees of record id when it is
// final SUCCESS without them (see NeedsFees) and stores what the API says.
// A network error leaves the record as it was (asked again by the next
// reconcile); any answer, with or without fees, is remembered.
func (s *Service) FetchFees(ctx context.Context, id uint64) (store.Record, error) {
	rec, err := s.db.Get(id)
	if err != nil {
		return rec, err
	}
	return s.fetchFees(ctx, rec)
}

func (s *Service) fetchFees(ctx context.Context, rec store.Record) (store.Record, error) {
	out, _, err := s.fetchFeesWrote(ctx, rec)
	return out, err
}

// fetchFeesWrote is fetchFees, and whether this process wrote the answer
// (false when another process filled the fees in meanwhile).
func (s *Service) fetchFeesWrote(ctx context.Context, rec store.Record) (out store.Record, wrote bool, err error) {
	if !NeedsFees(rec) || s.c == nil {
		return rec, false, nil
	}
	st, err := s.checkStatus(ctx, rec.TransactionRef)
	if err != nil && !isAnswer(err) {
		return rec, false, err
	}
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	out, uerr := s.db.Update(rec.ID, func(r *store.Record) error {
		if !NeedsFees(*r) {
			return errNothingToDo // fees came another way meanwhile
		}
		if err != nil {
			s.event(r, EvFeesAsked, "fees asked, the API refused: "+clip(err.Error(), 200))
			return nil
		}
		s.applyStatus(r, *st, "") // notes an answer without fees itself (noteFeesAbsent)
		switch {
		case r.Fees != "":
			s.event(r, EvFeesAsked, "fees asked: "+r.Fees)
		case NeedsFees(*r): // an answer applyStatus did not take (another status)
			s.event(r, EvFeesAsked, "fees asked: the API's answer gave none, fees unknown")
		}
		return nil
	})
	switch {
	case errors.Is(uerr, errNothingToDo):
		out, gerr := s.db.Get(rec.ID)
		return out, false, gerr
	case uerr != nil:
		return rec, false, uerr
	}
	return out, true, err
}

// isAnswer reports an error that is the API's own answer (it will say the
// same next time), as opposed to a network failure.
func isAnswer(err error) bool {
	var api *client.APIError
	return errors.As(err, &api) && api.HTTPStatus/100 == 4
}

// feesToFetch lists the successful records of the last feesLookBack whose
// fees were never asked, oldest first.
func (s *Service) feesToFetch(ctx context.Context) ([]store.Record, error) {
	var out []store.Record
	err := s.db.Scan(ctx, store.Filter{States: []store.State{store.StateSuccess}, Since: s.now().Add(-feesLookBack)}, func(r store.Record) bool {
		if NeedsFees(r) {
			out = append(out, r)
		}
		return true
	})
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// errNothingToDo aborts a write that found nothing left to do.
var errNothingToDo = errors.New("nothing to do")
