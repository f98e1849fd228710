package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// TestNetworkFailuresAreNamedByWhatTheyMean: real failures against real
// sockets, each named by NetCause and explained in a sentence that never
// repeats Go's text ("Post …: EOF"); on a call that moves money, the ones
// where the request may have left say the outcome is unknown, the ones
// where it cannot have left say nothing was sent.
func TestNetworkFailuresAreNamedByWhatTheyMean(t *testing.T) {
	ctx := ctxT(t)
	key := client.WithPrivateKey(func(context.Context) (string, error) { return testPrivate, nil })
	retryOff := client.WithRetry(1, time.Millisecond)

	// Closed before the answer: the sandbox acts, then drops the connection.
	e := newEnv(t, sandbox.Config{})
	r := payoutReq("500")
	r.TransactionReason = "sandbox:drop"
	_, err := e.c.Payout(ctx, r)
	wantCause(t, "dropped payout", err, client.NetClosed, true, "the connection closed before the answer: the outcome is unknown")

	// No answer in time.
	e = newEnv(t, sandbox.Config{TimeoutDelay: 5 * time.Second})
	short := client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"), key,
		client.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	r.TransactionReason = "sandbox:timeout"
	_, err = short.Payout(ctx, r)
	wantCause(t, "payout timed out", err, client.NetTimeout, true, "no answer in time: the outcome is unknown")

	// Nothing listens: refused, nothing sent, even for a payout.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	down := client.New(testPublic, client.WithBaseURL("http://"+addr+"/api"), key, retryOff)
	_, err = down.Payout(ctx, payoutReq("500"))
	wantCause(t, "refused payout", err, client.NetRefused, false, "the connection was refused")
	_, err = down.CheckStatus(ctx, "x")
	wantCause(t, "refused status", err, client.NetRefused, false, "nothing was sent")

	// A name that cannot exist (.invalid is reserved).
	nowhere := client.New(testPublic, client.WithBaseURL("http://coolpay-test.invalid/api"), key, retryOff, client.WithInsecureHTTP())
	_, err = nowhere.CheckStatus(ctx, "x")
	wantCause(t, "unknown host", err, client.NetDNS, false, "the server's name was not found")

	// A certificate the system does not trust: the handshake fails before
	// the payout's request is written, so it was not sent.
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsSrv.Close)
	untrusted := client.New(testPublic, client.WithBaseURL(tlsSrv.URL+"/api"), key, retryOff)
	_, err = untrusted.Payout(ctx, payoutReq("500"))
	wantCause(t, "untrusted certificate", err, client.NetTLS, false, "the secure connection failed")

	// Stopped by the person (Ctrl-C): not a network failure.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := e.c.CheckStatus(cctx, "x"); client.NetCause(err) != "" {
		t.Errorf("a cancelled call is named %q: %v", client.NetCause(err), err)
	}
	// Answers are not network failures.
	_, err = e.c.CheckStatus(ctx, "no-such-ref")
	if c := client.NetCause(err); c != "" || client.Explain(err) != "" {
		t.Errorf("a 404 answer is named %q", c)
	}
}

func wantCause(t *testing.T, what string, err error, cause string, unknown bool, sentence string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error", what)
	}
	if got := client.NetCause(err); got != cause {
		t.Errorf("%s: cause %q, want %q (%v)", what, got, cause, err)
	}
	var amb *client.AmbiguousError
	if errors.As(err, &amb) != unknown {
		t.Errorf("%s: ambiguous = %v, want %v (%v)", what, !unknown, unknown, err)
	}
	ex := client.Explain(err)
	if !strings.HasPrefix(ex, sentence) && !strings.Contains(ex, sentence) {
		t.Errorf("%s: explained as %q, want %q", what, ex, sentence)
	}
	for _, raw := range []string{"EOF", "dial tcp", "Post ", "Get ", "x509", "127.0.0.1"} {
		if strings.Contains(ex, raw) {
			t.Errorf("%s: the explanation repeats Go's words %q: %q", what, raw, ex)
		}
	}
}
