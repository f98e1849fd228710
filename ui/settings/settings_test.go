package settings

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	guard := keystest.GuardOSKeyring()   // a test that reaches the machine's keyring fails the run
	os.Exit(guard.Check(pgtest.Main(m))) // and the throwaway PostgreSQL, if a test started one, stops
}

const pub = "11111111-2222-3333-4444-555555555555"

type harness struct {
	t      *testing.T
	m      *Model
	c      *common.Common
	db     *store.DB
	status []common.StatusMsg
	sent   []tea.Msg
}

func newHarness(t *testing.T, withKey bool) *harness {
	t.Helper()
	return newHarnessOn(t, withKey, keystest.NewMemory())
}

// newHarnessOn is newHarness with kr as the keyring.
func newHarnessOn(t *testing.T, withKey bool, kr *keystest.Memory) *harness {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil),
		Keys: common.DefaultKeyMap(), T: i18n.New(i18n.EN), Store: db}
	if withKey {
		if err := db.SetSetting(common.SettingPublicKey, pub); err != nil {
			t.Fatal(err)
		}
		c.Secrets = keys.New(pub, keys.WithEnv(func(string) (string, bool) { return "", false }), keys.WithKeyring(kr))
	}
	connect := func(p, base string) (*core.Service, *keys.Keys) {
		return core.New(core.Config{Store: db}), keys.New(p, keys.WithKeyring(kr))
	}
	h := &harness{t: t, c: c, db: db, m: New(c, Options{Connect: connect})}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 80, Height: 20})
	return h
}

func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(2 * time.Second):
		h.t.Fatal("a command did not answer")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		// Bubble Tea runs a batch's commands at once, so their messages may
		// arrive in any order: deliver them last first, the order that shows
		// a busy "…" overwriting the answer it announced.
		for i := len(msg) - 1; i >= 0; i-- {
			h.run(msg[i])
		}
	case common.StatusMsg:
		h.status = append(h.status, msg)
	case common.ServiceChangedMsg, common.LangChangedMsg:
		h.sent = append(h.sent, msg)
		h.send(msg)
	default:
		// tea.Sequence's message is an unexported []tea.Cmd, run in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		h.send(msg)
	}
}

func (h *harness) keys(ks ...string) {
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "up":
			msg = tea.KeyMsg{Type: tea.KeyUp}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		case "right":
			msg = tea.KeyMsg{Type: tea.KeyRight}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		h.send(msg)
	}
}

func (h *harness) lastStatus() common.StatusMsg {
	if len(h.status) == 0 {
		return common.StatusMsg{}
	}
	return h.status[len(h.status)-1]
}

func TestPrivateKeyIsSetMaskedAndNeverShown(t *testing.T) {
	h := newHarness(t, true)
	if !strings.Contains(h.m.View(), "not set") {
		t.Fatalf("missing key not reported:\n%s", h.m.View())
	}
	h.keys("down", "down", "enter")
	if !h.m.InputFocused() {
		t.Fatal("editing the private key does not own the keys")
	}
	const secret = "s3cret-private-key-value"
	h.keys(secret)
	if strings.Contains(h.m.View(), secret) {
		t.Fatal("the private key is on screen while typed")
	}
	h.keys("enter")
	if st := h.lastStatus(); st.Kind != common.StatusOK || !strings.Contains(st.Text, "keyring") {
		t.Fatalf("status %+v", st)
	}
	v := h.m.View()
	if strings.Contains(v, secret) || !strings.Contains(v, "✔ set (OS keyring)") {
		t.Fatalf("after saving:\n%s", v)
	}
	if got, err := h.c.Secrets.PrivateKey(context.Background()); err != nil || got != secret {
		t.Fatalf("stored key %q, %v", got, err)
	}
	if h.m.input.Value() != "" {
		t.Fatal("the key stays in the text field after saving")
	}
}

