package components

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

func styles() *common.Styles {
	dark := true
	return common.NewStyles(lipgloss.DefaultRenderer(), &dark)
}

func TestErrorTextTranslatesByCode(t *testing.T) {
	en, fr := i18n.New(i18n.EN), i18n.New(i18n.FR)
	ve := &client.ValidationError{Field: "transaction_amount", Code: "amount_fraction", Message: "XAF amounts are whole numbers, without decimals"}
	if got := ErrorText(ve).String(fr); !strings.Contains(got, "Montants XAF entiers") {
		t.Errorf("fr: %q", got)
	}
	// An unknown code falls back to the client's English message.
	odd := &client.ValidationError{Code: "new_code_2030", Message: "something new"}
	if got := ErrorText(odd).String(en); got != "something new" {
		t.Errorf("unknown code: %q", got)
	}
	api := &client.APIError{HTTPStatus: 401, Status: "error", Message: "Invalid authorization code !"}
	if got := ErrorText(api).String(en); !strings.Contains(got, "Invalid authorization code !") || !strings.Contains(got, "401") {
		t.Errorf("api: %q", got)
	}
	amb := &client.AmbiguousError{Op: "payout", Err: errors.New("EOF")}
	if got := ErrorText(amb).String(en); !strings.Contains(got, "check before paying again") {
		t.Errorf("ambiguous: %q", got)
	}
	if got := ErrorText(core.ErrOffline).String(fr); !strings.Contains(got, "Hors ligne") {
		t.Errorf("offline: %q", got)
	}
}

func TestEveryValidationCodeIsTranslated(t *testing.T) {
	codes := []string{
		client.CodeAmountRequired, client.CodeAmountNotNumber, client.CodeAmountFraction,
		client.CodeAmountTooLarge, client.CodeAmountNotPositive, client.CodeCurrencyInvalid,
		client.CodePhoneRequired, client.CodePhoneInvalid, client.CodeLangInvalid,
		client.CodeOperatorInvalid, client.CodeRecipientRequired, client.CodeEmailInvalid,
		client.CodeCodeRequired, client.CodeRefRequired, client.CodeParamsTooLong,
	}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		tr := i18n.New(lang)
		for _, c := range codes {
			if k := "err." + c; tr.T(k) == k {
				t.Errorf("%s: no message for %s", lang, k)
			}
		}
	}
}

func TestFormNavigationSkipsHiddenAndKeepsValues(t *testing.T) {
	keys := common.DefaultKeyMap()
	f := NewForm(
		ChoiceField("op", "op", Option{Value: "A", Label: "A"}, Option{Value: "B", Label: "B"}),
		TextField("x", "x", "", 10),
		TextField("y", "y", "", 10),
		TextField("z", "z", "", 10),
	)
	f.Field("y").Hidden = true
	f.Next()
	if f.Focused().Name != "x" || !f.FocusedText() {
		t.Fatalf("focus %s", f.Focused().Name)
	}
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}, keys)
	f.Next()
	if f.Focused().Name != "z" || !f.OnLast() {
		t.Fatalf("hidden field not skipped: %s", f.Focused().Name)
	}
	f.Next()
	if f.Focused().Name != "op" {
		t.Fatalf("no wrap: %s", f.Focused().Name)
	}
	f.Update(tea.KeyMsg{Type: tea.KeyRight}, keys)
	if f.Value("op") != "B" || f.Value("x") != "q" {
		t.Errorf("values op=%q x=%q", f.Value("op"), f.Value("x"))
	}
	if f.SetError("y", Raw("hidden")) {
		t.Error("error set on a hidden field")
	}
	if !f.SetError("x", Raw("bad x")) || f.Focused().Name != "x" {
		t.Error("error does not focus its field")
	}
	if v := f.View(styles(), i18n.New(i18n.EN)); !strings.Contains(v, "✘ bad x") || strings.Contains(v, "hidden") {
		t.Errorf("view:\n%s", v)
	}
	// Typing clears the field's error.
	f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1")}, keys)
	if !f.Field("x").Err.IsZero() {
		t.Error("error kept after a correction")
	}
	f.Reset()
	if f.Value("x") != "" || f.Value("op") != "A" || f.Focused().Name != "op" {
		t.Error("reset incomplete")
	}
}

func TestBannerAlwaysHasWordAndSymbol(t *testing.T) {
	tr := i18n.New(i18n.EN)
	for state, want := range map[store.State]string{
		store.StateSuccess: "✔ SUCCESS", store.StateFailed: "✘ FAILED",
		store.StateCanceled: "⊘ CANCELED", store.StateUnknown: "? UNKNOWN",
		store.StateRejected: "✘ REJECTED", store.StatePending: "… PENDING",
	} {
		if got := Headline(tr, state); got != want {
			t.Errorf("%s: %q, want %q", state, got, want)
		}
		b := Banner(styles(), OutcomeOf(state), 50, Headline(tr, state), "detail")
		if !strings.Contains(b, want) || !strings.Contains(b, "detail") {
			t.Errorf("banner for %s:\n%s", state, b)
		}
	}
}

