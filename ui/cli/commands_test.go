package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/app"
	"github.com/coolpay/coolpay/ui/cli"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
)

const sbKey = "TEST-sandbox-private-key-for-cli"

// cliEnv runs commands against an in-process sandbox and a ledger in a
// temporary directory, configured through the environment as a user would.
type cliEnv struct {
	t     *testing.T
	sb    *sandbox.Server
	url   string
	db    string
	env   map[string]string
	stdin *os.File
	kr    *keystest.Memory // the keyring, kept across this environment's runs
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	return newCLIEnvWith(t, sandbox.Config{ConfirmAfter: 20 * time.Millisecond})
}

// newCLIEnvWith is newCLIEnv on a sandbox configured by cfg (its private
// key is set here).
func newCLIEnvWith(t *testing.T, cfg sandbox.Config) *cliEnv {
	t.Helper()
	cfg.PrivateKey = sbKey
	sbe := sandboxtest.Start(t, cfg)
	e := &cliEnv{t: t, sb: sbe.SB, url: sbe.BaseURL, db: filepath.Join(t.TempDir(), "ledger.db"), kr: keystest.NewMemory()}
	e.env = map[string]string{"COOLPAY_BASE_URL": e.url, "COOLPAY_PUBLIC_KEY": client.SandboxPublicKey, "COOLPAY_DB": e.db, "COOLPAY_PRIVATE_KEY": sbKey,
		// this desk's own settings, were the ledger a shared one
		"COOLPAY_DESK_FILE": filepath.Join(t.TempDir(), "desk-settings.json")}
	return e
}

// run runs the command line args through the whole command tree, with
// this environment's variables and stdin.
func (e *cliEnv) run(args ...string) (string, string, int) {
	return runCLIWith(e.kr, e.env, e.stdin, args...)
}

// runCLI runs coolpay's command tree in this process with its own
// environment and streams and an empty in-memory keyring, and returns
// stdout, stderr and the exit code.
func runCLI(env map[string]string, stdin *os.File, args ...string) (string, string, int) {
	return runCLIWith(keystest.NewMemory(), env, stdin, args...)
}

// runCLIWith is runCLI on the keyring kr.
func runCLIWith(kr *keystest.Memory, env map[string]string, stdin *os.File, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	f := testFactory(kr, env, cli.IOStreams{In: stdin, Out: &out, ErrOut: &errb})
	code := cli.Main(f, args)
	return out.String(), errb.String(), code
}

// testFactory is the factory every command test uses: env for the
// environment and kr, never the OS keyring, for the private key.
func testFactory(kr *keystest.Memory, env map[string]string, io cli.IOStreams) *cli.Factory {
	return &cli.Factory{IO: io, Getenv: func(k string) string { return env[k] }, Keyring: kr}
}

func TestBalanceCommand(t *testing.T) {
	e := newCLIEnv(t)
	out, errs, code := e.run("balance", "--json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["balance"] != "1000000" || got["currency"] != "XAF" {
		t.Fatalf("balance --json: %d %q %q", code, out, errs)
	}
	if strings.Contains(out+errs, sbKey) {
		t.Fatal("the private key was printed")
	}
}

