package app

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/settings"
)

// The setup form's fields, in tab order.
const (
	setupPublic = iota
	setupPrivate
	setupBase
	setupLedger     // shown when the console may change its ledger (LedgerOptions.Open)
	setupDBPassword // shown when the ledger field names another PostgreSQL database
	setupFields
)

type setupState int

const (
	setupForm setupState = iota
	setupSaving
	setupResult
)

// setupModel is the first-run screen: public key, private key (masked), base
// URL, and the ledger they are kept in (with a database's password, masked);
// it saves them, then checks them with a balance call. A changed ledger is
// opened (created or migrated) before anything is saved, receives the
// settings, and is remembered for this desk; leaving the screen then
// reopens the console on it.
type setupModel struct {
	c       *common.Common
	connect ConnectFunc

	inputs []textinput.Model
	errs   [setupFields]string
	focus  int
	state  setupState
	saving bool
	w, h   int

	res setupDoneMsg

	// baseFrom is where the base URL the form starts with came from
	// (config.FromFlag, FromEnv; "" for the ledger or the default).
	baseFrom config.Source
	baseOrig string

	ledger LedgerOptions
	// ledgerShown is what the ledger field started with: the ledger in
	// use, redacted and inert. The field left so changes nothing.
	ledgerShown string
	// switched: another ledger was chosen, received the settings and is
	// remembered; leaving the screen reopens the console on it.
	switched bool
	// createOK is the ledger the user confirmed creating (a second enter
	// on "no ledger there yet").
	createOK string
}

// setupDoneMsg is the answer of the save-and-check command. It never holds
// the private key.
type setupDoneMsg struct {
	svc      *core.Service
	secrets  *keys.Keys
	src      keys.Source
	keyErr   error // storing the private key failed (or fell back to memory: ErrNoKeyring)
	saveErr  error // writing the settings failed
	balance  string
	balErr   error // the check failed: the keys (or the URL) do not work
	noCheck  bool  // no Connect: saved, checked at the next start
	checkDur time.Duration

	// The ledger chosen on the form, when it changed.
	ledgerLoc string
	ledgerErr error  // it could not be opened: nothing was saved
	switched  bool   // opened, settings saved in it, remembered by the desk
	pwAccount string // the keyring account its typed password is kept under
	pwErr     error  // the password could not be kept
}

type setupOutcome int

const (
	setupStay setupOutcome = iota
	setupFinish
	setupSkip
)

// newSetup builds the form. cfg is the settings read at start-up (nil: none):
// the base URL field starts with what --base-url, COOLPAY_BASE_URL or the
// ledger say, not always with the live API's address.
func newSetup(c *common.Common, connect ConnectFunc, cfg *config.Settings, lo LedgerOptions) *setupModel {
	s := &setupModel{c: c, connect: connect, ledger: lo}
	for i := 0; i < setupFields; i++ {
		ti := textinput.New()
		ti.CharLimit = 512
		// A steady cursor: no blink ticks redrawing the screen over SSH.
		ti.Cursor.SetMode(cursor.CursorStatic)
		s.inputs = append(s.inputs, ti)
	}
	for _, i := range []int{setupPrivate, setupDBPassword} {
		s.inputs[i].EchoMode = textinput.EchoPassword
		s.inputs[i].EchoCharacter = '•'
	}
	// The ledger as opened, without a password, and inert: COOLPAY_DB
	// may hold anything.
	s.ledgerShown = safe.Line(store.Redact(lo.Location))
	s.inputs[setupLedger].SetValue(s.ledgerShown)
	s.inputs[setupBase].SetValue(client.DefaultBaseURL)
	if cfg != nil {
		if v := cfg.Get(config.BaseURL); v.Err == nil && v.V != "" {
			s.inputs[setupBase].SetValue(v.V)
			s.baseOrig = v.V
			if v.Source == config.FromFlag || v.Source == config.FromEnv {
				s.baseFrom = v.Source
			}
		}
		if v := cfg.Get(config.PublicKey); v.Err == nil && v.V != "" {
			s.inputs[setupPublic].SetValue(v.V)
		}
	}
	s.inputs[setupPublic].Focus()
	return s
}

func (s *setupModel) Init() tea.Cmd { return nil }

func (s *setupModel) SetSize(w, h int) {
	s.w, s.h = w, h
	for i := range s.inputs {
		s.inputs[i].Width = max(10, w-s.labelW()-6)
	}
}

// setFocus moves to field i, or the next one shown after it.
func (s *setupModel) setFocus(i int) tea.Cmd { return s.focusFrom(i, 1) }

