package client_test

// These tests use small handlers of their own: they stand in for a broken
// network or a misbehaving proxy in front of My-CoolPay, which the sandbox
// (a well-behaved server) cannot be.

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

const statusJSON = `{"status":"success","transaction_ref":"r1","transaction_type":"PAYIN","transaction_amount":100,` +
	`"transaction_fees":2,"transaction_currency":"XAF","transaction_operator":"CM_OM","transaction_status":"SUCCESS",` +
	`"transaction_message":null,"customer_phone_number":"699009900"}`

const html500 = "<html><head><title>500 Internal Server Error</title></head><body><h1>500</h1></body></html>"

// fake serves h and counts requests; n is the 1-based request number.
type fake struct {
	srv *httptest.Server
	n   atomic.Int32
}

func newFake(t *testing.T, h func(w http.ResponseWriter, r *http.Request, n int)) *fake {
	t.Helper()
	f := &fake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h(w, r, int(f.n.Add(1)))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) client(opts ...client.Option) *client.Client {
	base := []client.Option{
		client.WithBaseURL(f.srv.URL + "/api/"),
		client.WithPrivateKey(func(context.Context) (string, error) { return testPrivate, nil }),
		client.WithRetry(3, time.Millisecond),
	}
	return client.New(testPublic, append(base, opts...)...)
}

func (f *fake) count() int { return int(f.n.Load()) }

func answer(code int, contentType, body string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func drop(w http.ResponseWriter, _ *http.Request, _ int) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// moneyCalls are the four calls that may move money, with valid inputs.
var moneyCalls = map[string]func(c *client.Client, ctx context.Context) error{
	"paylink": func(c *client.Client, ctx context.Context) error {
		_, err := c.Paylink(ctx, client.PaylinkRequest{TransactionAmount: "100"})
		return err
	},
	"payin": func(c *client.Client, ctx context.Context) error {
		_, err := c.Payin(ctx, payinReq("100", "699009911"))
		return err
	},
	"authorize": func(c *client.Client, ctx context.Context) error {
		_, err := c.AuthorizePayin(ctx, client.AuthorizeRequest{TransactionRef: "r1", Code: "1234"})
		return err
	},
	"payout": func(c *client.Client, ctx context.Context) error {
		_, err := c.Payout(ctx, payoutReq("500"))
		return err
	},
}

// readCalls are the read-only calls, which retry.
var readCalls = map[string]func(c *client.Client, ctx context.Context) error{
	"status": func(c *client.Client, ctx context.Context) error {
		_, err := c.CheckStatus(ctx, "r1")
		return err
	},
	"status-legacy": func(c *client.Client, ctx context.Context) error {
		_, err := c.CheckStatusLegacy(ctx, "r1")
		return err
	},
	"balance": func(c *client.Client, ctx context.Context) error {
		_, err := c.Balance(ctx)
		return err
	},
}

func TestReadCallsRetryFlakyServer(t *testing.T) {
	for name, call := range readCalls {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
				switch n {
				case 1:
					answer(http.StatusBadGateway, "text/html", html500)(w, r, n)
				case 2:
					drop(w, r, n)
				default:
					body := statusJSON
					if strings.HasSuffix(r.URL.Path, "/balance") {
						body = `{"status":"success","balance":500}`
					}
					answer(http.StatusOK, "application/json", body)(w, r, n)
				}
			})
			if err := call(f.client(), ctxT(t)); err != nil {
				t.Fatalf("after a 502 and a dropped connection: %v", err)
			}
			if f.count() != 3 {
				t.Fatalf("%d requests, want 3", f.count())
			}
		})
	}
}

