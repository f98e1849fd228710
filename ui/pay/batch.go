package pay

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/progress"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/safe"
)

// The Payout screen's batch flow: load a spreadsheet of payouts, see every
// problem by line and every line (who, how much), type the file's total to
// confirm, follow the progress, read each line's result as it settles. The
// logic is ui/batch's, shared with `coolpay payouts`; this file only shows
// it.
//
// A file may have 100,000 lines: the lists are never rendered whole. Each
// is a slice of items (a problem, a warning, a line of the file) and only
// the rows on screen are formatted, each cut in one step.

type batchState int

const (
	batchPath      batchState = iota // typing the file's path
	batchLoading                     // reading, checking, planning (in a cmd, with progress)
	batchChecked                     // problems, lines and summary; the total is typed here
	batchRepeatAsk                   // the total was right; lines repeat payouts already made: y/n
	batchSending                     // lines leaving one by one; keys do nothing
	batchDone                        // per-line results, following live
)

// batchFocus is what takes the keys on the confirmation: the total field
// (typing goes there) or the list of lines (j/k scroll it).
type batchFocus int

const (
	focusTotal batchFocus = iota
	focusLines
)

// batchLoadingMsg is the progress of a file being read and checked; ch
// brings the next message (more progress, or the batchLoadedMsg).
type batchLoadingMsg struct {
	id    int
	lines int // lines read so far; -1 once matching against the ledger
	ch    <-chan tea.Msg
}

// batchLoadedMsg is a file read, checked and matched against the ledger.
type batchLoadedMsg struct {
	id      int
	path    string
	plan    *batch.Plan
	balance string
	balErr  error
	err     error
}

