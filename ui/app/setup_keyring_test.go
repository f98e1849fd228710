package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestSetupWithoutKeyringSaysSoInFrenchWhole: setup on a computer with no
// OS keyring says, in French and whole (wrapped to a narrow screen), that
// the private key is kept in memory for this session only; the keys still
// work.
func TestSetupWithoutKeyringSaysSoInFrenchWhole(t *testing.T) {
	db := openDB(t)
	e := sandboxtest.Start(t, sandbox.Config{})
	kr := noKeyring()
	connect := func(pub, base string) (*core.Service, *keys.Keys) {
		k := keys.New(pub, keys.WithEnv(func(string) (string, bool) { return "", false }), keys.WithKeyring(kr))
		c := client.New(pub, client.WithBaseURL(base), client.WithPrivateKey(k.PrivateKey))
		return core.New(core.Config{Client: c, Store: db}), k
	}
	c := offline(db)
	c.T = i18n.New(i18n.FR)
	h := newHarness(t, c, Options{NeedSetup: true, Connect: connect, Lang: i18n.FR})
	h.send(tea.WindowSizeMsg{Width: 50, Height: 40})
	h.typeText(client.SandboxPublicKey)
	h.keys("tab")
	h.typeText(sandbox.DefaultPrivateKey)
	h.keys("tab")
	for range client.DefaultBaseURL {
		h.keys("backspace")
	}
	h.typeText(e.BaseURL)
	h.keys("enter")
	v := h.m.View()
	flat := strings.Join(strings.Fields(v), " ")
	want := strings.Join(strings.Fields(c.T.T("setup.no_keyring")), " ")
	if !strings.Contains(flat, want) || !strings.Contains(want, "gardée en mémoire pour cette session") {
		t.Fatalf("no keyring not said whole in French:\n%s", v)
	}
	if !strings.Contains(flat, "1 000 000") || kr.Calls() == 0 {
		t.Fatalf("the keys were not checked (keyring asked %d times):\n%s", kr.Calls(), v)
	}
}
