package history

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/export"
	"github.com/coolpay/coolpay/ui/receipt"
)

var errNoLedger = errors.New("no ledger is open")

// ---- refresh one record ----

type refreshMsg struct {
	rec     store.Record
	changed bool
	err     error
}

func (m *Model) refresh(r store.Record) tea.Cmd {
	svc := m.c.Svc
	if !svc.Online() {
		return status(common.StatusWarn, m.c.T.T("app.offline.action"))
	}
	if r.TransactionRef == "" {
		// Nothing to ask the API about: the detail says what to do
		// instead, wrapped at the top of the record (a status line would
		// be cut in any but a wide window), with a to attach at hand.
		m.openDetail(r)
		m.flash = r.ID
		m.detail.SetContent(m.detailView(r))
		return nil
	}
	ctx, id := m.ctx(), r.ID
	// In sequence, here and for every "…" line: the line is up before the
	// work starts, so a quick answer cannot be overwritten by it.
	return tea.Sequence(
		status(common.StatusBusy, m.c.T.T("history.refresh.busy", r.ID)),
		func() tea.Msg {
			rec, changed, err := svc.Refresh(ctx, id)
			if rec.ID == 0 {
				rec.ID = id
			}
			return refreshMsg{rec: rec, changed: changed, err: err}
		})
}

func (m *Model) onRefresh(msg refreshMsg) tea.Cmd {
	t := m.c.T
	if msg.err != nil {
		text := t.T("history.refresh.failed", msg.rec.ID, components.ErrorText(msg.err).String(t))
		if errors.Is(msg.err, core.ErrNoReference) {
			text = t.T("history.refresh.noref", msg.rec.ID)
		}
		return status(common.StatusError, text)
	}
	m.replace(msg.rec)
	text := t.T("history.refresh.same", msg.rec.ID, common.StateLabel(t, msg.rec.State))
	if msg.changed {
		text = t.T("history.refresh.changed", msg.rec.ID, common.StateLabel(t, msg.rec.State))
	}
	rec := msg.rec
	cmds := []tea.Cmd{status(stateKind(rec.State), text), func() tea.Msg { return common.RecordUpdatedMsg{Record: rec} }}
	if msg.changed && rec.State.Final() {
		// A payment settled (or a payout was refunded): the header's
		// balance is out of date.
		cmds = append(cmds, func() tea.Msg { return common.RefreshBalanceMsg{} })
	}
	return tea.Batch(cmds...)
}

// stateKind is the status line's mark for a line that reports a state: ✔
// only for a success; a payment still open gets the plain "·", an unknown
// outcome a warning, a failure an error.
func stateKind(s store.State) common.StatusKind {
	switch {
	case s == store.StateSuccess:
		return common.StatusOK
	case s == store.StateUnknown:
		return common.StatusWarn
	case s == store.StateFailed, s == store.StateCanceled, s == store.StateRejected:
		return common.StatusError
	}
	return common.StatusInfo
}

// ---- reconcile all pending ----

// reconRun is one "reconcile all pending" in progress. Its goroutine sends
// progress on ch; the screen reads one message at a time with a command that
// re-issues itself, so the UI never waits.
type reconRun struct {
	id                    int
	cancel                context.CancelFunc
	ch                    chan tea.Msg
	total, done           int
	changed, failed, skip int
}

type reconStartMsg struct{ id, total int }

type reconItemMsg struct {
	id            int
	before, after store.Record
	err           error
}

type reconDoneMsg struct {
	id  int
	err error
}

func waitRecon(ch chan tea.Msg) tea.Cmd {
	return func() tea.Msg { return <-ch }
}

func (m *Model) reconcile() tea.Cmd {
	t := m.c.T
	svc, db := m.c.Svc, m.c.Store
	if !svc.Online() {
		return status(common.StatusWarn, t.T("app.offline.action"))
	}
	if m.recon != nil {
		return status(common.StatusWarn, t.T("history.reconcile.running"))
	}
	m.reconSeq++
	id := m.reconSeq
	ctx, cancel := context.WithCancel(m.ctx())
	ch := make(chan tea.Msg, 16)
	m.recon = &reconRun{id: id, cancel: cancel, ch: ch}
	workers := m.opts.Workers
	send := func(msg tea.Msg) {
		select {
		case ch <- msg:
		case <-ctx.Done():
			// Cancelled: progress no longer matters, and must not
			// block the workers.
		}
	}
	run := func() {
		defer cancel()
		if recs, err := db.Unsettled(); err == nil {
			send(reconStartMsg{id: id, total: len(recs)})
		}
		err := svc.Reconcile(ctx, workers, func(before, after store.Record, err error) {
			send(reconItemMsg{id: id, before: before, after: after, err: err})
		})
		// The done message must arrive even after a cancel: the screen
		// re-issues its read after every message until this one.
		ch <- reconDoneMsg{id: id, err: err}
	}
	return tea.Sequence(
		status(common.StatusBusy, t.T("history.reconcile.start")),
		func() tea.Msg {
			go run()
			return <-ch
		})
}

