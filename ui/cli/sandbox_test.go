package cli_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/ui/cli"
)

func TestSandboxFlagsRefuseBadValuesWithExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--ip-reject", "teapot"},
		{"--error-field", "text"},
		{"--no-such-flag"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		if code := cli.Sandbox(args, &out, &errb); code != 2 {
			t.Errorf("sandbox %v: exit %d, want 2 (usage)\n%s", args, code, errb.String())
		}
	}
}

func TestSandboxSettleCommand(t *testing.T) {
	sb := sandbox.New(sandbox.Config{})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := cli.Sandbox(append([]string{"settle"}, args...), &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := run("only-one-arg"); code != 2 || !strings.Contains(out, "usage: coolpay sandbox settle") {
		t.Fatalf("one argument: %d %s", code, out)
	}
	if code, out := run("REF", "PAID", "--addr", srv.URL); code != 2 || !strings.Contains(out, "SUCCESS, FAILED or CANCELED") {
		t.Fatalf("bad outcome: %d %s", code, out)
	}
	if code, out := run("no-such-ref", "FAILED", "--addr", srv.URL); code != 1 || !strings.Contains(out, "Transaction not found") {
		t.Fatalf("unknown ref: %d %s", code, out)
	}
	if code, out := run("REF", "FAILED", "--addr", "127.0.0.1:1"); code != 1 || !strings.Contains(out, "is a sandbox running") {
		t.Fatalf("nothing listening: %d %s", code, out)
	}
}
