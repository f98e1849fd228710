package keys

// This file's name sorts before keys_test.go on purpose: go test runs tests in
// file order, so this test runs before any unit test swaps go-keyring's
// provider for its mock. The mockInstalled guard catches -shuffle.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// TestKeyringRealSecretService runs against the session's real Secret
// Service. It is skipped unless COOLPAY_REAL_KEYRING=1; with it set, an
// unreachable keyring is a failure, so CI cannot pass without really testing.
// Run it as: .ci/with-keyring env COOLPAY_REAL_KEYRING=1 go test -count=1 -run Keyring ./keys/
func TestKeyringRealSecretService(t *testing.T) {
	if os.Getenv("COOLPAY_REAL_KEYRING") != "1" {
		t.Skip("set COOLPAY_REAL_KEYRING=1 (inside .ci/with-keyring) to test against a real Secret Service")
	}
	if mockInstalled.Load() {
		t.Fatal("go-keyring's mock was installed by an earlier test in this process; run this test alone: -run TestKeyringRealSecretService")
	}
	ctx := context.Background()
	account := "coolpay-keyring-test-" + randomHex(t)
	first := "FAKE-TEST-KEY-" + randomHex(t)
	second := "FAKE-TEST-KEY-" + randomHex(t)
	// A generous timeout: the first call may start the daemon by D-Bus activation.
	newKeys := func() *Keys {
		return New(account, WithTimeout(10*time.Second), WithEnv(noEnv), WithPrompt(failPrompt(t)))
	}
	t.Cleanup(func() { _ = keyring.Delete(Service, account) })

	st := newKeys().Status(ctx)
	if !st.KeyringAvailable {
		t.Fatalf("the Secret Service cannot be reached: %s", st.KeyringError)
	}
	if st.Set {
		t.Fatalf("a fresh test account already has a key: %+v", st)
	}

	if src, err := newKeys().Set(ctx, first); err != nil || src != SourceKeyring {
		t.Fatalf("Set = %q, %v; want keyring", src, err)
	}
	checkStored(t, account, first)
	if got, err := newKeys().PrivateKey(ctx); err != nil || got != first {
		t.Fatalf("read back in a new Keys: err %v, same key %v", err, got == first)
	}

	if src, err := newKeys().Set(ctx, second); err != nil || src != SourceKeyring {
		t.Fatalf("replacing Set = %q, %v", src, err)
	}
	checkStored(t, account, second)
	if got, err := newKeys().PrivateKey(ctx); err != nil || got != second {
		t.Fatalf("read back after replace: err %v, new key %v", err, got == second)
	}

	if err := newKeys().Delete(ctx); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := keyring.Get(Service, account); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("the key is still in the keyring after Delete (err %v)", err)
	}
	if st := newKeys().Status(ctx); st != (Status{Source: SourceNone, KeyringAvailable: true}) {
		t.Fatalf("Status after Delete = %+v", st)
	}
}

// checkStored asks the Secret Service through libsecret's secret-tool, which
// shares no code with go-keyring, so the test cannot be fooled by a mock.
func checkStored(t *testing.T, account, want string) {
	t.Helper()
	path, err := exec.LookPath("secret-tool")
	if err != nil {
		t.Log("secret-tool not installed (Debian package libsecret-tools); skipping the independent check")
		return
	}
	out, err := exec.Command(path, "lookup", "service", Service, "username", account).Output()
	if err != nil {
		t.Fatalf("secret-tool lookup failed: %v", err)
	}
	if strings.TrimSpace(string(out)) != want {
		t.Fatal("secret-tool sees a different secret for the test account than the one stored")
	}
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
