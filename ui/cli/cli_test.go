package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
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

func TestHistoryOutputs(t *testing.T) {
	db, path := openLedger(t)
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-a", Amount: "1500", Currency: "XAF", Operator: "CM_OM", CustomerName: `Ngono, "la" patronne`, CustomerPhone: "690112233"},
		{Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-b", Amount: "2000", Currency: "XAF", Operator: "CM_MOMO", CustomerPhone: "677123456"},
		{Type: store.TypePayin, State: store.StatePending, AppRef: "cp-c", Amount: "300", Currency: "XAF", Operator: "CM_OM", Reason: "Facture 12"},
	}
	for i := range recs {
		if err := db.Create(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		g := cli.NewGlobals(func(string) string { return "" })
		code := cli.History(g, append([]string{"--db", path}, args...), &out, &errb)
		return out.String(), errb.String(), code
	}
	out, _, code := run("--json")
	var got []store.Record
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 3 || got[0].AppRef != "cp-c" {
		t.Fatalf("--json: code %d, %d records, out %s", code, len(got), out)
	}
	out, _, _ = run("--csv", "--state", "FAILED,SUCCESS")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "id" || rows[2][9] != `Ngono, "la" patronne` || rows[2][5] != "1500" {
		t.Fatalf("--csv: %v %q", err, rows)
	}
	out, _, _ = run("--type", "payout", "--json")
	if json.Unmarshal([]byte(out), &got); len(got) != 1 || got[0].AppRef != "cp-b" {
		t.Fatalf("--type payout: %s", out)
	}
	out, _, _ = run("--search", "facture", "--json")
	if json.Unmarshal([]byte(out), &got); len(got) != 1 || got[0].AppRef != "cp-c" {
		t.Fatalf("--search: %s", out)
	}
	out, _, _ = run("--limit", "1")
	if !strings.Contains(out, "PENDING …") || strings.Contains(out, "cp-b") {
		t.Fatalf("table with --limit 1:\n%s", out)
	}
	_, errs, code := run("--state", "DONE")
	if code == 0 || !strings.Contains(errs, "--state") {
		t.Fatalf("bad --state accepted: %d %s", code, errs)
	}
	_, errs, code = run("--since", "yesterday")
	if code == 0 || !strings.Contains(errs, "--since") {
		t.Fatalf("bad --since accepted: %d %s", code, errs)
	}
}

func TestHistoryWithoutLedgerIsEmpty(t *testing.T) {
	var out, errb bytes.Buffer
	g := cli.NewGlobals(func(string) string { return "" })
	code := cli.History(g, []string{"--db", filepath.Join(t.TempDir(), "none.db"), "--json"}, &out, &errb)
	if code != 0 || strings.TrimSpace(out.String()) != "[]" {
		t.Fatalf("code %d out %q err %q", code, out.String(), errb.String())
	}
}
