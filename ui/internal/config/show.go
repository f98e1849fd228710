package config

import (
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

// Show is a setting's value as it may be printed: any URL redacted by the
// one rule (safe.URL: no user-info, query or fragment; a ledger's URL
// loses only its password) and the text made inert. Values stored before
// they were checked may hold anything.
func Show(k Key, v string) string {
	switch k {
	case BaseURL:
		return safe.URL(v)
	case Ledger:
		// A database URL without its password; its query (sslmode)
		// matters and stays.
		return safe.Line(store.Redact(v))
	}
	return safe.Line(v)
}
