// Package history is the History screen: the ledger as a table, newest first,
// paged from the store (only one screenful of records is ever in memory),
// with filters, search-as-you-type, a detail view, status refresh, reconcile
// and CSV export.
package history

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/text"
)

type mode int

const (
	modeList   mode = iota
	modeSearch      // the search field has the keys
	modeFilter      // the filter bar has the keys
	modeDetail      // one record, every field and its trail
	modeExport      // the CSV export's path field has the keys
	modeAttach      // the detail's attach panel has the keys
)

// chrome is the number of lines of the list view that are not table rows:
// filter bar, search line, column header, pager line.
const chrome = 4

// DefaultDebounce is how long search waits after the last keystroke.
const DefaultDebounce = 250 * time.Millisecond

// Options tune the screen; the zero value is ready for use.
type Options struct {
	ExportDir string           // the folder the export dialog suggests; "" = DefaultExportDir
	Now       func() time.Time // clock for date filters and export names
	Debounce  time.Duration    // search debounce; 0 = DefaultDebounce
	Workers   int              // reconcile concurrency; 0 = 4
}

// Model is the History screen.
type Model struct {
	c    *common.Common
	opts Options

	width, height int
	mode          mode

	// Paging. cursors is a stack: cursors[i] loaded page i+1, the last one
	// is on screen; "" is the first page. Page up pops it.
	cursors    []string
	recs       []store.Record
	next       string
	sel        int
	selID      uint64             // keep this record selected across a reload
	wantLast   bool               // select the last row when the awaited page arrives
	loadID     int                // the page request whose answer is awaited; others are dropped
	cancelLoad context.CancelFunc // stops the scan of the request awaited
	loading    bool
	scan       *scanState // the text search streaming in, nil when none
	loaded     bool
	loadErr    error
	limit      int // page size of the last request

	filters   filters
	search    textinput.Model
	searchSeq int    // debounce ticket: only the latest keystroke's tick searches
	applied   string // the search text the page on screen was loaded with
	fullText  bool   // applied is searched as text everywhere, not as a name

	detail    viewport.Model
	detailRec store.Record
	attach    attachPanel
	flash     uint64 // the record whose detail opens with why r cannot ask (actions.go)

	recon     *reconRun
	reconSeq  int
	exporting bool

	// batch narrows the list to one payout batch (see batch.go).
	batch      string
	batchTally string

	exportIn  textinput.Model // the export dialog's path
	exportErr string
}

// New builds the screen; it loads its first page on the first WindowSizeMsg.
func New(c *common.Common, opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Workers <= 0 {
		opts.Workers = 4
	}
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.CharLimit = 100
	ti.Cursor.SetMode(cursor.CursorStatic) // no blink ticks redrawing over SSH
	m := &Model{c: c, opts: opts, cursors: []string{""}, search: ti, detail: viewport.New(0, 0)}
	m.relabel()
	return m
}

func (m *Model) relabel() {
	m.search.Placeholder = components.Placeholder(m.c.T, "history.search.placeholder")
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return m.loadCashiers() }

// SetSize implements common.Component.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.search.Width = max(10, width-len(m.search.Prompt)-1)
	m.detail.Width = width
	m.detail.Height = max(1, height-1)
	if m.mode == modeDetail {
		m.detail.SetContent(m.detailView(m.detailRec))
	}
}

// rows is the page size: as many records as fit on screen.
func (m *Model) rows() int { return max(1, m.height-chrome) }

// InputFocused implements common.FocusedInput: while searching or in the
// filter bar every key belongs to this screen, so "q" or "1" is text.
func (m *Model) InputFocused() bool {
	return m.mode == modeSearch || m.mode == modeFilter || m.mode == modeExport || m.mode == modeAttach
}

// Busy implements common.Busy: a reconcile or an export is running.
func (m *Model) Busy() bool { return m.recon != nil || m.exporting }

// Selected returns the selected record, if any (for tests and the root).
func (m *Model) Selected() (store.Record, bool) {
	if m.sel < 0 || m.sel >= len(m.recs) {
		return store.Record{}, false
	}
	return m.recs[m.sel], true
}

// Page is the 1-based number of the page on screen.
func (m *Model) Page() int { return len(m.cursors) }

// Records is the page on screen (for tests).
func (m *Model) Records() []store.Record { return m.recs }

// ---- loading ----

// pageMsg answers a page request; id says which.
type pageMsg struct {
	id       int
	page     store.Page
	err      error
	fullText bool // a name found no customer: the page is the text search's
}

