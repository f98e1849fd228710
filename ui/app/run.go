package app

import (
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// LoadPrefs reads the saved UI language and theme from the ledger's
// settings. An unset language is "" (New then follows the environment); an
// unset theme is "auto". Errors count as unset: preferences never stop the
// console from opening.
func LoadPrefs(db *store.DB) (lang i18n.Lang, theme string) {
	theme = "auto"
	if db == nil {
		return "", theme
	}
	// One read of the ledger for both (each read opens the file).
	all, err := db.Settings()
	if err != nil {
		return "", theme
	}
	if v := all[common.SettingLang]; v == "en" || v == "fr" {
		lang = i18n.Lang(v)
	}
	if v := all[common.SettingTheme]; v != "" {
		theme = v
	}
	return lang, theme
}
