package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/cli"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestInvalidPublicKeyIsNamedNotUsed: a public key from a flag or the
// environment that fails its check stops every command that would use it,
// naming where it came from; the keys commands too (they need no base URL,
// but store the private key under the public key).
func TestInvalidPublicKeyIsNamedNotUsed(t *testing.T) {
	e := newCLIEnv(t)
	if _, errs, code := e.run("config", "set", "theme", "dark"); code != 0 { // the ledger exists
		t.Fatal(errs)
	}
	for _, args := range [][]string{{"balance"}, {"keys", "status"}, {"reconcile"}} {
		_, errs, code := e.run(append(args, "--public-key", "pk/../balance")...)
		if code != 1 || !strings.Contains(errs, "--public-key") || !strings.Contains(errs, "letters, digits") {
			t.Errorf("%v --public-key pk/../balance: %d %q", args, code, errs)
		}
	}
	e.env["COOLPAY_PUBLIC_KEY"] = "pk\u202eevil"
	if _, errs, code := e.run("keys", "status"); code != 1 || !strings.Contains(errs, "COOLPAY_PUBLIC_KEY") || strings.Contains(errs, "\u202e") {
		t.Errorf("keys status with a bad COOLPAY_PUBLIC_KEY: %d %q", code, errs)
	}
	if n := e.sb.Stats(); n != (sandbox.Stats{}) {
		t.Fatalf("requests were sent: %+v", n)
	}
}

// TestConfigSetTrimsAndRefusesEmpty: surrounding spaces are not stored; an
// empty value is a usage error pointing at unset.
func TestConfigSetTrimsAndRefusesEmpty(t *testing.T) {
	e := newCLIEnv(t)
	if _, errs, code := e.run("config", "set", "cashier", "  Awa Ndiaye  "); code != 0 {
		t.Fatal(errs)
	}
	if out, _, _ := e.run("config", "get", "cashier"); out != "Awa Ndiaye\n" {
		t.Fatalf("stored %q", out)
	}
	if _, errs, code := e.run("config", "set", "cashier", "   "); code != 2 || !strings.Contains(errs, "unset") {
		t.Fatalf("empty value: %d %q", code, errs)
	}
	if _, errs, code := e.run("--lang", "fr", "config", "set", "theme", "pink"); code != 2 || !strings.Contains(errs, "valeurs possibles") {
		t.Fatalf("French refusal: %d %q", code, errs)
	}
}

// TestListenRefusesABadStoredCallbackSetting: a callback setting stored
// before values were checked is not silently replaced by the default: listen
// names it and does not start.
func TestListenRefusesABadStoredCallbackSetting(t *testing.T) {
	e := newCLIEnv(t)
	db, err := store.Open(e.db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("callback_allow_ip", "1.2.3.4,not-an-ip\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, errs, code := e.run("listen", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "callback_allow_ip") || strings.Contains(errs, "\x1b") {
		t.Fatalf("listen: %d %q", code, errs)
	}
	// The flag given instead wins and the bad setting is not consulted:
	// listen gets as far as the next check (a --path without its slash).
	if _, errs, code := e.run("listen", "--addr", "127.0.0.1:0", "--allow-ip", "127.0.0.1", "--path", "no-slash"); code != 2 || !strings.Contains(errs, "--path") {
		t.Fatalf("listen --allow-ip: %d %q", code, errs)
	}
}

// TestCommandsReadTheSettingsOnce: a command reads the ledger's settings
// once and answers every later question (language, keys, base URL) from
// that read: a change another process makes meanwhile is not seen by it.
func TestCommandsReadTheSettingsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for k, v := range map[string]string{"ui_lang": "fr", "public_key": "pk-first", "base_url": "https://first.example/api"} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	f := &cli.Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }}
	if f.Lang(db) != i18n.FR {
		t.Fatal("the ledger's language was not read")
	}
	other, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetSetting("ui_lang", "en")
	other.SetSetting("public_key", "pk-second")
	if pub, base := f.Resolve(db); pub != "pk-first" || base != "https://first.example/api" || f.Lang(db) != i18n.FR {
		t.Fatalf("read again: %s %s %s", pub, base, f.Lang(db))
	}
	// A new process (a new factory) sees the change.
	if pub, _ := (&cli.Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }}).Resolve(db); pub != "pk-second" {
		t.Fatalf("a new factory sees %q", pub)
	}
}

// TestConfigSetLedgerIsRememberedByTheDesk: config set ledger on a ledger
// file keeps the choice in the desk file (not in the ledger), config list
// shows it as a desk setting, and the next command without --db or
// COOLPAY_DB opens that ledger; a relative path or a URL with its password
// is refused.
func TestConfigSetLedgerIsRememberedByTheDesk(t *testing.T) {
	e := newCLIEnv(t)
	second := filepath.Join(t.TempDir(), "second.db")
	if _, errs, code := e.run("--db", second, "config", "set", "merchant_name", "Second Shop"); code != 0 {
		t.Fatal(errs)
	}
	if _, errs, code := e.run("config", "set", "ledger", second); code != 0 {
		t.Fatal(errs)
	}
	for _, bad := range []string{"second.db", "postgres://coolpay:s3cret@127.0.0.1/coolpay"} {
		if _, errs, code := e.run("config", "set", "ledger", bad); code != 2 || strings.Contains(errs, "s3cret") {
			t.Errorf("config set ledger %s: %d %q", bad, code, errs)
		}
	}
	out, _, _ := e.run("config", "list")
	var row string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "ledger ") {
			row = l
		}
	}
	if !strings.Contains(row, second) || !strings.Contains(row, "desk") {
		t.Fatalf("config list's ledger row %q:\n%s", row, out)
	}
	delete(e.env, "COOLPAY_DB")
	if out, errs, _ := e.run("config", "get", "merchant_name"); out != "Second Shop\n" {
		t.Fatalf("without --db the remembered ledger is not opened: %q %q", out, errs)
	}
	db, err := store.Open(e.db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, _, _ := db.Setting("ledger"); v != "" {
		t.Fatalf("the first ledger file keeps the desk's choice: %q", v)
	}
}
