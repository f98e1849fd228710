package e2e

import (
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestConsoleAsksForTheDatabasePassword: a desk whose PostgreSQL URL has no
// password, and no PGPASSWORD, .pgpass or keyring entry either: the
// console asks for it before it starts, without echoing what is typed;
// a wrong one is asked again, the right one opens the ledger after the
// offer to keep it in the keyring (declined here), and the password is
// never on screen.
func TestConsoleAsksForTheDatabasePassword(t *testing.T) {
	needTmux(t)
	url := pgtest.URL(t)
	bin := buildBinary(t)
	u, _ := neturl.Parse(url)
	pw, _ := u.User.Password()
	u.User = neturl.User(u.User.Username())
	home := t.TempDir()
	env := map[string]string{
		"LANG": "C.UTF-8", "HOME": home, "XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"PGPASSFILE": filepath.Join(home, "none"), "DBUS_SESSION_BUS_ADDRESS": "unix:path=" + filepath.Join(home, "no-bus"),
		"COOLPAY_DB": u.String(), "COOLPAY_BASE_URL": "http://" + freePort(t) + "/api",
		"COOLPAY_PUBLIC_KEY": client.SandboxPublicKey, "COOLPAY_PRIVATE_KEY": sandbox.DefaultPrivateKey,
	}
	var line strings.Builder
	for k, v := range env {
		line.WriteString(k + "='" + v + "' ")
	}
	tm := newTerm(t, "coolpay-dbpw")
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "34",
		fmt.Sprintf("env -u PGPASSWORD TERM=xterm-256color %s %s --lang en; echo EXIT=$?; sleep 60", line.String(), bin))
	tm.waitFor(`needs its password`, 15*time.Second)
	tm.typeText("wrong-" + pw)
	if strings.Contains(tm.screen(), "wrong-") {
		t.Fatal("the password is echoed as it is typed")
	}
	tm.keys("Enter")
	tm.waitFor(`(?s)needs its password.*needs its password`, 10*time.Second)
	tm.typeText(pw)
	tm.keys("Enter")
	s := tm.waitFor(`Keep it in this computer's keyring \(service coolpay-db, account `+u.User.Username()+`@127.0.0.1\)`, 10*time.Second)
	if strings.Contains(s, pw) {
		t.Fatalf("the password is on screen:\n%s", s)
	}
	tm.typeText("n")
	tm.keys("Enter")
	s = tm.waitFor(`Payin — mobile money`, 15*time.Second)
	if strings.Contains(s, pw) {
		t.Fatalf("the console shows the password:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0|Quit anyway`, 5*time.Second)
	if _, err := os.Stat(filepath.Join(home, ".pgpass")); err == nil {
		t.Fatal("a .pgpass was written")
	}
}
