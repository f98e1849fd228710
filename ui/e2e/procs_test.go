package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startProc runs bin with args and the environment env in the background
// for the rest of the test, and returns what it prints.
func startProc(t *testing.T, bin string, env []string, args ...string) *syncBuffer {
	t.Helper()
	var out syncBuffer
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return &out
}

// waitOut waits up to 10 s for a process started with startProc to print
// what.
func waitOut(t *testing.T, out *syncBuffer, what string) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), what); {
		if time.Now().After(end) {
			t.Fatalf("never printed %q:\n%s", what, out.String())
		}
		time.Sleep(20 * time.Millisecond) // the next look at its output
	}
}

// startDesk opens the real console bin, in English, in a tmux session of
// its own cols×34 with the variables vars (KEY=VALUE, each quoted for the
// shell: a database URL holds '?' and '&'), and waits for its first frame.
func startDesk(t *testing.T, name, bin string, cols int, vars []string) *term {
	t.Helper()
	var line strings.Builder
	for _, kv := range vars {
		k, v, _ := strings.Cut(kv, "=")
		line.WriteString(k + "='" + v + "' ")
	}
	tm := newTerm(t, name)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(cols), "-y", "34",
		fmt.Sprintf("env TERM=xterm-256color %s %s --lang en; echo EXIT=$?; sleep 60", line.String(), bin))
	tm.waitFor(`Payin — mobile money`, 15*time.Second)
	return tm
}

// freshDesk is a machine where coolpay never ran: a new HOME with its data
// directory, and none of coolpay's variables (nor XDG_CONFIG_HOME, which
// would move the desk file) taken from the environment the tests run in.
// env is the "env …" start of a tmux command line.
func freshDesk(t *testing.T) (home, data, env string) {
	home = t.TempDir()
	data = filepath.Join(home, "data")
	env = fmt.Sprintf("env -u COOLPAY_DB -u COOLPAY_PUBLIC_KEY -u COOLPAY_PRIVATE_KEY -u COOLPAY_DESK_FILE -u XDG_CONFIG_HOME "+
		"HOME=%s XDG_DATA_HOME=%s LANG=C.UTF-8 TERM=xterm-256color", home, data)
	return home, data, env
}
