package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// DefaultSandboxAddr is where `coolpay sandbox` listens and `settle` looks.
const DefaultSandboxAddr = "127.0.0.1:8787"

// NewCmdSandbox is `coolpay sandbox`: the simulated My-CoolPay server. Its
// behaviour lives in client/sandbox; this reads flags.
func NewCmdSandbox(f *Factory) *cobra.Command {
	var (
		addr, pub, priv, cbURL string
		ipReject, errField     string
		confirm                time.Duration
		balance                int64
		allow                  []string
		strict, quiet          bool
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the simulated My-CoolPay server",
		Long: `Run a simulated My-CoolPay server for trying coolpay, or any client of the
API, without moving money. Its keys are test keys, printed at start with its
test rules; then one line per request (time, method, path without the public
key, status, duration, the rule that decided), unless --quiet. Ctrl-C stops it.

A payout from an address not on the allow-list (loopback is on it, unless
--strict-ip) is answered as --ip-reject says: redirect (an HTML "Redirecting"
page with a 302, as reported of the real server), hang (no answer until the
client gives up) or json (403).`,
		Example: `  coolpay sandbox
  coolpay sandbox --addr 127.0.0.1:9000 --confirm-after 5s --balance 250000
  coolpay sandbox --callback-url http://127.0.0.1:8788/callback
  coolpay sandbox --strict-ip --ip-reject hang
  coolpay sandbox settle 17178321-c6d229f2-5c12-43a7-85d3-2c687425e2fe FAILED`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if confirm < 0 || balance < 0 {
				return usageErrorf("--confirm-after and --balance must not be negative")
			}
			mode, err := sandbox.ParseIPReject(ipReject)
			if err != nil {
				return usageError{err}
			}
			if errField != sandbox.ErrorFieldMessage && errField != sandbox.ErrorFieldMsg {
				return usageErrorf("--error-field %q: use message or msg", errField)
			}
			cfg := sandbox.Config{
				PublicKey: pub, PrivateKey: priv, CallbackURL: cbURL,
				ConfirmAfter: confirm, Balance: balance, AllowPayoutIP: allow,
				StrictIP: strict, IPReject: mode, ErrorField: errField,
			}
			stdout := f.IO.Out
			if !quiet {
				cfg.RequestLog = stdout
			}
			run, err := sandbox.Listen(addr, cfg)
			if err != nil {
				return err
			}
			// The default keys are test keys, printed on purpose so a
			// newcomer can point any client at it; they move no real money.
			cfg.WriteBanner(stdout, run.URL())
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			<-ctx.Done()
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			if err := run.Shutdown(sctx); err != nil {
				return err
			}
			fmt.Fprintln(stdout, "sandbox stopped")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", DefaultSandboxAddr, "address to listen on")
	// The sandbox's own keys, not the merchant's: a local flag that hides
	// the global --public-key inside this command.
	fl.StringVar(&pub, "public-key", client.SandboxPublicKey, "public key the sandbox accepts")
	fl.StringVar(&priv, "private-key", sandbox.DefaultPrivateKey, "private key the sandbox expects (the default test key is printed at start, another is not)")
	fl.StringVar(&cbURL, "callback-url", "", "POST a signed callback here when a transaction becomes final")
	fl.DurationVar(&confirm, "confirm-after", 2*time.Second, "time until a pending transaction reaches its outcome")
	fl.Int64Var(&balance, "balance", 1_000_000, "starting merchant balance (XAF)")
	fl.StringSliceVar(&allow, "allow-payout-ip", nil, "client address allowed to send payouts, besides loopback (repeatable)")
	fl.BoolVar(&strict, "strict-ip", false, "loopback is not allowed to send payouts either: only --allow-payout-ip")
	fl.StringVar(&ipReject, "ip-reject", sandbox.IPRejectRedirect, "how a payout from a non-listed address is answered: redirect, hang or json")
	fl.StringVar(&errField, "error-field", sandbox.ErrorFieldMessage, "JSON field that carries an error's text: message or msg")
	fl.BoolVar(&quiet, "quiet", false, "no line per request")
	cmd.AddCommand(newCmdSandboxSettle(f))
	return cmd
}

// newCmdSandboxSettle is `coolpay sandbox settle REF STATUS`, like `stripe
// trigger`: force the outcome of a running sandbox's transaction.
func newCmdSandboxSettle(f *Factory) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "settle REF SUCCESS|FAILED|CANCELED",
		Short: "Force the outcome of a transaction of a running sandbox",
		Long: `Force the outcome of a transaction of a running coolpay sandbox that is not
final yet (a pending payin or payout, a payin waiting for its code, an unpaid
paylink), at once, with its balance move and its callback, instead of waiting
for the test rules. REF is the transaction_ref.`,
		Example: `  coolpay sandbox settle 17178321-c6d229f2-5c12-43a7-85d3-2c687425e2fe FAILED
  coolpay sandbox settle 17178321-c6d229f2-5c12-43a7-85d3-2c687425e2fe SUCCESS --addr 127.0.0.1:9000`,
		Args: exactArgs("REF", "STATUS"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := sandbox.ParseOutcome(args[1]); err != nil {
				return usageErrorf("%q: %v", args[1], err)
			}
			st, err := sandbox.Settle(cmd.Context(), addr, args[0], args[1])
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.Out, "%s is now %s (callback sent if the sandbox has a --callback-url)\n", inert(args[0]), st.TransactionStatus)
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", DefaultSandboxAddr, "address (or URL) of the running sandbox")
	return cmd
}
