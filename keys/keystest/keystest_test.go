package keystest_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/keys/keystest"
)

const pub = "11111111-2222-3333-4444-555555555555"

// TestGuardCountsEveryReachOfTheOSKeyring: Keys built without a keyring of
// their own go to go-keyring's provider; under the guard that is counted and
// refused, so a TestMain can fail the run.
func TestGuardCountsEveryReachOfTheOSKeyring(t *testing.T) {
	g := keystest.GuardOSKeyring()
	noEnv := keys.WithEnv(func(string) (string, bool) { return "", false })
	ctx := context.Background()

	mem := keystest.NewMemory()
	k := keys.New(pub, noEnv, keys.WithKeyring(mem))
	if src, err := k.Set(ctx, "a-private-key-in-memory"); err != nil || src != keys.SourceKeyring {
		t.Fatalf("Set in the memory keyring: %q %v", src, err)
	}
	if v, ok := mem.Secret(keys.Service, pub); !ok || v != "a-private-key-in-memory" || g.Reached() != 0 {
		t.Fatalf("memory holds %q %v; guard reached %d", v, ok, g.Reached())
	}

	st := keys.New(pub, noEnv).Status(ctx) // no keyring given: the OS one
	if g.Reached() == 0 || st.KeyringAvailable || !strings.Contains(st.KeyringError, "reached the OS keyring") {
		t.Fatalf("the OS keyring was reached unnoticed: reached %d, %+v", g.Reached(), st)
	}
	if g.Check(0) != 1 {
		t.Fatal("Check passes a run that reached the OS keyring")
	}
}

func TestMemoryFails(t *testing.T) {
	mem := keystest.NewMemory()
	mem.Fail(errors.New("org.freedesktop.secrets was not provided"))
	k := keys.New(pub, keys.WithEnv(func(string) (string, bool) { return "", false }), keys.WithKeyring(mem))
	if src, err := k.Set(context.Background(), "a-private-key-in-memory"); !errors.Is(err, keys.ErrNoKeyring) || src != keys.SourceMemory {
		t.Fatalf("Set on a failing keyring: %q %v", src, err)
	}
	if mem.Calls() != 1 {
		t.Fatalf("calls %d", mem.Calls())
	}
}