// focusFrom moves to field i, or the first one shown from it in the
// direction dir (+1, -1).
func (s *setupModel) focusFrom(i, dir int) tea.Cmd {
	s.inputs[s.focus].Blur()
	for n := 0; n < setupFields; n++ {
		i = (i%setupFields + setupFields) % setupFields
		if s.shown(i) {
			break
		}
		i += dir
	}
	s.focus = i
	return s.inputs[i].Focus()
}

// shown says whether field i is on the form: the ledger's when the console
// may change it, its password's when it names another PostgreSQL database.
func (s *setupModel) shown(i int) bool {
	switch i {
	case setupLedger:
		return s.ledger.Open != nil
	case setupDBPassword:
		return s.shown(setupLedger) && s.ledgerChanged() && store.IsURL(strings.TrimSpace(s.inputs[setupLedger].Value()))
	}
	return true
}

// ledgerChanged: saving opens a ledger other than the one in use (the field
// was edited, or another ledger was already chosen on this screen).
func (s *setupModel) ledgerChanged() bool {
	return s.ledger.Open != nil && (s.switched || strings.TrimSpace(s.inputs[setupLedger].Value()) != s.ledgerShown)
}

// labelW is the label column: wider when the database password is among
// the labels.
func (s *setupModel) labelW() int {
	if s.ledger.Open != nil {
		return labelWidthLedger
	}
	return labelWidth
}

// updateSetup runs the setup screen and acts on its outcome: finishing
// installs the new service in the shared bundle; skipping opens the console
// offline.
func (m *Model) updateSetup(msg tea.Msg) tea.Cmd {
	s := m.setup
	cmd, out := s.update(msg)
	switch out {
	case setupFinish, setupSkip:
		if s.switched {
			// The desk now opens another ledger: ui/cli's console reopens
			// on it (the service built here writes to the old one).
			m.switchLedger = true
			if s.res.src == keys.SourceMemory && s.res.secrets != nil {
				m.carryKey = s.res.secrets
			}
			return tea.Batch(cmd, tea.Quit)
		}
	}
	switch out {
	case setupFinish:
		if s.res.svc != nil {
			m.c.Svc, m.c.Secrets = s.res.svc, s.res.secrets
		}
		m.setup = nil
		m.switchToTab(TabPayin)
		if !m.c.Svc.Online() {
			m.switchToTab(TabHistory)
		}
		return tea.Batch(cmd, m.layout(), m.refreshBalance(), m.broadcast(common.ServiceChangedMsg{}))
	case setupSkip:
		m.setup = nil
		m.switchToTab(TabHistory)
		m.setStatus(common.StatusWarn, m.c.T.T("setup.skipped"))
		return tea.Batch(cmd, m.layout())
	}
	return cmd
}

func (m *Model) switchToTab(t Tab) {
	for i, x := range m.tabs {
		if x == t {
			m.active = i
		}
	}
}

func (s *setupModel) update(msg tea.Msg) (tea.Cmd, setupOutcome) {
	km := s.c.Keys
	switch msg := msg.(type) {
	case setupDoneMsg:
		s.saving = false
		s.res = msg
		if msg.ledgerErr != nil {
			s.state = setupForm
			return s.ledgerRefused(msg.ledgerLoc, msg.ledgerErr), setupStay
		}
		if msg.switched {
			s.switched, s.createOK = true, ""
			s.ledger.Location, s.ledger.From = msg.ledgerLoc, config.FromLedger
			s.ledgerShown = safe.Line(store.Redact(msg.ledgerLoc))
			s.inputs[setupLedger].SetValue(s.ledgerShown)
			s.inputs[setupDBPassword].SetValue("") // kept (or not): not in the form
		}
		if msg.saveErr != nil {
			s.state = setupForm
			return nil, setupStay
		}
		if msg.keyErr != nil && !errors.Is(msg.keyErr, keys.ErrNoKeyring) {
			// The key was refused before being stored: back to the form,
			// what was typed is kept.
			s.state = setupForm
			s.errs[setupPrivate] = msg.keyErr.Error()
			return s.setFocus(setupPrivate), setupStay
		}
		s.state = setupResult
		s.inputs[setupPrivate].SetValue("") // stored; not kept in the form
		return nil, setupStay
	case tea.KeyMsg:
		switch s.state {
		case setupSaving:
			return nil, setupStay
		case setupResult:
			switch {
			case key.Matches(msg, km.Submit):
				return nil, setupFinish
			case key.Matches(msg, km.Back):
				s.state = setupForm
				return s.setFocus(setupPrivate), setupStay
			}
			return nil, setupStay
		}
		switch {
		case key.Matches(msg, km.Submit):
			return s.submit(), setupStay
		case key.Matches(msg, km.Back):
			return nil, setupSkip
		case msg.Type == tea.KeyTab || msg.Type == tea.KeyDown:
			return s.focusFrom(s.focus+1, 1), setupStay
		case msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyUp:
			return s.focusFrom(s.focus-1, -1), setupStay
		}
		s.errs[s.focus] = ""
		var cmd tea.Cmd
		s.inputs[s.focus], cmd = s.inputs[s.focus].Update(msg)
		return cmd, setupStay
	}
	var cmd tea.Cmd
	s.inputs[s.focus], cmd = s.inputs[s.focus].Update(msg)
	return cmd, setupStay
}

