package i18n

import (
	"regexp"
	"testing"
)

// TestFrenchNamesKeysInFrench: the French catalogue never names enter or
// esc in English: the help bar says "entrée" and "échap" (app.keyname.*),
// and so must every hint.
func TestFrenchNamesKeysInFrench(t *testing.T) {
	english := regexp.MustCompile(`(^|[^\pL])(enter|esc|Enter|Esc|pgup|pgdn)([^\pL]|$)`)
	fr := New(FR)
	for k := range catalog() {
		if s := fr.T(k); english.MatchString(s) {
			t.Errorf("%s: %q", k, s)
		}
	}
	if fr.T("app.keyname.enter") != "entrée" || fr.T("app.keyname.esc") != "échap" {
		t.Error("French key names")
	}
}
