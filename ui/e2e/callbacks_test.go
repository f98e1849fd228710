package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// merchantArea keeps every callback the sandbox sends: what the vendor's
// server knows about each transaction (its transaction_ref above all), as a
// person would read it in the merchant area, and the genuine signed bodies
// the test then replays, forges or delivers to the listener.
type merchantArea struct {
	mu  sync.Mutex
	cbs []client.Callback
}

func (m *merchantArea) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var cb client.Callback
	if b, _ := io.ReadAll(r.Body); json.Unmarshal(b, &cb) == nil {
		m.mu.Lock()
		m.cbs = append(m.cbs, cb)
		m.mu.Unlock()
	}
	io.WriteString(w, "OK")
}

func (m *merchantArea) find(t *testing.T, ok func(client.Callback) bool) client.Callback {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m.mu.Lock()
		for _, cb := range m.cbs {
			if ok(cb) {
				m.mu.Unlock()
				return cb
			}
		}
		m.mu.Unlock()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("the sandbox never sent the expected callback")
	return client.Callback{}
}

func byAmount(a string) func(client.Callback) bool {
	return func(cb client.Callback) bool { return string(cb.TransactionAmount) == a }
}

// TestListenConfirmsCallbacksWithTheAPI runs `coolpay listen` as its own
// process against the sandbox: forged-but-signed callbacks aimed at an
// UNKNOWN and at a REJECTED payout change nothing; the genuine callback
// settles the UNKNOWN payout in place; 200 replays with varied status,
// case and signature spelling add nothing; then `coolpay status REF`, with
// a reference from the merchant area, settles another UNKNOWN in place.
func TestListenConfirmsCallbacksWithTheAPI(t *testing.T) {
	bin := buildBinary(t)
	const priv = "TEST-e2e-callbacks-private-key"
	area := &merchantArea{}
	areaSrv := httptest.NewServer(area)
	defer areaSrv.Close()
	sb, err := sandbox.Listen("127.0.0.1:0", sandbox.Config{PrivateKey: priv, CallbackURL: areaSrv.URL, ConfirmAfter: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Shutdown(context.Background())
	pub := sb.Server().PublicKey()
	dbPath := filepath.Join(t.TempDir(), "ledger.db")
	ctx := context.Background()
	api := client.New(pub, client.WithBaseURL(sb.URL()), client.WithPrivateKey(func(context.Context) (string, error) { return priv, nil }))

	// The cashier's history: two payouts whose answers were lost, one the
	// API refused (402, nothing moved).
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := core.New(core.Config{Client: api, Store: db})
	lost := func(amount string) store.Record {
		rec, _ := svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: amount, Phone: "690112233", Reason: "sandbox:drop"})
		if rec.State != store.StateUnknown || rec.TransactionRef != "" {
			t.Fatalf("want an UNKNOWN payout without reference, got %s %q", rec.State, rec.TransactionRef)
		}
		return rec
	}
	unknown, unknown2 := lost("4000"), lost("3500")
	rejected, _ := svc.Payout(ctx, core.PayoutInput{Operator: "CM_OM", Amount: "9000000", Phone: "690112233"})
	if rejected.State != store.StateRejected {
		t.Fatalf("want a REJECTED payout, got %s", rejected.State)
	}
	db.Close()
	// Two real transactions made elsewhere, whose genuine signed callbacks
	// an attacker replays with the unsigned fields changed.
	other, err := api.Payout(ctx, client.PayoutRequest{TransactionAmount: "4000", TransactionOperator: "CM_OM", CustomerPhoneNumber: "677123456", AppTransactionRef: "shop-77"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Payin(ctx, client.PayinRequest{TransactionAmount: "2500", CustomerPhoneNumber: "690112244"}); err != nil {
		t.Fatal(err)
	}
	genuine := area.find(t, func(cb client.Callback) bool { return cb.AppTransactionRef == unknown.AppRef })
	otherCB := area.find(t, func(cb client.Callback) bool { return cb.TransactionRef == other.TransactionRef })
	payinCB := area.find(t, byAmount("2500"))
	ref2 := area.find(t, func(cb client.Callback) bool { return cb.AppTransactionRef == unknown2.AppRef }).TransactionRef

	addr := freePort(t)
	cmd := exec.Command(bin, "listen", "--addr", addr, "--allow-ip", "127.0.0.1")
	env := append(os.Environ(), "COOLPAY_DB="+dbPath, "COOLPAY_BASE_URL="+sb.URL(), "COOLPAY_PUBLIC_KEY="+pub, "COOLPAY_PRIVATE_KEY="+priv)
	cmd.Env = env
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitOut := func(what string, n int) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for strings.Count(out.String(), what) < n {
			if time.Now().After(deadline) {
				t.Fatalf("the listener never logged %q %d times:\n%s", what, n, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitOut("istening for callbacks", 1)
	post := func(cb client.Callback) {
		t.Helper()
		body, _ := json.Marshal(cb)
		start := time.Now()
		resp, err := http.Post("http://"+addr+"/callback", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "OK" || time.Since(start) > time.Second {
			t.Fatalf("callback answered %q after %s\n%s", b, time.Since(start), out.String())
		}
	}
	forged := otherCB
	forged.AppTransactionRef, forged.TransactionStatus = unknown.AppRef, "FAILED"
	post(forged)
	forged = payinCB
	forged.AppTransactionRef, forged.TransactionStatus = rejected.AppRef, "SUCCESS"
	post(forged)
	post(genuine)
	statuses := []string{"SUCCESS", "success", "FAILED", "failed", "CANCELED", "Pending", "REFUNDED", "", "\x1b[31mSUCCESS"}
	for i := 0; i < 200; i++ {
		c := genuine
		c.TransactionStatus = statuses[i%len(statuses)]
		if i%2 == 0 {
			c.Signature = strings.ToUpper(c.Signature)
		}
		post(c)
	}
	waitOut("callback confirmed", 3)
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("listen: %v\n%s", err, out.String())
	}
	log := out.String()
	if strings.Count(log, string(core.OutcomeDuplicate)) != 200 || strings.Contains(log, priv) || strings.Contains(log, "\x1b") {
		t.Fatalf("the listener's log: want 200 duplicates, no key, no raw escape:\n%s", log)
	}

	// `coolpay status REF` with the reference from the merchant area.
	st := exec.Command(bin, "status", ref2, "--json")
	st.Env = env
	stOut, err := st.CombinedOutput()
	var got store.Record
	if err != nil || json.Unmarshal(stOut, &got) != nil || got.ID != unknown2.ID || got.State != store.StateSuccess {
		t.Fatalf("status REF: %v\n%s", err, stOut)
	}

	db, err = store.Open(dbPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, _ := db.Get(unknown.ID)
	if u.State != store.StateSuccess || u.TransactionRef != genuine.TransactionRef {
		t.Fatalf("the genuine callback did not settle the UNKNOWN payout in place: %s %q", u.State, u.TransactionRef)
	}
	if len(u.Events) > 12 {
		t.Fatalf("the trail grew with replays: %d events", len(u.Events))
	}
	if q, _ := db.Get(rejected.ID); q.State != store.StateRejected || q.TransactionRef != "" {
		t.Fatalf("the REJECTED payout moved: %s %q", q.State, q.TransactionRef)
	}
	if o, err := db.ByTransactionRef(other.TransactionRef); err != nil || o.AppRef != "shop-77" || o.ID == unknown.ID {
		t.Fatalf("the other payout must be its own record, as the API says: %v %+v", err, o)
	}
	// 3 of ours, the payout and the payin made elsewhere: nothing more.
	if n, _ := db.Count(); n != 5 {
		t.Fatalf("%d records, want 5", n)
	}
	if c, _ := db.Claims(""); len(c) != 3 {
		t.Fatalf("%d claims, want 3", len(c))
	}
	if fi, _ := os.Stat(dbPath); fi.Size() > 1<<20 {
		t.Fatalf("ledger is %d bytes after 200 replays", fi.Size())
	}
}