func (s *setupModel) submit() tea.Cmd {
	t := s.c.T
	pub := strings.TrimSpace(s.inputs[setupPublic].Value())
	priv := s.inputs[setupPrivate].Value()
	base := strings.TrimSpace(s.inputs[setupBase].Value())
	if base == "" {
		base = client.DefaultBaseURL
		s.inputs[setupBase].SetValue(base)
	}
	s.errs = [setupFields]string{}
	if e := settings.ValidatePublicKey(pub); e != nil {
		s.errs[setupPublic] = e.Text(t)
	}
	if _, err := keys.New(pub).Validate(priv); err != nil {
		s.errs[setupPrivate] = err.Error()
	}
	if e := settings.ValidateBaseURL(base); e != nil {
		s.errs[setupBase] = e.Text(t)
	}
	loc, dbpw, change := s.ledgerChoice()
	for i, e := range s.errs {
		if e != "" {
			return s.setFocus(i)
		}
	}
	s.state, s.saving = setupSaving, true
	db, connect, ctx := s.c.Store, s.connect, s.c.Ctx
	open, keep, def := s.ledger.Open, s.ledger.KeepPassword, s.ledger.Default
	create := change && loc == s.createOK
	if ctx == nil {
		ctx = context.Background()
	}
	return func() tea.Msg {
		var out setupDoneMsg
		if change {
			// The ledger first: one that cannot be opened gets nothing.
			out.ledgerLoc = loc
			ndb, err := open(loc, dbpw, create)
			if err != nil {
				out.ledgerErr = err
				return out
			}
			defer ndb.Close() // the console reopens it when the screen is left
			db = ndb
		}
		if db == nil {
			out.saveErr = errors.New("no ledger")
			return out
		}
		if err := db.SetSetting(common.SettingPublicKey, pub); err != nil {
			out.saveErr = err
			return out
		}
		if err := db.SetSetting(common.SettingBaseURL, base); err != nil {
			out.saveErr = err
			return out
		}
		if change {
			if err := rememberLedger(db, loc, def); err != nil {
				out.saveErr = err
				return out
			}
			out.switched = true
			if dbpw != "" && keep != nil {
				out.pwAccount, out.pwErr = keep(dbpw)
			}
		}
		if connect != nil {
			out.svc, out.secrets = connect(pub, base)
		} else {
			out.secrets = keys.New(pub)
		}
		out.src, out.keyErr = out.secrets.Set(ctx, priv)
		if out.keyErr != nil && !errors.Is(out.keyErr, keys.ErrNoKeyring) {
			return out
		}
		if out.svc == nil {
			out.noCheck = true
			return out
		}
		start := time.Now()
		cctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		out.balance, out.balErr = out.svc.Balance(cctx)
		out.checkDur = time.Since(start)
		return out
	}
}

// labelWidth is the setup form's label column; labelWidthLedger with the
// ledger's fields ("Database password").
const (
	labelWidth       = 14
	labelWidthLedger = 18
)

