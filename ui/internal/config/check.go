package config

import (
	"errors"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
)

// maxPublicKeyLen bounds a public key. The documented one (the vendor's
// sandbox application, API.md and the Postman collection) is a UUID, 36
// characters; other shapes are allowed as long as they stay one plain path
// segment, since the key travels in every request's path.
const maxPublicKeyLen = 128

// checkPublicKey accepts one URL path segment of letters, digits, '-', '_'
// and '.', starting with a letter or digit: a UUID such as
// 118a4852-7df8-46d9-834b-23b4ef25aaab, or a test key such as pk-test-1.
// Anything else (spaces, slashes, '?', '#', '%', controls, bidi overrides,
// other scripts) would change the request's path or what a terminal shows.
func checkPublicKey(v string) error {
	if len(v) > maxPublicKeyLen {
		return invalid("config.error.public_key_long", maxPublicKeyLen)
	}
	for i, r := range v {
		ok := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			i > 0 && (r == '-' || r == '_' || r == '.'))
		if !ok {
			return invalid("config.error.public_key")
		}
	}
	return nil
}

// maxBaseURLLen bounds a base URL (a setting, not a document).
const maxBaseURLLen = 512

// CheckBaseURL accepts an http(s) URL with a host and nothing the API does
// not use: no user-info (a password would then be printed wherever the
// address is), no query and no fragment (the public key and the call's
// path are appended to the base URL, so they would land in them), only
// printable ASCII (an international domain name goes in its xn-- form), and
// plain http only to this machine unless COOLPAY_INSECURE_HTTP=1.
func CheckBaseURL(v string) error {
	if len(v) > maxBaseURLLen {
		return invalid("config.error.base_url")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c >= 0x7f {
			return invalid("config.error.base_url_chars")
		}
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		if strings.Contains(v, "@") && (err != nil || u.User != nil) {
			return invalid("config.error.base_url_userinfo")
		}
		return invalid("config.error.base_url")
	}
	switch {
	case u.User != nil || strings.Contains(u.Host, "@"):
		return invalid("config.error.base_url_userinfo")
	case u.RawQuery != "" || u.ForceQuery || strings.Contains(v, "?"):
		return invalid("config.error.base_url_query")
	case u.Fragment != "" || strings.Contains(v, "#"):
		return invalid("config.error.base_url_fragment")
	}
	if errors.Is(client.CheckBaseURL(v), client.ErrInsecureBaseURL) && !InsecureHTTPAllowed() {
		return invalid("config.error.base_url_http", EnvInsecureHTTP)
	}
	return nil
}

// checkLedger accepts what a desk may remember as its ledger: a
// PostgreSQL URL that Open would try (store.CheckURL: parsable, TLS to
// another machine) and that holds no password (the desk file is a plain
// file: the password goes to .pgpass, PGPASSWORD or the keyring), or an
// absolute file path (a relative one would change with the directory
// coolpay is started from).
func checkLedger(v string) error {
	if store.IsURL(v) {
		if urlHasPassword(v) {
			return invalid("config.error.ledger_password")
		}
		return store.CheckURL(v)
	}
	if !filepath.IsAbs(v) || strings.ContainsFunc(v, unicode.IsControl) {
		return invalid("config.error.ledger_path")
	}
	return nil
}

// urlHasPassword reports whether a PostgreSQL URL carries a password (in
// its user-info or a password parameter); an unparsable one is taken to.
func urlHasPassword(v string) bool {
	u, err := url.Parse(v)
	if err != nil {
		return true
	}
	if _, set := u.User.Password(); set {
		return true
	}
	for k := range u.Query() {
		if strings.Contains(strings.ToLower(k), "password") {
			return true
		}
	}
	return false
}

func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		for _, ok := range vals {
			if v == ok {
				return nil
			}
		}
		return invalid("config.error.one_of", strings.Join(vals, ", "))
	}
}

func durationIn(lo, hi time.Duration) func(string) error {
	return func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return invalid("config.error.duration", lo.String(), hi.String(), (lo * 2).String())
		}
		return nil
	}
}

// checkName accepts a person's or a shop's name: printable, at most
// MaxNameLen characters, no surrounding spaces (set trims them).
func checkName(v string) error {
	if CleanName(v) != v {
		return invalid("config.error.name", MaxNameLen)
	}
	return nil
}

// CleanName trims a name and drops control and format characters (an
// escape sequence or a bidi override must not travel into every record),
// keeping at most MaxNameLen characters.
func CleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			continue
		}
		if n == MaxNameLen {
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}

func checkAddr(v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil || port == "" || !printableASCII(host) {
		return invalid("config.error.addr")
	}
	return nil
}

func checkPath(v string) error {
	if !strings.HasPrefix(v, "/") || strings.ContainsAny(v, "?#%") || !printableASCII(v) || len(v) > 256 {
		return invalid("config.error.path")
	}
	return nil
}

func checkIP(v string) error {
	if net.ParseIP(v) == nil {
		return invalid("config.error.ip", v)
	}
	return nil
}

func checkCIDR(v string) error {
	_, n, err := net.ParseCIDR(v)
	if err != nil {
		return invalid("config.error.cidr", v)
	}
	if client.CheckTrustedProxy(n) != nil {
		return invalid("config.error.cidr_all", v)
	}
	return nil
}

func eachOf(check func(string) error) func(string) error {
	return func(v string) error {
		parts := SplitList(v)
		if len(parts) == 0 {
			return check(v)
		}
		for _, p := range parts {
			if err := check(p); err != nil {
				return err
			}
		}
		return nil
	}
}

// SplitList splits a comma-separated setting, dropping empty items.
func SplitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
