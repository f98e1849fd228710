package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestValidators: each setting accepts what a real merchant types (the
// documented public key, the test keys coolpay's own tests use, the
// vendor's and a sandbox's base URL) and refuses what would change a
// request or a terminal, naming why.
func TestValidators(t *testing.T) {
	t.Setenv(EnvInsecureHTTP, "")
	cases := []struct {
		key  Key
		v    string
		want string // "" = accepted, else the message key
	}{
		{PublicKey, client.SandboxPublicKey, ""},
		{PublicKey, strings.ToUpper(client.SandboxPublicKey), ""},
		{PublicKey, "pk", ""},
		{PublicKey, "pub-e2e-listen", ""},
		{PublicKey, "pk_live.2024", ""},
		{PublicKey, "bad key", "config.error.public_key"},
		{PublicKey, "a/b", "config.error.public_key"},
		{PublicKey, "..", "config.error.public_key"},
		{PublicKey, "-x", "config.error.public_key"},
		{PublicKey, "pk?x", "config.error.public_key"},
		{PublicKey, "pk%2F", "config.error.public_key"},
		{PublicKey, "pk\x1b[31m", "config.error.public_key"},
		{PublicKey, "pk\u202e", "config.error.public_key"},
		{PublicKey, "clé", "config.error.public_key"},
		{PublicKey, strings.Repeat("a", 129), "config.error.public_key_long"},

		{BaseURL, client.DefaultBaseURL, ""},
		{BaseURL, "http://127.0.0.1:8787/api", ""},
		{BaseURL, "http://localhost:8787/api", ""},
		{BaseURL, "http://[::1]:9/api", ""},
		{BaseURL, "https://xn--exmple-cua.cm/api", ""},
		{BaseURL, "ftp://x", "config.error.base_url"},
		{BaseURL, "my-coolpay.com/api", "config.error.base_url"},
		{BaseURL, "https://", "config.error.base_url"},
		{BaseURL, "http://10.0.0.5/api", "config.error.base_url_http"},
		{BaseURL, "https://user:pass@my-coolpay.com/api", "config.error.base_url_userinfo"},
		{BaseURL, "https://user@my-coolpay.com/api", "config.error.base_url_userinfo"},
		{BaseURL, "https://my-coolpay.com/api?x=1", "config.error.base_url_query"},
		{BaseURL, "https://my-coolpay.com/api?", "config.error.base_url_query"},
		{BaseURL, "https://my-coolpay.com/api#x", "config.error.base_url_fragment"},
		{BaseURL, "https://my-coolpay.com/\u202eipa", "config.error.base_url_chars"},
		{BaseURL, "https://my-coolpay.com/api\u0085", "config.error.base_url_chars"},
		{BaseURL, "https://my-coolpay.com/\x9b31m", "config.error.base_url_chars"},
		{BaseURL, "https://my-coolpay.com/a pi", "config.error.base_url_chars"},
		{BaseURL, "https://exämple.cm/api", "config.error.base_url_chars"},

		{Lang, "fr", ""},
		{Lang, "de", "config.error.one_of"},
		{Theme, "dark", ""},
		{Theme, "pink", "config.error.one_of"},
		{CSVFormat, "fr", ""},
		{CSVFormat, "excel", "config.error.one_of"},
		{Cashier, "Awa Ndiaye", ""},
		{Cashier, "Awa\x1b[2J", "config.error.name"},
		{Cashier, " awa", "config.error.name"},
		{Cashier, strings.Repeat("é", 41), "config.error.name"},
		{MerchantName, "Chez Mama Awa", ""},
		{MerchantName, "Chez\u202eAwa", "config.error.name"},
		{PollStep, "2s", ""},
		{PollStep, "5", "config.error.duration"},
		{PollStep, "1h", "config.error.duration"},
		{PollMax, "30s", ""},
		{PollGiveUp, "10m", ""},
		{PollGiveUp, "10s", "config.error.duration"},
		{CallbackAddr, "127.0.0.1:8788", ""},
		{CallbackAddr, ":8788", ""},
		{CallbackAddr, "nowhere", "config.error.addr"},
		{CallbackPath, "/callback/4f9d2c", ""},
		{CallbackPath, "callback", "config.error.path"},
		{CallbackPath, "/cb?x", "config.error.path"},
		{CallbackPath, "/cb\x1b", "config.error.path"},
		{CallbackAllowIP, "1.2.3.4, 5.6.7.8", ""},
		{CallbackAllowIP, "1.2.3.4,nope", "config.error.ip"},
		{CallbackAllowIP, ",", "config.error.ip"},
		{CallbackTrustProxy, "10.0.0.0/8", ""},
		{CallbackTrustProxy, "10.0.0.0/8,::/0", "config.error.cidr_all"},
		{CallbackTrustProxy, "10.0.0.0", "config.error.cidr"},
		{CallbackInConsole, "on", ""},
		{CallbackInConsole, "yes", "config.error.one_of"},
	}
	for _, c := range cases {
		err := Validate(c.key, c.v)
		got := ""
		var e *Error
		if errors.As(err, &e) {
			got = e.Msg
			if e.Key != c.key {
				t.Errorf("%s %q: error names %q", c.key, c.v, e.Key)
			}
		} else if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Validate(%s, %q) = %q, want %q", c.key, c.v, got, c.want)
		}
	}
	t.Setenv(EnvInsecureHTTP, "1")
	if err := Validate(BaseURL, "http://10.0.0.5/api"); err != nil {
		t.Errorf("with %s=1: %v", EnvInsecureHTTP, err)
	}
	if err := Validate("no_such", "x"); err == nil {
		t.Error("an unknown setting was accepted")
	}
}

