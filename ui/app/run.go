package app

import (
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// LoadPrefs reads the saved UI language and theme from the ledger's
// settings. An unset language is "" (New then follows the environment); an
// unset theme is "auto". Errors and invalid values count as unset:
// preferences never stop the console from opening. The console itself
// takes both from the settings it read once at start-up.
func LoadPrefs(db *store.DB) (lang i18n.Lang, theme string) {
	if db == nil {
		return "", "auto"
	}
	cfg := config.Load(db, config.Inputs{}) // one read of the ledger for both
	if v := cfg.Get(config.Lang); v.Source == config.FromLedger {
		lang = i18n.Lang(v.V)
	}
	return lang, cfg.String(config.Theme)
}
