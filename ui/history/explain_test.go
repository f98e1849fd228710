package history

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
)

// History opened before any payment, then payments made one after another
// (as on a fresh day): the selection is on the newest row each time, not on
// the first record of the day sliding down the page. A row the cashier chose
// stays chosen.
func TestHistoryStaysOnTheNewestRowAsPaymentsArrive(t *testing.T) {
	db := openDB(t)
	h := newHarness(t, db, 80, 24, Options{})
	var last uint64
	for i := range 4 {
		r := store.Record{Type: store.TypePayin, State: store.StateNew, Amount: "500", Currency: "XAF", CustomerName: "Client"}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		h.send(common.LedgerChangedMsg{})
		if sel, ok := h.m.Selected(); !ok || sel.ID != r.ID {
			t.Fatalf("after payment %d the selection is #%d, want the newest #%d", i+1, sel.ID, r.ID)
		}
		last = r.ID
	}
	h.keys("down") // the cashier picks an older one
	picked, _ := h.m.Selected()
	r := store.Record{Type: store.TypePayin, State: store.StateNew, Amount: "700", Currency: "XAF"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	h.send(common.LedgerChangedMsg{})
	if sel, _ := h.m.Selected(); sel.ID != picked.ID || picked.ID == last {
		t.Fatalf("a row the cashier chose (#%d) was left for #%d", picked.ID, sel.ID)
	}
}

// x asks where to write: the suggested file is in the chosen folder, can be
// edited (here, another folder and a name without .csv), and esc writes
// nothing. The dialog owns the keys meanwhile.
func TestExportAsksWhereToWrite(t *testing.T) {
	db := openDB(t)
	seed(t, db, 7)
	dir, other := t.TempDir(), t.TempDir()
	for _, lang := range []i18n.Lang{i18n.EN, i18n.FR} {
		h := newHarness(t, db, 80, 24, Options{ExportDir: dir})
		*h.m.c.T = *i18n.New(lang)
		h.keys("x")
		want := filepath.Join(dir, "coolpay-history-20260316-090000.csv")
		label := map[i18n.Lang]string{i18n.EN: "Export CSV to: ", i18n.FR: "Exporter le CSV vers : "}[lang]
		if v := h.m.View(); !strings.Contains(v, label) || !strings.Contains(v, "coolpay-history-20260316-090000.csv") ||
			h.m.exportIn.Value() != want || !h.m.InputFocused() {
			t.Fatalf("%s: no dialog with %q:\n%s", lang, want, v)
		}
		h.keys("esc")
		if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 || h.m.InputFocused() {
			t.Fatalf("%s: esc wrote %v", lang, files)
		}
	}
	h := newHarness(t, db, 80, 24, Options{ExportDir: dir})
	h.keys("x")
	h.send(tea.KeyMsg{Type: tea.KeyCtrlU}) // clear the line
	h.typeText(filepath.Join(other, "today"))
	h.keys("enter")
	if _, err := os.Stat(filepath.Join(other, "today.csv")); err != nil {
		t.Fatalf("not written where typed: %v (status %+v)", err, h.status)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Fatalf("written to the suggested folder too: %v", files)
	}
}

// The suggested folder: XDG_DOWNLOAD_DIR, else xdg-user-dirs' file, else
// ~/Downloads when it exists, else home — never the current directory.
func TestDefaultExportDirIsDownloadsOrHome(t *testing.T) {
	home := t.TempDir()
	homeFn := func() (string, error) { return home, nil }
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if got := DefaultExportDir(getenv, homeFn); got != home {
		t.Fatalf("no Downloads: %q, want home", got)
	}
	dl := filepath.Join(home, "Downloads")
	os.Mkdir(dl, 0o755)
	if got := DefaultExportDir(getenv, homeFn); got != dl {
		t.Fatalf("with ~/Downloads: %q", got)
	}
	fr := filepath.Join(home, "Téléchargements")
	os.Mkdir(fr, 0o755)
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# xdg\nXDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o644)
	if got := DefaultExportDir(getenv, homeFn); got != fr {
		t.Fatalf("with user-dirs.dirs: %q", got)
	}
	env["XDG_DOWNLOAD_DIR"] = "~/Downloads"
	if got := DefaultExportDir(getenv, homeFn); got != dl {
		t.Fatalf("with XDG_DOWNLOAD_DIR: %q", got)
	}
	if got := DefaultExportDir(getenv, func() (string, error) { return "", os.ErrNotExist }); got != "." {
		t.Fatalf("no home at all: %q", got)
	}
}

// French History: a space before the colon and "toutes" for Date in the
// filter bar; EUR with a decimal comma; a known API message translated in
// the detail, with the API's own words kept beside it.
func TestFrenchHistoryTypographyAmountsAndMessages(t *testing.T) {
	db := openDB(t)
	r := store.Record{Type: store.TypePaylink, State: store.StateSuccess, Amount: "10.5", Currency: "EUR",
		Operator: "CARD", Message: "Transaction successful", TransactionRef: "TXEUR", Created: baseTime}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db, 80, 24, Options{})
	*h.m.c.T = *i18n.New(i18n.FR)
	h.send(common.LangChangedMsg{})
	v := h.m.View()
	for _, want := range []string{"Type : tous", "État : tous", "Opérateur : tous", "Date : toutes", "10,50 EUR"} {
		if !strings.Contains(v, want) {
			t.Errorf("French list lacks %q:\n%s", want, v)
		}
	}
	h.keys("enter")
	v = h.m.View()
	if !strings.Contains(v, "Transaction réussie (Transaction successful)") || !strings.Contains(v, "10,50 EUR") {
		t.Fatalf("French detail:\n%s", v)
	}
	// English keeps its own typography.
	*h.m.c.T = *i18n.New(i18n.EN)
	h.send(common.LangChangedMsg{})
	h.keys("esc")
	if v := h.m.View(); !strings.Contains(v, "Type: all") || !strings.Contains(v, "Date: all") || !strings.Contains(v, "10.50 EUR") {
		t.Fatalf("English list:\n%s", v)
	}
}