// batchReplannedMsg is the batch matched against the ledger again after
// other records changed (a bulk change the watcher could not list).
type batchReplannedMsg struct {
	id   int
	plan *batch.Plan
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
	focus    batchFocus
	seq      int
	path     string
	plan     *batch.Plan
	byID     map[uint64]int // record id → entry, for live updates
	// Worked out once per plan (and again when a record changes), not
	// per frame: a plan may have 100,000 lines.
	sum      batch.Summary
	todo     []int // entries a send would send
	blocked  []int // of those, the ones repeating a payout already made
	items    []item
	resItems []item
	balance  string
	balErr   error
	loadErr  error
	loaded   int // lines read so far while loading (-1: matching the ledger)
	bar      progress.Model
	prog     batch.Progress
	done     []batch.Entry // lines finished during the send, in order
	rep      *batch.Report
	sendErr  error
	results  string
	resErr   error
	scroll   int // first item shown of the current list
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

// InputFocused is true while the flow takes every key: the path field, and
// the confirmation (its total field, or its list, which tab switches to).
func (b *Batch) InputFocused() bool {
	return b.state == batchPath || b.state == batchChecked && b.canSend()
}

// Busy is true while lines are being sent.
func (b *Batch) Busy() bool { return b.state == batchSending || b.state == batchLoading }

func (b *Batch) canSend() bool {
	return b.plan != nil && b.plan.File.OK() && len(b.todo) > 0
}

// setPlan shows p and indexes its records for live updates.
func (b *Batch) setPlan(p *batch.Plan) {
	b.plan = p
	b.byID = map[uint64]int{}
	if p == nil {
		b.todo, b.blocked, b.items, b.resItems = nil, nil, nil, nil
		return
	}
	for i, e := range p.Entries {
		if e.Rec.ID != 0 {
			b.byID[e.Rec.ID] = i
		}
	}
	b.items = b.checkedItems()
	b.counted()
}

// counted works out again what depends on the lines' statuses.
func (b *Batch) counted() {
	b.sum = b.plan.Summarize(false)
	b.todo = b.plan.ToSend(false)
	b.blocked = b.plan.BlockedToSend(b.todo)
	b.resItems = b.resultItems()
}

// recordUpdated shows a record the follower or the watcher saw change: a
// line in progress becomes paid (or failed) on screen as it does in the
// ledger. Only a payout filed under this batch, already matched to a line
// by id, changes anything.
func (b *Batch) recordUpdated(r store.Record) {
	if r.ID == 0 || r.Type != store.TypePayout {
		return
	}
	if b.plan != nil {
		if i, ok := b.byID[r.ID]; ok {
			e := &b.plan.Entries[i]
			e.Rec, e.Status = r, batch.StatusOf(r)
			b.counted()
		}
	}
	for i := range b.done {
		if b.done[i].Rec.ID == r.ID {
			b.done[i].Rec, b.done[i].Status = r, batch.StatusOf(r)
		}
	}
}

// Update handles the flow's keys and messages; leave is true when the
// person goes back to the single payout form.
func (b *Batch) Update(msg tea.Msg) (cmd tea.Cmd, leave bool) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return b.key(msg)
	case common.RecordUpdatedMsg:
		b.recordUpdated(msg.Record)
	case common.LedgerChangedMsg:
		// Too many changes for the watcher to list (or our own send):
		// match the results against the ledger again.
		if b.state == batchDone && b.plan != nil {
			return b.replan(), false
		}
	case batchReplannedMsg:
		if msg.id == b.seq && b.state == batchDone && msg.plan != nil {
			b.setPlan(msg.plan)
		}
	case batchLoadingMsg:
		if msg.id != b.seq || b.state != batchLoading {
			return nil, false
		}
		b.loaded = msg.lines
		return waitBatch(msg.ch), false
	case batchLoadedMsg:
		if msg.id != b.seq || b.state != batchLoading {
			return nil, false
		}
		b.path, b.balance, b.balErr, b.loadErr = msg.path, msg.balance, msg.balErr, msg.err
		b.setPlan(msg.plan)
		if msg.err != nil {
			b.state = batchPath
			b.pathForm.Err = components.ErrorText(msg.err)
			return nil, false
		}
		b.state, b.scroll = batchChecked, 0
		b.total.Reset()
		b.setFocus(focusTotal)
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
			b.setPlan(msg.rep.Plan)
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

// setFocus gives the keys to the total field or to the list.
func (b *Batch) setFocus(f batchFocus) {
	b.focus = f
	in := &b.total.Field("batch_total").Input
	if f == focusTotal {
		in.Focus()
	} else {
		in.Blur()
	}
}

// scrollKey moves the current list for ↑/↓/pgup/pgdn/home/end (and j/k
// when letters are not typed into a field); it reports whether msg was one.
func (b *Batch) scrollKey(msg tea.KeyMsg, letters bool) bool {
	k := b.c.Keys
	page := max(1, b.height/2)
	switch s := msg.String(); {
	case s == "up" || letters && s == "k":
		b.scroll--
	case s == "down" || letters && s == "j":
		b.scroll++
	case key.Matches(msg, k.PageUp):
		b.scroll -= page
	case key.Matches(msg, k.PageDown):
		b.scroll += page
	case s == "home":
		b.scroll = 0
	case s == "end":
		b.scroll = 1 << 30 // clamped when drawn
	default:
		return false
	}
	b.scroll = max(0, b.scroll)
	return true
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
		if key.Matches(msg, k.Back) {
			b.state = batchPath
			return nil, false
		}
		if !b.canSend() {
			switch {
			case b.scrollKey(msg, true):
			case msg.String() == "r":
				return b.load(), false
			}
			return nil, false
		}
		switch {
		case msg.String() == "tab" || msg.String() == "shift+tab":
			if b.focus == focusTotal {
				b.setFocus(focusLines)
			} else {
				b.setFocus(focusTotal)
			}
			return nil, false
		case b.scrollKey(msg, b.focus == focusLines):
			return nil, false
		case key.Matches(msg, k.Submit, k.SubmitForm):
			if b.focus == focusLines {
				b.setFocus(focusTotal)
				return nil, false
			}
			return b.send(), false
		}
		if b.focus == focusTotal {
			return b.total.Update(msg, k), false
		}
	case batchRepeatAsk:
		switch {
		case key.Matches(msg, k.Confirm):
			return b.startSend(true), false
		case key.Matches(msg, k.Cancel):
			b.state = batchChecked
			b.setFocus(focusTotal)
		default:
			b.scrollKey(msg, true)
		}
	case batchDone:
		switch {
		case key.Matches(msg, k.Back, k.NewTx):
			return nil, true
		case b.scrollKey(msg, true):
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
// the balance, in a cmd, off the update loop: a file of 100,000 lines takes
// seconds, during which the console shows how far it got and F2/F3 still
// switch screens.
func (b *Batch) load() tea.Cmd {
	path := expandPath(b.pathForm.Value("batch_path"))
	b.pathForm.ClearErrors()
	if path == "" {
		b.pathForm.SetError("batch_path", components.T("batch.ui.path_required"))
		return nil
	}
	b.seq++
	b.state, b.loaded = batchLoading, 0
	b.done, b.rep, b.sendErr, b.results, b.resErr = nil, nil, nil, "", nil
	id, svc, ctx := b.seq, b.c.Svc, ctxOf(b.c)
	return func() tea.Msg {
		ch := make(chan tea.Msg, 4)
		go func() {
			defer close(ch)
			tell := func(n int) {
				select { // progress may be dropped, never the answer
				case ch <- batchLoadingMsg{id: id, lines: n, ch: ch}:
				default:
				}
			}
			ch <- loadBatch(ctx, svc, id, path, tell)
		}()
		return <-ch
	}
}

// loadBatch is load's work: read, check, plan, balance.
func loadBatch(ctx context.Context, svc *core.Service, id int, path string, tell func(int)) batchLoadedMsg {
	m := batchLoadedMsg{id: id, path: path}
	if svc == nil || svc.Store() == nil {
		m.err = core.ErrOffline
		return m
	}
	f, err := batch.ReadFileProgress(path, tell)
	if err != nil {
		m.err = err
		return m
	}
	tell(-1)
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

// replan matches the batch shown against the ledger again, in a cmd.
func (b *Batch) replan() tea.Cmd {
	id, svc, ctx, f, name := b.seq, b.c.Svc, ctxOf(b.c), b.plan.File, b.plan.Batch
	if svc == nil || svc.Store() == nil {
		return nil
	}
	return func() tea.Msg {
		p, err := batch.MakePlan(ctx, svc.Store(), f, name)
		if err != nil {
			return nil
		}
		return batchReplannedMsg{id: id, plan: p}
	}
}

// send checks the typed total (and that the lines and the total are on
// screen), then asks about repeated payouts or starts the send.
func (b *Batch) send() tea.Cmd {
	b.total.ClearErrors()
	if !b.layout().fits {
		b.total.SetError("batch_total", components.T("batch.ui.enlarge"))
		return nil
	}
	typed, ok := batch.ParseTotal(b.total.Value("batch_total"))
	if !ok || typed != b.plan.File.Total {
		b.total.SetError("batch_total", components.T("batch.ui.total_mismatch"))
		return nil
	}
	if !online(b.c) {
		b.total.SetError("batch_total", components.T("err.offline"))
		return nil
	}
	if len(b.blocked) > 0 {
		b.state, b.scroll = batchRepeatAsk, 0
		return nil
	}
	return b.startSend(false)
}

// startSend starts the send. The state turns to sending before the cmd is
// returned, so a second enter (or y) finds nothing to confirm.
func (b *Batch) startSend(allowRepeat bool) tea.Cmd {
	b.seq++
	b.state, b.done, b.prog = batchSending, nil, batch.Progress{Count: len(b.todo)}
	id, svc, ctx, f, path, total := b.seq, b.c.Svc, ctxOf(b.c), b.plan.File, b.path, b.plan.File.Total
	return func() tea.Msg {
		ch := make(chan tea.Msg, 8)
		go func() {
			defer close(ch)
			rep, err := batch.Send(ctx, svc, f, batch.Options{Batch: batch.BatchName(path), Total: total,
				AllowRepeat: allowRepeat,
				Progress:    func(p batch.Progress) { ch <- batchProgressMsg{id: id, p: p, ch: ch} }})
			done := batchDoneMsg{id: id, rep: rep, err: err}
			if rep != nil && rep.Sent > 0 {
				done.results, done.resultsErr = batch.SaveResults(batch.ResultsPath(path), rep.Plan)
			}
			ch <- done
		}()
		return <-ch
	}
}

// waitBatch reads the next message of a load or a send.
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
	scroll := key.NewBinding(key.WithKeys("up", "down", "j", "k"), key.WithHelp("↑/↓/j/k", t.T("batch.ui.key.scroll")))
	switch b.state {
	case batchPath:
		return []key.Binding{helpKey(k.Submit, t.T("batch.ui.key.check")), helpKey(k.Back, t.T("batch.ui.key.single"))}
	case batchChecked:
		if !b.canSend() {
			return []key.Binding{key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("batch.ui.key.reload"))),
				scroll, helpKey(k.Back, t.T("batch.ui.key.other"))}
		}
		tab := key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t.T("batch.ui.key.focus")))
		if b.focus == focusLines {
			return []key.Binding{scroll, tab, helpKey(k.Back, t.T("batch.ui.key.other"))}
		}
		// j and k are typed into the field: only the arrows scroll.
		arrows := key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", t.T("batch.ui.key.scroll")))
		return []key.Binding{helpKey(k.Submit, t.T("payout.key.send")), arrows, tab, helpKey(k.Back, t.T("batch.ui.key.other"))}
	case batchRepeatAsk:
		return []key.Binding{helpKey(k.Confirm, t.T("batch.ui.key.pay_again")), helpKey(k.Cancel, t.T("batch.ui.key.send_none")), scroll}
	case batchDone:
		return []key.Binding{helpKey(k.Back, t.T("batch.ui.key.single")),
			key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("batch.ui.key.recheck"))), scroll}
	}
	return nil
}

