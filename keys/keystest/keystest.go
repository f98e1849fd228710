// Package keystest keeps tests away from the machine's OS keyring: an
// in-memory keyring to put behind keys.Keys (keys.WithKeyring, or
// cli.Factory.Keyring), and a guard for TestMain that notices any test that
// reaches go-keyring's real provider by accident. Only tests import it.
package keystest

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/zalando/go-keyring"
)

// Memory is a keyring held in memory, safe for concurrent use (go-keyring's
// own mock is not). The zero value is empty and ready.
type Memory struct {
	mu      sync.Mutex
	secrets map[string]string
	err     error
	calls   int
}

// NewMemory returns an empty in-memory keyring.
func NewMemory() *Memory { return &Memory{} }

// Fail makes every later call fail with err, as an unavailable keyring does
// (nil: it works again).
func (m *Memory) Fail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.err = err
}

// Calls is how many times the keyring was asked (get, set or delete).
func (m *Memory) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// Secret is what the keyring holds for service and user ("" and false: nothing).
func (m *Memory) Secret(service, user string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.secrets[service+"\x00"+user]
	return v, ok
}

// Get implements keys.Keyring.
func (m *Memory) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.err != nil {
		return "", m.err
	}
	v, ok := m.secrets[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

// Set implements keys.Keyring.
func (m *Memory) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.err != nil {
		return m.err
	}
	if m.secrets == nil {
		m.secrets = map[string]string{}
	}
	m.secrets[service+"\x00"+user] = secret
	return nil
}

// Delete implements keys.Keyring.
func (m *Memory) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if m.err != nil {
		return m.err
	}
	if _, ok := m.secrets[service+"\x00"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.secrets, service+"\x00"+user)
	return nil
}

// Guard notices a test reaching go-keyring's package-level provider, the
// one keys.New uses by default: the machine's real keyring.
type Guard struct{ n atomic.Int64 }

// ErrOSKeyring is what go-keyring answers under a Guard.
var ErrOSKeyring = errors.New("a test reached the OS keyring (use keystest.Memory)")

// reached is the error the guarded provider returns. keys looks at every
// keyring error (errors.Is against keyring.ErrNotFound, then its text), so
// each call through keys.Keys is counted; a direct keyring.Get in a test
// gets the error and fails on its own.
type reached struct{ g *Guard }

func (e reached) Error() string        { e.g.n.Add(1); return ErrOSKeyring.Error() }
func (e reached) Is(target error) bool { e.g.n.Add(1); return target == ErrOSKeyring }

// GuardOSKeyring replaces go-keyring's provider for the whole test binary
// with one that refuses every call and counts it. Call it first in TestMain
// and fail the run when Reached is not 0:
//
//	g := keystest.GuardOSKeyring()
//	code := m.Run()
//	os.Exit(g.Check(code))
func GuardOSKeyring() *Guard {
	g := &Guard{}
	keyring.MockInitWithError(reached{g})
	return g
}

// Reached is how often the real keyring would have been asked (0: never).
func (g *Guard) Reached() int64 { return g.n.Load() }

// Check is the exit code for TestMain: code, or 1 with a message on stderr
// when a test reached the OS keyring.
func (g *Guard) Check(code int) int {
	if g.Reached() > 0 {
		println("FAIL: a test reached the OS keyring; give it a keystest.Memory (keys.WithKeyring, cli.Factory.Keyring)")
		return 1
	}
	return code
}
