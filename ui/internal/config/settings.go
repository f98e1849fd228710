package config

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// Source says where a setting's value came from.
type Source string

const (
	FromFlag    Source = "flag"
	FromEnv     Source = "env"
	FromLedger  Source = "ledger"
	FromDefault Source = "default"
	FromNone    Source = "" // unset, and no default
)

// Inputs are what may override the stored settings: the flags the user
// gave (by key; "" = not given) and the environment.
type Inputs struct {
	Flags  map[Key]string
	Getenv func(string) string // nil: os.Getenv
}

func (in Inputs) getenv(k string) string {
	if in.Getenv == nil {
		return os.Getenv(k)
	}
	return in.Getenv(k)
}

// Value is a setting as resolved.
type Value struct {
	// V is the value to use: "" when unset with no default, or when the
	// value found is invalid and there is no default to fall back on.
	V      string
	Source Source
	// Err is set when the value the flag, the environment or the ledger
	// gives is invalid (Bad holds it, to show redacted and inert); V is
	// then the default. A bad public key or base URL is never used: those
	// callers stop and say so.
	Err error
	Bad string
	// BadFrom is where the invalid value came from.
	BadFrom Source
}

// Settings are the settings as resolved at one moment: read once (Load) and
// passed down.
type Settings struct {
	in      Inputs
	stored  map[string]string
	readErr error
	// desk is the file keeping this desk's own settings when the ledger
	// is shared ("" when they are in the ledger).
	desk string
}

// Load reads the ledger's settings once (db may be nil: no ledger) and
// resolves them against in. A ledger that cannot be read counts as holding
// nothing; ReadErr says why.
func Load(db *store.DB, in Inputs) *Settings {
	s := &Settings{in: in, stored: map[string]string{}}
	if db != nil {
		if f, ok := db.Local().(*DeskFile); ok && !f.ledgerOnly {
			s.desk = f.Path
		}
		all, err := db.Settings()
		if err != nil {
			s.readErr = err
		} else {
			s.stored = all
		}
	}
	return s
}

// FromMap is Load for settings already read: the console's look before its
// ledger answers (from the desk file alone), and screens' tests that hand
// a screen its settings without a ledger.
func FromMap(stored map[string]string, in Inputs) *Settings {
	if stored == nil {
		stored = map[string]string{}
	}
	return &Settings{in: in, stored: stored}
}

// ReadErr is why the ledger's settings could not be read (nil: they were,
// or there was no ledger).
func (s *Settings) ReadErr() error { return s.readErr }

// DeskFile is the file that keeps this desk's own settings (Scope Desk)
// when the ledger is shared by several desks; "" when every setting is in
// the ledger (a ledger file is the desk's own).
func (s *Settings) DeskFile() string { return s.desk }

// Stored is the raw value the ledger holds for k ("" = none). It is text
// from outside: show it through Show.
func (s *Settings) Stored(k Key) string { return s.stored[string(k)] }

// Get resolves k: flag, then environment, then the ledger, then the
// default. An invalid value at one level is reported (Err, Bad) and the
// default is used instead: a lower level is not consulted, since the user
// meant the higher one.
func (s *Settings) Get(k Key) Value {
	d, ok := Lookup(string(k))
	if !ok {
		return Value{}
	}
	v, from := "", FromNone
	switch {
	case s.in.Flags[k] != "":
		v, from = s.in.Flags[k], FromFlag
	case d.Env != "" && s.in.getenv(d.Env) != "":
		v, from = s.in.getenv(d.Env), FromEnv
	case s.stored[string(k)] != "":
		v, from = s.stored[string(k)], FromLedger
	}
	def := d.Default
	if k == Lang {
		// The language's default is the locale's.
		def = string(i18n.FromEnv(s.in.getenv))
	}
	if from == FromNone {
		if def == "" {
			return Value{}
		}
		return Value{V: def, Source: FromDefault}
	}
	if err := d.Check(v); err != nil {
		out := Value{Err: err, Bad: v, BadFrom: from}
		if def != "" {
			out.V, out.Source = def, FromDefault
		}
		return out
	}
	return Value{V: v, Source: from}
}

// String is k's value ("" when unset).
func (s *Settings) String(k Key) string { return s.Get(k).V }

// Duration is a duration setting's value (its default when unset or
// invalid).
func (s *Settings) Duration(k Key) time.Duration {
	d, _ := time.ParseDuration(s.Get(k).V)
	return d
}