// View draws the current state, never taller than the area given.
func (b *Batch) View() string {
	st, t := b.c.Styles, b.c.T
	head := b.cut(title(st, t.T("batch.ui.title"), safe.Line(b.path)))
	var v string
	switch b.state {
	case batchPath:
		v = title(st, t.T("batch.ui.title"), "") + "\n\n" + b.pathForm.View(st, t) + "\n\n" +
			st.Hint.Render(components.Wrap(t.T("batch.ui.format"), b.width))
		top, end := b.pathForm.FocusLines()
		return components.ScrollTo(v, b.height, 2+top, 2+end)
	case batchLoading:
		msg := t.T("batch.ui.loading")
		switch {
		case b.loaded > 0:
			msg = t.T("batch.ui.loading_n", b.loaded)
		case b.loaded < 0:
			msg = t.T("batch.ui.loading_ledger")
		}
		v = head + "\n\n" + st.Muted.Render(components.Wrap(msg, b.width))
	case batchChecked:
		v = head + "\n" + b.checkedView()
	case batchRepeatAsk:
		v = head + "\n" + b.repeatView()
	case batchSending:
		v = head + "\n\n" + b.sendingView()
	default:
		v = head + "\n" + b.doneView()
	}
	return components.ScrollTo(v, b.height, 0, 0)
}

