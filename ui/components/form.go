package components

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// Kind says whether a field is typed into or chosen from options.
type Kind int

const (
	KindText Kind = iota
	KindChoice
)

// Option is one value of a choice field. Label is a catalogue key; a key
// missing from the catalogue is shown as is (so "XAF" can be its own label).
type Option struct{ Value, Label string }

// Field is one labelled line of a form.
type Field struct {
	Name        string // stable id; the JSON field name validation errors refer to
	Label       string // catalogue key
	Placeholder string // catalogue key or literal
	Kind        Kind
	Options     []Option
	Input       textinput.Model
	Err         Text // shown under the field
	Note        Text // shown after the value (e.g. the operator guessed from a phone)
	Hidden      bool // not shown, skipped by navigation, not submitted
	Width       int  // columns of the input; 0 fills the line

	choice int
}

// TextField makes a text field; limit 0 means no limit.
func TextField(name, label, placeholder string, limit int) *Field {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	// A static cursor: no blink ticks waking the program, stable golden files.
	in.Cursor.SetMode(cursor.CursorStatic)
	f := &Field{Name: name, Label: label, Placeholder: placeholder, Kind: KindText, Input: in}
	if limit > 0 && limit <= 32 {
		f.Width = limit + 1 // short values (amounts, phones) keep their note close
	}
	return f
}

// ChoiceField makes a field choosing among opts (the first is the default).
func ChoiceField(name, label string, opts ...Option) *Field {
	return &Field{Name: name, Label: label, Kind: KindChoice, Options: opts}
}

// Value is the trimmed text, or the chosen option's value.
func (f *Field) Value() string {
	if f.Kind == KindChoice {
		if len(f.Options) == 0 {
			return ""
		}
		return f.Options[f.choice].Value
	}
	return strings.TrimSpace(f.Input.Value())
}

// SetValue sets the text, or chooses the option with that value.
func (f *Field) SetValue(v string) {
	if f.Kind == KindChoice {
		for i, o := range f.Options {
			if o.Value == v {
				f.choice = i
			}
		}
		return
	}
	f.Input.SetValue(v)
	f.Input.CursorEnd()
}

// Form is a column of fields with one focused, inline errors under the
// fields and one form-level error. It keeps what was typed until Reset.
type Form struct {
	Fields []*Field
	Err    Text // a form-level message (server refusal, offline…)
	Width  int

	focus int
	// focusTop and focusEnd are the lines of the focused field (its
	// error included) in the last View, for ScrollTo.
	focusTop, focusEnd int
}

// NewForm focuses the first visible field.
func NewForm(fields ...*Field) *Form {
	f := &Form{Fields: fields, focus: -1}
	f.focusIndex(f.firstVisible())
	return f
}

// Field returns the named field, or nil.
func (f *Form) Field(name string) *Field {
	for _, fl := range f.Fields {
		if fl.Name == name {
			return fl
		}
	}
	return nil
}

// Value is the named field's value ("" for hidden or unknown fields).
func (f *Form) Value(name string) string {
	fl := f.Field(name)
	if fl == nil || fl.Hidden {
		return ""
	}
	return fl.Value()
}

// Focused is the field with focus.
func (f *Form) Focused() *Field {
	if f.focus < 0 || f.focus >= len(f.Fields) {
		return nil
	}
	return f.Fields[f.focus]
}

// FocusedText reports whether a text input has focus.
func (f *Form) FocusedText() bool {
	fl := f.Focused()
	return fl != nil && fl.Kind == KindText
}

// Focus moves focus to the named field.
func (f *Form) Focus(name string) {
	for i, fl := range f.Fields {
		if fl.Name == name && !fl.Hidden {
			f.focusIndex(i)
			return
		}
	}
}

func (f *Form) focusIndex(i int) {
	if cur := f.Focused(); cur != nil {
		cur.Input.Blur()
	}
	f.focus = i
	if cur := f.Focused(); cur != nil && cur.Kind == KindText {
		cur.Input.Focus()
	}
}