// load asks the store for the page at the top of the cursor stack. The
// store and the filter are captured now, not read by the goroutine.
func (m *Model) load() tea.Cmd {
	m.loadID++
	id := m.loadID
	m.loading = true
	// A newer request supersedes the last one: stop its scan (a search
	// for a rare word reads the whole ledger) instead of only dropping
	// its answer.
	if m.cancelLoad != nil {
		m.cancelLoad()
	}
	ctx, cancel := context.WithCancel(m.ctx())
	m.cancelLoad = cancel
	db := m.c.Store
	f := m.filters.storeFilter(m.applied, m.opts.Now(), m.fullText)
	limit := m.rows()
	m.limit = limit
	cursor := m.cursors[len(m.cursors)-1]
	if m.batch != "" {
		return m.loadBatch(ctx, id, limit, cursor)
	}
	search := m.applied
	m.scan = nil
	if search != "" && db != nil {
		return m.streamSearch(ctx, db, id, f, limit, cursor)
	}
	return func() tea.Msg {
		if db == nil {
			return pageMsg{id: id, err: errNoLedger}
		}
		return listPage(ctx, db, id, f, search, limit, cursor, nil)
	}
}

// listPage is one page request. A name that finds no customer is looked
// for as text everywhere (reasons, references, e-mails), the slower way.
func listPage(ctx context.Context, db *store.DB, id int, f store.Filter, search string, limit int, cursor string, progress func(store.Progress)) pageMsg {
	p, err := db.ListProgress(ctx, f, limit, cursor, progress)
	if err == nil && len(p.Records) == 0 && cursor == "" && f.Customer != "" && nameLike(search) {
		f.Customer, f.Search = "", search
		p, err = db.ListProgress(ctx, f, limit, cursor, progress)
		return pageMsg{id: id, page: p, err: err, fullText: true}
	}
	return pageMsg{id: id, page: p, err: err}
}

// ---- a search streaming in ----

// A text search may read the whole ledger (a word found nowhere, a million
// records). It runs in a goroutine of its own and reports, a few times a
// second, how far it has read and the hits found so far: the table fills
// as they come and the pager line says "searching… 43%". Its reports come
// through a channel, one message at a time (searchProgressMsg, then the
// final pageMsg), all with the request id: a report of a request that was
// superseded is dropped, and its scan was stopped by load.

// scanState is the search being streamed.
type scanState struct {
	id             int
	scanned, total int
}

// searchProgressMsg: the search of request id has read further.
type searchProgressMsg struct {
	id       int
	progress store.Progress
	next     <-chan tea.Msg // where the next report comes from
}

func (m *Model) streamSearch(ctx context.Context, db *store.DB, id int, f store.Filter, limit int, cursor string) tea.Cmd {
	m.scan = &scanState{id: id}
	search := m.applied
	// One report waits at most; a newer one replaces it (each carries the
	// hits so far, so none is lost). The final page always gets through,
	// unless the request was superseded (ctx ends): the goroutine never
	// waits for a reader that has gone.
	ch := make(chan tea.Msg, 1)
	report := func(p store.Progress) {
		msg := searchProgressMsg{id: id, progress: p, next: ch}
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- msg:
		default:
		}
	}
	return func() tea.Msg {
		go func() {
			defer close(ch)
			final := listPage(ctx, db, id, f, search, limit, cursor, report)
			select {
			case <-ch: // a report the page makes stale
			default:
			}
			select {
			case ch <- final:
			case <-ctx.Done():
			}
		}()
		return <-ch
	}
}

// waitReport is the command that takes the next report of a search.
func waitReport(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-ch } // nil once the search has ended
}

func (m *Model) onSearchProgress(msg searchProgressMsg) tea.Cmd {
	if msg.id != m.loadID || m.scan == nil || m.scan.id != msg.id {
		return nil // a superseded search: its scan was stopped
	}
	m.scan.scanned, m.scan.total = msg.progress.Scanned, msg.progress.Total
	if len(msg.progress.Records) > 0 {
		m.recs = msg.progress.Records
		m.next = ""
		m.sel = max(0, min(m.sel, len(m.recs)-1))
		if r, ok := m.Selected(); ok {
			m.selID = r.ID
		}
	}
	return waitReport(msg.next)
}

// searching reports whether a text search is still reading the ledger.
func (m *Model) searching() bool {
	return m.loading && m.scan != nil && m.scan.id == m.loadID
}

// searchPercent is how much of the ledger the running search has read.
func (m *Model) searchPercent() int {
	if m.scan == nil || m.scan.total <= 0 {
		return 0
	}
	return min(100, m.scan.scanned*100/m.scan.total)
}

