package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// NewCmdSandbox is `coolpay sandbox`: the simulated My-CoolPay server.
func NewCmdSandbox(f *Factory) *cobra.Command {
	var (
		addr, pub, priv, cbURL string
		confirm                time.Duration
		balance                int64
		allow                  []string
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the simulated My-CoolPay server",
		Long: `Run a simulated My-CoolPay server for trying coolpay, or any client of the
API, without moving money. Its keys are test keys, printed at start.
Ctrl-C stops it.`,
		Example: `  coolpay sandbox
  coolpay sandbox --addr 127.0.0.1:9000 --confirm-after 5s --balance 250000
  coolpay sandbox --callback-url http://127.0.0.1:8788/callback`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if confirm < 0 || balance < 0 {
				return usageErrorf("--confirm-after and --balance must not be negative")
			}
			run, err := sandbox.Listen(addr, sandbox.Config{
				PublicKey: pub, PrivateKey: priv, CallbackURL: cbURL,
				ConfirmAfter: confirm, Balance: balance, AllowPayoutIP: allow,
			})
			if err != nil {
				return err
			}
			stdout := f.IO.Out
			// The sandbox's keys are test keys, printed on purpose so a
			// newcomer can point any client at it; they move no real money.
			fmt.Fprintf(stdout, "coolpay sandbox (simulated My-CoolPay) listening\n  base URL:    %s\n  public key:  %s\n  private key: %s (sandbox only)\nCtrl-C to stop.\n", run.URL(), pub, priv)
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
	fl.StringVar(&addr, "addr", "127.0.0.1:8787", "address to listen on")
	// The sandbox's own keys, not the merchant's: a local flag that hides
	// the global --public-key inside this command.
	fl.StringVar(&pub, "public-key", client.SandboxPublicKey, "public key the sandbox accepts")
	fl.StringVar(&priv, "private-key", sandbox.DefaultPrivateKey, "private key the sandbox expects (a test key, printed at start)")
	fl.StringVar(&cbURL, "callback-url", "", "POST a signed callback here when a transaction becomes final")
	fl.DurationVar(&confirm, "confirm-after", 2*time.Second, "time until a pending transaction reaches its outcome")
	fl.Int64Var(&balance, "balance", 1_000_000, "starting merchant balance (XAF)")
	fl.StringSliceVar(&allow, "allow-payout-ip", nil, "client address allowed to send payouts, besides loopback (repeatable)")
	return cmd
}
