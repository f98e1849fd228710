package settings

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// TestSharedLedgerSaysWhereEachValueIsStored: on a PostgreSQL ledger the
// selected row says whether its value is in the shared database or on this
// desk (its file named), and a cashier saved on the screen goes to the
// desk's file, never to the database another desk reads.
func TestSharedLedgerSaysWhereEachValueIsStored(t *testing.T) {
	db, err := store.Open(pgtest.URL(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	desk := filepath.Join(t.TempDir(), "desk-settings.json")
	if err := config.AttachDesk(db, func(k string) string { return map[string]string{config.EnvDeskFile: desk}[k] }); err != nil {
		t.Fatal(err)
	}
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil),
		Keys: common.DefaultKeyMap(), T: i18n.New(i18n.EN), Store: db}
	connect := func(p, base string) (*core.Service, *keys.Keys) {
		return core.New(core.Config{Store: db}), keys.New(p)
	}
	h := &harness{t: t, c: c, db: db, m: New(c, Options{Connect: connect})}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 200, Height: 24})

	if v := h.m.View(); !strings.Contains(v, "stored in the shared database") { // public key
		t.Fatalf("the public key's row does not say where it is stored:\n%s", v)
	}
	h.keys("down", "down", "down", "down", "down") // Cashier
	if v := h.m.View(); !strings.Contains(v, "stored on this desk ("+desk+")") {
		t.Fatalf("the cashier's row does not say it is on this desk:\n%s", v)
	}
	h.keys("enter", "Bello", "enter")
	raw, err := os.ReadFile(desk)
	if err != nil || !strings.Contains(string(raw), `"cashier": "Bello"`) {
		t.Fatalf("the desk file after saving: %q %v", raw, err)
	}
	db.KeepLocal(nil) // the database, as another desk reads it
	if v, ok, err := db.Setting(string(config.Cashier)); ok || err != nil {
		t.Fatalf("the cashier went into the shared database: %q %v", v, err)
	}
}
