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
	"github.com/coolpay/coolpay/ui/listener"
)

// NewCmdListen is `coolpay listen`: the callback receiver.
func NewCmdListen(f *Factory) *cobra.Command {
	var (
		addr, path   string
		allow, trust []string
	)
	cmd := &cobra.Command{
		Use:   "listen",
		Short: "Receive and verify My-CoolPay callbacks",
		Long: `Receive My-CoolPay's callbacks over HTTP (JSON or form): check the sender's
address, the application, the signature and the amount, store each verified
callback once as a claim and answer OK at once (KO when a check fails), then
confirm the claim with the API (checkStatus) before any record changes: the
API's answer, not the callback, decides. Claims the API could not be asked
about wait and are tried again. Flags not given fall back to the settings
(coolpay config set callback_addr …). Ctrl-C stops it.`,
		Example: `  coolpay listen --addr 0.0.0.0:8788 --path /callback/4f9d2c
  coolpay listen --trust-proxy 10.0.0.0/8
  coolpay config set callback_addr 127.0.0.1:8788 && coolpay listen`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, svc, k, err := f.online(LedgerCreate)
			if err != nil {
				return err
			}
			defer db.Close()
			// Flags not given fall back to the settings (coolpay config).
			fromSetting := func(flagName, key string, apply func(string)) {
				if !cmd.Flags().Changed(flagName) {
					if v, ok, _ := db.Setting(key); ok {
						apply(v)
					}
				}
			}
			fromSetting("addr", SettingCallbackAddr, func(v string) { addr = v })
			fromSetting("path", SettingCallbackPath, func(v string) { path = v })
			fromSetting("allow-ip", SettingCallbackIPs, func(v string) { allow = splitComma(v) })
			fromSetting("trust-proxy", SettingCallbackCIDR, func(v string) { trust = splitComma(v) })
			if !strings.HasPrefix(path, "/") {
				return usageErrorf("--path must start with /")
			}
			policy := client.CallbackIPPolicy{Allowed: allow}
			if len(policy.Allowed) == 0 {
				policy.Allowed = []string{client.VendorCallbackIP}
			}
			for _, ip := range policy.Allowed {
				if net.ParseIP(ip) == nil {
					return usageErrorf("--allow-ip %q is not an IP address", ip)
				}
			}
			for _, c := range trust {
				_, n, err := net.ParseCIDR(c)
				if err == nil {
					// 0.0.0.0/0 would let anyone claim any sender address.
					err = client.CheckTrustedProxy(n)
				}
				if err != nil {
					return usageErrorf("--trust-proxy %q: %v", c, err)
				}
				policy.TrustedProxy = append(policy.TrustedProxy, n)
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
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			t := f.T(db)
			fmt.Fprintln(stdout, t.T("cli.listen.start", ln.Addr(), path, strings.Join(policy.Allowed, ", ")))
			l := listener.New(listener.Config{Svc: svc, Policy: policy, PublicKey: pub, PrivateKey: k.PrivateKey, Log: log})
			if err := l.Serve(ctx, ln, path); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			fmt.Fprintln(stdout, t.T("cli.listen.stop"))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8788", "address to listen on")
	fl.StringVar(&path, "path", "/callback", "callback path; make it hard to guess, e.g. /callback/<random>")
	fl.StringSliceVar(&allow, "allow-ip", nil, "sender address allowed (repeatable; default the vendor's "+client.VendorCallbackIP+")")
	fl.StringSliceVar(&trust, "trust-proxy", nil, "CIDR of a reverse proxy whose X-Forwarded-For is honoured (repeatable)")
	return cmd
}
