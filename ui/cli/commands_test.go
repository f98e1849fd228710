package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
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
}

func newCLIEnv(t *testing.T) *cliEnv {
	t.Helper()
	sbe := sandboxtest.Start(t, sandbox.Config{PrivateKey: sbKey, ConfirmAfter: 20 * time.Millisecond})
	e := &cliEnv{t: t, sb: sbe.SB, url: sbe.BaseURL, db: filepath.Join(t.TempDir(), "ledger.db")}
	e.env = map[string]string{"COOLPAY_BASE_URL": e.url, "COOLPAY_PUBLIC_KEY": client.SandboxPublicKey, "COOLPAY_DB": e.db, "COOLPAY_PRIVATE_KEY": sbKey,
		// this desk's own settings, were the ledger a shared one
		"COOLPAY_DESK_FILE": filepath.Join(t.TempDir(), "desk-settings.json")}
	return e
}

// run runs the command line args through the whole command tree, with
// this environment's variables and stdin.
func (e *cliEnv) run(args ...string) (string, string, int) {
	return runCLI(e.env, e.stdin, args...)
}

// runCLI runs coolpay's command tree in this process with its own
// environment and streams, and returns stdout, stderr and the exit code.
func runCLI(env map[string]string, stdin *os.File, args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	f := &cli.Factory{
		IO:     cli.IOStreams{In: stdin, Out: &out, ErrOut: &errb},
		Getenv: func(k string) string { return env[k] },
	}
	code := cli.Main(f, args)
	return out.String(), errb.String(), code
}

func TestBalanceCommand(t *testing.T) {
	e := newCLIEnv(t)
	out, errs, code := e.run("balance", "--json")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["balance"] != float64(1_000_000) || got["currency"] != "XAF" {
		t.Fatalf("balance --json: %d %q %q", code, out, errs)
	}
	if strings.Contains(out+errs, sbKey) {
		t.Fatal("the private key was printed")
	}
}

func TestStatusAndReconcileCommands(t *testing.T) {
	e := newCLIEnv(t)
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
	time.Sleep(50 * time.Millisecond) // past the sandbox's ConfirmAfter

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
	keyring.MockInit()
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
	if got, err := keyring.Get("coolpay", client.SandboxPublicKey); err != nil || got != "a-brand-new-private-key-42" {
		t.Fatalf("keyring holds %v", err)
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
	sbe := sandboxtest.Start(t, sandbox.Config{PrivateKey: sbKey, ConfirmAfter: 400 * time.Millisecond})
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
	time.Sleep(500 * time.Millisecond)
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