// List is a comma-separated setting's items.
func (s *Settings) List(k Key) []string { return SplitList(s.Get(k).V) }

// On is an on/off setting.
func (s *Settings) On(k Key) bool { return s.Get(k).V == "on" }

// UILang is the language of what coolpay shows people: --lang, then the
// ledger's ui_lang, then the locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE).
func (s *Settings) UILang() i18n.Lang { return i18n.New(i18n.Lang(s.String(Lang))).Lang() }

// Set checks v and stores it (v == "" unsets k), updating s too.
func (s *Settings) Set(db *store.DB, k Key, v string) error {
	if err := Validate(k, v); err != nil {
		return err
	}
	if err := db.SetSetting(string(k), v); err != nil {
		return err
	}
	if v == "" {
		delete(s.stored, string(k))
	} else {
		s.stored[string(k)] = v
	}
	return nil
}

// Endpoint is the public key and base URL to talk to, or why they cannot
// be used: none set (pub == "" and err == nil), or an invalid one (err names
// the setting and where its value came from).
func (s *Settings) Endpoint() (pub, base string, err error) {
	p, b := s.Get(PublicKey), s.Get(BaseURL)
	if p.Err != nil {
		return "", "", sourced(p)
	}
	if b.Err != nil {
		return "", "", sourced(b)
	}
	return p.V, b.V, nil
}

// SourcedError is an invalid setting with where its value came from.
type SourcedError struct {
	Key  Key
	From Source
	Def  Def
	Err  *Error
}

func (e *SourcedError) Error() string { return e.Text(i18n.New(i18n.EN)) }

// Text says, in t's language, which value is invalid and why.
func (e *SourcedError) Text(t *i18n.Translator) string {
	where := string(e.Key)
	switch e.From {
	case FromFlag:
		where = e.Def.Flag
	case FromEnv:
		where = e.Def.Env
	}
	return t.T("config.error.sourced."+string(e.From), where, e.Err.Text(t))
}

func (e *SourcedError) Unwrap() error { return e.Err }

// Invalid is the error of a value Get found invalid (v.Err set), naming
// the setting and where the value came from; nil when v is valid.
func Invalid(v Value) error {
	if v.Err == nil {
		return nil
	}
	return sourced(v)
}

func sourced(v Value) error {
	d, _ := Lookup(string(keyOf(v)))
	e, _ := v.Err.(*Error)
	if e == nil {
		e = &Error{Msg: "config.error.other", Args: []any{fmt.Sprint(v.Err)}}
	}
	return &SourcedError{Key: e.Key, From: v.BadFrom, Def: d, Err: e}
}

func keyOf(v Value) Key {
	if e, ok := v.Err.(*Error); ok {
		return e.Key
	}
	return ""
}

// LedgerPath is the ledger: --db (flag), then COOLPAY_DB, then the
// ledger this desk remembers (the Ledger setting in the desk file, chosen
// on the first-run screen or with coolpay config set ledger), then
// ledger.db in coolpay's data directory (store.DefaultPath). explicit says
// the user named it (any but the default), so a missing file there is more
// likely a typo than a first run.
func LedgerPath(flag string, getenv func(string) string) (path string, explicit bool, err error) {
	path, from, err := LedgerFrom(flag, getenv)
	return path, from != FromDefault, err
}

// LedgerFrom is LedgerPath with where the ledger came from: FromFlag,
// FromEnv, FromLedger (this desk's stored Ledger setting) or FromDefault.
// A remembered value that is not valid is an error naming the desk file,
// never a silent fall back to another ledger.
func LedgerFrom(flag string, getenv func(string) string) (path string, from Source, err error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if flag != "" {
		return flag, FromFlag, nil
	}
	if v := getenv(EnvDB); v != "" {
		return v, FromEnv, nil
	}
	if dp, derr := DeskPath(getenv); derr == nil {
		f := &DeskFile{Path: dp}
		v, ok, err := f.Get(string(Ledger))
		if err != nil {
			return "", FromNone, err
		}
		if ok && v != "" {
			if err := Validate(Ledger, v); err != nil {
				return "", FromNone, fmt.Errorf("this desk's ledger setting in %s is not valid: %v (coolpay --db LEDGER config unset ledger)", dp, err)
			}
			return v, FromLedger, nil
		}
	}
	p, err := store.DefaultPath()
	if err != nil {
		return "", FromNone, fmt.Errorf("%w (set %s or --db)", err, EnvDB)
	}
	return filepath.Clean(p), FromDefault, nil
}
