package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
)

// TestConfigChecksValuesAndShowsThemInert: config set refuses a public key
// or base URL that would change a request or a terminal (exit 2, nothing
// stored); values stored before they were checked (written here straight
// into the ledger, as an older coolpay could) are shown by config get,
// config list, doctor and doctor --json without their password, query or
// escape sequences, are never used to reach an API, and crash nothing.
func TestConfigChecksValuesAndShowsThemInert(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "ledger.db")
	for _, kv := range [][2]string{
		{"public_key", "bad key"}, {"public_key", "pk/../x"}, {"public_key", "pk\x1b[2J"},
		{"base_url", "https://merchant:s3cret@my-coolpay.com/api"}, {"base_url", "https://my-coolpay.com/api?k=v"},
		{"base_url", "https://my-coolpay.com/api#x"}, {"base_url", "https://my-coolpay.com/\u202eipa"},
		{"base_url", "https://my-coolpay.com/a\u0085pi"}, {"cashier", "Awa\x1b[2J"},
	} {
		out, errs, code := runSplit(t, bin, nil, "--db", db, "config", "set", kv[0], kv[1])
		if code != 2 || !strings.Contains(errs, kv[0]) || strings.Contains(out+errs, "\x1b") || strings.Contains(errs, "s3cret") {
			t.Errorf("config set %s %q: exit %d, stderr %q", kv[0], kv[1], code, errs)
		}
	}
	// A real key and the vendor's address pass.
	for _, kv := range [][2]string{{"public_key", client.SandboxPublicKey}, {"base_url", "https://my-coolpay.com/api"}} {
		if _, errs, code := runSplit(t, bin, nil, "--db", db, "config", "set", kv[0], kv[1]); code != 0 {
			t.Fatalf("config set %s %s: %d %s", kv[0], kv[1], code, errs)
		}
	}

	// What an older coolpay let in.
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the API was asked with a bad stored base URL: %s", r.URL)
	}))
	defer api.Close()
	bad := strings.Replace(api.URL, "http://", "http://merchant:s3cret@", 1) + "/api?token=t0ken"
	ldb, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"base_url": bad, "merchant_name": "Shop\x1b]0;pwned\x07\u202e"} {
		if err := ldb.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	ldb.Close()

	leaks := func(what, s string) {
		t.Helper()
		for _, secret := range []string{"s3cret", "t0ken", "\x1b", "\x07", "\u202e", "goroutine"} {
			if strings.Contains(s, secret) {
				t.Errorf("%s shows %q:\n%s", what, secret, s)
			}
		}
	}
	out, errs, code := runSplit(t, bin, nil, "--db", db, "config", "get", "base_url")
	leaks("config get", out+errs)
	if code != 0 || !strings.Contains(out, "http://***@127.0.0.1") {
		t.Errorf("config get base_url: %d %q %q", code, out, errs)
	}
	out, errs, _ = runSplit(t, bin, nil, "--db", db, "config", "get", "merchant_name")
	leaks("config get merchant_name", out+errs)
	if !strings.Contains(out, "Shop^[]0;pwned^G<U+202E>") {
		t.Errorf("config get merchant_name: %q", out)
	}
	for _, lang := range []string{"en", "fr"} {
		out, errs, code = runSplit(t, bin, nil, "--db", db, "--lang", lang, "config", "list")
		leaks("config list "+lang, out+errs)
		want := map[string][]string{
			"en": {"SCOPE", "invalid", "no user name or password", "shared", "desk"},
			"fr": {"PORTÉE", "invalide", "pas de nom d'utilisateur", "partagé", "poste"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("config list --lang %s lacks %q (exit %d):\n%s", lang, w, code, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			f := strings.Fields(l)
			if len(f) < 3 {
				continue
			}
			scope := map[string]string{"public_key": "shared", "base_url": "shared", "cashier": "desk", "ui_lang": "desk", "theme": "desk", "csv_format": "shared"}[f[0]]
			if lang == "fr" {
				scope = map[string]string{"shared": "partagé", "desk": "poste"}[scope]
			}
			if scope != "" && !strings.Contains(l, " "+scope+" ") {
				t.Errorf("config list --lang %s: %s is not marked %s: %q", lang, f[0], scope, l)
			}
		}
	}
	out, errs, code = runSplit(t, bin, nil, "--db", db, "doctor")
	leaks("doctor", out+errs)
	if code != 1 || !strings.Contains(out, "base_url") || !strings.Contains(out, "***") {
		t.Errorf("doctor: exit %d\n%s%s", code, out, errs)
	}
	out, errs, _ = runSplit(t, bin, nil, "--db", db, "doctor", "--json")
	leaks("doctor --json", out+errs)
	// An online command says which setting to fix and sends nothing.
	out, errs, code = runSplit(t, bin, nil, "--db", db, "balance")
	leaks("balance", out+errs)
	if code != 1 || !strings.Contains(errs, "base_url") {
		t.Errorf("balance with a bad stored base URL: %d %q", code, errs)
	}
	// A flag that carries a password is refused the same way.
	_, errs, code = runSplit(t, bin, nil, "--db", db, "--base-url", "https://u:s3cret@my-coolpay.com/api", "balance")
	leaks("balance --base-url", errs)
	if code != 1 || !strings.Contains(errs, "--base-url") {
		t.Errorf("balance --base-url with a password: %d %q", code, errs)
	}
}

// TestConsoleAsksBeforeCreatingANamedLedger: coolpay --db typo.db asks
// before making a new, empty ledger (n: nothing created; in French o for
// oui creates it and the first-run screen opens); without a terminal to ask
// on it refuses; the default data directory's ledger needs no question
// (TestConsoleFirstRunMakesItsDataDirectory).
func TestConsoleAsksBeforeCreatingANamedLedger(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.db")

	tm := startConsole(t, "ask-en", 200, 30, fmt.Sprintf("env -u COOLPAY_DB -u COOLPAY_PUBLIC_KEY LANG=C.UTF-8 TERM=xterm-256color %s --db %s --lang en", bin, typo))
	tm.waitFor(`No ledger at .*typo\.db: create a new one\?\s+y/n`, 10*time.Second)
	tm.typeText("n")
	tm.keys("Enter")
	tm.waitFor(`(?s)no ledger created at .*EXIT=1`, 5*time.Second)
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatalf("answering n created %s (%v)", typo, err)
	}

	tm = startConsole(t, "ask-fr", 200, 30, fmt.Sprintf("env -u COOLPAY_DB -u COOLPAY_PUBLIC_KEY LANG=fr_FR.UTF-8 TERM=xterm-256color %s --db %s", bin, typo))
	tm.waitFor(`Aucun registre à .*typo\.db : en créer un nouveau \?\s+o/n`, 10*time.Second)
	tm.typeText("o")
	tm.keys("Enter")
	tm.waitFor(`Adresse API`, 10*time.Second)
	if _, err := os.Stat(typo); err != nil {
		t.Fatalf("answering o did not create the ledger: %v", err)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)

	// The ledger exists now: no question.
	tm = startConsole(t, "ask-again", 100, 30, fmt.Sprintf("env -u COOLPAY_PUBLIC_KEY LANG=C.UTF-8 TERM=xterm-256color %s --db %s --lang en", bin, typo))
	s := tm.waitFor(`API address`, 10*time.Second)
	if strings.Contains(s, "create a new one") {
		t.Fatalf("asked about an existing ledger:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)

	// No terminal to ask on: refused, nothing created (COOLPAY_DB too).
	other := filepath.Join(dir, "other.db")
	for _, args := range [][]string{{"--db", other}, {}} {
		_, errs, code := runSplit(t, bin, []string{"COOLPAY_DB=" + other}, args...)
		if code != 1 || !strings.Contains(errs, other) {
			t.Errorf("console %v without a terminal: %d %q", args, code, errs)
		}
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Fatalf("a console without a terminal created %s", other)
	}
}

// TestFirstRunOffersTheConfiguredBaseURL: the first-run screen starts with
// the base URL --base-url or COOLPAY_BASE_URL gives (saying where it came
// from and that it is not the live API), not the live address; saving it
// there checks the keys against that address and stores it.
func TestFirstRunOffersTheConfiguredBaseURL(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	addr := freePort(t)
	startSandbox(t, bin, "--addr", addr, "--quiet")
	base := "http://" + addr + "/api"

	_, data, env := freshDesk(t)

	tm := startConsole(t, "setup-env", 110, 30, fmt.Sprintf("%s COOLPAY_BASE_URL=%s %s --lang en", env, base, bin))
	s := tm.waitFor(`API address`, 10*time.Second)
	if !strings.Contains(s, base) || !strings.Contains(s, "from COOLPAY_BASE_URL") || !strings.Contains(s, "not the live My-CoolPay API") {
		t.Fatalf("setup with COOLPAY_BASE_URL:\n%s", s)
	}
	if strings.Contains(s, client.DefaultBaseURL) {
		t.Fatalf("setup still offers the live address:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)

	tm = startConsole(t, "setup-flag", 110, 30, fmt.Sprintf("%s %s --base-url %s --lang en", env, bin, base))
	s = tm.waitFor(`API address`, 10*time.Second)
	if !strings.Contains(s, base) || !strings.Contains(s, "from --base-url") {
		t.Fatalf("setup with --base-url:\n%s", s)
	}
	tm.typeText(client.SandboxPublicKey)
	tm.keys("Tab")
	tm.typeText(sandbox.DefaultPrivateKey)
	tm.keys("Enter")
	tm.waitFor(`The keys work`, 15*time.Second)
	tm.keys("Enter")
	tm.waitFor(`Payin`, 5*time.Second)
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)

	ledger := filepath.Join(data, "coolpay", "ledger.db")
	out, errs, code := runSplit(t, bin, nil, "--db", ledger, "config", "get", "base_url")
	if code != 0 || strings.TrimSpace(out) != base {
		t.Fatalf("stored base URL: %d %q %q", code, out, errs)
	}
}

// TestDoctorWithoutALedgerSaysSoAndAsksNoAPI: coolpay doctor on a --db
// that is not there says so on its first line and asks no API (a server
// counting requests stands where the base URL points).
func TestDoctorWithoutALedgerSaysSoAndAsksNoAPI(t *testing.T) {
	bin := buildBinary(t)
	var hits atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer api.Close()
	typo := filepath.Join(t.TempDir(), "typo.db")
	for _, lang := range []string{"en", "fr"} {
		out, errs, code := runSplit(t, bin, []string{"COOLPAY_BASE_URL=" + api.URL + "/api"}, "--db", typo, "--lang", lang, "doctor")
		first := strings.SplitN(out, "\n", 2)[0]
		want := map[string][]string{"en": {"no ledger at " + typo, "not checked: no ledger"}, "fr": {"aucun registre à " + typo, "non vérifié : pas de registre"}}[lang]
		if code != 1 || !strings.Contains(first, want[0]) || !strings.Contains(out, want[1]) {
			t.Errorf("doctor --lang %s: exit %d, stderr %q\n%s", lang, code, errs, out)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("doctor asked the API %d time(s) with no ledger", n)
	}
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Fatal("doctor created the ledger")
	}
}

// newLedger creates an empty ledger at path, as an earlier run of the
// console would have: a console given a --db or COOLPAY_DB that does not
// exist asks before creating one (TestConsoleAsksBeforeCreatingANamedLedger).
func newLedger(t *testing.T, path string) {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestConsoleOpensOfflineOnABadStoredBaseURL: a base URL stored before
// values were checked (with a password) is not used: the console opens
// offline, says which setting to fix, and shows the password nowhere.
func TestConsoleOpensOfflineOnABadStoredBaseURL(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	ledger := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(ledger, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"public_key": client.SandboxPublicKey, "base_url": "https://merchant:s3cret@127.0.0.1:1/api"} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	tm := startConsole(t, "badbase", 160, 30, fmt.Sprintf("env -u COOLPAY_PUBLIC_KEY -u COOLPAY_BASE_URL LANG=C.UTF-8 TERM=xterm-256color %s --db %s --lang en", bin, ledger))
	s := tm.waitFor(`Offline: the ledger's base_url setting is not valid`, 10*time.Second)
	if strings.Contains(s, "s3cret") {
		t.Fatalf("the password is on screen:\n%s", s)
	}
	// Settings shows the stored value redacted and marked invalid.
	tm.keys("F2") // History → Today
	tm.keys("F2") // → Settings
	s = tm.waitFor(`Base URL .*https://\*\*\*@127\.0\.0\.1:1/api`, 5*time.Second)
	if strings.Contains(s, "s3cret") || !strings.Contains(s, "invalid") {
		t.Fatalf("Settings:\n%s", s)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}
