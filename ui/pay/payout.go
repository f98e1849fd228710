package pay

import (
	"errors"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

type payoutState int

const (
	payoutForm      payoutState = iota
	payoutConfirm               // summary shown; the amount must be typed again
	payoutSending               // the one request is on its way; keys do nothing
	payoutResult                // 200, 202 (followed), UNKNOWN, or final
	payoutOverride              // UNKNOWN payout: second, explicit confirmation to send again
	payoutResending             // the override request is on its way
)

// payoutAnswerMsg is core.Payout's (or core.ResendPayout's) answer.
type payoutAnswerMsg struct {
	id  int
	rec store.Record
	err error
}

// payoutBalanceMsg is core.Balance's answer for the confirmation screen.
type payoutBalanceMsg struct {
	id      int
	balance string
	err     error
}

// Payout sends money from the merchant's balance to a wallet, behind a
// confirmation where the amount is typed again. One confirmation sends
// exactly one request.
type Payout struct {
	c       *common.Common
	form    *components.Form
	confirm *components.Form
	spin    spin
	state   payoutState
	seq     int
	req     client.PayoutRequest // what was validated for the confirmation
	in      core.PayoutInput     // and the input it came from (what is sent)
	balSeq  int
	balance string // "" while unknown
	balErr  bool
	rec     store.Record
	note    components.Text
	off     int // the result's scroll offset in a small window (components.Pin)
	width   int
	height  int

	// bt is the batch flow (ctrl+o on the form): a spreadsheet of payouts.
	bt        *Batch
	batchMode bool

	// warned is the operator and phone whose mismatch (an MTN number with
	// Orange Money chosen, or the reverse) was pointed out: a second review
	// of the same pair goes on to the confirmation.
	warned string
}

// NewPayout builds the Payout screen.
func NewPayout(c *common.Common) *Payout {
	p := &Payout{c: c, spin: newSpin(), bt: NewBatch(c)}
	p.form = components.NewForm(
		components.ChoiceField(fOperator, "payout.operator",
			components.Option{Value: client.OperatorMCP, Label: "payout.op.mcp"},
			components.Option{Value: client.OperatorMoMo, Label: "payout.op.momo"},
			components.Option{Value: client.OperatorOM, Label: "payout.op.om"}),
		components.TextField(fPhone, "payout.phone", "6XX XX XX XX", 24),
		components.TextField(fUsername, "payout.username", "form.optional", 80),
		components.TextField(fEmail, "payout.email", "form.optional", 120),
		components.TextField(fAmount, "payout.amount", "1500", 16),
		components.TextField(fReason, "form.reason", "form.optional", 120),
		components.TextField(fName, "payout.name", "form.optional", 80),
	)
	p.confirm = components.NewForm(components.TextField("confirm_amount", "payout.retype", "", 16))
	p.syncOperator()
	return p
}

// SetSize sets the area the screen may draw in.
func (p *Payout) SetSize(w, h int) {
	p.width, p.height = w, h
	p.form.Width, p.confirm.Width = w, w
	p.bt.SetSize(w, h)
}

// Init does nothing: the form waits.
func (p *Payout) Init() tea.Cmd { return nil }

// InputFocused is true while a field takes the keys.
func (p *Payout) InputFocused() bool {
	if p.batchMode {
		return p.bt.InputFocused()
	}
	return p.state == payoutForm || p.state == payoutConfirm
}

// Sending counts the request on its way (common.Sending).
func (p *Payout) Sending() int {
	// A batch being sent has one line on its way at a time.
	if p.state == payoutSending || p.state == payoutResending || p.bt.state == batchSending {
		return 1
	}
	return 0
}

// Busy is true while a payout is being sent or followed on this screen.
func (p *Payout) Busy() bool {
	if p.bt.Busy() {
		return true
	}
	switch p.state {
	case payoutSending, payoutResending:
		return true
	case payoutResult:
		return p.rec.State == store.StatePending
	}
	return false
}

// syncOperator shows only the recipient fields the chosen operator takes:
// a phone for MoMo and Orange Money; phone, username or e-mail for MCP.
func (p *Payout) syncOperator() {
	mcp := p.form.Value(fOperator) == client.OperatorMCP
	p.form.Field(fUsername).Hidden = !mcp
	p.form.Field(fEmail).Hidden = !mcp
	if mcp {
		p.form.Field(fPhone).Label = "payout.phone_mcp"
	} else {
		p.form.Field(fPhone).Label = "payout.phone"
	}
	p.form.Refocus()
}

func (p *Payout) input() core.PayoutInput {
	f := p.form
	return core.PayoutInput{
		Operator: f.Value(fOperator), Amount: f.Value(fAmount), Phone: f.Value(fPhone),
		Username: f.Value(fUsername), Email: f.Value(fEmail), Name: f.Value(fName),
		Reason: f.Value(fReason),
	}
}

// Update runs the state machine.
func (p *Payout) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.PayAgainMsg:
		return p, p.payAgain(msg.Record) // again.go
	case tea.KeyMsg:
		if p.batchMode {
			cmd, leave := p.bt.Update(msg)
			p.batchMode = !leave
			return p, cmd
		}
		return p, p.key(msg)
	case batchLoadingMsg, batchLoadedMsg, batchReplannedMsg, batchProgressMsg, batchDoneMsg, common.LedgerChangedMsg:
		cmd, _ := p.bt.Update(msg)
		return p, cmd
	case spinner.TickMsg:
		return p, p.spin.update(msg, p.Busy())
	case payoutBalanceMsg:
		if msg.id == p.balSeq {
			p.balance, p.balErr = msg.balance, msg.err != nil
		}
	case payoutAnswerMsg:
		if msg.id != p.seq || (p.state != payoutSending && p.state != payoutResending) {
			return p, routeLate(p.c.T, msg.rec)
		}
		return p, p.onAnswer(msg.rec, msg.err)
	case common.RecordUpdatedMsg:
		p.bt.Update(msg) // a batch's lines follow live too
		if p.state == payoutResult && p.rec.ID != 0 && msg.Record.ID == p.rec.ID {
			p.rec = msg.Record
			p.note = components.Text{}
		}
	case common.ServiceChangedMsg:
		// New keys or base URL: the balance shown may belong to another account.
		if p.state == payoutConfirm {
			return p, p.fetchBalance()
		}
	}
	return p, nil
}

