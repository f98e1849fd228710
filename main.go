// Command coolpay is a terminal merchant console for the My-CoolPay payment
// API, plus scriptable commands that share its ledger. The command tree
// lives in ui/cli; this only runs it.
package main

import (
	"os"

	"github.com/coolpay/coolpay/ui/cli"
)

func main() {
	os.Exit(cli.Main(cli.NewFactory(), os.Args[1:]))
}