// TestEveryErrorReadsInBothLanguages: each refusal has an English and a
// French text, and a typed value shown in it is inert.
func TestEveryErrorReadsInBothLanguages(t *testing.T) {
	err := Validate(CallbackAllowIP, "1.2.3.4,\x1b[2Jx")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("not a *Error: %v", err)
	}
	en, fr := e.Text(i18n.New(i18n.EN)), e.Text(i18n.New(i18n.FR))
	if en == fr || strings.Contains(en, "\x1b") || strings.Contains(fr, "\x1b") || !strings.Contains(en, "^[") {
		t.Fatalf("en %q / fr %q", en, fr)
	}
}

// TestScopes: the merchant's settings are shared, the desk's local, as
// config list and Settings show them.
func TestScopes(t *testing.T) {
	want := map[Key]Scope{PublicKey: Shared, BaseURL: Shared, CSVFormat: Shared, MerchantName: Shared,
		CallbackAddr: Shared, CallbackPath: Shared, CallbackAllowIP: Shared, CallbackTrustProxy: Shared,
		Cashier: Desk, Lang: Desk, Theme: Desk, PollStep: Desk, PollMax: Desk, PollGiveUp: Desk, CallbackInConsole: Desk, Ledger: Desk}
	defs := Defs()
	if len(defs) != len(want) {
		t.Fatalf("%d settings, want %d", len(defs), len(want))
	}
	for _, d := range defs {
		if s, ok := want[d.Key]; !ok || s != d.Scope {
			t.Errorf("%s: scope %s", d.Key, d.Scope)
		}
		if err := d.Check(d.Default); err != nil {
			t.Errorf("%s: its default %q fails its own check: %v", d.Key, d.Default, err)
		}
	}
}

