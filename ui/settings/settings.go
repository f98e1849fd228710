// Package settings is the Settings screen: public key, base URL, the private
// key's status (set, replace, delete; never shown), the UI language and the
// light/dark override. Everything is saved in the ledger's settings, the
// private key only through package keys.
package settings

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// ConnectFunc builds the API service and the private-key store for a public
// key and base URL (ui/cli/console.go: Factory.NewClient + keys.New
// without a prompt).
type ConnectFunc func(publicKey, baseURL string) (*core.Service, *keys.Keys)

// Options for the screen.
type Options struct {
	// Connect rebuilds the service after the public key or base URL
	// changed; nil means the change applies at the next start.
	Connect ConnectFunc
	// AutoDark is the terminal's own background, for the "auto" theme.
	AutoDark bool
	// Config is the settings read at start-up: the screen's first load
	// takes its values from it instead of reading the ledger again. Nil:
	// Init reads the ledger.
	Config *config.Settings
	// Ledger is the ledger the console opened (a URL may hold a password:
	// shown redacted) and LedgerFrom what chose it (config.FromFlag,
	// FromEnv, FromLedger: this desk's setting; else the default).
	Ledger     string
	LedgerFrom config.Source
}

// The rows of the screen.
const (
	itemPublicKey = iota
	itemBaseURL
	itemPrivateKey
	itemLang
	itemTheme
	itemCashier  // desk.go
	itemMerchant // desk.go
	itemLedger   // desk.go: shown, chosen at start
	numItems
)

type state int

const (
	stateBrowse  state = iota
	stateEdit          // a text field has the keys
	stateConfirm       // "delete the private key? y/n"
)

// Themes, in the order the row cycles through them.
var themes = []string{"auto", "light", "dark"}

var langs = []i18n.Lang{i18n.EN, i18n.FR}

// ThemeDark turns a saved theme ("auto", "light", "dark") into NewStyles'
// background: the chosen one, or for "auto" the one detected at start.
func ThemeDark(theme string, autoDark bool) *bool {
	d := autoDark
	switch theme {
	case "light":
		d = false
	case "dark":
		d = true
	}
	return &d
}

// Model is the Settings screen.
type Model struct {
	c    *common.Common
	opts Options

	width, height int
	sel           int
	state         state
	input         textinput.Model
	inputErr      string

	loaded     bool
	publicKey  string
	baseURL    string
	theme      string
	keyStatus  *keys.Status
	statusID   int // key-status answers of an older request are dropped
	working    bool
	workingFor int // the item a keyring or store call is running for
	desk       deskValues
}

// New builds the screen; Init loads the saved values.
func New(c *common.Common, opts Options) *Model {
	ti := textinput.New()
	ti.CharLimit = 512
	ti.Prompt = "" // the box and the label say where to type
	ti.EchoCharacter = '•'
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks redrawing over SSH
	m := &Model{c: c, opts: opts, input: ti, theme: "auto"}
	m.desk.ledger, m.desk.ledgerFrom = store.Redact(opts.Ledger), opts.LedgerFrom
	return m
}

// ---- messages ----

type loadedMsg struct {
	publicKey, baseURL, theme string
	desk                      deskValues
	err                       error
}

type keyStatusMsg struct {
	id int
	st keys.Status
}

type savedMsg struct {
	item    int
	value   string
	svc     *core.Service
	secrets *keys.Keys
	err     error
}

type keySetMsg struct {
	src keys.Source
	err error
}

type keyDeletedMsg struct{ err error }

// Init implements tea.Model: load the saved values and the key's status.
func (m *Model) Init() tea.Cmd {
	db, svc, cfg := m.c.Store, m.c.Svc, m.opts.Config
	return tea.Batch(func() tea.Msg {
		out := loadedMsg{desk: deskValues{osUser: core.DefaultCashier()}}
		if db == nil {
			out.err = errors.New("no ledger")
			return out
		}
		if cfg == nil {
			// One read of the ledger for every row (each read opens the file).
			cfg = config.Load(db, config.Inputs{})
		}
		out.err = cfg.ReadErr()
		stored := func(k config.Key) string { return cfg.Stored(k) }
		out.publicKey, out.baseURL = stored(config.PublicKey), stored(config.BaseURL)
		// Show what is in use (a flag, a variable or the sandbox may have
		// chosen it), not only what is saved.
		if pub, base := svc.Endpoint(); pub != "" {
			out.publicKey, out.baseURL = pub, base
		}
		if v := cfg.Get(config.Theme); v.Source == config.FromLedger {
			out.theme = v.V
		}
		out.desk.cashier, out.desk.merchant = stored(config.Cashier), stored(config.MerchantName)
		return out
	}, m.loadKeyStatus())
}