func (s *setupModel) View() string {
	st := s.c.Styles
	t := s.c.T
	lines := []string{"", " " + t.T("setup.intro"), ""}
	labels := []string{t.T("setup.public_key"), t.T("setup.private_key"), t.T("setup.base_url"),
		t.T("setup.ledger"), t.T("setup.db_password")}
	lw := s.labelW()
	indent := strings.Repeat(" ", lw+3)
	focusTop, focusEnd := 0, 0
	for i, in := range s.inputs {
		if !s.shown(i) {
			continue
		}
		ls := st.Label
		mark := "  "
		if i == s.focus && s.state == setupForm {
			ls, mark = st.FocusedLabel, "▸ "
			focusTop = len(lines)
		}
		lines = append(lines, mark+ls.Render(padRight(labels[i], lw))+" "+in.View())
		if i == setupBase && s.errs[i] == "" {
			if note := s.baseNote(); note != "" {
				lines = append(lines, indent+st.Hint.Render(note))
			}
		}
		if (i == setupLedger || i == setupDBPassword) && s.errs[i] == "" {
			// Said whole, wrapped: how to fix a ledger is in these words.
			for _, l := range strings.Split(components.Wrap(s.ledgerNote(i), max(10, s.w-lw-4)), "\n") {
				lines = append(lines, indent+st.Hint.Render(l))
			}
		}
		if s.errs[i] != "" && (i == setupLedger || i == setupDBPassword) {
			for _, l := range strings.Split(components.Wrap("✘ "+s.errs[i], max(10, s.w-lw-4)), "\n") {
				lines = append(lines, indent+st.Error.Render(l))
			}
		} else if s.errs[i] != "" {
			lines = append(lines, indent+st.Error.Render("✘ "+s.errs[i]))
		}
		if i == s.focus && s.state == setupForm {
			focusEnd = len(lines) - 1
		}
	}
	lines = append(lines, "", st.Hint.Width(max(10, s.w-2)).MarginLeft(1).Render(t.T("setup.keyring_note")))
	if s.res.saveErr != nil && s.state == setupForm {
		lines = append(lines, " "+st.Error.Render("✘ "+t.T("setup.save_failed", s.res.saveErr)))
	}
	lines = append(lines, "")
	switch s.state {
	case setupSaving:
		lines = append(lines, " "+st.Pending.Render("… "+t.T("setup.checking")))
	case setupResult:
		lines = append(lines, s.resultLines()...)
	}
	lines = strings.Split(strings.Join(lines, "\n"), "\n") // boxes span lines
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, s.w, "…")
	}
	if s.state != setupForm {
		focusTop, focusEnd = len(lines)-1, len(lines)-1 // the check's outcome, at the bottom
	}
	// In a small window (40×10), keep the field being typed into in sight.
	return components.ScrollTo(strings.Join(lines, "\n"), s.h, focusTop, focusEnd)
}

// baseNote says where the base URL in the field came from when a flag or
// the environment chose it, and that it is not the live API when it is
// not: the header's LIVE badge is about the vendor, this line about the
// address that will be saved.
func (s *setupModel) baseNote() string {
	t := s.c.T
	var parts []string
	if s.baseFrom != "" && strings.TrimSpace(s.inputs[setupBase].Value()) == s.baseOrig {
		parts = append(parts, t.T("setup.from."+string(s.baseFrom)))
	}
	if v := strings.TrimSpace(s.inputs[setupBase].Value()); v != "" && v != client.DefaultBaseURL {
		parts = append(parts, t.T("setup.not_live"))
	}
	return strings.Join(parts, " · ")
}

func (s *setupModel) resultLines() []string {
	st := s.c.Styles
	t := s.c.T
	r := s.res
	wrapW := max(10, s.w-2)
	var out []string
	if r.switched {
		out = append(out, st.Success.Width(wrapW).MarginLeft(1).Render("✔ "+t.T("setup.ledger.switched", safe.Line(store.Redact(r.ledgerLoc)))))
		switch {
		case r.pwErr != nil:
			out = append(out, st.Warning.Width(wrapW).MarginLeft(1).Render("! "+t.T("setup.db_password")+": "+
				t.T("console.dbpw.notkept", safe.Line(r.pwErr.Error()))))
		case r.pwAccount != "":
			out = append(out, " "+st.Success.Render("✔ "+t.T("setup.db_password")+": "+
				t.T("console.dbpw.kept", "coolpay-db", safe.Line(r.pwAccount))))
		}
	}
	if errors.Is(r.keyErr, keys.ErrNoKeyring) {
		out = append(out, st.Warning.Width(wrapW).MarginLeft(1).Render("! "+t.T("setup.no_keyring")))
	} else {
		out = append(out, " "+st.Success.Render("✔ "+t.T("setup.key_saved")))
	}
	switch {
	case r.noCheck:
		out = append(out, " "+st.Warning.Render("! "+t.T("setup.no_check")))
	case r.balErr != nil:
		out = append(out, st.BigFailure.Padding(0, 2).Render("✘ "+t.T("setup.keys_bad")),
			st.Error.Width(wrapW).MarginLeft(1).Render(components.ErrorText(r.balErr).String(t)),
			" "+st.Hint.Render(t.T("setup.keys_bad_hint")))
	default:
		out = append(out, st.BigSuccess.Padding(0, 2).Render("✔ "+t.T("setup.keys_ok", common.Amount(t, r.balance, ""))))
	}
	next := t.T("setup.continue")
	if r.switched {
		next = t.T("setup.continue_ledger")
	}
	out = append(out, "", " "+st.Hint.Render(next))
	return out
}

func (s *setupModel) ShortHelp() []key.Binding {
	km := s.c.Keys
	t := s.c.T
	switch s.state {
	case setupSaving:
		return nil
	case setupResult:
		return []key.Binding{common.Help(km.Submit, t.T("setup.help.continue")), common.Help(km.Back, t.T("setup.help.edit"))}
	}
	return []key.Binding{km.NextField, common.Help(km.Submit, t.T("setup.help.save")), common.Help(km.Back, t.T("setup.help.skip"))}
}

func (s *setupModel) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
