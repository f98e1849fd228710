// Package app is the console's root model: tab bar, header with the
// sandbox/live badge and the balance, status line, help bar, the background
// follower that polls payments until they are final, the quit confirmation
// and the first-run setup screen.
//
// It keeps the screens and an enum of the active one; a WindowSizeMsg goes to
// every screen, keys only to the active one (soft-serve's pkg/ssh/ui.go).
package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/history"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/receipt"
	"github.com/coolpay/coolpay/ui/settings"
	"github.com/coolpay/coolpay/ui/today"
)

// Tab names a screen of the console.
type Tab int

// The screens, in tab-bar order. The zero Tab means "choose for me".
const (
	TabPaylink Tab = iota + 1
	TabPayin
	TabPayout
	TabHistory
	TabSettings
	TabToday // the day's totals (ui/today); shown before Settings
)

// AllTabs is the default tab bar.
var AllTabs = []Tab{TabPaylink, TabPayin, TabPayout, TabHistory, TabToday, TabSettings}

func (t Tab) key() string {
	return [...]string{"", "tab.paylink", "tab.payin", "tab.payout", "tab.history", "tab.settings", "tab.today"}[t]
}

// ConnectFunc builds the API service and the private-key store for a public
// key and base URL. It must not do I/O (it runs in commands, but quickly):
// the console command (ui/cli/console.go) passes one built on
// Factory.NewClient and keys.New without a prompt, since the console owns
// the terminal.
type ConnectFunc = settings.ConnectFunc

// Options say how the console starts. The zero value is a usable console.
type Options struct {
	// Tabs to show, in order; nil means AllTabs.
	Tabs []Tab
	// Start is the tab shown first; 0 picks Payin when online and History
	// when offline (history works without network or keyring).
	Start Tab
	// NeedSetup shows the first-run setup screen (no public key configured).
	NeedSetup bool
	// Connect rebuilds c.Svc and c.Secrets after the setup screen or
	// Settings changed the public key, base URL or private key. Nil: those
	// changes are saved and apply at the next start.
	Connect ConnectFunc
	// Lang and Theme are the saved preferences ("ui_lang", "theme"); see
	// the settings. They are used when c.T / c.Styles are nil.
	Lang  i18n.Lang
	Theme string
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Follow bounds the background follower; zero is DefaultFollowPolicy.
	Follow FollowPolicy
	// History tunes the History screen (export directory, debounce).
	History history.Options
	// Screens replaces the screen of a tab (tests, or alternative screens).
	Screens map[Tab]common.Component
	// BalanceTimeout bounds the header's balance call; 0 is 15s.
	BalanceTimeout time.Duration
	// Recovered is how many records a crash left without their answer
	// (core.Service.Recover marked them UNKNOWN): said on the status line
	// at start, where it is seen, not on stderr behind the alt screen.
	Recovered int
	// Listener is the callback receiver running inside the console (nil:
	// none); its state shows in the header.
	Listener *ListenerInfo
	// WatchEvery is how often the console looks for other processes'
	// writes to the ledger; 0 is DefaultWatchEvery, negative turns it off.
	WatchEvery time.Duration
	// Config is the settings as read once at start-up (flags, environment,
	// the ledger): Settings and the first-run screen start from it instead
	// of reading the ledger again. Nil: they read the ledger.
	Config *config.Settings
	// Notice is a warning shown on the status line at start (an invalid
	// public key or base URL that left the console offline).
	Notice string
	// Ledger is the ledger the console opened and how the first-run
	// screen may open another.
	Ledger LedgerOptions
}

// LedgerOptions describe the ledger in use to the first-run screen, which
// shows it and may change it (ui/cli/console.go fills them in).
type LedgerOptions struct {
	// Location is the ledger as opened: a file path or a PostgreSQL URL,
	// which may hold a password and is only ever shown through
	// store.Redact.
	Location string
	// From is where Location came from: config.FromFlag (--db),
	// config.FromEnv (COOLPAY_DB), config.FromLedger (this desk
	// remembered it) or config.FromDefault.
	From config.Source
	// Open opens the ledger at location as --db would, migrated, with this
	// desk's settings attached; create allows a new one (a missing file,
	// a database without coolpay's tables), else that is store.ErrNoLedger.
	// password, when not "", is the database password typed on the screen,
	// used where the URL, PGPASSWORD and .pgpass give none; a refused one
	// is ErrLedgerPassword. Nil: the screen offers no ledger field.
	Open func(location, password string, create bool) (*store.DB, error)
	// KeepPassword keeps a typed database password for the next start (the
	// OS keyring, service coolpay-db) and returns the account it is kept
	// under ("" when the ledger did not ask for it), or why it was not.
	KeepPassword func(password string) (account string, err error)
	// Default is the ledger opened when nothing names one: choosing it
	// forgets the desk's choice instead of remembering it.
	Default string
}

