package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
)

func TestHistoryOutputs(t *testing.T) {
	db, path := openLedger(t)
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-a", Amount: "1500", Currency: "XAF", Operator: "CM_OM", CustomerName: `Ngono, "la" patronne`, CustomerPhone: "690112233"},
		{Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-b", Amount: "2000", Currency: "XAF", Operator: "CM_MOMO", CustomerPhone: "677123456"},
		{Type: store.TypePayin, State: store.StatePending, AppRef: "cp-c", Amount: "300", Currency: "XAF", Operator: "CM_OM", Reason: "Facture 12"},
	}
	for i := range recs {
		if err := db.Create(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	run := func(args ...string) (string, string, int) {
		return runCLI(nil, nil, append([]string{"history", "--db", path}, args...)...)
	}
	out, _, code := run("--json")
	var got []store.Record
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 3 || got[0].AppRef != "cp-c" {
		t.Fatalf("--json: code %d, %d records, out %s", code, len(got), out)
	}
	out, _, _ = run("--csv", "--state", "FAILED,SUCCESS")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 || rows[0][0] != "id" || rows[2][9] != `Ngono, "la" patronne` || rows[2][5] != "1500" {
		t.Fatalf("--csv: %v %q", err, rows)
	}
	out, _, _ = run("--type", "payout", "--json")
	if json.Unmarshal([]byte(out), &got); len(got) != 1 || got[0].AppRef != "cp-b" {
		t.Fatalf("--type payout: %s", out)
	}
	out, _, _ = run("--search", "facture", "--json")
	if json.Unmarshal([]byte(out), &got); len(got) != 1 || got[0].AppRef != "cp-c" {
		t.Fatalf("--search: %s", out)
	}
	out, _, _ = run("--limit", "1")
	if !strings.Contains(out, "● pending") || strings.Contains(out, "cp-b") {
		t.Fatalf("table with --limit 1:\n%s", out)
	}
	_, errs, code := run("--state", "DONE")
	if code != 2 || !strings.Contains(errs, "--state") {
		t.Fatalf("bad --state accepted: %d %s", code, errs)
	}
	_, errs, code = run("--since", "yesterday")
	if code != 2 || !strings.Contains(errs, "--since") {
		t.Fatalf("bad --since accepted: %d %s", code, errs)
	}
}

// TestHistoryWithoutLedgerNamesThePath: a mistyped --db is an error that
// names the path, and nothing is created.
func TestHistoryWithoutLedgerNamesThePath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.db")
	out, errs, code := runCLI(nil, nil, "history", "--db", missing, "--json")
	if code != 1 || out != "" || !strings.Contains(errs, missing) {
		t.Fatalf("code %d out %q err %q", code, out, errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("history created a ledger")
	}
}