func (m *Model) ctx() context.Context {
	if m.c.Ctx != nil {
		return m.c.Ctx
	}
	return context.Background()
}

// loadKeyStatus asks package keys where the private key comes from (a
// keyring call, bounded by keys' own timeout).
func (m *Model) loadKeyStatus() tea.Cmd {
	k := m.c.Secrets
	m.statusID++
	id := m.statusID
	if k == nil {
		m.keyStatus = nil
		return nil
	}
	ctx := m.ctx()
	return func() tea.Msg { return keyStatusMsg{id: id, st: k.Status(ctx)} }
}

// SetSize implements common.Component.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	// Indent 2, border and padding 4, the cursor's cell 1: the box fits.
	m.input.Width = max(10, w-8)
}

// InputFocused implements common.FocusedInput.
func (m *Model) InputFocused() bool { return m.state == stateEdit || m.state == stateConfirm }

// Busy implements common.Busy: a keyring or store write is in flight.
func (m *Model) Busy() bool { return m.working }

func status(kind common.StatusKind, text string) tea.Cmd {
	return func() tea.Msg { return common.StatusMsg{Kind: kind, Text: text} }
}

// ---- Update ----

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	t := m.c.T
	if cmd, ok := m.updateDesk(msg); ok {
		return m, cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
	case loadedMsg:
		m.loaded = true
		m.publicKey, m.baseURL = msg.publicKey, msg.baseURL
		msg.desk.ledger, msg.desk.ledgerFrom = m.desk.ledger, m.desk.ledgerFrom
		m.desk = msg.desk
		if msg.theme != "" {
			m.theme = msg.theme
		}
		if msg.err != nil {
			return m, status(common.StatusError, t.T("settings.error.load", msg.err))
		}
	case keyStatusMsg:
		if msg.id == m.statusID {
			st := msg.st
			m.keyStatus = &st
		}
	case common.ServiceChangedMsg:
		return m, m.loadKeyStatus()
	case savedMsg:
		return m, m.onSaved(msg)
	case keySetMsg:
		return m, m.onKeySet(msg)
	case keyDeletedMsg:
		m.working = false
		if msg.err != nil && !errors.Is(msg.err, keys.ErrNoKeyring) {
			return m, tea.Batch(status(common.StatusError, t.T("settings.key.delete_failed", msg.err)), m.loadKeyStatus())
		}
		text := t.T("settings.key.deleted")
		if msg.err != nil {
			text = t.T("settings.key.deleted_memory", msg.err)
		}
		return m, tea.Batch(status(common.StatusOK, text), m.loadKeyStatus())
	case tea.KeyMsg:
		return m, m.key(msg)
	default:
		if m.state == stateEdit {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, cmd
		}
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	switch m.state {
	case stateEdit:
		switch {
		case key.Matches(msg, km.Submit):
			return m.submit()
		case key.Matches(msg, km.Back):
			m.stopEdit()
			return nil
		}
		m.inputErr = ""
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return cmd
	case stateConfirm:
		switch {
		case key.Matches(msg, km.Confirm):
			m.state = stateBrowse
			return m.deleteKey()
		case key.Matches(msg, km.Cancel):
			m.state = stateBrowse
		}
		return nil
	}
	switch {
	case key.Matches(msg, km.Up):
		m.sel = (m.sel + numItems - 1) % numItems
	case key.Matches(msg, km.Down):
		m.sel = (m.sel + 1) % numItems
	case key.Matches(msg, km.Left):
		return m.cycle(-1)
	case key.Matches(msg, km.Right):
		return m.cycle(1)
	case key.Matches(msg, km.Submit):
		switch m.sel {
		case itemLang, itemTheme:
			return m.cycle(1)
		case itemLedger:
			// Chosen before the console opens it: said how, not edited.
			return status(common.StatusInfo, m.c.T.T("settings.ledger.how"))
		default:
			return m.startEdit()
		}
	case key.Matches(msg, km.Delete):
		if m.sel == itemPrivateKey && m.c.Secrets != nil && !m.working {
			m.state = stateConfirm
		}
	}
	return nil
}

