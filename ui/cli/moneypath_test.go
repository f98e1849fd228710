package cli_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// statusDown fails every checkStatus exchange (the network drops just
// then) and passes the rest.
type statusDown struct{}

func (statusDown) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.Contains(req.URL.Path, "/checkStatus") {
		return nil, io.ErrUnexpectedEOF
	}
	return http.DefaultTransport.RoundTrip(req)
}

// TestReportSaysFeesUnknownUntilReconcileAsks: a payout paid at once whose
// fee look-up failed is counted in `coolpay report` as "fees unknown" (in
// the user's language and in the JSON), never as zero fees; `coolpay
// reconcile` asks for them once and prints them; the report is then whole.
func TestReportSaysFeesUnknownUntilReconcileAsks(t *testing.T) {
	e := newCLIEnv(t)
	db, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(e.url), client.WithRetry(1, 0),
		client.WithHTTPClient(&http.Client{Transport: statusDown{}}),
		client.WithPrivateKey(func(context.Context) (string, error) { return sbKey, nil }))
	rec, err := core.New(core.Config{Client: c, Store: db}).Payout(context.Background(),
		core.PayoutInput{Operator: "CM_OM", Amount: "295000", Phone: "690112233"})
	db.Close()
	if err != nil || rec.State != store.StateSuccess || rec.Fees != "" {
		t.Fatalf("payout: %v %s fees %q", err, rec.State, rec.Fees)
	}

	out, errs, code := e.run("report", "--lang", "fr")
	if code != 0 || !strings.Contains(out, "Frais inconnus pour 1 transaction(s) réussie(s)") {
		t.Fatalf("report fr: %d %q %q", code, out, errs)
	}
	out, _, _ = e.run("report", "--json")
	var rep struct {
		Groups []struct {
			State       string `json:"state"`
			FeesUnknown int    `json:"fees_unknown"`
		} `json:"groups"`
	}
	if json.Unmarshal([]byte(out), &rep) != nil || len(rep.Groups) != 1 || rep.Groups[0].FeesUnknown != 1 {
		t.Fatalf("report --json: %s", out)
	}

	out, errs, code = e.run("reconcile")
	if code != 0 || !strings.Contains(out, rec.TransactionRef+"  fees 5 900 XAF") {
		t.Fatalf("reconcile: %d %q %q", code, out, errs)
	}
	out, _, _ = e.run("report")
	if strings.Contains(out, "Fees unknown") || !strings.Contains(out, "5 900") {
		t.Fatalf("report after reconcile:\n%s", out)
	}
	if out, _, _ = e.run("reconcile"); strings.Contains(out, "fees") {
		t.Fatalf("the fees were asked again:\n%s", out)
	}
}

// TestCommandsSayWhatANetworkFailureMeans: with nothing listening at the
// base URL, `coolpay status` says in the user's language that the
// connection was refused and nothing was sent, and keeps Go's own words
// only on a details line.
func TestCommandsSayWhatANetworkFailureMeans(t *testing.T) {
	e := newCLIEnv(t)
	if db, err := store.Open(e.db, store.Options{}); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.env["COOLPAY_BASE_URL"] = "http://" + ln.Addr().String() + "/api"
	ln.Close()
	for lang, want := range map[string]string{"en": "the connection was refused", "fr": "connexion refusée"} {
		_, errs, code := e.run("status", "some-ref", "--lang", lang)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code == 0 || len(lines) != 2 || !strings.Contains(lines[0], want) || strings.Contains(lines[0], "dial tcp") ||
			!strings.Contains(lines[1], "dial tcp") {
			t.Errorf("%s: exit %d, stderr:\n%s", lang, code, errs)
		}
	}
}

// TestCommandsShowTheAPIsKnownRefusalsInFrench: `coolpay status` on a
// reference the API does not know says so in French with --lang fr (the
// API speaks English only), with the HTTP status kept.
func TestCommandsShowTheAPIsKnownRefusalsInFrench(t *testing.T) {
	e := newCLIEnv(t)
	if db, err := store.Open(e.db, store.Options{}); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	_, errs, code := e.run("status", "no-such-ref", "--lang", "fr")
	if code == 0 || !strings.Contains(errs, "Refusé par My-CoolPay : Transaction introuvable (HTTP 404)") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if _, errs, _ = e.run("status", "no-such-ref", "--lang", "en"); !strings.Contains(errs, "Transaction not found (HTTP 404)") {
		t.Fatalf("english: %q", errs)
	}
}
