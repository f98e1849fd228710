package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// A callback is a claim, not the truth: its signature covers only
// transaction_ref, type, amount, currency and operator, so the status and
// the app_transaction_ref it carries prove nothing. Callbacks are therefore
// stored as claims (RecordClaim: durable, no network, so the vendor gets its
// OK at once), then confirmed with GET checkStatus (ConfirmClaim), and only
// the API's answer changes a record (place).

// maxField bounds text from outside kept in a record field.
const maxField = 200

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// NoCurrency is the currency a record gets when a callback or an answer
// names one the API does not document: ISO 4217's code for "no currency",
// so the amount is never added to francs (or euros) in a report, and the
// value that came is kept escaped in a warning on the record.
const NoCurrency = "XXX"

// keepDocumented checks the currency and operator of a record made from
// text from outside (a callback nobody asked for, an answer about a
// transaction this coolpay did not start) against the values the API
// documents. The record is kept (it is evidence) but an undocumented
// currency becomes NoCurrency and an undocumented operator is left out;
// each value as it came is kept in a warning, quoted and escaped to ASCII
// (strconv.QuoteToASCII), so no view or output can obey it. from says who
// sent it ("the callback", "the API").
func (s *Service) keepDocumented(r *store.Record, from string) {
	if r.Currency != "" && r.Currency != NoCurrency && !client.DocumentedCurrency(r.Currency) {
		s.warn(r, fmt.Sprintf("%s named the currency %s, which the API does not document: recorded as %s (no currency)",
			from, strconv.QuoteToASCII(clip(r.Currency, 40)), NoCurrency))
		r.Currency = NoCurrency
	}
	if r.Operator != "" && !client.DocumentedOperator(r.Operator) {
		s.warn(r, fmt.Sprintf("%s named the operator %s, which the API does not document: recorded without an operator",
			from, strconv.QuoteToASCII(clip(r.Operator, 40))))
		r.Operator = ""
	}
}

// Outcome says what an answer from the API did to the ledger, in words the
// listener's log and the commands can show as they are.
type Outcome string

// Outcomes of placing an answer or a claim.
const (
	OutcomeSettled   Outcome = "settled"                    // the record's state changed
	OutcomeUnchanged Outcome = "unchanged"                  // the answer said nothing new
	OutcomeKept      Outcome = "ignored (final state kept)" // the answer disagrees with a final state
	OutcomeIgnored   Outcome = "ignored (undocumented status)"
	OutcomeAttached  Outcome = "attached to the existing record" // an UNKNOWN or reported record settled in place
	OutcomeImported  Outcome = "recorded as a new transaction"   // not started by this coolpay
	OutcomeNotFound  Outcome = "the API does not know this transaction"
	OutcomeWaiting   Outcome = "waiting: the API could not be asked"
	OutcomeDuplicate Outcome = "duplicate: already recorded, nothing added"
)

// Result is a record and what happened to it.
type Result struct {
	Record  store.Record
	Outcome Outcome
	Changed bool // something was written
	// Before is the record as this write found it (zero when no record
	// was written): what changed is this process's doing.
	Before store.Record
	// Stale: the record changed between the question and the answer
	// (another process wrote it), so the answer was not written.
	Stale bool
}

// ErrAnswerMismatch: the API's answer is not about what was asked.
var ErrAnswerMismatch = errors.New("the API's answer is about another transaction")

// checkStatus asks the API and refuses an answer about another reference.
func (s *Service) checkStatus(ctx context.Context, ref string) (*client.StatusResponse, error) {
	st, err := s.c.CheckStatus(ctx, ref)
	if err != nil {
		return nil, err
	}
	ref = strings.TrimSpace(ref)
	if st.TransactionRef == "" {
		st.TransactionRef = ref
	}
	if st.TransactionRef != ref {
		return nil, fmt.Errorf("%w (asked %s, answered %s)", ErrAnswerMismatch, clip(ref, 80), clip(st.TransactionRef, 80))
	}
	return st, nil
}

// recordTypeOf maps the API's transaction_type onto what a record may be.
func typeMatches(t store.Type, apiType string) bool {
	if t == store.TypePayout {
		return apiType == client.TypePayout
	}
	return apiType == client.TypePayin
}

