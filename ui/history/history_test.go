package history

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/export"
	"github.com/coolpay/coolpay/ui/i18n"
)

func TestMain(m *testing.M) {
	// Golden files and time cells must not depend on the machine.
	time.Local = time.UTC
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

var baseTime = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return baseTime.Add(48 * time.Hour) }

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "ledger.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var names = []string{"Alice Mbarga", "Bruno Etoa", "Chantal Ngo", "Didier Fouda"}

// seed inserts n records, one minute apart; record i (1-based) is the i-th
// oldest. Every 5th is PENDING, the others alternate SUCCESS / FAILED.
func seed(t *testing.T, db *store.DB, n int) {
	t.Helper()
	recs := make([]store.Record, n)
	for i := range recs {
		typ := []store.Type{store.TypePayin, store.TypePayout, store.TypePaylink}[i%3]
		st := store.StateSuccess
		switch {
		case (i+1)%5 == 0:
			st = store.StatePending
		case i%2 == 1:
			st = store.StateFailed
		}
		op := []string{"CM_OM", "CM_MOMO", "MCP"}[i%3]
		recs[i] = store.Record{
			Type: typ, State: st, Amount: fmt.Sprint(1000 + i*250), Currency: "XAF", Operator: op,
			CustomerName: names[i%len(names)], CustomerPhone: fmt.Sprintf("69%07d", i),
			AppRef: fmt.Sprintf("cp-20260314-%06d", i+1), TransactionRef: fmt.Sprintf("TX%08d", i+1),
			Reason:  "order " + fmt.Sprint(i+1),
			Created: baseTime.Add(time.Duration(i) * time.Minute),
			Events:  []store.Event{{At: baseTime.Add(time.Duration(i) * time.Minute), Kind: store.EvCreated}},
		}
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
}

func newCommon(db *store.DB) *common.Common {
	return &common.Common{
		Ctx: context.Background(), Styles: common.NewStyles(nil, nil), Keys: common.DefaultKeyMap(),
		T: i18n.New(i18n.EN), Store: db,
	}
}

// harness drives the model the way Bubble Tea would, synchronously: it runs
// each command and feeds its message back. Commands that do not answer
// within a short while (cursor blinks) are dropped.
type harness struct {
	t      *testing.T
	m      *Model
	status []common.StatusMsg
	others []tea.Msg
}

func newHarness(t *testing.T, db *store.DB, w, h int, opts Options) *harness {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	if opts.Debounce == 0 {
		opts.Debounce = time.Millisecond
	}
	hs := &harness{t: t, m: New(newCommon(db), opts)}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd, 0)
}

func (h *harness) run(cmd tea.Cmd, depth int) {
	h.t.Helper()
	if cmd == nil || depth > 50 {
		return
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-ch:
	case <-time.After(200 * time.Millisecond):
		return
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c, depth+1)
		}
	case common.StatusMsg:
		h.status = append(h.status, msg)
	case common.RecordUpdatedMsg:
		h.others = append(h.others, msg)
		_, c := h.m.Update(msg)
		h.run(c, depth+1)
	default:
		// tea.Sequence's message is an unexported []tea.Cmd, run in order.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				h.run(v.Index(i).Interface().(tea.Cmd), depth+1)
			}
			return
		}
		_, c := h.m.Update(msg)
		h.run(c, depth+1)
	}
}

