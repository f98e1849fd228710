package client

// CONTRACT STUB — the client helper replaces this file with real code in
// client.go, errors.go, validate.go, paylink.go, payin.go, payout.go,
// status.go, balance.go, callback.go. Signatures here are the agreed API.

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// DefaultBaseURL is the vendor's API root; the public key follows it.
const DefaultBaseURL = "https://my-coolpay.com/api"

// VendorCallbackIP is the address My-CoolPay sends callbacks from.
const VendorCallbackIP = "15.236.140.89"

// SandboxPublicKey is the vendor's documented public sandbox key.
const SandboxPublicKey = "118a4852-7df8-46d9-834b-23b4ef25aaab"

// Client talks to the My-CoolPay API for one public key.
type Client struct{}

// Option configures a Client.
type Option func(*Client)

// KeyFunc fetches the private key only when a call needs it.
type KeyFunc func(ctx context.Context) (string, error)

func New(publicKey string, opts ...Option) *Client { panic("stub") }
func WithBaseURL(u string) Option                  { panic("stub") }
func WithHTTPClient(h *http.Client) Option         { panic("stub") }
func WithPrivateKey(f KeyFunc) Option              { panic("stub") }
func WithUserAgent(ua string) Option               { panic("stub") }
func WithLogger(l *slog.Logger) Option             { panic("stub") }
func WithRetry(max int, base time.Duration) Option { panic("stub") } // GET calls only
func (c *Client) PublicKey() string                { panic("stub") }
func (c *Client) BaseURL() string                  { panic("stub") }
func (c *Client) Paylink(ctx context.Context, r PaylinkRequest) (*PaylinkResponse, error) {
	panic("stub")
}
func (c *Client) Payin(ctx context.Context, r PayinRequest) (*PayinResponse, error) { panic("stub") }
func (c *Client) AuthorizePayin(ctx context.Context, r AuthorizeRequest) (*PayinResponse, error) {
	panic("stub")
}
func (c *Client) Payout(ctx context.Context, r PayoutRequest) (*PayoutResponse, error) { panic("stub") }
func (c *Client) CheckStatus(ctx context.Context, ref string) (*StatusResponse, error) { panic("stub") }
func (c *Client) CheckStatusLegacy(ctx context.Context, ref string) (*StatusResponse, error) {
	panic("stub")
}
func (c *Client) Balance(ctx context.Context) (*BalanceResponse, error) { panic("stub") }

// APIError: the server answered, and the answer is an error (non-2xx, status != success, or not JSON).
type APIError struct {
	HTTPStatus int    // e.g. 401
	Status     string // envelope "status", e.g. "error"; "" when the body was not JSON
	Message    string // server message, or a clear description for non-JSON bodies
	Body       string // bounded copy of the raw body
}

func (e *APIError) Error() string { panic("stub") }

// AmbiguousError: a money-moving call whose outcome is unknown (network error,
// timeout, 5xx, unreadable 2xx body): the server may have acted. Never retried.
type AmbiguousError struct {
	Op  string // "payin", "payout", ...
	Err error
}

func (e *AmbiguousError) Error() string { panic("stub") }
func (e *AmbiguousError) Unwrap() error { panic("stub") }

// ValidationError: local validation refused the input; nothing was sent.
type ValidationError struct {
	Field   string // the JSON field name, e.g. "transaction_amount"
	Code    string // stable machine code, e.g. "amount_fraction" (UI translates by Code)
	Message string // English message
}

func (e *ValidationError) Error() string { panic("stub") }

// Validation helpers (pure). Each returns *ValidationError on bad input.
func ParseAmount(text, currency string) (json.Number, error) { panic("stub") } // "1 500" -> "1500"
func NormalizePhone(text string) (string, error)             { panic("stub") } // "+237 690 000 000" -> "690000000"
func PhoneOperator(phone string) string                      { panic("stub") } // normalised phone -> CM_OM / CM_MOMO / ""
func (r PaylinkRequest) Validate() error                     { panic("stub") }
func (r PayinRequest) Validate() error                       { panic("stub") }
func (r PayoutRequest) Validate() error                      { panic("stub") }

// Callback verification.
func Signature(c Callback, privateKey string) string      { panic("stub") } // md5 hex per API.md
func SignCallback(c Callback, privateKey string) Callback { panic("stub") }
func VerifyCallback(body []byte, publicKey, privateKey string) (*Callback, error) {
	panic("stub")
}

// CallbackIPPolicy decides whether a callback request comes from the vendor.
type CallbackIPPolicy struct {
	Allowed      []string     // default: VendorCallbackIP
	TrustedProxy []*net.IPNet // X-Forwarded-For honoured only when the peer is in one of these
}

func (p CallbackIPPolicy) Allow(r *http.Request) bool { panic("stub") }
