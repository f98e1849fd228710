package keys

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// Obviously fake values: nothing here may look like a real key in test output.
const (
	testPublic = "public-key-for-tests"
	testKey    = "FAKE-PRIVATE-KEY-for-unit-tests"
	otherKey   = "FAKE-PRIVATE-KEY-replacement"
)

// mockInstalled records that go-keyring's global provider was replaced; the
// real-keyring test refuses to run after that, since it could not tell a mock from
// the Secret Service.
var mockInstalled atomic.Bool

// useMock installs go-keyring's in-memory mock, failing with err when err is not nil.
func useMock(t *testing.T, err error) {
	t.Helper()
	mockInstalled.Store(true)
	if err != nil {
		keyring.MockInitWithError(err)
	} else {
		keyring.MockInit()
	}
}

var errNoDBus = errors.New(`exec: "dbus-launch": executable file not found in $PATH`)

func noEnv(string) (string, bool) { return "", false }

func env(v string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		if name == EnvPrivateKey {
			return v, true
		}
		return "", false
	}
}

// countingPrompt answers with answer and counts how often it was asked.
type countingPrompt struct {
	n      atomic.Int32
	answer string
	err    error
}

func (p *countingPrompt) ask(context.Context) (string, error) {
	p.n.Add(1)
	return p.answer, p.err
}

func failPrompt(t *testing.T) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		t.Error("the prompt was asked although the key was available without it")
		return "", errors.New("unexpected prompt")
	}
}

func withBackend(b Keyring) Option { return func(k *Keys) { k.kr = b } }

func TestSetStoresInKeyringAndANewRunReadsIt(t *testing.T) {
	useMock(t, nil)
	ctx := context.Background()

	src, err := New(testPublic, WithEnv(noEnv)).Set(ctx, "  "+testKey+"\n")
	if err != nil || src != SourceKeyring {
		t.Fatalf("Set = %q, %v; want keyring, nil", src, err)
	}
	stored, err := keyring.Get(Service, testPublic)
	if err != nil || stored != testKey {
		t.Fatalf("keyring holds a different value (err %v); Set must store the trimmed key under service %q, account = public key", err, Service)
	}

	next := New(testPublic, WithEnv(noEnv), WithPrompt(failPrompt(t)))
	got, err := next.PrivateKey(ctx)
	if err != nil || got != testKey {
		t.Fatalf("PrivateKey in a new run: err %v, same key %v", err, got == testKey)
	}
	if st := next.Status(ctx); st != (Status{Source: SourceKeyring, KeyringAvailable: true, Set: true}) {
		t.Fatalf("Status = %+v", st)
	}

	if _, err := next.Set(ctx, otherKey); err != nil {
		t.Fatal(err)
	}
	if got, _ := next.PrivateKey(ctx); got != otherKey {
		t.Fatal("after Set, PrivateKey still returns the old key")
	}
	if got, _ := New(testPublic, WithEnv(noEnv)).PrivateKey(ctx); got != otherKey {
		t.Fatal("the replaced key did not reach the keyring")
	}
}

func TestDeleteRemovesFromKeyringAndMemory(t *testing.T) {
	useMock(t, nil)
	ctx := context.Background()
	k := New(testPublic, WithEnv(noEnv))
	if _, err := k.Set(ctx, testKey); err != nil {
		t.Fatal(err)
	}
	if _, err := k.PrivateKey(ctx); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete(ctx); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := keyring.Get(Service, testPublic); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring still has the key after Delete (err %v)", err)
	}
	if _, err := k.PrivateKey(ctx); !errors.Is(err, ErrNoKey) {
		t.Fatalf("PrivateKey after Delete: %v; want ErrNoKey (the memory copy must go too)", err)
	}
	if err := k.Delete(ctx); !errors.Is(err, ErrNoKey) {
		t.Fatalf("second Delete: %v; want ErrNoKey", err)
	}
	if st := k.Status(ctx); st != (Status{Source: SourceNone, KeyringAvailable: true}) {
		t.Fatalf("Status = %+v", st)
	}
}

