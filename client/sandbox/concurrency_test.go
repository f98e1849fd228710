package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
)

func TestConcurrentRequestsKeepTheBalanceConsistent(t *testing.T) {
	rc := newReceiver(t)
	e := newEnv(t, Config{CallbackURL: rc.ts.URL})
	const workers = 50
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		expected = int64(1_000_000)
		refs     []string
	)
	for i := range workers {
		wg.Go(func() {
			payin := 1000 + 10*i                    // last digit 0: SUCCESS
			payout := 500 + 10*i + []int{0, 7}[i%2] // 200 SUCCESS or 202 then SUCCESS
			pi := e.post(t, "/payin", payinBody(payin, phoneMTN))
			po := e.payout(t, payoutBody(payout))
			if pi.code != http.StatusCreated || (po.code != http.StatusOK && po.code != http.StatusAccepted) {
				t.Errorf("worker %d: payin %d, payout %d %s", i, pi.code, po.code, po.raw)
				return
			}
			e.status(t, pi.str("transaction_ref"))
			e.balance(t)
			mu.Lock()
			expected += int64(payin) - feesFor(int64(payin)) - int64(payout) - feesFor(int64(payout))
			refs = append(refs, pi.str("transaction_ref"), po.str("transaction_ref"))
			mu.Unlock()
		})
	}
	wg.Wait()
	for _, ref := range refs {
		e.waitStatus(t, ref, "SUCCESS")
	}
	if b := e.balance(t); b != strconv.FormatInt(expected, 10) {
		t.Fatalf("balance %s, want %d", b, expected)
	}
	eventually(t, func() bool { return len(rc.all()) == 2*workers }, "%d callbacks", 2*workers)
	st := e.srv.Stats()
	if st.Payin != workers || st.Payout != workers || st.Status < 2*workers || st.Balance < workers+1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConcurrentPayoutsCannotOverdraw(t *testing.T) {
	e := newEnv(t, Config{Balance: 10 * 1020})
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		byCode  = map[int]int{}
		workers = 50
	)
	for range workers {
		wg.Go(func() {
			r := e.payout(t, payoutBody(1000))
			mu.Lock()
			byCode[r.code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if byCode[http.StatusOK] != 10 || byCode[http.StatusPaymentRequired] != 40 {
		t.Fatalf("answers %v, want 10 accepted and 40 refused", byCode)
	}
	if b := e.balance(t); b != "0" {
		t.Fatalf("balance %s, want 0", b)
	}
}

func TestStatsCountRequestsPerRoute(t *testing.T) {
	e := newEnv(t, Config{})
	ref := e.post(t, "/payin", payinBody(100, phoneOTP)).str("transaction_ref")
	e.post(t, "/payin/authorize", map[string]any{"transaction_ref": ref, "code": "1234"})
	link := e.post(t, "/paylink", map[string]any{"transaction_amount": 100})
	getPage(t, link.str("payment_url"))
	e.payout(t, payoutBody(100))
	e.payout(t, payoutBody(100))
	e.status(t, ref)
	e.post(t, "/checkStatus", map[string]any{"transaction_ref": ref})
	e.balance(t)
	e.base = e.ts.URL + "/api/wrong-key" // still counted: the request reached the route
	e.post(t, "/payout", payoutBody(100))

	want := Stats{Paylink: 1, Payin: 1, Authorize: 1, Payout: 3, Status: 2, Balance: 1, Checkout: 1}
	if got := e.srv.Stats(); got != want {
		t.Fatalf("Stats() = %+v, want %+v", got, want)
	}
	resp, err := http.Get(e.ts.URL + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got Stats
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/_sandbox/stats: %d %v", resp.StatusCode, err)
	}
	if got != want {
		t.Fatalf("/_sandbox/stats = %+v, want %+v", got, want)
	}
}
