package pay

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

// The Payout screen's batch flow: load a spreadsheet of payouts, see every
// problem by line and the summary, type the file's total to confirm, follow
// the progress, read each line's result. The logic is ui/batch's, shared
// with `coolpay payouts`; this file only shows it.

type batchState int

const (
	batchPath    batchState = iota // typing the file's path
	batchLoading                   // reading, checking, planning
	batchChecked                   // problems and summary; the total is typed here
	batchSending                   // lines leaving one by one; keys do nothing
	batchDone                      // per-line results
)

// batchLoadedMsg is a file read, checked and matched against the ledger.
type batchLoadedMsg struct {
	id      int
	path    string
	plan    *batch.Plan
	balance string
	balErr  error
	err     error
}

// batchProgressMsg is one step of a send; ch brings the next one.
type batchProgressMsg struct {
	id int
	p  batch.Progress
	ch <-chan tea.Msg
}

// batchDoneMsg ends a send.
type batchDoneMsg struct {
	id         int
	rep        *batch.Report
	err        error
	results    string // the results file written ("" when not)
	resultsErr error
}

// Batch is the batch flow of the Payout screen.
type Batch struct {
	c        *common.Common
	open     key.Binding
	pathForm *components.Form
	total    *components.Form
	state    batchState
	seq      int
	path     string
	plan     *batch.Plan
	balance  string
	balErr   error
	loadErr  error
	bar      progress.Model
	prog     batch.Progress
	done     []batch.Entry // lines finished during the send, in order
	rep      *batch.Report
	sendErr  error
	results  string
	resErr   error
	scroll   int
	width    int
	height   int
}

// NewBatch builds the batch flow.
func NewBatch(c *common.Common) *Batch {
	b := &Batch{c: c}
	b.open = key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "load a batch file"))
	b.pathForm = components.NewForm(components.TextField("batch_path", "batch.ui.path", "batch.ui.path_hint", 1024))
	b.total = components.NewForm(components.TextField("batch_total", "batch.ui.total", "", 20))
	b.bar = progress.New(progress.WithFillCharacters('█', '░'), progress.WithoutPercentage(),
		progress.WithColorProfile(termenv.Ascii))
	return b
}

// SetSize sets the area the flow may draw in.
func (b *Batch) SetSize(w, h int) {
	b.width, b.height = w, h
	b.pathForm.Width, b.total.Width = w, w
	b.bar.Width = max(10, min(w-20, 60))
}

// Start opens the flow at the path prompt (keeping the last path typed).
func (b *Batch) Start() {
	b.seq++
	b.state, b.scroll = batchPath, 0
	b.pathForm.ClearErrors()
	b.pathForm.Focus("batch_path")
}

// InputFocused is true while a field takes the keys.
func (b *Batch) InputFocused() bool {
	return b.state == batchPath || b.state == batchChecked && b.canSend()
}

// Busy is true while lines are being sent.
func (b *Batch) Busy() bool { return b.state == batchSending || b.state == batchLoading }

func (b *Batch) canSend() bool {
	return b.plan != nil && b.plan.File.OK() && len(b.plan.ToSend(false)) > 0
}

// Update handles the flow's keys and messages; leave is true when the
// person goes back to the single payout form.
func (b *Batch) Update(msg tea.Msg) (cmd tea.Cmd, leave bool) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return b.key(msg)
	case batchLoadedMsg:
		if msg.id != b.seq || b.state != batchLoading {
			return nil, false
		}
		b.path, b.plan, b.balance, b.balErr, b.loadErr = msg.path, msg.plan, msg.balance, msg.balErr, msg.err
		if msg.err != nil {
			b.state = batchPath
			b.pathForm.Err = components.ErrorText(msg.err)
			return nil, false
		}
		b.state, b.scroll = batchChecked, 0
		b.total.Reset()
		b.total.Focus("batch_total")
	case batchProgressMsg:
		if msg.id != b.seq {
			return nil, false
		}
		b.prog = msg.p
		if !msg.p.Sending {
			b.done = append(b.done, msg.p.Entry)
		}
		return waitBatch(msg.ch), false
	case batchDoneMsg:
		if msg.id != b.seq {
			return nil, false
		}
		b.state, b.scroll = batchDone, 0
		b.rep, b.sendErr, b.results, b.resErr = msg.rep, msg.err, msg.results, msg.resultsErr
		cmds := []tea.Cmd{msgCmd(common.LedgerChangedMsg{}), msgCmd(common.RefreshBalanceMsg{})}
		if msg.rep != nil {
			b.plan = msg.rep.Plan
			for _, e := range msg.rep.Plan.Entries {
				if e.SentNow && followable(e.Rec) {
					cmds = append(cmds, msgCmd(common.FollowMsg{ID: e.Rec.ID}))
				}
			}
		}
		return tea.Batch(cmds...), false
	}
	return nil, false
}

