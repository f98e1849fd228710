// Package keys finds the merchant's private key: in the OS keyring first,
// then in the COOLPAY_PRIVATE_KEY environment variable, then by asking once
// per run. The key is kept in memory only; it is never written to a file, and
// no error, Status or printed value of this package contains it.
package keys

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name; the account is the public key.
const Service = "coolpay"

// EnvPrivateKey is the environment variable consulted when the keyring has no key.
const EnvPrivateKey = "COOLPAY_PRIVATE_KEY"

// DefaultTimeout bounds every keyring call.
const DefaultTimeout = 3 * time.Second

// Source says where the private key comes from.
type Source string

// The places a private key can come from.
const (
	SourceKeyring Source = "keyring"
	SourceEnv     Source = "env"
	SourceMemory  Source = "memory" // typed in this run, or Set while no keyring was available
	SourceNone    Source = "none"
)

// Keys finds, stores and forgets the private key for one public key.
// It is safe for concurrent use.
type Keys struct {
	publicKey string
	timeout   time.Duration
	lookupEnv func(string) (string, bool)
	prompt    func(ctx context.Context) (string, error)
	kr        Keyring

	// resolving is a one-slot semaphore: one PrivateKey look-up at a time,
	// so concurrent callers share a single prompt. A channel, not a mutex,
	// so a waiter can give up when its context ends.
	resolving chan struct{}

	mu sync.Mutex
	// held is behind a pointer so that even %+v of a copied Keys prints an
	// address rather than the key.
	held     *heldKey
	prompted bool  // the prompt has been asked (at most once per run)
	promptEr error // what the prompt said when it gave no key
}

type heldKey struct {
	key    string
	source Source
}

// Option configures Keys.
type Option func(*Keys)

// WithTimeout bounds each keyring call (default 3s); d <= 0 keeps the default.
// Test helper: the program keeps the default; tests shorten it (listed in
// .ci/deadcode-allow).
func WithTimeout(d time.Duration) Option {
	return func(k *Keys) {
		if d > 0 {
			k.timeout = d
		}
	}
}

// WithKeyring puts kr where the key is kept between runs instead of the OS
// keyring; nil keeps the OS keyring.
func WithKeyring(kr Keyring) Option {
	return func(k *Keys) {
		if kr != nil {
			k.kr = kr
		}
	}
}

// WithEnv replaces os.LookupEnv for reading COOLPAY_PRIVATE_KEY.
func WithEnv(lookup func(string) (string, bool)) Option {
	return func(k *Keys) {
		if lookup != nil {
			k.lookupEnv = lookup
		}
	}
}

// WithPrompt sets how to ask for the key when neither the keyring nor the
// environment has it. It is asked at most once per run; the answer stays in memory.
func WithPrompt(p func(ctx context.Context) (string, error)) Option {
	return func(k *Keys) { k.prompt = p }
}

type noPromptKey struct{}

// WithoutPrompt returns a context under which PrivateKey never asks (and
// does not use up the run's one question): for calls the user did not start,
// such as the console's balance in its header, which must not pop a prompt.
func WithoutPrompt(ctx context.Context) context.Context {
	return context.WithValue(ctx, noPromptKey{}, true)
}

// New returns Keys for publicKey, the keyring account name.
func New(publicKey string, opts ...Option) *Keys {
	k := &Keys{
		publicKey: strings.TrimSpace(publicKey),
		timeout:   DefaultTimeout,
		lookupEnv: os.LookupEnv,
		kr:        osKeyring{},
		resolving: make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(k)
	}
	return k
}

// Validate trims key and reports whether it can be this merchant's private
// key; a prompt can use it to ask again before giving up its single turn.
func (k *Keys) Validate(key string) (string, error) {
	return validate(key, k.publicKey)
}

