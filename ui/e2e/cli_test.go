package e2e

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// knownLedger writes a ledger with three records whose words, amounts and
// times the tests below look for.
func knownLedger(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base := time.Date(2026, 11, 20, 9, 15, 42, 123456789, time.FixedZone("WAT", 3600))
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-one", TransactionRef: "tx-one", Amount: "50500", Currency: "XAF",
			Operator: "CM_OM", CustomerName: "Gaëlle Ngono; \"la patronne\"", CustomerPhone: "690112233", Created: base},
		{Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-two", Amount: "1250000", Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: "677123456", Created: base.Add(time.Hour)},
		{Type: store.TypePaylink, State: store.StatePending, AppRef: "cp-three", Amount: "12.50", Currency: "EUR",
			Reason: "Facture \x1b[31mrouge\u202e", Created: base.Add(2 * time.Hour)},
	}
	for i := range recs {
		if err := db.Create(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestFrenchOutput: --lang fr or LANG=fr_* turns tables, the record view and
// the balance French, amounts grouped as the console shows them; JSON stays
// byte for byte the same in every language.
func TestFrenchOutput(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t)
	out, errs, code := runSplit(t, bin, nil, "history", "--db", db, "--lang", "fr")
	for _, want := range []string{"Montant", "Client", "✔ réussi", "✘ échoué", "● en attente", "50 500 XAF", "1 250 000 XAF", "Orange", "encaiss.", "décaiss."} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("history --lang fr lacks %q (code %d, %s):\n%s", want, code, errs, out)
		}
	}
	viaEnv, _, _ := runSplit(t, bin, []string{"LANG=fr_CM.UTF-8"}, "history", "--db", db)
	if viaEnv != out {
		t.Errorf("LANG=fr_CM gave another table than --lang fr:\n%s", viaEnv)
	}
	en, _, _ := runSplit(t, bin, []string{"LANG=fr_CM.UTF-8"}, "history", "--db", db, "--lang", "en")
	if !strings.Contains(en, "✔ success") || !strings.Contains(en, "50 500 XAF") {
		t.Errorf("--lang en must win over LANG:\n%s", en)
	}
	// Text from the ledger never reaches the terminal raw.
	if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, "Gaëlle Ngono") {
		t.Errorf("history printed control characters or lost the name:\n%q", out)
	}
	jfr, _, _ := runSplit(t, bin, nil, "history", "--db", db, "--json", "--lang", "fr")
	jen, _, _ := runSplit(t, bin, []string{"LANG=en_US.UTF-8"}, "history", "--db", db, "--json")
	if jfr != jen || !strings.Contains(jfr, `"amount": "50500"`) {
		t.Errorf("--json depends on the language:\n%s\n%s", jfr, jen)
	}
	// Errors coolpay explains itself follow the language too.
	_, errs, code = runSplit(t, bin, nil, "history", "--db", filepath.Join(t.TempDir(), "absent.db"), "--lang", "fr")
	if code != 1 || !strings.Contains(errs, "aucun registre") {
		t.Errorf("missing ledger in French: %d %q", code, errs)
	}
}

