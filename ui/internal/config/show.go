package config

import (
	"github.com/coolpay/coolpay/ui/safe"
)

// Show is a setting's value as it may be printed: any URL redacted by the
// one rule (safe.URL: no user-info, query or fragment) and the text made
// inert. Values stored before they were checked may hold anything.
func Show(k Key, v string) string {
	if k == BaseURL {
		return safe.URL(v)
	}
	return safe.Line(v)
}