// PrivateKey returns the private key: from memory if already found in this
// run, else from the keyring, else COOLPAY_PRIVATE_KEY, else the prompt. It
// is the client's KeyFunc.
//
// The key is kept in memory after the first success: the API client asks for
// it on every call, and one keyring round trip (or prompt) per run is enough.
// Set and Delete through this value update that memory; the keyring stays
// the place where the key lives between runs.
func (k *Keys) PrivateKey(ctx context.Context) (string, error) {
	if h := k.current(); h != nil {
		return h.key, nil
	}
	select {
	case k.resolving <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-k.resolving }()
	if h := k.current(); h != nil { // found while we waited
		return h.key, nil
	}
	if k.publicKey == "" {
		return "", &keyError{kind: ErrNoKey, msg: "no private key: no public key is configured to look it up by"}
	}

	var why []string
	key, err := k.keyringGet(ctx)
	switch {
	case err == nil:
		key, verr := k.Validate(key)
		if verr != nil {
			return "", &keyError{kind: ErrInvalidKey, msg: "the private key stored in the OS keyring is unusable: " +
				strings.TrimPrefix(verr.Error(), ErrInvalidKey.Error()+": ") + "; store it again with `coolpay keys set`"}
		}
		k.hold(key, SourceKeyring)
		return key, nil
	case errors.Is(err, keyring.ErrNotFound):
		why = append(why, "the OS keyring has none for this public key")
	case errors.Is(err, ErrNoKeyring):
		why = append(why, err.Error())
	default: // the caller's context ended
		return "", err
	}

	if v, ok := k.lookupEnv(EnvPrivateKey); ok && strings.TrimSpace(v) != "" {
		key, verr := k.Validate(v)
		if verr != nil {
			return "", &keyError{kind: ErrInvalidKey, msg: EnvPrivateKey + " is set but unusable: " +
				strings.TrimPrefix(verr.Error(), ErrInvalidKey.Error()+": ")}
		}
		k.hold(key, SourceEnv)
		return key, nil
	}
	why = append(why, EnvPrivateKey+" is not set")

	if ctx.Value(noPromptKey{}) != nil {
		why = append(why, "it is asked for when a payment needs it")
		return "", &keyError{kind: ErrNoKey, msg: ErrNoKey.Error() + ": " + strings.Join(why, "; ")}
	}
	key, err = k.ask(ctx)
	if err == nil {
		return key, nil
	}
	var ke *keyError
	if errors.As(err, &ke) && ke.kind == ErrInvalidKey {
		return "", err
	}
	why = append(why, err.Error())
	return "", &keyError{kind: ErrNoKey, msg: ErrNoKey.Error() + ": " + strings.Join(why, "; "), cause: errors.Unwrap(err)}
}

// ask runs the prompt if it has not run yet in this run.
func (k *Keys) ask(ctx context.Context) (string, error) {
	k.mu.Lock()
	prompted, prev := k.prompted, k.promptEr
	k.mu.Unlock()
	switch {
	case k.prompt == nil:
		return "", errors.New("nothing to ask the key with")
	case prompted && prev != nil:
		// Not wrapped: this call was not cancelled and its key is not invalid;
		// only the story is repeated.
		return "", fmt.Errorf("it was already asked for in this run (%s)", prev)
	case prompted:
		return "", errors.New("it was already asked for in this run")
	}
	v, err := k.prompt(ctx)
	if err != nil {
		if (ctx.Err() != nil && errors.Is(err, ctx.Err())) || errors.Is(err, ErrPromptCanceled) {
			// The caller gave up, or the user closed the prompt to decide
			// later: the turn is not spent.
			return "", fmt.Errorf("none was entered: %w", err)
		}
		k.mu.Lock()
		k.prompted, k.promptEr = true, err
		k.mu.Unlock()
		return "", fmt.Errorf("none was entered: %w", err)
	}
	key, verr := k.Validate(v)
	k.mu.Lock()
	defer k.mu.Unlock()
	k.prompted = true
	if verr != nil {
		k.promptEr = verr
		return "", verr
	}
	k.held = &heldKey{key: key, source: SourceMemory}
	return key, nil
}

// Set validates key and stores it in the keyring. Without a usable keyring
// the key is kept in memory for this run only: Set then returns SourceMemory
// and an error wrapping ErrNoKeyring, so the caller can say that it will not
// outlive the process.
func (k *Keys) Set(ctx context.Context, key string) (Source, error) {
	key, err := k.Validate(key)
	if err != nil {
		return SourceNone, err
	}
	if k.publicKey == "" {
		return SourceNone, &keyError{kind: ErrNoKey, msg: "cannot store the private key: no public key is configured to store it under"}
	}
	err = k.keyringSet(ctx, key)
	switch {
	case err == nil:
		k.hold(key, SourceKeyring)
		return SourceKeyring, nil
	case errors.Is(err, ErrNoKeyring):
		k.hold(key, SourceMemory)
		return SourceMemory, &keyError{kind: ErrNoKeyring,
			msg: err.Error() + "; the private key is kept in memory for this run only"}
	default: // the caller's context ended
		return SourceNone, err
	}
}

