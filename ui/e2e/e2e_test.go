// Package e2e drives the real coolpay binary in tmux, as a cashier would:
// `coolpay --sandbox`, keys typed into a real terminal, the screen read back.
package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store/pgtest"
)

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildDir  string
)

// TestMain removes the binary built for this package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop() // the throwaway PostgreSQL, if a test started one
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// buildBinary builds the one coolpay binary, as `go build .` does, once for
// all the tests of this package.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "coolpay-e2e-bin-")
		if buildErr != nil {
			return
		}
		builtBin = filepath.Join(buildDir, "coolpay")
		if out, err := exec.Command("go", "build", "-o", builtBin, "../..").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build coolpay: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

type term struct {
	t      *testing.T
	socket string
}

func (tm *term) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", "e2e") }

// waitFor polls the screen until re matches; it never sleeps blindly.
func (tm *term) waitFor(re string, within time.Duration) string {
	tm.t.Helper()
	rx := regexp.MustCompile(re)
	end := time.Now().Add(within)
	for {
		s := tm.screen()
		if rx.MatchString(s) {
			return s
		}
		if time.Now().After(end) {
			tm.t.Fatalf("screen never showed %q; last screen:\n%s", re, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tm *term) typeText(s string) { tm.tmux("send-keys", "-t", "e2e", "-l", s) }
func (tm *term) keys(k ...string)  { tm.tmux(append([]string{"send-keys", "-t", "e2e"}, k...)...) }

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

type stats struct {
	Payin, Authorize, Payout, Paylink int
}

func sandboxStats(t *testing.T, addr string) stats {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/_sandbox/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// paylinkURL reads the payment URL off the screen; the console may wrap it
// over two lines beside the QR code.
func paylinkURL(screen string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		j := strings.Index(l, "http://")
		if j < 0 {
			continue
		}
		u := strings.Fields(l[j:])[0]
		if i+1 < len(lines) {
			if f := strings.Fields(lines[i+1]); len(f) > 0 && regexp.MustCompile(`^[0-9a-f-]+$`).MatchString(f[0]) {
				u += f[0]
			}
		}
		return u
	}
	return ""
}

// TestConsoleEndToEnd: a payin that succeeds, a payin with OTP (wrong then
// right code), a paylink paid in the sandbox's checkout, a payout confirmed
// with a double-pressed Enter that still sends one request, History showing
// all of them, a resize to 80×24, and quitting.
func TestConsoleEndToEnd(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	tm := newTerm(t, "coolpay-e2e")
	cmdline := fmt.Sprintf("env LANG=C.UTF-8 TERM=xterm-256color %s --sandbox --sandbox-addr %s --lang en; echo EXIT=$?; sleep 60", bin, addr)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "34", cmdline)

	tm.waitFor(`SANDBOX`, 10*time.Second)
	tm.waitFor(`Payin — mobile money`, 5*time.Second)

	// 1. A payin that succeeds (Orange number, amount not ending in 1/2/3).
	tm.typeText("2500")
	tm.keys("Tab")
	tm.typeText("690112233")
	tm.waitFor(`Orange`, 5*time.Second)
	tm.keys("C-s")
	tm.waitFor(`#150\*50#|confirm the payment on the phone`, 5*time.Second)
	tm.waitFor(`✔ SUCCESS`, 15*time.Second)

	// 2. A payin with OTP: the sandbox asks for a code when the phone ends in 00.
	tm.keys("C-n")
	tm.waitFor(`Amount`, 5*time.Second)
	tm.typeText("3000")
	tm.keys("Tab")
	tm.typeText("670000000")
	tm.keys("C-s")
	tm.waitFor(`A code was sent by SMS`, 5*time.Second)
	tm.typeText("1111")
	tm.keys("Enter")
	tm.waitFor(`Wrong code.*2 attempt`, 5*time.Second)
	tm.typeText("1234")
	tm.keys("Enter")
	tm.waitFor(`✔ SUCCESS`, 15*time.Second)

	// 3. A paylink, paid by "the customer" through the sandbox's checkout.
	tm.keys("C-Left")
	tm.waitFor(`Paylink — web checkout`, 5*time.Second)
	tm.typeText("4000")
	tm.keys("C-s")
	s := tm.waitFor(`/payment/checkout/`, 5*time.Second)
	u := paylinkURL(s)
	if !strings.Contains(u, "/payment/checkout/") {
		t.Fatalf("no payment URL on screen:\n%s", s)
	}
	resp, err := http.PostForm(u+"/pay", nil)
	if err != nil {
		t.Fatalf("paying the link %s: %v", u, err)
	}
	resp.Body.Close()
	tm.waitFor(`✔ SUCCESS`, 20*time.Second)

	// 4. A payout: confirmation by typing the amount again; Enter pressed
	// twice in one go must send exactly one request.
	tm.keys("C-Right")
	tm.keys("C-Right")
	tm.waitFor(`Payout — send money`, 5*time.Second)
	tm.keys("Right") // operator: MTN MoMo
	tm.keys("Tab")
	tm.typeText("677123456")
	tm.keys("Tab")
	tm.typeText("5000")
	tm.keys("C-s")
	tm.waitFor(`Check before sending`, 5*time.Second)
	tm.waitFor(`677123456`, time.Second)
	tm.typeText("5000")
	tm.keys("Enter", "Enter")
	tm.waitFor(`✔ Paid`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // give a second request, if any, time to land
	if st := sandboxStats(t, addr); st.Payout != 1 || st.Payin != 2 || st.Authorize != 2 || st.Paylink != 1 {
		t.Fatalf("sandbox counted %+v; want 1 payout, 2 payins, 2 authorize, 1 paylink", st)
	}

	// 5. History shows all four, newest first.
	tm.keys("C-Right")
	s = tm.waitFor(`(?s)payout.*paylink.*payin.*payin`, 5*time.Second)
	if n := strings.Count(s, "success"); n < 4 {
		t.Fatalf("history shows %d successes, want 4:\n%s", n, s)
	}

	// 6. Resize to 80×24: the console redraws to fit.
	tm.tmux("resize-window", "-t", "e2e", "-x", "80", "-y", "24")
	end := time.Now().Add(5 * time.Second)
	for {
		s = tm.screen()
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		fits := len(lines) <= 24 && strings.Contains(lines[0], "SANDBOX")
		for _, l := range lines {
			if len([]rune(l)) > 80 {
				fits = false
			}
		}
		if fits && strings.Contains(s, "payout") {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("console did not fit 80×24 after resize:\n%s", s)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// 7. Quit.
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}

// needTmux skips a test that drives the console in tmux where tmux is
// missing, and fails it in CI, where .ci/run must have installed it.
func needTmux(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed: .ci/run must install it")
		}
		t.Skip("tmux not installed")
	}
}

// newTerm is a private tmux server for one test, killed when it ends.
func newTerm(t *testing.T, name string) *term {
	tm := &term{t: t, socket: fmt.Sprintf("%s-%d", name, os.Getpid())}
	t.Cleanup(func() { exec.Command("tmux", "-L", tm.socket, "kill-server").Run() })
	return tm
}
