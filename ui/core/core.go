// Package core is the one set of operations shared by the console screens and
// the scriptable commands: journal-before-send money calls, status refresh,
// reconcile, balance and callback ingestion.
//
// Every call that moves money follows the same order: validate locally (a
// *client.ValidationError means nothing was stored or sent), write the record
// to the ledger as NEW and commit it durably, send exactly once, then record
// the answer. An answer that never came is stored as UNKNOWN, never retried.
package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// ErrNeedsOverride: re-sending a payout whose outcome is UNKNOWN needs an explicit override.
var ErrNeedsOverride = errors.New("the first payout may have gone through: check before paying again")

// ErrNoReference: the record has no transaction_ref, so the API cannot be asked about it.
var ErrNoReference = errors.New("no transaction reference yet: the API cannot be asked about this transaction")

// ErrOffline: no API client is configured (no public key).
var ErrOffline = errors.New("offline: no API configured")

// Config wires a Service.
type Config struct {
	Client *client.Client // nil: offline, only ledger operations work
	Store  *store.DB
	Now    func() time.Time
	Log    *slog.Logger
	// AfterJournal runs after a money call is committed to the ledger and
	// before its request leaves. Tests use it to crash at that exact point.
	AfterJournal func(store.Record)
}

// Service runs the money flows against the API and the ledger.
type Service struct {
	c    *client.Client
	db   *store.DB
	now  func() time.Time
	log  *slog.Logger
	hook func(store.Record)

	// cbMu serialises callback ingestion so two copies of one callback
	// arriving together are recorded once.
	cbMu sync.Mutex
}

// New builds a Service.
func New(cfg Config) *Service {
	s := &Service{c: cfg.Client, db: cfg.Store, now: cfg.Now, log: cfg.Log, hook: cfg.AfterJournal}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// Online reports whether an API client is configured.
func (s *Service) Online() bool { return s != nil && s.c != nil }

// Endpoint is the public key and base URL the service talks to ("" when
// offline): what Settings shows, whatever flag, variable or setting chose it.
func (s *Service) Endpoint() (publicKey, baseURL string) {
	if !s.Online() {
		return "", ""
	}
	return s.c.PublicKey(), s.c.BaseURL()
}

// Store is the ledger the service writes to.
func (s *Service) Store() *store.DB { return s.db }

// PayinInput is what the cashier typed (raw text; validated here).
type PayinInput struct{ Amount, Phone, Name, Email, Reason, Lang string }

// PaylinkInput is what the cashier typed for a paylink.
type PaylinkInput struct{ Amount, Currency, Phone, Name, Email, Reason, Lang string }

// PayoutInput is what finance typed for a payout.
type PayoutInput struct{ Operator, Amount, Phone, Username, Email, Name, Reason, Lang string }

// NewAppRef makes a fresh, unique app_transaction_ref.
func NewAppRef(now time.Time) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "cp-" + now.UTC().Format("20060102") + "-" + hex.EncodeToString(b[:])
}

