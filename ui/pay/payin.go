package pay

import (
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
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

// MaxOTPAttempts is how many wrong SMS codes the sandbox accepts before it
// fails the transaction (the vendor documents no number). The screen counts
// them locally to tell the cashier how many are left.
const MaxOTPAttempts = 3

type payinState int

const (
	payinForm        payinState = iota
	payinSending                // waiting for POST /payin's answer
	payinOTP                    // waiting for the cashier to type the SMS code
	payinAuthorizing            // waiting for POST /payin/authorize's answer
	payinWaiting                // PENDING: the customer confirms on the phone; followed
	payinResult                 // final, or UNKNOWN
)

// payinAnswerMsg is core.Payin's answer to request id.
type payinAnswerMsg struct {
	id  int
	rec store.Record
	err error
}

// authorizeAnswerMsg is core.Authorize's answer to request id.
type authorizeAnswerMsg struct {
	id  int
	rec store.Record
	err error
}

// Payin takes a mobile-money payment driven by the cashier.
type Payin struct {
	c      *common.Common
	form   *components.Form
	otp    *components.Form
	spin   spin
	state  payinState
	seq    int          // id of the latest request; answers with another id are late
	rec    store.Record // the payin on screen (ID 0 until the first answer)
	wrong  int          // wrong SMS codes typed for rec
	note   components.Text
	off    int // the result's scroll offset in a small window (components.Pin)
	width  int
	height int
	sug    suggester // recent customers matching what is typed (suggest.go)
}

// NewPayin builds the Payin screen.
func NewPayin(c *common.Common) *Payin {
	p := &Payin{c: c, spin: newSpin()}
	p.form = components.NewForm(
		components.TextField(fAmount, "payin.amount", "1500", 16),
		components.TextField(fPhone, "payin.phone", "6XX XX XX XX", 24),
		components.TextField(fName, "form.name", "form.optional", 80),
		components.TextField(fEmail, "form.email", "form.optional", 120),
		components.TextField(fReason, "form.reason", "form.optional", 120),
		components.ChoiceField(fLang, "form.customer_lang",
			components.Option{Value: client.LangFR, Label: "form.lang.fr"},
			components.Option{Value: client.LangEN, Label: "form.lang.en"}),
	)
	p.otp = components.NewForm(components.TextField(fCode, "payin.otp_code", "", 12))
	return p
}

// SetSize sets the area the screen may draw in.
func (p *Payin) SetSize(w, h int) {
	p.width, p.height = w, h
	p.form.Width, p.otp.Width = w, w
}

// Init does nothing: the form waits for the cashier.
func (p *Payin) Init() tea.Cmd { return nil }

// InputFocused is true while the cashier types into a field.
func (p *Payin) InputFocused() bool { return p.state == payinForm || p.state == payinOTP }

// Sending counts the request on its way (common.Sending).
func (p *Payin) Sending() int {
	if p.state == payinSending || p.state == payinAuthorizing {
		return 1
	}
	return 0
}

// Busy is true while a payin is under way on this screen.
func (p *Payin) Busy() bool {
	switch p.state {
	case payinSending, payinOTP, payinAuthorizing, payinWaiting:
		return true
	}
	return false
}

func (p *Payin) input() core.PayinInput {
	f := p.form
	return core.PayinInput{
		Amount: f.Value(fAmount), Phone: f.Value(fPhone), Name: f.Value(fName),
		Email: f.Value(fEmail), Reason: f.Value(fReason), Lang: f.Value(fLang),
	}
}

// Update runs the state machine.
func (p *Payin) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.PayAgainMsg:
		return p, p.payAgain(msg.Record) // again.go
	case suggestTickMsg, suggestMsg:
		return p, p.onSuggest(msg)
	case tea.KeyMsg:
		return p, p.key(msg)
	case spinner.TickMsg:
		return p, p.spin.update(msg, p.state == payinSending || p.state == payinAuthorizing || p.state == payinWaiting)
	case payinAnswerMsg:
		if msg.id != p.seq || p.state != payinSending {
			return p, routeLate(p.c.T, msg.rec)
		}
		return p, p.onPayin(msg.rec, msg.err)
	case authorizeAnswerMsg:
		if msg.id != p.seq || p.state != payinAuthorizing {
			return p, nil // the payin itself is already followed
		}
		return p, p.onAuthorize(msg.rec, msg.err)
	case common.RecordUpdatedMsg:
		return p, p.onRecord(msg.Record)
	}
	return p, nil
}