// ErrLedgerPassword: the ledger's database refused the password (or asked
// for one and got none).
var ErrLedgerPassword = errors.New("the database refused the password")

// ListenerInfo describes the callback receiver started with the console
// (coolpay --listen, or the callback_in_console setting).
type ListenerInfo struct {
	Addr string // host:port it listens on
	URL  string // the full callback URL to give My-CoolPay
	Err  string // why it is not running ("" when it is)
}

// Model is the root model.
type Model struct {
	c    *common.Common
	opts Options

	tabs    []Tab
	screens map[Tab]common.Component
	active  int // index into tabs

	setup *setupModel // non-nil while the first-run setup is shown
	// switchLedger: the setup chose another ledger; the program ends for
	// ui/cli to reopen on it (SwitchLedger).
	switchLedger bool
	// carryKey is the private key the setup could keep in memory only (no
	// keyring), for the console reopened on the new ledger.
	carryKey *keys.Keys
	// keyPrompt is the private-key field opened by KeyPrompt.Ask (no
	// keyring, no COOLPAY_PRIVATE_KEY); it takes the keys while open.
	keyPrompt *keyPromptModel

	width, height int
	contentH      int
	help          help.Model

	status     string
	statusKind common.StatusKind
	statusRec  uint64 // the record the status line is about (follower news), 0 for none

	balance   string
	balErr    error
	balLoad   bool
	balanceID int // answers of superseded balance requests are dropped

	follows   map[uint64]*followed
	followGen int

	changes    uint64 // the ledger's change counter when last looked at
	watchTicks int    // looks so far (recovery runs every recoverEvery)
	// ledgerDown: the last look found the ledger's database unreachable;
	// pendingWrites: API answers this process keeps until it is back
	// (ui/core pending.go). Both show in the header.
	ledgerDown    bool
	pendingWrites int

	confirmQuit bool
	autoDark    bool

	// keepStatus protects the start-up notice of interrupted transactions
	// from the balance's own messages until the user has acted.
	keepStatus bool

	receipt *receipt.Model // shown over the active screen while not nil (desk.go)
}

// New builds the console. c is copied once into a *common.Common shared by
// every screen, so a size or language change reaches all of them.
func New(c common.Common, opts Options) Model {
	cp := new(common.Common)
	*cp = c
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Follow == (FollowPolicy{}) {
		opts.Follow = DefaultFollowPolicy
	}
	if opts.BalanceTimeout <= 0 {
		opts.BalanceTimeout = 15 * time.Second
	}
	if opts.WatchEvery == 0 {
		opts.WatchEvery = DefaultWatchEvery
	}
	if opts.History.Now == nil {
		opts.History.Now = opts.Now
	}
	if cp.Ctx == nil {
		cp.Ctx = context.Background()
	}
	if cp.T == nil {
		lang := opts.Lang
		if lang == "" {
			lang = i18n.FromEnv(nil)
		}
		cp.T = i18n.New(lang)
	}
	if cp.Keys == nil {
		cp.Keys = common.DefaultKeyMap()
	}
	common.Relabel(cp.Keys, cp.T)
	// The terminal's own background, before any override, for "auto".
	autoDark := lipgloss.HasDarkBackground()
	if cp.Styles == nil {
		cp.Styles = common.NewStyles(nil, settings.ThemeDark(opts.Theme, autoDark))
	}

	m := Model{c: cp, opts: opts, follows: map[uint64]*followed{}, autoDark: autoDark}
	m.balanceID, m.balLoad = 1, cp.Svc.Online() // Init asks with this id
	m.tabs = opts.Tabs
	if len(m.tabs) == 0 {
		m.tabs = AllTabs
	}
	m.screens = map[Tab]common.Component{}
	for _, t := range m.tabs {
		if s, ok := opts.Screens[t]; ok && s != nil {
			m.screens[t] = s
			continue
		}
		m.screens[t] = m.defaultScreen(t)
	}
	start := opts.Start
	if start == 0 {
		start = TabPayin
		if !cp.Svc.Online() {
			start = TabHistory
		}
	}
	for i, t := range m.tabs {
		if t == start {
			m.active = i
		}
	}
	m.help = help.New()
	if opts.Recovered > 0 {
		m.setStatus(common.StatusWarn, cp.T.T("app.recovered", opts.Recovered))
		m.keepStatus = true
	}
	if opts.Notice != "" {
		m.setStatus(common.StatusWarn, opts.Notice)
		m.keepStatus = true
	}
	if opts.NeedSetup {
		m.setup = newSetup(cp, opts.Connect, opts.Config, opts.Ledger)
	}
	return m
}