func sameAmount(a, b string) bool {
	x, ok1 := client.CanonicalAmount(jsonNumber(a))
	y, ok2 := client.CanonicalAmount(jsonNumber(b))
	return ok1 && ok2 && x == y
}

// Differences lists the fields where the API's answer st disagrees with
// record r (type, amount, currency, operator), each as "field: record /
// API". An empty list means st may be r's transaction. An operator the
// record does not know yet (a paylink not paid) is no disagreement.
func Differences(r store.Record, st client.StatusResponse) []string {
	var d []string
	if !typeMatches(r.Type, st.TransactionType) {
		d = append(d, fmt.Sprintf("type: %s / %s", r.Type, clip(st.TransactionType, 20)))
	}
	if !sameAmount(r.Amount, st.TransactionAmount.String()) {
		d = append(d, fmt.Sprintf("amount: %s / %s", r.Amount, clip(st.TransactionAmount.String(), 30)))
	}
	cur := r.Currency
	if cur == "" {
		cur = client.CurrencyXAF
	}
	if cur != st.TransactionCurrency {
		d = append(d, fmt.Sprintf("currency: %s / %s", cur, clip(st.TransactionCurrency, 10)))
	}
	if r.Operator != "" && st.TransactionOperator != "" && r.Operator != st.TransactionOperator {
		d = append(d, fmt.Sprintf("operator: %s / %s", r.Operator, clip(st.TransactionOperator, 16)))
	}
	return d
}

// place applies the API's answer st about transaction ref to the record it
// belongs to: the record holding ref, else the record whose
// app_transaction_ref the answer carries (never the callback's), when type,
// amount, currency and operator agree and it has no reference yet; else a
// new record. A record only a callback made (REPORTED) gives way to an
// existing one the answer names, and is marked MERGED. Callers hold cbMu.
func (s *Service) place(ref string, st client.StatusResponse, via string) (Result, error) {
	return s.placeSeen(ref, st, via, nil)
}

// placeSeen is place for an answer asked about the record seen as it was
// read before the question: if that record changed since (another
// process settled it meanwhile), the answer is not written (Result.Stale).
func (s *Service) placeSeen(ref string, st client.StatusResponse, via string, seen *store.Record) (Result, error) {
	byRef, err := s.db.ByTransactionRef(ref)
	haveRef := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return Result{}, err
	}
	if haveRef && byRef.State != store.StateReported {
		return s.applySeen(byRef.ID, st, via, seen)
	}
	// Whose transaction is it, by the API's own app_transaction_ref?
	var owner store.Record
	haveOwner := false
	appRefFree := false // no record holds the answer's app_transaction_ref
	if st.AppTransactionRef != "" {
		p, err := s.db.ByAppRef(st.AppTransactionRef)
		appRefFree = errors.Is(err, store.ErrNotFound)
		switch {
		case err == nil && (!haveRef || p.ID != byRef.ID):
			if p.TransactionRef == "" && len(Differences(p, st)) == 0 {
				owner, haveOwner = p, true
			} else {
				// Named, but not matching: keep the disagreement
				// where a person will look, change nothing there.
				why := "it has another transaction_ref"
				if p.TransactionRef == "" {
					why = "they differ (" + strings.Join(Differences(p, st), "; ") + ")"
				}
				if _, err := s.db.Update(p.ID, func(r *store.Record) error {
					s.warn(r, fmt.Sprintf("the API gives this app_transaction_ref to transaction %s, which was not attached here: %s", clip(ref, 80), why))
					return nil
				}); err != nil {
					return Result{}, err
				}
			}
		case err != nil && !errors.Is(err, store.ErrNotFound):
			return Result{}, err
		}
	}
	switch {
	case haveOwner:
		res, err := s.attach(owner.ID, ref, st, via, "the API's answer carries this record's app_transaction_ref")
		if err != nil || !haveRef {
			return res, err
		}
		// The record a callback made for ref is this one's transaction.
		_, err = s.db.Update(byRef.ID, func(r *store.Record) error {
			r.State = store.StateMerged
			r.TransactionRef = ""
			s.event(r, store.EvConfirmed, fmt.Sprintf("the API says transaction %s is record #%d's; merged there", clip(ref, 80), owner.ID))
			return nil
		})
		return res, err
	case haveRef:
		res, err := s.apply(byRef.ID, st, via)
		if err == nil && res.Record.AppRef == "" && appRefFree {
			// Give the reported record the API's own app_transaction_ref,
			// since no other record holds it.
			res.Record, err = s.db.Update(byRef.ID, func(r *store.Record) error {
				r.AppRef = clip(st.AppTransactionRef, maxField)
				return nil
			})
		}
		return res, err
	}
	return s.importAnswer(ref, st, via, appRefFree)
}

