package common

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

// Relabel rewrites the help text of every binding in the translator's
// language. The root calls it at start and whenever the language changes, so
// screens that build help from c.Keys show translated labels.
func Relabel(km *KeyMap, t *i18n.Translator) {
	set := func(b *key.Binding, id string) { b.SetHelp(KeyName(t, b.Help().Key), t.T("app.key."+id)) }
	set(&km.NextTab, "next_tab")
	set(&km.PrevTab, "prev_tab")
	set(&km.NextField, "next_field")
	set(&km.PrevField, "prev_field")
	set(&km.Submit, "submit")
	set(&km.Back, "back")
	set(&km.Quit, "quit")
	set(&km.Help, "help")
	set(&km.Up, "up")
	set(&km.Down, "down")
	set(&km.PageUp, "page_up")
	set(&km.PageDown, "page_down")
	set(&km.Refresh, "refresh")
	set(&km.Reconcile, "reconcile")
	set(&km.Filter, "filter")
	set(&km.Search, "search")
	set(&km.Export, "export")
	set(&km.Details, "details")
	set(&km.Copy, "copy")
	set(&km.Confirm, "confirm")
	set(&km.Cancel, "cancel")
	set(&km.Override, "override")
	set(&km.NewTx, "new")
	set(&km.Balance, "balance")
	set(&km.Left, "left")
	set(&km.Right, "right")
	set(&km.Delete, "delete")
	set(&km.NextScreen, "next_screen")
	set(&km.PrevScreen, "prev_screen")
	set(&km.SubmitForm, "submit_form")
	set(&km.Toggle, "toggle")
	set(&km.Attach, "attach")
}

// keyWords are the key names help spells out in words; in French they are
// the words on the keys and in the catalogue's prose ("entrée", "échap"),
// so the help bar and the hints under a form say the same thing.
var keyWords = [...]string{"enter", "esc", "space", "shift", "pgup", "pgdn"}

// KeyName is a binding's key name ("enter", "shift+tab", "n/esc") in t's
// language ("entrée", "maj+tab", "n/échap"). It also takes a name already
// in the other language, so relabelling after a language switch works.
func KeyName(t *i18n.Translator, k string) string {
	en, fr := i18n.New(i18n.EN), i18n.New(i18n.FR)
	var b strings.Builder
	start := 0
	for i := 0; i <= len(k); i++ {
		if i < len(k) && k[i] != '/' && k[i] != '+' {
			continue
		}
		tok := k[start:i]
		for _, w := range keyWords {
			id := "app.keyname." + w
			if tok == en.T(id) || tok == fr.T(id) {
				tok = t.T(id)
				break
			}
		}
		b.WriteString(tok)
		if i < len(k) {
			b.WriteByte(k[i])
		}
		start = i + 1
	}
	return b.String()
}

// Help returns a copy of b with its help text replaced; screens use it for a
// binding whose meaning differs in one state (enter = "save" in a form).
func Help(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// StateStyle is the theme style for a state's label.
func (s *Styles) StateStyle(st store.State) lipgloss.Style {
	switch st {
	case store.StateSuccess:
		return s.Success
	case store.StateFailed, store.StateRejected, store.StateCanceled:
		return s.Failure
	case store.StateUnknown:
		return s.Warning
	}
	return s.Pending
}
