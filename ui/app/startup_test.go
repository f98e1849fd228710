package app

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// TestSetupStartsFromTheConfiguredBaseURL: the first-run screen's base URL
// is what the flag (or the environment) gave, said to come from there and
// not to be the live API; with nothing configured it is the live address,
// with no such note; a value edited away from the flag's loses "from".
func TestSetupStartsFromTheConfiguredBaseURL(t *testing.T) {
	const local = "http://127.0.0.1:8787/api"
	none := func(string) string { return "" }
	for _, tc := range []struct {
		name      string
		in        config.Inputs
		want, not []string
	}{
		{"flag", config.Inputs{Flags: map[config.Key]string{config.BaseURL: local}, Getenv: none},
			[]string{local, "from --base-url", "not the live My-CoolPay API"}, []string{client.DefaultBaseURL}},
		{"env", config.Inputs{Getenv: func(k string) string { return map[string]string{"COOLPAY_BASE_URL": local}[k] }},
			[]string{local, "from COOLPAY_BASE_URL"}, nil},
		{"nothing", config.Inputs{Getenv: none},
			[]string{client.DefaultBaseURL}, []string{"from ", "not the live"}},
		{"bad flag", config.Inputs{Flags: map[config.Key]string{config.BaseURL: "https://u:s3cret@x.example/api"}, Getenv: none},
			[]string{client.DefaultBaseURL}, []string{"s3cret"}},
	} {
		h := newHarness(t, offline(openDB(t)), Options{NeedSetup: true, Config: config.FromMap(nil, tc.in)})
		h.send(tea.WindowSizeMsg{Width: 110, Height: 30})
		view := h.m.View()
		for _, w := range tc.want {
			if !strings.Contains(view, w) {
				t.Errorf("%s: setup lacks %q:\n%s", tc.name, w, view)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(view, w) {
				t.Errorf("%s: setup shows %q:\n%s", tc.name, w, view)
			}
		}
		if tc.name == "flag" {
			h.m.setup.inputs[setupBase].SetValue("http://127.0.0.1:9999/api")
			if v := h.m.View(); strings.Contains(v, "from --base-url") || !strings.Contains(v, "not the live") {
				t.Errorf("edited away from the flag's value:\n%s", v)
			}
		}
	}
}

// TestStartNoticeIsShown: an invalid public key or base URL leaves the
// console offline with the reason on the status line.
func TestStartNoticeIsShown(t *testing.T) {
	h := newHarness(t, offline(openDB(t)), Options{Notice: "the ledger's base_url setting is not valid"})
	h.send(tea.WindowSizeMsg{Width: 110, Height: 30})
	if h.m.statusKind != common.StatusWarn || !strings.Contains(h.m.View(), "base_url setting is not valid") {
		t.Fatalf("status %v:\n%s", h.m.statusKind, h.m.View())
	}
}
