package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// Sandbox is `coolpay sandbox`: the simulated My-CoolPay server.
func Sandbox(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8787", "address to listen on")
	pub := fs.String("public-key", client.SandboxPublicKey, "public key the sandbox accepts")
	priv := fs.String("private-key", sandbox.DefaultPrivateKey, "private key the sandbox expects (a test key, printed at start)")
	cbURL := fs.String("callback-url", "", "POST a signed callback here when a transaction becomes final")
	confirm := fs.Duration("confirm-after", 2*time.Second, "time until a pending transaction reaches its outcome")
	balance := fs.Int64("balance", 1_000_000, "starting merchant balance (XAF)")
	var allow stringList
	fs.Var(&allow, "allow-payout-ip", "client address allowed to send payouts, besides loopback (repeatable)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *confirm < 0 || *balance < 0 {
		return fail(stderr, fmt.Errorf("--confirm-after and --balance must not be negative"))
	}
	run, err := sandbox.Listen(*addr, sandbox.Config{
		PublicKey: *pub, PrivateKey: *priv, CallbackURL: *cbURL,
		ConfirmAfter: *confirm, Balance: *balance, AllowPayoutIP: allow,
	})
	if err != nil {
		return fail(stderr, err)
	}
	// The sandbox's keys are test keys, printed on purpose so a newcomer can
	// point any client at it; they move no real money.
	fmt.Fprintf(stdout, "coolpay sandbox (simulated My-CoolPay) listening\n  base URL:    %s\n  public key:  %s\n  private key: %s (sandbox only)\nCtrl-C to stop.\n", run.URL(), *pub, *priv)
	ctx, cancel := signalContext()
	defer cancel()
	<-ctx.Done()
	sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer scancel()
	if err := run.Shutdown(sctx); err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintln(stdout, "sandbox stopped")
	return 0
}