func TestNotFoundWithNoOtherSourceIsErrNoKey(t *testing.T) {
	useMock(t, nil)
	_, err := New(testPublic, WithEnv(noEnv)).PrivateKey(context.Background())
	if !errors.Is(err, ErrNoKey) || errors.Is(err, ErrNoKeyring) {
		t.Fatalf("err = %v; want ErrNoKey only (the keyring works, it is just empty)", err)
	}
	for _, want := range []string{"keyring has none", EnvPrivateKey + " is not set"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestKeyringWinsOverEnv(t *testing.T) {
	useMock(t, nil)
	if err := keyring.Set(Service, testPublic, testKey); err != nil {
		t.Fatal(err)
	}
	k := New(testPublic, WithEnv(env(otherKey)), WithPrompt(failPrompt(t)))
	if got, err := k.PrivateKey(context.Background()); err != nil || got != testKey {
		t.Fatalf("err %v, keyring key returned %v", err, got == testKey)
	}
}

func TestEmptyKeyringFallsBackToEnv(t *testing.T) {
	useMock(t, nil)
	k := New(testPublic, WithEnv(env(" "+testKey+" ")), WithPrompt(failPrompt(t)))
	if got, err := k.PrivateKey(context.Background()); err != nil || got != testKey {
		t.Fatalf("err %v, env key returned %v", err, got == testKey)
	}
}

func TestNoKeyringFallsBackToEnv(t *testing.T) {
	useMock(t, errNoDBus)
	ctx := context.Background()
	k := New(testPublic, WithEnv(env(testKey)), WithPrompt(failPrompt(t)))
	if got, err := k.PrivateKey(ctx); err != nil || got != testKey {
		t.Fatalf("err %v, env key returned %v", err, got == testKey)
	}
	st := k.Status(ctx)
	if st.Source != SourceEnv || !st.Set || st.KeyringAvailable {
		t.Fatalf("Status = %+v; want env, set, keyring unavailable", st)
	}
	if !strings.Contains(st.KeyringError, "no OS keyring available") || !strings.Contains(st.KeyringError, "dbus-launch") {
		t.Fatalf("KeyringError %q must say plainly that there is no keyring, and why", st.KeyringError)
	}
	// Status must agree with PrivateKey in a fresh run too.
	if st := New(testPublic, WithEnv(env(testKey))).Status(ctx); st.Source != SourceEnv || !st.Set {
		t.Fatalf("fresh Status = %+v", st)
	}
}

func TestNoKeyringNoEnvAsksOnceAndKeepsTheAnswer(t *testing.T) {
	useMock(t, errNoDBus)
	ctx := context.Background()
	p := &countingPrompt{answer: testKey + "\n"}
	k := New(testPublic, WithEnv(noEnv), WithPrompt(p.ask))

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, err := k.PrivateKey(ctx); err != nil || got != testKey {
				t.Errorf("err %v, prompted key returned %v", err, got == testKey)
			}
		}()
	}
	wg.Wait()
	if _, err := k.PrivateKey(ctx); err != nil {
		t.Fatal(err)
	}
	if n := p.n.Load(); n != 1 {
		t.Fatalf("prompt asked %d times; want once per run", n)
	}
	if st := k.Status(ctx); st.Source != SourceMemory || !st.Set {
		t.Fatalf("Status = %+v; want memory", st)
	}
}

func TestPromptIsNotAskedAgainAfterAFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prompt *countingPrompt
		first  error
	}{
		{"refused", &countingPrompt{err: errors.New("user pressed Esc")}, ErrNoKey},
		{"invalid answer", &countingPrompt{answer: "short"}, ErrInvalidKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			useMock(t, errNoDBus)
			ctx := context.Background()
			k := New(testPublic, WithEnv(noEnv), WithPrompt(tc.prompt.ask))
			if _, err := k.PrivateKey(ctx); !errors.Is(err, tc.first) {
				t.Fatalf("first call: %v; want %v", err, tc.first)
			}
			_, err := k.PrivateKey(ctx)
			if !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "already asked") {
				t.Fatalf("second call: %v; want ErrNoKey saying it was already asked", err)
			}
			if n := tc.prompt.n.Load(); n != 1 {
				t.Fatalf("prompt asked %d times; want 1", n)
			}
		})
	}
}

