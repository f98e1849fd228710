package common

import (
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestHelpKeyNamesFollowTheLanguage: in French the help bar names the
// keys as the French prose does ("entrée", "échap", "maj+tab"), and a
// switch back to English gives the English names again.
func TestHelpKeyNamesFollowTheLanguage(t *testing.T) {
	km := DefaultKeyMap()
	Relabel(km, i18n.New(i18n.FR))
	for b, want := range map[string]string{
		km.Submit.Help().Key: "entrée", km.Back.Help().Key: "échap", km.Cancel.Help().Key: "n/échap",
		km.PrevField.Help().Key: "maj+tab", km.Toggle.Help().Key: "espace", km.PageUp.Help().Key: "pg.préc",
		km.SubmitForm.Help().Key: "ctrl+s", km.NextTab.Help().Key: "ctrl+→/F2",
	} {
		if b != want {
			t.Errorf("French help key %q, want %q", b, want)
		}
	}
	Relabel(km, i18n.New(i18n.EN))
	for b, want := range map[string]string{
		km.Submit.Help().Key: "enter", km.Back.Help().Key: "esc", km.Cancel.Help().Key: "n/esc",
		km.PrevField.Help().Key: "shift+tab", km.Toggle.Help().Key: "space", km.PageDown.Help().Key: "pgdn",
	} {
		if b != want {
			t.Errorf("English help key %q, want %q", b, want)
		}
	}
	// The keys themselves never change.
	if k := km.Back.Keys(); len(k) != 1 || k[0] != "esc" {
		t.Errorf("esc binding keys: %v", k)
	}
}
