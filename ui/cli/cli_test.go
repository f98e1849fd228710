package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/cli"
	"github.com/coolpay/coolpay/ui/core"
)

const (
	pub  = "pub-test-0001"
	priv = "TEST-PRIVATE-callback-key-3b9d"
)

func openLedger(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func signed(ref, status string) []byte {
	cb := client.SignCallback(client.Callback{
		Application: pub, AppTransactionRef: "app-" + ref, TransactionRef: ref,
		TransactionType: "PAYIN", TransactionAmount: "1500", TransactionFees: "30",
		TransactionCurrency: "XAF", TransactionOperator: "CM_OM", TransactionStatus: status,
		CustomerPhoneNumber: "690112233",
	}, priv)
	b, _ := json.Marshal(cb)
	return b
}

// TestListenerUnderConcurrentCallbacks sends 1,000 distinct callbacks, each
// twice at the same time: every one must be recorded, none twice.
func TestListenerUnderConcurrentCallbacks(t *testing.T) {
	db, _ := openLedger(t)
	defer db.Close()
	svc := core.New(core.Config{Store: db})
	var logs bytes.Buffer
	var logMu sync.Mutex
	h := cli.CallbackHandler(svc, client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}}, pub,
		func(context.Context) (string, error) { return priv, nil },
		slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, nil)))
	srv := httptest.NewServer(h)
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
	for i := 0; i < n; i += 97 {
		rec, err := db.ByTransactionRef(fmt.Sprintf("tx-%04d", i))
		if err != nil {
			t.Fatal(err)
		}
		callbacks := 0
		for _, e := range rec.Events {
			if e.Kind == store.EvCallback {
				callbacks++
			}
		}
		if callbacks != 1 || rec.State != store.StateSuccess {
			t.Fatalf("%s: %d callback events, state %s", rec.TransactionRef, callbacks, rec.State)
		}
	}
	if strings.Contains(logs.String(), priv) {
		t.Fatal("the private key is in the listener's log")
	}
	if got := strings.Count(logs.String(), "\n"); got != 2*n {
		t.Fatalf("%d log lines for %d callbacks", got, 2*n)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestListenerRejects(t *testing.T) {
	db, _ := openLedger(t)
	defer db.Close()
	svc := core.New(core.Config{Store: db})
	key := func(context.Context) (string, error) { return priv, nil }
	quiet := slog.New(slog.DiscardHandler)
	vendorOnly := httptest.NewServer(cli.CallbackHandler(svc, client.CallbackIPPolicy{}, pub, key, quiet))
	defer vendorOnly.Close()
	local := httptest.NewServer(cli.CallbackHandler(svc, client.CallbackIPPolicy{Allowed: []string{"127.0.0.1"}}, pub, key, quiet))
	defer local.Close()

	tampered := bytes.Replace(signed("tx-1", "SUCCESS"), []byte(`"1500"`), []byte(`"150000"`), 1)
	tampered = bytes.Replace(tampered, []byte(`:1500,`), []byte(`:150000,`), 1)
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