func (p *Payout) key(msg tea.KeyMsg) tea.Cmd {
	k := p.c.Keys
	switch p.state {
	case payoutForm:
		if key.Matches(msg, p.bt.open) {
			p.batchMode = true
			p.bt.Start()
			return nil
		}
		submit, cmd := formKey(p.form, k, msg)
		if submit {
			return p.prepare()
		}
		p.syncOperator()
		return cmd
	case payoutConfirm:
		switch {
		case key.Matches(msg, k.Back):
			p.state = payoutForm
			p.balSeq++
			return nil
		case key.Matches(msg, k.Submit, k.SubmitForm):
			return p.send()
		}
		return p.confirm.Update(msg, k)
	case payoutSending, payoutResending:
		// The request has left: no key may send another or hide its answer.
		return nil
	case payoutResult:
		if cmd := receiptOn(p.c, p.rec, msg); cmd != nil {
			return cmd
		}
		if off, ok := components.ScrollKey(k, msg, p.off, p.height/2); ok {
			p.off = off
			return nil
		}
		switch {
		case key.Matches(msg, k.Override) && p.rec.State == store.StateUnknown && p.rec.Type == store.TypePayout:
			p.state = payoutOverride
		case key.Matches(msg, k.NewTx, k.Back):
			cmd := clearStatus(p.rec.ID)
			if followable(p.rec) {
				cmd = status(common.StatusInfo, p.c.T.T("form.left_followed", p.rec.AppRef))
			}
			p.reset()
			return cmd
		}
	case payoutOverride:
		switch {
		case key.Matches(msg, k.Confirm):
			return p.resend()
		case key.Matches(msg, k.Cancel):
			p.state = payoutResult
		}
	}
	return nil
}

