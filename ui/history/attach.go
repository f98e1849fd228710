package history

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

// The attach panel of the detail view: a record without a reference (an
// UNKNOWN payout whose answer was lost) gets the transaction_ref a person
// copied from the merchant area. The API is asked first and its answer is
// shown next to what was sent; only when they agree can it be attached,
// and Attach asks the API once more before writing.

type attachPanel struct {
	input   textinput.Model
	seq     int                    // the awaited request; late answers are dropped
	busy    bool                   // a request is out
	ref     string                 // the reference the answer is about
	answer  *client.StatusResponse // the API's answer for ref
	problem string                 // why it cannot be attached, "" when it can
	err     error                  // the API could not be asked
}

type lookupMsg struct {
	seq int
	ref string
	st  *client.StatusResponse
	err error
}

type attachMsg struct {
	seq int
	rec store.Record
	err error
}

// canAttach: only a record without a reference that is not over can get one.
func canAttach(r store.Record) bool {
	return r.TransactionRef == "" && !r.State.Final()
}

func (m *Model) openAttach() tea.Cmd {
	ti := textinput.New()
	ti.Prompt = "> "
	ti.CharLimit = 120
	ti.Width = max(10, m.width-4)
	m.attach = attachPanel{input: ti, seq: m.attach.seq + 1}
	m.mode = modeAttach
	return m.attach.input.Focus()
}

func (m *Model) keyAttach(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	a := &m.attach
	switch {
	case key.Matches(msg, km.Back):
		a.seq++ // an answer still out is no longer wanted
		m.mode = modeDetail
		return nil
	case key.Matches(msg, km.Submit):
		ref := strings.TrimSpace(a.input.Value())
		if ref == "" || a.busy {
			return nil
		}
		if a.answer != nil && a.ref == ref && a.problem == "" {
			return m.doAttach(ref)
		}
		return m.lookup(ref)
	}
	before := a.input.Value()
	var cmd tea.Cmd
	a.input, cmd = a.input.Update(msg)
	if a.input.Value() != before {
		a.answer, a.problem, a.err = nil, "", nil
	}
	return cmd
}

func (m *Model) lookup(ref string) tea.Cmd {
	a := &m.attach
	a.seq++
	a.busy, a.answer, a.problem, a.err = true, nil, "", nil
	seq, svc, ctx := a.seq, m.c.Svc, m.ctx()
	return func() tea.Msg {
		st, err := svc.Lookup(ctx, ref)
		return lookupMsg{seq: seq, ref: ref, st: st, err: err}
	}
}

func (m *Model) onLookup(msg lookupMsg) tea.Cmd {
	a := &m.attach
	if msg.seq != a.seq || m.mode != modeAttach {
		return nil
	}
	a.busy, a.ref, a.answer, a.err = false, msg.ref, msg.st, msg.err
	if msg.err != nil {
		return nil
	}
	t := m.c.T
	r := m.detailRec
	switch d := core.Differences(r, *msg.st); {
	case len(d) > 0:
		a.problem = t.T("history.attach.differ", strings.Join(d, "; "))
	case msg.st.AppTransactionRef != "" && msg.st.AppTransactionRef != r.AppRef:
		a.problem = t.T("history.attach.appref")
	}
	return nil
}

func (m *Model) doAttach(ref string) tea.Cmd {
	a := &m.attach
	a.seq++
	a.busy = true
	seq, svc, ctx, id := a.seq, m.c.Svc, m.ctx(), m.detailRec.ID
	return func() tea.Msg {
		rec, err := svc.Attach(ctx, id, ref)
		return attachMsg{seq: seq, rec: rec, err: err}
	}
}

func (m *Model) onAttach(msg attachMsg) tea.Cmd {
	a := &m.attach
	if msg.seq != a.seq {
		return nil
	}
	a.busy = false
	t := m.c.T
	if msg.err != nil {
		if errors.Is(msg.err, core.ErrCannotAttach) {
			a.problem = t.T("history.attach.cannot", msg.err)
			return nil
		}
		a.err = msg.err
		return nil
	}
	m.mode = modeDetail
	m.replace(msg.rec)
	rec := msg.rec
	return tea.Batch(
		status(common.StatusOK, t.T("history.attach.done", rec.ID, rec.TransactionRef, common.StateLabel(t, rec.State))),
		func() tea.Msg { return common.RecordUpdatedMsg{Record: rec} })
}

// attachView is the panel under the detail's title.
func (m *Model) attachView() string {
	st, t := m.c.Styles, m.c.T
	a := &m.attach
	r := m.detailRec
	w := m.width
	lines := []string{
		st.Header.Render(ansi.Truncate(t.T("history.attach.title", r.ID), w, "…")),
		st.Muted.Render(wrapText(t.T("history.attach.prompt"), w)),
		a.input.View(),
		"",
	}
	switch {
	case a.busy:
		lines = append(lines, st.Pending.Render(t.T("history.attach.busy")))
	case a.err != nil:
		lines = append(lines, st.Error.Render(wrapText(safe.Line(t.T("history.attach.failed", components.ErrorText(a.err).String(t))), w)))
	case a.answer != nil:
		sv := a.answer
		cw := max(8, (w-22)/2)
		row := func(k, sent, api string) {
			lines = append(lines, fit(k, 20, false)+" "+fit(safe.Line(sent), cw, false)+" "+fit(safe.Line(api), cw, false))
		}
		lines = append(lines, st.Label.Bold(true).Render(fit("", 20, false)+" "+fit(t.T("history.attach.col_sent"), cw, false)+" "+fit(t.T("history.attach.col_api"), cw, false)))
		row(t.T("history.field.type"), string(r.Type), sv.TransactionType)
		row(t.T("history.field.amount"), r.Amount+" "+r.Currency, sv.TransactionAmount.String()+" "+sv.TransactionCurrency)
		row(t.T("history.field.operator"), r.Operator, sv.TransactionOperator)
		row(t.T("history.field.app_ref"), r.AppRef, sv.AppTransactionRef)
		row(t.T("history.field.api_status"), string(r.State), sv.TransactionStatus)
		row(t.T("history.field.customer_phone"), r.CustomerPhone, sv.CustomerPhoneNumber)
		row(t.T("history.field.reason"), r.Reason, sv.TransactionReason)
		lines = append(lines, "")
		if a.problem != "" {
			lines = append(lines, st.Error.Render(wrapText(safe.Line(a.problem), w)))
		} else {
			lines = append(lines, st.Success.Render(wrapText(t.T("history.attach.ok"), w)))
		}
	case a.problem != "":
		lines = append(lines, st.Error.Render(wrapText(safe.Line(a.problem), w)))
	}
	return strings.Join(lines, "\n")
}

func wrapText(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Wordwrap(s, w, "")
}

// attachHelp is the help of the attach panel.
func (m *Model) attachHelp() []key.Binding {
	km, t := m.c.Keys, m.c.T
	desc := t.T("history.help.apply")
	if m.attach.answer != nil && m.attach.problem == "" {
		desc = t.T("app.key.attach")
	}
	return []key.Binding{common.Help(km.Submit, desc), km.Back}
}
