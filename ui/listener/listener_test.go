package listener_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/listener"
)

const (
	pub  = "pub-test-0001"
	priv = "TEST-PRIVATE-callback-key-3b9d"
)

func openLedger(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func callback(ref, status string) client.Callback {
	return client.SignCallback(client.Callback{
		Application: pub, AppTransactionRef: "app-" + ref, TransactionRef: ref,
		TransactionType: "PAYIN", TransactionAmount: "1500", TransactionFees: "30",
		TransactionCurrency: "XAF", TransactionOperator: "CM_OM", TransactionStatus: status,
		CustomerPhoneNumber: "690112233",
	}, priv)
}

func signed(ref, status string) []byte {
	b, _ := json.Marshal(callback(ref, status))
	return b
}

func key(context.Context) (string, error) { return priv, nil }

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestListenerUnderConcurrentCallbacks sends 1,000 distinct callbacks, each
// twice at the same time: every one must be stored as one claim, shown as
// reported (no API here to confirm it), none twice.
func TestListenerUnderConcurrentCallbacks(t *testing.T) {
	db := openLedger(t)
	svc := core.New(core.Config{Store: db})
	var logs bytes.Buffer
	var logMu sync.Mutex
	l := listener.New(listener.Config{Svc: svc, Policy: client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}},
		PublicKey: pub, PrivateKey: key, Log: slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil))})
	srv := httptest.NewServer(l.Handler())
	defer srv.Close()
	hc := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 64}, Timeout: 60 * time.Second}
	const n = 1000
	var wg sync.WaitGroup
	answers := make(chan string, 2*n)
	for i := 0; i < n; i++ {
		body := signed(fmt.Sprintf("tx-%04d", i), "SUCCESS")
		for copy := 0; copy < 2; copy++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := hc.Post(srv.URL, "application/json", bytes.NewReader(body))
				if err != nil {
					answers <- err.Error()
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				answers <- string(b)
			}()
		}
	}
	wg.Wait()
	close(answers)
	for a := range answers {
		if a != "OK" {
			t.Fatalf("a valid callback was answered %q", a)
		}
	}
	if c, _ := db.Count(); c != n {
		t.Fatalf("ledger holds %d records, want %d", c, n)
	}
	if c, _ := db.Claims(""); len(c) != n {
		t.Fatalf("%d claims, want %d", len(c), n)
	}
	for i := 0; i < n; i += 97 {
		rec, err := db.ByTransactionRef(fmt.Sprintf("tx-%04d", i))
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Events) != 2 || rec.Events[0].Kind != store.EvReported || rec.State != store.StateReported {
			t.Fatalf("%s: state %s, events %+v", rec.TransactionRef, rec.State, rec.Events)
		}
	}
	if strings.Contains(logs.String(), priv) {
		t.Fatal("the private key is in the listener's log")
	}
	if got := strings.Count(logs.String(), "\n"); got != 2*n {
		t.Fatalf("%d log lines for %d callbacks", got, 2*n)
	}
	if got := strings.Count(logs.String(), string(core.OutcomeDuplicate)); got != n {
		t.Fatalf("%d copies logged as duplicates, want %d", got, n)
	}
}

func TestListenerRejects(t *testing.T) {
	db := openLedger(t)
	svc := core.New(core.Config{Store: db})
	quiet := slog.New(slog.DiscardHandler)
	vendorOnly := httptest.NewServer(listener.New(listener.Config{Svc: svc, PublicKey: pub, PrivateKey: key, Log: quiet}).Handler())
	defer vendorOnly.Close()
	local := httptest.NewServer(listener.New(listener.Config{Svc: svc, Policy: client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}},
		PublicKey: pub, PrivateKey: key, Log: quiet}).Handler())
	defer local.Close()

	tampered := bytes.Replace(signed("tx-1", "SUCCESS"), []byte(`:1500,`), []byte(`:150000,`), 1)
	amount := func(a string) []byte {
		cb := callback("tx-2", "SUCCESS")
		cb.TransactionAmount = json.Number(a)
		b, _ := json.Marshal(client.SignCallback(cb, priv))
		return b
	}
	cases := []struct {
		name string
		url  string
		body []byte
		code int
	}{
		{"not from the vendor's address", vendorOnly.URL, signed("tx-1", "SUCCESS"), 403},
		{"bad signature", local.URL, tampered, 401},
		{"not JSON", local.URL, []byte("<html>"), 401},
		{"oversized", local.URL, bytes.Repeat([]byte("x"), 1<<20), 413},
		{"amount 1e2", local.URL, amount("1e2"), 401},
		{"amount 1e1000", local.URL, amount("1e1000"), 401},
		{"amount -100", local.URL, amount("-100"), 401},
		{"amount 0", local.URL, amount("0"), 401},
	}
	for _, c := range cases {
		resp, err := http.Post(c.url, "application/json", bytes.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "KO" || resp.StatusCode != c.code {
			t.Errorf("%s: %d %q, want %d KO", c.name, resp.StatusCode, b, c.code)
		}
	}
	if c, _ := db.Count(); c != 0 {
		t.Fatalf("rejected callbacks were stored: %d", c)
	}
}