// prepare validates (pure, nothing sent) and opens the confirmation.
func (p *Payout) prepare() tea.Cmd {
	in := p.input()
	var req client.PayoutRequest
	if !ready(p.form, p.c, func() (err error) { req, err = core.PayoutRequest(in); return err }) {
		return nil
	}
	if w := opMismatch(req); w != "" && p.warned != req.TransactionOperator+"|"+req.CustomerPhoneNumber {
		p.warned = req.TransactionOperator + "|" + req.CustomerPhoneNumber
		p.form.Focus(fOperator)
		return nil
	}
	p.in, p.req = in, req
	p.confirm.Reset()
	p.state = payoutConfirm
	return p.fetchBalance()
}

func (p *Payout) fetchBalance() tea.Cmd {
	p.balSeq++
	p.balance, p.balErr = "", false
	if !online(p.c) {
		p.balErr = true
		return nil
	}
	id, svc, ctx := p.balSeq, p.c.Svc, ctxOf(p.c)
	return func() tea.Msg {
		b, err := svc.Balance(ctx)
		return payoutBalanceMsg{id: id, balance: b, err: err}
	}
}

// send checks the retyped amount and sends the payout. The state turns to
// sending before the cmd is returned, so a second enter in the same burst of
// keys finds nothing to confirm.
func (p *Payout) send() tea.Cmd {
	p.confirm.ClearErrors()
	if _, ok := p.confirmView(); !ok {
		// The window hides who gets how much: the view says to enlarge it.
		return nil
	}
	typed := p.confirm.Value("confirm_amount")
	want := p.req.TransactionAmount.String()
	// The same forms as the first time ("5 000", "5000", "005000"): what
	// must match is the amount, not the way it was spaced.
	again, err := client.ParseAmount(typed, p.req.TransactionCurrency)
	if typed == "" || err != nil || again.String() != want {
		p.confirm.SetError("confirm_amount", components.T("payout.mismatch"))
		return nil
	}
	p.seq++
	id, svc, ctx, in := p.seq, p.c.Svc, ctxOf(p.c), p.in
	p.state, p.rec, p.note = payoutSending, store.Record{}, components.Text{}
	send := func() tea.Msg {
		rec, err := svc.Payout(ctx, in)
		return payoutAnswerMsg{id: id, rec: rec, err: err}
	}
	return tea.Batch(send, p.spin.start())
}

// resend re-sends an UNKNOWN payout after the explicit override.
func (p *Payout) resend() tea.Cmd {
	if !online(p.c) {
		p.state, p.note = payoutResult, components.T("err.offline")
		return nil
	}
	p.seq++
	id, svc, ctx, recID := p.seq, p.c.Svc, ctxOf(p.c), p.rec.ID
	p.state = payoutResending
	send := func() tea.Msg {
		rec, err := svc.ResendPayout(ctx, recID, true)
		return payoutAnswerMsg{id: id, rec: rec, err: err}
	}
	return tea.Batch(send, p.spin.start())
}