func (m *Model) defaultScreen(t Tab) common.Component {
	switch t {
	case TabHistory:
		return history.New(m.c, m.opts.History)
	case TabSettings:
		return settings.New(m.c, settings.Options{Connect: m.opts.Connect, AutoDark: m.autoDark, Config: m.opts.Config,
			Ledger: m.opts.Ledger.Location, LedgerFrom: m.opts.Ledger.From})
	case TabToday:
		return today.New(m.c, today.Options{Now: m.opts.Now})
	}
	return newPayScreen(m.c, t)
}

// Common is the shared bundle (for tests and ui/cli's console command).
func (m Model) Common() *common.Common { return m.c }

// Active is the tab on screen.
func (m Model) Active() Tab { return m.tabs[m.active] }

// Screen returns the screen of a tab.
func (m Model) Screen(t Tab) common.Component { return m.screens[t] }

// Status is the status line's text.
func (m Model) Status() string { return m.status }

// ConfirmingQuit reports whether the quit question is shown.
func (m Model) ConfirmingQuit() bool { return m.confirmQuit }

// SwitchLedger reports whether the console ended to reopen on the ledger
// the first-run screen chose (and this desk now remembers): ui/cli's
// console opens it and starts again.
func (m Model) SwitchLedger() bool { return m.switchLedger }

// MemoryKey is the private key the first-run screen could only keep in
// memory (no OS keyring) before SwitchLedger ended the program, for the
// console reopened on the new ledger not to ask for it again; nil otherwise.
func (m Model) MemoryKey() *keys.Keys { return m.carryKey }

// InSetup reports whether the first-run setup screen is shown.
func (m Model) InSetup() bool { return m.setup != nil }

func (m *Model) ctx() context.Context { return m.c.Ctx }

// Init implements tea.Model.
func (m Model) Init() tea.Cmd {
	var listenErr tea.Cmd
	if l := m.opts.Listener; l != nil && l.Err != "" {
		text := m.c.T.T("app.listener.failed", l.Err)
		listenErr = func() tea.Msg { return common.StatusMsg{Kind: common.StatusWarn, Text: text} }
	}
	cmds := []tea.Cmd{listenErr, m.balanceCmd(m.balanceID), m.resumeFollowing(), m.watchStart()}
	for _, t := range m.tabs {
		cmds = append(cmds, m.screens[t].Init())
	}
	if m.setup != nil {
		cmds = append(cmds, m.setup.Init())
	}
	return tea.Batch(cmds...)
}

// ---- balance ----

type balanceMsg struct {
	id      int
	balance string
	err     error
}

// refreshBalance asks for the balance again; an older answer still on its
// way is dropped.
func (m *Model) refreshBalance() tea.Cmd {
	if !m.c.Svc.Online() {
		m.balLoad = false
		return nil
	}
	m.balanceID++
	m.balLoad = true
	return m.balanceCmd(m.balanceID)
}

// balanceCmd builds the request without touching the model (Init uses it
// with the id New prepared).
func (m *Model) balanceCmd(id int) tea.Cmd {
	svc := m.c.Svc
	if !svc.Online() {
		return nil
	}
	// The header's balance is not the user's doing: it never pops the
	// private-key field (a payout does).
	ctx, timeout := keys.WithoutPrompt(m.ctx()), m.opts.BalanceTimeout
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		b, err := svc.Balance(ctx)
		return balanceMsg{id: id, balance: b, err: err}
	}
}

