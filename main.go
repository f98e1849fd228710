// Command coolpay is a terminal merchant console for the My-CoolPay payment
// API, plus scriptable commands that share its ledger.
//
// This binary is deliberately light: it answers `coolpay history` itself,
// from the ledger alone, and hands every other command (the console, the
// sandbox, the networked commands) to its companion coolpay-console
// (ui/cmd/coolpay-console), which it execs in its own place. Go runs every
// linked package's start-up code before main, so keeping the console's
// libraries out of this binary is what lets history answer about as fast as
// sqlite3 would.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/coolpay/coolpay/ui/cli/launch"
	"github.com/coolpay/coolpay/ui/cli/offline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	g := offline.NewGlobals(os.Getenv)
	fs := flag.NewFlagSet("coolpay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	g.Register(fs)
	// The console's own flags, known here only so their values are skipped
	// while looking for the command; coolpay-console gives them meaning.
	fs.Bool("sandbox", false, "")
	fs.String("sandbox-addr", "", "")
	fs.String("lang", "", "")
	err := fs.Parse(args)
	switch {
	case err == flag.ErrHelp, err == nil && fs.Arg(0) == "help":
		fmt.Fprint(stdout, offline.Usage)
		return 0
	case err == nil && fs.Arg(0) == "history":
		return offline.History(g, fs.Args()[1:], stdout, stderr)
	}
	// Everything else, flag errors included, is the companion's to answer.
	if err := launch.Exec(args); err != nil {
		return offline.Fail(stderr, err)
	}
	return 0
}
