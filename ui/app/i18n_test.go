package app

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/text"
)

func TestDynamicLabelsAreTranslated(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		tr := i18n.New(lang)
		for _, s := range []store.State{store.StateNew, store.StateCreated, store.StateOTP, store.StatePending,
			store.StateSuccess, store.StateFailed, store.StateCanceled, store.StateRejected, store.StateUnknown, "open"} {
			if w := text.StateWord(tr, s); strings.HasPrefix(w, "app.") {
				t.Errorf("%s: state %s untranslated", lang, s)
			}
		}
		for _, ty := range []store.Type{store.TypePayin, store.TypePayout, store.TypePaylink} {
			if w := common.TypeWord(tr, ty); strings.HasPrefix(w, "app.") {
				t.Errorf("%s: type %s untranslated", lang, ty)
			}
		}
		for _, op := range []string{"CM_OM", "CM_MOMO", "MCP", "CARD"} {
			if w := common.OperatorWord(tr, op); strings.HasPrefix(w, "app.") {
				t.Errorf("%s: operator %s untranslated", lang, op)
			}
		}
		km := common.DefaultKeyMap()
		common.Relabel(km, tr)
		v := reflect.ValueOf(km).Elem()
		for i := 0; i < v.NumField(); i++ {
			b, ok := v.Field(i).Interface().(key.Binding)
			if ok && strings.HasPrefix(b.Help().Desc, "app.") {
				t.Errorf("%s: key %s help untranslated: %q", lang, v.Type().Field(i).Name, b.Help().Desc)
			}
		}
		for _, k := range []string{"public_key", "base_url", "private_key", "lang", "theme"} {
			if w := tr.T("settings.hint." + k); strings.HasPrefix(w, "settings.") {
				t.Errorf("%s: settings hint %s missing", lang, k)
			}
		}
		for _, k := range []string{"auto", "light", "dark"} {
			if w := tr.T("settings.theme." + k); strings.HasPrefix(w, "settings.") {
				t.Errorf("%s: theme %s missing", lang, k)
			}
		}
	}
}
