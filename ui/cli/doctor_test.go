package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestDoctorRefusesAnUnverifiedCertificate: an https API whose certificate
// does not verify is a failed API check that says TLS, never a success.
func TestDoctorRefusesAnUnverifiedCertificate(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	f := &Factory{Keyring: keystest.NewMemory(),
		Getenv: func(k string) string {
			return map[string]string{"COOLPAY_PUBLIC_KEY": "pk", "COOLPAY_PRIVATE_KEY": "TEST-key-1234567890"}[k]
		},
		Globals: Globals{DB: filepath.Join(t.TempDir(), "none.db"), BaseURL: srv.URL + "/api"},
	}
	byName := map[string]doctorCheck{}
	for _, c := range runDoctor(context.Background(), f) {
		byName[c.Name] = c
	}
	if c := byName["api"]; c.Status != checkFail || c.Detail != "doctor.api.tls_bad" {
		t.Fatalf("api check: %+v", c)
	}
	if c := byName["keys"]; c.Status != checkSkip {
		t.Fatalf("keys checked over an unverified connection: %+v", c)
	}
	if c := byName["base_url"]; c.Status != checkOK || c.Detail != "doctor.base_url.https" {
		t.Fatalf("base_url: %+v", c)
	}
}

func TestDoctorClockAndCertificateExpiry(t *testing.T) {
	now := time.Date(2026, 11, 29, 5, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		server time.Time
		status string
	}{
		{now.Add(-90 * time.Second), checkOK},
		{now.Add(10 * time.Minute), checkWarn},
		{now.Add(-3 * time.Hour), checkFail},
		{time.Time{}, checkSkip},
	} {
		if got := clockCheck(tc.server, now); got.Status != tc.status {
			t.Errorf("server %v: %s, want %s", tc.server, got.Status, tc.status)
		}
	}
	soon := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{{NotAfter: now.Add(5 * 24 * time.Hour)}}}
	if c := tlsCheck(soon, now); c.Status != checkWarn {
		t.Errorf("certificate expiring in 5 days: %+v", c)
	}
	later := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{{NotAfter: now.Add(90 * 24 * time.Hour)}}}
	if c := tlsCheck(later, now); c.Status != checkOK {
		t.Errorf("certificate valid 90 days: %+v", c)
	}
}

func TestDoctorPayoutIPIsNeverClaimedChecked(t *testing.T) {
	f := &Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }, Globals: Globals{DB: filepath.Join(t.TempDir(), "none.db"), BaseURL: "http://127.0.0.1:1/api"}}
	checks := runDoctor(context.Background(), f)
	last := checks[len(checks)-1]
	if last.Name != "payout_ip" || last.Status != checkSkip || last.Fix == "" {
		t.Fatalf("payout IP line: %+v", last)
	}
}

// TestDoctorReadsTheLedgersSettings: with neither flag nor environment,
// the public key, the base URL and the callback address come from the
// ledger, and the checks say so.
func TestDoctorReadsTheLedgersSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{common.SettingPublicKey: "pk-ledger", common.SettingBaseURL: "https://127.0.0.1:1/api", SettingCallbackAddr: "not-an-address"} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	f := &Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }, Globals: Globals{DB: path}}
	byName := map[string]doctorCheck{}
	for _, c := range runDoctor(context.Background(), f) {
		byName[c.Name] = c
	}
	if c := byName["settings"]; c.Status != checkOK || len(c.DetailArgs) != 4 || c.DetailArgs[0] != "pk-ledger" || c.DetailArgs[1] != sourceWord("ledger") || c.DetailArgs[2] != "https://127.0.0.1:1/api" {
		t.Fatalf("settings: %+v", c)
	}
	if c := byName["api"]; c.Status != checkFail {
		t.Fatalf("api (nothing listens on port 1): %+v", c)
	}
	if c := byName["callback"]; c.Status != checkFail || c.Detail != "doctor.callback.bad" {
		t.Fatalf("callback: %+v", c)
	}
}

// TestDoctorNeverUsesNorShowsABadStoredBaseURL: a base URL stored before
// values were checked, with a password, a query and a fragment, fails the
// settings and base_url lines, is shown redacted in both languages and in
// the JSON text, and is never asked (the API check is skipped).
func TestDoctorNeverUsesNorShowsABadStoredBaseURL(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{common.SettingPublicKey: "pk-ledger", common.SettingBaseURL: "https://merchant:s3cret@127.0.0.1:1/api?token=t0ken#frag"} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	f := &Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }, Globals: Globals{DB: path}}
	checks := runDoctor(context.Background(), f)
	byName := map[string]doctorCheck{}
	for _, c := range checks {
		byName[c.Name] = c
	}
	if c := byName["settings"]; c.Status != checkFail || c.Detail != "doctor.settings.invalid" {
		t.Fatalf("settings: %+v", c)
	}
	if c := byName["base_url"]; c.Status != checkFail {
		t.Fatalf("base_url: %+v", c)
	}
	if c := byName["api"]; c.Status != checkSkip {
		t.Fatalf("api was asked with a bad base URL: %+v", c)
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		var b strings.Builder
		if err := writeDoctor(&b, i18n.New(lang), checks); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, secret := range []string{"s3cret", "merchant", "t0ken", "frag"} {
			if strings.Contains(out, secret) {
				t.Fatalf("%s: doctor shows %q:\n%s", lang, secret, out)
			}
		}
		if !strings.Contains(out, "https://***@127.0.0.1:1/api?***") || !strings.Contains(out, "base_url") {
			t.Fatalf("%s: the bad value is not shown redacted, or its setting not named:\n%s", lang, out)
		}
	}
}

// TestDoctorWithoutALedgerAsksNoAPI: a --db naming no file is said first,
// and with no public key from a flag or the environment nothing else is
// checked: no request leaves (the server below would count it).
func TestDoctorWithoutALedgerAsksNoAPI(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	f := &Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }, Globals: Globals{DB: filepath.Join(t.TempDir(), "typo.db"), BaseURL: srv.URL + "/api"}}
	checks := runDoctor(context.Background(), f)
	if c := checks[0]; c.Name != "ledger" || c.Status != checkFail || c.Detail != "doctor.ledger.missing" {
		t.Fatalf("first line: %+v", c)
	}
	for _, c := range checks[1:] {
		if c.Status != checkSkip {
			t.Errorf("checked without a ledger: %+v", c)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the API was asked %d time(s) without a ledger", n)
	}
	// With the public key from the environment, the API checks run.
	f = &Factory{Keyring: keystest.NewMemory(), Getenv: func(k string) string { return map[string]string{"COOLPAY_PUBLIC_KEY": "pk-env"}[k] },
		Globals: Globals{DB: filepath.Join(t.TempDir(), "typo.db"), BaseURL: srv.URL + "/api"}}
	runDoctor(context.Background(), f)
	if hits.Load() == 0 {
		t.Fatal("with COOLPAY_PUBLIC_KEY the API was not asked")
	}
}