func TestQRIsHalfBlocksWithQuietZone(t *testing.T) {
	url := "https://my-coolpay.com/payment/checkout/8c1c2d7e-1f0b-4c41-9d4e-2f4b7f0e9a11"
	q := QR(url, true)
	lines := strings.Split(q, "\n")
	// A URL of this length is a 33-module (version 4) code at level L:
	// 35 columns with the quiet zone, 18 lines of half blocks.
	if w := lipgloss.Width(lines[0]); w != 35 {
		t.Errorf("width %d", w)
	}
	if len(lines) != 18 {
		t.Errorf("%d lines", len(lines))
	}
	if strings.Trim(lines[0], "▄") != "" {
		t.Errorf("top quiet zone %q", lines[0])
	}
	light := QR(url, false)
	if light == q || !strings.Contains(light, "█") {
		t.Error("light background drawing not inverted")
	}
}

func TestCopyCmdWritesOSC52(t *testing.T) {
	var buf bytes.Buffer
	msg := CopyCmd(&buf, "https://x/y", false, 3)().(CopiedMsg)
	if msg.Err != nil || msg.ID != 3 {
		t.Fatalf("%+v", msg)
	}
	if want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("https://x/y")) + "\x07"; buf.String() != want {
		t.Errorf("got %q", buf.String())
	}
	buf.Reset()
	CopyCmd(&buf, "u", true, 1)()
	if !strings.HasPrefix(buf.String(), "\x1bPtmux;") {
		t.Errorf("tmux passthrough missing: %q", buf.String())
	}
	if m := CopyCmd(nil, "u", false, 1)().(CopiedMsg); !errors.Is(m.Err, ErrNoTerminal) {
		t.Errorf("nil writer: %v", m.Err)
	}
}

func TestBigTextFallsBack(t *testing.T) {
	if got := BigText("#150*50#", 80); len(strings.Split(got, "\n")) != 3 {
		t.Errorf("big text:\n%s", got)
	}
	if got := BigText("*126#", 3); got != "*126#" {
		t.Errorf("too narrow should fall back: %q", got)
	}
	if got := BigText("#150*AB#", 80); got != "#150*AB#" {
		t.Errorf("unknown glyph should fall back: %q", got)
	}
}

// Without colour or faint text (the Ascii profile is what NO_COLOR and
// TERM=dumb get), an empty field's placeholder must not read like a value:
// "1500" typed and "1500" suggested look different, in both languages.
func TestPlaceholdersAreMarkedWithoutColour(t *testing.T) {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.Ascii)
	dark := true
	st := common.NewStyles(r, &dark)
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		tr := i18n.New(lang)
		f := NewForm(TextField("amount", "payin.amount", "1500", 16), TextField("name", "form.name", "form.optional", 80))
		f.Width = 80
		empty := f.View(st, tr)
		if strings.Contains(empty, "\x1b[") {
			t.Fatalf("%s: escape codes with the Ascii profile: %q", lang, empty)
		}
		example := map[i18n.Lang]string{i18n.EN: "(e.g. 1500)", i18n.FR: "(ex. 1500)"}[lang]
		optional := map[i18n.Lang]string{i18n.EN: "(optional)", i18n.FR: "(facultatif)"}[lang]
		if !strings.Contains(empty, example) || !strings.Contains(empty, optional) {
			t.Fatalf("%s: placeholders not marked:\n%s", lang, empty)
		}
		f.Field("amount").SetValue("1500")
		f.Field("name").SetValue("optional")
		typed := f.View(st, tr)
		if strings.Contains(typed, example) || strings.Contains(typed, optional) || !strings.Contains(typed, " 1500 ") {
			t.Fatalf("%s: typed values look like placeholders:\n%s", lang, typed)
		}
	}
}

// Typing or pasting past a field's limit says the text was cut, in both
// languages; typing within the limit says nothing.
func TestTextCutAtTheLimitSaysSo(t *testing.T) {
	keys := common.DefaultKeyMap()
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		tr := i18n.New(lang)
		f := NewForm(TextField("reason", "form.reason", "form.optional", 10))
		f.Width = 80
		f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("short")}, keys)
		if !f.Field("reason").Err.IsZero() {
			t.Fatalf("%s: a message within the limit: %v", lang, f.Field("reason").Err)
		}
		f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" and much longer"), Paste: true}, keys)
		if got := f.Value("reason"); got != "short and" {
			t.Fatalf("%s: value %q", lang, got)
		}
		want := map[i18n.Lang]string{i18n.EN: "Cut at 10 characters", i18n.FR: "Coupé à 10 caractères"}[lang]
		if v := f.View(styles(), tr); !strings.Contains(v, want) {
			t.Fatalf("%s: no word about the cut:\n%s", lang, v)
		}
		// One more letter at the limit says it again; deleting clears it.
		f.Update(tea.KeyMsg{Type: tea.KeyBackspace}, keys)
		if !f.Field("reason").Err.IsZero() {
			t.Fatalf("%s: the message stayed after a correction", lang)
		}
		f.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("dX")}, keys)
		if f.Field("reason").Err.IsZero() {
			t.Fatalf("%s: typing past the limit said nothing", lang)
		}
	}
}
