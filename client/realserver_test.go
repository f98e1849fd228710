package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// What the real server is known (or reported) to send, through the client.

const ipSentence = "this machine's address is not on the merchant's payout IP allow-list (or the base URL is wrong)"

// A payout refused by the allow-list moves nothing: the sandbox's balance
// and its count of transactions are as before.
func wantNothingMoved(t *testing.T, e *env) {
	t.Helper()
	if b := e.sb.Balance(); b != sandbox.DefaultBalance {
		t.Fatalf("balance %d after a refused payout, want %d", b, sandbox.DefaultBalance)
	}
}

func TestPayoutIPRejectRedirectIsRejectedNotFollowed(t *testing.T) {
	// StrictIP: the test's loopback address is not allow-listed either.
	e := newEnv(t, sandbox.Config{StrictIP: true}) // IPReject default: redirect
	e.rec.keepBody = true
	_, err := e.c.Payout(ctxT(t), payoutReq("500"))
	ae := wantAPIError(t, err, http.StatusFound, ipSentence)
	if !errors.Is(err, client.ErrPayoutIPNotAllowed) {
		t.Fatalf("errors.Is(ErrPayoutIPNotAllowed) false for %v", err)
	}
	x := e.rec.last(t)
	if e.rec.count() != 1 || !strings.Contains(string(x.respBody), "Redirecting") {
		t.Fatalf("want exactly one request answered by the redirect page; %d sent, body %q", e.rec.count(), x.respBody)
	}
	if !strings.Contains(ae.Body, "Redirecting") {
		t.Fatalf("the error keeps the page for the record: %q", ae.Body)
	}
	wantNothingMoved(t, e)
}

// Even a caller's *http.Client that follows redirects (Go's default) must
// not turn the redirect into a success on a money call.
func TestPayoutIPRejectRedirectWithFollowingHTTPClient(t *testing.T) {
	e := newEnv(t, sandbox.Config{StrictIP: true})
	hc := &http.Client{Transport: e.rec} // CheckRedirect nil: Go would follow
	c := client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"), client.WithHTTPClient(hc), client.WithPrivateKey(keyFunc))
	_, err := c.Payout(ctxT(t), payoutReq("500"))
	wantAPIError(t, err, http.StatusFound, ipSentence)
	if e.rec.count() != 1 {
		t.Fatalf("%d requests: the redirect was followed", e.rec.count())
	}
	wantNothingMoved(t, e)
}

func keyFunc(context.Context) (string, error) { return testPrivate, nil }

func TestPayoutIPRejectJSONIsRejected(t *testing.T) {
	e := newEnv(t, sandbox.Config{StrictIP: true, IPReject: sandbox.IPRejectJSON})
	_, err := e.c.Payout(ctxT(t), payoutReq("500"))
	ae := wantAPIError(t, err, http.StatusForbidden, ipSentence)
	if !errors.Is(err, client.ErrPayoutIPNotAllowed) || !strings.Contains(ae.Message, "IP address not allowed") {
		t.Fatalf("want the clear sentence and the server's own words: %v", err)
	}
	wantNothingMoved(t, e)
}

func TestPayoutIPRejectHangIsUnknownWithTheHint(t *testing.T) {
	e := newEnv(t, sandbox.Config{StrictIP: true, IPReject: sandbox.IPRejectHang})
	// The client gives up after its own timeout; the sandbox never answers.
	e.c = client.New(testPublic, client.WithBaseURL(e.srv.URL+"/api"),
		client.WithHTTPClient(&http.Client{Transport: e.rec, Timeout: 300 * time.Millisecond}),
		client.WithPrivateKey(keyFunc))
	start := time.Now()
	_, err := e.c.Payout(ctxT(t), payoutReq("500"))
	amb := wantAmbiguous(t, err, "payout")
	if time.Since(start) > 5*time.Second {
		t.Fatalf("the client waited %s", time.Since(start))
	}
	if !amb.MaybePayoutIPNotAllowed || !strings.Contains(amb.Hint, "allow-list (or the base URL is wrong)") || !strings.Contains(err.Error(), amb.Hint) {
		t.Fatalf("the ambiguous error does not say what a hang may mean: %v", err)
	}
	if errors.Is(err, client.ErrPayoutIPNotAllowed) {
		t.Fatal("a hang is not a known refusal: the server may have acted")
	}
	if e.rec.count() != 1 {
		t.Fatalf("%d requests, want 1 (money calls are never retried)", e.rec.count())
	}
	wantNothingMoved(t, e)
}

// Without --strict-ip the loopback address stays allowed, whatever the mode.
func TestLoopbackPayoutAllowedUnlessStrict(t *testing.T) {
	for _, mode := range []string{sandbox.IPRejectRedirect, sandbox.IPRejectHang, sandbox.IPRejectJSON} {
		e := newEnv(t, sandbox.Config{IPReject: mode})
		if res, err := e.c.Payout(ctxT(t), payoutReq("500")); err != nil || res.HTTPStatus != http.StatusOK {
			t.Fatalf("%s: loopback payout: %+v %v", mode, res, err)
		}
	}
}

// Only payouts are checked against the allow-list: a redirect elsewhere is
// the generic "redirect instead of JSON", not the allow-list sentence.
func TestRedirectOnOtherCallsIsNotBlamedOnTheAllowList(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, "/", http.StatusFound)
	})
	_, err := f.client().Payin(ctxT(t), payinReq("100", "699009911"))
	ae := wantAPIError(t, err, http.StatusFound, "redirect")
	if errors.Is(err, client.ErrPayoutIPNotAllowed) || strings.Contains(ae.Message, "allow-list") {
		t.Fatalf("a payin redirect blamed on the payout allow-list: %v", err)
	}
}

// The vendor's REST client reads an error's text from "message" or "msg".
func TestErrorTextReadFromMsg(t *testing.T) {
	e := newEnv(t, sandbox.Config{ErrorField: sandbox.ErrorFieldMsg})
	e.rec.keepBody = true
	_, err := e.c.CheckStatus(ctxT(t), "no-such-ref")
	wantAPIError(t, err, http.StatusNotFound, "Transaction not found")
	if body := string(e.rec.last(t).respBody); !strings.Contains(body, `"msg":"Transaction not found"`) || strings.Contains(body, `"message"`) {
		t.Fatalf("the sandbox did not word its error in msg: %s", body)
	}
	for body, want := range map[string]string{
		`{"status":"error","msg":"Solde insuffisant"}`:                    "Solde insuffisant",
		`{"status":"error","message":"from message","msg":"from msg"}`:    "from message",
		`{"status":"error","message":"","msg":"msg when message empty"}`:  "msg when message empty",
		`{"status":"error","message":null,"msg":"msg when message null"}`: "msg when message null",
	} {
		f := newFake(t, answer(http.StatusBadRequest, "application/json", body))
		_, err := f.client().CheckStatus(ctxT(t), "ref")
		wantAPIError(t, err, http.StatusBadRequest, want)
	}
}