func TestPromptCancelledByCallerMayBeAskedAgain(t *testing.T) {
	useMock(t, errNoDBus)
	var n atomic.Int32
	k := New(testPublic, WithEnv(noEnv), WithPrompt(func(ctx context.Context) (string, error) {
		if n.Add(1) == 1 {
			<-ctx.Done()
			return "", ctx.Err()
		}
		return testKey, nil
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	if _, err := k.PrivateKey(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %v; want context.Canceled", err)
	}
	if got, err := k.PrivateKey(context.Background()); err != nil || got != testKey {
		t.Fatalf("after a cancelled prompt the user must still get their turn: %v", err)
	}
}

// A user who closes the prompt (ErrPromptCanceled) is asked again by the
// next call; a call under WithoutPrompt never asks and spends nothing.
func TestPromptClosedByTheUserOrSkippedMayBeAskedAgain(t *testing.T) {
	useMock(t, errNoDBus)
	var n atomic.Int32
	k := New(testPublic, WithEnv(noEnv), WithPrompt(func(ctx context.Context) (string, error) {
		if n.Add(1) == 1 {
			return "", fmt.Errorf("esc: %w", ErrPromptCanceled)
		}
		return testKey, nil
	}))
	if _, err := k.PrivateKey(WithoutPrompt(context.Background())); !errors.Is(err, ErrNoKey) || n.Load() != 0 {
		t.Fatalf("WithoutPrompt: %v after %d prompts; want ErrNoKey and no prompt", err, n.Load())
	}
	if _, err := k.PrivateKey(context.Background()); !errors.Is(err, ErrNoKey) || !errors.Is(err, ErrPromptCanceled) {
		t.Fatalf("closed prompt: %v; want ErrNoKey wrapping ErrPromptCanceled", err)
	}
	if got, err := k.PrivateKey(context.Background()); err != nil || got != testKey {
		t.Fatalf("after a closed prompt the user must be asked again: %q, %v", got, err)
	}
	if st := k.Status(context.Background()); st.Source != SourceMemory {
		t.Fatalf("Status = %+v; want memory", st)
	}
}

func TestSetWithoutKeyringKeepsKeyInMemoryOnly(t *testing.T) {
	useMock(t, errNoDBus)
	ctx := context.Background()
	k := New(testPublic, WithEnv(noEnv)) // no prompt: after Delete there must be no key at all
	src, err := k.Set(ctx, testKey)
	if src != SourceMemory || !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Set = %q, %v; want memory and ErrNoKeyring", src, err)
	}
	if !strings.Contains(err.Error(), "memory for this run only") {
		t.Errorf("Set error %q does not tell the key will not outlive the run", err)
	}
	if got, err := k.PrivateKey(ctx); err != nil || got != testKey {
		t.Fatalf("PrivateKey after Set to memory: %v", err)
	}
	if st := k.Status(ctx); st.Source != SourceMemory || st.KeyringAvailable {
		t.Fatalf("Status = %+v", st)
	}
	if err := k.Delete(ctx); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Delete without keyring: %v; want ErrNoKeyring", err)
	}
	if _, err := k.PrivateKey(ctx); !errors.Is(err, ErrNoKey) {
		t.Fatalf("the memory copy survived Delete: %v", err)
	}
}

func TestInvalidKeyInEnvOrKeyringIsReportedNotUsed(t *testing.T) {
	useMock(t, nil)
	ctx := context.Background()
	_, err := New(testPublic, WithEnv(env("two\nlines-of-key")), WithPrompt(failPrompt(t))).PrivateKey(ctx)
	if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), EnvPrivateKey) {
		t.Fatalf("bad env value: %v", err)
	}
	if err := keyring.Set(Service, testPublic, "x"); err != nil {
		t.Fatal(err)
	}
	_, err = New(testPublic, WithEnv(noEnv), WithPrompt(failPrompt(t))).PrivateKey(ctx)
	if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), "keys set") {
		t.Fatalf("bad keyring value: %v", err)
	}
}

// blockingBackend never answers until released, like a keyring waiting on an
// unlock prompt nobody sees.
type blockingBackend struct{ release chan struct{} }

func (b blockingBackend) Get(string, string) (string, error) {
	<-b.release
	return "", keyring.ErrNotFound
}
func (b blockingBackend) Set(string, string, string) error { <-b.release; return nil }
func (b blockingBackend) Delete(string, string) error      { <-b.release; return nil }

func TestBlockedKeyringTimesOutAndFallsBack(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	ctx := context.Background()
	const timeout = 50 * time.Millisecond
	k := New(testPublic, withBackend(b), WithTimeout(timeout), WithEnv(env(testKey)), WithPrompt(failPrompt(t)))

	start := time.Now()
	got, err := k.PrivateKey(ctx)
	if err != nil || got != testKey {
		t.Fatalf("PrivateKey with a blocked keyring: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("PrivateKey took %v with a %v timeout", d, timeout)
	}

	st := k.Status(ctx)
	if st.KeyringAvailable || !strings.Contains(st.KeyringError, "did not answer within 50ms") {
		t.Fatalf("Status = %+v; want the timeout explained", st)
	}

	src, err := New(testPublic, withBackend(b), WithTimeout(timeout)).Set(ctx, testKey)
	if src != SourceMemory || !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Set with a blocked keyring = %q, %v", src, err)
	}
	if err := New(testPublic, withBackend(b), WithTimeout(timeout)).Delete(ctx); !errors.Is(err, ErrNoKeyring) {
		t.Fatalf("Delete with a blocked keyring: %v", err)
	}
}

func TestDefaultTimeoutIsThreeSeconds(t *testing.T) {
	if k := New(testPublic); k.timeout != 3*time.Second {
		t.Fatalf("default timeout %v", k.timeout)
	}
	if k := New(testPublic, WithTimeout(0)); k.timeout != DefaultTimeout {
		t.Fatalf("WithTimeout(0) changed the timeout to %v", k.timeout)
	}
}