func TestReadCallsStopAfterMaxAttempts(t *testing.T) {
	for _, attempts := range []int{1, 3, 5} {
		f := newFake(t, answer(http.StatusServiceUnavailable, "text/html", html500))
		_, err := f.client(client.WithRetry(attempts, time.Millisecond)).CheckStatus(ctxT(t), "r1")
		wantAPIError(t, err, http.StatusServiceUnavailable, "500 Internal Server Error")
		if f.count() != attempts {
			t.Fatalf("WithRetry(%d): %d requests", attempts, f.count())
		}
	}
	f := newFake(t, answer(http.StatusServiceUnavailable, "text/html", html500))
	if _, err := client.New(testPublic, client.WithBaseURL(f.srv.URL+"/api")).CheckStatus(ctxT(t), "r1"); err == nil || f.count() != client.DefaultMaxAttempts {
		t.Fatalf("default: %d requests (%v), want %d", f.count(), err, client.DefaultMaxAttempts)
	}
}

func TestReadCallsDoNotRetryRefusals(t *testing.T) {
	for _, h := range []func(http.ResponseWriter, *http.Request, int){
		answer(http.StatusNotFound, "application/json", `{"status":"error","message":"Transaction not found"}`),
		answer(http.StatusOK, "text/html", "<html><title>Redirecting...</title></html>"),
		answer(http.StatusOK, "application/json", `{"status":"success","transaction_amount":"abc"}`),
	} {
		f := newFake(t, h)
		if _, err := f.client().CheckStatus(ctxT(t), "r1"); err == nil || f.count() != 1 {
			t.Fatalf("%d requests (%v), want 1", f.count(), err)
		}
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	f := newFake(t, answer(http.StatusServiceUnavailable, "text/plain", "busy"))
	c := f.client(client.WithRetry(100, 40*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CheckStatus(ctx, "r1")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	if time.Since(start) > time.Second || f.count() >= 10 {
		t.Fatalf("kept retrying after the context ended: %d requests in %v", f.count(), time.Since(start))
	}
	// A context cancelled by the caller stops at once, before anything is sent.
	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	before := f.count()
	if _, err := c.Balance(done); !errors.Is(err, context.Canceled) || f.count() != before {
		t.Fatalf("cancelled context: %v, %d requests sent", err, f.count()-before)
	}
}

func TestSlowServerHonoursContext(t *testing.T) {
	stop := make(chan struct{})
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		select { // an unread POST body hides the client's hang-up from r.Context
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) }) // before the server's Close, which waits for handlers
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.client(client.WithRetry(1, 0)).CheckStatus(ctx, "r1")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("slow GET: %v after %v", err, time.Since(start))
	}
	// The injected *http.Client's own timeout applies too, and a money call then is ambiguous.
	c := f.client(client.WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	wantAmbiguous(t, moneyCalls["payin"](c, ctxT(t)), "payin")
}

func TestMoneyCallsNeverRetry(t *testing.T) {
	shapes := map[string]func(http.ResponseWriter, *http.Request, int){
		"HTML 500":        answer(http.StatusInternalServerError, "text/html", html500),
		"JSON 503":        answer(http.StatusServiceUnavailable, "application/json", `{"status":"error","message":"Maintenance"}`),
		"dropped":         drop,
		"2xx redirecting": answer(http.StatusOK, "text/html", "<html><head><title>Redirecting...</title></head></html>"),
		"2xx garbage":     answer(http.StatusCreated, "application/json", `{"status":"success","transaction_ref":`),
		"2xx wrong types": answer(http.StatusCreated, "application/json", `{"status":"success","transaction_ref":42}`),
		"2xx no ref":      answer(http.StatusCreated, "application/json", `{"status":"success"}`),
		"2xx no status":   answer(http.StatusCreated, "application/json", `{"transaction_ref":"r1"}`),
		"2xx empty":       answer(http.StatusCreated, "application/json", ""),
		"2xx oversized":   answer(http.StatusCreated, "application/json", `{"status":"success","x":"`+strings.Repeat("a", 2<<20)+`"}`),
		"drop after headers": func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"status":"succ`)
			w.(http.Flusher).Flush()
			drop(w, r, n)
		},
	}
	for op, call := range moneyCalls {
		for shape, h := range shapes {
			t.Run(op+"/"+shape, func(t *testing.T) {
				f := newFake(t, h)
				err := call(f.client(), ctxT(t))
				amb := wantAmbiguous(t, err, op)
				if amb.Unwrap() == nil {
					t.Fatal("the cause is lost")
				}
				var ae *client.APIError
				if errors.As(err, &ae) && len(ae.Body) > 4096 {
					t.Fatalf("error body not bounded: %d bytes", len(ae.Body))
				}
				if f.count() != 1 {
					t.Fatalf("%d requests, want exactly 1", f.count())
				}
			})
		}
	}
}

