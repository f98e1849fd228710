package keys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/zalando/go-keyring"
)

// Keyring is the slice of go-keyring we use: where private keys live between
// runs. Production uses the OS keyring; tests put an in-memory one behind
// Keys (WithKeyring, keys/keystest) so they never reach the machine's.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// osKeyring forwards to go-keyring's package functions, so keyring.MockInit
// in tests still replaces it.
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) { return keyring.Get(service, user) }
func (osKeyring) Set(service, user, pw string) error       { return keyring.Set(service, user, pw) }
func (osKeyring) Delete(service, user string) error        { return keyring.Delete(service, user) }

// keyringCall runs f with the configured timeout. f runs in its own goroutine
// because a locked desktop keyring can block on a password prompt for as long
// as the user ignores it; on timeout that goroutine is abandoned and finishes
// (or not) on its own.
//
// The error is nil, keyring.ErrNotFound as is, the caller's context error, or
// a *keyError of kind ErrNoKeyring whose message has secret and the key held
// in memory removed.
func (k *Keys) keyringCall(ctx context.Context, secret string, f func() (string, error)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	type result struct {
		v   string
		err error
	}
	done := make(chan result, 1) // buffered: an abandoned call must not block forever
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	timer := time.NewTimer(k.timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			return r.v, nil
		case errors.Is(r.err, keyring.ErrNotFound):
			return "", keyring.ErrNotFound
		default:
			msg := redact(r.err.Error(), secret)
			if h := k.current(); h != nil {
				msg = redact(msg, h.key)
			}
			return "", &keyError{kind: ErrNoKeyring, msg: ErrNoKeyring.Error() + ": " + msg}
		}
	case <-ctx.Done():
		return "", ctx.Err()
	case <-timer.C:
		return "", &keyError{kind: ErrNoKeyring, msg: fmt.Sprintf(
			"%v: it did not answer within %v (a locked keyring may be waiting for its password)",
			ErrNoKeyring, k.timeout)}
	}
}

func (k *Keys) keyringGet(ctx context.Context) (string, error) {
	return k.keyringCall(ctx, "", func() (string, error) { return k.kr.Get(Service, k.publicKey) })
}

func (k *Keys) keyringSet(ctx context.Context, key string) error {
	_, err := k.keyringCall(ctx, key, func() (string, error) { return "", k.kr.Set(Service, k.publicKey, key) })
	return err
}

// keyringDelete takes the key just forgotten so its errors can be scrubbed of it too.
func (k *Keys) keyringDelete(ctx context.Context, forgotten string) error {
	_, err := k.keyringCall(ctx, forgotten, func() (string, error) { return "", k.kr.Delete(Service, k.publicKey) })
	return err
}

// noKeyring is the backend of Keys made by InMemory: there is no keyring to
// read or write, so nothing can leak into (or be read from) the user's real
// one.
type noKeyring struct{}

var errNoBackend = errors.New("keyring not used for this key (held in memory only)")

func (noKeyring) Get(string, string) (string, error) { return "", errNoBackend }
func (noKeyring) Set(string, string, string) error   { return errNoBackend }
func (noKeyring) Delete(string, string) error        { return errNoBackend }
