// Package listener receives My-CoolPay's callbacks: an http.Handler that
// checks each one (sender address, application, signature, amount), stores
// it as a claim and answers OK at once, and a processor that then confirms
// every claim with the API (GET checkStatus) before any record changes.
// `coolpay listen` serves it; the console can run the same Listener inside
// itself.
package listener

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// maxBody bounds what a callback may send; the documented body is well
// under 2 KiB.
const maxBody = 16 << 10

// Config wires a Listener.
type Config struct {
	Svc        *core.Service
	Policy     client.CallbackIPPolicy
	PublicKey  string
	PrivateKey func(context.Context) (string, error)
	Log        *slog.Logger // one line per decision, without secrets; nil: discard
	// Sweep is how often claims still waiting (the API was unreachable)
	// are tried again; 0 means 30 s.
	Sweep time.Duration
	// ConfirmTimeout bounds one confirmation; 0 means 20 s.
	ConfirmTimeout time.Duration
}

// Listener is the callback receiver and its claim processor.
type Listener struct {
	cfg   Config
	queue chan string // claim keys to confirm now
}

// New builds a Listener; call Run (or Serve) so that claims get confirmed.
func New(cfg Config) *Listener {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Sweep <= 0 {
		cfg.Sweep = 30 * time.Second
	}
	if cfg.ConfirmTimeout <= 0 {
		cfg.ConfirmTimeout = 20 * time.Second
	}
	return &Listener{cfg: cfg, queue: make(chan string, 256)}
}

// Handler answers callbacks: KO (with a 4xx/5xx status) when a check fails
// or the claim could not be stored, OK once it is stored durably. It never
// waits for the API.
func (l *Listener) Handler() http.Handler {
	log := l.cfg.Log
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer := func(code int, ok bool, reason, ref string) {
			body := client.CallbackReply(errors.New("ko"))
			if ok {
				body = client.CallbackReply(nil)
			}
			log.Info("callback", "answer", body, "reason", reason, "remote", r.RemoteAddr, "transaction_ref", ref)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(code)
			io.WriteString(w, body)
		}
		if r.Method != http.MethodPost {
			answer(http.StatusMethodNotAllowed, false, "method "+r.Method, "")
			return
		}
		if !l.cfg.Policy.Allow(r) {
			answer(http.StatusForbidden, false, "sender address not allowed", "")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			answer(http.StatusRequestEntityTooLarge, false, "body too large or unreadable", "")
			return
		}
		key, err := l.cfg.PrivateKey(r.Context())
		if err != nil {
			answer(http.StatusServiceUnavailable, false, "private key unavailable", "")
			return
		}
		cb, err := client.VerifyCallbackBody(r.Header.Get("Content-Type"), body, l.cfg.PublicKey, key)
		if err != nil {
			answer(http.StatusUnauthorized, false, err.Error(), "")
			return
		}
		c, fresh, err := l.cfg.Svc.RecordClaim(cb)
		if err != nil {
			answer(http.StatusInternalServerError, false, "not stored: "+err.Error(), cb.TransactionRef)
			return
		}
		if !fresh {
			answer(http.StatusOK, true, string(core.OutcomeDuplicate), cb.TransactionRef)
			return
		}
		answer(http.StatusOK, true, "claim stored (says "+c.Status+"), to be confirmed with the API", cb.TransactionRef)
		select {
		case l.queue <- c.Key:
		default:
			// Full: the next sweep confirms it.
		}
	})
}

// Run confirms claims until ctx ends: those waiting from before at once,
// each new one as it arrives, and the ones the API could not answer for
// every Sweep.
func (l *Listener) Run(ctx context.Context) {
	l.sweep(ctx)
	t := time.NewTicker(l.cfg.Sweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case key := <-l.queue:
			l.confirm(ctx, key)
		case <-t.C:
			l.sweep(ctx)
		}
	}
}

func (l *Listener) sweep(ctx context.Context) {
	claims, err := l.cfg.Svc.Store().Claims(store.ClaimWaiting)
	if err != nil {
		l.cfg.Log.Warn("callbacks waiting: cannot read them", "err", err)
		return
	}
	for _, c := range claims {
		if ctx.Err() != nil {
			return
		}
		l.confirm(ctx, c.Key)
	}
}

// confirm asks the API about one claim and logs, truthfully, what the answer
// did: settled, ignored (final state kept), unknown to the API, waiting.
func (l *Listener) confirm(ctx context.Context, key string) {
	cctx, cancel := context.WithTimeout(ctx, l.cfg.ConfirmTimeout)
	defer cancel()
	c, res, err := l.cfg.Svc.ConfirmClaim(cctx, key)
	log := l.cfg.Log
	switch {
	case err != nil && c.State == store.ClaimWaiting:
		log.Warn("callback not yet confirmed", "transaction_ref", c.TransactionRef, "outcome", string(core.OutcomeWaiting), "tries", c.Tries, "err", err)
	case err != nil:
		log.Error("callback confirmation", "transaction_ref", c.TransactionRef, "err", err)
	default:
		log.Info("callback confirmed", "transaction_ref", c.TransactionRef, "claimed", c.Status,
			"outcome", string(res.Outcome), "record", res.Record.ID, "state", string(res.Record.State))
	}
}

// Serve answers callbacks on ln at path and confirms claims until ctx ends,
// then shuts the server down (waiting up to 5 s for requests in flight).
func (l *Listener) Serve(ctx context.Context, ln net.Listener, path string) error {
	mux := http.NewServeMux()
	mux.Handle(path, l.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); l.Run(rctx) }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
	stop()
	<-done
	return err
}