// TestPrecedence: flag, then environment, then the ledger, then the
// default; an invalid value at one level is reported and not replaced by a
// lower level's.
func TestPrecedence(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for k, v := range map[string]string{"public_key": "pk-ledger", "base_url": "https://ledger.example/api", "ui_lang": "fr", "poll_step": "3s"} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"COOLPAY_PUBLIC_KEY": "pk-env", "LANG": "en_US.UTF-8"}
	in := Inputs{Flags: map[Key]string{BaseURL: "https://flag.example/api"}, Getenv: func(k string) string { return env[k] }}
	s := Load(db, in)
	for k, want := range map[Key]Value{
		PublicKey: {V: "pk-env", Source: FromEnv},
		BaseURL:   {V: "https://flag.example/api", Source: FromFlag},
		Lang:      {V: "fr", Source: FromLedger},
		PollStep:  {V: "3s", Source: FromLedger},
		PollMax:   {V: "10s", Source: FromDefault},
		Cashier:   {},
	} {
		if got := s.Get(k); got != want {
			t.Errorf("%s: %+v, want %+v", k, got, want)
		}
	}
	if s.Duration(PollStep) != 3*time.Second || s.UILang() != i18n.FR {
		t.Errorf("typed: %s %s", s.Duration(PollStep), s.UILang())
	}
	// Unset in the ledger, the language follows the locale.
	if got := FromMap(nil, in).Get(Lang); got.V != "en" || got.Source != FromDefault {
		t.Errorf("lang default: %+v", got)
	}

	// An invalid flag is reported, the ledger's value not used instead.
	in.Flags[BaseURL] = "https://u:p@flag.example/api"
	s = Load(db, in)
	got := s.Get(BaseURL)
	if got.Err == nil || got.BadFrom != FromFlag || got.Source != FromDefault {
		t.Fatalf("bad flag: %+v", got)
	}
	_, _, err = s.Endpoint()
	var se *SourcedError
	if !errors.As(err, &se) || se.From != FromFlag || !strings.Contains(se.Error(), "--base-url") {
		t.Fatalf("Endpoint with a bad flag: %v", err)
	}
	// An invalid stored value: the ledger's setting is named.
	if err := db.SetSetting("public_key", "pk ledger"); err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(db, Inputs{Getenv: func(string) string { return "" }}).Endpoint()
	if !errors.As(err, &se) || se.From != FromLedger || !strings.Contains(se.Text(i18n.New(i18n.FR)), "public_key") {
		t.Fatalf("Endpoint with a bad stored key: %v", err)
	}
}

// TestSetChecksBeforeStoring: Set refuses a bad value and stores nothing.
func TestSetChecksBeforeStoring(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := Load(db, Inputs{})
	if err := s.Set(db, BaseURL, "https://a:b@x.example/api"); err == nil {
		t.Fatal("a base URL with a password was stored")
	}
	if v, ok, _ := db.Setting("base_url"); ok {
		t.Fatalf("stored %q", v)
	}
	if err := s.Set(db, Theme, "dark"); err != nil || s.Stored(Theme) != "dark" {
		t.Fatalf("Set theme: %v %q", err, s.Stored(Theme))
	}
	if v, _, _ := db.Setting("theme"); v != "dark" {
		t.Fatalf("ledger holds %q", v)
	}
}

// TestLedgerPath: --db, then COOLPAY_DB, then the data directory's default;
// only the first two are explicit.
func TestLedgerPath(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if p, ex, _ := LedgerPath("/flag.db", get); p != "/flag.db" || !ex {
		t.Errorf("flag: %s %v", p, ex)
	}
	env[EnvDB] = "/env.db"
	if p, ex, _ := LedgerPath("", get); p != "/env.db" || !ex {
		t.Errorf("env: %s %v", p, ex)
	}
	delete(env, EnvDB)
	t.Setenv("XDG_DATA_HOME", "/data")
	t.Setenv(EnvDB, "/ignored.db") // the process's own, not get's
	if p, ex, _ := LedgerPath("", get); p != "/data/coolpay/ledger.db" || ex {
		t.Errorf("default: %s %v", p, ex)
	}
}

// TestShowRedactsAndNeutralises: URLs lose user-info, query and fragment,
// even when they do not parse; control and bidi characters become visible.
func TestShowRedactsAndNeutralises(t *testing.T) {
	for in, want := range map[string]string{
		"https://my-coolpay.com/api":                     "https://my-coolpay.com/api",
		"https://user:pa55@my-coolpay.com/api":           "https://***@my-coolpay.com/api",
		"http://u:p@a@host:80/x?key=1#frag":              "http://***@host:80/x?***",
		"https://host/api#secret":                        "https://host/api#***",
		"http://us er:pa ss@host/api":                    "http://***@host/api",
		"user:pass@host/api":                             "***@host/api",
		"https://host/\u202eipa":                         "https://host/<U+202E>ipa",
		"https://host/\x1b[31mred":                       "https://host/^[[31mred",
		"https://u:p@host/\x1b":                          "https://***@host/^[",
		"https://host/a@b":                               "https://host/a@b",
		"https://u:p@host?x=\u202e":                      "https://***@host?***",
		"":                                               "",
		"https://user:pass@host:8443/api/?a=b&c=d#e?f@g": "https://***@host:8443/api/?***",
	} {
		if got := Show(BaseURL, in); got != want {
			t.Errorf("Show(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Show(Cashier, "awa\x1b[2J"); got != "awa^[[2J" {
		t.Errorf("cashier: %q", got)
	}
}