// Delete removes the key from the keyring and from memory. It returns an
// error wrapping ErrNoKey when there was nothing to remove, and one wrapping
// ErrNoKeyring when the keyring could not be reached (memory is cleared anyway).
// A key in COOLPAY_PRIVATE_KEY is not touched.
func (k *Keys) Delete(ctx context.Context) error {
	k.mu.Lock()
	old := k.held
	k.held = nil
	k.mu.Unlock()
	hadMemory, forgotten := false, ""
	if old != nil {
		hadMemory, forgotten = old.source == SourceMemory, old.key
	}
	if k.publicKey == "" {
		return &keyError{kind: ErrNoKey, msg: "no private key to delete: no public key is configured"}
	}
	err := k.keyringDelete(ctx, forgotten)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		if hadMemory {
			return nil
		}
		return &keyError{kind: ErrNoKey, msg: "no private key to delete: the OS keyring has none for this public key"}
	case errors.Is(err, ErrNoKeyring):
		if hadMemory {
			return &keyError{kind: ErrNoKeyring, msg: err.Error() + "; the key held in memory was forgotten"}
		}
		return err
	default:
		return err
	}
}

// Status describes where the key comes from, for `coolpay keys status` and
// the UI. It never holds the key.
type Status struct {
	Source           Source // where PrivateKey gets the key now without asking; SourceNone if it would ask
	KeyringAvailable bool   // the keyring answered (with or without a key)
	KeyringError     string // why the keyring is unavailable, in plain words; empty when available
	Set              bool   // a key is available without asking
}

// Status asks the keyring (with the timeout) and reports, without prompting.
func (k *Keys) Status(ctx context.Context) Status {
	var st Status
	inKeyring := false
	if k.publicKey == "" {
		st.KeyringError = "no public key is configured to look the key up by"
	} else {
		_, err := k.keyringGet(ctx)
		switch {
		case err == nil:
			st.KeyringAvailable, inKeyring = true, true
		case errors.Is(err, keyring.ErrNotFound):
			st.KeyringAvailable = true
		default:
			st.KeyringError = err.Error()
		}
	}
	switch h := k.current(); {
	case h != nil:
		st.Source = h.source
	case inKeyring:
		st.Source = SourceKeyring
	case k.envUsable():
		st.Source = SourceEnv
	default:
		st.Source = SourceNone
	}
	st.Set = st.Source != SourceNone
	return st
}

func (k *Keys) envUsable() bool {
	v, ok := k.lookupEnv(EnvPrivateKey)
	if !ok {
		return false
	}
	_, err := k.Validate(v)
	return err == nil
}

func (k *Keys) current() *heldKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.held
}

func (k *Keys) hold(key string, src Source) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.held = &heldKey{key: key, source: src}
}

// String names the keyring entry and the current source, never the key.
func (k *Keys) String() string {
	src := SourceNone
	if h := k.current(); h != nil {
		src = h.source
	}
	return fmt.Sprintf("keys.Keys{service: %q, account: %q, source: %s}", Service, k.publicKey, src)
}

// GoString is String, so %#v cannot reach the key either.
func (k *Keys) GoString() string { return k.String() }

// String and GoString on heldKey cover one printed on its own.
func (h heldKey) String() string   { return "[redacted " + string(h.source) + " key]" }
func (h heldKey) GoString() string { return h.String() }

// InMemory returns Keys that hold key in memory only and never touch the OS
// keyring or the environment: the built-in sandbox's test key uses it, so a
// demo never writes to (or reads from) the merchant's real keyring.
func InMemory(publicKey, key string) *Keys {
	k := New(publicKey, WithEnv(func(string) (string, bool) { return "", false }))
	k.kr = noKeyring{}
	k.hold(key, SourceMemory)
	return k
}
