package sandbox

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/coolpay/coolpay/client"
)

// TestRequestLogNamesTheTransactionADroppedAnswerHid: a payout the sandbox
// carries out and then drops the connection on leaves the client without
// its transaction_ref; the request log is the sandbox's own record, so it
// names it, and that reference is one checkStatus knows (the attach flow
// can be tried with it).
func TestRequestLogNamesTheTransactionADroppedAnswerHid(t *testing.T) {
	var log syncBuf
	e := newEnv(t, Config{RequestLog: &log})
	c := client.New(testPub, client.WithBaseURL(e.ts.URL+"/api"),
		client.WithPrivateKey(func(context.Context) (string, error) { return testPriv, nil }))
	_, err := c.Payout(t.Context(), client.PayoutRequest{TransactionAmount: "2500", TransactionOperator: client.OperatorOM,
		CustomerPhoneNumber: "699009911", TransactionReason: "sandbox:drop"})
	var amb *client.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("want the answer lost: %v", err)
	}
	// The line is written once the handler returns, which may be just
	// after the client saw the connection drop.
	var m []string
	eventually(t, func() bool {
		m = regexp.MustCompile(`/payout .*fault sandbox:drop.* transaction_ref (\S+)`).FindStringSubmatch(log.String())
		return m != nil
	}, "the log to name the dropped payout's transaction_ref:\n%s", &log)
	st, err := c.CheckStatus(t.Context(), m[1])
	if err != nil || st.TransactionType != client.TypePayout || string(st.TransactionAmount) != "2500" {
		t.Fatalf("the logged reference %q is not the payout's: %+v %v", m[1], st, err)
	}
}