func TestClearRefusalsOnMoneyCallsAreNotAmbiguous(t *testing.T) {
	cases := []struct {
		name    string
		h       func(http.ResponseWriter, *http.Request, int)
		status  int
		message string
	}{
		{"JSON 400", answer(400, "application/json", `{"status":"error","message":"Invalid amount"}`), 400, "Invalid amount"},
		{"JSON 401", answer(401, "application/json", `{"status":"error","message":"Invalid authorization code !"}`), 401, "Invalid authorization code !"},
		{"2xx with error status", answer(201, "application/json", `{"status":"error","message":"Refused"}`), 201, "Refused"},
		{"HTML 404 from a proxy", answer(404, "text/html", "<html><head><title>404 Not Found</title></head></html>"), 404, "404 Not Found"},
		{"JSON 4xx without message", answer(422, "application/json", `{"status":"error"}`), 422, "Unprocessable Entity"},
		{"odd message type", answer(400, "application/json", `{"status":"error","message":{"amount":["bad"]}}`), 400, `{"amount":["bad"]}`},
		{"redirect", func(w http.ResponseWriter, r *http.Request, _ int) {
			http.Redirect(w, r, "https://login.example.net/portal", http.StatusFound)
		}, 302, "redirect"},
	}
	for op, call := range moneyCalls {
		for _, c := range cases {
			t.Run(op+"/"+c.name, func(t *testing.T) {
				f := newFake(t, c.h)
				wantAPIError(t, call(f.client(), ctxT(t)), c.status, c.message)
				if f.count() != 1 {
					t.Fatalf("%d requests", f.count())
				}
			})
		}
	}
}

func TestConnectionRefusedIsNotAmbiguous(t *testing.T) {
	f := newFake(t, answer(200, "application/json", "{}"))
	c := f.client()
	f.srv.Close() // nothing listens any more: the request cannot have been sent
	for op, call := range moneyCalls {
		err := call(c, ctxT(t))
		var amb *client.AmbiguousError
		if err == nil || errors.As(err, &amb) {
			t.Fatalf("%s to a closed port: %v, want a plain (not ambiguous) error", op, err)
		}
	}
}

func TestRedirectIsNotFollowedAndKeyStaysHome(t *testing.T) {
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-PRIVATE-KEY") != "" {
			leaked.Store(true)
		}
		_, _ = io.WriteString(w, `{"status":"success","balance":1}`)
	}))
	defer elsewhere.Close()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
	})
	hc := &http.Client{} // the caller's client, with Go's default redirect policy
	_, err := f.client(client.WithHTTPClient(hc)).Balance(ctxT(t))
	wantAPIError(t, err, http.StatusTemporaryRedirect, "redirect")
	if leaked.Load() {
		t.Fatal("X-PRIVATE-KEY was sent to the redirect target")
	}
	if hc.CheckRedirect != nil {
		t.Fatal("the caller's *http.Client was modified")
	}
}

