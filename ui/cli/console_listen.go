package cli

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/app"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/listener"
)

// SettingCallbackInConsole turns on the callback receiver inside the
// console ("on" or "off"), as the --listen flag does for one run.
const SettingCallbackInConsole = string(config.CallbackInConsole)

// consoleListener is the callback receiver the console runs for itself, on
// the same address, path, allow-list and trusted proxies as `coolpay
// listen` (its flags' defaults and the callback_* settings).
type consoleListener struct {
	ln     net.Listener
	path   string
	policy client.CallbackIPPolicy
	info   app.ListenerInfo
}

// openConsoleListener binds the receiver's socket. In sandbox mode it
// listens on a free loopback port and accepts the sandbox (on loopback) as
// the sender, so the built-in sandbox's callbacks reach this console; db
// cfg may then be nil. A failure is kept in info.Err: the console still opens
// and says why callbacks do not reach it.
func openConsoleListener(cfg *config.Settings, sandboxMode bool) *consoleListener {
	o := callbackOptions{addr: defaultCallbackAddr, path: defaultCallbackPath}
	if sandboxMode {
		o.addr, o.allow = "127.0.0.1:0", []string{"127.0.0.1"}
	}
	cl := &consoleListener{path: o.path}
	if cfg != nil && !sandboxMode {
		if err := o.fromSettings(cfg, nil); err != nil {
			cl.info.Err = err.Error()
			return cl
		}
		cl.path = o.path
	}
	policy, err := o.policy()
	if err != nil {
		cl.info.Err = err.Error()
		return cl
	}
	cl.policy = policy
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		cl.info.Err = err.Error()
		return cl
	}
	cl.ln = ln
	cl.info.Addr = ln.Addr().String()
	cl.info.URL = "http://" + cl.info.Addr + o.path
	return cl
}

// serve answers callbacks until ctx ends. Its log goes to a file beside the
// ledger (the screen belongs to the console), callbacks.log, so what it
// decided can be read later; logPath "" discards it.
func (cl *consoleListener) serve(ctx context.Context, svc *core.Service, publicKey string, privateKey func(context.Context) (string, error), logPath string) {
	if cl == nil || cl.ln == nil {
		return
	}
	if svc == nil {
		cl.ln.Close()
		cl.ln = nil
		cl.info.Err = "no API configured"
		return
	}
	log := slog.New(slog.DiscardHandler)
	if logPath != "" {
		if f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			log = slog.New(slog.NewTextHandler(f, nil))
			go func() { <-ctx.Done(); f.Close() }()
		}
	}
	l := listener.New(listener.Config{Svc: svc, Policy: cl.policy, PublicKey: publicKey, PrivateKey: privateKey, Log: log})
	ln := cl.ln
	go func() {
		if err := l.Serve(ctx, ln, cl.path); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("callback receiver stopped", "err", err)
		}
	}()
}

func (cl *consoleListener) close() {
	if cl != nil && cl.ln != nil {
		cl.ln.Close()
	}
}

// callbackLogPath is callbacks.log beside the ledger.
func callbackLogPath(ledger string) string {
	return filepath.Join(filepath.Dir(ledger), "callbacks.log")
}
