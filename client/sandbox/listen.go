package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Running is a sandbox Server listening on a real address.
type Running struct {
	srv  *Server
	http *http.Server
	ln   net.Listener
	done chan struct{}
}

// Listen starts a sandbox for cfg on addr ("127.0.0.1:0" picks a free port)
// and serves it in the background until Shutdown.
func Listen(addr string, cfg Config) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := New(cfg)
	r := &Running{
		srv:  s,
		ln:   ln,
		done: make(chan struct{}),
		http: &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second},
	}
	go func() {
		defer close(r.done)
		_ = r.http.Serve(ln)
	}()
	return r, nil
}

// URL is the API base URL for the client, e.g. "http://127.0.0.1:8787/api".
// An unspecified listen host (":8787", "0.0.0.0") is reached on loopback.
func (r *Running) URL() string {
	host, port, err := net.SplitHostPort(r.ln.Addr().String())
	if err != nil {
		return "http://" + r.ln.Addr().String() + "/api"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		if ip != nil && ip.To4() == nil {
			host = "::1"
		} else {
			host = "127.0.0.1"
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/api"
}

// Server is the handler behind the listener, for Stats and Balance.
func (r *Running) Server() *Server { return r.srv }

// Shutdown stops the sandbox (timers, callbacks, delayed answers) and then
// the HTTP server, waiting for requests in flight until ctx ends.
func (r *Running) Shutdown(ctx context.Context) error {
	r.srv.Close()
	err := r.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		_ = r.http.Close()
	}
	select {
	case <-r.done:
	case <-ctx.Done():
	}
	return err
}
