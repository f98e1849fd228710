package cli_test

import (
	"os"
	"testing"

	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/cli"
)

// TestMain lets this test binary stand in for coolpay where a command runs
// coolpay itself (doctor checks the ledger in a child process).
//
// Before anything, go-keyring's provider is replaced by a guard: a test that
// reaches the machine's keyring (a Factory without a keystest.Memory) fails
// the run instead of reading or writing the user's real keys.
func TestMain(m *testing.M) {
	guard := keystest.GuardOSKeyring()
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
	// The guard's verdict first; the throwaway PostgreSQL, if a test
	// started one, is stopped either way.
	code := guard.Check(pgtest.Main(m))
	os.RemoveAll(dir)
	os.Exit(code)
}