// cut shortens one line of terminal text to the width, in one step.
func (b *Batch) cut(s string) string {
	if b.width <= 1 {
		return s
	}
	return ansi.Truncate(s, b.width, "…")
}

// An item is one row (or, wrapped, a few rows) of a list: a problem, a
// warning, a line of the file, or how to settle an unknown line. It holds
// an index, not text: only the items on screen are put into words.
type itemKind int

const (
	itemProblem itemKind = iota // a problem in the file (idx into File.Problems): ✘ error, ! warning; cut
	itemRepeat                  // a line repeating a payout (idx into Entries): ✘ blocked, ! warning; wrapped
	itemOrphan                  // ! a paid line changed since (text); wrapped, never cut
	itemEntry                   // a line of the file (idx into Entries): who, how much, where it stands
	itemSettle                  // → how to settle an unknown line (idx into Entries); wrapped
)

type item struct {
	kind itemKind
	idx  int
	text string
}

// checkedItems lists the confirmation's rows: what to look at first, then
// every line of the file.
func (b *Batch) checkedItems() []item {
	t, p := b.c.T, b.plan
	out := make([]item, 0, len(p.Repeats)+len(p.File.Problems)+len(p.Entries))
	for i := range p.Entries {
		if _, ok := p.Repeats[i]; ok {
			out = append(out, item{kind: itemRepeat, idx: i})
		}
	}
	for _, r := range batch.MoneyMoved(p.Orphans) {
		out = append(out, item{kind: itemOrphan, text: batch.OrphanText(t, r)})
	}
	for i := range p.File.Problems {
		out = append(out, item{kind: itemProblem, idx: i})
	}
	for i := range p.Entries {
		out = append(out, item{kind: itemEntry, idx: i})
	}
	return out
}

