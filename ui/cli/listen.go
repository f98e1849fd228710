package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/listener"
)

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// Listen is `coolpay listen`: the callback receiver.
func Listen(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	addr := fs.String("addr", "127.0.0.1:8788", "address to listen on")
	path := fs.String("path", "/callback", "callback path; make it hard to guess, e.g. /callback/<random>")
	var allow, trust stringList
	fs.Var(&allow, "allow-ip", "sender address allowed (repeatable; default the vendor's "+client.VendorCallbackIP+")")
	fs.Var(&trust, "trust-proxy", "CIDR of a reverse proxy whose X-Forwarded-For is honoured (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	db, svc, k, err := online(g, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	// Flags not given fall back to the settings (coolpay config).
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fromSetting := func(flagName, key string, apply func(string)) {
		if !given[flagName] {
			if v, ok, _ := db.Setting(key); ok {
				apply(v)
			}
		}
	}
	fromSetting("addr", SettingCallbackAddr, func(v string) { *addr = v })
	fromSetting("path", SettingCallbackPath, func(v string) { *path = v })
	fromSetting("allow-ip", SettingCallbackIPs, func(v string) { allow = splitComma(v) })
	fromSetting("trust-proxy", SettingCallbackCIDR, func(v string) { trust = splitComma(v) })
	if !strings.HasPrefix(*path, "/") {
		return fail(stderr, errors.New("--path must start with /"))
	}
	policy := client.CallbackIPPolicy{Allowed: allow}
	if len(policy.Allowed) == 0 {
		policy.Allowed = []string{client.VendorCallbackIP}
	}
	for _, ip := range policy.Allowed {
		if net.ParseIP(ip) == nil {
			return fail(stderr, fmt.Errorf("--allow-ip %q is not an IP address", ip))
		}
	}
	for _, c := range trust {
		_, n, err := net.ParseCIDR(c)
		if err == nil {
			err = client.CheckTrustedProxy(n)
		}
		if err != nil {
			return fail(stderr, fmt.Errorf("--trust-proxy %q: %v", c, err))
		}
		policy.TrustedProxy = append(policy.TrustedProxy, n)
	}
	ctx, cancel := signalContext()
	defer cancel()
	// Fetch the key once up front so a missing key fails now, not at the
	// first callback.
	if _, err := k.PrivateKey(ctx); err != nil {
		return fail(stderr, err)
	}
	pub, _ := Resolve(g, db)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "listening for callbacks on http://%s%s (allowed senders: %s)\n", ln.Addr(), *path, strings.Join(policy.Allowed, ", "))
	l := listener.New(listener.Config{Svc: svc, Policy: policy, PublicKey: pub, PrivateKey: k.PrivateKey,
		Log: slog.New(slog.NewTextHandler(stdout, nil))})
	if err := l.Serve(ctx, ln, *path); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, "stopped")
	return 0
}
