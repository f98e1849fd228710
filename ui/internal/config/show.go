package config

import (
	"strings"

	"github.com/coolpay/coolpay/ui/safe"
)

// Show is a setting's value as it may be printed: any URL redacted (no
// user-info, query or fragment) and the text made inert (ui/safe). Values
// stored before they were checked may hold anything.
func Show(k Key, v string) string {
	if k == BaseURL {
		v = RedactURL(v)
	}
	return safe.Line(v)
}

// RedactURL hides what a URL may carry that is not for printing: its
// user-info (a password), its query and its fragment, each replaced with
// "***". It works on text that does not parse as a URL too, since a bad
// value stored before it was checked must not leak either.
func RedactURL(s string) string {
	rest, scheme := s, ""
	if i := strings.Index(s, "://"); i >= 0 {
		scheme, rest = s[:i+3], s[i+3:]
	}
	// The authority ends at the first '/', '?' or '#'; user-info is what
	// comes before its last '@'.
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = "***" + rest[at:]
	}
	if q := strings.IndexAny(rest, "?#"); q >= 0 {
		rest = rest[:q+1] + "***"
	}
	return scheme + rest
}
