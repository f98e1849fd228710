// Package core is the one set of operations shared by the console screens and
// the scriptable commands: journal-before-send money calls, status refresh,
// reconcile, balance and callback ingestion. CONTRACT STUB — being written.
package core

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// ErrNeedsOverride: re-sending a payout whose outcome is UNKNOWN needs an explicit override.
var ErrNeedsOverride = errors.New("the first payout may have gone through: check before paying again")

// Config wires a Service.
type Config struct {
	Client *client.Client
	Store  *store.DB
	Now    func() time.Time
	Log    *slog.Logger
}

// Service runs the money flows against the API and the ledger.
type Service struct{}

func New(cfg Config) *Service { panic("stub") }

// PayinInput is what the cashier typed (raw text; validated here).
type PayinInput struct{ Amount, Phone, Name, Email, Reason, Lang string }

// PaylinkInput is what the cashier typed for a paylink.
type PaylinkInput struct{ Amount, Currency, Phone, Name, Email, Reason, Lang string }

// PayoutInput is what finance typed for a payout.
type PayoutInput struct{ Operator, Amount, Phone, Username, Email, Name, Reason, Lang string }

// Recover marks records left NEW by a crashed run as UNKNOWN. Run once at console start.
func (s *Service) Recover() (int, error) { panic("stub") }

// A *client.ValidationError return means nothing was stored or sent.
// Otherwise the record is returned in its new state, with an error for
// REJECTED (*client.APIError) and UNKNOWN (*client.AmbiguousError).
func (s *Service) Payin(ctx context.Context, in PayinInput) (store.Record, error)     { panic("stub") }
func (s *Service) Paylink(ctx context.Context, in PaylinkInput) (store.Record, error) { panic("stub") }

// Authorize sends the SMS code. A wrong code returns *client.APIError (401) and
// the record stays OTP_REQUIRED unless the server failed it.
func (s *Service) Authorize(ctx context.Context, id uint64, code string) (store.Record, error) {
	panic("stub")
}

// PreparePayout validates without sending, for the confirmation screen.
func (s *Service) PreparePayout(in PayoutInput) (client.PayoutRequest, error) { panic("stub") }
func (s *Service) Payout(ctx context.Context, in PayoutInput) (store.Record, error) {
	panic("stub")
}

// ResendPayout sends again a payout whose outcome is UNKNOWN, as a new record;
// without override it returns ErrNeedsOverride and sends nothing.
func (s *Service) ResendPayout(ctx context.Context, id uint64, override bool) (store.Record, error) {
	panic("stub")
}

// Refresh asks the API for the status of one record and stores what changed.
func (s *Service) Refresh(ctx context.Context, id uint64) (rec store.Record, changed bool, err error) {
	panic("stub")
}

// Reconcile refreshes every unsettled record with bounded concurrency.
func (s *Service) Reconcile(ctx context.Context, workers int, report func(before, after store.Record, err error)) error {
	panic("stub")
}

// Balance asks the API for the merchant balance (decimal text).
func (s *Service) Balance(ctx context.Context) (string, error) { panic("stub") }

// HandleCallback stores a verified callback; the same callback twice changes nothing more.
func (s *Service) HandleCallback(cb *client.Callback) (rec store.Record, changed bool, err error) {
	panic("stub")
}
