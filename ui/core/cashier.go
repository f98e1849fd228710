package core

import (
	"os"
	"os/user"
	"strings"
	"unicode"

	"github.com/coolpay/coolpay/store"
)

// SettingCashier is the settings key of the name of whoever is at the till
// (Settings, coolpay config set cashier NAME).
const SettingCashier = "cashier"

// MaxCashierLen bounds a cashier's name, in characters.
const MaxCashierLen = 40

// Cashier is the name recorded on new transactions: the cashier setting,
// else the operating-system user. It is read at each journal, so a name
// changed in Settings (or by another process) applies to the next payment.
func Cashier(db *store.DB) string {
	if db != nil {
		if v, ok, err := db.Setting(SettingCashier); err == nil && ok {
			if v = CleanCashier(v); v != "" {
				return v
			}
		}
	}
	return DefaultCashier()
}

// DefaultCashier is the operating-system user's login name ("" when none
// can be found).
func DefaultCashier() string {
	// $USER first: it is the login name on Unix, and what a test or a
	// shared kiosk account can set; then the account database.
	for _, k := range []string{"USER", "USERNAME", "LOGNAME"} {
		if v := CleanCashier(os.Getenv(k)); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		// Windows names are DOMAIN\user: the user is enough at a till.
		name := u.Username
		if i := strings.LastIndexByte(name, '\\'); i >= 0 {
			name = name[i+1:]
		}
		return CleanCashier(name)
	}
	return ""
}

// CleanCashier trims a name and drops control and format characters (an
// escape sequence or a bidi override must not travel into every record),
// keeping at most MaxCashierLen characters.
func CleanCashier(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\uFFFD' {
			continue
		}
		if n == MaxCashierLen {
			break
		}
		b.WriteRune(r)
		n++
	}
	return strings.TrimSpace(b.String())
}