func (p *Payin) key(msg tea.KeyMsg) tea.Cmd {
	k := p.c.Keys
	switch p.state {
	case payinForm:
		if cmd, ok := p.suggestKey(msg); ok {
			return cmd
		}
		before := p.suggestText()
		submit, cmd := formKey(p.form, k, msg)
		if submit {
			return p.submit()
		}
		return tea.Batch(cmd, p.suggestChanged(before))
	case payinOTP:
		switch {
		case key.Matches(msg, k.Back):
			return p.leave()
		case key.Matches(msg, k.Submit, k.SubmitForm):
			return p.authorize()
		}
		return p.otpKey(msg)
	case payinSending, payinAuthorizing, payinWaiting:
		if key.Matches(msg, k.Back) {
			return p.leave()
		}
	case payinResult:
		if cmd := receiptOn(p.c, p.rec, msg); cmd != nil {
			return cmd
		}
		if off, ok := components.ScrollKey(k, msg, p.off, p.height/2); ok {
			p.off = off
			return nil
		}
		if key.Matches(msg, k.NewTx, k.Back) {
			id := p.rec.ID
			p.reset()
			return clearStatus(id)
		}
	}
	return nil
}

// submit validates locally (pure, nothing sent on bad input) and then sends
// the payin in a cmd.
func (p *Payin) submit() tea.Cmd {
	in := p.input()
	if !ready(p.form, p.c, func() error { _, err := core.PayinRequest(in); return err }) {
		return nil
	}
	p.seq++
	id, svc, ctx := p.seq, p.c.Svc, ctxOf(p.c)
	p.state, p.rec, p.wrong, p.note = payinSending, store.Record{}, 0, components.Text{}
	send := func() tea.Msg {
		rec, err := svc.Payin(ctx, in)
		return payinAnswerMsg{id: id, rec: rec, err: err}
	}
	return tea.Batch(send, p.spin.start())
}

func (p *Payin) onPayin(rec store.Record, err error) tea.Cmd {
	var ve *client.ValidationError
	if errors.As(err, &ve) || rec.ID == 0 {
		// Nothing was stored or sent: back to the form, as typed.
		p.state = payinForm
		showError(p.form, err)
		return nil
	}
	p.rec = rec
	cmds := []tea.Cmd{msgCmd(common.LedgerChangedMsg{})}
	switch {
	case rec.State == store.StateRejected:
		// The server refused it: show its words next to the form, as typed.
		p.state = payinForm
		p.form.Err = components.ErrorText(err)
		if err == nil {
			p.form.Err = components.API(rec.Message)
		}
		p.rec = store.Record{}
	case rec.State == store.StateOTP:
		p.state = payinOTP
		p.otp.Reset()
		cmds = append(cmds, msgCmd(common.FollowMsg{ID: rec.ID}))
	case rec.State == store.StatePending:
		p.state = payinWaiting
		cmds = append(cmds, msgCmd(common.FollowMsg{ID: rec.ID}), p.spin.start())
	default:
		// UNKNOWN (the server may have acted), or already final.
		p.state = payinResult
		if err != nil {
			p.note = components.ErrorText(err)
		}
	}
	return tea.Batch(cmds...)
}

// otpKey types into the SMS-code field, digits only: a letter (or a pasted
// "code: 1234") must not reach the server as a wrong code, which would cost
// the customer one of the attempts.
func (p *Payin) otpKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes {
		return p.otp.Update(msg, p.c.Keys)
	}
	typed := len(msg.Runes)
	var digits []rune
	for _, r := range msg.Runes {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	var cmd tea.Cmd
	if len(digits) > 0 {
		msg.Runes = digits
		cmd = p.otp.Update(msg, p.c.Keys)
	}
	if len(digits) != typed {
		p.otp.SetError(fCode, components.T("payin.otp_digits"))
	}
	return cmd
}