// render draws one item as rows of the width.
func (b *Batch) render(it item) []string {
	st, t := b.c.Styles, b.c.T
	wrapped := func(lead, text string, style lipgloss.Style) []string {
		var out []string
		for i, l := range strings.Split(components.Wrap(text, max(20, b.width-len([]rune(lead)))), "\n") {
			pre := strings.Repeat(" ", len([]rune(lead)))
			if i == 0 {
				pre = lead
			}
			out = append(out, style.Render(b.cut(pre+l)))
		}
		return out
	}
	switch it.kind {
	case itemProblem:
		p := b.plan.File.Problems[it.idx]
		if p.Line <= 1 && !p.Warning {
			// About the whole file (a results file, a missing column):
			// few, and the advice in them is the point. Wrapped.
			return wrapped("✘ ", batch.ProblemText(t, p), st.Error)
		}
		if p.Warning {
			return []string{st.Warning.Render(b.cut("! " + batch.ProblemText(t, p)))}
		}
		return []string{st.Error.Render(b.cut("✘ " + batch.ProblemText(t, p)))}
	case itemRepeat:
		text := batch.PlanRepeatText(t, b.plan, it.idx)
		if b.plan.Blocked[it.idx] {
			return wrapped("✘ ", text, st.Error)
		}
		return wrapped("! ", text, st.Warning)
	case itemOrphan:
		return wrapped("! ", it.text, st.Warning)
	case itemSettle:
		return wrapped("   → ", batch.SettleText(t, b.plan.Entries[it.idx]), st.Warning)
	}
	return []string{b.entryLine(it.idx)}
}

// window draws items from the scroll offset in at most n rows; when they
// do not all fit, the last row says which are shown. Only the items on
// screen are drawn, so a list of 100,000 lines costs what a page costs.
func (b *Batch) window(items []item, n int) string {
	n = max(n, 1)
	if len(items) == 0 {
		return ""
	}
	fill := func(from, rows int) ([][]string, int) {
		var got [][]string
		used := 0
		for i := from; i < len(items); i++ {
			r := b.render(items[i])
			if used+len(r) > rows && len(got) > 0 {
				break
			}
			got, used = append(got, r), used+len(r)
		}
		return got, used
	}
	b.scroll = min(b.scroll, len(items)-1)
	if b.scroll == 0 {
		if got, used := fill(0, n); len(got) == len(items) && used <= n {
			return joinRows(got) // everything fits: no scrolling
		}
	}
	rows := max(1, n-1) // the last row says where we are
	got, used := fill(b.scroll, rows)
	// At the end of the list, pull earlier items in rather than leave
	// rows empty.
	for b.scroll > 0 && b.scroll+len(got) == len(items) {
		r := b.render(items[b.scroll-1])
		if used+len(r) > rows {
			break
		}
		b.scroll--
		got, used = append([][]string{r}, got...), used+len(r)
	}
	more := b.c.T.T("batch.ui.more", b.scroll+1, b.scroll+len(got), len(items))
	return joinRows(got) + "\n" + b.c.Styles.Muted.Render(b.cut(more))
}

func joinRows(items [][]string) string {
	var rows []string
	for _, r := range items {
		rows = append(rows, r...)
	}
	return strings.Join(rows, "\n")
}

// statusWord is a line's status as the list shows it: a line that repeats
// a payout already made says so.
func (b *Batch) statusWord(i int, e batch.Entry) (string, lipgloss.Style) {
	st, t := b.c.Styles, b.c.T
	if e.Status == batch.StatusToSend && b.plan != nil && b.plan.Blocked[i] {
		return t.T("batch.st.repeat"), st.Error
	}
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
	return batch.StatusText(t, e.Status), style
}

// entryLine is one line of the file on one row: line number, amount, who,
// status; the recipient is cut (in one step) to what the width leaves.
func (b *Batch) entryLine(i int) string {
	return b.entryRow(i, b.plan.Entries[i])
}

func (b *Batch) entryRow(i int, e batch.Entry) string {
	t := b.c.T
	word, style := b.statusWord(i, e)
	amount := batch.Money(e.Line.Amount)
	if e.Line.Bad {
		amount = safe.Line(batch.Cut(e.Line.In.Amount, 16))
	}
	who := safe.Line(entryRecipient(e))
	var line string
	switch {
	case b.width >= 70:
		line = fmt.Sprintf("%-10s %14s  %s", t.T("batch.at.line", e.Line.Num), amount, who)
	case b.width >= 50:
		line = t.T("batch.at.line", e.Line.Num) + "  " + amount + "  " + who
	default:
		line = strconv.Itoa(e.Line.Num) + "  " + amount + "  " + who
	}
	room := max(10, b.width-lipgloss.Width(word)-2)
	return ansi.Truncate(line, room, "…") + "  " + style.Render(word)
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
			parts = append(parts, batch.Cut(s, 40))
		}
	}
	return strings.Join(parts, " · ")
}

