package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultBaseURL is the vendor's API root; the public key follows it.
const DefaultBaseURL = "https://my-coolpay.com/api"

// SandboxPublicKey is the vendor's documented public sandbox key.
const SandboxPublicKey = "118a4852-7df8-46d9-834b-23b4ef25aaab"

// Defaults a Client starts with.
const (
	DefaultUserAgent   = "coolpay-go/1"
	DefaultTimeout     = 60 * time.Second // per HTTP exchange, when no *http.Client is given
	DefaultMaxAttempts = 3                // for the read-only calls; money calls get exactly one
	DefaultRetryBase   = 250 * time.Millisecond
	maxRetryDelay      = 5 * time.Second
	maxResponseBody    = 1 << 20 // real answers are a few hundred bytes
	privateKeyHeader   = "X-PRIVATE-KEY"
	redacted           = "[REDACTED]"
)

// Client talks to the My-CoolPay API for one public key. It is safe for
// concurrent use. It never holds the private key: it asks KeyFunc for it on
// each call that needs it.
type Client struct {
	baseURL     string
	publicKey   string
	http        *http.Client
	key         KeyFunc
	userAgent   string
	log         *slog.Logger
	maxAttempts int
	retryBase   time.Duration
	plainHTTP   bool // WithInsecureHTTP: the key may go over http to another machine
}

// Option configures a Client.
type Option func(*Client)

// KeyFunc fetches the private key only when a call needs it.
type KeyFunc func(ctx context.Context) (string, error)

// New builds a client for publicKey; by default it talks to DefaultBaseURL.
func New(publicKey string, opts ...Option) *Client {
	c := &Client{
		baseURL:     DefaultBaseURL,
		publicKey:   publicKey,
		http:        &http.Client{Timeout: DefaultTimeout},
		userAgent:   DefaultUserAgent,
		log:         slog.New(slog.DiscardHandler),
		maxAttempts: DefaultMaxAttempts,
		retryBase:   DefaultRetryBase,
	}
	for _, o := range opts {
		o(c)
	}
	// Never follow redirects: Go would replay X-PRIVATE-KEY to wherever the
	// redirect points, and would turn a POST into a GET with no body. A copy,
	// so the caller's *http.Client is left as it was.
	h := *c.http
	h.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.http = &h
	return c
}

// WithBaseURL sets the API root (the part before the public key), e.g. a sandbox's srv.URL+"/api".
func WithBaseURL(u string) Option {
	return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the *http.Client used for every call (its timeout, transport, proxy).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithPrivateKey sets where payout and balance get the private key from.
func WithPrivateKey(f KeyFunc) Option { return func(c *Client) { c.key = f } }

// WithInsecureHTTP lets the private key go to a plain-http base URL on
// another machine (a test server on a LAN). Without it such a call fails
// before anything is sent (ErrInsecureBaseURL).
func WithInsecureHTTP() Option { return func(c *Client) { c.plainHTTP = true } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// WithLogger sets the logger; requests are logged at Debug with the private key redacted.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) {
		if l != nil {
			c.log = l
		}
	}
}

// WithRetry sets how the read-only calls (status, balance) retry network
// errors and 5xx: max attempts in total (1 = no retry), the first delay
// base, doubled each time, with jitter. Money calls never retry.
// Test helper: the program keeps the defaults; tests shorten the backoff
// (listed in .ci/deadcode-allow).
func WithRetry(attempts int, base time.Duration) Option {
	return func(c *Client) {
		c.maxAttempts = max(attempts, 1)
		if base > 0 {
			c.retryBase = base
		}
	}
}

// PublicKey is the public key the client was built with.
func (c *Client) PublicKey() string { return c.publicKey }

// BaseURL is the API root the client talks to.
func (c *Client) BaseURL() string { return c.baseURL }

