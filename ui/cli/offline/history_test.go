package offline_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/cli/offline"
)

func openLedger(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

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
		var out, errb bytes.Buffer
		g := offline.NewGlobals(func(string) string { return "" })
		code := offline.History(g, append([]string{"--db", path}, args...), &out, &errb)
		return out.String(), errb.String(), code
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
	if !strings.Contains(out, "PENDING …") || strings.Contains(out, "cp-b") {
		t.Fatalf("table with --limit 1:\n%s", out)
	}
	_, errs, code := run("--state", "DONE")
	if code == 0 || !strings.Contains(errs, "--state") {
		t.Fatalf("bad --state accepted: %d %s", code, errs)
	}
	_, errs, code = run("--since", "yesterday")
	if code == 0 || !strings.Contains(errs, "--since") {
		t.Fatalf("bad --since accepted: %d %s", code, errs)
	}
}

func TestHistoryWithoutLedgerIsEmpty(t *testing.T) {
	var out, errb bytes.Buffer
	g := offline.NewGlobals(func(string) string { return "" })
	missing := filepath.Join(t.TempDir(), "none.db")
	code := offline.History(g, []string{"--db", missing, "--json"}, &out, &errb)
	if code != 0 || strings.TrimSpace(out.String()) != "[]" {
		t.Fatalf("code %d out %q err %q", code, out.String(), errb.String())
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("history created a ledger")
	}
}
