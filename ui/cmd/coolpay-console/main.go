// Command coolpay-console is the companion of coolpay: the console and every
// command that talks to the network or the keyring. Users type `coolpay`,
// which execs this binary for everything but `history` (see main.go at the
// repository root). It only parses flags, wires dependencies and runs.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/coolpay/coolpay/ui/cli"
	"github.com/coolpay/coolpay/ui/cli/offline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	g := cli.NewGlobals(os.Getenv)
	fs := flag.NewFlagSet("coolpay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, offline.Usage) }
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
		return offline.History(g, cargs, stdout, stderr)
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
	case "config":
		return cli.Config(g, cargs, stdin, stdout, stderr)
	case "seed":
		return cli.Seed(g, cargs, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, offline.Usage)
		return 0
	default:
		fmt.Fprintf(stderr, "coolpay: unknown command %q\n\n%s", cmd, offline.Usage)
		return 2
	}
}
