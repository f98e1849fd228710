package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// Two desks on one PostgreSQL ledger, each with its own settings file:
// each keeps its own cashier and language (and each payout records its own
// desk's cashier), the merchant's settings (csv_format) are the same for
// both, config list says where each value is stored, and no desk setting
// is ever written to the shared database.
func TestDesksKeepTheirOwnSettingsOnASharedLedger(t *testing.T) {
	e := newCLIEnv(t)
	url := pgtest.URL(t)
	desk := func(name string) (map[string]string, string) {
		env := maps.Clone(e.env)
		env["COOLPAY_DB"] = url
		env["COOLPAY_DESK_FILE"] = filepath.Join(t.TempDir(), name, "desk-settings.json")
		return env, env["COOLPAY_DESK_FILE"]
	}
	a, fileA := desk("a")
	b, fileB := desk("b")
	run := func(env map[string]string, args ...string) string {
		t.Helper()
		out, errs, code := runCLI(env, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		return out
	}
	run(a, "config", "set", "cashier", "Awa")
	run(a, "config", "set", "ui_lang", "fr")
	run(b, "config", "set", "cashier", "Bello")
	run(b, "config", "set", "ui_lang", "en")
	run(b, "config", "set", "theme", "dark")
	run(a, "config", "set", "csv_format", "fr") // the merchant's: both desks

	for _, c := range []struct {
		env       map[string]string
		key, want string
	}{{a, "cashier", "Awa"}, {b, "cashier", "Bello"}, {a, "ui_lang", "fr"}, {b, "ui_lang", "en"}, {b, "csv_format", "fr"}, {a, "csv_format", "fr"}} {
		if got := strings.TrimSpace(run(c.env, "config", "get", c.key)); got != c.want {
			t.Errorf("config get %s = %q, want %q", c.key, got, c.want)
		}
	}
	if out, _, code := runCLI(a, nil, "config", "get", "theme"); code == 0 {
		t.Errorf("desk A sees desk B's theme: %q", out)
	}
	run(a, "config", "unset", "ui_lang")
	if got := strings.TrimSpace(run(b, "config", "get", "ui_lang")); got != "en" {
		t.Errorf("unsetting A's language changed B's: %q", got)
	}
	run(a, "config", "set", "ui_lang", "fr")

	// config list: each desk its own values, and where each is stored.
	la, lb := run(a, "config", "list"), run(b, "config", "list")
	if !strings.Contains(la, "Awa") || strings.Contains(la, "Bello") || !strings.Contains(la, "poste · ce poste") ||
		!strings.Contains(la, "partagé · base") || !strings.Contains(la, fileA) {
		t.Errorf("desk A's config list:\n%s", la)
	}
	if !strings.Contains(lb, "Bello") || strings.Contains(lb, "Awa") || !strings.Contains(lb, "desk · this desk") ||
		!strings.Contains(lb, "shared · database") || !strings.Contains(lb, fileB) {
		t.Errorf("desk B's config list:\n%s", lb)
	}

	// Nothing of a desk's own went into the shared database.
	db, err := store.Open(url, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := db.Settings()
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if shared["csv_format"] != "fr" || shared["cashier"] != "" || shared["ui_lang"] != "" || shared["theme"] != "" {
		t.Errorf("the shared database's settings: %v", shared)
	}
	for _, f := range []string{fileA, fileB} {
		st, err := os.Stat(f)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("desk file %s: %v %v", f, st, err)
		}
	}

	// Each desk's payment records its own cashier: the ledger opened and
	// the settings read as the console does (console.go), one payin per
	// desk to the sandbox.
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(e.url),
		client.WithPrivateKey(func(context.Context) (string, error) { return sbKey, nil }))
	for _, d := range []struct {
		env            map[string]string
		phone, cashier string
	}{{a, "690000001", "Awa"}, {b, "690000002", "Bello"}} {
		getenv := func(k string) string { return d.env[k] }
		db, err := store.Open(url, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := config.AttachDesk(db, getenv); err != nil {
			t.Fatal(err)
		}
		svc := core.New(core.Config{Client: c, Store: db, Cashier: config.Load(db, config.Inputs{Getenv: getenv}).String(config.Cashier)})
		rec, err := svc.Payin(context.Background(), core.PayinInput{Amount: "1000", Phone: d.phone})
		if err != nil || rec.Cashier != d.cashier || core.Cashier(db) != d.cashier {
			t.Errorf("desk %s's payin: cashier %q (ledger's reading %q), %v", d.cashier, rec.Cashier, core.Cashier(db), err)
		}
		db.Close()
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(run(b, "history", "--json", "--limit", "0")), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || !strings.Contains(fmt.Sprint(recs), "Awa") || !strings.Contains(fmt.Sprint(recs), "Bello") {
		t.Errorf("the shared ledger's payments: %v", recs)
	}
}

// Copying a desk's ledger file into a shared database: the merchant's
// settings go into the database, the file's desk settings to this desk's
// settings file (where it has none of its own), never into the database.
func TestLedgerCopyKeepsDeskSettingsOnTheDesk(t *testing.T) {
	url := pgtest.URL(t)
	path := filepath.Join(t.TempDir(), "ledger.db")
	file, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"cashier": "Awa", "theme": "dark", "csv_format": "fr"} {
		if err := file.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	file.Close()
	deskA := filepath.Join(t.TempDir(), "a.json")
	deskB := filepath.Join(t.TempDir(), "b.json")
	if _, errs, code := runCLI(map[string]string{"COOLPAY_DESK_FILE": deskB, "COOLPAY_DB": url}, nil, "config", "set", "cashier", "Bello"); code != 0 {
		t.Fatal(errs)
	}
	for _, desk := range []string{deskA, deskB} {
		if out, errs, code := runCLI(map[string]string{"COOLPAY_DESK_FILE": desk}, nil, "ledger", "copy", path, url); code != 0 {
			t.Fatalf("ledger copy: %d %s%s", code, out, errs)
		}
	}
	db, err := store.Open(url, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := db.Settings()
	db.Close()
	if err != nil || shared["csv_format"] != "fr" || shared["cashier"] != "" || shared["theme"] != "" {
		t.Fatalf("the shared database's settings: %v %v", shared, err)
	}
	for desk, want := range map[string]string{deskA: `"cashier": "Awa"`, deskB: `"cashier": "Bello"`} {
		raw, err := os.ReadFile(desk)
		if err != nil || !strings.Contains(string(raw), want) || !strings.Contains(string(raw), `"theme": "dark"`) {
			t.Errorf("%s after the copy: %s %v", desk, raw, err)
		}
	}
}