func (h *harness) keys(ks ...string) {
	h.t.Helper()
	for _, k := range ks {
		h.send(keyMsg(k))
	}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func ids(recs []store.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func wantIDs(t *testing.T, got []store.Record, from, to uint64) {
	t.Helper()
	var want []uint64
	for id := from; id >= to && id > 0; id-- {
		want = append(want, id)
	}
	if fmt.Sprint(ids(got)) != fmt.Sprint(want) {
		t.Fatalf("page ids = %v, want %v", ids(got), want)
	}
}

func TestPageDownShowsOlderRecordsAndPageUpComesBack(t *testing.T) {
	db := openDB(t)
	seed(t, db, 25)
	h := newHarness(t, db, 80, 10+chrome, Options{})
	wantIDs(t, h.m.Records(), 25, 16)

	h.keys("pgdown")
	if h.m.Page() != 2 {
		t.Fatalf("page = %d after pgdown", h.m.Page())
	}
	wantIDs(t, h.m.Records(), 15, 6)
	h.keys("pgdown")
	wantIDs(t, h.m.Records(), 5, 1)
	h.keys("pgdown") // the last page: nothing older
	if h.m.Page() != 3 {
		t.Fatalf("pgdown past the end moved to page %d", h.m.Page())
	}
	h.keys("pgup", "pgup")
	wantIDs(t, h.m.Records(), 25, 16)
	if h.m.Page() != 1 {
		t.Fatalf("page = %d after two pgup", h.m.Page())
	}
}

func TestArrowsCrossPageBoundaries(t *testing.T) {
	db := openDB(t)
	seed(t, db, 25)
	h := newHarness(t, db, 80, 10+chrome, Options{})
	for i := 0; i < 9; i++ {
		h.keys("down")
	}
	if r, _ := h.m.Selected(); r.ID != 16 {
		t.Fatalf("selected %d, want 16 (last row of page 1)", r.ID)
	}
	h.keys("down")
	if r, _ := h.m.Selected(); r.ID != 15 || h.m.Page() != 2 {
		t.Fatalf("down from the last row: selected %d on page %d, want 15 on page 2", r.ID, h.m.Page())
	}
	h.keys("up")
	if r, _ := h.m.Selected(); r.ID != 16 || h.m.Page() != 1 {
		t.Fatalf("up from the first row: selected %d on page %d, want 16 on page 1", r.ID, h.m.Page())
	}
}

func TestOnlyOnePageIsInMemory(t *testing.T) {
	db := openDB(t)
	seed(t, db, 2000)
	h := newHarness(t, db, 80, 24, Options{})
	if got := len(h.m.Records()); got != 24-chrome {
		t.Fatalf("%d records in memory, want one page of %d", got, 24-chrome)
	}
	// A taller window asks for a bigger page, still only a page.
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := len(h.m.Records()); got != 40-chrome {
		t.Fatalf("%d records after resize, want %d", got, 40-chrome)
	}
}

func TestTypingIntoSearchIsTextNotShortcuts(t *testing.T) {
	db := openDB(t)
	seed(t, db, 30)
	dir := t.TempDir()
	h := newHarness(t, db, 80, 24, Options{ExportDir: dir})
	h.keys("/")
	if !h.m.InputFocused() {
		t.Fatal("search does not report a focused input: the root would steal keys")
	}
	h.typeText("xrRfq")
	if v := h.m.search.Value(); v != "xrRfq" {
		t.Fatalf("search value %q, want the typed text", v)
	}
	if h.m.Busy() || h.m.mode != modeSearch {
		t.Fatalf("a letter acted as a shortcut: busy=%v mode=%v", h.m.Busy(), h.m.mode)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("typing x in the search exported a CSV: %v", files)
	}
}

func TestSearchFiltersAfterTheDebounce(t *testing.T) {
	db := openDB(t)
	seed(t, db, 40)
	h := newHarness(t, db, 80, 24, Options{})
	h.keys("/")
	h.typeText("chantal")
	recs := h.m.Records()
	if len(recs) == 0 {
		t.Fatal("search found nothing")
	}
	for _, r := range recs {
		if r.CustomerName != "Chantal Ngo" {
			t.Fatalf("search chantal shows %q", r.CustomerName)
		}
	}
	h.keys("esc") // clears the search
	if len(h.m.Records()) != 24-chrome || h.m.applied != "" {
		t.Fatalf("esc did not clear the search: %d rows, applied %q", len(h.m.Records()), h.m.applied)
	}
}

func TestStaleSearchTickAndLatePageAreDropped(t *testing.T) {
	db := openDB(t)
	seed(t, db, 40)
	h := newHarness(t, db, 80, 24, Options{Debounce: time.Hour})
	before := ids(h.m.Records())

	h.keys("/")
	h.m.Update(keyMsg("a")) // ticket 1; its tick is not delivered yet
	h.m.Update(keyMsg("l")) // ticket 2
	// The first keystroke's tick fires late: a newer keystroke is waiting,
	// so it must not search.
	_, cmd := h.m.Update(searchTickMsg{seq: h.m.searchSeq - 1})
	if cmd != nil || h.m.applied != "" {
		t.Fatalf("a stale debounce tick searched (applied %q)", h.m.applied)
	}
	// A page answer for a request that is no longer current is dropped.
	stale := pageMsg{id: h.m.loadID - 1, page: store.Page{Records: []store.Record{{ID: 999}}}}
	h.m.Update(stale)
	if fmt.Sprint(ids(h.m.Records())) != fmt.Sprint(before) {
		t.Fatalf("a late page answer replaced the table: %v", ids(h.m.Records()))
	}
	// The current tick searches.
	h.send(searchTickMsg{seq: h.m.searchSeq})
	if h.m.applied != "al" {
		t.Fatalf("current tick applied %q, want \"al\"", h.m.applied)
	}
	for _, r := range h.m.Records() {
		if !strings.Contains(strings.ToLower(r.CustomerName+r.Reason), "al") {
			t.Fatalf("record %d does not match \"al\": %q", r.ID, r.CustomerName)
		}
	}
	// Two loads in flight: only the newest answer counts.
	_, first := h.m.Update(keyMsg("esc"))
	_ = first
	old := h.m.loadID
	h.m.load()
	h.m.Update(pageMsg{id: old, page: store.Page{Records: []store.Record{{ID: 777}}}})
	if len(h.m.Records()) > 0 && h.m.Records()[0].ID == 777 {
		t.Fatal("the answer of a superseded load was shown")
	}
}

func TestFilterBarCyclesTypeAndState(t *testing.T) {
	db := openDB(t)
	seed(t, db, 60)
	h := newHarness(t, db, 80, 24, Options{})
	h.keys("f")
	if !h.m.InputFocused() {
		t.Fatal("the filter bar must own the keys")
	}
	h.keys("down") // type: payin
	for _, r := range h.m.Records() {
		if r.Type != store.TypePayin {
			t.Fatalf("type filter payin shows a %s", r.Type)
		}
	}
	h.keys("right", "down") // state: not final
	if len(h.m.Records()) == 0 {
		t.Fatal("no pending payins shown")
	}
	for _, r := range h.m.Records() {
		if r.Type != store.TypePayin || r.State.Final() {
			t.Fatalf("filters payin+open show %s %s", r.Type, r.State)
		}
	}
	if !strings.Contains(h.m.View(), "[State: not final]") {
		t.Fatalf("focused filter not marked:\n%s", h.m.View())
	}
	h.keys("enter", "esc") // leave the bar, then clear every filter
	if h.m.filters.active() || len(h.m.Records()) != 24-chrome {
		t.Fatal("esc did not clear the filters")
	}
}

func TestNonFinalRowsAreMarked(t *testing.T) {
	db := openDB(t)
	seed(t, db, 10)
	h := newHarness(t, db, 80, 24, Options{})
	view := h.m.View()
	var pending, success int
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "● pending") {
			pending++
		}
		if strings.Contains(l, "✔ success") {
			success++
		}
	}
	if pending != 2 || success == 0 {
		t.Fatalf("want 2 rows marked ● pending and some ✔ success, got %d and %d:\n%s", pending, success, view)
	}
}

