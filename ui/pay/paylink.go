package pay

import (
	"errors"
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

type paylinkState int

const (
	paylinkForm    paylinkState = iota
	paylinkSending              // waiting for POST /paylink's answer
	paylinkLink                 // URL and QR shown; followed until final
	paylinkResult               // final, REJECTED after creation, or UNKNOWN
)

// paylinkAnswerMsg is core.Paylink's answer to request id.
type paylinkAnswerMsg struct {
	id  int
	rec store.Record
	err error
}

// Paylink creates a hosted checkout link, shows it as a QR code, copies it
// to the clipboard and follows its status.
type Paylink struct {
	c       *common.Common
	form    *components.Form
	spin    spin
	state   paylinkState
	seq     int
	rec     store.Record
	note    components.Text
	off     int // the result's scroll offset in a small window (components.Pin)
	copySeq int
	qr      string // the QR drawn for qrFor (drawing it costs more than a frame)
	qrFor   string
	width   int
	height  int

	// Clipboard is where OSC 52 sequences are written: the terminal. Bubble
	// Tea draws on stdout, so os.Stderr reaches the same terminal without
	// disturbing the renderer; nil when stderr is not a terminal (the copy
	// then says so). Tests replace it.
	Clipboard io.Writer
	tmux      bool
}

// NewPaylink builds the Paylink screen.
func NewPaylink(c *common.Common) *Paylink {
	p := &Paylink{c: c, spin: newSpin(), tmux: os.Getenv("TMUX") != ""}
	if term.IsTerminal(int(os.Stderr.Fd())) {
		p.Clipboard = os.Stderr
	}
	p.form = components.NewForm(
		components.TextField(fAmount, "paylink.amount", "1500", 16),
		components.ChoiceField(fCurrency, "paylink.currency",
			components.Option{Value: client.CurrencyXAF, Label: "XAF"},
			components.Option{Value: client.CurrencyEUR, Label: "EUR"}),
		components.TextField(fName, "form.name", "form.optional", 80),
		components.TextField(fPhone, "form.phone_optional", "form.optional", 24),
		components.TextField(fEmail, "form.email", "form.optional", 120),
		components.TextField(fReason, "form.reason", "form.optional", 120),
		components.ChoiceField(fLang, "form.customer_lang",
			components.Option{Value: client.LangFR, Label: "form.lang.fr"},
			components.Option{Value: client.LangEN, Label: "form.lang.en"}),
	)
	return p
}

// SetSize sets the area the screen may draw in.
func (p *Paylink) SetSize(w, h int) {
	p.width, p.height = w, h
	p.form.Width = w
}

// Init does nothing: the form waits for the cashier.
func (p *Paylink) Init() tea.Cmd { return nil }

// InputFocused is true while the cashier types into the form.
func (p *Paylink) InputFocused() bool { return p.state == paylinkForm }

// Sending counts the request on its way (common.Sending).
func (p *Paylink) Sending() int {
	if p.state == paylinkSending {
		return 1
	}
	return 0
}

// Busy is true while a link is being created or followed on this screen.
func (p *Paylink) Busy() bool { return p.state == paylinkSending || p.state == paylinkLink }

func (p *Paylink) input() core.PaylinkInput {
	f := p.form
	amount := f.Value(fAmount)
	if f.Value(fCurrency) == client.CurrencyEUR && p.c.T.Lang() == i18n.FR {
		// French writes "10,50": there the comma is the decimal mark.
		amount = strings.Replace(amount, ",", ".", 1)
	}
	return core.PaylinkInput{
		Amount: amount, Currency: f.Value(fCurrency), Phone: f.Value(fPhone),
		Name: f.Value(fName), Email: f.Value(fEmail), Reason: f.Value(fReason), Lang: f.Value(fLang),
	}
}

// Update runs the state machine.
func (p *Paylink) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.PayAgainMsg:
		return p, p.payAgain(msg.Record) // again.go
	case tea.KeyMsg:
		return p, p.key(msg)
	case spinner.TickMsg:
		return p, p.spin.update(msg, p.state == paylinkSending || p.state == paylinkLink)
	case paylinkAnswerMsg:
		if msg.id != p.seq || p.state != paylinkSending {
			return p, routeLate(p.c.T, msg.rec)
		}
		return p, p.onPaylink(msg.rec, msg.err)
	case components.CopiedMsg:
		if msg.ID != p.copySeq {
			return p, nil
		}
		switch {
		case errors.Is(msg.Err, components.ErrNoTerminal):
			return p, status(common.StatusWarn, p.c.T.T("paylink.copy_no_terminal"))
		case msg.Err != nil:
			return p, status(common.StatusWarn, p.c.T.T("paylink.copy_failed", msg.Err.Error()))
		}
		return p, status(common.StatusOK, p.c.T.T("paylink.copied"))
	case common.RecordUpdatedMsg:
		if p.rec.ID == 0 || msg.Record.ID != p.rec.ID || p.state == paylinkForm || p.state == paylinkSending {
			return p, nil
		}
		p.rec = msg.Record
		if components.Final(p.rec.State) || p.rec.State == store.StateUnknown {
			was := p.state
			p.state = paylinkResult
			if p.rec.State == store.StateSuccess && was != paylinkResult {
				return p, msgCmd(common.RefreshBalanceMsg{}) // the payment credited the balance
			}
		}
	}
	return p, nil
}

