package core

import (
	"os"
	"os/user"
	"strings"
	"sync"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// SettingCashier is the settings key of the name of whoever is at the till
// (Settings, coolpay config set cashier NAME).
const SettingCashier = string(config.Cashier)

// MaxCashierLen bounds a cashier's name, in characters.
const MaxCashierLen = config.MaxNameLen

// cashierName is the name a Service records on new transactions. It is set
// from the settings read at start-up (Config.Cashier) and changed by
// SetCashier (Settings, or the console seeing another process change the
// setting): never read from the ledger at each journal.
type cashierName struct {
	mu sync.Mutex
	v  string
}

// Cashier is the name recorded on this service's new transactions: the
// cashier setting it was given, else the operating-system user.
func (s *Service) Cashier() string {
	s.cashier.mu.Lock()
	v := s.cashier.v
	s.cashier.mu.Unlock()
	if v != "" {
		return v
	}
	return DefaultCashier()
}

// SetCashier changes the name recorded on the next transactions ("" = the
// operating-system user).
func (s *Service) SetCashier(name string) {
	if s == nil {
		return
	}
	s.cashier.mu.Lock()
	s.cashier.v = CleanCashier(name)
	s.cashier.mu.Unlock()
}

// Cashier is the name recorded on new transactions: the cashier setting,
// else the operating-system user. It reads the ledger: a Service keeps the
// name it was given instead (Service.Cashier).
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
// keeping at most MaxCashierLen characters (config.CleanName).
func CleanCashier(s string) string { return config.CleanName(s) }
