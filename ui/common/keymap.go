package common

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every binding of the console in one place. Screens enable and
// disable bindings per state so help lists only what works now.
type KeyMap struct {
	NextTab, PrevTab                                    key.Binding
	NextField, PrevField                                key.Binding
	Submit, Back, Quit, Help                            key.Binding
	Up, Down, PageUp, PageDown                          key.Binding
	Refresh, Reconcile, Filter, Search, Export, Details key.Binding
	Copy, Confirm, Cancel, Override, NewTx, Balance     key.Binding
	// Left and Right move between the values of a filter bar or a choice.
	Left, Right key.Binding
	// Delete removes the selected thing (Settings: the private key).
	Delete key.Binding
	// NextScreen and PrevScreen (tab, shift+tab) switch screens when no
	// text field has the keys; in a form the same keys move between fields.
	NextScreen, PrevScreen key.Binding
	// SubmitForm sends a payment form from any field (enter does so only on
	// the last one); Toggle changes a choice field, like Left and Right.
	SubmitForm, Toggle key.Binding
	// Attach gives a record without a reference (an UNKNOWN) the
	// transaction_ref a person found in the merchant area (History detail).
	Attach key.Binding
}

// DefaultKeyMap returns the bindings with English help; the root re-labels
// help text through the translator.
//
// F1 is help, the key users and terminals expect for it: it works even in an
// amount field, where "?" would be typed ("?" still opens the help where no
// field takes the keys). So the previous screen's function key is F3.
func DefaultKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		NextTab:    b([]string{"ctrl+right", "f2"}, "ctrl+→/F2", "next screen"),
		PrevTab:    b([]string{"ctrl+left", "f3"}, "ctrl+←/F3", "previous screen"),
		NextField:  b([]string{"tab", "down"}, "tab", "next field"),
		PrevField:  b([]string{"shift+tab", "up"}, "shift+tab", "previous field"),
		Submit:     b([]string{"enter"}, "enter", "submit"),
		Back:       b([]string{"esc"}, "esc", "back"),
		Quit:       b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:       b([]string{"f1", "?"}, "F1", "help"),
		Up:         b([]string{"up", "k"}, "↑/k", "up"),
		Down:       b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:     b([]string{"pgup"}, "pgup", "previous page"),
		PageDown:   b([]string{"pgdown"}, "pgdn", "next page"),
		Refresh:    b([]string{"r"}, "r", "refresh status"),
		Reconcile:  b([]string{"R"}, "R", "reconcile pending"),
		Filter:     b([]string{"f"}, "f", "filter"),
		Search:     b([]string{"/"}, "/", "search"),
		Export:     b([]string{"x"}, "x", "export CSV"),
		Details:    b([]string{"enter"}, "enter", "details"),
		Copy:       b([]string{"c"}, "c", "copy link"),
		Confirm:    b([]string{"y"}, "y", "confirm"),
		Cancel:     b([]string{"n", "esc"}, "n/esc", "cancel"),
		Override:   b([]string{"O"}, "O", "override & resend"),
		NewTx:      b([]string{"ctrl+n"}, "ctrl+n", "new"),
		Balance:    b([]string{"ctrl+b"}, "ctrl+b", "refresh balance"),
		Left:       b([]string{"left", "h"}, "←/h", "previous"),
		Right:      b([]string{"right", "l"}, "→/l", "next"),
		Delete:     b([]string{"d"}, "d", "delete"),
		NextScreen: b([]string{"tab"}, "tab", "next screen"),
		PrevScreen: b([]string{"shift+tab"}, "shift+tab", "previous screen"),

		SubmitForm: b([]string{"ctrl+s"}, "ctrl+s", "send"),
		Toggle:     b([]string{" "}, "space", "change"),
		Attach:     b([]string{"a"}, "a", "attach a reference"),
	}
}
