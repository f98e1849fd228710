package components

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestClientErrorsReachTheScreenInPlainWords: what the console shows for
// real network failures and for the API's known refusals, in English and
// French: what it means, never Go's "Post …: EOF", never the API's
// English inside the French console.
func TestClientErrorsReachTheScreenInPlainWords(t *testing.T) {
	en, fr := i18n.New(i18n.EN), i18n.New(i18n.FR)
	e := sandboxtest.Start(t, sandbox.Config{PrivateKey: "k"})
	c := e.Client()
	ctx := context.Background()

	_, dropped := c.Payout(ctx, client.PayoutRequest{TransactionAmount: "500", TransactionOperator: client.OperatorOM,
		CustomerPhoneNumber: "699009911", TransactionReason: "sandbox:drop"})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	_, refused := client.New(e.SB.PublicKey(), client.WithBaseURL("http://"+addr+"/api"), client.WithRetry(1, time.Millisecond)).
		CheckStatus(ctx, "x")
	_, insufficient := c.Payout(ctx, client.PayoutRequest{TransactionAmount: "9000000", TransactionOperator: client.OperatorOM,
		CustomerPhoneNumber: "699009911"})
	_, badPhone := c.Payin(ctx, client.PayinRequest{TransactionAmount: "500", CustomerPhoneNumber: "622 12 34 56"})
	other := client.New("no-such-key", client.WithBaseURL(e.BaseURL), client.WithHTTPClient(&http.Client{}))
	_, unknownApp := other.CheckStatus(ctx, "x")

	for _, tc := range []struct {
		name   string
		err    error
		en, fr string
	}{
		{"dropped payout", dropped, "The connection closed before the answer: the outcome is unknown", "La connexion s'est fermée avant la réponse : issue inconnue"},
		{"refused", refused, "the connection was refused", "connexion refusée"},
		{"insufficient balance", insufficient, "Insufficient balance", "Solde insuffisant"},
		{"phone of no operator", badPhone, "neither MTN nor Orange", "ni MTN ni Orange"},
		{"unknown public key", unknownApp, "no application has this public key", "aucune application n'a cette clé publique"},
	} {
		if tc.err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		gotEN, gotFR := ErrorText(tc.err).String(en), ErrorText(tc.err).String(fr)
		if !strings.Contains(gotEN, tc.en) || !strings.Contains(gotFR, tc.fr) {
			t.Errorf("%s:\n en %q\n fr %q", tc.name, gotEN, gotFR)
		}
		for _, raw := range []string{"EOF", "dial tcp", "Post ", "Get ", "coolpay:"} {
			if strings.Contains(gotEN, raw) || strings.Contains(gotFR, raw) {
				t.Errorf("%s: Go's words %q on screen: %q / %q", tc.name, raw, gotEN, gotFR)
			}
		}
	}
	// The plain sentence a record keeps for an unknown outcome is shown in
	// French too (History's detail).
	if got := common.APIMessage(fr, client.Explain(dropped)); !strings.HasPrefix(got, "La connexion s'est fermée") {
		t.Errorf("record message in French: %q", got)
	}
	// The sandbox's refusals, translated where the French console shows them.
	for msg, want := range map[string]string{
		"customer_phone_number is neither an Orange Money nor an MTN Mobile Money number": "ni un numéro Orange Money ni un numéro MTN",
		"transaction_operator must be MCP, CM_MOMO or CM_OM":                              "L'opérateur doit être",
		"Missing private key: send it in the X-PRIVATE-KEY header":                        "Clé privée absente",
	} {
		if got := common.APIMessage(fr, msg); !strings.Contains(got, want) {
			t.Errorf("%q in French: %q", msg, got)
		}
	}
}