// TestFormCallbackAnsweredOKAndStoredOnce: the vendor's plugin accepts
// callbacks as a form; so does the listener, with the same checks.
func TestFormCallbackAnsweredOKAndStoredOnce(t *testing.T) {
	db := openLedger(t)
	svc := core.New(core.Config{Store: db})
	srv := httptest.NewServer(listener.New(listener.Config{Svc: svc, Policy: client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}},
		PublicKey: pub, PrivateKey: key}).Handler())
	defer srv.Close()
	cb := callback("form-1", "SUCCESS")
	form := url.Values{}
	for k, v := range map[string]string{"application": cb.Application, "app_transaction_ref": cb.AppTransactionRef,
		"transaction_ref": cb.TransactionRef, "transaction_type": cb.TransactionType, "transaction_amount": "1500.00",
		"transaction_fees": "30", "transaction_currency": cb.TransactionCurrency, "transaction_operator": cb.TransactionOperator,
		"transaction_status": cb.TransactionStatus, "signature": cb.Signature} {
		form.Set(k, v)
	}
	for i := 0; i < 3; i++ {
		resp, err := http.PostForm(srv.URL, form)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "OK" {
			t.Fatalf("form callback answered %d %q", resp.StatusCode, b)
		}
	}
	// The same claim as JSON is the same callback: nothing more.
	resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(signed("form-1", "FAILED")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c, _ := db.Claims(""); len(c) != 1 {
		t.Fatalf("%d claims", len(c))
	}
	if n, _ := db.Count(); n != 1 {
		t.Fatalf("%d records", n)
	}
	form.Set("transaction_amount", "15000")
	resp, _ = http.PostForm(srv.URL, form)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "KO" {
		t.Fatalf("a tampered form was answered %q", b)
	}
}

// TestCallbackAnsweredFastWhenTheAPIIsUnreachable: the answer never waits
// for the API; the claim waits, and the log says so instead of "recorded".
func TestCallbackAnsweredFastWhenTheAPIIsUnreachable(t *testing.T) {
	db := openLedger(t)
	// An API that accepts the connection and never answers.
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer stuck.Close()
	c := client.New(pub, client.WithBaseURL(stuck.URL+"/api"), client.WithHTTPClient(&http.Client{Timeout: 300 * time.Millisecond}))
	svc := core.New(core.Config{Store: db, Client: c})
	var logs bytes.Buffer
	var mu sync.Mutex
	l := listener.New(listener.Config{Svc: svc, Policy: client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}},
		PublicKey: pub, PrivateKey: key, Log: slog.New(slog.NewTextHandler(lockedWriter{&logs, &mu}, nil)), ConfirmTimeout: 500 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	srv := httptest.NewServer(l.Handler())
	defer srv.Close()
	for i := 0; i < 5; i++ {
		start := time.Now()
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(signed(fmt.Sprintf("slow-%d", i), "SUCCESS")))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if took := time.Since(start); string(b) != "OK" || took > 500*time.Millisecond {
			t.Fatalf("answer %q after %s", b, took)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		s := logs.String()
		mu.Unlock()
		if strings.Count(s, "callback not yet confirmed") >= 5 {
			if strings.Contains(s, "recorded") {
				t.Fatalf("the log claims something was recorded:\n%s", s)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log never said the claims wait:\n%s", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if w, _ := db.Claims(store.ClaimWaiting); len(w) != 5 {
		t.Fatalf("%d claims waiting, want 5", len(w))
	}
}