// TestSavingStatusNeverOutlivesTheAnswer: the busy "Saving…" is shown
// before the keyring is asked, and the answer replaces it, however quickly
// the keyring answers (the harness delivers a batch last first).
func TestSavingStatusNeverOutlivesTheAnswer(t *testing.T) {
	h := newHarness(t, true)
	h.keys("down", "down", "enter", "a-quick-private-key", "enter")
	var kinds []common.StatusKind
	for _, st := range h.status {
		kinds = append(kinds, st.Kind)
	}
	if len(kinds) != 2 || kinds[0] != common.StatusBusy || kinds[1] != common.StatusOK {
		t.Fatalf("statuses %+v, want busy then ok", h.status)
	}
	if st := h.lastStatus(); st.Text != h.c.T.T("settings.key.saved") {
		t.Fatalf("the screen is left showing %q", st.Text)
	}
}

func TestBadPrivateKeyStaysInTheFieldWithAMessage(t *testing.T) {
	h := newHarness(t, true)
	h.keys("down", "down", "enter", "short", "enter")
	v := h.m.View()
	if !strings.Contains(v, "too short") || !h.m.InputFocused() || h.m.input.Value() != "short" {
		t.Fatalf("refused key: focused %v value %q\n%s", h.m.InputFocused(), h.m.input.Value(), v)
	}
}

func TestNoKeyringFallsBackToMemoryAndSaysSo(t *testing.T) {
	kr := keystest.NewMemory()
	kr.Fail(errors.New("org.freedesktop.secrets was not provided"))
	h := newHarnessOn(t, true, kr)
	h.keys("down", "down", "enter", "another-private-key", "enter")
	if st := h.lastStatus(); st.Kind != common.StatusWarn || !strings.Contains(st.Text, "memory for this run only") {
		t.Fatalf("status %+v", st)
	}
	if v := h.m.View(); !strings.Contains(v, "memory, this run only") || !strings.Contains(v, "No OS keyring") {
		t.Fatalf("fallback not explained:\n%s", v)
	}
}

// TestNoKeyringIsSaidWholeInFrench: on a narrow screen in French, the
// missing keyring is explained in French, whole (wrapped, never cut), and
// the keyring's own English error only on a details line, made inert.
func TestNoKeyringIsSaidWholeInFrench(t *testing.T) {
	kr := keystest.NewMemory()
	kr.Fail(errors.New("exec: \"dbus-launch\": executable file not found in $PATH\x1b[2J"))
	h := newHarnessOn(t, true, kr)
	*h.c.T = *i18n.New(i18n.FR)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 40})
	h.run(h.m.loadKeyStatus())
	v := h.m.View()
	// The sentence, with the wrapping and indentation taken out.
	flat := strings.Join(strings.Fields(v), " ")
	want := strings.Join(strings.Fields(h.c.T.T("settings.key.no_keyring")), " ")
	if !strings.Contains(flat, want) || !strings.Contains(want, "gardée en mémoire pour cette session") {
		t.Fatalf("the French explanation is not shown whole:\n%s", v)
	}
	// The rows (cut to their column on purpose) aside: from the warning on.
	warning := v[strings.Index(v, "Pas de trousseau"):strings.Index(v, "Langue")]
	if strings.Contains(warning, "…") || strings.Contains(v, "\x1b[2J") {
		t.Fatalf("cut or raw:\n%q", v)
	}
	if !strings.Contains(flat, "détails : ") || !strings.Contains(flat, `"dbus-launch": executable file not found`) {
		t.Fatalf("no details line:\n%s", v)
	}
	for _, l := range strings.Split(v, "\n") {
		if lipgloss.Width(l) > 60 {
			t.Fatalf("line wider than the screen: %q", l)
		}
	}
}

func TestDeleteAsksThenForgetsTheKey(t *testing.T) {
	h := newHarness(t, true)
	h.keys("down", "down", "enter", "a-private-key-1", "enter")
	h.keys("d")
	if !strings.Contains(h.m.View(), "Delete the private key") {
		t.Fatalf("no confirmation:\n%s", h.m.View())
	}
	h.keys("n")
	if st := h.c.Secrets.Status(context.Background()); !st.Set {
		t.Fatal("n deleted the key")
	}
	h.keys("d", "y")
	if st := h.c.Secrets.Status(context.Background()); st.Set {
		t.Fatal("y did not delete the key")
	}
	if !strings.Contains(h.m.View(), "not set") {
		t.Fatalf("status row not refreshed:\n%s", h.m.View())
	}
}