// authorize sends the SMS code typed by the cashier.
func (p *Payin) authorize() tea.Cmd {
	p.otp.ClearErrors()
	code := p.otp.Value(fCode)
	if code == "" {
		p.otp.SetError(fCode, components.T("err.code_required"))
		return nil
	}
	if !online(p.c) {
		p.otp.Err = components.T("err.offline")
		return nil
	}
	p.seq++
	id, svc, ctx, recID := p.seq, p.c.Svc, ctxOf(p.c), p.rec.ID
	p.state = payinAuthorizing
	send := func() tea.Msg {
		rec, err := svc.Authorize(ctx, recID, code)
		return authorizeAnswerMsg{id: id, rec: rec, err: err}
	}
	return tea.Batch(send, p.spin.start())
}

func (p *Payin) onAuthorize(rec store.Record, err error) tea.Cmd {
	if rec.ID == p.rec.ID {
		p.rec = rec
	}
	var api *client.APIError
	var amb *client.AmbiguousError
	var ve *client.ValidationError
	switch {
	case err == nil:
		p.otp.Reset()
		p.state = payinWaiting
		if components.Final(rec.State) {
			p.state = payinResult
		}
		return tea.Batch(p.spin.start(), msgCmd(common.LedgerChangedMsg{}))
	case errors.As(err, &amb):
		p.state = payinResult
		p.note = components.ErrorText(err)
	case errors.As(err, &api):
		p.wrong++
		left := MaxOTPAttempts - p.wrong
		switch {
		case components.Final(p.rec.State):
			p.state = payinResult
			p.note = components.T("payin.otp_failed", components.APIText(api.Message))
		case left <= 0:
			// The server fails it after the last wrong code; the follower
			// will bring that news.
			p.state = payinWaiting
			p.note = components.T("payin.otp_exhausted")
			return p.spin.start()
		default:
			p.state = payinOTP
			p.otp.Field(fCode).SetValue("")
			p.otp.SetError(fCode, components.T("payin.otp_wrong", components.APIText(api.Message), left))
		}
	case errors.As(err, &ve):
		p.state = payinOTP
		p.otp.SetError(fCode, components.ErrorText(err))
	default:
		p.state = payinOTP
		if components.Final(p.rec.State) {
			p.state = payinResult
		}
		p.otp.Err = components.ErrorText(err)
	}
	return msgCmd(common.LedgerChangedMsg{})
}

// onRecord follows the payin on screen from the root's follower.
func (p *Payin) onRecord(rec store.Record) tea.Cmd {
	if p.rec.ID == 0 || rec.ID != p.rec.ID || p.state == payinForm || p.state == payinSending {
		return nil
	}
	p.rec = rec
	switch {
	case components.Final(rec.State) || rec.State == store.StateUnknown:
		was := p.state
		p.state = payinResult
		if rec.State == store.StateSuccess && was != payinResult {
			return msgCmd(common.RefreshBalanceMsg{}) // the payin credited the balance
		}
	case p.state == payinOTP && rec.State == store.StatePending:
		p.state = payinWaiting
		return p.spin.start()
	}
	return nil
}

// leave goes back to an empty form; whatever was under way keeps being
// followed by the root and shows up in History.
func (p *Payin) leave() tea.Cmd {
	t := p.c.T
	text := t.T("form.left_pending")
	if p.rec.ID != 0 {
		text = t.T("form.left_followed", p.rec.AppRef)
	}
	p.reset()
	return status(common.StatusInfo, text)
}

func (p *Payin) reset() {
	p.seq++ // any answer still on its way is now late
	p.state = payinForm
	p.rec = store.Record{}
	p.wrong, p.off = 0, 0
	p.note = components.Text{}
	p.form.Reset()
	p.otp.Reset()
}

// ShortHelp lists what works in the current state.
func (p *Payin) ShortHelp() []key.Binding {
	k, t := p.c.Keys, p.c.T
	switch p.state {
	case payinForm:
		if len(p.sug.recs) > 0 {
			return append(formHelp(p.form, k, t, "form.key.send"), suggestFillKey(p.c))
		}
		return formHelp(p.form, k, t, "form.key.send")
	case payinOTP:
		return []key.Binding{helpKey(k.Submit, t.T("payin.key.send_code")), helpKey(k.Back, t.T("form.key.leave"))}
	case payinSending, payinAuthorizing, payinWaiting:
		return []key.Binding{helpKey(k.Back, t.T("form.key.leave"))}
	}
	// One entry for ctrl+n and esc (both start a new payment), so the
	// receipt key is not cut off the help bar.
	return withReceipt(p.c, p.rec, []key.Binding{newPaymentKey(k, t)})
}

