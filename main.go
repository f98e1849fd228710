// Command coolpay is a terminal merchant console for the My-CoolPay payment
// API, plus the scriptable commands that share its ledger.
//
// main.go only parses flags, wires dependencies and runs; the work lives in
// client/, store/, keys/ and ui/.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/coolpay/coolpay/ui/cli"
)

const usage = `coolpay — a terminal merchant console for the My-CoolPay API

Usage:
  coolpay [--sandbox] [--db PATH] [--base-url URL] [--public-key KEY] [--lang en|fr]
                               open the console (--sandbox: on a built-in simulated API)
  coolpay sandbox [--addr 127.0.0.1:8787] [--callback-url URL] [--confirm-after 2s] [--balance N]
                               run the simulated My-CoolPay server
  coolpay keys set|delete|status   manage the private key in the OS keyring
  coolpay status REF [--json]      ask the API about a transaction and update the ledger
  coolpay balance [--json]         the merchant balance
  coolpay history [--json|--csv] [--type T] [--state S] [--operator O]
                  [--since DATE] [--until DATE] [--search TEXT] [--limit N]
                               the local ledger, offline
  coolpay reconcile                poll every transaction that is not final
  coolpay listen --addr ADDR [--path /callback/SECRET] [--allow-ip IP]... [--trust-proxy CIDR]...
                               receive and verify My-CoolPay callbacks
  coolpay seed --count N [--force] fill a ledger with synthetic history (demos, benchmarks)

Global flags (before or after the command): --db (env COOLPAY_DB), --base-url
(env COOLPAY_BASE_URL), --public-key (env COOLPAY_PUBLIC_KEY).
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	g := cli.NewGlobals(os.Getenv)
	fs := flag.NewFlagSet("coolpay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	g.Register(fs)
	var opts cli.ConsoleOptions
	fs.BoolVar(&opts.Sandbox, "sandbox", false, "run the console on a built-in sandbox server")
	fs.StringVar(&opts.SandboxAddr, "sandbox-addr", "127.0.0.1:0", "address of the built-in sandbox (with --sandbox)")
	fs.StringVar(&opts.Lang, "lang", "", "interface language, en or fr (default from the environment)")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return cli.Console(g, opts, stderr)
	}
	cmd, cargs := rest[0], rest[1:]
	switch cmd {
	case "history":
		return cli.History(g, cargs, stdout, stderr)
	case "sandbox":
		return cli.Sandbox(cargs, stdout, stderr)
	case "keys":
		return cli.Keys(g, cargs, stdin, stdout, stderr)
	case "status":
		return cli.Status(g, cargs, stdin, stdout, stderr)
	case "balance":
		return cli.Balance(g, cargs, stdin, stdout, stderr)
	case "reconcile":
		return cli.Reconcile(g, cargs, stdin, stdout, stderr)
	case "listen":
		return cli.Listen(g, cargs, stdin, stdout, stderr)
	case "seed":
		return cli.Seed(g, cargs, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "coolpay: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}