// call describes one endpoint for do.
type call struct {
	op      string // "payin", "status"... for errors and logs
	method  string
	path    string // after /{public_key}, e.g. "/payin"
	query   url.Values
	body    any          // nil: no body
	needKey bool         // send X-PRIVATE-KEY
	money   bool         // may move money: an unknown outcome is an AmbiguousError, never retried
	ipList  bool         // the server checks the caller's address against the merchant's allow-list
	retry   bool         // read-only: safe to repeat on network errors and 5xx
	out     any          // decoded on success
	check   func() error // after decoding: is the success answer usable?
}

// do is the one function that talks HTTP. It returns the HTTP status of the
// successful answer.
func (c *Client) do(ctx context.Context, k call) (int, error) {
	if c.publicKey == "" {
		return 0, invalid("public_key", CodePublicKeyRequired, "the client has no public key")
	}
	var payload []byte
	if k.body != nil {
		var err error
		if payload, err = json.Marshal(k.body); err != nil {
			return 0, fmt.Errorf("coolpay: %s: encoding request: %w", k.op, err)
		}
	}
	var key string
	if k.needKey {
		var err error
		if key, err = c.privateKey(ctx); err != nil {
			return 0, err
		}
	}
	u := c.baseURL + "/" + url.PathEscape(c.publicKey) + k.path
	if len(k.query) > 0 {
		u += "?" + k.query.Encode()
	}
	attempts := 1
	if k.retry {
		attempts = c.maxAttempts
	}
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			if lastErr != nil {
				return 0, fmt.Errorf("coolpay: %s: %w (gave up; last error: %v)", k.op, err, lastErr)
			}
			return 0, err
		}
		status, retryable, err := c.once(ctx, k, u, payload, key, attempt)
		if err == nil {
			return status, nil
		}
		if !retryable || attempt >= attempts {
			return status, err
		}
		lastErr = err
		delay := c.backoff(attempt)
		c.log.WarnContext(ctx, "coolpay retrying", "op", k.op, "attempt", attempt, "delay", delay, "error", err.Error())
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}

// once makes one HTTP exchange; retryable says whether a read-only call may try again.
func (c *Client) once(ctx context.Context, k call, u string, payload []byte, key string, attempt int) (status int, retryable bool, err error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, u, body)
	if err != nil {
		return 0, false, fmt.Errorf("coolpay: %s: building request: %w", k.op, err)
	}
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if key != "" {
		req.Header.Set(privateKeyHeader, key)
	}
	c.log.DebugContext(ctx, "coolpay request", "op", k.op, "method", k.method, "url", u,
		"attempt", attempt, "headers", redactHeader(req.Header), "body_bytes", len(payload))
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		c.log.DebugContext(ctx, "coolpay transport error", "op", k.op, "error", err.Error())
		err = fmt.Errorf("coolpay: %s: %w", k.op, err)
		if k.money && !notSent(err) {
			amb := &AmbiguousError{Op: k.op, Err: err}
			if k.ipList && timedOut(err) {
				// A server reported to hang on addresses it does not
				// allow: say so, but the outcome stays unknown.
				amb.Hint, amb.MaybePayoutIPNotAllowed = hintIPTimeout, true
			}
			return 0, false, amb
		}
		return 0, true, err
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	c.log.DebugContext(ctx, "coolpay response", "op", k.op, "http_status", resp.StatusCode,
		"duration", time.Since(start), "body_bytes", len(raw))
	if readErr != nil {
		// The server answered, then the connection broke mid-body.
		err := fmt.Errorf("coolpay: %s: reading HTTP %d answer: %w", k.op, resp.StatusCode, readErr)
		if k.money {
			return resp.StatusCode, false, &AmbiguousError{Op: k.op, Err: err}
		}
		return resp.StatusCode, true, err
	}
	err = decodeResponse(resp.StatusCode, raw, k.out)
	if err == nil && k.check != nil {
		if cerr := k.check(); cerr != nil {
			err = &APIError{HTTPStatus: resp.StatusCode, Status: "success", Message: cerr.Error(), Body: boundBody(raw)}
		}
	}
	if err == nil {
		return resp.StatusCode, false, nil
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && key != "" {
		scrub(apiErr, key) // a server echoing our headers must not leak the key into logs
	}
	if k.ipList && apiErr != nil && ipRefusal(resp.StatusCode, raw) {
		apiErr.Err = ErrPayoutIPNotAllowed
		apiErr.Message = ErrPayoutIPNotAllowed.Error() + " [" + apiErr.Message + "]"
		c.log.WarnContext(ctx, "coolpay payout refused: address not allow-listed", "http_status", resp.StatusCode)
		return resp.StatusCode, false, apiErr
	}
	serverFault := resp.StatusCode >= 500
	if k.money && (serverFault || resp.StatusCode/100 == 2) && !refused(apiErr) {
		c.log.WarnContext(ctx, "coolpay ambiguous outcome", "op", k.op, "http_status", resp.StatusCode)
		amb := &AmbiguousError{Op: k.op, Err: err}
		if k.ipList && resp.StatusCode/100 == 2 && saysRedirecting(raw) {
			amb.Hint, amb.MaybePayoutIPNotAllowed = hintIPRedirect2xx, true
		}
		return resp.StatusCode, false, amb
	}
	return resp.StatusCode, serverFault || resp.StatusCode == http.StatusTooManyRequests, err
}