// apply writes st into record id.
func (s *Service) apply(id uint64, st client.StatusResponse, via string) (Result, error) {
	return s.applySeen(id, st, via, nil)
}

// applySeen is apply, unless record id is seen and changed since it was
// read (see stale): then nothing is written and Result.Stale is set.
func (s *Service) applySeen(id uint64, st client.StatusResponse, via string, seen *store.Record) (Result, error) {
	res := Result{Outcome: OutcomeUnchanged}
	out, err := s.db.Update(id, func(r *store.Record) error {
		if seen != nil && seen.ID == r.ID && stale(*seen, *r) {
			res.Stale, res.Record = true, *r
			return errNothingToDo
		}
		res.Before = *r
		res.Before.Events = r.Events[:len(r.Events):len(r.Events)]
		wasReported := r.State == store.StateReported
		before := r.State
		next, known := stateFor(r.State, st.TransactionStatus)
		res.Changed = s.applyStatus(r, st, via)
		if r.Currency == NoCurrency && known && client.DocumentedCurrency(st.TransactionCurrency) {
			// A callback's undocumented currency, replaced: the API's
			// answer about the transaction says which it is.
			r.Currency = st.TransactionCurrency
			s.event(r, store.EvConfirmed, "currency "+st.TransactionCurrency+" from the API's answer")
			res.Changed = true
		}
		s.keepDocumented(r, "the API")
		switch {
		case !known:
			res.Outcome = OutcomeIgnored
		case before.Final() && next != before:
			res.Outcome = OutcomeKept
		case r.State != before:
			res.Outcome = OutcomeSettled
		}
		if wasReported && r.State != store.StateReported {
			s.event(r, store.EvConfirmed, "confirmed by the API: "+st.TransactionStatus)
		}
		return nil
	})
	if res.Stale {
		return res, nil
	}
	res.Record = out
	return res, err
}

// attach gives record id the transaction_ref ref and applies st: an UNKNOWN
// (or any record still without a reference) settled in place.
func (s *Service) attach(id uint64, ref string, st client.StatusResponse, via, why string) (Result, error) {
	res := Result{Outcome: OutcomeAttached, Changed: true}
	out, err := s.db.Update(id, func(r *store.Record) error {
		if r.TransactionRef != "" && r.TransactionRef != ref {
			return fmt.Errorf("record %d already has the transaction_ref %s", id, r.TransactionRef)
		}
		res.Before = *r
		res.Before.Events = r.Events[:len(r.Events):len(r.Events)]
		if r.TransactionRef == "" {
			// (Already attached by another process: only the answer is applied.)
			r.TransactionRef = ref
			s.event(r, store.EvConfirmed, "transaction_ref "+clip(ref, 80)+" attached: "+why)
		}
		before := r.State
		next, _ := stateFor(r.State, st.TransactionStatus)
		s.applyStatus(r, st, via)
		if before.Final() && next != before {
			res.Outcome = OutcomeKept
		}
		return nil
	})
	res.Record = out
	return res, err
}

