package core

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// ErrNeedsOverride: re-sending a payout whose outcome is UNKNOWN needs an explicit override.
var ErrNeedsOverride = errors.New("the first payout may have gone through: check before paying again")

// ErrNoReference: the record has no transaction_ref, so the API cannot be asked about it.
var ErrNoReference = errors.New("no transaction reference yet: the API cannot be asked about this transaction (find its transaction_ref in the merchant area, then run coolpay status REF or attach it in History)")

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
	// Cashier is the name recorded on new transactions ("" = the OS user);
	// see Service.SetCashier (cashier.go).
	Cashier string
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

	cashier cashierName // cashier.go

	pending pendingQueue // answers waiting for an unreachable ledger (pending.go)
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
	s.SetCashier(cfg.Cashier)
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
// may or may not have left. Run at console start. Other processes may share
// the ledger, so only orphans are marked: NEW records whose journaling
// process is gone (store.Orphaned); one being sent right now by another
// console is left alone. It reads only the NEW records.
func (s *Service) Recover() (int, error) {
	recs, err := s.db.Orphaned()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range recs {
		if s.holds(r.ID) {
			continue // this process's own, its answer not written yet
		}
		owner, marked := r.Owner, false
		_, err := s.db.Update(r.ID, func(r *store.Record) error {
			// Settled meanwhile, or (not expected) journaled again by
			// another process: not ours to mark.
			if r.State != store.StateNew || r.Owner != owner {
				return nil
			}
			r.State = store.StateUnknown
			s.event(r, store.EvInterrupted, "coolpay stopped before the answer came: the server may have acted")
			marked = true
			return nil
		})
		if err != nil {
			return n, err
		}
		if marked {
			n++
		}
	}
	return n, nil
}

// maxTrail bounds a record's trail: callbacks and status answers arrive
// from outside, and no record may grow without end because of them. The
// state and fields still change after the bound; the trail says it is full.
const maxTrail = 100

// event appends to r's trail, up to maxTrail events.
func (s *Service) event(r *store.Record, kind, detail string) {
	switch {
	case len(r.Events) >= maxTrail:
		return
	case len(r.Events) == maxTrail-1:
		kind, detail = store.EvTrailFull, fmt.Sprintf("the trail holds %d events; later ones are not kept (the record's fields still change)", maxTrail)
	}
	r.Events = append(r.Events, store.Event{At: s.now(), Kind: kind, Detail: clip(detail, 300)})
}

// warn keeps a disagreement on the record, once: the same warning twice adds
// nothing.
func (s *Service) warn(r *store.Record, detail string) {
	detail = clip(detail, 300)
	for _, e := range r.Events {
		if e.Kind == store.EvWarning && e.Detail == detail {
			return
		}
	}
	s.event(r, store.EvWarning, detail)
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
	if rec.Cashier == "" {
		rec.Cashier = s.Cashier() // who took it (cashier.go)
	}
	if err := s.db.Create(rec); err != nil {
		return fmt.Errorf("recording the transaction before sending (nothing was sent): %w", err)
	}
	if s.hook != nil {
		s.hook(*rec)
	}
	return nil
}

