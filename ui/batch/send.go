package batch

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// Reasons a send refuses before sending anything.
var (
	// ErrFileErrors: the file has errors; nothing is sent until it is fixed.
	ErrFileErrors = errors.New("the file has errors: nothing was sent")
	// ErrTotalMismatch: the typed total is not the file's total.
	ErrTotalMismatch = errors.New("the total typed is not the file's total: nothing was sent")
	// ErrInsufficient: the balance cannot cover the lines to send and their fees.
	ErrInsufficient = errors.New("the balance cannot cover the lines to send and their estimated fees: nothing was sent")
	// ErrRepeat: some line to send is identical to a payout already made
	// outside this batch (Plan.Blocked), and the send was not told to pay
	// it again (Options.AllowRepeat).
	ErrRepeat = errors.New("some lines repeat payouts already made: nothing was sent")
)

// maxUnknownRun stops a send after this many lost answers in a row: the API
// (or the network) is not answering, and each further line would add one
// more payout whose outcome must be checked by hand.
const maxUnknownRun = 3

// Options configure a send.
type Options struct {
	Batch       string // batch name (see BatchName)
	Total       int64  // the total the person typed: must equal the file's total
	RetryFailed bool   // send again lines that were rejected or failed (never unknown ones)
	// AllowRepeat sends lines identical to a payout already made outside
	// this batch (Plan.Blocked); without it such a line stops the send
	// before anything leaves.
	AllowRepeat bool
	LockPath    string // default LockPath(ledger path)
	// Progress is called before each line leaves (Sending true) and after
	// its answer is recorded.
	Progress func(Progress)
}

// Progress reports one step of a send.
type Progress struct {
	Done, Count int // lines finished so far, lines this run sends
	Entry       Entry
	Sending     bool
}

// Report is the outcome of a send: the plan as it stands after it.
type Report struct {
	Plan    *Plan
	Sent    int    // requests sent by this run
	Stopped string // why the run stopped before its last line ("" when it did not)
	Balance string // the balance read before sending
	Need    int64  // amount + estimated fees of the lines this run meant to send
	// Repeats are the lines (indexes into Plan.Entries) that refused the
	// send with ErrRepeat.
	Repeats []int
}