func (b *Batch) key(msg tea.KeyMsg) (tea.Cmd, bool) {
	k := b.c.Keys
	switch b.state {
	case batchPath:
		switch {
		case key.Matches(msg, k.Back):
			return nil, true
		case key.Matches(msg, k.Submit, k.SubmitForm):
			return b.load(), false
		}
		return b.pathForm.Update(msg, k), false
	case batchLoading, batchSending:
		// The file is being read, or lines are leaving: no key may start
		// another send or hide what is happening.
		return nil, false
	case batchChecked:
		switch {
		case key.Matches(msg, k.Back):
			b.state = batchPath
			return nil, false
		case key.Matches(msg, k.Up):
			b.scroll = max(0, b.scroll-1)
			return nil, false
		case key.Matches(msg, k.Down):
			b.scroll++
			return nil, false
		case !b.canSend() && msg.String() == "r":
			return b.load(), false
		case b.canSend() && key.Matches(msg, k.Submit, k.SubmitForm):
			return b.send(), false
		}
		if b.canSend() {
			return b.total.Update(msg, k), false
		}
	case batchDone:
		switch {
		case key.Matches(msg, k.Back, k.NewTx):
			return nil, true
		case key.Matches(msg, k.Up):
			b.scroll = max(0, b.scroll-1)
		case key.Matches(msg, k.Down):
			b.scroll++
		case msg.String() == "r":
			return b.load(), false
		}
	}
	return nil, false
}

// expandPath turns "~/x" into the home folder's x.
func expandPath(p string) string {
	p = strings.TrimSpace(p)
	if rest, ok := strings.CutPrefix(p, "~"+string(filepath.Separator)); ok || p == "~" {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// load reads and checks the file, matches it against the ledger and reads
// the balance, in a cmd.
func (b *Batch) load() tea.Cmd {
	path := expandPath(b.pathForm.Value("batch_path"))
	b.pathForm.ClearErrors()
	if path == "" {
		b.pathForm.SetError("batch_path", components.T("batch.ui.path_required"))
		return nil
	}
	b.seq++
	b.state = batchLoading
	b.done, b.rep, b.sendErr, b.results, b.resErr = nil, nil, nil, "", nil
	id, svc, ctx := b.seq, b.c.Svc, ctxOf(b.c)
	return func() tea.Msg {
		m := batchLoadedMsg{id: id, path: path}
		if svc == nil || svc.Store() == nil {
			m.err = core.ErrOffline
			return m
		}
		f, err := batch.ReadFile(path)
		if err != nil {
			m.err = err
			return m
		}
		m.plan, m.err = batch.MakePlan(ctx, svc.Store(), f, batch.BatchName(path))
		if m.err == nil && svc.Online() && f.OK() {
			bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			m.balance, m.balErr = svc.Balance(bctx)
			cancel()
		} else if !svc.Online() {
			m.balErr = core.ErrOffline
		}
		return m
	}
}

// send checks the typed total and starts the send. The state turns to
// sending before the cmd is returned, so a second enter finds nothing to
// confirm.
func (b *Batch) send() tea.Cmd {
	b.total.ClearErrors()
	typed, ok := batch.ParseTotal(b.total.Value("batch_total"))
	if !ok || typed != b.plan.File.Total {
		b.total.SetError("batch_total", components.T("batch.ui.total_mismatch"))
		return nil
	}
	if !online(b.c) {
		b.total.SetError("batch_total", components.T("err.offline"))
		return nil
	}
	b.seq++
	b.state, b.done, b.prog = batchSending, nil, batch.Progress{Count: len(b.plan.ToSend(false))}
	id, svc, ctx, f, path := b.seq, b.c.Svc, ctxOf(b.c), b.plan.File, b.path
	return func() tea.Msg {
		ch := make(chan tea.Msg, 8)
		go func() {
			defer close(ch)
			rep, err := batch.Send(ctx, svc, f, batch.Options{Batch: batch.BatchName(path), Total: typed,
				Progress: func(p batch.Progress) { ch <- batchProgressMsg{id: id, p: p, ch: ch} }})
			done := batchDoneMsg{id: id, rep: rep, err: err}
			if rep != nil && rep.Sent > 0 {
				done.results = batch.ResultsPath(path)
				if done.resultsErr = batch.SaveResults(done.results, rep.Plan); done.resultsErr != nil {
					done.results = ""
				}
			}
			ch <- done
		}()
		return <-ch
	}
}

// waitBatch reads the send's next message.
func waitBatch(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		m, ok := <-ch
		if !ok {
			return nil
		}
		return m
	}
}

// ShortHelp lists what works now.
func (b *Batch) ShortHelp() []key.Binding {
	k, t := b.c.Keys, b.c.T
	switch b.state {
	case batchPath:
		return []key.Binding{helpKey(k.Submit, t.T("batch.ui.key.check")), helpKey(k.Back, t.T("batch.ui.key.single"))}
	case batchChecked:
		out := []key.Binding{}
		if b.canSend() {
			out = append(out, helpKey(k.Submit, t.T("payout.key.send")))
		} else {
			out = append(out, key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("batch.ui.key.reload"))))
		}
		return append(out, helpKey(k.Down, t.T("batch.ui.key.scroll")), helpKey(k.Back, t.T("batch.ui.key.other")))
	case batchDone:
		return []key.Binding{helpKey(k.Back, t.T("batch.ui.key.single")),
			key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("batch.ui.key.recheck"))),
			helpKey(k.Down, t.T("batch.ui.key.scroll"))}
	}
	return nil
}