// Recover marks records left NEW by a crashed run as UNKNOWN: their request
// may or may not have left. Run once at console start (the ledger lock
// guarantees no other coolpay is sending on this file).
func (s *Service) Recover() (int, error) {
	recs, err := s.db.Unsettled()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recs {
		if r.State != store.StateNew {
			continue
		}
		_, err := s.db.Update(r.ID, func(r *store.Record) error {
			if r.State != store.StateNew {
				return nil
			}
			r.State = store.StateUnknown
			s.event(r, store.EvInterrupted, "coolpay stopped before the answer came: the server may have acted")
			return nil
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) event(r *store.Record, kind, detail string) {
	r.Events = append(r.Events, store.Event{At: s.now(), Kind: kind, Detail: detail})
}

func defLang(l string) string {
	if l == "" {
		return client.LangFR
	}
	return l
}

// PayinRequest validates the cashier's input into the request that would be
// sent (the client's own normalisation: amount, phone, text).
func PayinRequest(in PayinInput) (client.PayinRequest, error) {
	return client.PayinRequest{
		TransactionAmount: json.Number(in.Amount), TransactionCurrency: client.CurrencyXAF,
		TransactionReason: in.Reason, CustomerPhoneNumber: in.Phone,
		CustomerName: in.Name, CustomerEmail: in.Email, CustomerLang: defLang(in.Lang),
	}.Normalized()
}

// PaylinkRequest validates the cashier's input for a paylink.
func PaylinkRequest(in PaylinkInput) (client.PaylinkRequest, error) {
	cur := in.Currency
	if cur == "" {
		cur = client.CurrencyXAF
	}
	return client.PaylinkRequest{
		TransactionAmount: json.Number(in.Amount), TransactionCurrency: cur, TransactionReason: in.Reason,
		CustomerPhoneNumber: in.Phone, CustomerName: in.Name, CustomerEmail: in.Email,
		CustomerLang: defLang(in.Lang),
	}.Normalized()
}

// PreparePayout validates without sending, for the confirmation screen.
func (s *Service) PreparePayout(in PayoutInput) (client.PayoutRequest, error) {
	return PayoutRequest(in)
}

// PayoutRequest validates finance's input for a payout.
func PayoutRequest(in PayoutInput) (client.PayoutRequest, error) {
	return client.PayoutRequest{
		TransactionAmount: json.Number(in.Amount), TransactionCurrency: client.CurrencyXAF,
		TransactionReason: in.Reason, TransactionOperator: in.Operator,
		CustomerName: in.Name, CustomerPhoneNumber: in.Phone,
		CustomerUsername: in.Username, CustomerEmail: in.Email, CustomerLang: defLang(in.Lang),
	}.Normalized()
}

// journal commits a NEW record before anything is sent.
func (s *Service) journal(rec *store.Record, req any) error {
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	rec.State = store.StateNew
	rec.Request = string(b)
	if err := s.db.Create(rec); err != nil {
		return fmt.Errorf("recording the transaction before sending (nothing was sent): %w", err)
	}
	if s.hook != nil {
		s.hook(*rec)
	}
	return nil
}

// settle records the outcome of a send that failed; it returns the error the
// caller should see.
func (s *Service) settleError(r *store.Record, sent time.Time, err error) {
	var amb *client.AmbiguousError
	var api *client.APIError
	switch {
	case errors.As(err, &amb):
		r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent})
		r.State = store.StateUnknown
		r.Message = amb.Error()
		s.event(r, store.EvUnknown, amb.Error())
	case errors.As(err, &api):
		r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent})
		r.State = store.StateRejected
		r.HTTPStatus = api.HTTPStatus
		r.Message = api.Message
		s.event(r, store.EvAnswered, fmt.Sprintf("HTTP %d: %s", api.HTTPStatus, api.Message))
		s.event(r, store.EvFinal, string(store.StateRejected))
	default:
		// Failed before the request left (no private key, bad
		// configuration, cancelled): nothing was sent.
		r.State = store.StateRejected
		r.Message = "not sent: " + err.Error()
		s.event(r, store.EvError, r.Message)
		s.event(r, store.EvFinal, string(store.StateRejected))
	}
}

// moneyCall is the one path of every call that moves money: journal rec,
// with req as it will be sent, durably; send once; record the answer. send
// returns what to write into the record when the call succeeded; a failure
// is recorded by settleError (UNKNOWN, REJECTED or not sent).
func (s *Service) moneyCall(rec store.Record, req any, send func() (func(r *store.Record), error)) (store.Record, error) {
	if err := s.journal(&rec, req); err != nil {
		return store.Record{}, err
	}
	sent := s.now()
	onAnswer, err := send()
	out, uerr := s.db.Update(rec.ID, func(r *store.Record) error {
		if err != nil {
			s.settleError(r, sent, err)
			return nil
		}
		r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent})
		onAnswer(r)
		return nil
	})
	if uerr != nil {
		return rec, errors.Join(err, uerr)
	}
	return out, err
}

func (s *Service) needClient() error {
	if s.c == nil {
		return ErrOffline
	}
	return nil
}

