package cli_test

import (
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

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

// TestHistoryJSONFollowsCreationTime: records imported after newer ones
// (as an import or a clock set back leaves them) still come newest first,
// by creation time, across the command's 500-record pages, with and
// without a filter and a limit.
func TestHistoryJSONFollowsCreationTime(t *testing.T) {
	db, path := openLedger(t)
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	live := store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-live", Amount: "500", Currency: "XAF", Created: base.Add(60 * 24 * time.Hour)}
	if err := db.Create(&live); err != nil {
		t.Fatal(err)
	}
	// An import of 1,200 older payments, in the order a bank file lists
	// them: not by date.
	imp := make([]store.Record, 1200)
	for i := range imp {
		st := store.StateSuccess
		if i%4 == 0 {
			st = store.StateFailed
		}
		imp[i] = store.Record{Type: store.TypePayin, State: st, AppRef: "cp-imp-" + strconv.Itoa(i), Amount: "100", Currency: "XAF",
			Created: base.Add(time.Duration((i*7919)%600) * time.Hour)} // two at each hour
	}
	if err := db.Insert(imp); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"--limit", "0"}, 1201},
		{[]string{"--limit", "700"}, 700},
		{[]string{"--limit", "0", "--state", "FAILED"}, 300},
	} {
		out, errs, code := runCLI(nil, nil, append([]string{"history", "--db", path, "--json"}, c.args...)...)
		var got []store.Record
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != c.want {
			t.Fatalf("%v: code %d, %d records, want %d: %s", c.args, code, len(got), c.want, errs)
		}
		if c.args[len(c.args)-1] != "FAILED" && got[0].AppRef != "cp-live" {
			t.Fatalf("%v: first record %s, want the newest, cp-live", c.args, got[0].AppRef)
		}
		seen := map[uint64]bool{}
		for i, r := range got {
			if seen[r.ID] {
				t.Fatalf("%v: record %d twice", c.args, r.ID)
			}
			seen[r.ID] = true
			if i > 0 && (r.Created.After(got[i-1].Created) || r.Created.Equal(got[i-1].Created) && r.ID > got[i-1].ID) {
				t.Fatalf("%v: record %d (%v) after %d (%v): not newest first", c.args, r.ID, r.Created, got[i-1].ID, got[i-1].Created)
			}
		}
	}
}

// TestHistoryReportsALedgerItCannotRead: history checks the schema in its
// first read (no open of its own for it); the errors are what an open
// gives: a newer schema named with the path, nothing on stdout, and a file
// never set up is the missing-ledger message.
func TestHistoryReportsALedgerItCannotRead(t *testing.T) {
	db, path := openLedger(t)
	r := store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-a", Amount: "1", Currency: "XAF"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	db.Close()
	bdb, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	bdb.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, store.SchemaVersion+1))
	})
	bdb.Close()
	for _, args := range [][]string{{"--json"}, {"--csv"}, {}} {
		out, errs, code := runCLI(nil, nil, append([]string{"history", "--db", path}, args...)...)
		if code != 1 || out != "" || !strings.Contains(errs, "newer") || strings.Count(errs, path) != 1 {
			t.Fatalf("history %v on a newer ledger: code %d, out %q, err %q", args, code, out, errs)
		}
	}
	bare := filepath.Join(t.TempDir(), "bare.db")
	if bdb, err = bolt.Open(bare, 0o600, nil); err != nil {
		t.Fatal(err)
	}
	bdb.Close()
	out, errs, code := runCLI(nil, nil, "history", "--db", bare, "--json")
	_, _, wantCode := runCLI(nil, nil, "history", "--db", filepath.Join(t.TempDir(), "ledger.db"), "--json")
	if code != wantCode || out != "" || !strings.HasPrefix(errs, "coolpay: no ledger at "+bare+":") {
		t.Fatalf("history on a file never set up: code %d %q; want %d and the missing-ledger message", code, errs, wantCode)
	}
}