// ipRefusal reports an answer to a payout that is how the server refuses an
// address not on the merchant's allow-list: a redirect (reported of the real
// server: a "Redirecting" HTML page), or 403. The call was not carried out:
// the server answered, and neither is a success.
func ipRefusal(httpStatus int, body []byte) bool {
	if httpStatus/100 == 3 || httpStatus == http.StatusForbidden {
		return true
	}
	return httpStatus/100 == 4 && saysRedirecting(body)
}

// saysRedirecting reports a body whose first 4 KiB say "Redirecting" (in any
// ASCII case): the page the server is reported to send an address it refuses.
func saysRedirecting(body []byte) bool {
	return strings.Contains(asciiLower(body[:min(len(body), 4096)]), "redirecting")
}

// timedOut reports an exchange that got no answer in time.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// refused reports a 2xx JSON answer whose envelope status says the server
// refused the call: the server spoke clearly, so that is not ambiguous.
func refused(e *APIError) bool {
	return e != nil && e.HTTPStatus/100 == 2 && e.Status != "" && e.Status != "success"
}

// notSent reports a failure to connect at all: then nothing reached the
// server, and even a money call is safe to report as plainly failed.
func notSent(err error) bool {
	var op *net.OpError
	// A failed TLS handshake, too: the request is written only after it.
	return errors.As(err, &op) && op.Op == "dial" || tlsFailure(err)
}

func (c *Client) privateKey(ctx context.Context) (string, error) {
	if c.key == nil {
		return "", ErrNoPrivateKey
	}
	if !c.plainHTTP && errors.Is(CheckBaseURL(c.baseURL), ErrInsecureBaseURL) {
		return "", ErrInsecureBaseURL
	}
	key, err := c.key(ctx)
	if err != nil {
		return "", fmt.Errorf("coolpay: getting the private key: %w", err)
	}
	if key == "" {
		return "", ErrNoPrivateKey
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return "", errors.New("coolpay: the private key contains control characters")
		}
	}
	return key, nil
}

// backoff is base·2^(attempt-1), capped, with jitter in [d/2, d) so that
// many consoles do not retry in step.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryBase << (attempt - 1)
	if d > maxRetryDelay || d <= 0 {
		d = maxRetryDelay
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// redactHeader is a header as it may be logged: the private key replaced.
type redactHeader http.Header

// LogValue implements slog.LogValuer; it is the only way headers reach a log.
func (h redactHeader) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, len(h))
	for name, v := range h {
		val := strings.Join(v, ", ")
		if strings.EqualFold(name, privateKeyHeader) {
			val = redacted
		}
		attrs = append(attrs, slog.String(name, val))
	}
	return slog.GroupValue(attrs...)
}

