// Package common holds what every screen of the console shares: the Common
// bundle (size, styles, keymap, translator, services), the Component
// interface, and the messages that cross screens.
package common

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// Component is what each screen satisfies (soft-serve's pkg/ui/common).
type Component interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// Common travels to every screen; no package-level mutable state.
type Common struct {
	Ctx     context.Context
	Width   int
	Height  int
	Styles  *Styles
	Keys    *KeyMap
	T       *i18n.Translator
	Svc     *core.Service // nil when offline (no public key / no network config)
	Store   *store.DB
	Sandbox bool
	// Secrets holds the private key for the configured public key; nil when
	// no public key is configured. Settings and the first-run setup replace
	// it (with Svc) when the public key changes.
	Secrets *keys.Keys
}

// Settings keys in the ledger's settings bucket: the names of
// ui/internal/config's keys, which defines them (checks, defaults, scope,
// precedence), kept here as plain strings for the screens that read one.
const (
	SettingPublicKey    = string(config.PublicKey)
	SettingBaseURL      = string(config.BaseURL)
	SettingLang         = string(config.Lang)
	SettingTheme        = string(config.Theme)
	SettingCSVFormat    = string(config.CSVFormat)
	SettingCashier      = string(config.Cashier)
	SettingMerchantName = string(config.MerchantName)
)

// EnvInsecureHTTP, set to 1, allows a plain-http API base URL to another
// machine (config.EnvInsecureHTTP).
const EnvInsecureHTTP = config.EnvInsecureHTTP

// ServiceChangedMsg is broadcast after Settings or the setup screen replaced
// c.Svc and c.Secrets (new public key, base URL or private key): screens
// that cached anything about the API drop it.
type ServiceChangedMsg struct{}

// LangChangedMsg is broadcast after the UI language changed (c.T replaced):
// screens re-render labels they cached, e.g. in a text input's placeholder.
type LangChangedMsg struct{}

// StatusKind says how the status line shows a message.
type StatusKind int

const (
	StatusInfo StatusKind = iota
	StatusOK
	StatusWarn
	StatusError
	StatusBusy
)

// StatusMsg asks the root to show a line in the status bar.
type StatusMsg struct {
	Kind StatusKind
	Text string
}

// ClearStatusMsg asks the root to clear the status line when it is about
// Record (the follower's "#3 payin: ✔ success"): a screen sends it when it
// leaves that record's result for a fresh form, so the result of the
// previous payment does not sit under the next one. Other lines stay.
type ClearStatusMsg struct{ Record uint64 }

// FollowMsg hands a record to the root's background follower, which polls
// its status (tea.Tick with bounded backoff) until it is final, even after
// the screen that started it has been left.
type FollowMsg struct{ ID uint64 }

// RecordUpdatedMsg is broadcast to every screen when a followed or refreshed
// record changed in the ledger.
type RecordUpdatedMsg struct{ Record store.Record }

// LedgerChangedMsg is broadcast when records were added (History reloads).
type LedgerChangedMsg struct{}

// BalanceMsg carries a fresh balance ("" with Err when unknown).
type BalanceMsg struct {
	Balance string
	Err     error
}

// RefreshBalanceMsg asks the root to refresh the balance in the header.
type RefreshBalanceMsg struct{}

// FocusedInput is implemented by screens that currently have a text input
// focused: the root then sends them every key before any global shortcut.
type FocusedInput interface {
	InputFocused() bool
}

// Busy is implemented by screens that are following a payment; the root asks
// before quitting while it is true.
type Busy interface {
	Busy() bool
}

// Sending is implemented by screens that can have a payment request on its
// way (sent, no answer yet): the quit question counts them, since quitting
// loses their answer (the record becomes UNKNOWN at the next start).
type Sending interface {
	Sending() int
}
