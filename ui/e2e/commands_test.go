package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
)

func runBin(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

// runSplit runs the built binary and returns stdout, stderr and the exit
// code, as a script calling coolpay sees them. The environment is the
// test's without coolpay's variables or a language (English unless env
// says otherwise), with a home of its own so no default ledger is touched;
// env is added last.
func runSplit(t *testing.T, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	home := t.TempDir()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "COOLPAY_"), strings.HasPrefix(k, "LC_"), k == "LANG", k == "LANGUAGE",
			k == "HOME", k == "XDG_DATA_HOME", k == "XDG_CONFIG_HOME":
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, "data"))
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestOneBinaryHelpAndUsageErrors: help goes to stdout with examples and
// exits 0; an unknown command, subcommand or flag, or a wrong number of
// arguments, exits 2 with the message on stderr and nothing on stdout.
func TestOneBinaryHelpAndUsageErrors(t *testing.T) {
	bin := buildBinary(t)
	for _, args := range [][]string{{"--help"}, {"help"}, {"history", "--help"}, {"keys", "set", "-h"}, {"help", "config"}} {
		out, errs, code := runSplit(t, bin, nil, args...)
		if code != 0 || errs != "" || !strings.Contains(out, "Usage:") || !strings.Contains(out, "Examples:") {
			t.Errorf("%v: code %d, stderr %q, stdout:\n%s", args, code, errs, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"nonsense"}, `unknown command "nonsense" for "coolpay"`},
		{[]string{"histroy"}, "Did you mean this?"},
		{[]string{"keys", "frobnicate"}, `unknown command "frobnicate" for "coolpay keys"`},
		{[]string{"config", "frobnicate"}, `unknown command "frobnicate" for "coolpay config"`},
		{[]string{"history", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"history", "--limit", "many"}, "--limit"},
		{[]string{"history", "extra"}, `unexpected argument "extra": coolpay history takes no arguments`},
		{[]string{"status"}, "REF"},
		{[]string{"completion", "tcsh"}, "tcsh"},
		{[]string{"--sandbox-addr"}, "flag needs an argument"},
		{[]string{"help", "nonsense"}, `unknown help topic "nonsense"`},
		{[]string{"history", "--lang", "de"}, `--lang "de"`},
		{[]string{"history", "--json", "--csv"}, "choose one of --json and --csv"},
	} {
		out, errs, code := runSplit(t, bin, nil, tc.args...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "--help' for usage") {
			t.Errorf("%v: code %d, stdout %q, stderr %q (want %q)", tc.args, code, out, errs, tc.want)
		}
	}
}

// TestOneBinaryRunsEveryCommand: the binary `go build .` makes seeds a
// ledger and lists it (no companion binary anywhere).
func TestOneBinaryRunsEveryCommand(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "ledger.db")
	if out, errs, code := runSplit(t, bin, nil, "--db", db, "seed", "--count", "7"); code != 0 || !strings.Contains(out, "Seeded 7") {
		t.Fatalf("seed: %d %s %s", code, out, errs)
	}
	out, errs, code := runSplit(t, bin, nil, "history", "--db", db, "--json", "--limit", "5")
	var recs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 5 {
		t.Fatalf("history: %d %s\n%s", code, errs, out)
	}
	for _, sh := range []string{"bash", "zsh", "fish", "powershell"} {
		out, errs, code := runSplit(t, bin, nil, "completion", sh)
		if code != 0 || !strings.Contains(out, "coolpay") || errs != "" {
			t.Errorf("completion %s: %d %s", sh, code, errs)
		}
	}
	// What the scripts ask the binary: commands, setting names, flag values.
	for _, tc := range []struct{ args, want []string }{
		{[]string{"__complete", "hist"}, []string{"history"}},
		{[]string{"__complete", "config", "set", ""}, []string{"csv_format", "callback_addr"}},
		{[]string{"__complete", "history", "--state", ""}, []string{"PENDING", "UNKNOWN"}},
		{[]string{"__complete", "--lang", ""}, []string{"en", "fr"}},
	} {
		out, _, _ := runSplit(t, bin, nil, tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(out, w+"\n") && !strings.Contains(out, w+"\t") {
				t.Errorf("%v does not offer %q:\n%s", tc.args, w, out)
			}
		}
	}
}