// ---- Update ----

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.onDesk(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m.layout()
	case tea.KeyMsg:
		return m.key(msg)
	case tea.MouseMsg:
		return nil
	case common.StatusMsg:
		m.setStatus(msg.Kind, msg.Text)
		return nil
	case common.ClearStatusMsg:
		if msg.Record != 0 && msg.Record == m.statusRec {
			m.setStatus(common.StatusInfo, "")
		}
		return nil
	case common.FollowMsg:
		return m.follow(msg.ID)
	case keyPromptMsg:
		return m.onKeyPrompt(msg)
	case resumeMsg:
		return m.onResume(msg)
	case claimsTickMsg:
		return m.confirmClaims()
	case claimsDoneMsg:
		return m.onClaimsDone(msg)
	case followTickMsg:
		return m.onFollowTick(msg)
	case followResultMsg:
		return m.onFollowResult(msg)
	case watchTickMsg:
		return m.onWatchTick()
	case watchMsg:
		return m.onWatch(msg)
	case common.RefreshBalanceMsg:
		return m.refreshBalance()
	case balanceMsg:
		if msg.id != m.balanceID {
			return nil
		}
		m.balLoad = false
		if msg.err == nil {
			m.balance, m.balErr = msg.balance, nil
		} else {
			// Usually the first sign that the keys or the network are
			// wrong: say it, keep the last known amount.
			m.balErr = msg.err
			switch {
			case m.keepStatus: // the interrupted transactions matter more
			case errors.Is(msg.err, keys.ErrNoKey):
				m.setStatus(common.StatusInfo, m.c.T.T("app.balance.nokey"))
			default:
				m.setStatus(common.StatusWarn, m.c.T.T("app.balance.failed", components.ErrorText(msg.err).String(m.c.T)))
			}
		}
		return m.broadcast(common.BalanceMsg{Balance: msg.balance, Err: msg.err})
	case common.ServiceChangedMsg:
		m.balance, m.balErr = "", nil
		return tea.Batch(m.refreshBalance(), m.broadcast(msg))
	case common.LangChangedMsg:
		cmd := m.broadcast(msg)
		return tea.Batch(cmd, m.layout())
	case setupDoneMsg:
		if m.setup != nil {
			return m.updateSetup(msg)
		}
		return nil
	}
	// Everything else (the screens' own answers, spinner ticks, cursor
	// blinks, RecordUpdatedMsg, LedgerChangedMsg) goes to every screen: an
	// answer for a screen that is not on show still lands in that screen,
	// never in the one on show.
	cmds := []tea.Cmd{m.broadcast(msg)}
	if m.receipt != nil {
		cmds = append(cmds, m.receipt.Update(msg))
	}
	if m.setup != nil {
		cmds = append(cmds, m.updateSetup(msg))
	}
	return tea.Batch(cmds...)
}