func (m *Model) onRecon(msg tea.Msg) tea.Cmd {
	r := m.recon
	t := m.c.T
	switch msg := msg.(type) {
	case reconStartMsg:
		if r == nil || msg.id != r.id {
			return nil
		}
		r.total = msg.total
		return waitRecon(r.ch)
	case reconItemMsg:
		if r == nil || msg.id != r.id {
			return nil
		}
		r.done++
		var cmds []tea.Cmd
		switch {
		case errors.Is(msg.err, core.ErrNoReference):
			r.skip++
		case msg.err != nil:
			r.failed++
		default:
			// Every answer is shown (the trail grew); "changed" counts
			// records whose state moved.
			if msg.after.State != msg.before.State {
				r.changed++
			}
			rec := msg.after
			m.replace(rec)
			cmds = append(cmds, func() tea.Msg { return common.RecordUpdatedMsg{Record: rec} })
		}
		cmds = append(cmds, waitRecon(r.ch))
		return tea.Batch(cmds...)
	case reconDoneMsg:
		if r == nil || msg.id != r.id {
			return nil
		}
		m.recon = nil
		kind, text := common.StatusOK, t.T("history.reconcile.done", r.done, r.changed, r.failed, r.skip)
		switch {
		case errors.Is(msg.err, context.Canceled):
			kind, text = common.StatusWarn, t.T("history.reconcile.cancelled", r.done, r.changed)
		case msg.err != nil:
			kind, text = common.StatusError, t.T("history.reconcile.failed", msg.err)
		}
		cmds := []tea.Cmd{status(kind, text), m.load()}
		if r.changed > 0 {
			cmds = append(cmds, func() tea.Msg { return common.RefreshBalanceMsg{} })
		}
		return tea.Batch(cmds...)
	}
	return nil
}

// reconProgress is the progress line shown under the table while running.
func (m *Model) reconProgress() string {
	r := m.recon
	if r == nil {
		return ""
	}
	if r.total > 0 {
		return m.c.T.T("history.reconcile.progress", r.done, r.total, r.changed, r.failed)
	}
	return m.c.T.T("history.reconcile.progress_nototal", r.done, r.changed, r.failed)
}

// ---- CSV export ----

type exportMsg struct {
	path string
	n    int
	err  error
}

// export writes the records the filters and search select to path, the
// file the export dialog settled on.
func (m *Model) export(path string) tea.Cmd {
	t := m.c.T
	if m.exporting {
		return status(common.StatusWarn, t.T("history.export.running"))
	}
	db := m.c.Store
	if db == nil {
		return status(common.StatusError, t.T("history.error.noledger"))
	}
	f := m.filters.storeFilter(m.applied, m.opts.Now(), m.fullText)
	ctx := m.ctx()
	m.exporting = true
	return tea.Sequence(status(common.StatusBusy, t.T("history.export.busy")), func() tea.Msg {
		path, n, err := WriteCSVFile(ctx, db, f, path)
		return exportMsg{path: path, n: n, err: err}
	})
}

func (m *Model) onExport(msg exportMsg) tea.Cmd {
	m.exporting = false
	if msg.err != nil {
		return status(common.StatusError, m.c.T.T("history.export.failed", msg.err))
	}
	return status(common.StatusOK, m.c.T.T("history.export.done", msg.n, msg.path))
}

// WriteCSVFile writes every record matching f, newest first, to a new file
// at path (never overwriting one) and returns its absolute path and the
// number of records. The columns are CSVHeader; amounts are the integer text
// the API was sent. Records are streamed from the store, never all in memory.
func WriteCSVFile(ctx context.Context, db *store.DB, f store.Filter, path string) (string, int, error) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return path, 0, err
	}
	n, err := WriteCSV(ctx, file, db, f)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return path, 0, err
	}
	return path, n, nil
}

// WriteCSV streams the records matching f as CSV (header row first) to w
// and returns how many records it wrote. The format is ui/export's, the
// same as `coolpay history --csv`: RFC 4180, or for a French spreadsheet
// when the csv_format setting says fr.
func WriteCSV(ctx context.Context, w io.Writer, db *store.DB, f store.Filter) (int, error) {
	v, _, _ := db.Setting(common.SettingCSVFormat)
	x := export.NewWriter(w, export.ForSetting(v))
	var werr error
	err := db.Scan(ctx, f, func(r store.Record) bool {
		werr = x.Write(&r)
		return werr == nil
	})
	if err == nil {
		err = werr
	}
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return x.Count(), fmt.Errorf("CSV export: %w", err)
	}
	return x.Count(), nil
}

// ---- the cashier's desk: receipt and pay again ----

// deskKey: "p" shows the receipt of rec, "g" opens the form of rec's type
// filled in from it (the root routes both). ok says the key was one of
// them.
func (m *Model) deskKey(msg tea.KeyMsg, rec store.Record, have bool) (tea.Cmd, bool) {
	t := m.c.T
	switch {
	case !have:
		return nil, false
	case key.Matches(msg, common.ReceiptKey(t)):
		return receipt.Show(rec), true
	case key.Matches(msg, common.PayAgainKey(t)):
		return func() tea.Msg { return common.PayAgainMsg{Record: rec} }, true
	}
	return nil, false
}

// deskHelp is the desk's keys, when a record is selected.
func (m *Model) deskHelp(have bool) []key.Binding {
	if !have {
		return nil
	}
	return []key.Binding{common.ReceiptKey(m.c.T), common.PayAgainKey(m.c.T)}
}