// batchLayout is how the confirmation fits the area: the summary full or
// compact, the rows left for the list, and whether the lines and the total
// can be seen at all (when not, nothing can be sent).
type batchLayout struct {
	compact bool
	rows    int
	fits    bool
}

// minListRows: the list must show at least one line of the file and where
// it is in the list.
const minListRows = 2

func (b *Batch) layout() batchLayout {
	avail := b.height - 1 // the title
	full := strings.Count(b.footer(false), "\n") + 1
	if avail-full-1 >= min(6, b.listLen()+1) {
		return batchLayout{rows: avail - full - 1, fits: true}
	}
	compact := strings.Count(b.footer(true), "\n") + 1
	rows := avail - compact
	return batchLayout{compact: true, rows: rows, fits: rows >= minListRows || rows >= 1 && b.listLen() == 1}
}

func (b *Batch) listLen() int {
	if b.plan == nil {
		return 0
	}
	return len(b.plan.Entries) + len(b.plan.Repeats) + len(b.plan.File.Problems)
}

// totalLine is the total field on one row, marked when it has the keys.
func (b *Batch) totalLine() string {
	st, t := b.c.Styles, b.c.T
	fl := b.total.Field("batch_total")
	mark, ls := "  ", st.Label
	if b.focus == focusTotal {
		mark, ls = "› ", st.FocusedLabel
	}
	in := fl.Input
	in.Width = max(8, min(20, b.width-lipgloss.Width(t.T("batch.ui.total"))-6))
	return b.cut(mark + ls.Render(t.T("batch.ui.total")) + "  " + in.View())
}

// footer is the part of the confirmation that stays in sight: the totals,
// the balance before and after, the prompt and the total field.
func (b *Batch) footer(compact bool) string {
	st, t := b.c.Styles, b.c.T
	s := b.sum
	bal, after := "…", "—"
	short := false
	switch {
	case b.balErr != nil:
		bal = "—"
	case b.balance != "":
		bal = money(t, b.balance, "XAF")
		if a, sh, ok := batch.BalanceAfter(b.balance, s.ToSendAmount, s.ToSendFees); ok {
			after, short = money(t, a, "XAF"), sh
		}
	}
	var errLine string
	if in := b.total.Field("batch_total"); !in.Err.IsZero() {
		errLine = st.Error.Render(components.Wrap("✘ "+in.Err.String(t), b.width))
	}
	prompt := t.T("batch.ui.confirm_prompt", st.Code.Render(fmt.Sprint(s.Total)), s.ToSend)
	if compact {
		lines := []string{
			b.cut(t.T("batch.ui.c_total", st.Code.Render(batch.Money(s.Total)), s.ToSend)),
			b.cut(t.T("batch.ui.c_after", after, t.T(batch.AfterNoteKey))),
			b.cut(t.T("batch.ui.c_prompt", st.Code.Render(fmt.Sprint(s.Total)))),
			b.totalLine(),
		}
		if short {
			lines[1] = st.Error.Render(b.cut(t.T("batch.ui.c_after", after, t.T(batch.AfterNoteKey)) + "  " + t.T("batch.s.insufficient")))
		}
		if in := b.total.Field("batch_total"); !in.Err.IsZero() {
			// One row: a small window has none to spare.
			lines = append(lines, st.Error.Render(b.cut("✘ "+in.Err.String(t))))
		}
		return strings.Join(lines, "\n")
	}
	if short {
		after = st.Error.Render(after + "  " + t.T("batch.s.insufficient"))
	}
	rows := []components.Row{
		{Label: t.T("batch.s.lines"), Value: fmt.Sprint(s.Lines)},
		{Label: t.T("batch.s.total"), Value: batch.Money(s.Total), Strong: true},
		{Label: t.T("batch.s.fees"), Value: t.T("batch.s.fees_note", batch.Money(s.Fees), batch.FeePercent)},
		{Label: t.T("batch.s.balance"), Value: bal},
		{Label: t.T("batch.s.after"), Value: after + "  " + st.Muted.Render("("+t.T(batch.AfterNoteKey)+")")},
	}
	if s.Sent > 0 {
		rows = append(rows,
			components.Row{Label: t.T("batch.s.sent"), Value: t.T("batch.s.sent_n", s.Sent, s.Valid)},
			components.Row{Label: t.T("batch.s.to_send"), Value: t.T("batch.s.to_send_n", s.ToSend, batch.Money(s.ToSendAmount))})
	}
	out := components.ConfirmView(st, b.width, t.T("batch.ui.summary"), rows, prompt, b.totalLine(), "")
	if n := len(b.blocked); n > 0 {
		out += "\n" + st.Warning.Render(components.Wrap(t.T("batch.ui.repeat_note", n), b.width))
	}
	if errLine != "" {
		out += "\n" + errLine
	}
	return out
}

