package store

import (
	"errors"
	"time"
)

// Type is what kind of transaction a record is.
type Type string

const (
	TypePaylink Type = "PAYLINK"
	TypePayin   Type = "PAYIN"
	TypePayout  Type = "PAYOUT"
)

// State is coolpay's local state of a record.
type State string

const (
	StateNew      State = "NEW"          // journaled, request not yet answered
	StateCreated  State = "CREATED"      // paylink made, customer has not acted
	StateOTP      State = "OTP_REQUIRED" // payin waits for the customer's SMS code
	StatePending  State = "PENDING"      // waiting for the customer / operator
	StateSuccess  State = "SUCCESS"      // final
	StateFailed   State = "FAILED"       // final
	StateCanceled State = "CANCELED"     // final
	StateRejected State = "REJECTED"     // final: the API refused it, nothing moved
	StateUnknown  State = "UNKNOWN"      // the server may have acted; check before paying again

	// States of records that a callback made before the API confirmed them.
	StateReported State = "REPORTED"  // a callback says so; not yet confirmed by the API (never final)
	StateNotFound State = "NOT_FOUND" // final: the API does not know the reported transaction; not asked again
	StateMerged   State = "MERGED"    // final: the API said it is another record's transaction; see that record
)

// Final reports whether the state can no longer change by polling.
func (s State) Final() bool {
	switch s {
	case StateSuccess, StateFailed, StateCanceled, StateRejected, StateNotFound, StateMerged:
		return true
	}
	return false
}

// Event kinds for the trail.
const (
	EvCreated     = "created"
	EvSent        = "sent"
	EvAnswered    = "answered"
	EvOTPAsked    = "otp_asked"
	EvOTPRejected = "otp_rejected"
	EvPolled      = "polled"
	EvCallback    = "callback"
	EvFinal       = "final"
	EvError       = "error"
	EvUnknown     = "unknown"
	EvOverride    = "override"
	EvInterrupted = "interrupted"
	EvReported    = "reported"   // a callback's claim, not yet confirmed by the API
	EvConfirmed   = "confirmed"  // the API answered about a callback's claim
	EvWarning     = "warning"    // a disagreement kept on the record (shown as a warning)
	EvTrailFull   = "trail_full" // the trail reached its bound; later events are not kept
)

// Event is one entry of a record's append-only trail.
type Event struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail,omitempty"`
}

// Record is one transaction in the ledger. JSON names are the stable output of
// `coolpay history --json`.
type Record struct {
	ID               uint64 `json:"id"`
	Type             Type   `json:"type"`
	State            State  `json:"state"`
	AppRef           string `json:"app_transaction_ref"`
	TransactionRef   string `json:"transaction_ref,omitempty"`
	OperatorRef      string `json:"operator_transaction_ref,omitempty"`
	Amount           string `json:"amount"` // decimal text, XAF whole numbers: "1500"
	Fees             string `json:"fees,omitempty"`
	Currency         string `json:"currency"`
	Operator         string `json:"operator,omitempty"`   // MCP, CM_MOMO, CM_OM, CARD
	APIStatus        string `json:"api_status,omitempty"` // last transaction_status the API gave
	Message          string `json:"message,omitempty"`    // transaction_message or server message
	Reason           string `json:"reason,omitempty"`
	CustomerName     string `json:"customer_name,omitempty"`
	CustomerPhone    string `json:"customer_phone,omitempty"`
	CustomerEmail    string `json:"customer_email,omitempty"`
	CustomerUsername string `json:"customer_username,omitempty"`
	CustomerLang     string `json:"customer_lang,omitempty"`
	PaymentURL       string `json:"payment_url,omitempty"`
	USSD             string `json:"ussd,omitempty"`
	Action           string `json:"action,omitempty"`
	HTTPStatus       int    `json:"http_status,omitempty"` // last answer's HTTP status (payout: 200 done, 202 in progress)
	Request          string `json:"request,omitempty"`     // the request body as sent, JSON, no secrets
	Cashier          string `json:"cashier,omitempty"`     // who made it at the till
	Batch            string `json:"batch,omitempty"`       // the payout batch it belongs to (ByBatch)
	BatchLine        int    `json:"batch_line,omitempty"`  // its line in that batch's file
	// Owner names the process that journaled the record while it is NEW:
	// crash recovery leaves a NEW record alone while its owner lives (see
	// DB.Owner). Create fills it in; it is not part of the JSON output.
	Owner     string    `json:"-"`
	Synthetic bool      `json:"synthetic,omitempty"` // made by `coolpay seed`
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
	Events    []Event   `json:"events,omitempty"`
}

var (
	// ErrNotFound: no record with that id or reference.
	ErrNotFound = errors.New("not found")
	// ErrLocked: another process held the ledger (bbolt's file lock) for
	// longer than the timeout. Commands exit 3 on it.
	ErrLocked = errors.New("ledger is busy")
	// ErrNoLedger: a read-only open of a file that does not exist (or is
	// still empty). Callers such as `history` treat it as an empty history.
	ErrNoLedger = errors.New("no ledger yet")
	// ErrCorrupt: the file is not a readable coolpay ledger (truncated,
	// garbage, another program's bbolt file).
	ErrCorrupt = errors.New("not a readable coolpay ledger")
	// ErrSchema: the ledger's schema cannot be used by this binary as opened
	// (newer than this coolpay, or older and opened read-only).
	ErrSchema = errors.New("ledger schema mismatch")
	// ErrEventsRewritten: an Update callback removed or changed earlier events.
	ErrEventsRewritten = errors.New("events are append-only")
	// ErrSecretSetting: SetSetting refused a key that names a secret.
	ErrSecretSetting = errors.New("secrets are never stored in the ledger")
)

// Options for Open.
type Options struct {
	ReadOnly bool          // never writes, never creates (history)
	Timeout  time.Duration // longest wait for the lock, per operation; default 1s
	NoSync   bool          // benchmarks and seeding only
	// DeferCheck (read-only only) leaves the schema check to the first
	// operation, in its own transaction, instead of a file open of its own
	// in Open: a command that opens, reads once and exits (history) saves
	// one open of the file. Open still refuses a missing, empty, truncated
	// or garbage file; a file without coolpay's buckets (ErrNoLedger,
	// ErrCorrupt) or of another schema (ErrSchema) fails every operation
	// instead, with the same error Open would have given.
	DeferCheck bool
}

// Filter selects records; zero fields match everything. Filters combine (AND).
type Filter struct {
	Types    []Type
	States   []State
	Operator string
	Since    time.Time // inclusive
	Until    time.Time // exclusive
	Search   string    // case-insensitive substring of name, phone, email, username, reason, refs
	Cashier  string    // who made it at the till (Record.Cashier), case-insensitive, whole name
	// Customer is a phone number as typed ("6 91 23 45 67", "+237…",
	// "00237…"), matched whole, or words starting the customer's name or
	// username ("mar ngo"); answered from the look-up indexes (lookup.go).
	Customer string
}

// Page is one page of records newest first; Next is "" at the end.
type Page struct {
	Records []Record
	Next    string
}