// broadcast sends msg to every screen and batches what they return.
func (m *Model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for _, t := range m.tabs {
		s, cmd := m.screens[t].Update(msg)
		m.screens[t] = s.(common.Component)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func (m *Model) activeScreen() common.Component { return m.screens[m.tabs[m.active]] }

// inputFocused: the active screen (or setup) has a text field that owns the
// keys, so no letter, digit, "?" or tab may act as a shortcut.
func (m *Model) inputFocused() bool {
	if m.setup != nil || m.keyPrompt != nil || m.receipt != nil {
		return true
	}
	f, ok := m.activeScreen().(common.FocusedInput)
	return ok && f.InputFocused()
}

// sending counts the payment requests on their way on every screen.
func (m *Model) sending() int {
	n := 0
	for _, t := range m.tabs {
		if s, ok := m.screens[t].(common.Sending); ok {
			n += s.Sending()
		}
	}
	return n
}

// busy: quitting now would abandon something.
func (m *Model) busy() bool {
	if len(m.follows) > 0 || (m.setup != nil && m.setup.saving) || m.c.Svc.PendingWrites() > 0 {
		return true
	}
	for _, t := range m.tabs {
		if b, ok := m.screens[t].(common.Busy); ok && b.Busy() {
			return true
		}
	}
	return false
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	m.keepStatus = false
	if m.confirmQuit {
		switch {
		case key.Matches(msg, m.quitYes()), key.Matches(msg, km.Quit):
			return tea.Quit
		case key.Matches(msg, km.Cancel):
			m.confirmQuit = false
			m.setStatus(common.StatusInfo, m.c.T.T("app.quit.cancelled"))
		}
		return nil // every other key waits for the answer
	}
	if key.Matches(msg, km.Quit) {
		if m.busy() {
			m.confirmQuit = true
			return nil
		}
		return tea.Quit
	}
	// F1 reaches the help from every screen, a focused field and the setup
	// included; "?" only where it cannot be meant as typed text.
	if key.Matches(msg, km.Help) && (msg.String() != "?" || !m.inputFocused()) {
		m.help.ShowAll = !m.help.ShowAll
		return m.layout()
	}
	if m.keyPrompt != nil {
		return m.keyPromptKey(msg)
	}
	if m.setup != nil {
		return m.updateSetup(msg)
	}
	if m.receipt != nil {
		if !key.Matches(msg, km.NextTab, km.PrevTab) {
			return m.receipt.Update(msg) // every key, until esc closes it
		}
		m.receipt = nil // changing screens closes it
	}
	switch {
	case key.Matches(msg, km.NextTab):
		return m.switchTo(m.active + 1)
	case key.Matches(msg, km.PrevTab):
		return m.switchTo(m.active - 1)
	case key.Matches(msg, km.Balance):
		if !m.c.Svc.Online() {
			m.setStatus(common.StatusWarn, m.c.T.T("app.offline.action"))
			return nil
		}
		return m.refreshBalance()
	}
	if !m.inputFocused() {
		switch {
		case key.Matches(msg, km.NextScreen):
			return m.switchTo(m.active + 1)
		case key.Matches(msg, km.PrevScreen):
			return m.switchTo(m.active - 1)
		}
	}
	s, cmd := m.activeScreen().Update(msg)
	m.screens[m.tabs[m.active]] = s.(common.Component)
	return cmd
}

func (m *Model) switchTo(i int) tea.Cmd {
	n := len(m.tabs)
	m.active = ((i % n) + n) % n
	// A passing note ("link copied") belongs to the screen it came from;
	// warnings and errors stay until something replaces them.
	if m.statusKind == common.StatusInfo || m.statusKind == common.StatusOK {
		m.status = ""
	}
	// The full help differs per screen: its height changes the content's.
	return m.layout()
}

func (m *Model) setStatus(kind common.StatusKind, text string) {
	m.statusKind, m.status, m.statusRec = kind, text, 0
}

// layout recomputes the content height (window − header − footer − open
// help) and hands it to every screen, as SetSize and as a WindowSizeMsg so a
// screen can answer with a command (History loads a page that fits).
func (m *Model) layout() tea.Cmd {
	if m.width <= 0 || m.height <= 0 {
		return nil
	}
	m.help.Width = m.width
	m.contentH = max(1, m.height-headerHeight-1-lipgloss.Height(m.helpView()))
	var cmds []tea.Cmd
	for _, t := range m.tabs {
		m.screens[t].SetSize(m.width, m.contentH)
		s, cmd := m.screens[t].Update(tea.WindowSizeMsg{Width: m.width, Height: m.contentH})
		m.screens[t] = s.(common.Component)
		cmds = append(cmds, cmd)
	}
	if m.setup != nil {
		m.setup.SetSize(m.width, m.contentH)
	}
	if m.receipt != nil {
		m.receipt.SetSize(m.width, m.contentH)
	}
	return tea.Batch(cmds...)
}

// ---- help ----

// rootKeys is the help.KeyMap of the whole console: the active screen's
// bindings, then the global ones that work now.
type rootKeys struct{ m *Model }

// globals are the keys the help bar always shows, whatever the screen
// lists: how to change screens, the full help and quitting. They come last
// but are never cut off (helpView).
func (r rootKeys) globals() []key.Binding {
	km := r.m.c.Keys
	if r.m.confirmQuit {
		return []key.Binding{r.m.quitYes(), km.Cancel}
	}
	if r.m.setup != nil {
		return []key.Binding{km.Help, km.Quit}
	}
	t := r.m.c.T
	screens := key.NewBinding(key.WithKeys(append(km.PrevTab.Keys(), km.NextTab.Keys()...)...),
		key.WithHelp("ctrl+←/→", t.T("app.key.screens")))
	return []key.Binding{screens, km.Help, km.Quit}
}

func (r rootKeys) ShortHelp() []key.Binding {
	if r.m.confirmQuit {
		return r.globals()
	}
	var b []key.Binding
	if r.m.setup != nil {
		b = r.m.setup.ShortHelp()
	} else {
		b = r.m.screenKeys().ShortHelp()
	}
	return append(b, r.globals()...)
}

func (r rootKeys) FullHelp() [][]key.Binding {
	if r.m.confirmQuit {
		return [][]key.Binding{r.globals()}
	}
	km := r.m.c.Keys
	var g [][]key.Binding
	if r.m.setup != nil {
		g = r.m.setup.FullHelp()
	} else {
		g = r.m.screenKeys().FullHelp()
	}
	global := []key.Binding{km.NextTab, km.PrevTab}
	if !r.m.inputFocused() {
		global = append(global, km.NextScreen, km.PrevScreen)
	}
	if r.m.c.Svc.Online() {
		global = append(global, km.Balance)
	}
	global = append(global, km.Help, km.Quit)
	return append(g, global)
}

// helpView is the help bar, or the full help when open. The short bar puts
// the global keys on the right and cuts the screen's own keys to fit, so at
// 80 columns the way to change screens and to open the help is always on
// screen (help.Model alone would cut from the end, globals first).
func (m *Model) helpView() string {
	r := rootKeys{m}
	if m.help.ShowAll {
		out := m.help.View(r)
		// The help may take the window but the header, the status line
		// and one line of the screen: in a small one (40×10) the sandbox's
		// rules go first, then the help's last lines.
		room := max(1, m.height-headerHeight-2)
		if rules := m.sandboxRules(); rules != "" {
			// How to get each outcome on this screen from the sandbox
			// (client/sandbox).
			if with := out + "\n\n" + m.c.Styles.Warning.Render(components.Wrap(rules, m.width)); lipgloss.Height(with) <= room {
				out = with
			}
		}
		if lines := strings.Split(out, "\n"); len(lines) > room {
			out = strings.Join(append(lines[:room-1], "…"), "\n")
		}
		return out
	}
	right := m.shortBar(r.globals(), m.width)
	if m.confirmQuit {
		return right
	}
	var own []key.Binding
	switch {
	case m.keyPrompt != nil:
		own = []key.Binding{common.Help(m.c.Keys.Submit, m.c.T.T("app.keyprompt.key.keep")),
			common.Help(m.c.Keys.Back, m.c.T.T("app.key.cancel"))}
	case m.setup != nil:
		own = m.setup.ShortHelp()
	default:
		own = m.screenKeys().ShortHelp()
	}
	sep := m.help.Styles.ShortSeparator.Inline(true).Render(m.help.ShortSeparator)
	left := m.shortBar(own, m.width-lipgloss.Width(right)-lipgloss.Width(sep))
	if left == "" {
		return right
	}
	return left + sep + right
}

// shortBar renders bindings on one line of at most w columns, ending in "…"
// when some do not fit (help.Model's own cut lets a line overflow when even
// the "…" has no room).
func (m *Model) shortBar(bindings []key.Binding, w int) string {
	st := m.help.Styles
	sep := st.ShortSeparator.Inline(true).Render(m.help.ShortSeparator)
	tail := " " + st.Ellipsis.Inline(true).Render(m.help.Ellipsis)
	var b strings.Builder
	total := 0
	for _, kb := range bindings {
		if !kb.Enabled() {
			continue
		}
		item := st.ShortKey.Inline(true).Render(kb.Help().Key) + " " + st.ShortDesc.Inline(true).Render(kb.Help().Desc)
		if total > 0 {
			item = sep + item
		}
		iw := lipgloss.Width(item)
		if total+iw > w {
			if total > 0 && total+lipgloss.Width(tail) <= w {
				b.WriteString(tail)
			}
			break
		}
		b.WriteString(item)
		total += iw
	}
	return b.String()
}

// quitYes is the quit question's "yes": y, and in French o (oui) too,
// which the question then names.
func (m *Model) quitYes() key.Binding {
	b := m.c.Keys.Confirm
	if m.c.T.Lang() != i18n.FR {
		return b
	}
	return key.NewBinding(key.WithKeys(append(b.Keys(), "o", "O")...), key.WithHelp("o", b.Help().Desc))
}

// onSandbox says whether the console talks to a sandbox: the built-in
// one, or any API on this machine (client.IsSandboxURL, the rule coolpay
// doctor follows too).
func (m *Model) onSandbox() bool {
	if m.c.Sandbox {
		return true
	}
	_, base := m.c.Svc.Endpoint()
	return base != "" && client.IsSandboxURL(base)
}

// sandboxRules is the full help's note on how to get each outcome from the
// sandbox on the screen shown ("" elsewhere, and off the sandbox).
func (m *Model) sandboxRules() string {
	if !m.onSandbox() || m.setup != nil || m.keyPrompt != nil || m.receipt != nil {
		return ""
	}
	switch m.tabs[m.active] {
	case TabPayin:
		return m.c.T.T("sandbox.rules.payin")
	case TabPayout:
		return m.c.T.T("sandbox.rules.payout")
	case TabPaylink:
		return m.c.T.T("sandbox.rules.paylink")
	}
	return ""
}

var _ tea.Model = Model{}