func TestStatusAndReconcileCommands(t *testing.T) {
	clock := sandboxtest.NewClock()
	e := newCLIEnvWith(t, sandbox.Config{ConfirmAfter: sandboxtest.FakeConfirm, Now: clock.Now})
	db, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(e.url),
		client.WithPrivateKey(func(context.Context) (string, error) { return sbKey, nil }))
	svc := core.New(core.Config{Client: c, Store: db})
	ours, err := svc.Payin(context.Background(), core.PayinInput{Amount: "1001", Phone: "690112233"})
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := svc.Payin(context.Background(), core.PayinInput{Amount: "1004", Phone: "690112233"})
	// A transaction made elsewhere (not in this ledger).
	other, err := c.Payin(context.Background(), client.PayinRequest{TransactionAmount: "2500", CustomerPhoneNumber: "677123456"})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	clock.Advance(e.sb, sandboxtest.FakeConfirm) // past the sandbox's ConfirmAfter

	out, errs, code := e.run("status", ours.AppRef, "--json")
	var rec store.Record
	if code != 0 || json.Unmarshal([]byte(out), &rec) != nil || rec.State != store.StateFailed || rec.ID != ours.ID {
		t.Fatalf("status by app ref: %d %s %s", code, out, errs)
	}
	out, errs, code = e.run("status", other.TransactionRef)
	if code != 0 || !strings.Contains(out, "SUCCESS") || !strings.Contains(out, other.TransactionRef) {
		t.Fatalf("status of a transaction made elsewhere: %d %s %s", code, out, errs)
	}
	out, errs, code = e.run("reconcile")
	if code != 0 || !strings.Contains(out, pending.TransactionRef) || !strings.Contains(out, "→ ✔ success") {
		t.Fatalf("reconcile: %d %s %s", code, out, errs)
	}
	if _, errs, code = e.run("status", "no-such-ref"); code == 0 || !strings.Contains(errs, "404") {
		t.Fatalf("unknown ref: %d %s", code, errs)
	}

	db, err = store.Open(e.db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got, err := db.ByTransactionRef(other.TransactionRef); err != nil || got.State != store.StateSuccess {
		t.Fatalf("the looked-up transaction was not recorded: %v %s", err, got.State)
	}
}

func TestSeedRefusesARealLedger(t *testing.T) {
	e := newCLIEnv(t)
	if out, errs, code := e.run("seed", "--count", "20"); code != 0 || !strings.Contains(out, "Seeded 20") {
		t.Fatalf("seed: %d %s %s", code, out, errs)
	}
	db, _ := store.Open(e.db, store.Options{})
	db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-real", Amount: "100", Currency: "XAF"})
	db.Close()
	if _, errs, code := e.run("seed", "--count", "20"); code == 0 || errs == "" {
		t.Fatalf("seed over real transactions: %d %s", code, errs)
	}
	if _, _, code := e.run("seed", "--count", "20", "--force"); code != 0 {
		t.Fatal("seed --force refused")
	}
}

func TestKeysCommandSetStatusDelete(t *testing.T) {
	e := newCLIEnv(t)
	delete(e.env, "COOLPAY_PRIVATE_KEY")
	feed := func(s string) {
		r, w, _ := os.Pipe()
		w.WriteString(s)
		w.Close()
		e.stdin = r
	}
	feed("a-brand-new-private-key-42\n")
	if out, errs, code := e.run("keys", "set"); code != 0 || !strings.Contains(out, "keyring") {
		t.Fatalf("keys set: %d %s %s", code, out, errs)
	}
	if got, ok := e.kr.Secret(keys.Service, client.SandboxPublicKey); !ok || got != "a-brand-new-private-key-42" {
		t.Fatalf("keyring holds a key: %v", ok)
	}
	out, _, code := e.run("keys", "status")
	if code != 0 || !strings.Contains(out, "set (from keyring)") || strings.Contains(out, "a-brand-new") {
		t.Fatalf("keys status: %s", out)
	}
	if _, _, code := e.run("keys", "delete"); code != 0 {
		t.Fatal("keys delete failed")
	}
	if out, _, _ := e.run("keys", "status"); !strings.Contains(out, "not set") {
		t.Fatalf("after delete: %s", out)
	}
	if _, errs, code := e.run("keys", "rotate"); code != 2 || !strings.Contains(errs, `unknown command "rotate"`) {
		t.Fatalf("unknown sub-command: %s", errs)
	}
}