// TestExportTimePolicy: JSON and CSV write times in UTC, RFC 3339, whole
// seconds, whatever the zone and precision they were stored with.
func TestExportTimePolicy(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t)
	out, errs, code := runSplit(t, bin, []string{"TZ=Africa/Douala"}, "history", "--db", db, "--json")
	var recs []struct {
		AppRef  string `json:"app_transaction_ref"`
		Created string `json:"created"`
		Events  []struct {
			At string `json:"at"`
		} `json:"events"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 3 {
		t.Fatalf("history --json: %d %s\n%s", code, errs, out)
	}
	last := recs[2]
	if last.AppRef != "cp-one" || last.Created != "2026-11-20T08:15:42Z" || len(last.Events) == 0 || last.Events[0].At != "2026-11-20T08:15:42Z" {
		t.Errorf("JSON times: %+v", last)
	}
	out, _, _ = runSplit(t, bin, []string{"TZ=Africa/Douala"}, "history", "--db", db, "--csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 || rows[3][1] != "2026-11-20T08:15:42Z" {
		t.Errorf("CSV times: %v %q", err, rows)
	}
}

// TestFrenchSpreadsheetCSV: --sep ';' --bom, or the csv_format setting,
// writes what a spreadsheet in French opens as columns and numbers: a BOM,
// semicolons, decimal commas; quoting still keeps a ';' inside a name.
func TestFrenchSpreadsheetCSV(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t)
	byFlags, errs, code := runSplit(t, bin, nil, "history", "--db", db, "--csv", "--sep", ";", "--bom")
	if code != 0 || !strings.HasPrefix(byFlags, "\uFEFFid;created;") {
		t.Fatalf("--csv --sep ';' --bom: %d %s\n%q", code, errs, byFlags)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(byFlags, "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("not ';'-separated CSV: %v\n%s", err, byFlags)
	}
	if rows[1][5] != "12,50" || rows[1][7] != "EUR" || rows[3][5] != "50500" || rows[3][9] != `Gaëlle Ngono; "la patronne"` {
		t.Errorf("fields: %q", rows)
	}
	if rows[1][13] != "Facture ^[[31mrouge<U+202E>" {
		t.Errorf("CSV keeps the text visible but never as terminal controls (as the tables show it): %q", rows[1][13])
	}
	if _, errs, code := runSplit(t, bin, nil, "--db", db, "config", "set", "csv_format", "fr"); code != 0 {
		t.Fatalf("config set csv_format fr: %s", errs)
	}
	bySetting, _, _ := runSplit(t, bin, nil, "history", "--db", db, "--csv")
	if bySetting != byFlags {
		t.Errorf("csv_format fr differs from --sep ';' --bom:\n%q\n%q", bySetting, byFlags)
	}
	plain, _, _ := runSplit(t, bin, nil, "history", "--db", db, "--csv", "--sep", ",", "--bom=false")
	if strings.HasPrefix(plain, "\uFEFF") || !strings.HasPrefix(plain, "id,created,") || !strings.Contains(plain, ",12.50,") {
		t.Errorf("flags must override the setting:\n%s", plain)
	}
	if _, errs, code := runSplit(t, bin, nil, "history", "--db", db, "--sep", ";"); code != 2 || !strings.Contains(errs, "--csv") {
		t.Errorf("--sep without --csv: %d %s", code, errs)
	}
}

// TestTypoPathsCreateNothing: a --db in a directory that does not exist, or
// a file that does not exist, is an error naming the path for every command
// that reads or updates a ledger; no directory and no file appear.
func TestTypoPathsCreateNothing(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	env := []string{"COOLPAY_PUBLIC_KEY=", "COOLPAY_PRIVATE_KEY=", "COOLPAY_BASE_URL=http://127.0.0.1:1/api"}
	for _, db := range []string{filepath.Join(root, "no-such-dir", "ledger.db"), filepath.Join(root, "ledgr.db")} {
		cmds := [][]string{
			{"history"}, {"history", "--json"}, {"config"}, {"config", "list"}, {"config", "get", "base_url"},
			{"config", "unset", "theme"}, {"status", "tx-1"}, {"reconcile"}, {"balance"}, {"keys", "status"}, {"keys", "delete"},
		}
		if strings.Contains(db, "no-such-dir") {
			// Commands that may create a ledger file still never create
			// its directory.
			cmds = append(cmds, []string{"config", "set", "theme", "dark"}, []string{"seed", "--count", "3"},
				[]string{"keys", "set", "--public-key", "pk"}, []string{"listen", "--public-key", "pk", "--addr", "127.0.0.1:0"})
		}
		for _, c := range cmds {
			_, errs, code := runSplit(t, bin, env, append(c, "--db", db)...)
			if code != 1 || !strings.Contains(errs, db) || strings.Contains(errs, "goroutine") {
				t.Errorf("%v --db %s: code %d, stderr %q", c, db, code, errs)
			}
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 0 {
		t.Errorf("commands created %v", entries)
	}
}

// TestConsoleCreatesOnlyItsOwnDirectory: the console's first run makes
// coolpay's data directory for its default ledger, but a --db in a missing
// directory is refused before the screen opens.
func TestConsoleCreatesOnlyItsOwnDirectory(t *testing.T) {
	bin := buildBinary(t)
	missing := filepath.Join(t.TempDir(), "typo", "ledger.db")
	_, errs, code := runSplit(t, bin, nil, "--db", missing)
	if code != 1 || !strings.Contains(errs, missing) {
		t.Fatalf("console on a missing directory: %d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Dir(missing)); !os.IsNotExist(err) {
		t.Fatal("the console created the directory of a --db path")
	}
}

// TestConsoleFirstRunMakesItsDataDirectory: with no ledger anywhere, the
// console (in a real terminal) creates coolpay's own directory under the
// user's data directory and its ledger there, and opens the setup screen.
func TestConsoleFirstRunMakesItsDataDirectory(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	_, data, env := freshDesk(t)
	tm := newTerm(t, "coolpay-e2e-first")
	cmdline := fmt.Sprintf("%s %s --lang en; echo EXIT=$?; sleep 30", env, bin)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", cmdline)
	tm.waitFor(`API address|Public key`, 10*time.Second)
	if _, err := os.Stat(filepath.Join(data, "coolpay", "ledger.db")); err != nil {
		t.Fatalf("first run did not make its ledger: %v", err)
	}
	tm.keys("C-c")
	tm.waitFor(`EXIT=0`, 5*time.Second)
}
