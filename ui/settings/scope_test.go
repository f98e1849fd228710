package settings

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// TestEachRowSaysWhoseItIs: every row is marked shared (the merchant's) or
// desk (this till's), in both languages, and the hint under the selected row
// says what that means.
func TestEachRowSaysWhoseItIs(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		h := newHarness(t, false)
		*h.c.T = *i18n.New(lang)
		view := h.m.View()
		shared, desk := h.c.T.T("config.scope.shared"), h.c.T.T("config.scope.desk")
		for label, scope := range map[string]string{
			"settings.public_key": shared, "settings.base_url": shared, "settings.merchant": shared,
			"settings.lang": desk, "settings.theme": desk, "settings.cashier": desk,
		} {
			line := ""
			for _, l := range strings.Split(view, "\n") {
				if strings.Contains(l, h.c.T.T(label)) {
					line = l
					break
				}
			}
			if !strings.Contains(line, " "+scope+" ") {
				t.Errorf("%s: row %s is not marked %q: %q", lang, label, scope, line)
			}
		}
		if !strings.Contains(view, h.c.T.T("settings.scope.shared")) {
			t.Errorf("%s: the selected (shared) row's hint does not say so:\n%s", lang, view)
		}
		h.keys("down", "down", "down") // Language
		if !strings.Contains(h.m.View(), h.c.T.T("settings.scope.desk")) {
			t.Errorf("%s: the language row's hint does not say desk:\n%s", lang, h.m.View())
		}
	}
}

// TestBadStoredValuesShowRedactedAndInert: values an older coolpay stored
// unchecked (a base URL with a password and a query, names with escape
// sequences) show without the password or the escapes, marked invalid, and
// the edit box starts with the redacted text, not the password.
func TestBadStoredValuesShowRedactedAndInert(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for k, v := range map[string]string{
		common.SettingBaseURL: "https://merchant:s3cret@my-coolpay.com/api?token=t0ken", common.SettingPublicKey: "pk\x1b[2J",
		common.SettingCashier: "Awa\x1b]0;x\x07", common.SettingMerchantName: "Shop\u202eX",
	} {
		if err := db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil),
		Keys: common.DefaultKeyMap(), T: i18n.New(i18n.EN), Store: db}
	// The settings read once at start-up, as the console hands them over.
	h := &harness{t: t, c: c, db: db, m: New(c, Options{Config: config.Load(db, config.Inputs{})})}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 140, Height: 24})
	view := h.m.View()
	for _, leak := range []string{"s3cret", "t0ken", "\x1b", "\x07", "\u202e"} {
		if strings.Contains(view, leak) {
			t.Fatalf("Settings shows %q:\n%s", leak, view)
		}
	}
	for _, want := range []string{"https://***@my-coolpay.com/api?***", "pk^[[2J", "Shop<U+202E>X", "invalid: no user name or password"} {
		if !strings.Contains(view, want) {
			t.Errorf("Settings lacks %q:\n%s", want, view)
		}
	}
	h.keys("down", "enter")
	if v := h.m.input.Value(); strings.Contains(v, "s3cret") || !strings.Contains(v, "***@") {
		t.Fatalf("the base URL box starts with %q", v)
	}
}

// TestLedgerRowShowsTheLedgerInUse: the ledger row is a desk setting
// showing the ledger the console opened, without its password,
// with what chose it; enter says how to change it and edits nothing.
func TestLedgerRowShowsTheLedgerInUse(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil),
		Keys: common.DefaultKeyMap(), T: i18n.New(i18n.EN), Store: db}
	h := &harness{t: t, c: c, db: db, m: New(c, Options{Config: config.Load(db, config.Inputs{}),
		Ledger: "postgres://coolpay:s3cret@db.shop.lan/coolpay?sslmode=verify-full", LedgerFrom: config.FromEnv})}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 140, Height: 24})
	view := h.m.View()
	var row string
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "Ledger ") {
			row = l
		}
	}
	if strings.Contains(view, "s3cret") || strings.Contains(view, "\x1b") || !strings.Contains(row, "postgres://coolpay@db.shop.lan") ||
		!strings.Contains(row, " desk ") || !strings.Contains(row, "(COOLPAY_DB)") {
		t.Fatalf("ledger row %q in:\n%s", row, view)
	}
	h.keys("up", "enter") // the last row
	if h.m.state != stateBrowse || !strings.Contains(h.lastStatus().Text, "coolpay config set ledger") {
		t.Fatalf("enter on the ledger row: state %v, status %q", h.m.state, h.lastStatus().Text)
	}
}
