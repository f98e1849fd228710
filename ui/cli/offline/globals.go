// Package offline is what the light `coolpay` binary runs itself: the
// commands that need only the ledger (history), the global flags and the
// usage text. It imports nothing but the standard library and store, because
// `coolpay history` is measured as a whole process against sqlite3 and every
// linked package's start-up cost counts. Everything else runs in the
// companion binary coolpay-console (see ui/cli/launch).
package offline

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

// Globals are the flags every command accepts: --db, --base-url, --public-key.
type Globals struct {
	DB        string
	BaseURL   string
	PublicKey string
	Getenv    func(string) string
}

// NewGlobals reads defaults from the environment.
func NewGlobals(getenv func(string) string) *Globals {
	if getenv == nil {
		getenv = os.Getenv
	}
	return &Globals{Getenv: getenv}
}

// Register adds the global flags to a flag set; every command registers
// them too, so they may stand on either side of the command's name.
func (g *Globals) Register(fs *flag.FlagSet) {
	fs.StringVar(&g.DB, "db", g.DB, "ledger file (env COOLPAY_DB; default in the user data directory)")
	fs.StringVar(&g.BaseURL, "base-url", g.BaseURL, "API base URL (env COOLPAY_BASE_URL; default https://my-coolpay.com/api)")
	fs.StringVar(&g.PublicKey, "public-key", g.PublicKey, "merchant public key (env COOLPAY_PUBLIC_KEY)")
}

// DBPath is the ledger file: --db, then COOLPAY_DB, then the default.
func (g *Globals) DBPath() (string, error) {
	if g.DB != "" {
		return g.DB, nil
	}
	if v := g.Getenv("COOLPAY_DB"); v != "" {
		return v, nil
	}
	return store.DefaultPath()
}

// Fail prints err as one line on stderr and returns the exit code 1.
// The message may quote the server: it is shown inert (ui/safe).
func Fail(stderr io.Writer, err error) int {
	msg := safe.Line(err.Error())
	if !strings.HasPrefix(msg, "coolpay:") {
		msg = "coolpay: " + msg
	}
	fmt.Fprintln(stderr, msg)
	return 1
}

// Usage is the help text of both binaries.
const Usage = `coolpay — a terminal merchant console for the My-CoolPay API

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
  coolpay config [list | get KEY | set KEY VALUE | unset KEY]
                               the settings kept in the ledger (never the private key)
  coolpay seed --count N [--force] fill a ledger with synthetic history (demos, benchmarks)

Global flags (before or after the command): --db (env COOLPAY_DB), --base-url
(env COOLPAY_BASE_URL), --public-key (env COOLPAY_PUBLIC_KEY).
`
