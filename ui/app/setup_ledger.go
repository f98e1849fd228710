package app

import (
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/safe"
)

// The first-run screen's ledger field: which ledger the keys and settings
// go to, and which one this desk opens from now on.

// ledgerChoice reads the ledger and password fields: the location to open
// (an absolute path, or a URL without its password), the password to open
// it with, and whether it changes the ledger at all. What cannot be used is
// said under the field (s.errs) and nothing is opened.
func (s *setupModel) ledgerChoice() (loc, pw string, change bool) {
	if !s.ledgerChanged() {
		return "", "", false
	}
	t := s.c.T
	if s.ledger.From == config.FromFlag || s.ledger.From == config.FromEnv {
		// --db or COOLPAY_DB would win over the desk's choice at every
		// start: remembering another ledger here would mislead.
		s.errs[setupLedger] = t.T("setup.ledger.fixed", s.ledgerSourceName())
		return "", "", false
	}
	v := strings.TrimSpace(s.inputs[setupLedger].Value())
	pw = s.inputs[setupDBPassword].Value()
	switch {
	case v == "":
		loc = s.ledger.Default // an emptied field: the default ledger
	case store.IsURL(v):
		var inURL string
		loc, inURL = splitPassword(v)
		if inURL != "" {
			// Out of sight at once: the password moves to its masked
			// field (and from there to the keyring, never to a file).
			if pw == "" {
				pw = inURL
				s.inputs[setupDBPassword].SetValue(pw)
			}
			s.inputs[setupLedger].SetValue(loc)
		}
		if err := store.CheckURL(loc); err != nil {
			s.errs[setupLedger] = safe.Line(err.Error())
			return "", "", false
		}
	default:
		loc = absPath(v)
		pw = ""
	}
	if err := config.Validate(config.Ledger, loc); err != nil {
		var ce *config.Error
		if errors.As(err, &ce) {
			s.errs[setupLedger] = ce.Text(t)
		} else {
			s.errs[setupLedger] = safe.Line(err.Error())
		}
		return "", "", false
	}
	return loc, pw, true
}

// splitPassword takes the password out of a PostgreSQL URL (user-info or
// a password parameter): the desk file keeps the URL, the keyring the
// password.
func splitPassword(v string) (loc, pw string) {
	u, err := url.Parse(v)
	if err != nil {
		return v, "" // store.CheckURL says why, without the password
	}
	if p, ok := u.User.Password(); ok {
		pw = p
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k, vals := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			if pw == "" && len(vals) > 0 {
				pw = vals[0]
			}
			q.Del(k)
			u.RawQuery = q.Encode()
		}
	}
	return u.String(), pw
}

// absPath makes a typed file path absolute (~/ is the home directory): the
// desk remembers it whatever directory coolpay starts from.
func absPath(v string) string {
	if rest, ok := strings.CutPrefix(v, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			v = filepath.Join(home, rest)
		}
	}
	if a, err := filepath.Abs(v); err == nil {
		return a
	}
	return v
}

// rememberLedger makes loc the ledger this desk opens (the default one:
// nothing to remember). db is that ledger: its settings route the Ledger
// setting to this desk's file (config.AttachDesk), never into a ledger.
func rememberLedger(db *store.DB, loc, def string) error {
	if l := db.Local(); l == nil || !l.Keeps(string(config.Ledger)) {
		return errors.New("this desk has no settings file to remember its ledger in (set " + config.EnvDeskFile + ")")
	}
	if def != "" && filepath.Clean(loc) == filepath.Clean(def) {
		loc = ""
	}
	return db.SetSetting(string(config.Ledger), loc)
}

// ledgerRefused puts why the ledger at loc could not be opened under the
// field to fix, and moves there.
func (s *setupModel) ledgerRefused(loc string, err error) tea.Cmd {
	t := s.c.T
	shown := safe.Line(store.Redact(loc))
	switch {
	case errors.Is(err, ErrLedgerPassword):
		s.errs[setupDBPassword] = t.T("setup.db_password.refused")
		return s.setFocus(setupDBPassword)
	case errors.Is(err, fs.ErrNotExist):
		s.errs[setupLedger] = t.T("setup.ledger.nodir", safe.Line(filepath.Dir(loc)))
	case errors.Is(err, store.ErrNoLedger):
		// Not there yet: a typo is more likely than a wish for a new,
		// empty ledger (as with --db). A second enter creates it.
		s.createOK = loc
		key := "setup.ledger.create"
		if store.IsURL(loc) {
			key = "setup.ledger.create_db"
		}
		s.errs[setupLedger] = t.T(key, shown)
	default:
		s.errs[setupLedger] = safe.Line(err.Error())
	}
	return s.setFocus(setupLedger)
}

// ledgerNote is the hint under the ledger field (where the ledger in use
// came from, what the field takes) or under the password field.
func (s *setupModel) ledgerNote(i int) string {
	t := s.c.T
	if i == setupDBPassword {
		return t.T("setup.db_password.hint")
	}
	var parts []string
	if !s.ledgerChanged() || s.switched {
		switch s.ledger.From {
		case config.FromFlag, config.FromEnv:
			parts = append(parts, t.T("setup.ledger.from", s.ledgerSourceName()))
		case config.FromLedger:
			parts = append(parts, t.T("setup.ledger.remembered"))
		}
	}
	parts = append(parts, t.T("setup.ledger.hint"))
	return strings.Join(parts, " · ")
}

// ledgerSourceName is the flag or variable that chose the ledger.
func (s *setupModel) ledgerSourceName() string {
	if s.ledger.From == config.FromFlag {
		return "--db"
	}
	return config.EnvDB
}
