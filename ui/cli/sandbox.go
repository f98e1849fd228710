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

// DefaultSandboxAddr is where `coolpay sandbox` listens and `settle` looks.
const DefaultSandboxAddr = "127.0.0.1:8787"

// Sandbox is `coolpay sandbox`: the simulated My-CoolPay server, and
// `coolpay sandbox settle` which forces an outcome on a running one. The
// behaviour lives in client/sandbox; this only reads flags.
func Sandbox(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "settle" {
		return SandboxSettle(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultSandboxAddr, "address to listen on")
	pub := fs.String("public-key", client.SandboxPublicKey, "public key the sandbox accepts")
	priv := fs.String("private-key", sandbox.DefaultPrivateKey, "private key the sandbox expects (the default test key is printed at start)")
	cbURL := fs.String("callback-url", "", "POST a signed callback here when a transaction becomes final")
	confirm := fs.Duration("confirm-after", 2*time.Second, "time until a pending transaction reaches its outcome")
	balance := fs.Int64("balance", 1_000_000, "starting merchant balance (XAF)")
	var allow stringList
	fs.Var(&allow, "allow-payout-ip", "client address allowed to send payouts, besides loopback (repeatable)")
	strict := fs.Bool("strict-ip", false, "loopback is not allowed to send payouts either: only --allow-payout-ip")
	ipReject := fs.String("ip-reject", sandbox.IPRejectRedirect, "how a payout from a non-listed address is answered: redirect (302 HTML page), hang (no answer) or json (403)")
	errField := fs.String("error-field", sandbox.ErrorFieldMessage, "JSON field that carries an error's text: message or msg")
	quiet := fs.Bool("quiet", false, "no line per request")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "coolpay sandbox: unexpected argument %q (did you mean `coolpay sandbox settle REF STATUS`?)\n", fs.Arg(0))
		return 2
	}
	mode, err := sandbox.ParseIPReject(*ipReject)
	if err != nil {
		fmt.Fprintln(stderr, "coolpay sandbox:", err)
		return 2
	}
	if *errField != sandbox.ErrorFieldMessage && *errField != sandbox.ErrorFieldMsg {
		fmt.Fprintf(stderr, "coolpay sandbox: --error-field %q: use message or msg\n", *errField)
		return 2
	}
	if *confirm < 0 || *balance < 0 {
		return fail(stderr, fmt.Errorf("--confirm-after and --balance must not be negative"))
	}
	cfg := sandbox.Config{
		PublicKey: *pub, PrivateKey: *priv, CallbackURL: *cbURL,
		ConfirmAfter: *confirm, Balance: *balance, AllowPayoutIP: allow,
		StrictIP: *strict, IPReject: mode, ErrorField: *errField,
	}
	if !*quiet {
		cfg.RequestLog = stdout
	}
	run, err := sandbox.Listen(*addr, cfg)
	if err != nil {
		return fail(stderr, err)
	}
	cfg.WriteBanner(stdout, run.URL())
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

// SandboxSettle is `coolpay sandbox settle REF SUCCESS|FAILED|CANCELED`.
func SandboxSettle(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sandbox settle", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", DefaultSandboxAddr, "address (or URL) of the running sandbox")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: coolpay sandbox settle TRANSACTION_REF SUCCESS|FAILED|CANCELED [--addr 127.0.0.1:8787]")
		fs.PrintDefaults()
	}
	// Flags may come after the two arguments, as in the README's examples.
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 2 {
		fs.Usage()
		return 2
	}
	if _, err := sandbox.ParseOutcome(pos[1]); err != nil {
		fmt.Fprintf(stderr, "coolpay sandbox settle: %q: %v\n", pos[1], err)
		return 2
	}
	st, err := sandbox.Settle(context.Background(), *addr, pos[0], pos[1])
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "%s is now %s (callback sent if the sandbox has a --callback-url)\n", pos[0], st.TransactionStatus)
	return 0
}
