package sandbox

import (
	"context"
	"encoding/json"
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
	s := &Server{
		cfg:       cfg,
		now:       cfg.Now,
		log:       cfg.Logger,
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

// ServeHTTP routes a request to the API, the checkout pages or the stats.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/api/"):
		s.serveAPI(w, r, strings.Split(strings.TrimPrefix(path, "/api/"), "/"))
	case strings.HasPrefix(path, checkoutPrefix):
		s.serveCheckout(w, r, strings.TrimPrefix(path, checkoutPrefix))
	case path == "/_sandbox/stats":
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			methodNotAllowed(w, http.MethodGet)
			return
		}
		writeJSON(w, http.StatusOK, s.Stats())
	default:
		writeError(w, http.StatusNotFound, "Route not found")
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
		writeError(w, http.StatusNotFound, "Route not found")
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
		writeError(w, http.StatusNotFound, "Route not found")
		return
	}
	if r.Method != rt.method {
		methodNotAllowed(w, rt.method)
		return
	}
	s.mu.Lock()
	*rt.count(&s.stats)++
	s.mu.Unlock()
	if key != s.cfg.PublicKey {
		writeError(w, http.StatusNotFound, "Unknown application: no application has this public key")
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
	fault       string // faultTimeout or faultDrop: how to deliver the answer
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

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, errorBody{Status: "error", Message: msg})
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, "Method not allowed: use "+allow)
}