// View draws the current state.
func (b *Batch) View() string {
	st, t := b.c.Styles, b.c.T
	head := title(st, t.T("batch.ui.title"), safe.Line(b.path))
	switch b.state {
	case batchPath:
		return title(st, t.T("batch.ui.title"), "") + "\n\n" + b.pathForm.View(st, t) + "\n\n" +
			st.Hint.Render(components.Wrap(t.T("batch.ui.format"), b.width))
	case batchLoading:
		return head + "\n\n" + st.Muted.Render(t.T("batch.ui.loading"))
	case batchChecked:
		return head + "\n" + b.checkedView()
	case batchSending:
		return head + "\n\n" + b.sendingView()
	}
	return head + "\n" + b.doneView()
}

// window shows the lines from the scroll offset that fit in n rows.
func (b *Batch) window(lines []string, n int) string {
	n = max(n, 1)
	if len(lines) <= n {
		b.scroll = 0
		return strings.Join(lines, "\n")
	}
	b.scroll = min(b.scroll, len(lines)-n+1)
	start := b.scroll
	end := min(len(lines), start+n-1)
	more := b.c.T.T("batch.ui.more", start+1, end, len(lines))
	return strings.Join(lines[start:end], "\n") + "\n" + b.c.Styles.Muted.Render(more)
}

func (b *Batch) problemLines() []string {
	st, t := b.c.Styles, b.c.T
	var out []string
	// Warnings about money that may move twice are wrapped, never cut.
	warn := func(s string) {
		for i, l := range strings.Split(components.Wrap(s, max(20, b.width-2)), "\n") {
			lead := "  "
			if i == 0 {
				lead = "! "
			}
			out = append(out, st.Warning.Render(lead+l))
		}
	}
	for i, e := range b.plan.Entries {
		if r, ok := b.plan.Repeats[i]; ok {
			warn(batch.RepeatText(t, e, r))
		}
	}
	for _, r := range batch.MoneyMoved(b.plan.Orphans) {
		warn(batch.OrphanText(t, r))
	}
	for _, p := range b.plan.File.Problems {
		line := "! " + batch.ProblemText(t, p)
		style := st.Warning
		if !p.Warning {
			line, style = "✘ "+batch.ProblemText(t, p), st.Error
		}
		out = append(out, style.Render(truncateTo(line, b.width)))
	}
	return out
}