// loadingNote is the pager line's word while a page loads: "searching…
// 43%" for a text search.
func (m *Model) loadingNote() string {
	if m.searching() {
		return m.c.T.T("history.searching", m.searchPercent())
	}
	return m.c.T.T("history.loading")
}

// searchingLine stands in the empty table while a search has found
// nothing yet (never the rows of the query before, nor "no match").
func (m *Model) searchingLine() string {
	if m.scan == nil || m.scan.total <= 0 {
		return m.c.T.T("history.searching.start")
	}
	return m.c.T.T("history.searching.none", m.searchPercent(),
		text.Count(m.scan.scanned), text.Count(m.scan.total))
}

// reset goes back to the first page (a filter or the search changed).
// Under a text search the rows of the query before go at once: the new
// answer streams in and may take seconds on a large ledger.
func (m *Model) reset() tea.Cmd {
	m.cursors = m.cursors[:1]
	m.sel, m.selID, m.wantLast = 0, 0, false
	if m.applied != "" {
		m.recs, m.next = nil, ""
	}
	return m.load()
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.id != m.loadID {
		return nil // a late answer to a request that was superseded
	}
	if m.cancelLoad != nil {
		m.cancelLoad()
		m.cancelLoad = nil
	}
	m.loading = false
	m.loaded = true
	if msg.fullText {
		m.fullText = true // the next pages continue the text search
	}
	m.loadErr = msg.err
	if msg.err != nil {
		return nil
	}
	if len(msg.page.Records) == 0 && len(m.cursors) > 1 {
		// The page we moved to emptied (records were filtered out or the
		// ledger changed): step back rather than show nothing.
		m.cursors = m.cursors[:len(m.cursors)-1]
		m.wantLast = true
		return m.load()
	}
	m.recs = msg.page.Records
	m.next = msg.page.Next
	switch {
	case m.wantLast:
		m.sel = len(m.recs) - 1
	case m.selID != 0:
		for i, r := range m.recs {
			if r.ID == m.selID {
				m.sel = i
			}
		}
	}
	m.wantLast = false
	m.sel = max(0, min(m.sel, len(m.recs)-1))
	if r, ok := m.Selected(); ok {
		m.selID = r.ID
	}
	return nil
}

func (m *Model) pageDown() tea.Cmd {
	if m.loading || m.next == "" {
		return nil
	}
	m.cursors = append(m.cursors, m.next)
	m.sel, m.selID = 0, 0
	return m.load()
}

func (m *Model) pageUp(selectLast bool) tea.Cmd {
	if m.loading || len(m.cursors) == 1 {
		return nil
	}
	m.cursors = m.cursors[:len(m.cursors)-1]
	m.sel, m.selID, m.wantLast = 0, 0, selectLast
	return m.load()
}

func (m *Model) move(d int) tea.Cmd {
	n := m.sel + d
	switch {
	case n < 0:
		return m.pageUp(true)
	case n >= len(m.recs):
		return m.pageDown()
	}
	m.sel = n
	m.selID = m.recs[n].ID
	return nil
}

// ---- search ----

// searchTickMsg fires Debounce after a keystroke; only the latest one searches.
type searchTickMsg struct{ seq int }

func (m *Model) searchChanged() tea.Cmd {
	m.searchSeq++
	seq := m.searchSeq
	return tea.Tick(m.opts.Debounce, func(time.Time) tea.Msg { return searchTickMsg{seq: seq} })
}

func (m *Model) applySearch() tea.Cmd {
	v := m.search.Value()
	if v == m.applied {
		return nil
	}
	m.fullText = false
	m.applied = v
	return m.reset()
}

// ---- Update ----

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.SetSize(msg.Width, msg.Height)
		if !m.loaded && !m.loading || m.limit != m.rows() {
			return m, m.load()
		}
		return m, nil
	case pageMsg:
		return m, m.onPage(msg)
	case searchProgressMsg:
		return m, m.onSearchProgress(msg)
	case batchPageMsg:
		if msg.id == m.loadID {
			m.batchTally = msg.tally
		}
		return m, m.onPage(pageMsg{id: msg.id, page: msg.page, err: msg.err})
	case searchTickMsg:
		if msg.seq != m.searchSeq {
			return m, nil // a newer keystroke is waiting its turn
		}
		return m, m.applySearch()
	case common.LedgerChangedMsg:
		if len(m.cursors) == 1 && m.sel == 0 {
			// On the newest row: stay on the newest, which is now the
			// record just added, rather than follow the old one down.
			m.selID = 0
		}
		return m, m.load()
	case common.RecordUpdatedMsg:
		m.replace(msg.Record)
		return m, nil
	case common.LangChangedMsg:
		m.relabel()
		if m.mode == modeDetail {
			m.detail.SetContent(m.detailView(m.detailRec))
		}
		return m, nil
	case refreshMsg:
		return m, m.onRefresh(msg)
	case reconStartMsg, reconItemMsg, reconDoneMsg:
		return m, m.onRecon(msg)
	case exportMsg:
		return m, m.onExport(msg)
	case exportPathMsg:
		return m, m.onExportPath(msg)
	case cashiersMsg:
		return m, m.onCashiers(msg)
	case lookupMsg:
		return m, m.onLookup(msg)
	case attachMsg:
		return m, m.onAttach(msg)
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	if m.mode == modeSearch {
		var cmd tea.Cmd
		m.search, cmd = m.search.Update(msg) // cursor blink
		return m, cmd
	}
	return m, nil
}