func (f *Form) firstVisible() int {
	for i, fl := range f.Fields {
		if !fl.Hidden {
			return i
		}
	}
	return -1
}

func (f *Form) step(d int) {
	n := len(f.Fields)
	for k := 1; k <= n; k++ {
		i := ((f.focus+d*k)%n + n) % n
		if !f.Fields[i].Hidden {
			f.focusIndex(i)
			return
		}
	}
}

// Next focuses the next visible field (wrapping).
func (f *Form) Next() { f.step(1) }

// Prev focuses the previous visible field (wrapping).
func (f *Form) Prev() { f.step(-1) }

// OnLast reports whether focus is on the last visible field.
func (f *Form) OnLast() bool {
	for i := len(f.Fields) - 1; i >= 0; i-- {
		if !f.Fields[i].Hidden {
			return i == f.focus
		}
	}
	return true
}

// Refocus moves focus off a field that became hidden.
func (f *Form) Refocus() {
	if cur := f.Focused(); cur == nil || cur.Hidden {
		f.focusIndex(f.firstVisible())
	}
}

// ClearErrors removes every inline and form-level error.
func (f *Form) ClearErrors() {
	f.Err = Text{}
	for _, fl := range f.Fields {
		fl.Err = Text{}
	}
}

// SetError shows msg under the named visible field and focuses it; it
// reports false when there is no such field (the caller shows it form-level).
func (f *Form) SetError(name string, msg Text) bool {
	fl := f.Field(name)
	if fl == nil || fl.Hidden {
		return false
	}
	fl.Err = msg
	f.Focus(name)
	return true
}

// HasErrors reports whether any error is shown.
func (f *Form) HasErrors() bool {
	if !f.Err.IsZero() {
		return true
	}
	for _, fl := range f.Fields {
		if !fl.Err.IsZero() {
			return true
		}
	}
	return false
}

// Reset empties every text field, resets choices and errors, focuses the first field.
func (f *Form) Reset() {
	for _, fl := range f.Fields {
		fl.Input.SetValue("")
		fl.choice = 0
		fl.Err = Text{}
		fl.Note = Text{}
	}
	f.Err = Text{}
	f.focusIndex(f.firstVisible())
}

// Update gives a key to the focused field: a choice field changes with
// Left, Right and Toggle, a text field takes everything else (so letters never reach
// shortcuts). Navigation and submission are the screen's business.
func (f *Form) Update(msg tea.KeyMsg, keys *common.KeyMap) tea.Cmd {
	fl := f.Focused()
	if fl == nil {
		return nil
	}
	if fl.Kind == KindChoice {
		if key.Matches(msg, keys.Left, keys.Right, keys.Toggle) && len(fl.Options) > 0 {
			d := 1
			if key.Matches(msg, keys.Left) {
				d = -1
			}
			fl.choice = (fl.choice + d + len(fl.Options)) % len(fl.Options)
			fl.Err = Text{}
		}
		return nil
	}
	before := fl.Input.Value()
	var cmd tea.Cmd
	fl.Input, cmd = fl.Input.Update(msg)
	if fl.Input.Value() != before {
		fl.Err = Text{} // the cashier is correcting it
	}
	// The input drops what goes past its limit without a word: a pasted
	// reason or e-mail would be sent cut short. Say so.
	if limit := fl.Input.CharLimit; limit > 0 && msg.Type == tea.KeyRunes {
		n := len([]rune(fl.Input.Value()))
		if n >= limit && n-len([]rune(before)) < len(msg.Runes) {
			fl.Err = T("form.cut", limit)
		}
	}
	return cmd
}

// maxLabelWidth bounds the label column; longer labels are cut with "…".
const maxLabelWidth = 28