func TestFollowPolicyComesFromSettings(t *testing.T) {
	db, _ := openLedger(t)
	defer db.Close()
	if got := cli.FollowPolicy(config.Load(db, config.Inputs{})); got != app.DefaultFollowPolicy {
		t.Fatalf("no settings: %+v, want the defaults", got)
	}
	db.SetSetting(cli.SettingPollStep, "2s")
	db.SetSetting(cli.SettingPollMax, "30s")
	db.SetSetting(cli.SettingPollGiveUp, "not a duration")
	want := app.FollowPolicy{Step: 2 * time.Second, Max: 30 * time.Second, GiveUp: app.DefaultFollowPolicy.GiveUp}
	if got := cli.FollowPolicy(config.Load(db, config.Inputs{})); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// TestReconcileExitsFourWhileTransactionsStayOpen: a payment still pending
// at the API after reconcile leaves the exit code 4 (scripts retry later);
// once it settles, 0.
func TestReconcileExitsFourWhileTransactionsStayOpen(t *testing.T) {
	clock := sandboxtest.NewClock()
	sbe := sandboxtest.Start(t, sandbox.Config{PrivateKey: sbKey, ConfirmAfter: sandboxtest.FakeConfirm, Now: clock.Now})
	dbPath := filepath.Join(t.TempDir(), "ledger.db")
	env := map[string]string{"COOLPAY_BASE_URL": sbe.BaseURL, "COOLPAY_PUBLIC_KEY": client.SandboxPublicKey,
		"COOLPAY_DB": dbPath, "COOLPAY_PRIVATE_KEY": sbKey}
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(sbe.BaseURL),
		client.WithPrivateKey(func(context.Context) (string, error) { return sbKey, nil }))
	rec, err := core.New(core.Config{Client: c, Store: db}).Payin(context.Background(), core.PayinInput{Amount: "1004", Phone: "690112233"})
	db.Close()
	if err != nil || rec.State.Final() {
		t.Fatalf("payin: %v %s", err, rec.State)
	}
	out, errs, code := runCLI(env, nil, "reconcile", "--lang", "fr")
	if code != cli.ExitUnsettled || !strings.Contains(out, "1 transaction(s) toujours en cours") {
		t.Fatalf("reconcile while pending: %d %q %q", code, out, errs)
	}
	clock.Advance(sbe.SB, sandboxtest.FakeConfirm)
	if out, errs, code := runCLI(env, nil, "reconcile"); code != 0 || !strings.Contains(out, "✔ success") {
		t.Fatalf("reconcile once settled: %d %q %q", code, out, errs)
	}
}

