package settings

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/safe"
)

const labelW = 16

// scopeW is the scope column ("shared", "partagé", "desk", "poste").
const scopeW = 7

// itemScope is whose each row's setting is (ui/internal/config's scopes;
// the private key, in this desk's keyring, belongs with the merchant's
// public key).
var itemScope = [numItems]config.Scope{
	itemPublicKey:  config.Shared,
	itemBaseURL:    config.Shared,
	itemPrivateKey: config.Shared,
	itemLang:       config.Desk,
	itemTheme:      config.Desk,
	itemCashier:    config.Desk,
	itemMerchant:   config.Shared,
	itemLedger:     config.Desk,
}

// shown is a stored value as it may be printed (inert, a URL without its
// password, query or fragment), marked when it no longer passes its check.
func (m *Model) shown(k config.Key, v string) string {
	out := config.Show(k, v)
	if err := configError(config.Validate(k, v)); err != nil {
		out += " " + m.c.Styles.Error.Render("✘ "+m.c.T.T("settings.invalid", err.Text(m.c.T)))
	}
	return out
}

// View implements tea.Model.
func (m *Model) View() string {
	st := m.c.Styles
	t := m.c.T
	var lines []string
	lines = append(lines, st.Title.Render(" "+t.T("tab.settings")), "")
	selLine := 0
	row := func(item int, label, value string) {
		mark := "  "
		ls := st.Label
		if item == m.sel {
			mark = "▸ "
			ls = st.FocusedLabel
			selLine = len(lines)
		}
		// Whose the setting is: the merchant's (shared by every desk) or
		// this desk's own.
		scope := st.Muted.Render(fitW(t.T("config.scope."+itemScope[item].String()), scopeW))
		lines = append(lines, mark+ls.Render(fitW(label, labelW))+" "+scope+" "+value)
	}
	na := st.Muted.Render("—")
	pub := na
	if m.publicKey != "" {
		pub = m.shown(config.PublicKey, m.publicKey)
	}
	row(itemPublicKey, t.T("settings.public_key"), pub)
	base := m.baseURL
	if base == "" {
		base = client.DefaultBaseURL + st.Muted.Render(" ("+t.T("settings.default")+")")
	} else {
		base = m.shown(config.BaseURL, base)
	}
	row(itemBaseURL, t.T("settings.base_url"), base)
	row(itemPrivateKey, t.T("settings.private_key"), m.keyLine())
	if m.c.Sandbox {
		// The sandbox's test key is held in memory on purpose: not a
		// missing keyring worth a warning.
		lines = append(lines, strings.Repeat(" ", labelW+3)+st.Muted.Render(t.T("settings.key.sandbox")))
	} else if k := m.keyStatus; k != nil && !k.KeyringAvailable {
		// Said whole, in the user's words, wrapped to the screen; the
		// keyring's own error (foreign text) only on an inert details line.
		indent, w := strings.Repeat(" ", labelW+3), max(10, m.width-labelW-3)
		for _, l := range strings.Split(components.Wrap(t.T("settings.key.no_keyring"), w), "\n") {
			lines = append(lines, indent+st.Warning.Render(l))
		}
		if k.KeyringError != "" {
			for _, l := range strings.Split(components.Wrap(t.T("keys.no_keyring.details", safe.Line(k.KeyringError)), w), "\n") {
				lines = append(lines, indent+st.Muted.Render(l))
			}
		}
	}
	langName := map[i18n.Lang]string{i18n.EN: "English", i18n.FR: "Français"}[t.Lang()]
	row(itemLang, t.T("settings.lang"), "‹ "+langName+" ›")
	row(itemTheme, t.T("settings.theme"), "‹ "+t.T("settings.theme."+m.theme)+" ›")
	m.deskRows(row)
	lines = append(lines, "")

	switch m.state {
	case stateEdit:
		label := m.editLabel()
		lines = append(lines, "  "+st.FocusedLabel.Render(label))
		// The box is several lines: each is indented (and later cut to
		// the width) on its own, or only its top border would show.
		for _, l := range strings.Split(st.Box.Render(m.input.View()), "\n") {
			lines = append(lines, "  "+l)
		}
		if m.inputErr != "" {
			lines = append(lines, "  "+st.Error.Render("✘ "+m.inputErr))
		} else if m.sel == itemPrivateKey {
			lines = append(lines, "  "+st.Hint.Render(t.T("settings.key.hint")))
		}
	case stateConfirm:
		lines = append(lines, "  "+st.Warning.Bold(true).Render(t.T("settings.key.confirm_delete")))
	default:
		lines = append(lines, "  "+st.Hint.Render(t.T("settings.hint."+[]string{"public_key", "base_url", "private_key", "lang", "theme", "cashier", "merchant", "ledger"}[m.sel])),
			"  "+st.Muted.Render(t.T("settings.scope."+itemScope[m.sel].String())))
		if w := m.storedWhere(); w != "" {
			lines = append(lines, "  "+st.Muted.Render(w))
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = ansi.Truncate(l, m.width, "…")
	}
	// In a small window (40×10) keep the selected row, or the box being
	// typed into at the bottom, in sight.
	focus := selLine
	if m.state != stateBrowse {
		focus = len(out) - 1
	}
	return components.ScrollTo(strings.Join(out, "\n"), m.height, focus, focus)
}

// keyLine says whether a private key is set and where it comes from; the key
// itself is never shown.
func (m *Model) keyLine() string {
	st := m.c.Styles
	t := m.c.T
	switch {
	case m.c.Secrets == nil:
		return st.Muted.Render(t.T("settings.key.no_public"))
	case m.working && m.workingFor == itemPrivateKey:
		return st.Pending.Render("… " + t.T("settings.key.working"))
	case m.keyStatus == nil:
		return st.Muted.Render("…")
	case !m.keyStatus.Set:
		return st.Warning.Render("✘ " + t.T("settings.key.not_set"))
	}
	src := map[keys.Source]string{
		keys.SourceKeyring: t.T("settings.key.src_keyring"),
		keys.SourceEnv:     t.T("settings.key.src_env"),
		keys.SourceMemory:  t.T("settings.key.src_memory"),
	}[m.keyStatus.Source]
	return st.Success.Render("✔ "+t.T("settings.key.set")) + st.Muted.Render(" ("+src+")")
}

func fitW(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	return s + strings.Repeat(" ", max(0, w-lipgloss.Width(s)))
}

// storedWhere says, on a ledger several desks share, where the selected
// setting is kept: the shared database, or this desk's settings file (""
// on a ledger file, which is the desk's own, and for the private key, in
// the keyring).
func (m *Model) storedWhere() string {
	db := m.c.Store
	if db == nil || !db.Shared() || m.sel == itemPrivateKey {
		return ""
	}
	if f, ok := db.Local().(*config.DeskFile); ok && itemScope[m.sel] == config.Desk {
		return m.c.T.T("settings.where.desk", safe.Line(f.Path))
	}
	return m.c.T.T("settings.where.shared")
}