func TestPublicKeyAndBaseURLAreValidatedSavedAndReconnect(t *testing.T) {
	h := newHarness(t, false)
	h.keys("enter", "bad key", "enter")
	if !strings.Contains(h.m.View(), "no spaces") {
		t.Fatalf("bad public key accepted:\n%s", h.m.View())
	}
	h.m.input.SetValue(pub)
	h.keys("enter")
	if got, _, _ := h.db.Setting(common.SettingPublicKey); got != pub {
		t.Fatalf("public key saved as %q", got)
	}
	if h.c.Secrets == nil || h.c.Svc == nil || len(h.sent) == 0 {
		t.Fatal("saving the public key did not reconnect (Svc, Secrets, ServiceChangedMsg)")
	}
	h.keys("down", "enter")
	h.m.input.SetValue("ftp://example")
	h.keys("enter")
	if !strings.Contains(h.m.View(), "http://") {
		t.Fatalf("bad URL accepted:\n%s", h.m.View())
	}
	h.m.input.SetValue("https://api.example.test/api")
	h.keys("enter")
	if got, _, _ := h.db.Setting(common.SettingBaseURL); got != "https://api.example.test/api" {
		t.Fatalf("base URL saved as %q", got)
	}
}

func TestLanguageAndThemeApplyAtOnce(t *testing.T) {
	h := newHarness(t, false)
	keysBefore := h.c.Keys
	h.keys("down", "down", "down", "right")
	if h.c.T.Lang() != i18n.FR || !strings.Contains(h.m.View(), "Langue") {
		t.Fatalf("language not switched:\n%s", h.m.View())
	}
	if keysBefore.Up.Help().Desc != "haut" {
		t.Fatalf("key help not relabelled: %q", keysBefore.Up.Help().Desc)
	}
	if got, _, _ := h.db.Setting(common.SettingLang); got != "fr" {
		t.Fatalf("ui_lang = %q", got)
	}
	h.keys("down", "right", "right")
	if got, _, _ := h.db.Setting(common.SettingTheme); got != "dark" {
		t.Fatalf("theme = %q", got)
	}
}

func TestNoColorStripsColourButKeepsWordsAndSymbols(t *testing.T) {
	env := func(noColor bool) termenv.OutputOption {
		vars := map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}
		if noColor {
			vars["NO_COLOR"] = "1"
		}
		return termenv.WithEnvironment(mapEnv(vars))
	}
	colour := lipgloss.NewRenderer(os.Stdout, termenv.WithTTY(true), env(false))
	plain := lipgloss.NewRenderer(os.Stdout, termenv.WithTTY(true), env(true))
	if plain.ColorProfile() != termenv.Ascii {
		t.Fatalf("NO_COLOR profile = %v, want Ascii", plain.ColorProfile())
	}
	dark := true
	label := common.StateLabel(i18n.New(i18n.EN), store.StateFailed)
	if got := common.NewStyles(plain, &dark).Failure.Render(label); got != "✘ failed" {
		t.Fatalf("NO_COLOR render %q", got)
	}
	if got := common.NewStyles(colour, &dark).Failure.Render(label); !strings.Contains(got, "\x1b[") {
		t.Fatalf("colour render has no escape codes: %q", got)
	}
}

type mapEnv map[string]string

func (e mapEnv) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

func (e mapEnv) Getenv(k string) string { return e[k] }

