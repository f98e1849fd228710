// Package pay holds the three screens that move money: Payin (mobile money
// driven by the cashier, with OTP when asked), Paylink (a hosted checkout URL
// shown as a QR code) and Payout (money out, behind a typed confirmation).
//
// Every screen is a small state machine. Requests to ui/core run only in
// tea.Cmd closures and carry the screen's request id; an answer whose id is
// no longer current (the cashier left that state) is not shown, only routed
// to the background follower and History.
package pay

import (
	"context"
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// JSON field names: form fields are named after them so a
// *client.ValidationError lands next to the field it is about.
const (
	fAmount   = "transaction_amount"
	fCurrency = "transaction_currency"
	fReason   = "transaction_reason"
	fOperator = "transaction_operator"
	fPhone    = "customer_phone_number"
	fName     = "customer_name"
	fEmail    = "customer_email"
	fUsername = "customer_username"
	fLang     = "customer_lang"
	fCode     = "code"
)

func ctxOf(c *common.Common) context.Context {
	if c.Ctx != nil {
		return c.Ctx
	}
	return context.Background()
}

// online reports whether requests can be sent at all.
func online(c *common.Common) bool { return c.Svc != nil && c.Svc.Online() }

// ready clears f's messages, then checks what the form would send (validate
// is pure) and that a service is configured. On a problem it marks the form
// and reports false: nothing is sent and what was typed stays.
func ready(f *components.Form, c *common.Common, validate func() error) bool {
	f.ClearErrors()
	if err := validate(); err != nil {
		showError(f, err)
		return false
	}
	if !online(c) {
		f.Err = components.T("err.offline")
		return false
	}
	return true
}

// showError puts err next to its field, or at the form level when no field
// matches (a server refusal, offline, a ledger error).
func showError(f *components.Form, err error) {
	txt := components.ErrorText(err)
	var ve *client.ValidationError
	if errors.As(err, &ve) {
		if f.SetError(ve.Field, txt) {
			return
		}
		if ve.Code == client.CodeRecipientRequired && f.SetError(fPhone, txt) {
			return
		}
	}
	f.Err = txt
}

// formKey handles a key in a form: navigation, submission, or the focused
// field. It reports whether the form should be submitted.
func formKey(f *components.Form, keys *common.KeyMap, msg tea.KeyMsg) (submit bool, cmd tea.Cmd) {
	switch {
	case key.Matches(msg, keys.SubmitForm):
		return true, nil
	case key.Matches(msg, keys.Submit):
		if f.OnLast() {
			return true, nil
		}
		f.Next()
	case key.Matches(msg, keys.NextField):
		f.Next()
	case key.Matches(msg, keys.PrevField):
		f.Prev()
	default:
		return false, f.Update(msg, keys)
	}
	return false, nil
}

// formHelp lists the bindings that work in a form right now.
// send is the catalogue key saying what submitting does.
func formHelp(f *components.Form, keys *common.KeyMap, t *i18n.Translator, send string) []key.Binding {
	out := []key.Binding{
		helpKey(keys.NextField, t.T("form.key.next")),
		helpKey(keys.PrevField, t.T("form.key.prev")),
	}
	if fl := f.Focused(); fl != nil && fl.Kind == components.KindChoice {
		ks := append(append(append([]string{}, keys.Left.Keys()...), keys.Right.Keys()...), keys.Toggle.Keys()...)
		out = append(out, key.NewBinding(key.WithKeys(ks...), key.WithHelp("←/→/"+keys.Toggle.Help().Key, t.T("form.key.change"))))
	}
	if f.OnLast() {
		out = append(out, helpKey(keys.Submit, t.T(send)))
	} else {
		out = append(out, helpKey(keys.Submit, t.T("form.key.next_enter")))
	}
	return append(out, helpKey(keys.SubmitForm, t.T(send)))
}

// spin is a spinner that ticks only while a screen waits for something.
type spin struct {
	m       spinner.Model
	ticking bool
}

func newSpin() spin { return spin{m: spinner.New(spinner.WithSpinner(spinner.Dot))} }

// start returns the first tick unless ticks are already flowing.
func (s *spin) start() tea.Cmd {
	if s.ticking {
		return nil
	}
	s.ticking = true
	return s.m.Tick
}

// update advances the spinner while active; otherwise it lets the ticks die.
func (s *spin) update(msg spinner.TickMsg, active bool) tea.Cmd {
	if msg.ID != s.m.ID() {
		return nil
	}
	if !active {
		s.ticking = false
		return nil
	}
	var cmd tea.Cmd
	s.m, cmd = s.m.Update(msg)
	return cmd
}

func (s *spin) view() string { return s.m.View() }

// status asks the root to show a line in the status bar.
func status(kind common.StatusKind, text string) tea.Cmd {
	return func() tea.Msg { return common.StatusMsg{Kind: kind, Text: text} }
}

// clearStatus asks the root to drop a status line about record id (the
// follower's "#3 payin: ✔ success"): the screen is leaving that result for
// a fresh form. nil for no record.
func clearStatus(id uint64) tea.Cmd {
	if id == 0 {
		return nil
	}
	return msgCmd(common.ClearStatusMsg{Record: id})
}

func msgCmd(m tea.Msg) tea.Cmd { return func() tea.Msg { return m } }

// followable reports whether the background follower can poll rec.
func followable(rec store.Record) bool {
	return rec.ID != 0 && rec.TransactionRef != "" && !components.Final(rec.State) && rec.State != store.StateUnknown
}

// routeLate hands an answer for a state the cashier has left to the
// follower and History, and says so on the status line; it never changes
// what the screen shows.
func routeLate(t *i18n.Translator, rec store.Record) tea.Cmd {
	if rec.ID == 0 {
		return nil
	}
	cmds := []tea.Cmd{msgCmd(common.LedgerChangedMsg{})}
	if followable(rec) {
		cmds = append(cmds, msgCmd(common.FollowMsg{ID: rec.ID}))
	}
	cmds = append(cmds, status(common.StatusInfo,
		t.T("form.late_answer", t.T("form.type."+strings.ToLower(string(rec.Type))), common.Amount(t, rec.Amount, rec.Currency), components.Headline(t, rec.State))))
	return tea.Batch(cmds...)
}

// money formats an amount for reading in t's language, as every screen
// and command does (common.Amount): "1 500 XAF", "10,50 EUR" in French;
// "—" when there is none yet.
func money(t *i18n.Translator, amount, currency string) string {
	if amount == "" {
		return "—"
	}
	return common.Amount(t, amount, currency)
}

// operatorGuess names the operator of a phone being typed ("Orange",
// "MTN"); errors while typing are ignored.
func operatorGuess(phone string) string {
	if strings.TrimSpace(phone) == "" {
		return ""
	}
	n, err := client.NormalizePhone(phone)
	if err != nil {
		return ""
	}
	switch client.PhoneOperator(n) {
	case client.OperatorOM:
		return "Orange"
	case client.OperatorMoMo:
		return "MTN"
	}
	return ""
}

// sandboxRules is the line that tells, on the sandbox only, how to get each
// outcome on this screen (client/sandbox's test rules); "" otherwise.
func sandboxRules(c *common.Common, screen string, width int) string {
	if !c.Sandbox {
		return ""
	}
	return "\n" + c.Styles.Warning.Render(components.Wrap(c.T.T("sandbox.rules."+screen), width))
}

// title renders a screen title and an optional muted detail on one line.
func title(st *common.Styles, head, detail string) string {
	if detail == "" {
		return st.Title.Render(head)
	}
	return st.Title.Render(head) + st.Muted.Render("  ·  "+detail)
}

// heading is a screen title with the payment it is about (amount, who):
// on one line when it fits the width, else the detail on its own line(s),
// wrapped, never cut — in a small window it is what must stay readable.
func heading(st *common.Styles, head, detail string, width int) string {
	one := title(st, head, detail)
	if detail == "" || width <= 0 || lipgloss.Width(one) <= width {
		return one
	}
	return st.Title.Render(components.Wrap(head, width)) + "\n" + st.Muted.Render(components.Wrap(detail, width))
}

// pinned draws head (who and how much) and body in the screen's h lines,
// body scrolled from *off (components.Pin); *off is clamped to the body.
func pinned(c *common.Common, head, body string, h int, off *int) string {
	v, o := components.Pin(c.T, c.Styles, head, body, h, *off)
	*off = o
	return v
}

// unknownHint says how to settle a payment whose outcome is unknown, with
// the record's own reference: ask the API from History (r) when there is a
// transaction_ref, else find it in the merchant's dashboard and attach it
// (a) — one next step, as the batch screen gives for each of its lines.
func unknownHint(t *i18n.Translator, r store.Record) string {
	if r.TransactionRef != "" {
		return t.T("result.unknown_how", safe.Line(r.TransactionRef))
	}
	return t.T("result.unknown_how_noref", safe.Line(r.AppRef))
}

// newPaymentKey is ctrl+n and esc as one help entry: on a result screen
// both leave it for a fresh form.
func newPaymentKey(k *common.KeyMap, t *i18n.Translator) key.Binding {
	ks := append(append([]string{}, k.NewTx.Keys()...), k.Back.Keys()...)
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(k.NewTx.Help().Key+"/"+k.Back.Help().Key, t.T("form.key.new")))
}

// helpKey is b with its help text replaced, for a binding whose meaning on
// this screen is more specific than the shared label.
func helpKey(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