// replace puts a fresher copy of a record on the page, if it is there.
func (m *Model) replace(r store.Record) {
	for i := range m.recs {
		if m.recs[i].ID == r.ID {
			m.recs[i] = r
		}
	}
	if m.mode == modeDetail && m.detailRec.ID == r.ID {
		m.detailRec = r
		m.detail.SetContent(m.detailView(r))
	}
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	switch m.mode {
	case modeSearch:
		return m.keySearch(msg)
	case modeFilter:
		return m.keyFilter(msg)
	case modeDetail:
		return m.keyDetail(msg)
	case modeExport:
		return m.keyExport(msg)
	case modeAttach:
		return m.keyAttach(msg)
	}
	return m.keyList(msg)
}

func (m *Model) keyList(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if r, ok := m.Selected(); ok {
		if cmd, ok := m.deskKey(msg, r, true); ok {
			return cmd
		}
	}
	switch {
	case key.Matches(msg, km.Up):
		return m.move(-1)
	case key.Matches(msg, km.Down):
		return m.move(1)
	case key.Matches(msg, km.PageDown):
		return m.pageDown()
	case key.Matches(msg, km.PageUp):
		return m.pageUp(false)
	case key.Matches(msg, km.Details):
		if r, ok := m.Selected(); ok {
			m.openDetail(r)
		}
	case key.Matches(msg, km.Refresh):
		if r, ok := m.Selected(); ok {
			return m.refresh(r)
		}
	case key.Matches(msg, km.Reconcile):
		return m.reconcile()
	case key.Matches(msg, batchKey("")) && m.batch == "":
		if r, ok := m.Selected(); ok && r.Batch != "" {
			return m.openBatch(r.Batch)
		}
	case m.batch != "" && key.Matches(msg, km.Filter, km.Search):
		// The batch view lists the whole batch in line order; filters and
		// search are the ledger's (esc goes back to it).
	case key.Matches(msg, km.Filter):
		m.mode = modeFilter
		return m.loadCashiers() // a new cashier may have started since
	case key.Matches(msg, km.Search):
		m.mode = modeSearch
		return m.search.Focus()
	case key.Matches(msg, km.Export):
		return m.askExport()
	case key.Matches(msg, km.Back):
		switch {
		case m.recon != nil:
			m.recon.cancel()
			return status(common.StatusWarn, m.c.T.T("history.reconcile.cancelling"))
		case m.batch != "":
			return m.closeBatch()
		case m.applied != "" || m.filters.active():
			m.search.SetValue("")
			m.applied, m.fullText = "", false
			m.filters = filters{cashiers: m.filters.cashiers}
			return m.reset()
		}
	}
	return nil
}

func (m *Model) keySearch(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	switch {
	case key.Matches(msg, km.Submit):
		m.mode = modeList
		m.search.Blur()
		m.searchSeq++ // a pending tick must not search again
		return m.applySearch()
	case key.Matches(msg, km.Back):
		m.mode = modeList
		m.search.Blur()
		m.search.SetValue("")
		m.searchSeq++
		return m.applySearch()
	// Arrows (not j/k: those are text here) still move the selection.
	case msg.Type == tea.KeyUp:
		return m.move(-1)
	case msg.Type == tea.KeyDown:
		return m.move(1)
	case msg.Type == tea.KeyPgDown:
		return m.pageDown()
	case msg.Type == tea.KeyPgUp:
		return m.pageUp(false)
	}
	before := m.search.Value()
	var cmd tea.Cmd
	m.search, cmd = m.search.Update(msg)
	if m.search.Value() != before {
		return tea.Batch(cmd, m.searchChanged())
	}
	return cmd
}