func (p *Payout) onAnswer(rec store.Record, err error) tea.Cmd {
	resend := p.state == payoutResending
	var ve *client.ValidationError
	if !resend && (errors.As(err, &ve) || rec.ID == 0 || rec.State == store.StateRejected) {
		// Refused (locally or by the server: balance, IP, key): back to the
		// form as typed, with the reason.
		p.state = payoutForm
		showError(p.form, err)
		if err == nil {
			p.form.Err = components.API(rec.Message)
		}
		if rec.ID == 0 {
			return nil
		}
		return msgCmd(common.LedgerChangedMsg{})
	}
	p.state, p.off = payoutResult, 0
	if rec.ID == 0 {
		// A re-send that never left: the UNKNOWN record stays on screen.
		p.note = components.ErrorText(err)
		return nil
	}
	p.rec = rec
	p.note = components.Text{}
	var amb *client.AmbiguousError
	switch {
	case err != nil && rec.State != store.StateUnknown:
		p.note = components.ErrorText(err)
	case errors.As(err, &amb) && amb.MaybePayoutIPNotAllowed:
		// UNKNOWN already says to check; add the likely reason.
		p.note = components.T("payout.unknown_ip")
	}
	cmds := []tea.Cmd{msgCmd(common.LedgerChangedMsg{}), msgCmd(common.RefreshBalanceMsg{})}
	if followable(rec) {
		cmds = append(cmds, msgCmd(common.FollowMsg{ID: rec.ID}))
	}
	return tea.Batch(cmds...)
}

func (p *Payout) reset() {
	p.seq++
	p.balSeq++
	p.state, p.rec, p.note = payoutForm, store.Record{}, components.Text{}
	p.req, p.in = client.PayoutRequest{}, core.PayoutInput{}
	p.warned = ""
	p.form.Reset()
	p.confirm.Reset()
	p.syncOperator()
}

// ShortHelp lists what works in the current state.
func (p *Payout) ShortHelp() []key.Binding {
	k, t := p.c.Keys, p.c.T
	if p.batchMode {
		return p.bt.ShortHelp()
	}
	switch p.state {
	case payoutForm:
		return append(formHelp(p.form, k, t, "payout.key.review"), helpKey(p.bt.open, t.T("batch.ui.key.open")))
	case payoutConfirm:
		return []key.Binding{helpKey(k.Submit, t.T("payout.key.send")), helpKey(k.Back, t.T("payout.key.edit"))}
	case payoutSending, payoutResending:
		return nil
	case payoutOverride:
		return []key.Binding{helpKey(k.Confirm, t.T("payout.key.resend")), helpKey(k.Cancel, t.T("form.key.cancel"))}
	}
	out := []key.Binding{helpKey(k.NewTx, t.T("form.key.new"))}
	if p.rec.State == store.StateUnknown {
		out = append(out, helpKey(k.Override, t.T("payout.key.override")))
	}
	return withReceipt(p.c, p.rec, out)
}

// FullHelp is the short help in one column.
func (p *Payout) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View draws the current state.
func (p *Payout) View() string {
	st, t := p.c.Styles, p.c.T
	if p.batchMode {
		return p.bt.View()
	}
	switch p.state {
	case payoutForm:
		if ph := p.form.Field(fPhone); ph != nil {
			ph.Note = components.Text{}
			guess := operatorGuess(ph.Input.Value())
			op := p.form.Value(fOperator)
			switch {
			case guess == "":
			case op == client.OperatorOM && guess != "Orange", op == client.OperatorMoMo && guess != "MTN":
				ph.Note = components.T("payout.op_mismatch", guess)
			default:
				ph.Note = components.Raw(guess)
			}
		}
		warn := ""
		if req, err := core.PayoutRequest(p.input()); err == nil && p.warned == req.TransactionOperator+"|"+req.CustomerPhoneNumber {
			if w := opMismatch(req); w != "" {
				warn = st.Warning.Render(components.Wrap(t.T("payout.op_warn", req.CustomerPhoneNumber, w,
					operatorName(t, req.TransactionOperator)), p.width)) + "\n\n"
			}
		}
		v := title(st, t.T("payout.title"), "") + "\n\n" + p.form.View(st, t) + "\n\n" + warn + st.Hint.Render(components.Wrap(t.T("payout.hint"), p.width)) +
			"\n" + st.Hint.Render(components.Wrap(t.T("batch.ui.form_hint"), p.width)) + sandboxRules(p.c, "payout", p.width)
		// Title and blank line above the form: the focused field is 2 lower.
		top, end := p.form.FocusLines()
		return components.ScrollTo(v, p.height, 2+top, 2+end)
	case payoutConfirm:
		// Fitted to the window: who, through what and how much stay in
		// sight with the field, or the confirmation is refused.
		v, _ := p.confirmView()
		return v
	}
	// Who and how much stay at the top whatever the window's size; the
	// rest scrolls (↑/↓ on the result).
	head := heading(st, t.T("payout.title"), p.summary(), p.width)
	room := p.height - lipgloss.Height(head) - 1
	var body string
	off := 0
	switch p.state {
	case payoutSending, payoutResending:
		body = p.spin.view() + " " + t.T("payout.sending") + "\n\n" + st.Muted.Render(components.Wrap(t.T("payout.sending_hint"), p.width))
	case payoutOverride:
		body = components.BannerFit(st, components.OutcomeUnknown, min(p.width, 70), room, "? "+t.T("payout.override_title"),
			t.T("payout.override_warn", p.rec.AppRef), t.T("payout.override_ask"))
	default:
		body = p.resultView(room)
		return pinned(p.c, head+"\n", body, p.height, &p.off)
	}
	return pinned(p.c, head+"\n", body, p.height, &off)
}