func (m *Model) startEdit() tea.Cmd {
	if m.working {
		return status(common.StatusWarn, m.c.T.T("settings.busy"))
	}
	if m.c.Sandbox && (m.sel == itemPublicKey || m.sel == itemBaseURL || m.sel == itemPrivateKey) {
		return status(common.StatusWarn, m.c.T.T("settings.sandbox_fixed"))
	}
	m.inputErr = ""
	m.input.EchoMode = textinput.EchoNormal
	m.input.Placeholder = ""
	switch m.sel {
	case itemPublicKey:
		m.input.SetValue(config.Show(config.PublicKey, m.publicKey))
	case itemBaseURL:
		v := m.baseURL
		if v == "" {
			v = client.DefaultBaseURL
		}
		// A value stored before it was checked may carry a password: the
		// field starts with what may be shown.
		m.input.SetValue(config.Show(config.BaseURL, v))
	case itemPrivateKey:
		if m.c.Secrets == nil {
			return status(common.StatusWarn, m.c.T.T("settings.key.need_public"))
		}
		m.input.EchoMode = textinput.EchoPassword
		m.input.SetValue("")
		m.input.Placeholder = components.Placeholder(m.c.T, "settings.key.placeholder")
	case itemCashier, itemMerchant:
		m.editDesk()
	}
	m.input.CursorEnd()
	m.state = stateEdit
	return m.input.Focus()
}

func (m *Model) stopEdit() {
	m.state = stateBrowse
	m.input.Blur()
	m.input.SetValue("") // never keep a private key around longer than needed
	m.inputErr = ""
}

// submit validates the field; bad input stays in the field with a message
// next to it, and nothing is saved.
func (m *Model) submit() tea.Cmd {
	t := m.c.T
	v := strings.TrimSpace(m.input.Value())
	switch m.sel {
	case itemPublicKey:
		if err := ValidatePublicKey(v); err != nil {
			m.inputErr = err.Text(t)
			return nil
		}
		return m.save(itemPublicKey, v)
	case itemBaseURL:
		if v == "" {
			v = client.DefaultBaseURL
		}
		if err := ValidateBaseURL(v); err != nil {
			m.inputErr = err.Text(t)
			return nil
		}
		return m.save(itemBaseURL, v)
	case itemPrivateKey:
		k := m.c.Secrets
		key, err := k.Validate(v)
		if err != nil {
			m.inputErr = err.Error()
			return nil
		}
		m.stopEdit()
		m.working, m.workingFor = true, itemPrivateKey
		ctx := m.ctx()
		// In sequence, not a batch: a batch runs both at once, so a quick
		// keyring could answer first and its result be overwritten by "…".
		return tea.Sequence(status(common.StatusBusy, t.T("settings.key.saving")), func() tea.Msg {
			src, err := k.Set(ctx, key)
			return keySetMsg{src: src, err: err}
		})
	case itemCashier, itemMerchant:
		return m.saveDesk(v)
	}
	return nil
}

// ValidatePublicKey says why s cannot be a public key (nil: it can); the
// checks are ui/internal/config's, as for coolpay config set.
func ValidatePublicKey(s string) *config.Error {
	if s == "" {
		return &config.Error{Key: config.PublicKey, Msg: "settings.error.public_empty"}
	}
	return configError(config.Validate(config.PublicKey, s))
}

// ValidateBaseURL says why s cannot be the API base URL (nil: it can): an
// http(s) URL without user-info, query or fragment, and plain http only to
// this machine unless COOLPAY_INSECURE_HTTP=1 (config.CheckBaseURL).
func ValidateBaseURL(s string) *config.Error {
	return configError(config.Validate(config.BaseURL, s))
}

func configError(err error) *config.Error {
	if err == nil {
		return nil
	}
	var e *config.Error
	if errors.As(err, &e) {
		return e
	}
	return &config.Error{Msg: "config.error.other", Args: []any{err.Error()}}
}

