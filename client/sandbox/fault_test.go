package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
)

// rawPost sends a JSON body and returns the answer without decoding it.
func rawPost(ctx context.Context, url string, body any, hdr ...string) (*http.Response, []byte, error) {
	data, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func withReason(m map[string]any, reason string) map[string]any {
	m["transaction_reason"] = reason
	return m
}

func TestTimeoutFaultActsThenAnswersLate(t *testing.T) {
	e := newEnv(t, Config{TimeoutDelay: 200 * time.Millisecond})
	start := time.Now()
	resp, body, err := rawPost(t.Context(), e.base+"/payout", withReason(payoutBody(1000), "sandbox:timeout"), "X-PRIVATE-KEY", testPriv)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) < 200*time.Millisecond {
		t.Fatal("answered before TimeoutDelay")
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Successful transaction !") {
		t.Fatalf("late answer: %d %s", resp.StatusCode, body)
	}
	if b := e.balance(t); b != "998980" {
		t.Fatalf("balance %s: the delayed payout was not made", b)
	}
}

func TestTimeoutFaultWhenTheClientGivesUpTheServerStillActed(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{TimeoutDelay: time.Hour, CallbackURL: rc.ts.URL})
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/payin", withReason(payinBody(100, phoneOrange), "sandbox:timeout")},
		{"/payout", withReason(payoutBody(1000), "sandbox:timeout")},
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		_, _, err := rawPost(ctx, e.base+c.path, c.body, "X-PRIVATE-KEY", testPriv)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("%s: err %v, want the client's timeout", c.path, err)
		}
	}
	// The ambiguity is real: both transactions exist and reach their outcome.
	eventually(t, func() bool { return len(rc.all()) == 2 }, "two callbacks")
	for _, b := range rc.all() {
		var cb client.Callback
		if err := json.Unmarshal(b, &cb); err != nil {
			t.Fatal(err)
		}
		s := e.status(t, cb.TransactionRef)
		if s.str("transaction_status") != "SUCCESS" || s.str("transaction_reason") != "sandbox:timeout" {
			t.Fatalf("%s acted on behind a timeout: %s", cb.TransactionType, s.raw)
		}
	}
	if b := e.balance(t); b != itoa(1_000_000+98-1020) {
		t.Fatalf("balance %s", b)
	}
}

func TestDropFaultActsThenClosesTheConnection(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	resp, _, err := rawPost(t.Context(), e.base+"/payin", withReason(payinBody(100, phoneOrange), "sandbox:drop"))
	if err == nil {
		t.Fatalf("dropped payin answered %d", resp.StatusCode)
	}
	_, _, err = rawPost(t.Context(), e.base+"/payout", withReason(payoutBody(1000), "sandbox:drop"), "X-PRIVATE-KEY", testPriv)
	if err == nil {
		t.Fatal("dropped payout answered")
	}
	if st := e.srv.Stats(); st.Payin != 1 || st.Payout != 1 {
		t.Fatalf("stats %+v: the client must not have resent a money call", st)
	}
	eventually(t, func() bool { return len(rc.all()) == 2 }, "two callbacks")
	if e.srv.txCount() != 2 {
		t.Fatal("dropped requests were not acted on")
	}
	if b := e.balance(t); b != itoa(1_000_000+98-1020) {
		t.Fatalf("balance %s", b)
	}
}

func TestDropFaultOnPaylinkCreatesIt(t *testing.T) {
	e := newEnv(t, Config{})
	if _, _, err := rawPost(t.Context(), e.base+"/paylink", map[string]any{"transaction_amount": 100, "transaction_reason": "sandbox:drop"}); err == nil {
		t.Fatal("dropped paylink answered")
	}
	if e.srv.txCount() != 1 {
		t.Fatal("dropped paylink was not created")
	}
}

func TestNothingDoneFaults(t *testing.T) {
	rc := newReceiver(t)
	clock := newFakeClock()
	e := newEnv(t, Config{CallbackURL: rc.ts.URL, ConfirmAfter: fakeConfirm, Now: clock.Now})
	for _, c := range []struct {
		reason, ctype string
		code          int
	}{
		{"sandbox:500", "text/html", http.StatusInternalServerError},
		{"sandbox:badjson", "application/json", http.StatusCreated},
	} {
		for _, call := range []struct {
			path string
			body map[string]any
		}{
			{"/paylink", map[string]any{"transaction_amount": 100}},
			{"/payin", payinBody(100, phoneOrange)},
			{"/payin", payinBody(100, phoneOTP)},
			{"/payout", payoutBody(1000)},
		} {
			resp, body, err := rawPost(t.Context(), e.base+call.path, withReason(call.body, c.reason), "X-PRIVATE-KEY", testPriv)
			if err != nil {
				t.Fatalf("%s %s: %v", c.reason, call.path, err)
			}
			if resp.StatusCode != c.code || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.ctype) {
				t.Fatalf("%s %s: %d %s", c.reason, call.path, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if json.Valid(body) {
				t.Fatalf("%s %s: body is JSON: %s", c.reason, call.path, body)
			}
		}
	}
	clock.Advance(e.srv, 3*fakeConfirm) // past ConfirmAfter: nothing may surface
	if n := e.srv.txCount(); n != 0 {
		t.Fatalf("%d transactions made by nothing-done faults", n)
	}
	if b := e.balance(t); b != "1000000" {
		t.Fatalf("balance %s", b)
	}
	e.srv.Close() // waits for any callback in flight
	if n := len(rc.all()); n != 0 {
		t.Fatalf("%d callbacks", n)
	}
	if st := e.srv.Stats(); st.Paylink != 2 || st.Payin != 4 || st.Payout != 2 || st.Callbacks != 0 {
		t.Fatalf("stats %+v: faulted requests are still counted", st)
	}
}

func TestFaultsApplyOnlyToValidRequests(t *testing.T) {
	e := newEnv(t, Config{})
	// A request refused anyway is refused plainly, whatever its reason says.
	expectError(t, e.post(t, "/payin", withReason(payinBody(100, "123"), "sandbox:500")),
		http.StatusUnprocessableEntity, "customer_phone_number")
	expectError(t, e.post(t, "/payout", withReason(payoutBody(100), "sandbox:drop")), http.StatusUnauthorized, "X-PRIVATE-KEY")
	// Other sandbox: reasons are just text.
	r := e.post(t, "/payin", withReason(payinBody(100, phoneOrange), "sandbox:other"))
	if r.code != http.StatusCreated {
		t.Fatalf("unknown fault: %d %s", r.code, r.raw)
	}
}

func TestCloseAnswersDelayedRequestsAtOnce(t *testing.T) {
	e := newEnv(t, Config{TimeoutDelay: time.Hour})
	done := make(chan int, 1)
	go func() {
		resp, _, err := rawPost(context.Background(), e.base+"/payin", withReason(payinBody(100, phoneOrange), "sandbox:timeout"))
		if err != nil {
			done <- 0
			return
		}
		done <- resp.StatusCode
	}()
	eventually(t, func() bool { return e.srv.txCount() == 1 }, "the delayed payin to be made")
	e.srv.Close()
	select {
	case code := <-done:
		if code != http.StatusCreated {
			t.Fatalf("answer after Close: %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close left a delayed request hanging")
	}
}
