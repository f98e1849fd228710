package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
)

// TestFirstRunChangesTheLedger drives the real binary: the first-run
// screen shows the default ledger; a second file typed there is asked
// about, created, receives the keys (the default ledger none), is
// remembered by the desk, and the console reopens on it by itself; the
// next command without --db uses it too.
func TestFirstRunChangesTheLedger(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	startSandbox(t, bin, "--addr", addr, "--quiet")
	base := "http://" + addr + "/api"

	home, data, env := freshDesk(t)
	second := filepath.Join(t.TempDir(), "shop.db")
	tm := startConsole(t, "setup-ledger", 120, 34, fmt.Sprintf("%s COOLPAY_BASE_URL=%s %s --lang en", env, base, bin))
	def := filepath.Join(data, "coolpay", "ledger.db")
	s := tm.waitFor(`Ledger`, 10*time.Second)
	if !strings.Contains(s, def) {
		t.Fatalf("the ledger field does not show the default ledger %s:\n%s", def, s)
	}
	tm.typeText(client.SandboxPublicKey)
	tm.keys("Tab")
	tm.typeText(sandbox.DefaultPrivateKey)
	tm.keys("Tab", "Tab") // the API address comes from COOLPAY_BASE_URL
	tm.keys("C-u")        // the field's text before the cursor
	tm.typeText(second)
	tm.keys("Enter")
	tm.waitFor(regexp.QuoteMeta("no ledger at "+second+" yet"), 5*time.Second)
	if _, err := os.Stat(second); !os.IsNotExist(err) {
		t.Fatalf("created before the second enter: %v", err)
	}
	tm.keys("Enter")
	tm.waitFor(`The keys work`, 15*time.Second)
	tm.keys("Enter")
	// The console starts again on the new ledger: online, no setup.
	s = tm.waitFor(`Payin — mobile money`, 15*time.Second)
	if strings.Contains(s, "EXIT=") || strings.Contains(s, "Public key") {
		t.Fatalf("the console did not reopen on the new ledger:\n%s", s)
	}
	// No OS keyring here: the private key typed on the screen was kept in
	// memory, and the reopened console still has it (the header's
	// balance, which never asks for it, is there).
	tm.waitFor(`Balance: 1 000 000`, 10*time.Second)
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)

	vars := []string{"HOME=" + home, "XDG_DATA_HOME=" + data}
	if out, errs, code := runSplit(t, bin, vars, "--db", second, "config", "get", "public_key"); code != 0 || strings.TrimSpace(out) != client.SandboxPublicKey {
		t.Fatalf("public key in the new ledger: %d %q %q", code, out, errs)
	}
	if out, _, code := runSplit(t, bin, vars, "--db", def, "config", "get", "public_key"); code == 0 {
		t.Fatalf("the default ledger got the keys too: %q", out)
	}
	// Without --db, commands open the ledger the desk remembers.
	if out, errs, code := runSplit(t, bin, vars, "config", "get", "ledger"); code != 0 || strings.TrimSpace(out) != second {
		t.Fatalf("the desk remembers: %d %q %q", code, out, errs)
	}
	if out, errs, code := runSplit(t, bin, vars, "config", "get", "public_key"); code != 0 || strings.TrimSpace(out) != client.SandboxPublicKey {
		t.Fatalf("a command without --db: %d %q %q", code, out, errs)
	}
}