func TestDetailShowsEveryFieldAndTheTrail(t *testing.T) {
	db := openDB(t)
	seed(t, db, 3)
	h := newHarness(t, db, 100, 40, Options{})
	h.keys("enter")
	v := h.m.View()
	for _, want := range []string{"Transaction #3", "TX00000003", "cp-20260314-000003", "Chantal Ngo", "order 3",
		"1 500 XAF", "Event trail", "created"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	h.keys("esc")
	if h.m.mode != modeList {
		t.Fatal("esc did not leave the detail")
	}
}

func TestRecordUpdatedAndLedgerChangedRefreshTheTable(t *testing.T) {
	db := openDB(t)
	seed(t, db, 5)
	h := newHarness(t, db, 80, 24, Options{})
	r := h.m.Records()[0]
	r.State = store.StateCanceled
	h.send(common.RecordUpdatedMsg{Record: r})
	if h.m.Records()[0].State != store.StateCanceled {
		t.Fatal("RecordUpdatedMsg did not update the row")
	}
	nr := store.Record{Type: store.TypePayin, State: store.StateNew, Amount: "500", Currency: "XAF", CustomerName: "Newcomer"}
	if err := db.Create(&nr); err != nil {
		t.Fatal(err)
	}
	h.send(common.LedgerChangedMsg{})
	if h.m.Records()[0].CustomerName != "Newcomer" {
		t.Fatalf("LedgerChangedMsg did not reload: first row %q", h.m.Records()[0].CustomerName)
	}
}

func TestExportWritesEveryMatchingRecordAsCSV(t *testing.T) {
	db := openDB(t)
	seed(t, db, 123)
	dir := t.TempDir()
	h := newHarness(t, db, 80, 24, Options{ExportDir: dir})
	h.keys("x", "enter") // the dialog suggests a file in ExportDir
	if len(h.status) == 0 || h.status[len(h.status)-1].Kind != common.StatusOK {
		t.Fatalf("no success status after export: %+v", h.status)
	}
	last := h.status[len(h.status)-1].Text
	files, _ := filepath.Glob(filepath.Join(dir, "coolpay-history-*.csv"))
	if len(files) != 1 || !strings.Contains(last, files[0]) {
		t.Fatalf("export files %v, status %q (must show the path)", files, last)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 124 || strings.Join(rows[0], ",") != strings.Join(export.CSVHeader(), ",") {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	// Newest first, amounts as integers.
	if rows[1][0] != "123" || rows[1][5] != fmt.Sprint(1000+122*250) {
		t.Fatalf("first data row %v", rows[1])
	}
}

// TestExportFollowsTheCSVFormatSetting: with csv_format fr (coolpay config
// set csv_format fr), History's export is the same French-spreadsheet CSV
// as coolpay history --csv: BOM, semicolons.
func TestExportFollowsTheCSVFormatSetting(t *testing.T) {
	db := openDB(t)
	seed(t, db, 3)
	if err := db.SetSetting(common.SettingCSVFormat, "fr"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n, err := WriteCSV(context.Background(), &b, db, store.Filter{})
	if err != nil || n != 3 {
		t.Fatalf("WriteCSV: %d %v", n, err)
	}
	if !strings.HasPrefix(b.String(), "\uFEFFid;created;updated;") {
		t.Fatalf("not the French-spreadsheet format: %q", b.String()[:40])
	}
}

func TestNetworkActionsSayOfflineWithoutAService(t *testing.T) {
	db := openDB(t)
	seed(t, db, 3)
	h := newHarness(t, db, 80, 24, Options{})
	h.keys("r", "R")
	if len(h.status) != 2 {
		t.Fatalf("want two status messages, got %+v", h.status)
	}
	for _, s := range h.status {
		if s.Kind != common.StatusWarn || !strings.Contains(s.Text, "Offline") {
			t.Fatalf("status %+v, want an offline warning", s)
		}
	}
	if h.m.Busy() {
		t.Fatal("offline reconcile left the screen busy")
	}
}

func TestEmptyLedgerSaysSo(t *testing.T) {
	h := newHarness(t, openDB(t), 80, 24, Options{})
	if !strings.Contains(h.m.View(), "The ledger is empty") {
		t.Fatalf("empty ledger view:\n%s", h.m.View())
	}
}

func TestFrenchLabels(t *testing.T) {
	db := openDB(t)
	seed(t, db, 5)
	h := newHarness(t, db, 80, 24, Options{})
	*h.m.c.T = *i18n.New(i18n.FR)
	h.send(common.LangChangedMsg{})
	v := h.m.View()
	for _, want := range []string{"Montant", "Client", "réussi", "encaiss."} {
		if !strings.Contains(v, want) {
			t.Errorf("French view lacks %q:\n%s", want, v)
		}
	}
}

// BenchmarkPageAtAMillion: the screen's page load (first page and a page
// deep in the ledger) over a million records. Run with -bench PageAt.
func BenchmarkPageAtAMillion(b *testing.B) {
	// The same seeded ledger as make bench's other benchmarks, made once.
	path := os.Getenv("COOLPAY_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "coolpay-bench-1m.db")
	}
	if _, err := os.Stat(path); err != nil {
		db, err := store.Open(path, store.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := store.Seed(db, 1_000_000, 1, false); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
	// A read-write open brings a ledger cached by an older build up to
	// this build's schema (cheap); a read-only one would refuse it.
	if db, err := store.Open(path, store.Options{NoSync: true}); err == nil {
		db.Close()
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	m := New(newCommon(db), Options{Now: fixedNow})
	m.SetSize(80, 24)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.cursors = m.cursors[:1]
		m.onPage(m.load()().(pageMsg))
		for j := 0; j < 10; j++ {
			m.onPage(m.pageDown()().(pageMsg))
		}
		if len(m.Records()) != 24-chrome {
			b.Fatalf("%d records", len(m.Records()))
		}
	}
}

func TestDetailLabelsAreTranslatedInBothLanguages(t *testing.T) {
	full := store.Record{ID: 9, Type: store.TypePayout, State: store.StateUnknown, AppRef: "a", TransactionRef: "b",
		OperatorRef: "c", Amount: "1", Fees: "1", Currency: "XAF", Operator: "MCP", APIStatus: "x", Message: "m",
		Reason: "r", CustomerName: "n", CustomerPhone: "p", CustomerEmail: "e", CustomerUsername: "u",
		CustomerLang: "fr", PaymentURL: "https://x", USSD: "*1#", Action: "a", HTTPStatus: 202, Request: "{}",
		Synthetic: true, Created: baseTime, Updated: baseTime, Events: []store.Event{{At: baseTime, Kind: "sent"}}}
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		c := newCommon(nil)
		c.T = i18n.New(lang)
		m := New(c, Options{Now: fixedNow})
		m.SetSize(100, 60)
		if v := m.detailView(full); strings.Contains(v, "history.") || strings.Contains(v, "app.") {
			t.Errorf("%s: untranslated label in\n%s", lang, v)
		}
	}
}