func (m *Model) keyFilter(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	switch {
	case key.Matches(msg, km.Up):
		m.filters.cycle(-1)
		return m.reset()
	case key.Matches(msg, km.Down):
		m.filters.cycle(1)
		return m.reset()
	case key.Matches(msg, km.Left), key.Matches(msg, km.PrevField):
		m.filters.focus = (m.filters.focus + numFields - 1) % numFields
	case key.Matches(msg, km.Right), key.Matches(msg, km.NextField):
		m.filters.focus = (m.filters.focus + 1) % numFields
	case key.Matches(msg, km.Submit), key.Matches(msg, km.Back), key.Matches(msg, km.Filter):
		m.mode = modeList
	}
	return nil
}

func (m *Model) openDetail(r store.Record) {
	m.mode = modeDetail
	m.flash = 0
	m.detailRec = r
	m.detail.SetContent(m.detailView(r))
	m.detail.GotoTop()
}

func (m *Model) keyDetail(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	if cmd, ok := m.deskKey(msg, m.detailRec, true); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, km.Back):
		m.mode = modeList
	case key.Matches(msg, batchKey("")) && m.detailRec.Batch != "":
		m.mode = modeList
		return m.openBatch(m.detailRec.Batch)
	case key.Matches(msg, km.Refresh):
		return m.refresh(m.detailRec)
	case key.Matches(msg, km.Attach) && canAttach(m.detailRec) && m.c.Svc.Online():
		return m.openAttach()
	case key.Matches(msg, km.Up):
		m.detail.ScrollUp(1)
	case key.Matches(msg, km.Down):
		m.detail.ScrollDown(1)
	case key.Matches(msg, km.PageUp):
		m.detail.PageUp()
	case key.Matches(msg, km.PageDown):
		m.detail.PageDown()
	}
	return nil
}

func status(kind common.StatusKind, text string) tea.Cmd {
	return func() tea.Msg { return common.StatusMsg{Kind: kind, Text: text} }
}

// ctx is the app's context, or Background when the bundle has none (tests).
func (m *Model) ctx() context.Context {
	if m.c.Ctx != nil {
		return m.c.Ctx
	}
	return context.Background()
}

// ---- help ----

// ShortHelp implements help.KeyMap: only what works in the current state.
func (m *Model) ShortHelp() []key.Binding {
	km := m.c.Keys
	t := m.c.T
	switch m.mode {
	case modeSearch:
		return []key.Binding{common.Help(km.Submit, t.T("history.help.apply")),
			common.Help(km.Back, t.T("history.help.clear"))}
	case modeFilter:
		return []key.Binding{km.Left, km.Right, common.Help(km.Down, t.T("history.help.change")),
			common.Help(km.Back, t.T("history.help.done"))}
	case modeExport:
		return []key.Binding{common.Help(km.Submit, t.T("history.help.export")),
			common.Help(km.Back, t.T("app.key.cancel"))}
	case modeDetail:
		b := []key.Binding{km.Back, km.Up, km.Down}
		if m.c.Svc.Online() {
			b = append(b, km.Refresh)
			if canAttach(m.detailRec) {
				b = append(b, km.Attach)
			}
		}
		return b
	case modeAttach:
		return m.attachHelp()
	}
	var b []key.Binding
	if len(m.recs) > 0 {
		b = append(b, km.Up, km.Down, km.Details)
	}
	if m.next != "" {
		b = append(b, km.PageDown)
	}
	if len(m.cursors) > 1 {
		b = append(b, km.PageUp)
	}
	if m.batch != "" {
		return append(b, common.Help(km.Back, t.T("batch.history.key.all")))
	}
	if r, ok := m.Selected(); ok && r.Batch != "" {
		b = append(b, batchKey(t.T("batch.history.key.open")))
	}
	b = append(b, km.Search, km.Filter)
	if m.c.Svc.Online() && len(m.recs) > 0 {
		b = append(b, km.Refresh)
	}
	return b
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	km := m.c.Keys
	if m.mode != modeList {
		return [][]key.Binding{m.ShortHelp()}
	}
	var nav []key.Binding
	if len(m.recs) > 0 {
		nav = append(nav, km.Up, km.Down, km.Details)
	}
	if m.next != "" {
		nav = append(nav, km.PageDown)
	}
	if len(m.cursors) > 1 {
		nav = append(nav, km.PageUp)
	}
	act := append([]key.Binding{km.Search, km.Filter, km.Export}, m.deskHelp(len(m.recs) > 0)...)
	if m.c.Svc.Online() {
		if len(m.recs) > 0 {
			act = append(act, km.Refresh)
		}
		act = append(act, km.Reconcile)
	}
	if m.recon != nil || m.applied != "" || m.filters.active() {
		act = append(act, common.Help(km.Back, m.c.T.T("history.help.reset")))
	}
	return [][]key.Binding{nav, act}
}
