package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/listener"
)

// callbackOptions are where and from whom callbacks are received: the flags
// of `coolpay listen`, the callback_* settings, and what the console uses
// when it receives callbacks itself.
type callbackOptions struct {
	addr, path   string
	allow, trust []string
}

// fromSettings fills in, from the settings read at start-up (coolpay
// config), what given does not report as set by a flag. A stored value that
// no longer passes its check is not used: the error names it.
func (o *callbackOptions) fromSettings(cfg *config.Settings, given func(flag string) bool) error {
	var bad error
	set := func(flag string, key config.Key, apply func(string)) {
		if given != nil && given(flag) {
			return
		}
		v := cfg.Get(key)
		switch {
		case v.Err != nil && bad == nil:
			bad = config.Invalid(v)
		case v.Source == config.FromLedger:
			apply(v.V)
		}
	}
	set("addr", config.CallbackAddr, func(v string) { o.addr = v })
	set("path", config.CallbackPath, func(v string) { o.path = v })
	set("allow-ip", config.CallbackAllowIP, func(v string) { o.allow = splitComma(v) })
	set("trust-proxy", config.CallbackTrustProxy, func(v string) { o.trust = splitComma(v) })
	return bad
}

// policy checks the options and builds the sender policy; errors are
// usage errors (a flag or setting to correct).
func (o *callbackOptions) policy() (client.CallbackIPPolicy, error) {
	if !strings.HasPrefix(o.path, "/") {
		return client.CallbackIPPolicy{}, usageErrorf("--path must start with /")
	}
	p := client.CallbackIPPolicy{Allowed: o.allow}
	if len(p.Allowed) == 0 {
		p.Allowed = []string{client.VendorCallbackIP}
	}
	for _, ip := range p.Allowed {
		if net.ParseIP(ip) == nil {
			return client.CallbackIPPolicy{}, usageErrorf("--allow-ip %q is not an IP address", ip)
		}
	}
	for _, c := range o.trust {
		_, n, err := net.ParseCIDR(c)
		if err == nil {
			// 0.0.0.0/0 would let anyone claim any sender address.
			err = client.CheckTrustedProxy(n)
		}
		if err != nil {
			return client.CallbackIPPolicy{}, usageErrorf("--trust-proxy %q: %v", c, err)
		}
		p.TrustedProxy = append(p.TrustedProxy, n)
	}
	return p, nil
}

// NewCmdListen is `coolpay listen`: the callback receiver.
func NewCmdListen(f *Factory) *cobra.Command {
	o := callbackOptions{}
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive and verify My-CoolPay callbacks",
		Long: `Receive My-CoolPay's callbacks over HTTP (JSON or form): check the sender's
address, the application, the signature and the amount, store each verified
callback once as a claim and answer OK at once (KO when a check fails), then
confirm the claim with the API (checkStatus) before any record changes: the
API's answer, not the callback, decides. Claims the API could not be asked
about wait and are tried again. Flags not given fall back to the settings
(coolpay config set callback_addr …). Open consoles on the same ledger show
what it settles within two seconds; a console can also receive callbacks
itself (coolpay --listen). Ctrl-C stops it.`,
		Example: `  coolpay listen --addr 0.0.0.0:8788 --path /callback/4f9d2c
  coolpay listen --trust-proxy 10.0.0.0/8
  coolpay config set callback_addr 127.0.0.1:8788 && coolpay listen`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, svc, k, err := f.online(LedgerCreate)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := o.fromSettings(f.Config(db), cmd.Flags().Changed); err != nil {
				return err
			}
			policy, err := o.policy()
			if err != nil {
				return err
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			// Fetch the key once up front so a missing key fails now, not
			// at the first callback.
			if _, err := k.PrivateKey(ctx); err != nil {
				return err
			}
			pub, _ := f.Resolve(db)
			stdout := f.IO.Out
			log := slog.New(slog.NewTextHandler(stdout, nil))
			ln, err := net.Listen("tcp", o.addr)
			if err != nil {
				return err
			}
			t := f.T(db)
			fmt.Fprintln(stdout, t.T("cli.listen.start", ln.Addr(), inert(o.path), strings.Join(policy.Allowed, ", ")))
			l := listener.New(listener.Config{Svc: svc, Policy: policy, PublicKey: pub, PrivateKey: k.PrivateKey, Log: log})
			if err := l.Serve(ctx, ln, o.path); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(stdout, t.T("cli.listen.stop"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.addr, "addr", defaultCallbackAddr, "address to listen on")
	fl.StringVar(&o.path, "path", defaultCallbackPath, "callback path; make it hard to guess, e.g. /callback/<random>")
	fl.StringSliceVar(&o.allow, "allow-ip", nil, "sender address allowed (repeatable; default the vendor's "+client.VendorCallbackIP+")")
	fl.StringSliceVar(&o.trust, "trust-proxy", nil, "CIDR of a reverse proxy whose X-Forwarded-For is honoured (repeatable)")
	return cmd
}

// The receiver's defaults, for `coolpay listen` and the console.
const (
	defaultCallbackAddr = config.DefaultCallbackAddr
	defaultCallbackPath = config.DefaultCallbackPath
)