// Payin validates, journals and sends a mobile-money payin. A
// *client.ValidationError return means nothing was stored or sent. Otherwise
// the record is returned in its new state, with an error for REJECTED
// (*client.APIError) and UNKNOWN (*client.AmbiguousError).
func (s *Service) Payin(ctx context.Context, in PayinInput) (store.Record, error) {
	req, err := PayinRequest(in)
	if err != nil {
		return store.Record{}, err
	}
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	req.AppTransactionRef = NewAppRef(s.now())
	rec := store.Record{
		Type: store.TypePayin, AppRef: req.AppTransactionRef,
		Amount: req.TransactionAmount.String(), Currency: req.TransactionCurrency,
		Operator: client.PhoneOperator(req.CustomerPhoneNumber), Reason: req.TransactionReason,
		CustomerName: req.CustomerName, CustomerPhone: req.CustomerPhoneNumber,
		CustomerEmail: req.CustomerEmail, CustomerLang: req.CustomerLang,
	}
	return s.moneyCall(rec, req, func() (func(*store.Record), error) {
		resp, err := s.c.Payin(ctx, req)
		return func(r *store.Record) {
			r.TransactionRef = resp.TransactionRef
			r.Action = resp.Action
			r.USSD = resp.USSD
			r.HTTPStatus = 201
			s.event(r, store.EvAnswered, "action="+resp.Action)
			if resp.Action == client.ActionRequireOTP {
				r.State = store.StateOTP
				s.event(r, store.EvOTPAsked, "")
			} else {
				r.State = store.StatePending
			}
		}, err
	})
}

// Authorize sends the customer's SMS code. A wrong code returns
// *client.APIError (401) and the record stays OTP_REQUIRED unless the server
// failed the transaction, which a status check then shows.
func (s *Service) Authorize(ctx context.Context, id uint64, code string) (store.Record, error) {
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	rec, err := s.db.Get(id)
	if err != nil {
		return rec, err
	}
	if rec.State != store.StateOTP {
		return rec, fmt.Errorf("transaction %s does not wait for a code (state %s)", rec.AppRef, rec.State)
	}
	req := client.AuthorizeRequest{TransactionRef: rec.TransactionRef, Code: code}
	if code == "" {
		return rec, &client.ValidationError{Field: "code", Code: "code_required", Message: "the SMS code is required"}
	}
	sent := s.now()
	resp, err := s.c.AuthorizePayin(ctx, req)
	var api *client.APIError
	var amb *client.AmbiguousError
	out, uerr := s.db.Update(id, func(r *store.Record) error {
		switch {
		case err == nil:
			r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent, Detail: "otp"})
			r.State = store.StatePending
			r.Action = resp.Action
			if resp.USSD != "" {
				r.USSD = resp.USSD
			}
			s.event(r, store.EvAnswered, "otp accepted")
		case errors.As(err, &api):
			r.Message = api.Message
			s.event(r, store.EvOTPRejected, fmt.Sprintf("HTTP %d: %s", api.HTTPStatus, api.Message))
		case errors.As(err, &amb):
			r.State = store.StateUnknown
			r.Message = amb.Error()
			s.event(r, store.EvUnknown, "otp: "+amb.Error())
		default:
			s.event(r, store.EvError, "otp not sent: "+err.Error())
		}
		return nil
	})
	if uerr != nil {
		return rec, errors.Join(err, uerr)
	}
	if errors.As(err, &api) {
		// The server may have failed the transaction after too many wrong
		// codes; a status check (safe to repeat) tells.
		if after, _, rerr := s.Refresh(ctx, id); rerr == nil {
			out = after
		}
	}
	return out, err
}

// Paylink validates, journals and creates a paylink.
func (s *Service) Paylink(ctx context.Context, in PaylinkInput) (store.Record, error) {
	req, err := PaylinkRequest(in)
	if err != nil {
		return store.Record{}, err
	}
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	req.AppTransactionRef = NewAppRef(s.now())
	rec := store.Record{
		Type: store.TypePaylink, AppRef: req.AppTransactionRef,
		Amount: req.TransactionAmount.String(), Currency: req.TransactionCurrency,
		Reason: req.TransactionReason, CustomerName: req.CustomerName,
		CustomerPhone: req.CustomerPhoneNumber, CustomerEmail: req.CustomerEmail,
		CustomerLang: req.CustomerLang,
	}
	return s.moneyCall(rec, req, func() (func(*store.Record), error) {
		resp, err := s.c.Paylink(ctx, req)
		return func(r *store.Record) {
			r.TransactionRef = resp.TransactionRef
			r.PaymentURL = resp.PaymentURL
			r.HTTPStatus = 201
			r.State = store.StateCreated
			s.event(r, store.EvAnswered, "payment_url given")
		}, err
	})
}