// FullHelp is the short help in one column.
func (p *Payin) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View draws the current state.
func (p *Payin) View() string {
	st, t := p.c.Styles, p.c.T
	if p.state == payinForm {
		if ph := p.form.Field(fPhone); ph != nil {
			ph.Note = components.Raw(operatorGuess(ph.Input.Value()))
		}
		v := title(st, t.T("payin.title"), "") + "\n\n" + p.form.View(st, t) + p.suggestView() + "\n\n" + st.Hint.Render(components.Wrap(t.T("payin.hint"), p.width)) + sandboxRules(p.c, "payin", p.width)
		// Title and blank line above the form: the focused field is 2 lower.
		top, end := p.form.FocusLines()
		return components.ScrollTo(v, p.height, 2+top, 2+end)
	}
	// Who and how much stay at the top whatever the window's size; the
	// rest scrolls.
	head := heading(st, t.T("payin.title"), p.summary(), p.width) + "\n"
	room := p.height - lipgloss.Height(head)
	var b strings.Builder
	switch p.state {
	case payinSending:
		b.WriteString(p.spin.view() + " " + t.T("payin.sending"))
	case payinOTP, payinAuthorizing:
		b.WriteString(st.Header.Render(components.Wrap(t.T("payin.otp_sent"), p.width)) + "\n")
		b.WriteString(st.Hint.Render(t.T("payin.otp_left", MaxOTPAttempts-p.wrong)) + "\n")
		if p.c.Sandbox {
			b.WriteString(st.Warning.Render(components.Wrap(t.T("sandbox.rules.otp"), p.width)) + "\n")
		}
		b.WriteString("\n")
		b.WriteString(p.otp.View(st, t))
		if p.state == payinAuthorizing {
			b.WriteString("\n\n" + p.spin.view() + " " + t.T("payin.authorizing"))
		}
		// The code field is at the bottom: in a small window, keep it in
		// sight under the pinned amount and phone.
		bottom := strings.Count(b.String(), "\n") + 1
		return pinned(p.c, head, b.String(), p.height, &bottom)
	case payinWaiting:
		b.WriteString(st.Header.Render(components.Wrap(t.T("payin.confirm_on_phone"), p.width)) + "\n\n")
		if ussd := safe.Line(p.rec.USSD); ussd != "" {
			if room >= 12 {
				b.WriteString(st.Code.Render(components.BigText(ussd, p.width)) + "\n\n")
			}
			b.WriteString(components.Wrap(t.T("payin.dial", st.Code.Render(ussd)), p.width) + "\n\n")
		}
		if !p.note.IsZero() {
			b.WriteString(st.Warning.Render(components.Wrap(p.note.String(t), p.width)) + "\n\n")
		}
		b.WriteString(p.spin.view() + " " + t.T("payin.waiting"))
	case payinResult:
		return pinned(p.c, head, p.resultView(room), p.height, &p.off)
	}
	top := 0
	return pinned(p.c, head, b.String(), p.height, &top)
}

func (p *Payin) resultView(h int) string {
	st, t := p.c.Styles, p.c.T
	var lines []string
	if p.rec.State == store.StateUnknown {
		lines = append(lines, unknownHint(t, p.rec))
	}
	if !p.note.IsZero() {
		lines = append(lines, p.note.String(t))
	} else if p.rec.Message != "" && p.rec.State != store.StateUnknown {
		lines = append(lines, common.APIMessage(t, p.rec.Message))
	}
	out := components.BannerFit(st, components.OutcomeOf(p.rec.State), min(p.width, 60), h, components.Headline(t, p.rec.State), lines...)
	if p.rec.AppRef != "" {
		out += "\n" + st.Muted.Render(t.T("result.ref", p.rec.AppRef))
	}
	return out
}

// summary is the one-line recap of the payin on screen.
func (p *Payin) summary() string {
	in := p.input()
	amount, phone := in.Amount, in.Phone
	if p.rec.ID != 0 {
		amount, phone = p.rec.Amount, p.rec.CustomerPhone
	} else if a, err := client.ParseAmount(amount, client.CurrencyXAF); err == nil {
		amount = a.String()
	}
	s := money(p.c.T, amount, client.CurrencyXAF) + " · " + phone
	if op := operatorGuess(phone); op != "" {
		s += " (" + op + ")"
	}
	return s
}
