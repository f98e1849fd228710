package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
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

// Network causes, as NetCause names them: what a failed exchange means
// for the person at the console, whatever Go's error text says.
const (
	NetTimeout = "timeout" // no answer in time
	NetRefused = "refused" // nothing listens there: nothing was sent
	NetClosed  = "closed"  // the connection closed (EOF, reset) before the answer
	NetDNS     = "dns"     // the server's name was not found: nothing was sent
	NetTLS     = "tls"     // the secure connection failed: nothing was sent
	NetOther   = "other"   // another network failure
)

// NetCause names the network failure behind err (one of the Net*
// constants), or "" when err is not one: an answer from the server, a
// validation error, a missing key. It looks through an *AmbiguousError.
func NetCause(err error) string {
	if err == nil {
		return ""
	}
	var api *APIError
	var ve *ValidationError
	if errors.As(err, &api) || errors.As(err, &ve) || errors.Is(err, context.Canceled) {
		return "" // an answer, a refusal before sending, or the person stopped it
	}
	var dns *net.DNSError
	var op *net.OpError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return NetDNS
	case tlsFailure(err):
		return NetTLS
	case errors.Is(err, syscall.ECONNREFUSED):
		return NetRefused
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return NetTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, net.ErrClosed):
		return NetClosed
	case errors.As(err, &op):
		return NetOther
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return NetOther
	}
	return ""
}

// tlsFailure reports a failed TLS handshake: a certificate the system does
// not trust, or a server that does not speak TLS. The request had not left.
func tlsFailure(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var rh tls.RecordHeaderError
	var ae tls.AlertError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) ||
		errors.As(err, &rh) || errors.As(err, &ae)
}

// Explain is err in one plain English sentence when it is a network
// failure (see NetCause), "" otherwise: what the ledger keeps as a
// record's message, with Go's own words left to the trail and the logs.
func Explain(err error) string {
	var amb *AmbiguousError
	unknown := errors.As(err, &amb)
	switch NetCause(err) {
	case NetTimeout:
		if unknown {
			return "no answer in time: the outcome is unknown, the server may have acted (check before paying again)"
		}
		return "no answer in time: nothing was changed, try again"
	case NetClosed:
		if unknown {
			return "the connection closed before the answer: the outcome is unknown, the server may have acted (check before paying again)"
		}
		return "the connection closed before the answer: nothing was changed, try again"
	case NetRefused:
		return "the connection was refused (the server is down or the base URL is wrong): nothing was sent"
	case NetDNS:
		return "the server's name was not found (no internet, or a wrong base URL): nothing was sent"
	case NetTLS:
		return "the secure connection failed (a certificate not trusted, or a proxy in between): nothing was sent"
	case NetOther:
		if unknown {
			return "the network failed during the request: the outcome is unknown, the server may have acted (check before paying again)"
		}
		return "the network failed during the request: nothing was changed, try again"
	}
	return ""
}
