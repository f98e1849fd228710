// Package sandboxtest is the one test rig that puts the simulated
// My-CoolPay server on a real loopback HTTP server for a test's life, and
// builds clients that talk to it. Tests of every layer (client, ui/core,
// ui/batch, the screens, the commands) use it rather than mocks: the client
// is tested over real HTTP against the sandbox. It is a test-support
// package (listed in .ci/deadcode-allow): the program never imports it.
package sandboxtest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// Env is a running sandbox.
type Env struct {
	SB  *sandbox.Server
	Srv *httptest.Server
	// BaseURL is the API root to configure a client or the binary with
	// (COOLPAY_BASE_URL): the server's address plus /api.
	BaseURL string
	// PrivateKey is the one the sandbox checks (cfg.PrivateKey, or the
	// sandbox's default).
	PrivateKey string
}

// Start runs a sandbox with cfg until the test ends. A zero ConfirmAfter
// becomes 30 ms, so payments settle quickly but not at once.
func Start(t testing.TB, cfg sandbox.Config) *Env {
	t.Helper()
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 30 * time.Millisecond
	}
	if cfg.PrivateKey == "" {
		cfg.PrivateKey = sandbox.DefaultPrivateKey
	}
	sb := sandbox.New(cfg)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	return &Env{SB: sb, Srv: srv, BaseURL: srv.URL + "/api", PrivateKey: cfg.PrivateKey}
}

// Client returns a client for the sandbox's public key and base URL that
// answers the sandbox's private key; opts come last and win.
func (e *Env) Client(opts ...client.Option) *client.Client {
	key := e.PrivateKey
	base := []client.Option{
		client.WithBaseURL(e.BaseURL),
		client.WithPrivateKey(func(context.Context) (string, error) { return key, nil }),
	}
	return client.New(e.SB.PublicKey(), append(base, opts...)...)
}