// Payout validates, journals and sends one payout. 200 is recorded SUCCESS,
// 202 PENDING (to be followed), an unknown outcome UNKNOWN.
func (s *Service) Payout(ctx context.Context, in PayoutInput) (store.Record, error) {
	req, err := PayoutRequest(in)
	if err != nil {
		return store.Record{}, err
	}
	return s.sendPayout(ctx, req, nil)
}

// BatchPayout sends one line of a batch file like Payout, with tag applied to
// the record before it is journaled, so the ledger knows which line was sent
// before its request leaves (the batch's guard against paying a line twice).
func (s *Service) BatchPayout(ctx context.Context, in PayoutInput, tag func(*store.Record)) (store.Record, error) {
	req, err := PayoutRequest(in)
	if err != nil {
		return store.Record{}, err
	}
	return s.sendPayoutTagged(ctx, req, nil, tag)
}

func (s *Service) sendPayout(ctx context.Context, req client.PayoutRequest, extra []store.Event) (store.Record, error) {
	return s.sendPayoutTagged(ctx, req, extra, nil)
}

func (s *Service) sendPayoutTagged(ctx context.Context, req client.PayoutRequest, extra []store.Event, tag func(*store.Record)) (store.Record, error) {
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	req.AppTransactionRef = NewAppRef(s.now())
	rec := store.Record{
		Type: store.TypePayout, AppRef: req.AppTransactionRef,
		Amount: req.TransactionAmount.String(), Currency: req.TransactionCurrency,
		Operator: req.TransactionOperator, Reason: req.TransactionReason,
		CustomerName: req.CustomerName, CustomerPhone: req.CustomerPhoneNumber,
		CustomerEmail: req.CustomerEmail, CustomerUsername: req.CustomerUsername,
		CustomerLang: req.CustomerLang, Events: extra,
	}
	if tag != nil {
		tag(&rec)
	}
	return s.moneyCall(rec, req, func() (func(*store.Record), error) {
		resp, err := s.c.Payout(ctx, req)
		return func(r *store.Record) {
			r.TransactionRef = resp.TransactionRef
			r.HTTPStatus = resp.HTTPStatus
			r.Message = resp.Message
			s.event(r, store.EvAnswered, fmt.Sprintf("HTTP %d: %s", resp.HTTPStatus, resp.Message))
			if resp.HTTPStatus == 202 {
				r.State = store.StatePending
			} else {
				r.State = store.StateSuccess
				r.APIStatus = client.StatusSuccess
				s.event(r, store.EvFinal, string(store.StateSuccess))
			}
		}, err
	})
}

// ResendPayout sends again a payout whose outcome is UNKNOWN, as a new record
// with a new app_transaction_ref; without override it returns
// ErrNeedsOverride and sends nothing. Both records note the override.
func (s *Service) ResendPayout(ctx context.Context, id uint64, override bool) (store.Record, error) {
	old, err := s.db.Get(id)
	if err != nil {
		return store.Record{}, err
	}
	if old.Type != store.TypePayout {
		return store.Record{}, fmt.Errorf("record %d is not a payout", id)
	}
	if old.State != store.StateUnknown && old.State != store.StateNew {
		return store.Record{}, fmt.Errorf("payout %s is %s: only a payout whose outcome is unknown can be re-sent", old.AppRef, old.State)
	}
	if !override {
		return store.Record{}, ErrNeedsOverride
	}
	var req client.PayoutRequest
	if err := json.Unmarshal([]byte(old.Request), &req); err != nil {
		return store.Record{}, fmt.Errorf("payout %s: stored request unreadable: %w", old.AppRef, err)
	}
	if err := req.Validate(); err != nil {
		return store.Record{}, err
	}
	extra := []store.Event{{At: s.now(), Kind: store.EvOverride, Detail: "re-send of " + old.AppRef + " by operator override"}}
	rec, sendErr := s.sendPayout(ctx, req, extra)
	if rec.ID != 0 {
		_, uerr := s.db.Update(old.ID, func(r *store.Record) error {
			s.event(r, store.EvOverride, "operator re-sent it as "+rec.AppRef)
			return nil
		})
		sendErr = errors.Join(sendErr, uerr)
	}
	return rec, sendErr
}