func TestSandboxShowsItsOwnEndpointAndRefusesEdits(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const sbPub, sbURL = "118a4852-7df8-46d9-834b-23b4ef25aaab", "http://127.0.0.1:8787/api"
	svc := core.New(core.Config{Store: db, Client: client.New(sbPub, client.WithBaseURL(sbURL))})
	c := &common.Common{Ctx: context.Background(), Styles: common.NewStyles(nil, nil), Sandbox: true,
		Keys: common.DefaultKeyMap(), T: i18n.New(i18n.EN), Store: db, Svc: svc,
		Secrets: keys.InMemory(sbPub, "sandbox-test-key-1")}
	h := &harness{t: t, c: c, db: db, m: New(c, Options{})}
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: 80, Height: 20})
	view := h.m.View()
	if !strings.Contains(view, sbPub) || !strings.Contains(view, sbURL) || !strings.Contains(view, "sandbox's test key") || strings.Contains(view, "no OS keyring") {
		t.Fatalf("settings do not show the sandbox's key and URL:\n%s", view)
	}
	h.keys("enter")
	if st := h.lastStatus(); !strings.Contains(st.Text, "Sandbox mode") {
		t.Fatalf("editing the public key in sandbox mode: status %q", st.Text)
	}
	if got, _, _ := db.Setting(common.SettingPublicKey); got != "" {
		t.Fatalf("sandbox key saved as the merchant's: %q", got)
	}
}

// What is typed into the public key, base URL and private key boxes is on
// screen (masked for the private key) inside a whole box that fits the
// width and height, at 80×24 and 40×10 (6 lines of content).
func TestEditBoxesShowWhatIsTyped(t *testing.T) {
	for w, ht := range map[int]int{80: 20, 40: 6} {
		h := newHarness(t, true)
		h.send(tea.WindowSizeMsg{Width: w, Height: ht})
		check := func(what, want string) {
			t.Helper()
			v := h.m.View()
			if !strings.Contains(v, want) {
				t.Fatalf("%d cols, %s: %q not on screen:\n%s", w, what, want, v)
			}
			if !strings.Contains(v, "╭") || !strings.Contains(v, "╰") {
				t.Fatalf("%d cols, %s: the box is not whole:\n%s", w, what, v)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > w {
					t.Fatalf("%d cols, %s: line %q is %d wide", w, what, l, lipgloss.Width(l))
				}
			}
		}
		h.keys("enter", "-typed")
		check("public key", "│ "+pub[max(0, len(pub)-(w-14)):]+"-typed")
		h.keys("esc", "down", "enter")
		for range len(client.DefaultBaseURL) {
			h.send(tea.KeyMsg{Type: tea.KeyBackspace})
		}
		h.keys("http://10.0.0.1/api")
		check("base URL", "http://10.0.0.1/api")
		h.keys("esc", "down", "enter", "my-private-key")
		check("private key", "••••••••••••••")
		if strings.Contains(h.m.View(), "my-private-key") {
			t.Fatal("the private key is shown while typed")
		}
	}
}

// At 40×10 the selected row stays on screen as it moves down the list.
func TestSelectedRowStaysInSightInASmallWindow(t *testing.T) {
	h := newHarness(t, true)
	h.send(tea.WindowSizeMsg{Width: 40, Height: 6})
	for _, want := range []string{"▸ Base URL", "▸ Private key", "▸ Language", "▸ Theme"} {
		h.keys("down")
		if v := h.m.View(); !strings.Contains(v, want) || strings.Count(v, "\n") >= 6 {
			t.Fatalf("%q not in sight (or too tall):\n%s", want, v)
		}
	}
}

// TestSavedValuesAllShowFromOneLoad: Init's one read of the ledger fills
// every row, the desk rows (cashier, shop name) and theme included.
func TestSavedValuesAllShowFromOneLoad(t *testing.T) {
	h := newHarness(t, true)
	for k, v := range map[string]string{common.SettingCashier: "awa-till", common.SettingMerchantName: "Chez Mama Awa", common.SettingTheme: "dark"} {
		if err := h.db.SetSetting(k, v); err != nil {
			t.Fatal(err)
		}
	}
	h.run(h.m.Init())
	if view := h.m.View(); !strings.Contains(view, pub) || !strings.Contains(view, "awa-till") || !strings.Contains(view, "Chez Mama Awa") || !strings.Contains(view, "dark") {
		t.Fatalf("saved values missing:\n%s", view)
	}
}