// importAnswer records a transaction this coolpay did not start (made on the
// web or by another tool) from what the API told about it. appRefFree says
// no record holds the answer's app_transaction_ref (place has looked).
func (s *Service) importAnswer(ref string, st client.StatusResponse, via string, appRefFree bool) (Result, error) {
	typ := store.TypePayin
	if st.TransactionType == client.TypePayout {
		typ = store.TypePayout
	}
	amount, _ := client.CanonicalAmount(st.TransactionAmount)
	nr := store.Record{
		Type: typ, State: store.StatePending, TransactionRef: ref, Amount: amount,
		Currency: clip(st.TransactionCurrency, 10), Reason: clip(st.TransactionReason, maxField),
		CustomerPhone: clip(st.CustomerPhoneNumber, 40),
	}
	if st.AppTransactionRef != "" {
		if appRefFree {
			nr.AppRef = clip(st.AppTransactionRef, maxField)
		} else {
			s.warn(&nr, "the API gives this transaction the app_transaction_ref "+clip(st.AppTransactionRef, 80)+", which another record holds")
		}
	}
	s.applyStatus(&nr, st, via)
	s.event(&nr, store.EvCreated, "not started by this coolpay: recorded from the API's answer")
	s.keepDocumented(&nr, "the API")
	existing, created, err := s.db.CreateUnlessRef(&nr)
	switch {
	case err != nil:
		return Result{}, err
	case !created:
		// Another process recorded it a moment ago: apply the answer there.
		return s.apply(existing.ID, st, via)
	}
	return Result{Record: nr, Outcome: OutcomeImported, Changed: true}, nil
}

