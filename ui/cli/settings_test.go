package cli

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/internal/config"
)

func settingsLedger(t *testing.T, kv map[string]string) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for k, v := range kv {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// TestCallbackOptionsFromSettingsKeepFlags: the callback_* settings fill in
// what no flag set; a flag the user gave wins over its setting.
func TestCallbackOptionsFromSettingsKeepFlags(t *testing.T) {
	db := settingsLedger(t, map[string]string{
		SettingCallbackAddr: "127.0.0.1:9000",
		SettingCallbackPath: "/cb",
		SettingCallbackIPs:  "10.0.0.1,10.0.0.2",
		SettingCallbackCIDR: "10.1.0.0/16",
	})
	o := callbackOptions{addr: ":1", path: "/flag"}
	o.fromSettings(config.Load(db, config.Inputs{}), func(flag string) bool { return flag == "path" })
	want := callbackOptions{addr: "127.0.0.1:9000", path: "/flag", allow: []string{"10.0.0.1", "10.0.0.2"}, trust: []string{"10.1.0.0/16"}}
	if !reflect.DeepEqual(o, want) {
		t.Fatalf("got %+v, want %+v", o, want)
	}
}

// TestResolvePrefersFlagsThenLedger: the flag beats the ledger's setting;
// what neither flag nor environment names comes from the ledger, and the
// base URL falls back to the vendor's.
func TestResolvePrefersFlagsThenLedger(t *testing.T) {
	db := settingsLedger(t, map[string]string{common.SettingPublicKey: "pk-ledger", common.SettingBaseURL: "https://ledger.example/api"})
	f := &Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }, Globals: Globals{BaseURL: "https://flag.example/api"}}
	if pub, base := f.Resolve(db); pub != "pk-ledger" || base != "https://flag.example/api" {
		t.Fatalf("got %q %q", pub, base)
	}
	empty := settingsLedger(t, nil)
	if pub, base := (&Factory{Keyring: keystest.NewMemory(), Getenv: func(string) string { return "" }}).Resolve(empty); pub != "" || base != client.DefaultBaseURL {
		t.Fatalf("empty ledger: %q %q", pub, base)
	}
}