// View draws the form; the focused field is marked by a "›" as well as by colour.
func (f *Form) View(st *common.Styles, t *i18n.Translator) string {
	var b strings.Builder
	// The label column fits the longest label in the current language.
	labelWidth := 0
	for _, fl := range f.Fields {
		if !fl.Hidden {
			labelWidth = max(labelWidth, lipgloss.Width(t.T(fl.Label)))
		}
	}
	labelWidth = min(labelWidth+3, maxLabelWidth)
	valueW := f.Width - labelWidth - 2
	if valueW < 16 {
		valueW = 16
	}
	line := 0
	for i, fl := range f.Fields {
		if fl.Hidden {
			continue
		}
		focused := i == f.focus
		if focused {
			f.focusTop = line
		}
		mark, ls := "  ", st.Label
		if focused {
			mark, ls = "› ", st.FocusedLabel
		}
		label := ls.Render(truncate(t.T(fl.Label), labelWidth-3))
		label = lipgloss.NewStyle().Width(labelWidth - 2).Render(label)
		note := ""
		if !fl.Note.IsZero() {
			note = "  " + st.Pending.Render(fl.Note.String(t))
		}
		var value string
		if fl.Kind == KindChoice {
			value = choiceView(st, t, fl, focused)
		} else {
			in := fl.Input
			// Leave room for the note and the cursor cell.
			in.Width = max(valueW-lipgloss.Width(note)-1, 8)
			if fl.Width > 0 && fl.Width < in.Width {
				in.Width = fl.Width
			}
			if fl.Placeholder != "" {
				in.Placeholder = Placeholder(t, fl.Placeholder)
			}
			in.PlaceholderStyle = st.Hint
			value = in.View()
		}
		value += note
		b.WriteString(mark + label + value + "\n")
		line++
		if !fl.Err.IsZero() {
			msg := "✘ " + fl.Err.String(t)
			if f.Width > labelWidth+10 {
				msg = wrap(msg, f.Width-labelWidth)
			}
			for _, l := range strings.Split(msg, "\n") {
				b.WriteString(strings.Repeat(" ", labelWidth) + st.Error.Render(strings.TrimRight(l, " ")) + "\n")
				line++
			}
		}
		if focused {
			f.focusEnd = line - 1
		}
	}
	if !f.Err.IsZero() {
		b.WriteString("\n" + st.Error.Render(wrap("✘ "+f.Err.String(t), f.Width)) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// FocusLines are the first and last lines of the focused field (with its
// error) in the output of the last View.
func (f *Form) FocusLines() (top, end int) { return f.focusTop, f.focusEnd }

// ScrollTo cuts view to h lines that include lines top..end (a focused
// field), so a form taller than a small window (40×10) follows the focus
// instead of losing it below the fold. A view that fits is returned whole.
func ScrollTo(view string, h, top, end int) string {
	lines := strings.Split(view, "\n")
	if h <= 0 || len(lines) <= h {
		return view
	}
	start := 0
	if end >= h {
		start = end - h + 1
	}
	start = max(0, min(start, top, len(lines)-h))
	return strings.Join(lines[start:start+h], "\n")
}

// Placeholder is how a field's placeholder reads: in parentheses, and
// "e.g. …" for a literal example, so that without colour or faint text
// (NO_COLOR, TERM=dumb) it never looks like a value typed in. p is a
// catalogue key ("form.optional" → "(optional)") or a literal example
// ("1500" → "(e.g. 1500)").
func Placeholder(t *i18n.Translator, p string) string {
	if p == "" {
		return ""
	}
	s := t.T(p)
	if s == p {
		s = t.T("form.example", p)
	}
	return "(" + s + ")"
}

func choiceView(st *common.Styles, t *i18n.Translator, fl *Field, focused bool) string {
	parts := make([]string, len(fl.Options))
	for i, o := range fl.Options {
		if i == fl.choice {
			s := "● " + t.T(o.Label)
			if focused {
				parts[i] = st.FocusedLabel.Render(s)
			} else {
				parts[i] = st.Input.Render(s)
			}
			continue
		}
		parts[i] = st.Muted.Render("○ " + t.T(o.Label))
	}
	out := strings.Join(parts, "  ")
	if focused {
		out = "‹ " + out + " ›"
	}
	return out
}

func truncate(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// Wrap fits s into lines of width w (no-op when w is not known yet).
func Wrap(s string, w int) string { return wrap(s, w) }

func wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return lipgloss.NewStyle().Width(w).Render(s)
}
