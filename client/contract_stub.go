package client

// CONTRACT STUB — the client helper replaces this file with real code in
// client.go, errors.go, validate.go, paylink.go, payin.go, payout.go,
// status.go, balance.go, callback.go. Signatures here are the agreed API.

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// DefaultBaseURL is the vendor's API root; the public key follows it.
const DefaultBaseURL = "https://my-coolpay.com/api"

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
