package cli_test

import (
	"os"
	"testing"

	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/cli"
)

// TestMain lets this test binary stand in for coolpay where a command runs
// coolpay itself (doctor checks the ledger in a child process).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "doctor-ledger" {
		os.Exit(cli.Main(cli.NewFactory(), os.Args[1:]))
	}
	// On a shared ledger each desk keeps its own settings in the user's
	// configuration directory: never the real one from a test.
	dir, err := os.MkdirTemp("", "coolpay-cli-config-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	code := pgtest.Main(m) // stops the throwaway PostgreSQL, if a test started one
	os.RemoveAll(dir)
	os.Exit(code)
}
