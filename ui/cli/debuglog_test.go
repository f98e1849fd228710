package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// COOLPAY_DEBUG=FILE logs every API request and answer to FILE (appended,
// so the console can use it too), and never the private key.
func TestDebugLogRecordsRequestsWithoutTheKey(t *testing.T) {
	e := newCLIEnv(t)
	logPath := filepath.Join(t.TempDir(), "debug.log")
	e.env["COOLPAY_DEBUG"] = logPath
	if out, errs, code := e.run("balance"); code != 0 {
		t.Fatalf("balance: %d %q %q", code, out, errs)
	}
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	if !strings.Contains(log, "coolpay request") || !strings.Contains(log, "op=balance") || !strings.Contains(log, "coolpay response") {
		t.Fatalf("the debug log lacks the request and its answer:\n%s", log)
	}
	if strings.Contains(log, sbKey) {
		t.Fatalf("the private key is in the debug log:\n%s", log)
	}
	if fi, err := os.Stat(logPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("debug log mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	delete(e.env, "COOLPAY_DEBUG")
	e.run("balance")
	if b2, _ := os.ReadFile(logPath); len(b2) != len(b) {
		t.Fatal("without COOLPAY_DEBUG the log still grows")
	}
}