func (p *Paylink) key(msg tea.KeyMsg) tea.Cmd {
	k := p.c.Keys
	switch p.state {
	case paylinkForm:
		submit, cmd := formKey(p.form, k, msg)
		if submit {
			return p.submit()
		}
		return cmd
	case paylinkSending:
		if key.Matches(msg, k.Back) {
			return p.leave()
		}
	case paylinkLink, paylinkResult:
		if p.state == paylinkResult {
			if cmd := receiptOn(p.c, p.rec, msg); cmd != nil {
				return cmd
			}
		}
		if p.state == paylinkResult {
			if off, ok := components.ScrollKey(k, msg, p.off, p.height/2); ok {
				p.off = off
				return nil
			}
		}
		switch {
		case key.Matches(msg, k.Copy) && link(p.rec) != "":
			return p.copy()
		case key.Matches(msg, k.Back, k.NewTx):
			return p.leave()
		}
	}
	return nil
}

func (p *Paylink) submit() tea.Cmd {
	in := p.input()
	if !ready(p.form, p.c, func() error { _, err := core.PaylinkRequest(in); return err }) {
		return nil
	}
	p.seq++
	id, svc, ctx := p.seq, p.c.Svc, ctxOf(p.c)
	p.state, p.rec, p.note = paylinkSending, store.Record{}, components.Text{}
	send := func() tea.Msg {
		rec, err := svc.Paylink(ctx, in)
		return paylinkAnswerMsg{id: id, rec: rec, err: err}
	}
	return tea.Batch(send, p.spin.start())
}

func (p *Paylink) onPaylink(rec store.Record, err error) tea.Cmd {
	var ve *client.ValidationError
	if errors.As(err, &ve) || rec.ID == 0 || rec.State == store.StateRejected {
		p.state = paylinkForm
		showError(p.form, err)
		if err == nil {
			p.form.Err = components.API(rec.Message)
		}
		if rec.ID == 0 {
			return nil
		}
		return msgCmd(common.LedgerChangedMsg{})
	}
	p.rec = rec
	cmds := []tea.Cmd{msgCmd(common.LedgerChangedMsg{})}
	if link(rec) == "" || rec.State == store.StateUnknown || components.Final(rec.State) {
		p.state = paylinkResult
		if err != nil {
			p.note = components.ErrorText(err)
		}
		return tea.Batch(cmds...)
	}
	p.state = paylinkLink
	if followable(rec) {
		cmds = append(cmds, msgCmd(common.FollowMsg{ID: rec.ID}))
	}
	return tea.Batch(append(cmds, p.copy(), p.spin.start())...)
}

// copy puts the payment URL on the clipboard through the terminal (OSC 52).
func (p *Paylink) copy() tea.Cmd {
	p.copySeq++
	return components.CopyCmd(p.Clipboard, link(p.rec), p.tmux, p.copySeq)
}

func (p *Paylink) leave() tea.Cmd {
	var cmd tea.Cmd
	if p.state == paylinkSending {
		cmd = status(common.StatusInfo, p.c.T.T("form.left_pending"))
	} else if p.state == paylinkLink {
		cmd = status(common.StatusInfo, p.c.T.T("form.left_followed", p.rec.AppRef))
	} else if p.state == paylinkResult {
		cmd = clearStatus(p.rec.ID)
	}
	p.seq++
	p.state, p.rec, p.note, p.off = paylinkForm, store.Record{}, components.Text{}, 0
	p.form.Reset()
	return cmd
}

// ShortHelp lists what works in the current state.
func (p *Paylink) ShortHelp() []key.Binding {
	k, t := p.c.Keys, p.c.T
	switch p.state {
	case paylinkForm:
		return formHelp(p.form, k, t, "form.key.send")
	case paylinkSending:
		return []key.Binding{helpKey(k.Back, t.T("form.key.leave"))}
	case paylinkLink:
		return []key.Binding{helpKey(k.Copy, t.T("paylink.key.copy")), helpKey(k.NewTx, t.T("form.key.new")), helpKey(k.Back, t.T("form.key.leave"))}
	}
	out := []key.Binding{helpKey(k.NewTx, t.T("form.key.new"))}
	if link(p.rec) != "" {
		out = append(out, helpKey(k.Copy, t.T("paylink.key.copy")))
	}
	return withReceipt(p.c, p.rec, out)
}

