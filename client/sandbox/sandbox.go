package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/coolpay/coolpay/client"
)

// DefaultPrivateKey is the sandbox's fixed private key. It is printed on
// purpose: it protects nothing but simulated money.
const DefaultPrivateKey = "coolpay-sandbox-private-key-not-a-secret"

// Defaults applied by New to zero Config fields.
const (
	DefaultConfirmAfter = 2 * time.Second
	DefaultBalance      = int64(1_000_000)
	DefaultTimeoutDelay = 60 * time.Second
)

// callbackTimeout bounds one callback delivery; the vendor never retries, so
// neither does the sandbox.
const callbackTimeout = 5 * time.Second

// Config sets up a sandbox Server. Zero fields take the documented defaults.
type Config struct {
	PublicKey     string           // default client.SandboxPublicKey
	PrivateKey    string           // default DefaultPrivateKey
	CallbackURL   string           // "" = no callbacks
	ConfirmAfter  time.Duration    // default 2s; time until a pending payin/202 payout reaches its outcome (negative: at once)
	Balance       int64            // starting merchant balance in XAF, default 1_000_000
	AllowPayoutIP []string         // extra allowed payout client IPs or CIDRs; loopback always allowed
	TimeoutDelay  time.Duration    // "sandbox:timeout" answer delay, default 60s
	Now           func() time.Time // optional clock, default time.Now
	Logger        *slog.Logger     // optional; logs callback deliveries, never keys

	// StrictIP stops treating loopback as allow-listed for payouts: only
	// AllowPayoutIP is, as on the vendor.
	StrictIP bool
	// IPReject is how a payout from an address not on the allow-list is
	// answered: IPRejectRedirect (default), IPRejectHang or IPRejectJSON.
	IPReject string
	// ErrorField is the JSON field that carries an error's text:
	// ErrorFieldMessage (default, as documented) or ErrorFieldMsg (which the
	// vendor's REST client also reads).
	ErrorField string
	// RequestLog receives one line per request (time, method, path without
	// the public key, status, duration, the rule that decided) and per
	// callback. nil: no log. It never contains the private key.
	RequestLog io.Writer
}

// How a payout from an address not on the allow-list is answered.
const (
	// IPRejectRedirect: an HTML "Redirecting" page with a 302, as reported
	// of the real server by a community library.
	IPRejectRedirect = "redirect"
	// IPRejectHang: no answer until the client gives up, as also reported.
	IPRejectHang = "hang"
	// IPRejectJSON: 403 {"status":"error","message":"IP address not allowed"}.
	IPRejectJSON = "json"
)

// Fields an error's text can be carried in.
const (
	ErrorFieldMessage = "message"
	ErrorFieldMsg     = "msg"
)

// ParseIPReject checks a --ip-reject value ("" is the default, redirect).
func ParseIPReject(v string) (string, error) {
	switch v {
	case "":
		return IPRejectRedirect, nil
	case IPRejectRedirect, IPRejectHang, IPRejectJSON:
		return v, nil
	}
	return "", fmt.Errorf("--ip-reject %q: use redirect, hang or json", v)
}

// Stats counts the requests received per route (whatever their outcome) and
// the callbacks sent.
type Stats struct {
	Paylink          int `json:"paylink"`
	Payin            int `json:"payin"`
	Authorize        int `json:"authorize"`
	Payout           int `json:"payout"`
	Status           int `json:"status"` // GET and legacy POST checkStatus
	Balance          int `json:"balance"`
	Checkout         int `json:"checkout"`          // checkout page views and button posts
	Callbacks        int `json:"callbacks"`         // callback deliveries attempted
	CallbackFailures int `json:"callback_failures"` // network error, non-2xx, or an answer other than OK
}

// Server is the simulated My-CoolPay server. It implements http.Handler and is
// safe for concurrent use.
type Server struct {
	cfg     Config
	allowed []netip.Prefix
	now     func() time.Time
	log     *slog.Logger
	reqLog  io.Writer    // Config.RequestLog
	logMu   sync.Mutex   // one line at a time
	http    *http.Client // for callbacks

	ctx    context.Context // cancelled by Close: callbacks and delayed answers stop
	cancel context.CancelFunc
	wg     sync.WaitGroup // callback goroutines
	once   sync.Once

	mu        sync.Mutex
	closed    bool
	seq       int
	balance   int64
	txs       map[string]*txn
	scheduled map[string]*txn        // transactions with a due outcome
	timers    map[string]*time.Timer // wake-ups for scheduled outcomes
	stats     Stats
}