func (b *Batch) checkedView() string {
	st, t := b.c.Styles, b.c.T
	f := b.plan.File
	items := b.items
	if !f.OK() {
		// The errors are what matters: as many as fit, scrollable.
		msg := st.Error.Render(b.cut(t.T("batch.errors_count", f.Errors()))) + "\n" +
			st.Muted.Render(components.Wrap(t.T("batch.ui.fix_reload"), b.width))
		return b.window(items, b.height-2-lipgloss.Height(msg)) + "\n" + msg
	}
	if !b.canSend() {
		msg := st.Muted.Render(components.Wrap(t.T("batch.ui.nothing"), b.width))
		return msg + "\n" + b.window(b.resItems, b.height-1-lipgloss.Height(msg))
	}
	l := b.layout()
	if !l.fits {
		return st.Warning.Render(components.Wrap(t.T("batch.ui.enlarge"), b.width))
	}
	if l.compact {
		return b.window(items, l.rows) + "\n" + b.footer(true)
	}
	return b.window(items, l.rows) + "\n\n" + b.footer(false)
}

// repeatView asks whether lines repeating payouts already made are paid
// again, listing them.
func (b *Batch) repeatView() string {
	st, t := b.c.Styles, b.c.T
	blocked := b.blocked
	ask := st.Warning.Render(components.Wrap("? "+t.T("batch.ui.repeat_title")+" "+t.T("batch.ui.repeat_ask", len(blocked)), b.width))
	items := make([]item, len(blocked))
	for n, i := range blocked {
		items[n] = item{kind: itemRepeat, idx: i}
	}
	return ask + "\n" + b.window(items, b.height-1-lipgloss.Height(ask))
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
		out += st.Pending.Render(b.cut(t.T("batch.ui.sending_line", p.Entry.Line.Num, batch.Money(p.Entry.Line.Amount),
			safe.Line(entryRecipient(p.Entry))))) + "\n"
	} else {
		out += "\n"
	}
	out += st.Muted.Render(components.Wrap(t.T("batch.ui.sending_hint"), b.width)) + "\n\n"
	n := max(1, b.height-1-lipgloss.Height(out))
	done := b.done
	if len(done) > n {
		done = done[len(done)-n:]
	}
	var lines []string
	for _, e := range done {
		lines = append(lines, b.entryRow(-1, e))
	}
	return out + strings.Join(lines, "\n")
}

// resultItems lists every line with its result, followed for an unknown
// one by how to settle it.
func (b *Batch) resultItems() []item {
	out := make([]item, 0, len(b.plan.Entries))
	for i, e := range b.plan.Entries {
		out = append(out, item{kind: itemEntry, idx: i})
		if e.Status == batch.StatusUnknown {
			// Wrapped, not cut: the reference in it is what the person
			// must copy.
			out = append(out, item{kind: itemSettle, idx: i})
		}
	}
	return out
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
			why = t.T("batch.insufficient", money(t, b.rep.Balance, "XAF"), batch.Money(b.rep.Need))
		}
		return "\n" + components.Banner(st, components.OutcomeFailure, min(b.width, 70),
			"✘ "+t.T("batch.ui.not_sent"), why) + "\n" + st.Muted.Render(components.Wrap(t.T("batch.ui.key_after_refusal"), b.width))
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
		foot = st.Muted.Render(b.cut(t.T("batch.results_file", safe.Line(b.results))))
	case b.resErr != nil:
		foot = st.Error.Render(b.cut(t.T("batch.ui.results_failed", safe.Line(b.resErr.Error()))))
	}
	rows := b.height - 1 - lipgloss.Height(banner) - 1
	if rows < minListRows+2 {
		// A small window: the headline on one row, then the lines (the
		// banner says the same in more words).
		style := st.Success
		switch o {
		case components.OutcomeUnknown:
			style = st.Warning
		case components.OutcomeFailure:
			style = st.Error
		}
		return style.Render(b.cut(head)) + "\n" + b.window(b.resItems, b.height-3) + "\n" + foot
	}
	return banner + "\n" + b.window(b.resItems, rows) + "\n" + foot
}