// settleError records on r the outcome of a send that failed: UNKNOWN when
// the server may have acted, REJECTED when it answered no or the request
// never left, with the error text and events that go with it. The caller
// writes r.
func (s *Service) settleError(r *store.Record, sent time.Time, err error) {
	var amb *client.AmbiguousError
	var api *client.APIError
	switch {
	case errors.As(err, &amb):
		r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent})
		r.State = store.StateUnknown
		// The message says what it means; Go's own words stay in the trail.
		r.Message = plainError(err)
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
		r.Message = "not sent: " + plainError(err)
		s.event(r, store.EvError, "not sent: "+err.Error())
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
	s.hold(rec.ID) // not this process's own orphan while it runs (pending.go)
	defer s.release(rec.ID)
	sent := s.now()
	onAnswer, err := send()
	// writeAnswer keeps the answer in memory when the ledger cannot be
	// reached now, and writes it when it is back (pending.go).
	out, uerr := s.writeAnswer(rec.ID, rec.AppRef, sent, func(r *store.Record) error {
		apply := func(r *store.Record) {
			if err != nil {
				s.settleError(r, sent, err)
				return
			}
			r.Events = append(r.Events, store.Event{At: sent, Kind: store.EvSent})
			onAnswer(r)
		}
		if r.State == store.StateNew {
			apply(r)
			return nil
		}
		// While the request was in flight, the API's own word reached
		// the record another way (a callback confirmed with checkStatus,
		// in this process or another): a final state it gave is kept,
		// and this answer only goes into the trail; a state short of
		// final gives way to this answer, unless the answer is that
		// there was none.
		probe := *r
		probe.Events = append([]store.Event(nil), r.Events...)
		apply(&probe)
		if !r.State.Final() && probe.State != store.StateUnknown {
			*r = probe
			return nil
		}
		s.event(r, store.EvAnswered, fmt.Sprintf("own answer came after the record was %s: %s", r.State, probe.Message))
		if r.State.Final() && probe.State.Final() && probe.State != r.State {
			s.event(r, store.EvWarning, fmt.Sprintf("the answer said %s, the API had said %s: kept %s", probe.State, r.State, r.State))
		}
		return nil
	})
	if uerr != nil {
		return rec, errors.Join(err, uerr)
	}
	return out, err
}