// ClaimKey identifies a callback by what its signature covers, so copies of
// one callback are one claim whatever their status text, case or signature
// spelling.
func ClaimKey(cb *client.Callback) string {
	amount, _ := client.CanonicalAmount(cb.TransactionAmount)
	h := sha256.New()
	for _, f := range []string{cb.TransactionRef, cb.TransactionType, amount, cb.TransactionCurrency, cb.TransactionOperator} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RecordClaim stores a verified callback as a claim, durably and without
// asking the API, so the callback can be answered at once. The first copy
// is noted where a person will look: on the record holding its
// transaction_ref, else on the record whose app_transaction_ref it names
// when the signed fields agree and that record has no reference yet, else
// on a new record marked REPORTED (not yet confirmed, never final). No
// state changes here; ConfirmClaim decides. Copies after the first add
// nothing (fresh is false).
func (s *Service) RecordClaim(cb *client.Callback) (c store.Claim, fresh bool, err error) {
	amount, ok := client.CallbackAmount(cb.TransactionAmount)
	if !ok {
		return store.Claim{}, false, fmt.Errorf("%w: transaction_amount", client.ErrCallbackMalformed)
	}
	claim := store.Claim{
		Key: ClaimKey(cb), TransactionRef: clip(cb.TransactionRef, maxField), Type: clip(cb.TransactionType, 20),
		Amount: amount, Currency: clip(cb.TransactionCurrency, 10), Operator: clip(cb.TransactionOperator, 16),
		AppRef: clip(cb.AppTransactionRef, maxField), Status: clip(strings.ToUpper(cb.TransactionStatus), 30),
		Received: s.now(),
	}
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	c, fresh, err = s.db.AddClaim(claim)
	if err != nil || !fresh {
		return c, fresh, err
	}
	note := fmt.Sprintf("reported by callback: %s, not yet confirmed", claim.Status)
	id, err := s.noteClaim(claim, note)
	if err != nil {
		// The claim is stored: ConfirmClaim still places it.
		s.log.Warn("callback: noting the claim on a record", "err", err)
		return c, true, nil
	}
	if id != 0 {
		c, err = s.db.UpdateClaim(c.Key, func(c *store.Claim) error { c.RecordID = id; return nil })
	}
	return c, true, err
}

// noteClaim puts the claim's note on the record it points at (see
// RecordClaim) and returns that record's id.
func (s *Service) noteClaim(c store.Claim, note string) (uint64, error) {
	st := client.StatusResponse{TransactionRef: c.TransactionRef, TransactionType: c.Type,
		TransactionAmount: jsonNumber(c.Amount), TransactionCurrency: c.Currency, TransactionOperator: c.Operator}
	rec, err := s.db.ByTransactionRef(c.TransactionRef)
	if errors.Is(err, store.ErrNotFound) && c.AppRef != "" {
		if p, perr := s.db.ByAppRef(c.AppRef); perr == nil && p.TransactionRef == "" && len(Differences(p, st)) == 0 {
			rec, err = p, nil
			note += " (transaction_ref " + c.TransactionRef + ")"
		}
	}
	switch {
	case err == nil:
		_, err = s.db.Update(rec.ID, func(r *store.Record) error {
			s.event(r, store.EvReported, note)
			return nil
		})
		return rec.ID, err
	case !errors.Is(err, store.ErrNotFound):
		return 0, err
	}
	typ := store.TypePayin
	if c.Type == client.TypePayout {
		typ = store.TypePayout
	}
	nr := store.Record{Type: typ, State: store.StateReported, TransactionRef: c.TransactionRef,
		Amount: c.Amount, Currency: c.Currency, Operator: c.Operator}
	s.event(&nr, store.EvReported, note)
	s.keepDocumented(&nr, "the callback")
	existing, created, err := s.db.CreateUnlessRef(&nr)
	switch {
	case err != nil:
		return 0, err
	case !created:
		// Recorded a moment ago by another process: note it there.
		_, err = s.db.Update(existing.ID, func(r *store.Record) error {
			s.event(r, store.EvReported, note)
			return nil
		})
		return existing.ID, err
	}
	return nr.ID, nil
}

// ConfirmClaim asks the API about a waiting claim and applies the answer
// (see place). When the API cannot be reached the claim keeps waiting and
// the error is returned; when the API does not know the transaction the
// claim is marked so and never asked about again. A claim no longer
// waiting is returned as is.
func (s *Service) ConfirmClaim(ctx context.Context, key string) (store.Claim, Result, error) {
	c, err := s.db.Claim(key)
	if err != nil || c.State != store.ClaimWaiting {
		return c, Result{Outcome: OutcomeUnchanged}, err
	}
	if err := s.needClient(); err != nil {
		return c, Result{Outcome: OutcomeWaiting}, err
	}
	st, err := s.checkStatus(ctx, c.TransactionRef)
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	var api *client.APIError
	switch {
	case errors.As(err, &api) && api.HTTPStatus == 404:
		res, uerr := s.claimNotFound(c)
		if uerr != nil {
			return c, res, uerr
		}
		c, uerr = s.db.UpdateClaim(key, func(c *store.Claim) error {
			c.State, c.Tries, c.LastTry, c.Note = store.ClaimNotFound, c.Tries+1, s.now(), string(OutcomeNotFound)
			return nil
		})
		return c, res, uerr
	case err != nil:
		c, uerr := s.db.UpdateClaim(key, func(c *store.Claim) error {
			c.Tries, c.LastTry, c.Note = c.Tries+1, s.now(), clip(err.Error(), 200)
			return nil
		})
		return c, Result{Outcome: OutcomeWaiting}, errors.Join(err, uerr)
	}
	res, err := s.place(c.TransactionRef, *st, store.EvConfirmed)
	if err != nil {
		return c, res, err
	}
	if c.RecordID != 0 && c.RecordID != res.Record.ID {
		// The claim was noted on a record the API's answer does not
		// name: say so there, change nothing else.
		if _, err := s.db.Update(c.RecordID, func(r *store.Record) error {
			if r.State == store.StateMerged {
				return nil
			}
			s.warn(r, fmt.Sprintf("a callback reported transaction %s (%s) as this record's; the API says it belongs to record #%d: nothing changed here",
				clip(c.TransactionRef, 80), c.Status, res.Record.ID))
			return nil
		}); err != nil && !errors.Is(err, store.ErrNotFound) {
			return c, res, err
		}
	}
	if res.Record.State.Final() && c.Status != "" && c.Status != st.TransactionStatus {
		if _, err := s.db.Update(res.Record.ID, func(r *store.Record) error {
			s.warn(r, fmt.Sprintf("a callback said %s; the API says %s", c.Status, st.TransactionStatus))
			return nil
		}); err != nil {
			return c, res, err
		}
	}
	c, err = s.db.UpdateClaim(key, func(c *store.Claim) error {
		c.State, c.RecordID, c.Tries, c.LastTry, c.Note = store.ClaimConfirmed, res.Record.ID, c.Tries+1, s.now(), string(res.Outcome)
		return nil
	})
	return c, res, err
}

// claimNotFound marks what a claim the API does not know left behind: a
// record it made becomes NOT_FOUND; a record it was noted on gets a warning.
func (s *Service) claimNotFound(c store.Claim) (Result, error) {
	res := Result{Outcome: OutcomeNotFound}
	if c.RecordID == 0 {
		return res, nil
	}
	out, err := s.db.Update(c.RecordID, func(r *store.Record) error {
		if r.State == store.StateReported && r.TransactionRef == c.TransactionRef {
			r.State = store.StateNotFound
			s.event(r, store.EvConfirmed, "the API does not know transaction "+clip(c.TransactionRef, 80)+": the callback was not confirmed")
			return nil
		}
		s.warn(r, fmt.Sprintf("a callback reported transaction %s (%s); the API does not know it: nothing changed", clip(c.TransactionRef, 80), c.Status))
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return res, nil
	}
	res.Record, res.Changed = out, err == nil
	return res, err
}

// ConfirmWaiting confirms every waiting claim, oldest first, and reports
// each; it stops early when ctx ends. The follower and reconcile call it.
func (s *Service) ConfirmWaiting(ctx context.Context, report func(c store.Claim, res Result, err error)) error {
	if err := s.needClient(); err != nil {
		return err
	}
	claims, err := s.db.Claims(store.ClaimWaiting)
	if err != nil {
		return err
	}
	for _, c := range claims {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		after, res, err := s.ConfirmClaim(ctx, c.Key)
		if report != nil {
			report(after, res, err)
		}
	}
	return nil
}

// Lookup asks the API about a transaction_ref without changing the ledger,
// to show it next to a record before attaching it.
func (s *Service) Lookup(ctx context.Context, ref string) (*client.StatusResponse, error) {
	if err := s.needClient(); err != nil {
		return nil, err
	}
	return s.checkStatus(ctx, ref)
}

// ErrCannotAttach: the reference cannot be attached to this record.
var ErrCannotAttach = errors.New("this reference cannot be attached to this record")

// Attach gives a record that has no transaction_ref yet (an UNKNOWN, say)
// the reference a person found in the merchant area, after asking the API
// again: only when the answer's type, amount, currency and operator agree
// with the record and its app_transaction_ref, when the API gives one, is
// the record's own. The record then follows the API's answer.
func (s *Service) Attach(ctx context.Context, id uint64, ref string) (store.Record, error) {
	rec, err := s.db.Get(id)
	if err != nil {
		return rec, err
	}
	if rec.TransactionRef != "" {
		return rec, fmt.Errorf("%w: it already has the transaction_ref %s", ErrCannotAttach, rec.TransactionRef)
	}
	st, err := s.Lookup(ctx, ref)
	if err != nil {
		return rec, err
	}
	ref = st.TransactionRef
	if d := Differences(rec, *st); len(d) > 0 {
		return rec, fmt.Errorf("%w: %s", ErrCannotAttach, strings.Join(d, "; "))
	}
	if st.AppTransactionRef != "" && st.AppTransactionRef != rec.AppRef {
		return rec, fmt.Errorf("%w: the API gives it the app_transaction_ref %s, this record has %s", ErrCannotAttach, clip(st.AppTransactionRef, 80), rec.AppRef)
	}
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	other, err := s.db.ByTransactionRef(ref)
	switch {
	case err == nil && other.State != store.StateReported:
		return rec, fmt.Errorf("%w: record #%d already holds %s", ErrCannotAttach, other.ID, ref)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return rec, err
	}
	res, err := s.attach(id, ref, *st, store.EvPolled, "given by a person, checked with the API")
	if err != nil {
		return rec, err
	}
	if other.ID != 0 {
		_, err = s.db.Update(other.ID, func(r *store.Record) error {
			r.State = store.StateMerged
			r.TransactionRef = ""
			s.event(r, store.EvConfirmed, fmt.Sprintf("transaction %s was attached to record #%d; merged there", clip(ref, 80), id))
			return nil
		})
	}
	return res.Record, err
}