func (p *Payout) resultView(h int) string {
	st, t := p.c.Styles, p.c.T
	r := p.rec
	var head string
	var lines []string
	o := components.OutcomeOf(r.State)
	switch {
	case r.State == store.StateSuccess && r.HTTPStatus == 200:
		head = "✔ " + t.T("payout.paid")
	case r.State == store.StatePending:
		head = "… " + t.T("payout.in_progress")
	case r.State == store.StateUnknown:
		head = "? " + t.T("result.unknown")
		lines = append(lines, unknownHint(t, r)+" "+t.T("payout.unknown_never"))
	default:
		head = components.Headline(t, r.State)
	}
	if !p.note.IsZero() {
		lines = append(lines, p.note.String(t))
	} else if r.Message != "" && r.State != store.StateUnknown {
		lines = append(lines, common.APIMessage(t, r.Message))
	}
	out := components.BannerFit(st, o, min(p.width, 70), h, head, lines...)
	if r.AppRef != "" {
		out += "\n" + st.Muted.Render(t.T("result.ref", r.AppRef))
	}
	return out
}

// opMismatch names the operator the phone belongs to when another mobile
// operator was chosen ("MTN" for an MTN number sent through Orange Money);
// "" when they agree, or for My-CoolPay wallets (any number).
func opMismatch(req client.PayoutRequest) string {
	op := req.TransactionOperator
	if op != client.OperatorOM && op != client.OperatorMoMo {
		return ""
	}
	guess := operatorGuess(req.CustomerPhoneNumber)
	if guess == "" || (op == client.OperatorOM && guess == "Orange") || (op == client.OperatorMoMo && guess == "MTN") {
		return ""
	}
	return guess
}