// stateFor maps an API transaction_status onto a local state.
func stateFor(cur store.State, apiStatus string) store.State {
	switch apiStatus {
	case client.StatusSuccess:
		return store.StateSuccess
	case client.StatusFailed:
		return store.StateFailed
	case client.StatusCanceled:
		return store.StateCanceled
	case client.StatusCreated:
		return store.StateCreated
	case client.StatusPending:
		if cur == store.StateOTP || cur == store.StateCreated {
			return cur
		}
		return store.StatePending
	}
	return cur
}

// applyStatus copies what the API said into r and reports whether anything changed.
func (s *Service) applyStatus(r *store.Record, st client.StatusResponse, via string) bool {
	before := *r
	if st.TransactionStatus != "" {
		r.APIStatus = st.TransactionStatus
		r.State = stateFor(r.State, st.TransactionStatus)
	}
	if st.OperatorTransactionRef != "" {
		r.OperatorRef = st.OperatorTransactionRef
	}
	if st.TransactionFees != "" {
		r.Fees = st.TransactionFees.String()
	}
	if st.TransactionOperator != "" && r.Operator == "" || r.Type == store.TypePaylink && st.TransactionOperator != "" {
		r.Operator = st.TransactionOperator
	}
	if st.TransactionMessage != nil && *st.TransactionMessage != "" {
		r.Message = *st.TransactionMessage
	}
	changed := before.State != r.State || before.APIStatus != r.APIStatus ||
		before.OperatorRef != r.OperatorRef || before.Fees != r.Fees ||
		before.Operator != r.Operator || before.Message != r.Message
	if changed {
		if via != "" {
			s.event(r, via, "status="+st.TransactionStatus)
		}
		if r.State.Final() && !before.State.Final() {
			s.event(r, store.EvFinal, string(r.State))
		}
	}
	return changed
}

// Refresh asks the API for the status of one record and stores what changed.
// A record that is already final is still asked (the operator wants to see
// the latest), but a SUCCESS never turns back.
func (s *Service) Refresh(ctx context.Context, id uint64) (store.Record, bool, error) {
	rec, err := s.db.Get(id)
	if err != nil {
		return rec, false, err
	}
	if err := s.needClient(); err != nil {
		return rec, false, err
	}
	if rec.TransactionRef == "" {
		return rec, false, ErrNoReference
	}
	st, err := s.c.CheckStatus(ctx, rec.TransactionRef)
	if err != nil {
		return rec, false, err
	}
	changed := false
	out, err := s.db.Update(id, func(r *store.Record) error {
		if r.State.Final() && r.State != store.StateRejected && stateFor(r.State, st.TransactionStatus) != r.State {
			// A final record does not move; note the disagreement.
			s.event(r, store.EvPolled, "API now says "+st.TransactionStatus+"; kept "+string(r.State))
			changed = true
			return nil
		}
		changed = s.applyStatus(r, *st, store.EvPolled)
		return nil
	})
	return out, changed, err
}