// plainError is err as a record's message: a network failure in a plain
// sentence (client.Explain), anything else in its own words.
func plainError(err error) string {
	e := client.Explain(err)
	if e == "" {
		return err.Error()
	}
	var amb *client.AmbiguousError
	if errors.As(err, &amb) && amb.Hint != "" {
		e += " — " + amb.Hint // the likely reason (the payout IP allow-list)
	}
	return e
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
	out, uerr := s.writeAnswer(id, rec.AppRef, sent, func(r *store.Record) error {
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
			r.Message = plainError(err)
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
	out, err := s.moneyCall(rec, req, func() (func(*store.Record), error) {
		resp, err := s.c.Paylink(ctx, req)
		return func(r *store.Record) {
			r.TransactionRef = resp.TransactionRef
			r.HTTPStatus = 201
			r.State = store.StateCreated
			if client.CheckPaymentURL(resp.PaymentURL) != nil {
				// Never shown, copied or drawn as a QR code: the
				// customer could be sent anywhere. The link exists at
				// the server; the record follows it like any other.
				s.warn(r, "the API gave a payment_url that is not an https link: refused, not shown")
				return
			}
			r.PaymentURL = resp.PaymentURL
			s.event(r, store.EvAnswered, "payment_url given")
		}, err
	})
	if err == nil && out.ID != 0 && out.State == store.StateCreated && out.PaymentURL == "" {
		err = client.ErrUnsafePaymentURL
	}
	return out, err
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
	out, err := s.moneyCall(rec, req, func() (func(*store.Record), error) {
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
	if err == nil && NeedsFees(out) {
		// Paid at once: the answer had no fees; checkStatus has them.
		// A read, asked once; the payout itself is done whatever it says.
		fctx, cancel := context.WithTimeout(ctx, feesWait)
		withFees, ferr := s.fetchFees(fctx, out)
		cancel()
		if ferr != nil {
			s.log.Warn("payout paid: its fees could not be asked yet", "ref", out.TransactionRef, "err", ferr)
		} else {
			out = withFees
		}
	}
	return out, err
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

// stateFor maps an API transaction_status onto a local state. known is
// false for a status the vendor does not document: it changes nothing.
func stateFor(cur store.State, apiStatus string) (next store.State, known bool) {
	switch apiStatus {
	case client.StatusSuccess:
		return store.StateSuccess, true
	case client.StatusFailed:
		return store.StateFailed, true
	case client.StatusCanceled:
		return store.StateCanceled, true
	case client.StatusPending, client.StatusCreated:
		// CREATED is what older sandboxes said for an unpaid paylink (it is
		// not documented; the sandbox now says PENDING); both say "not over
		// yet", and keep the finer local state when there is one.
		if cur == store.StateOTP || cur == store.StateCreated {
			return cur, true
		}
		return store.StatePending, true
	}
	return cur, false
}

// applyStatus copies what the API said into r and reports whether anything
// changed. A final state never moves (REJECTED included): a different answer
// is kept in the trail as a warning. A status the vendor does not document
// changes nothing either.
func (s *Service) applyStatus(r *store.Record, st client.StatusResponse, via string) bool {
	before := *r
	nEvents := len(r.Events)
	next, known := stateFor(r.State, st.TransactionStatus)
	switch {
	case !known:
		s.warn(r, fmt.Sprintf("the API gave the status %q, which is not a documented one: nothing changed", clip(st.TransactionStatus, 40)))
		return len(r.Events) != nEvents
	case r.State.Final() && next != r.State:
		s.warn(r, fmt.Sprintf("the API now says %s; %s is final and is kept", st.TransactionStatus, r.State))
		return len(r.Events) != nEvents
	}
	r.APIStatus = st.TransactionStatus
	r.State = next
	// An unpaid paylink is PENDING too (the only documented word); it is
	// "payment in progress" once the customer has started paying on the
	// checkout page, which gives it an operator transaction.
	if r.Type == store.TypePaylink && r.State == store.StateCreated &&
		st.TransactionStatus == client.StatusPending && st.OperatorTransactionRef != "" {
		r.State = store.StatePending
	}
	if st.OperatorTransactionRef != "" {
		r.OperatorRef = clip(st.OperatorTransactionRef, maxField)
	}
	if st.TransactionFees != "" {
		if fees, ok := client.CanonicalAmount(st.TransactionFees); ok {
			r.Fees = fees
		}
	}
	if st.TransactionOperator != "" && r.Operator == "" || r.Type == store.TypePaylink && st.TransactionOperator != "" {
		r.Operator = clip(st.TransactionOperator, 16)
	}
	if st.TransactionMessage != nil && *st.TransactionMessage != "" {
		r.Message = clip(*st.TransactionMessage, maxField)
	}
	s.noteFeesAbsent(r, st)
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
// the latest), but a final state never moves. A record a callback reported
// is settled where the API's answer says it belongs (see place).
func (s *Service) Refresh(ctx context.Context, id uint64) (store.Record, bool, error) {
	rec, err := s.db.Get(id)
	if err != nil {
		return rec, false, err
	}
	return s.refresh(ctx, rec)
}

// refresh is Refresh for a record just read from the ledger.
func (s *Service) refresh(ctx context.Context, rec store.Record) (store.Record, bool, error) {
	res, err := s.refreshResult(ctx, rec)
	return res.Record, res.Changed, err
}

// refreshResult is refresh with what this process's write found
// (Result.Before). An answer asked before another process changed the
// record (a listener settling it while the question was out) is not news:
// it is not written, and the API is asked once more about the record as it
// now is; if that answer is overtaken too, the record is left to whoever
// wrote it.
func (s *Service) refreshResult(ctx context.Context, rec store.Record) (Result, error) {
	id := rec.ID
	if err := s.needClient(); err != nil {
		return Result{Record: rec}, err
	}
	if rec.TransactionRef == "" {
		return Result{Record: rec}, ErrNoReference
	}
	for try := 0; ; try++ {
		st, err := s.checkStatus(ctx, rec.TransactionRef)
		if err != nil {
			return Result{Record: rec}, err
		}
		s.cbMu.Lock()
		res, err := s.placeSeen(rec.TransactionRef, *st, store.EvPolled, &rec)
		s.cbMu.Unlock()
		if err != nil {
			return Result{Record: rec}, err
		}
		if res.Stale {
			if try == 0 && res.Record.TransactionRef != "" {
				rec = res.Record
				continue
			}
			return Result{Record: res.Record, Outcome: OutcomeUnchanged}, nil
		}
		if res.Record.ID != id {
			// The answer settled another record (this one was merged
			// into it): show the one asked about, now pointing there.
			res.Changed = true
			if after, gerr := s.db.Get(id); gerr == nil {
				res.Record = after
			}
		}
		return res, nil
	}
}

// stale reports that a record read as seen has changed since: another
// write landed (its Updated time, its trail or its state moved). Updated
// is the ledger's own stamp of every write, so this holds across processes.
func stale(seen, cur store.Record) bool {
	return !seen.Updated.Equal(cur.Updated) || len(seen.Events) != len(cur.Events) || seen.State != cur.State
}

// Reconcile confirms the callbacks still waiting (see ConfirmClaim), then
// refreshes every unsettled record that has a transaction_ref,
// with at most workers at once, and reports each one. It stops early when
// ctx ends.
func (s *Service) Reconcile(ctx context.Context, workers int, report func(before, after store.Record, err error)) error {
	if err := s.needClient(); err != nil {
		return err
	}
	// Callbacks waiting for confirmation first: some point at records that
	// have no reference of their own yet (an UNKNOWN payout).
	claims, err := s.db.Claims(store.ClaimWaiting)
	if err != nil {
		return err
	}
	for _, c := range claims {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var before store.Record
		if c.RecordID != 0 {
			before, _ = s.db.Get(c.RecordID)
		}
		_, res, err := s.ConfirmClaim(ctx, c.Key)
		if before.ID == 0 {
			before = res.Record
			before.TransactionRef = c.TransactionRef
			before.State = store.StateReported
		}
		if report != nil && (err != nil || res.Record.ID != 0) {
			if res.Record.ID == 0 {
				res.Record = before
			}
			report(before, res.Record, err)
		}
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
				before, after, err := s.reconcileOne(ctx, r)
				if report != nil {
					mu.Lock()
					report(before, after, err)
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
	if ctx.Err() != nil {
		return ctx.Err()
	}
	// Successful transactions whose fees were never asked (payouts paid at
	// once, before coolpay asked for their fees): once each.
	owed, err := s.feesToFetch(ctx)
	if err != nil {
		return err
	}
	for _, r := range owed {
		if ctx.Err() != nil {
			break
		}
		after, wrote, err := s.fetchFeesWrote(ctx, r)
		if !wrote && err == nil {
			r = after // filled in by another process: not this run's change
		}
		if report != nil {
			report(r, after, err)
		}
	}
	return ctx.Err()
}

// reconcileOne refreshes one record for Reconcile and returns it as this
// process's write found it and left it: a change another process made
// meanwhile (the listener settling it) is not reported as this one's.
func (s *Service) reconcileOne(ctx context.Context, r store.Record) (before, after store.Record, err error) {
	cur, err := s.db.Get(r.ID)
	if err != nil {
		return r, r, err
	}
	res, err := s.refreshResult(ctx, cur)
	switch {
	case err != nil:
		return cur, res.Record, err
	case res.Before.ID != 0 && res.Before.ID == res.Record.ID:
		before = res.Before
	case res.Before.ID != 0:
		before = cur // the answer settled another record; this one was merged there
	default:
		before = res.Record // nothing written by this process (overtaken): no change of ours
	}
	return before, res.Record, nil
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

// Track returns the ledger's record for a transaction_ref or
// app_transaction_ref, refreshed from the API. A transaction_ref the ledger
// does not know (copied from the merchant area, say) is asked of the API
// and its answer placed: on the existing record whose app_transaction_ref
// the answer carries, when type, amount, currency and operator agree (an
// UNKNOWN settled in place), else as a new record.
func (s *Service) Track(ctx context.Context, ref string) (store.Record, error) {
	if err := s.needClient(); err != nil {
		return store.Record{}, err
	}
	rec, err := s.find(ref, ref)
	if err == nil {
		// Just read: refreshed without reading it again.
		rec, _, err = s.refresh(ctx, rec)
		return rec, err
	}
	if !errors.Is(err, store.ErrNotFound) {
		return rec, err
	}
	st, err := s.checkStatus(ctx, ref)
	if err != nil {
		return store.Record{}, err
	}
	s.cbMu.Lock()
	defer s.cbMu.Unlock()
	res, err := s.place(strings.TrimSpace(ref), *st, store.EvPolled)
	return res.Record, err
}

func jsonNumber(s string) json.Number { return json.Number(s) }

// find looks a record up by transaction_ref, then by app_transaction_ref.
func (s *Service) find(ref, appRef string) (store.Record, error) {
	rec, err := s.db.ByTransactionRef(ref)
	if errors.Is(err, store.ErrNotFound) && appRef != "" {
		rec, err = s.db.ByAppRef(appRef)
	}
	return rec, err
}