// recipient is who gets the money, as the confirmation shows it.
func (p *Payout) recipient() string {
	var parts []string
	for _, s := range []string{p.req.CustomerName, p.req.CustomerPhoneNumber, p.req.CustomerUsername, p.req.CustomerEmail} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func operatorName(t interface{ T(string, ...any) string }, op string) string {
	switch op {
	case client.OperatorMCP:
		return t.T("payout.op.mcp")
	case client.OperatorMoMo:
		return t.T("payout.op.momo")
	case client.OperatorOM:
		return t.T("payout.op.om")
	}
	return op
}

// confirmView is the confirmation fitted to the window; ok is false when
// the window cannot show who gets how much, and then nothing may be sent.
func (p *Payout) confirmView() (string, bool) {
	st, t := p.c.Styles, p.c.T
	amount := p.req.TransactionAmount.String()
	cur := p.req.TransactionCurrency
	bal, after := "…", "…"
	// "Balance after" is one rule on every screen (batch.BalanceAfter):
	// the amount and its estimated fee taken off.
	amt, _ := strconv.ParseInt(amount, 10, 64)
	fee := batch.EstimateFee(amt)
	switch {
	case p.balErr:
		bal, after = "—", "—"
	case p.balance != "":
		bal = money(t, p.balance, cur)
		after = "—"
		if a, short, ok := batch.BalanceAfter(p.balance, amt, fee); ok {
			after = money(t, a, cur) + "  " + st.Muted.Render("("+t.T(batch.AfterNoteKey)+")")
			if short {
				after = st.Error.Render(money(t, a, cur) + "  ✘ " + t.T("payout.insufficient"))
			}
		}
	}
	// Prio 0 (who, through what, how much) is never left out: without
	// room for it the confirmation is refused (components.ConfirmFit).
	afterPrio := 2
	if strings.Contains(after, t.T("payout.insufficient")) {
		afterPrio = 1
	}
	rows := []components.FitRow{
		{Row: components.Row{Label: t.T("payout.c.recipient"), Value: safe.Line(p.recipient())}},
		{Row: components.Row{Label: t.T("payout.c.operator"), Value: operatorName(t, p.req.TransactionOperator)}},
		{Row: components.Row{Label: t.T("payout.c.amount"), Value: money(t, amount, cur), Strong: true}},
		{Row: components.Row{Label: t.T("payout.c.fees"), Value: t.T("batch.s.fee_one", batch.Money(fee), batch.FeePercent)}, Prio: 5},
		{Row: components.Row{Label: t.T("payout.c.balance"), Value: bal}, Prio: 4},
		{Row: components.Row{Label: t.T("payout.c.after"), Value: after}, Prio: afterPrio},
	}
	if p.req.TransactionReason != "" {
		rows = append(rows, components.FitRow{Row: components.Row{Label: t.T("payout.c.reason"), Value: safe.Line(p.req.TransactionReason)}, Prio: 3})
	}
	if w := opMismatch(p.req); w != "" {
		rows = append(rows, components.FitRow{Row: components.Row{Label: t.T("payout.c.check"),
			Value: st.Warning.Render("⚠ " + t.T("payout.c.op_warn", w, operatorName(t, p.req.TransactionOperator)))}, Prio: 1})
	}
	var errLine string
	if fl := p.confirm.Field("confirm_amount"); !fl.Err.IsZero() {
		errLine = fl.Err.String(t)
	}
	in := p.confirm.Field("confirm_amount")
	saved := in.Err
	in.Err = components.Text{}
	input := p.confirm.View(st, t)
	in.Err = saved
	return components.ConfirmFit(st, t, p.width, p.height, t.T("payout.confirm_title"), rows,
		t.T("payout.confirm_prompt", st.Code.Render(amount)), t.T("payout.confirm_short", st.Code.Render(amount)), input, errLine)
}

func (p *Payout) summary() string {
	amount, cur, op := p.req.TransactionAmount.String(), p.req.TransactionCurrency, p.req.TransactionOperator
	if p.rec.ID != 0 {
		amount, cur, op = p.rec.Amount, p.rec.Currency, p.rec.Operator
	}
	if amount == "" {
		return ""
	}
	to := p.recipient()
	if p.rec.ID != 0 {
		to = recordRecipient(p.rec)
	}
	if to == "" {
		return money(p.c.T, amount, cur) + " · " + operatorName(p.c.T, op)
	}
	return money(p.c.T, amount, cur) + " → " + safe.Line(to) + " · " + operatorName(p.c.T, op)
}

// recordRecipient is who a recorded payout pays, as the confirmation said.
func recordRecipient(r store.Record) string {
	var parts []string
	for _, s := range []string{r.CustomerName, r.CustomerPhone, r.CustomerUsername, r.CustomerEmail} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}