// TestSandboxCommandServesAndStopsOnCtrlC: `coolpay sandbox` prints where it
// listens and its keys, answers the API, and stops cleanly on Ctrl-C.
func TestSandboxCommandServesAndStopsOnCtrlC(t *testing.T) {
	bin := buildBinary(t)
	addr := freePort(t)
	cmd := exec.Command(bin, "sandbox", "--addr", addr, "--balance", "4242")
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Ctrl-C to stop") {
		if time.Now().After(deadline) {
			t.Fatalf("sandbox did not start:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, want := range []string{"http://" + addr + "/api", "118a4852-7df8-46d9-834b-23b4ef25aaab", "coolpay-sandbox-private-key-not-a-secret"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("start-up text lacks %q:\n%s", want, out.String())
		}
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/118a4852-7df8-46d9-834b-23b4ef25aaab/balance", nil)
	req.Header.Set("X-PRIVATE-KEY", "coolpay-sandbox-private-key-not-a-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var bal struct{ Balance int }
	json.NewDecoder(resp.Body).Decode(&bal)
	resp.Body.Close()
	if bal.Balance != 4242 {
		t.Fatalf("balance %d, want the --balance given", bal.Balance)
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil || !strings.Contains(out.String(), "sandbox stopped") {
			t.Fatalf("Ctrl-C: %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop on Ctrl-C")
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestListenWithSavedSettings: coolpay config saves the listener's address,
// path and allowed sender; coolpay listen then takes them, verifies and
// stores a signed callback (as reported, not yet confirmed), answers OK, and
// stops on Ctrl-C.
func TestListenWithSavedSettings(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "ledger.db")
	const pub, priv = "pub-e2e-listen", "TEST-e2e-listen-private-key"
	addr := freePort(t)
	config := func(args ...string) (string, error) {
		return runBin(t, bin, append([]string{"--db", db, "config"}, args...)...)
	}
	for _, kv := range [][2]string{{"public_key", pub}, {"callback_addr", addr}, {"callback_path", "/cb/s3cret"}, {"callback_allow_ip", "127.0.0.1"}} {
		if out, err := config("set", kv[0], kv[1]); err != nil {
			t.Fatalf("config set %s: %v\n%s", kv[0], err, out)
		}
	}
	if out, err := config("set", "private_key", priv); err == nil || strings.Contains(out, priv) {
		t.Fatalf("config accepted a private key: %s", out)
	}
	if out, err := config("set", "poll_step", "5"); err == nil || !strings.Contains(out, "duration") {
		t.Fatalf("config accepted a bad duration: %s", out)
	}
	if out, _ := config("list"); !strings.Contains(out, "/cb/s3cret") {
		t.Fatalf("config list:\n%s", out)
	}

	cmd := exec.Command(bin, "--db", db, "listen")
	cmd.Env = append(os.Environ(), "COOLPAY_PRIVATE_KEY="+priv)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "Listening for callbacks on http://"+addr+"/cb/s3cret") {
		if time.Now().After(deadline) {
			t.Fatalf("listener did not start with the saved settings:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cb := client.SignCallback(client.Callback{Application: pub, TransactionRef: "tx-e2e-1", AppTransactionRef: "app-e2e-1",
		TransactionType: "PAYIN", TransactionAmount: "1500", TransactionFees: "30", TransactionCurrency: "XAF",
		TransactionOperator: "CM_OM", TransactionStatus: "SUCCESS", CustomerPhoneNumber: "690112233"}, priv)
	body, _ := json.Marshal(cb)
	post := func(path string) (int, string) {
		resp, err := http.Post("http://"+addr+path, "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, ans := post("/cb/s3cret"); code != 200 || ans != "OK" {
		t.Fatalf("signed callback: %d %q\n%s", code, ans, out.String())
	}
	if code, _ := post("/callback"); code != 404 {
		t.Fatalf("the default path still answers: %d", code)
	}
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil || !strings.Contains(out.String(), "Stopped.") {
		t.Fatalf("Ctrl-C: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), priv) {
		t.Fatal("the listener printed the private key")
	}
	hist, err := runBin(t, bin, "history", "--db", db, "--json")
	// No API to confirm it with here: the claim shows, not yet confirmed.
	if err != nil || !strings.Contains(hist, `"transaction_ref": "tx-e2e-1"`) || !strings.Contains(hist, `"state": "REPORTED"`) {
		t.Fatalf("the callback is not in the ledger: %v\n%s", err, hist)
	}
}
