package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
)

func TestCallbacksAreSentOnceSignedForEveryFinalTransaction(t *testing.T) {
	rc := newReceiver(t)
	clock := newFakeClock()
	e := newEnv(t, Config{CallbackURL: rc.ts.URL, ConfirmAfter: fakeConfirm, Now: clock.Now})
	want := map[string]string{}
	for amount, status := range map[int]string{100: "SUCCESS", 1001: "FAILED", 502: "CANCELED"} {
		want[e.post(t, "/payin", payinBody(amount, phoneMTN)).str("transaction_ref")] = status
	}
	for amount, status := range map[int]string{1000: "SUCCESS", 1007: "SUCCESS", 2001: "FAILED"} {
		want[e.payout(t, payoutBody(amount)).str("transaction_ref")] = status
	}
	pending := e.post(t, "/payin", payinBody(103, phoneOrange)).str("transaction_ref")
	clock.Advance(e.srv, fakeConfirm)
	// A delivery is counted when its goroutine ends.
	eventually(t, func() bool { return e.srv.Stats().Callbacks >= len(want) }, "%d callbacks", len(want))
	// Every later look at the clock must find nothing more to send: a
	// duplicate's goroutine would be counted in Stats even if Close cut it.
	clock.Advance(e.srv, 3*fakeConfirm)
	e.status(t, pending)
	e.srv.Close() // waits for callback goroutines
	if n := len(rc.all()); n != len(want) {
		t.Fatalf("%d callbacks, want exactly %d (one per final transaction)", n, len(want))
	}
	for ref, status := range want {
		cbs := rc.forRef(t, ref)
		if len(cbs) != 1 {
			t.Fatalf("%s: %d callbacks", ref, len(cbs))
		}
		checkCallback(t, cbs[0], testPub, testPriv, status)
		// Same facts as the status check.
		s := e.status(t, ref)
		for _, k := range []string{"app_transaction_ref", "operator_transaction_ref", "transaction_type",
			"transaction_currency", "transaction_operator", "transaction_reason", "customer_phone_number", "transaction_message"} {
			if rawString(t, cbs[0], k) != s.str(k) {
				t.Errorf("%s: callback %s %s, status %q", ref, k, cbs[0][k], s.str(k))
			}
		}
		if string(cbs[0]["transaction_amount"]) != s.num("transaction_amount") || string(cbs[0]["transaction_fees"]) != s.num("transaction_fees") {
			t.Errorf("%s: callback amount/fees differ from status", ref)
		}
		// The client's verifier agrees with the independent md5.
		body, _ := json.Marshal(cbs[0])
		if _, err := client.VerifyCallbackBody("application/json", body, testPub, testPriv); err != nil {
			t.Errorf("client.VerifyCallbackBody refuses a sandbox callback: %v", err)
		}
	}
	if len(rc.forRef(t, pending)) != 0 {
		t.Fatal("callback for a transaction that is still PENDING")
	}
	if st := e.srv.Stats(); st.Callbacks != len(want) || st.CallbackFailures != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCallbackIsNeverRetried(t *testing.T) {
	rc := newReceiver(t)
	rc.code, rc.answer = http.StatusInternalServerError, "KO"
	clock := newFakeClock()
	e := newEnv(t, Config{CallbackURL: rc.ts.URL, ConfirmAfter: fakeConfirm, Now: clock.Now})
	ref := e.payout(t, payoutBody(1000)).str("transaction_ref")
	clock.Advance(e.srv, fakeConfirm)
	// The delivery is counted when its goroutine ends (every attempt made).
	eventually(t, func() bool { return e.srv.Stats().Callbacks >= 1 }, "the delivery to end")
	clock.Advance(e.srv, 24*time.Hour) // any later sweep must not send it again
	e.srv.Close()                      // waits for callback goroutines
	if n := len(rc.forRef(t, ref)); n != 1 {
		t.Fatalf("%d deliveries of a refused callback, want 1", n)
	}
	if st := e.srv.Stats(); st.Callbacks != 1 || st.CallbackFailures != 1 {
		t.Fatalf("stats %+v, want one failed delivery", st)
	}
}

func TestNoCallbackWithoutURL(t *testing.T) {
	e := newEnv(t, Config{})
	e.payout(t, payoutBody(1000))
	e.srv.Close()
	if st := e.srv.Stats(); st.Callbacks != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestCloseCancelsASlowCallback(t *testing.T) {
	arrived := make(chan struct{}, 1)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // the server notices a gone client only once the body is read
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	e := newEnv(t, Config{CallbackURL: slow.URL})
	e.payout(t, payoutBody(1000))
	<-arrived
	start := time.Now()
	e.srv.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Close took %v with a callback in flight", d)
	}
	if st := e.srv.Stats(); st.CallbackFailures != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAfterCloseTheHandlerStillAnswersButSendsNoCallback(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	e.srv.Close()
	ref := e.post(t, "/payin", payinBody(100, phoneOrange)).str("transaction_ref")
	e.waitStatus(t, ref, "SUCCESS") // applied on read, without timers
	if len(rc.all()) != 0 {
		t.Fatal("callback after Close")
	}
}
