package client

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxErrorBody bounds the raw body kept in an APIError: enough to show an
// HTML error page's gist, small enough to log or store.
const maxErrorBody = 2048

// APIError: the server answered, and the answer is an error (non-2xx, status != success, or not JSON).
type APIError struct {
	HTTPStatus int    // e.g. 401
	Status     string // envelope "status", e.g. "error"; "" when the body was not JSON
	Message    string // server message, or a clear description for non-JSON bodies
	Body       string // bounded copy of the raw body
	Err        error  // a known cause, e.g. ErrPayoutIPNotAllowed; nil otherwise
}

// Unwrap exposes the known cause, for errors.Is(err, ErrPayoutIPNotAllowed).
func (e *APIError) Unwrap() error { return e.Err }

// ErrPayoutIPNotAllowed is the cause of an *APIError to a payout answered the
// way My-CoolPay refuses an address not on the merchant's payout IP
// allow-list (an HTML redirect, or 403). The server did not carry it out.
var ErrPayoutIPNotAllowed = errors.New("this machine's address is not on the merchant's payout IP allow-list (or the base URL is wrong)")

// Hints an AmbiguousError may carry about a payout.
const (
	hintIPTimeout     = "no answer in time; a server that never answers payouts from this machine may mean its address is not on the merchant's payout IP allow-list (or the base URL is wrong)"
	hintIPRedirect2xx = "the answer was a \"Redirecting\" page: this machine's address may not be on the merchant's payout IP allow-list (or the base URL is wrong)"
)

// Error shows the HTTP status and the server's message, never the body.
func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("coolpay: HTTP %d: %s", e.HTTPStatus, msg)
}

// AmbiguousError: a money-moving call whose outcome is unknown (network error,
// timeout, 5xx, unreadable 2xx body): the server may have acted. Never retried.
type AmbiguousError struct {
	Op   string // "payin", "payout", ...
	Err  error
	Hint string // a likely reason worth telling the user, in English, or ""
	// MaybePayoutIPNotAllowed: a payout got no answer in time, which is how
	// the server is reported to treat addresses not on the allow-list.
	MaybePayoutIPNotAllowed bool
}

// Error says plainly that the money may have moved, then why we do not know.
func (e *AmbiguousError) Error() string {
	s := fmt.Sprintf("coolpay: %s outcome unknown, the server may have acted (check the status before trying again): %v", e.Op, e.Err)
	if e.Hint != "" {
		s += " — " + e.Hint
	}
	return s
}

// Unwrap exposes the cause (an *APIError, a network error, a context error).
func (e *AmbiguousError) Unwrap() error { return e.Err }

// ValidationError: local validation refused the input; nothing was sent.
type ValidationError struct {
	Field   string // the JSON field name, e.g. "transaction_amount"
	Code    string // stable machine code, e.g. "amount_fraction" (UI translates by Code)
	Message string // English message
}

// Error names the field and the English message.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("coolpay: invalid %s: %s", e.Field, e.Message)
}

// ErrNoPrivateKey is returned by payout and balance when the client was built
// without WithPrivateKey, or the key source gave an empty key.
var ErrNoPrivateKey = errors.New("coolpay: no private key available for this call")

func invalid(field, code, msg string) *ValidationError {
	return &ValidationError{Field: field, Code: code, Message: msg}
}

// boundBody keeps at most maxErrorBody bytes of a body, as valid UTF-8, so an
// error can be printed or stored whatever the server sent.
func boundBody(b []byte) string {
	if len(b) > 2*maxErrorBody {
		b = b[:2*maxErrorBody] // enough to fill the bound once made valid
	}
	// Repair first, then cut: a replacement character is longer than the
	// byte it replaces, so cutting first could leave the result too long.
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	if len(s) <= maxErrorBody {
		return s
	}
	cut := maxErrorBody
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