// New returns a Server for cfg, with defaults applied.
func New(cfg Config) *Server {
	if cfg.PublicKey == "" {
		cfg.PublicKey = client.SandboxPublicKey
	}
	if cfg.PrivateKey == "" {
		cfg.PrivateKey = DefaultPrivateKey
	}
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = DefaultConfirmAfter
	}
	if cfg.ConfirmAfter < 0 {
		cfg.ConfirmAfter = 0
	}
	if cfg.Balance == 0 {
		cfg.Balance = DefaultBalance
	}
	if cfg.TimeoutDelay <= 0 {
		cfg.TimeoutDelay = DefaultTimeoutDelay
	}
	if m, err := ParseIPReject(cfg.IPReject); err == nil {
		cfg.IPReject = m
	} else {
		cfg.IPReject = IPRejectRedirect
	}
	if cfg.ErrorField != ErrorFieldMsg {
		cfg.ErrorField = ErrorFieldMessage
	}
	s := &Server{
		cfg:       cfg,
		now:       cfg.Now,
		log:       cfg.Logger,
		reqLog:    cfg.RequestLog,
		balance:   cfg.Balance,
		txs:       make(map[string]*txn),
		scheduled: make(map[string]*txn),
		timers:    make(map[string]*time.Timer),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for _, a := range cfg.AllowPayoutIP {
		if p, err := netip.ParsePrefix(strings.TrimSpace(a)); err == nil {
			s.allowed = append(s.allowed, p.Masked())
		} else if ip, err := netip.ParseAddr(strings.TrimSpace(a)); err == nil {
			ip = ip.Unmap()
			s.allowed = append(s.allowed, netip.PrefixFrom(ip, ip.BitLen()))
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	s.http = &http.Client{
		Transport: tr,
		Timeout:   callbackTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s
}

// PublicKey is the public key the server answers to.
func (s *Server) PublicKey() string { return s.cfg.PublicKey }

// Stats returns a snapshot of the request and callback counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Balance returns the merchant balance in XAF, after applying due outcomes.
func (s *Server) Balance() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	return s.balance
}

// Settle applies every outcome that is due at the server's clock. Timers do
// this on their own with the real clock; call it after moving a fake clock.
func (s *Server) Settle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
}

// Close stops the timers, cancels callbacks in flight and answers delayed
// ("sandbox:timeout") requests at once, then waits for callback goroutines.
// The handler keeps answering afterwards; due outcomes are then applied on
// the next request, and no callback is sent any more.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		for ref, t := range s.timers {
			t.Stop()
			delete(s.timers, ref)
		}
		s.mu.Unlock()
		s.cancel()
		s.wg.Wait()
		s.http.CloseIdleConnections()
	})
}

// ServeHTTP routes a request to the API, the checkout pages or the
// /_sandbox/ controls, and logs it to Config.RequestLog.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	note := &reqNote{}
	lw := &logWriter{ResponseWriter: w}
	r = r.WithContext(context.WithValue(r.Context(), noteKey{}, note))
	if s.reqLog != nil {
		defer func() { s.logRequest(start, r, lw, note) }() // also when a drop aborts the handler
	}
	s.route(lw, r)
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r, strings.Split(strings.TrimPrefix(path, "/api/"), "/"))
	case strings.HasPrefix(path, checkoutPrefix):
		s.serveCheckout(w, r, strings.TrimPrefix(path, checkoutPrefix))
	case path == "/_sandbox/stats":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			s.methodNotAllowed(w, r, http.MethodGet)
			return
		}
		noteOf(r).rule = "stats"
		writeJSON(w, http.StatusOK, s.Stats())
	case path == settlePath:
		if r.Method != http.MethodPost {
			s.methodNotAllowed(w, r, http.MethodPost)
			return
		}
		s.respond(w, r, s.settleRoute(r))
	default:
		s.respond(w, r, errorReply(http.StatusNotFound, "Route not found"))
	}
}

// route is one API endpoint below /api/{public_key}/.
type route struct {
	method string
	count  func(*Stats) *int
	handle func(s *Server, r *http.Request, arg string) reply
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, seg []string) {
	if len(seg) < 2 {
		s.respond(w, r, errorReply(http.StatusNotFound, "Route not found"))
		return
	}
	key, rest, arg := seg[0], strings.Join(seg[1:], "/"), ""
	if len(seg) == 3 && seg[1] == "checkStatus" && r.Method == http.MethodGet {
		rest, arg = "checkStatus/{ref}", seg[2]
	}
	var rt route
	switch rest {
	case "paylink":
		rt = route{http.MethodPost, func(st *Stats) *int { return &st.Paylink }, (*Server).paylink}
	case "payin":
		rt = route{http.MethodPost, func(st *Stats) *int { return &st.Payin }, (*Server).payin}
	case "payin/authorize":
		rt = route{http.MethodPost, func(st *Stats) *int { return &st.Authorize }, (*Server).authorize}
	case "payout":
		rt = route{http.MethodPost, func(st *Stats) *int { return &st.Payout }, (*Server).payout}
	case "checkStatus/{ref}":
		rt = route{http.MethodGet, func(st *Stats) *int { return &st.Status }, (*Server).checkStatus}
	case "checkStatus":
		rt = route{http.MethodPost, func(st *Stats) *int { return &st.Status }, (*Server).checkStatusLegacy}
	case "balance":
		rt = route{http.MethodGet, func(st *Stats) *int { return &st.Balance }, (*Server).balanceRoute}
	default:
		s.respond(w, r, errorReply(http.StatusNotFound, "Route not found"))
		return
	}
	if r.Method != rt.method {
		s.methodNotAllowed(w, r, rt.method)
		return
	}
	s.mu.Lock()
	*rt.count(&s.stats)++
	s.mu.Unlock()
	if key != s.cfg.PublicKey {
		s.respond(w, r, errorReply(http.StatusNotFound, "Unknown application: no application has this public key"))
		return
	}
	s.respond(w, r, rt.handle(s, r, arg))
}

// reply is a handler's answer, written by respond (which applies faults).
type reply struct {
	code        int
	body        any    // encoded as JSON unless raw is set
	raw         []byte // a non-JSON body (injected faults)
	contentType string // for raw
	fault       string // faultTimeout, faultDrop or faultHang: how to deliver the answer
	location    string // a Location header (the IP-reject redirect)
	rule        string // which test rule decided the answer, for the request log
	ref         string // the transaction this request made, for the request log
}

func errorReply(code int, msg string) reply {
	return reply{code: code, body: errorBody{Status: "error", Message: msg}}
}

type errorBody struct {
	Status  string `json:"status"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"status":"error","message":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(b)
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	s.respond(w, r, errorReply(http.StatusMethodNotAllowed, "Method not allowed: use "+allow))
}
