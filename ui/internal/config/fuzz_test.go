package config

import (
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/safe"
)

// FuzzValidate: no setting's check panics on any input, and what a check
// accepts is safe to use and to print: a public key is one plain path
// segment, a base URL an http(s) URL with no user-info, query or fragment,
// names carry no control or format characters; and Show never lets a
// control character, a bidi override or a URL's password out.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		"118a4852-7df8-46d9-834b-23b4ef25aaab", "https://my-coolpay.com/api", "http://127.0.0.1:8787/api",
		"https://u:p@h/api", "https://h/api?x#y", "https://h/\u202e", "\x1b[2J", "awa", "10.0.0.0/8,::/0",
		"127.0.0.1:8788", "/callback", "1s", "fr", "on", "\xff\xfe", "http://[::1]:9/api",
		"/home/awa/shop.db", "postgres://coolpay:pw@127.0.0.1/coolpay?sslmode=disable", "postgresql://c@db/x?sslmode=require",
	} {
		f.Add(s)
	}
	defs := Defs()
	f.Fuzz(func(t *testing.T, v string) {
		for _, d := range defs {
			err := d.Check(v)
			shown := Show(d.Key, v)
			for _, r := range shown {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' || r == '\u202d' || r == '\u2066' {
					t.Fatalf("Show(%s, %q) = %q lets %U through", d.Key, v, shown, r)
				}
			}
			if err != nil || v == "" {
				continue
			}
			switch d.Key {
			case PublicKey:
				if url.PathEscape(v) != v || v == "." || v == ".." || strings.ContainsAny(v, "/?#%") {
					t.Fatalf("public key %q accepted", v)
				}
			case BaseURL:
				u, perr := url.Parse(v)
				if perr != nil || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Host == "" ||
					(u.Scheme != "http" && u.Scheme != "https") {
					t.Fatalf("base URL %q accepted", v)
				}
				if Show(BaseURL, v) != v {
					t.Fatalf("an accepted base URL %q shows as %q", v, Show(BaseURL, v))
				}
			case Ledger:
				if store.IsURL(v) && urlHasPassword(v) || !store.IsURL(v) && !filepath.IsAbs(v) {
					t.Fatalf("ledger %q accepted", v)
				}
			case Cashier, MerchantName:
				if !utf8.ValidString(v) {
					t.Fatalf("name %q accepted: not UTF-8", v)
				}
				for _, r := range v {
					if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
						t.Fatalf("name %q accepted with %U", v, r)
					}
				}
			}
		}
		// User-info in any URL-like text never shows: the authority of
		// the redacted text starts with *** in its place.
		if i := strings.Index(v, "://"); i >= 0 {
			rest := v[i+3:]
			end := strings.IndexAny(rest, "/?#")
			if end < 0 {
				end = len(rest)
			}
			if strings.Contains(rest[:end], "@") {
				// The printed text is inert, so offsets move: find the
				// authority in it again.
				r := safe.URL(v)
				ri := strings.Index(r, "://")
				ok := ri >= 0 && strings.HasPrefix(r[ri+3:], "***@")
				if ok {
					host := r[ri+3+4:]
					if e := strings.IndexAny(host, "/?#"); e >= 0 {
						host = host[:e]
					}
					// "^@" is a NUL in caret notation, not an "@".
					ok = !strings.Contains(strings.ReplaceAll(host, "^@", ""), "@")
				}
				if !ok {
					t.Fatalf("safe.URL(%q) = %q keeps user-info", v, r)
				}
			}
		}
	})
}