func scrub(e *APIError, key string) {
	e.Message = strings.ReplaceAll(e.Message, key, redacted)
	e.Body = strings.ReplaceAll(e.Body, key, redacted)
}

// envelope is what every answer shares. An error's text is in Message or,
// as the vendor's REST client also reads it, Msg; both are raw because odd
// servers send numbers, arrays or objects there.
type envelope struct {
	Status  *string         `json:"status"`
	Message json.RawMessage `json:"message"`
	Msg     json.RawMessage `json:"msg"`
}

// decodeResponse turns one HTTP answer into out, or into an *APIError. It
// never panics, whatever the status code and body.
func decodeResponse(httpStatus int, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	var env envelope
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &env) != nil {
		return &APIError{HTTPStatus: httpStatus, Message: describeNonJSON(httpStatus, trimmed), Body: boundBody(body)}
	}
	status := ""
	if env.Status != nil {
		status = *env.Status
	}
	msg := messageText(env.Message)
	if msg == "" {
		msg = messageText(env.Msg)
	}
	if httpStatus/100 != 2 || status != "success" {
		if msg == "" {
			switch {
			case httpStatus/100 != 2:
				msg = fmt.Sprintf("HTTP %d %s, without a message", httpStatus, http.StatusText(httpStatus))
			case env.Status == nil:
				msg = "the answer has no status field"
			default:
				msg = fmt.Sprintf("the answer's status is %q, without a message", status)
			}
		}
		return &APIError{HTTPStatus: httpStatus, Status: status, Message: msg, Body: boundBody(body)}
	}
	if out != nil {
		if err := json.Unmarshal(trimmed, out); err != nil {
			return &APIError{HTTPStatus: httpStatus, Status: status,
				Message: "the answer does not have the documented shape: " + err.Error(), Body: boundBody(body)}
		}
	}
	return nil
}

func messageText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return boundBody(raw)
}

// describeNonJSON says in a sentence what came back instead of JSON, so the
// person at the console can tell a proxy page from an API fault.
func describeNonJSON(httpStatus int, body []byte) string {
	what := fmt.Sprintf("the server answered HTTP %d", httpStatus)
	if t := http.StatusText(httpStatus); t != "" {
		what += " " + t
	}
	lower := strings.ToLower(string(body[:min(len(body), 4096)]))
	switch {
	case httpStatus/100 == 3 || strings.Contains(lower, "redirecting"):
		return what + ": a redirect instead of JSON (a proxy or captive portal, or a wrong base URL?)"
	case len(body) == 0:
		return what + " with an empty body"
	case strings.Contains(lower, "<html") || strings.Contains(lower, "<!doctype"):
		if title := htmlTitle(body); title != "" {
			return what + " with an HTML page instead of JSON: " + title
		}
		return what + " with an HTML page instead of JSON"
	default:
		return what + " with a body that is not JSON"
	}
}

// htmlTitle finds the page's <title>. It lowers only ASCII letters, so
// offsets in the lowered copy are offsets in body (strings.ToLower can change
// a text's length: invalid bytes and some letters grow or shrink).
func htmlTitle(body []byte) string {
	lower := asciiLower(body)
	i := strings.Index(lower, "<title>")
	if i < 0 {
		return ""
	}
	rest := lower[i+len("<title>"):]
	j := strings.Index(rest, "</title>")
	if j < 0 {
		return ""
	}
	start := i + len("<title>")
	title := strings.ToValidUTF8(strings.Join(strings.Fields(string(body[start:start+j])), " "), "\uFFFD")
	if len(title) > 120 {
		cut := 120
		for cut > 0 && !utf8.RuneStart(title[cut]) {
			cut--
		}
		title = title[:cut] + "…"
	}
	return title
}

// asciiLower lowers A–Z byte by byte, leaving every other byte as it is.
func asciiLower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}