// Send checks, plans and sends a batch: the file must have no error, total
// must be its total, the balance must cover the lines to send plus their
// estimated fees. Then each line is journaled (with its batch tag) and sent
// once, in file order. It holds the ledger's batch lock throughout, so a
// second send of the same file waits for none and sends nothing (ErrBusy).
//
// Ctrl-C (ctx ending) stops between lines; the line in flight is finished
// and recorded, since cancelling it would turn a payout into an unknown.
func Send(ctx context.Context, svc *core.Service, f *File, opt Options) (*Report, error) {
	if !f.OK() {
		return nil, fmt.Errorf("%w (%d)", ErrFileErrors, f.Errors())
	}
	if opt.Total != f.Total {
		return nil, fmt.Errorf("%w: typed %d, the file's total is %d", ErrTotalMismatch, opt.Total, f.Total)
	}
	if !svc.Online() {
		return nil, core.ErrOffline
	}
	db := svc.Store()
	lp := opt.LockPath
	if lp == "" {
		lp = LockPath(db.Path())
	}
	if db.Shared() && opt.LockPath == "" {
		// Desks on other machines share the ledger: the lock is the
		// database's (an advisory lock), not a file here.
		release, err := db.LockBatches()
		if errors.Is(err, store.ErrBusyBatch) {
			return nil, fmt.Errorf("%w%s", ErrBusy, strings.TrimPrefix(err.Error(), store.ErrBusyBatch.Error()))
		}
		if err != nil {
			return nil, err
		}
		defer release()
	} else {
		lk, err := acquire(lp)
		if err != nil {
			return nil, err
		}
		defer lk.release()
	}
	if err := settleInterrupted(ctx, db, opt.Batch); err != nil {
		return nil, err
	}
	plan, err := MakePlan(ctx, db, f, opt.Batch)
	if err != nil {
		return nil, err
	}
	rep := &Report{Plan: plan}
	todo := plan.ToSend(opt.RetryFailed)
	if len(todo) == 0 {
		return rep, nil
	}
	if rep.Repeats = plan.BlockedToSend(todo); len(rep.Repeats) > 0 && !opt.AllowRepeat {
		return rep, fmt.Errorf("%w (%d line(s))", ErrRepeat, len(rep.Repeats))
	}
	amount, fees := plan.Amounts(todo)
	rep.Need = amount + fees
	bal, err := svc.Balance(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the balance (nothing was sent): %w", err)
	}
	rep.Balance = bal
	if _, short, ok := BalanceAfter(bal, amount, fees); !ok || short {
		return rep, fmt.Errorf("%w: balance %s XAF, needed %d XAF (%d + about %d fees)", ErrInsufficient, bal, rep.Need, amount, fees)
	}
	// The line in flight is finished even when ctx ends: a cancelled
	// request is an unknown outcome, the one thing a batch must not make.
	sendCtx := context.WithoutCancel(ctx)
	unknownRun := 0
	for n, i := range todo {
		if ctx.Err() != nil {
			rep.Stopped = "interrupted: the remaining lines were not sent"
			break
		}
		e := &plan.Entries[i]
		if opt.Progress != nil {
			opt.Progress(Progress{Done: n, Count: len(todo), Entry: *e, Sending: true})
		}
		tag := Tag{Batch: opt.Batch, Line: e.Line.Num, Key: e.Line.Key}
		var repeated string
		if prev, ok := plan.Repeats[i]; ok && plan.Blocked[i] {
			// Paid again on purpose: the record says so, and which
			// payout it repeats.
			repeated = "sent again on purpose (allow repeat): the same payment as " + prev.AppRef
		}
		rec, err := svc.BatchPayout(sendCtx, e.Line.In, func(r *store.Record) {
			mark(r, tag, time.Now())
			if repeated != "" {
				r.Events = append(r.Events, store.Event{At: time.Now(), Kind: store.EvOverride, Detail: repeated})
			}
		})
		if rec.ID == 0 {
			// Not journaled, so not sent (ledger error, validation): stop,
			// since the next line would meet the same problem.
			return rep, fmt.Errorf("line %d was not sent: %w", e.Line.Num, err)
		}
		rep.Sent++
		e.Rec, e.Attempts, e.SentNow = rec, e.Attempts+1, true
		e.Status = StatusOf(rec)
		if opt.Progress != nil {
			opt.Progress(Progress{Done: n + 1, Count: len(todo), Entry: *e})
		}
		if e.Status == StatusUnknown {
			unknownRun++
		} else {
			unknownRun = 0
		}
		if why := stopAfter(rec, err, unknownRun); why != "" {
			if n+1 < len(todo) {
				rep.Stopped = why
			}
			break
		}
	}
	return rep, nil
}

// stopAfter says why a send must not go on after this answer: a refusal
// that is about the account (key, IP allow-list, balance) rather than the
// line would refuse every following line too, and lost answers in a row
// mean the API is not answering.
func stopAfter(rec store.Record, err error, unknownRun int) string {
	if unknownRun >= maxUnknownRun {
		return fmt.Sprintf("%d answers lost in a row: the API is not answering; the remaining lines were not sent", unknownRun)
	}
	if rec.State != store.StateRejected {
		return ""
	}
	var api *client.APIError
	switch {
	case !errors.As(err, &api):
		return "a payout could not be sent (" + rec.Message + "); the remaining lines were not sent"
	case api.HTTPStatus == 401, api.HTTPStatus == 402, api.HTTPStatus == 403, api.HTTPStatus == 404:
		return fmt.Sprintf("the API refused with HTTP %d (%s); the remaining lines were not sent", api.HTTPStatus, api.Message)
	}
	return ""
}

// settleInterrupted marks this batch's payouts left NEW by a run that died
// as UNKNOWN: the request may have been in flight. Under the batch lock no
// other process is sending this batch, and the store's owner lock confirms
// the process that journaled each one is gone. They stay unknown (never
// re-sent) until someone settles them.
func settleInterrupted(ctx context.Context, db *store.DB, batch string) error {
	recs, err := records(ctx, db, batch)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.State != store.StateNew {
			continue
		}
		if alive, err := db.OwnerAlive(r.Owner); err != nil || alive {
			continue // its process is still waiting for the answer
		}
		owner := r.Owner
		_, err := db.Update(r.ID, func(r *store.Record) error {
			if r.State == store.StateNew && r.Owner == owner {
				r.State = store.StateUnknown
				r.Events = append(r.Events, store.Event{At: time.Now(), Kind: store.EvInterrupted,
					Detail: "the batch send was stopped before the answer came: the server may have acted"})
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
