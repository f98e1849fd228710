package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

// A sandbox run apart from the console (coolpay sandbox, a loopback base
// URL) is a sandbox in the header too, as coolpay doctor says; an API
// elsewhere is live. One word per language: BAC À SABLE in French.
func TestHeaderSaysSandboxByTheBaseURL(t *testing.T) {
	db := openDB(t)
	c, _ := online(t, db)
	c.Sandbox = false // not the built-in one: only the loopback URL tells
	for lang, want := range map[i18n.Lang]string{i18n.EN: "SANDBOX", i18n.FR: "BAC À SABLE"} {
		c.T = i18n.New(lang)
		h := newHarness(t, c, Options{})
		head := strings.Split(h.m.View(), "\n")[0]
		if !strings.Contains(head, want) || strings.Contains(head, map[i18n.Lang]string{i18n.EN: "LIVE", i18n.FR: "RÉEL"}[lang]) {
			t.Fatalf("%s: header %q, want %q", lang, head, want)
		}
		if lang == i18n.FR && strings.Contains(head, "SANDBOX") {
			t.Fatalf("French header mixes languages: %q", head)
		}
		h.keys("f1")
		if !strings.Contains(strings.Join(strings.Fields(h.m.View()), " "), c.T.T("sandbox.rules.payin")[:20]) {
			t.Fatalf("%s: no sandbox rules in the full help on a loopback API:\n%s", lang, h.m.View())
		}
	}

	// The vendor's API: live. No command runs, so nothing is sent.
	svc := core.New(core.Config{Client: client.New(client.SandboxPublicKey, client.WithBaseURL(client.DefaultBaseURL)), Store: db})
	m := New(common.Common{T: i18n.New(i18n.EN), Store: db, Svc: svc}, Options{})
	nm, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if head := strings.Split(nm.(Model).View(), "\n")[0]; !strings.Contains(head, "LIVE") || strings.Contains(head, "SANDBOX") {
		t.Fatalf("header on %s: %q", client.DefaultBaseURL, head)
	}
}

// The quit question takes y in English only; in French o (oui) and y.
func TestQuitQuestionAnswersInTheLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		key  string
		quit bool
	}{
		{i18n.EN, "y", true}, {i18n.EN, "o", false},
		{i18n.FR, "o", true}, {i18n.FR, "O", true}, {i18n.FR, "y", true}, {i18n.FR, "x", false},
	} {
		c := offline(openDB(t))
		c.T = i18n.New(tc.lang)
		h := newHarness(t, c, Options{Screens: map[Tab]common.Component{TabPayin: &busyScreen{}}})
		h.keys("ctrl+c")
		if !h.m.ConfirmingQuit() {
			t.Fatalf("%s: no quit question while busy", tc.lang)
		}
		want := map[i18n.Lang]string{i18n.EN: "y confirm", i18n.FR: "o confirmer"}[tc.lang]
		if v := h.m.View(); !strings.Contains(v, want) {
			t.Fatalf("%s: help bar lacks %q:\n%s", tc.lang, want, v)
		}
		_, cmd := h.m.Update(keyMsg(tc.key))
		if got := isQuit(cmd); got != tc.quit {
			t.Fatalf("%s: %q quits: %v, want %v", tc.lang, tc.key, got, tc.quit)
		}
	}
}