// TestDoctorInProcessAgainstTheSandbox: the whole checklist against the
// sandbox over HTTP and a real ledger (checked in a child process: this
// test binary, see TestMain) passes, and the JSON names every check.
func TestDoctorInProcessAgainstTheSandbox(t *testing.T) {
	e := newCLIEnv(t)
	db, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-x", Amount: "100", Currency: "XAF"})
	db.Close()
	out, errs, code := e.run("doctor", "--json")
	var r struct {
		OK     bool
		Checks []struct{ Name, Status, Detail string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.OK {
		t.Fatalf("doctor: %d %q\n%s", code, errs, out)
	}
	var names []string
	for _, c := range r.Checks {
		names = append(names, c.Name+"="+c.Status)
	}
	want := "ledger=ok settings=ok private_key=ok base_url=ok api=ok clock=ok keys=ok callback=skip payout_ip=skip"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("checks:\n got %s\nwant %s", got, want)
	}
	if strings.Contains(out, sbKey) {
		t.Fatal("doctor printed the private key")
	}
}

// TestCommandsKeepTheKeyInTheFactorysKeyring: keys set, keys status, doctor
// and a paying command all use the keyring the factory was given (the OS
// keyring is guarded in TestMain), and an injected Keys is honoured by the
// commands that never prompt too.
func TestCommandsKeepTheKeyInTheFactorysKeyring(t *testing.T) {
	e := newCLIEnv(t)
	delete(e.env, "COOLPAY_PRIVATE_KEY")
	r, w, _ := os.Pipe()
	w.WriteString(sbKey + "\n")
	w.Close()
	e.stdin = r
	if out, errs, code := e.run("keys", "set"); code != 0 || !strings.Contains(out, "keyring") {
		t.Fatalf("keys set: %d %s %s", code, out, errs)
	}
	e.stdin = nil
	if got, ok := e.kr.Secret(keys.Service, client.SandboxPublicKey); !ok || got != sbKey {
		t.Fatal("keys set did not store the key in the factory's keyring")
	}
	calls := e.kr.Calls()
	if out, errs, code := e.run("balance", "--json"); code != 0 || !strings.Contains(out, "balance") {
		t.Fatalf("balance with the key from the keyring: %d %s %s", code, out, errs)
	}
	out, errs, code := e.run("doctor", "--lang", "en")
	if code != 0 || !strings.Contains(out, "from the OS keyring, readable") {
		t.Fatalf("doctor with the key in the keyring: %d %s\n%s", code, errs, out)
	}
	if e.kr.Calls() <= calls {
		t.Fatal("balance and doctor did not ask the factory's keyring")
	}

	// An injected Keys wins over the keyring, for keys status and doctor too.
	injected := 0
	var outb, errb bytes.Buffer
	f := testFactory(keystest.NewMemory(), e.env, cli.IOStreams{Out: &outb, ErrOut: &errb})
	f.Keys = func(pub string) *keys.Keys {
		injected++
		return keys.InMemory(pub, sbKey)
	}
	if code := cli.Main(f, []string{"keys", "status"}); code != 0 || !strings.Contains(outb.String(), "set (from memory)") || injected != 1 {
		t.Fatalf("keys status with injected Keys: %d %d %s %s", code, injected, outb.String(), errb.String())
	}
	outb.Reset()
	if code := cli.Main(f, []string{"doctor", "--json"}); code != 0 || injected != 2 {
		t.Fatalf("doctor with injected Keys: %d %d %s %s", code, injected, outb.String(), errb.String())
	}
}

// TestNoKeyringIsExplainedInTheUsersLanguage: with no OS keyring, keys
// set, keys status, keys delete and doctor say what that means in French,
// whole, and show the keyring's own error only as an inert detail.
func TestNoKeyringIsExplainedInTheUsersLanguage(t *testing.T) {
	e := newCLIEnv(t)
	delete(e.env, "COOLPAY_PRIVATE_KEY")
	e.kr.Fail(errors.New("exec: \"dbus-launch\": executable file not found in $PATH\x1b[2J"))
	r, w, _ := os.Pipe()
	w.WriteString("a-brand-new-private-key-42\n")
	w.Close()
	e.stdin = r
	_, errs, code := e.run("keys", "set", "--lang", "fr")
	if code != cli.ExitFailed || !strings.Contains(errs, "Pas de trousseau système sur cet ordinateur : la clé privée n'a pas été enregistrée") ||
		!strings.Contains(errs, "Définissez plutôt COOLPAY_PRIVATE_KEY") || !strings.Contains(errs, `(détails : no OS keyring available: exec: "dbus-launch"`) {
		t.Fatalf("keys set: %d %s", code, errs)
	}
	e.stdin = nil
	out, errs, code := e.run("keys", "status", "--lang", "fr")
	if code != 0 || !strings.Contains(out, "Trousseau :   indisponible sur cet ordinateur : une clé privée n'est gardée en mémoire que le temps d'une exécution") ||
		!strings.Contains(out, "\n  (détails : no OS keyring available: exec:") || strings.Contains(out, "\x1b") {
		t.Fatalf("keys status: %d %s %s", code, out, errs)
	}
	if _, errs, code = e.run("keys", "delete", "--lang", "fr"); code != cli.ExitFailed || !strings.Contains(errs, "aucune clé privée n'y était rangée") {
		t.Fatalf("keys delete: %d %s", code, errs)
	}
	out, _, _ = e.run("doctor", "--lang", "fr")
	if !strings.Contains(out, "pas de trousseau système sur cet ordinateur : une clé tapée n'est gardée en mémoire que le temps de cette exécution (détails : no OS keyring") {
		t.Fatalf("doctor:\n%s", out)
	}
	for name, s := range map[string]string{"set": errs, "status/doctor": out} {
		if strings.Contains(s, "\x1b[2J") {
			t.Fatalf("%s printed the keyring's error raw: %q", name, s)
		}
	}
}