func truncateTo(s string, w int) string {
	if w <= 1 || lipgloss.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

func (b *Batch) checkedView() string {
	st, t := b.c.Styles, b.c.T
	f := b.plan.File
	s := b.plan.Summarize(false)
	problems := b.problemLines()
	if !f.OK() {
		// The errors are what matters: as many as fit, scrollable.
		msg := st.Error.Render(t.T("batch.errors_count", f.Errors())) + "\n" +
			st.Muted.Render(t.T("batch.ui.fix_reload"))
		return "\n" + b.window(problems, b.height-5) + "\n\n" + msg
	}
	bal, after := "…", "—"
	switch {
	case b.balErr != nil:
		bal = "—"
	case b.balance != "":
		bal = money(b.balance, "XAF")
		if a, ok := subtractText(b.balance, s.ToSendAmount+s.ToSendFees); ok {
			after = money(a, "XAF")
			if strings.HasPrefix(a, "-") {
				after = st.Error.Render(after + "  " + t.T("batch.s.insufficient"))
			}
		}
	}
	lines := fmt.Sprint(s.Lines)
	rows := []components.Row{
		{Label: t.T("batch.s.lines"), Value: lines},
		{Label: t.T("batch.s.total"), Value: batch.Money(s.Total), Strong: true},
		{Label: t.T("batch.s.fees"), Value: t.T("batch.s.fees_note", batch.Money(s.Fees), batch.FeePercent)},
		{Label: t.T("batch.s.balance"), Value: bal},
		{Label: t.T("batch.s.after"), Value: after},
	}
	if s.Sent > 0 {
		rows = append(rows,
			components.Row{Label: t.T("batch.s.sent"), Value: t.T("batch.s.sent_n", s.Sent, s.Valid)},
			components.Row{Label: t.T("batch.s.to_send"), Value: t.T("batch.s.to_send_n", s.ToSend, batch.Money(s.ToSendAmount))})
	}
	var warn string
	if len(problems) > 0 {
		warn = b.window(problems, max(1, b.height-len(rows)-9)) + "\n"
	}
	if s.ToSend == 0 {
		return warn + components.ConfirmView(st, b.width, t.T("batch.ui.summary"), rows,
			t.T("batch.ui.nothing"), "", "") + "\n\n" + b.resultLinesView(b.height-len(rows)-8)
	}
	var errLine string
	in := b.total.Field("batch_total")
	if !in.Err.IsZero() {
		errLine = in.Err.String(t)
	}
	saved := in.Err
	in.Err = components.Text{}
	input := b.total.View(st, t)
	in.Err = saved
	return warn + components.ConfirmView(st, b.width, t.T("batch.ui.summary"), rows,
		t.T("batch.ui.confirm_prompt", st.Code.Render(fmt.Sprint(s.Total)), s.ToSend), input, errLine)
}

// subtractText is balance − v as decimal text.
func subtractText(balance string, v int64) (string, bool) {
	b, ok := new(big.Rat).SetString(balance)
	if !ok {
		return "", false
	}
	d := b.Sub(b, new(big.Rat).SetInt64(v))
	return strings.TrimSuffix(d.FloatString(2), ".00"), true
}

func (b *Batch) entryLine(e batch.Entry) string {
	st, t := b.c.Styles, b.c.T
	word := batch.StatusText(t, e.Status)
	style := st.Muted
	switch e.Status {
	case batch.StatusPaid:
		style = st.Success
	case batch.StatusInProgress:
		style = st.Pending
	case batch.StatusUnknown:
		style = st.Warning
	case batch.StatusFailed, batch.StatusRejected, batch.StatusInvalid:
		style = st.Failure
	}
	who := safe.Line(entryRecipient(e))
	line := fmt.Sprintf("%-10s %14s  %s", t.T("batch.at.line", e.Line.Num), batch.Money(e.Line.Amount), who)
	return truncateTo(line, max(10, b.width-lipgloss.Width(word)-2)) + "  " + style.Render(word)
}

func entryRecipient(e batch.Entry) string {
	in := e.Line.In
	phone := e.Line.Req.CustomerPhoneNumber
	if phone == "" {
		phone = in.Phone
	}
	var parts []string
	for _, s := range []string{in.Name, phone, in.Username, in.Email} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

func (b *Batch) sendingView() string {
	st, t := b.c.Styles, b.c.T
	p := b.prog
	pct := 0.0
	if p.Count > 0 {
		pct = float64(p.Done) / float64(p.Count)
	}
	out := b.bar.ViewAs(pct) + fmt.Sprintf("  %d/%d", p.Done, p.Count) + "\n"
	if p.Sending {
		out += st.Pending.Render(t.T("batch.ui.sending_line", p.Entry.Line.Num, batch.Money(p.Entry.Line.Amount),
			safe.Line(entryRecipient(p.Entry)))) + "\n"
	} else {
		out += "\n"
	}
	out += st.Muted.Render(t.T("batch.ui.sending_hint")) + "\n\n"
	var lines []string
	for _, e := range b.done {
		lines = append(lines, b.entryLine(e))
	}
	n := max(1, b.height-7)
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return out + strings.Join(lines, "\n")
}

// resultLinesView lists every line with its result, scrollable, followed
// by how to settle those whose outcome is unknown.
func (b *Batch) resultLinesView(rows int) string {
	var lines []string
	for _, e := range b.plan.Entries {
		lines = append(lines, b.entryLine(e))
		if s := batch.SettleText(b.c.T, e); s != "" && e.Status == batch.StatusUnknown {
			// Wrapped, not cut: the reference in it is what the person
			// must copy.
			for i, w := range strings.Split(components.Wrap(s, max(20, b.width-5)), "\n") {
				lead := "     "
				if i == 0 {
					lead = "   → "
				}
				lines = append(lines, b.c.Styles.Warning.Render(lead+w))
			}
		}
	}
	return b.window(lines, rows)
}

func (b *Batch) doneView() string {
	st, t := b.c.Styles, b.c.T
	if b.rep == nil || b.sendErr != nil && b.rep.Sent == 0 {
		// Refused before anything was sent (balance, busy ledger, …).
		why := components.ErrorText(b.sendErr).String(t)
		switch {
		case errors.Is(b.sendErr, batch.ErrBusy):
			why = t.T("batch.busy")
		case errors.Is(b.sendErr, batch.ErrInsufficient) && b.rep != nil:
			why = t.T("batch.insufficient", money(b.rep.Balance, "XAF"), batch.Money(b.rep.Need))
		}
		return "\n" + components.Banner(st, components.OutcomeFailure, min(b.width, 70),
			"✘ "+t.T("batch.ui.not_sent"), why) + "\n" + st.Muted.Render(t.T("batch.ui.key_after_refusal"))
	}
	c := b.plan.Counts()
	o := components.OutcomeSuccess
	head := "✔ " + t.T("batch.ui.all_accepted")
	switch {
	case c[batch.StatusUnknown] > 0:
		o, head = components.OutcomeUnknown, "? "+t.T("batch.ui.some_unknown")
	case !b.plan.Accepted():
		o, head = components.OutcomeFailure, "✘ "+t.T("batch.ui.some_failed")
	}
	lines := []string{t.T("batch.summary", c[batch.StatusPaid], c[batch.StatusInProgress], c[batch.StatusUnknown],
		c[batch.StatusFailed]+c[batch.StatusRejected], c[batch.StatusToSend]+c[batch.StatusInvalid])}
	if b.rep.Stopped != "" {
		lines = append(lines, t.T("batch.stopped", safe.Line(b.rep.Stopped)))
	}
	if b.sendErr != nil {
		lines = append(lines, t.T("batch.stopped", safe.Line(b.sendErr.Error())))
	}
	if c[batch.StatusUnknown] > 0 {
		lines = append(lines, t.T("batch.ui.unknown_note"))
	}
	banner := components.Banner(st, o, min(b.width, 70), head, lines...)
	foot := ""
	switch {
	case b.results != "":
		foot = st.Muted.Render(truncateTo(t.T("batch.results_file", safe.Line(b.results)), b.width))
	case b.resErr != nil:
		foot = st.Error.Render(truncateTo(t.T("batch.ui.results_failed", safe.Line(b.resErr.Error())), b.width))
	}
	rows := b.height - lipgloss.Height(banner) - 2
	return banner + "\n" + b.resultLinesView(rows) + "\n" + foot
}