func TestRequestShape(t *testing.T) {
	e := newEnv(t, sandbox.Config{}, client.WithUserAgent("coolpay-test/9"))
	ctx := ctxT(t)
	res, err := e.c.Payin(ctx, payinReq("100", "00237 699-00-99-11"))
	if err != nil {
		t.Fatal(err)
	}
	x := e.rec.last(t)
	if x.method != http.MethodPost || x.url != e.srv.URL+"/api/"+testPublic+"/payin" {
		t.Fatalf("sent %s %s", x.method, x.url)
	}
	for k, want := range map[string]string{"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "coolpay-test/9"} {
		if got := x.header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	want := `{"transaction_amount":100,"transaction_reason":"test","app_transaction_ref":"order-100","customer_phone_number":"699009911","customer_lang":"en"}`
	if string(x.body) != want {
		t.Fatalf("body = %s\nwant   %s", x.body, want)
	}
	if _, err := e.c.CheckStatus(ctx, res.TransactionRef); err != nil {
		t.Fatal(err)
	}
	x = e.rec.last(t)
	if x.method != http.MethodGet || x.url != e.srv.URL+"/api/"+testPublic+"/checkStatus/"+res.TransactionRef ||
		len(x.body) != 0 || x.header.Get("Content-Type") != "" || x.header.Get("Accept") != "application/json" {
		t.Fatalf("status request: %s %s %q %v", x.method, x.url, x.body, x.header)
	}
	if _, err := e.c.CheckStatusLegacy(ctx, res.TransactionRef); err != nil {
		t.Fatal(err)
	}
	if x = e.rec.last(t); x.method != http.MethodPost || !strings.HasSuffix(x.url, "/checkStatus") ||
		string(x.body) != `{"transaction_ref":"`+res.TransactionRef+`"}` {
		t.Fatalf("legacy status request: %s %s %s", x.method, x.url, x.body)
	}
	if c := client.New("pk"); c.BaseURL() != client.DefaultBaseURL || c.PublicKey() != "pk" {
		t.Fatalf("defaults: %q %q", c.BaseURL(), c.PublicKey())
	}
}

// The private key must not reach a log line or an error, even when a server
// echoes our headers back, and even at Debug level.
func TestPrivateKeyNeverLoggedNorInErrors(t *testing.T) {
	var buf bytes.Buffer
	var mu syncWriter
	mu.w = &buf
	logger := slog.New(slog.NewTextHandler(&mu, &slog.HandlerOptions{Level: slog.LevelDebug}))

	e := newEnv(t, sandbox.Config{}, client.WithLogger(logger))
	if _, err := e.c.Balance(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Payout(ctxT(t), payoutReq("500")); err != nil {
		t.Fatal(err)
	}
	echo := newFake(t, func(w http.ResponseWriter, r *http.Request, n int) {
		code := http.StatusUnauthorized
		if n%2 == 1 {
			code = http.StatusBadGateway // so that a balance retry is logged too
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"status":"error","message":"bad key `+r.Header.Get("X-PRIVATE-KEY")+`","echo":"`+r.Header.Get("X-PRIVATE-KEY")+`"}`)
	})
	c := echo.client(client.WithLogger(logger))
	var errs []error
	for i := 0; i < 2; i++ {
		_, err := c.Balance(ctxT(t))
		errs = append(errs, err)
		_, err = c.Payout(ctxT(t), payoutReq("500"))
		errs = append(errs, err)
	}
	for _, err := range errs {
		var ae *client.APIError
		if err == nil || !errors.As(err, &ae) {
			t.Fatalf("echo server: %v", err)
		}
		if strings.Contains(err.Error(), testPrivate) || strings.Contains(ae.Body, testPrivate) || strings.Contains(ae.Message, testPrivate) {
			t.Fatal("the private key is in an error") // never print the key itself
		}
	}
	out := mu.String()
	if strings.Contains(out, testPrivate) {
		t.Fatal("the private key is in the log") // never print the log: it would print the key
	}
	if !strings.Contains(out, "[REDACTED]") || !strings.Contains(out, "coolpay request") || !strings.Contains(out, "coolpay retrying") {
		t.Fatalf("log lacks the redacted header or request lines:\n%s", out)
	}
}

// syncWriter lets the log be read while handlers may still write.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
