package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestListenServesTheAPIAndShutsDown(t *testing.T) {
	run, err := Listen("127.0.0.1:0", Config{ConfirmAfter: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	u := run.URL()
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/api$`).MatchString(u) {
		t.Fatalf("URL() = %q", u)
	}
	// Defaults: the vendor's sandbox public key and DefaultPrivateKey.
	req, _ := http.NewRequest(http.MethodGet, u+"/118a4852-7df8-46d9-834b-23b4ef25aaab/balance", nil)
	req.Header.Set("X-PRIVATE-KEY", DefaultPrivateKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Status  string
		Balance int64
	}
	_ = json.NewDecoder(resp.Body).Decode(&b)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || b.Balance != 1_000_000 {
		t.Fatalf("balance over Listen: %d %+v", resp.StatusCode, b)
	}
	if run.Server().Stats().Balance != 1 {
		t.Fatal("Server() is not the handler that answered")
	}
	// A paylink's payment_url points at the listening host and port.
	resp, err = http.Post(u+"/118a4852-7df8-46d9-834b-23b4ef25aaab/paylink", "application/json",
		strings.NewReader(`{"transaction_amount":100}`))
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		PaymentURL string `json:"payment_url"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if !strings.HasPrefix(p.PaymentURL, strings.TrimSuffix(u, "/api")+"/payment/checkout/") {
		t.Fatalf("payment_url %q", p.PaymentURL)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := run.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, err := http.Get(u + "/x/balance"); err == nil {
		t.Fatal("still serving after Shutdown")
	}
}

func TestListenRefusesABusyAddress(t *testing.T) {
	run, err := Listen("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer run.Shutdown(context.Background())
	addr := strings.TrimSuffix(strings.TrimPrefix(run.URL(), "http://"), "/api")
	if _, err := Listen(addr, Config{}); err == nil {
		t.Fatal("second Listen on a busy address succeeded")
	}
}