func TestCallerCancelIsNotMistakenForNoKeyring(t *testing.T) {
	b := blockingBackend{release: make(chan struct{})}
	t.Cleanup(func() { close(b.release) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	k := New(testPublic, withBackend(b), WithTimeout(time.Minute), WithEnv(env(testKey)))
	_, err := k.PrivateKey(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNoKeyring) {
		t.Fatalf("err = %v; want the caller's deadline, not a fallback", err)
	}
}

func TestKeyNeverAppearsInErrorsStatusOrPrints(t *testing.T) {
	// A backend whose errors quote their input: the worst case.
	useMock(t, fmt.Errorf("backend failed storing %q (%s)", testKey, testKey))
	ctx := context.Background()
	k := New(testPublic, WithEnv(noEnv))
	var texts []string
	_, err := k.Set(ctx, testKey)
	if err == nil {
		t.Fatal("Set against a failing keyring returned no error")
	}
	texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	for _, e := range unwrapAll(err) {
		texts = append(texts, e.Error())
	}
	if _, err := k.PrivateKey(ctx); err != nil { // held in memory now
		t.Fatal(err)
	}
	texts = append(texts,
		fmt.Sprintf("%v|%+v|%#v|%s", k, k, k, k),
		fmt.Sprintf("%+v|%#v", *k.current(), k.current()),
		fmt.Sprintf("%+v|%#v", k.Status(ctx), k.Status(ctx)),
		k.Status(ctx).KeyringError,
	)
	if err := k.Delete(ctx); err != nil {
		texts = append(texts, err.Error())
	}

	for _, bad := range []string{
		testKey + "\n" + testKey, testKey + " " + testKey, testKey + "\x00", testKey + "é",
		testPublic, strings.Repeat(testKey, 40),
	} {
		_, err := New(testPublic).Set(ctx, bad)
		if !errors.Is(err, ErrInvalidKey) {
			t.Fatalf("Set accepted an invalid key (err %v)", err)
		}
		texts = append(texts, err.Error())
	}
	for _, s := range texts {
		if strings.Contains(s, testKey) || strings.Contains(s, "FAKE-PRIVATE") {
			t.Fatalf("the key leaked into %q", strings.ReplaceAll(s, testKey, "<KEY>"))
		}
	}
}

func unwrapAll(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

func TestValidate(t *testing.T) {
	k := New(testPublic)
	for _, tc := range []struct {
		in, want, why string
	}{
		{in: "  " + testKey + "\r\n", want: testKey},
		{in: "", why: "empty"},
		{in: " \t\n", why: "empty"},
		{in: "abcd\nefgh", why: "several lines"},
		{in: "abcd\refgh", why: "several lines"},
		{in: "abcd efgh", why: "space"},
		{in: "abcd\x1befgh", why: "control character"},
		{in: "abcd\u00a0efgh", why: "non-ASCII"},
		{in: "abcd\xffefgh", why: "not valid text"},
		{in: "short", why: "too short"},
		{in: strings.Repeat("k", 513), why: "too long"},
		{in: strings.Repeat("k", 512), want: strings.Repeat("k", 512)},
		{in: testPublic, why: "public key"},
	} {
		got, err := k.Validate(tc.in)
		if tc.why == "" {
			if err != nil || got != tc.want {
				t.Errorf("Validate(%q) = %q, %v", tc.in, got, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("Validate(%q) error %v; want ErrInvalidKey saying %q", tc.in, err, tc.why)
		}
	}
}

func TestEmptyPublicKeyIsExplained(t *testing.T) {
	useMock(t, nil)
	ctx := context.Background()
	k := New("  ", WithEnv(env(testKey)))
	if _, err := k.PrivateKey(ctx); !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "public key") {
		t.Fatalf("PrivateKey: %v", err)
	}
	if _, err := k.Set(ctx, testKey); !errors.Is(err, ErrNoKey) || !strings.Contains(err.Error(), "public key") {
		t.Fatalf("Set: %v", err)
	}
}

func TestInMemoryNeverTouchesTheKeyring(t *testing.T) {
	keyring.MockInit()
	const pub, key = "pub-inmem", "in-memory-test-key-42"
	k := InMemory(pub, key)
	got, err := k.PrivateKey(context.Background())
	if err != nil || got != key {
		t.Fatalf("PrivateKey: %v", err)
	}
	if _, err := keyring.Get(Service, pub); !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("the keyring was written: %v", err)
	}
	if st := k.Status(context.Background()); st.Source != SourceMemory || !st.Set || st.KeyringAvailable {
		t.Fatalf("status %+v", st)
	}
	if strings.Contains(k.String(), key) {
		t.Fatal("String shows the key")
	}
}
