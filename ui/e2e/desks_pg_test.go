package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store/pgtest"
)

// TestTwoDesksOnePostgresLedger: two consoles (two desks, in two tmux
// servers) and a listener share one PostgreSQL ledger. Desk A sends a
// payout whose answer is lost; the listener settles it from the sandbox's
// callback; desk B's open History shows it paid without a restart, and so
// does desk A. No password appears on either screen.
func TestTwoDesksOnePostgresLedger(t *testing.T) {
	needTmux(t)
	url := pgtest.URL(t)
	bin := buildBinary(t)
	apiAddr, cbAddr := freePort(t), freePort(t)
	env := append(os.Environ(), "LANG=C.UTF-8", "COOLPAY_DB="+url,
		"COOLPAY_BASE_URL=http://"+apiAddr+"/api", "COOLPAY_PUBLIC_KEY="+client.SandboxPublicKey,
		"COOLPAY_PRIVATE_KEY="+sandbox.DefaultPrivateKey)
	start := func(args ...string) *syncBuffer { return startProc(t, bin, env, args...) }
	sbOut := start("sandbox", "--quiet", "--addr", apiAddr, "--confirm-after", "300ms", "--callback-url", "http://"+cbAddr+"/callback")
	waitOut(t, sbOut, apiAddr)

	console := func(name string) *term { return startDesk(t, name, bin, 120, env[len(os.Environ()):]) }
	a := console("coolpay-deskA")
	b := console("coolpay-deskB")
	b.keys("C-Right", "C-Right") // History
	b.waitFor(`History`, 5*time.Second)

	// The listener is a third process on the same database.
	lnOut := start("listen", "--addr", cbAddr, "--allow-ip", "127.0.0.1")
	waitOut(t, lnOut, "istening for callbacks")

	sendLostPayout(a)
	waitOut(t, lnOut, "callback confirmed")
	// Desk B's open History shows what desk A journaled and the listener
	// settled, without a restart.
	s := b.waitFor(`(?s)payout.*success`, 5*time.Second)
	a.keys("C-Right")
	a.waitFor(`(?s)payout.*success`, 5*time.Second)
	pw := url[strings.Index(url, ":pw")+1 : strings.Index(url, "@")]
	if strings.Contains(s, pw) || strings.Contains(a.screen(), pw) {
		t.Fatal("a console shows the database password")
	}
	// Every desk sees one record: no second one was made by the listener.
	cmd := exec.Command(bin, "history", "--json")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil || strings.Count(string(out), `"PAYOUT"`) != 1 || !strings.Contains(string(out), `"SUCCESS"`) {
		t.Fatalf("history --json on the shared ledger: %v\n%s", err, out)
	}
	for _, tm := range []*term{a, b} {
		tm.keys("C-c")
		tm.waitFor(`EXIT=0|Quit anyway`, 5*time.Second)
	}
}