// Reconcile refreshes every unsettled record that has a transaction_ref,
// with at most workers at once, and reports each one. It stops early when
// ctx ends.
func (s *Service) Reconcile(ctx context.Context, workers int, report func(before, after store.Record, err error)) error {
	if err := s.needClient(); err != nil {
		return err
	}
	recs, err := s.db.Unsettled()
	if err != nil {
		return err
	}
	if workers < 1 {
		workers = 4
	}
	jobs := make(chan store.Record)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range jobs {
				after, _, err := s.Refresh(ctx, r.ID)
				if report != nil {
					mu.Lock()
					report(r, after, err)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for _, r := range recs {
		if r.TransactionRef == "" {
			if report != nil {
				mu.Lock()
				report(r, r, ErrNoReference)
				mu.Unlock()
			}
			continue
		}
		select {
		case jobs <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return ctx.Err()
}

// Balance asks the API for the merchant balance (decimal text).
func (s *Service) Balance(ctx context.Context) (string, error) {
	if err := s.needClient(); err != nil {
		return "", err
	}
	b, err := s.c.Balance(ctx)
	if err != nil {
		return "", err
	}
	return b.Balance.String(), nil
}

// HandleCallback stores a verified callback. The same callback twice changes
// nothing more and is recorded once. A callback for a transaction coolpay
// did not start (made elsewhere) becomes a new record.
func (s *Service) HandleCallback(cb *client.Callback) (store.Record, bool, error) {
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	detail := "status=" + cb.TransactionStatus + " sig=" + cb.Signature
	rec, err := s.find(cb.TransactionRef, cb.AppTransactionRef)
	st := client.StatusResponse{
		Status: "success", AppTransactionRef: cb.AppTransactionRef,
		OperatorTransactionRef: cb.OperatorTransactionRef, TransactionRef: cb.TransactionRef,
		TransactionType: cb.TransactionType, TransactionAmount: cb.TransactionAmount,
		TransactionFees: cb.TransactionFees, TransactionCurrency: cb.TransactionCurrency,
		TransactionOperator: cb.TransactionOperator, TransactionStatus: cb.TransactionStatus,
		TransactionReason: cb.TransactionReason, TransactionMessage: cb.TransactionMessage,
		CustomerPhoneNumber: cb.CustomerPhoneNumber,
	}
	if errors.Is(err, store.ErrNotFound) {
		nr, err := s.importStatus(st, store.EvCallback, detail)
		return nr, err == nil, err
	}
	if err != nil {
		return store.Record{}, false, err
	}
	for _, e := range rec.Events {
		if e.Kind == store.EvCallback && e.Detail == detail {
			return rec, false, nil
		}
	}
	out, err := s.db.Update(rec.ID, func(r *store.Record) error {
		if r.TransactionRef == "" {
			r.TransactionRef = cb.TransactionRef
		}
		if r.State.Final() && stateFor(r.State, cb.TransactionStatus) != r.State && r.State != store.StateRejected {
			s.event(r, store.EvCallback, detail+" (kept "+string(r.State)+")")
			return nil
		}
		s.event(r, store.EvCallback, detail)
		s.applyStatus(r, st, "")
		return nil
	})
	return out, err == nil, err
}

// importStatus records a transaction this coolpay did not start (made on the
// web or by another tool) from what the API told about it.
func (s *Service) importStatus(st client.StatusResponse, kind, detail string) (store.Record, error) {
	typ := store.TypePayin
	if st.TransactionType == client.TypePayout {
		typ = store.TypePayout
	}
	nr := store.Record{
		Type: typ, State: store.StatePending, AppRef: st.AppTransactionRef,
		TransactionRef: st.TransactionRef, Amount: st.TransactionAmount.String(),
		Currency: st.TransactionCurrency, Reason: st.TransactionReason,
		CustomerPhone: st.CustomerPhoneNumber,
	}
	nr.Events = []store.Event{{At: s.now(), Kind: kind, Detail: detail}}
	s.applyStatus(&nr, st, "")
	s.event(&nr, store.EvCreated, "not started by this coolpay: recorded from the API's answer")
	if err := s.db.Create(&nr); err != nil {
		return store.Record{}, err
	}
	return nr, nil
}

// Track returns the ledger's record for a transaction_ref or
// app_transaction_ref, refreshed from the API; a transaction_ref the ledger
// does not know is asked of the API and recorded.
func (s *Service) Track(ctx context.Context, ref string) (store.Record, error) {
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	rec, err := s.find(ref, ref)
	if err == nil {
		rec, _, err = s.Refresh(ctx, rec.ID)
		return rec, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return rec, err
	}
	st, err := s.c.CheckStatus(ctx, ref)
	if err != nil {
		return store.Record{}, err
	}
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	return s.importStatus(*st, store.EvPolled, "status="+st.TransactionStatus)
}

// find looks a record up by transaction_ref, then by app_transaction_ref.
func (s *Service) find(ref, appRef string) (store.Record, error) {
	rec, err := s.db.ByTransactionRef(ref)
	if errors.Is(err, store.ErrNotFound) && appRef != "" {
		rec, err = s.db.ByAppRef(appRef)
	}
	return rec, err
}
