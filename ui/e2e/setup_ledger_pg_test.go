package e2e

import (
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestFirstRunMovesToPostgreSQL drives the real binary's first-run screen
// from the default ledger file to a PostgreSQL database: a remote URL
// without TLS is refused in the store's words; a wrong password typed in
// the masked field is said under it; the right one (no keyring here: said
// not kept) opens the empty database after "enter again", the keys land in
// it, the desk remembers the URL without its password, and the console
// reopens on it. The password is never on screen.
func TestFirstRunMovesToPostgreSQL(t *testing.T) {
	needTmux(t)
	full := pgtest.URL(t)
	bin := buildBinary(t)
	addr := freePort(t)
	startSandbox(t, bin, "--addr", addr, "--quiet")
	u, _ := neturl.Parse(full)
	pw, _ := u.User.Password()
	u.User = neturl.User(u.User.Username())
	bare := u.String()

	home, data, env := freshDesk(t)
	env += fmt.Sprintf(" env -u PGPASSWORD PGPASSFILE=%s DBUS_SESSION_BUS_ADDRESS=unix:path=%s COOLPAY_BASE_URL=http://%s/api",
		filepath.Join(home, "none"), filepath.Join(home, "no-bus"), addr)
	tm := startConsole(t, "setup-ledger-pg", 130, 40, fmt.Sprintf("%s %s --lang en", env, bin))
	tm.waitFor(`Ledger`, 10*time.Second)
	tm.typeText(client.SandboxPublicKey)
	tm.keys("Tab")
	tm.typeText(sandbox.DefaultPrivateKey)
	tm.keys("Tab", "Tab", "C-u")
	tm.typeText("postgres://coolpay@db.example.com/coolpay")
	tm.keys("Enter")
	tm.waitFor(`without TLS`, 5*time.Second)

	tm.keys("C-u")
	tm.typeText(bare)
	tm.keys("Tab") // the database password field, shown for a URL
	tm.typeText("wrong-" + pw)
	if strings.Contains(tm.screen(), "wrong-") {
		t.Fatal("the database password is echoed")
	}
	tm.keys("Enter")
	tm.waitFor(`the database refused this password`, 15*time.Second)
	tm.keys("C-u")
	tm.typeText(pw)
	tm.keys("Enter")
	tm.waitFor(`no coolpay ledger in the database`, 15*time.Second)
	tm.keys("Enter")
	s := tm.waitFor(`The keys work`, 20*time.Second)
	if !strings.Contains(s, "Not kept") || strings.Contains(s, pw) {
		t.Fatalf("the password's keeping is not said (or the password is shown):\n%s", s)
	}
	tm.keys("Enter")
	s = tm.waitFor(`Payin — mobile money`, 20*time.Second)
	if strings.Contains(s, pw) {
		t.Fatalf("the password is on screen:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 10*time.Second)

	vars := []string{"HOME=" + home, "XDG_DATA_HOME=" + data}
	if out, errs, code := runSplit(t, bin, vars, "--db", full, "config", "get", "public_key"); code != 0 || strings.TrimSpace(out) != client.SandboxPublicKey {
		t.Fatalf("public key in the PostgreSQL ledger: %d %q %q", code, out, errs)
	}
	raw, err := os.ReadFile(filepath.Join(home, ".config", "coolpay", "desk-settings.json"))
	if err != nil || !regexp.MustCompile(`"ledger": "`+regexp.QuoteMeta(bare)+`"`).Match(raw) || strings.Contains(string(raw), pw) {
		t.Fatalf("desk file %q, %v: want the URL without its password", raw, err)
	}
}