// save writes a setting, then rebuilds the service for the new value.
func (m *Model) save(item int, v string) tea.Cmd {
	db, connect := m.c.Store, m.opts.Connect
	pub, base := m.publicKey, m.baseURL
	if base == "" {
		base = client.DefaultBaseURL
	}
	setting := common.SettingPublicKey
	if item == itemPublicKey {
		pub = v
	} else {
		setting, base = common.SettingBaseURL, v
	}
	m.stopEdit()
	m.working, m.workingFor = true, item
	return func() tea.Msg {
		if db == nil {
			return savedMsg{item: item, err: errors.New("no ledger")}
		}
		if err := db.SetSetting(setting, v); err != nil {
			return savedMsg{item: item, err: err}
		}
		out := savedMsg{item: item, value: v}
		if connect != nil && pub != "" {
			out.svc, out.secrets = connect(pub, base)
		}
		return out
	}
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	t := m.c.T
	m.working = false
	if msg.err != nil {
		return status(common.StatusError, t.T("settings.error.save", msg.err))
	}
	if msg.item == itemPublicKey {
		m.publicKey = msg.value
	} else {
		m.baseURL = msg.value
	}
	if msg.svc == nil {
		return status(common.StatusOK, t.T("settings.saved_restart"))
	}
	msg.svc.SetCashier(m.desk.cashier) // the name chosen here since start-up
	m.c.Svc, m.c.Secrets = msg.svc, msg.secrets
	return tea.Batch(status(common.StatusOK, t.T("settings.saved")),
		func() tea.Msg { return common.ServiceChangedMsg{} })
}

func (m *Model) onKeySet(msg keySetMsg) tea.Cmd {
	t := m.c.T
	m.working = false
	var cmd tea.Cmd
	switch {
	case msg.err == nil:
		cmd = status(common.StatusOK, t.T("settings.key.saved"))
	case errors.Is(msg.err, keys.ErrNoKeyring):
		cmd = status(common.StatusWarn, t.T("settings.key.memory"))
	default:
		cmd = status(common.StatusError, t.T("settings.key.failed", msg.err))
	}
	// The service asks Secrets on each call, so a new key works at once;
	// screens are told so they can forget a "no private key" error.
	return tea.Batch(cmd, m.loadKeyStatus(), func() tea.Msg { return common.ServiceChangedMsg{} })
}

func (m *Model) deleteKey() tea.Cmd {
	k := m.c.Secrets
	if k == nil {
		return nil
	}
	m.working, m.workingFor = true, itemPrivateKey
	ctx := m.ctx()
	return func() tea.Msg { return keyDeletedMsg{err: k.Delete(ctx)} }
}

// cycle changes the language or the theme at once, everywhere, and saves it.
func (m *Model) cycle(d int) tea.Cmd {
	db := m.c.Store
	switch m.sel {
	case itemLang:
		i := 0
		for j, l := range langs {
			if l == m.c.T.Lang() {
				i = j
			}
		}
		lang := langs[((i+d)%len(langs)+len(langs))%len(langs)]
		// In place, so every holder of the pointer sees the new language.
		*m.c.T = *i18n.New(lang)
		common.Relabel(m.c.Keys, m.c.T)
		return tea.Batch(saveSetting(db, common.SettingLang, string(lang)),
			func() tea.Msg { return common.LangChangedMsg{} })
	case itemTheme:
		i := 0
		for j, th := range themes {
			if th == m.theme {
				i = j
			}
		}
		m.theme = themes[((i+d)%len(themes)+len(themes))%len(themes)]
		*m.c.Styles = *common.NewStyles(nil, ThemeDark(m.theme, m.opts.AutoDark))
		return saveSetting(db, common.SettingTheme, m.theme)
	}
	return nil
}

// saveSetting writes a preference; only a failure is worth a message.
func saveSetting(db *store.DB, k, v string) tea.Cmd {
	if db == nil {
		return nil
	}
	return func() tea.Msg {
		if err := db.SetSetting(k, v); err != nil {
			return common.StatusMsg{Kind: common.StatusError, Text: err.Error()}
		}
		return nil
	}
}

// ---- help ----

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	km := m.c.Keys
	t := m.c.T
	switch m.state {
	case stateEdit:
		return []key.Binding{common.Help(km.Submit, t.T("settings.help.save")), common.Help(km.Back, t.T("app.key.cancel"))}
	case stateConfirm:
		return []key.Binding{common.Help(km.Confirm, t.T("settings.help.delete")), km.Cancel}
	}
	b := []key.Binding{km.Up, km.Down}
	switch m.sel {
	case itemLang, itemTheme:
		b = append(b, common.Help(km.Right, t.T("settings.help.change")))
	case itemPrivateKey:
		if m.c.Secrets != nil {
			b = append(b, common.Help(km.Submit, t.T("settings.help.set_key")))
			if m.keyStatus != nil && m.keyStatus.Set {
				b = append(b, common.Help(km.Delete, t.T("settings.help.delete")))
			}
		}
	default:
		b = append(b, common.Help(km.Submit, t.T("settings.help.edit")))
	}
	return b
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