// FullHelp is the short help in one column.
func (p *Paylink) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View draws the current state.
func (p *Paylink) View() string {
	st, t := p.c.Styles, p.c.T
	switch p.state {
	case paylinkForm:
		v := title(st, t.T("paylink.title"), "") + "\n\n" + p.form.View(st, t) + "\n\n" + st.Hint.Render(components.Wrap(t.T("paylink.hint"), p.width)) + sandboxRules(p.c, "paylink", p.width)
		// Title and blank line above the form: the focused field is 2 lower.
		top, end := p.form.FocusLines()
		return components.ScrollTo(v, p.height, 2+top, 2+end)
	case paylinkSending:
		return heading(st, t.T("paylink.title"), p.summary(), p.width) + "\n\n" + p.spin.view() + " " + t.T("paylink.sending")
	}
	// The amount and the link stay at the top whatever the window's size;
	// the rest scrolls (↑/↓ on the result).
	head := p.head(p.width)
	if p.state == paylinkResult {
		var lines []string
		if p.rec.State == store.StateUnknown {
			lines = append(lines, unknownHint(t, p.rec))
		}
		if !p.note.IsZero() {
			lines = append(lines, p.note.String(t))
		} else if p.rec.Message != "" && p.rec.State != store.StateUnknown {
			lines = append(lines, common.APIMessage(t, p.rec.Message))
		}
		room := p.height - lipgloss.Height(head) - 1
		body := components.BannerFit(st, components.OutcomeOf(p.rec.State), min(p.width, 60), room, components.Headline(t, p.rec.State), lines...)
		if p.rec.AppRef != "" {
			body += "\n" + st.Muted.Render(t.T("result.ref", p.rec.AppRef))
		}
		return pinned(p.c, head+"\n", body, p.height, &p.off)
	}
	return p.linkView()
}

// head is the title with the amount, then the link: whole on one line
// where it fits in width, else a short form that is an OSC 8 hyperlink
// (components.LinkLine).
func (p *Paylink) head(width int) string {
	st, t := p.c.Styles, p.c.T
	h := heading(st, t.T("paylink.title"), p.summary(), width)
	if u := link(p.rec); u != "" {
		h += "\n" + st.Code.Render(components.LinkLine(u, width))
	}
	return h
}

// linkView shows the amount and the link above the details and the QR
// code; when the window is not tall enough for the link on its own line
// above the code, the link goes in the details' column (short form); the
// code is left out, with a word why, when the window is too small for it.
func (p *Paylink) linkView() string {
	st, t := p.c.Styles, p.c.T
	u := link(p.rec)
	if p.qrFor != u {
		p.qr, p.qrFor = components.QR(u, st.Dark), u
	}
	qrW, qrH := lipgloss.Width(p.qr), lipgloss.Height(p.qr)
	wide := p.qr != "" && (p.width == 0 || p.width-qrW >= 30)
	leftW := p.width - qrW - 2
	if !wide || p.width == 0 {
		leftW = p.width
	}
	if leftW <= 0 {
		leftW = 40
	}
	head := p.head(p.width)
	above := wide && (p.height == 0 || lipgloss.Height(head)+qrH <= p.height) // link above the code, whole width
	beside := wide && !above && qrH <= p.height                               // link in the details' column
	wrapW := lipgloss.NewStyle().Width(leftW)
	var b strings.Builder
	if beside {
		b.WriteString(p.head(leftW) + "\n\n")
	}
	b.WriteString(wrapW.Render(st.Header.Render(t.T("paylink.show_customer"))) + "\n\n")
	b.WriteString(st.Muted.Render(wrapW.Render(t.T("paylink.copy_hint"))) + "\n\n")
	b.WriteString(p.spin.view() + " " + components.Headline(t, p.rec.State) + "\n")
	b.WriteString(st.Muted.Render(wrapW.Render(t.T("paylink.waiting"))))
	left := b.String()
	join := lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(leftW+2).Render(left), p.qr)
	top := 0
	switch {
	case above:
		return head + "\n" + join
	case beside:
		return join
	case p.qr == "":
		return pinned(p.c, head+"\n", left+"\n\n"+st.Warning.Render(wrapW.Render(t.T("paylink.qr_too_long"))), p.height, &top)
	}
	return pinned(p.c, head+"\n", left+"\n\n"+st.Warning.Render(wrapW.Render(t.T("paylink.qr_too_small"))), p.height, &top)
}

// link is the record's payment URL when it is safe to show, copy and draw
// (https, or http on this machine for the sandbox; see
// client.CheckPaymentURL), else "". Core refuses unsafe links already;
// this also covers records from older ledgers.
func link(r store.Record) string {
	if client.CheckPaymentURL(r.PaymentURL) != nil {
		return ""
	}
	return r.PaymentURL
}

func (p *Paylink) summary() string {
	in := p.input()
	amount, cur := in.Amount, in.Currency
	if p.rec.ID != 0 {
		amount, cur = p.rec.Amount, p.rec.Currency
	} else if a, err := client.ParseAmount(amount, cur); err == nil {
		amount = a.String()
	}
	return common.Amount(p.c.T, amount, cur) // "10,50 EUR" in French
}
