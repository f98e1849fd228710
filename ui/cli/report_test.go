package cli_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
)

// seedDay fills a ledger with records around day (local), in an order that
// is not the order of their times, with cashiers, fees, every type and
// several states, a few EUR paylinks, and records in the last second before
// and the first second after the day.
func seedDay(t *testing.T, db *store.DB, day time.Time) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	types := []store.Type{store.TypePayin, store.TypePayin, store.TypePaylink, store.TypePayout}
	states := []store.State{store.StateSuccess, store.StateSuccess, store.StateFailed, store.StatePending, store.StateUnknown, store.StateCanceled}
	ops := []string{"CM_OM", "CM_MOMO", "MCP", ""}
	cashiers := []string{"awa", "paul", "", "Éloïse"}
	var recs []store.Record
	for i := 0; i < 600; i++ {
		created := day.Add(-3*time.Hour + time.Duration(rng.Int64N(int64(30*time.Hour))))
		r := store.Record{
			Type: types[rng.IntN(len(types))], State: states[rng.IntN(len(states))],
			Operator: ops[rng.IntN(len(ops))], Cashier: cashiers[rng.IntN(len(cashiers))],
			AppRef: fmt.Sprintf("cp-test-%d", i), Amount: strconv.Itoa(100 + rng.IntN(200000)),
			Currency: "XAF", Created: created,
		}
		if rng.IntN(3) == 0 {
			r.Fees = strconv.Itoa(rng.IntN(3000))
		}
		if r.Type == store.TypePaylink && rng.IntN(5) == 0 {
			r.Currency, r.Amount, r.Fees = "EUR", fmt.Sprintf("%d.%02d", rng.IntN(90), rng.IntN(100)), "0.35"
		}
		recs = append(recs, r)
	}
	edge := func(at time.Time, ref string) store.Record {
		return store.Record{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa",
			AppRef: ref, Amount: "1000000", Currency: "XAF", Created: at}
	}
	recs = append(recs, edge(day.Add(-time.Second), "cp-before"), edge(day.AddDate(0, 0, 1), "cp-after"),
		edge(day, "cp-first"), edge(day.AddDate(0, 0, 1).Add(-time.Nanosecond), "cp-last"))
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
}

type reportGroup struct {
	Type, State, Operator, Cashier, Currency string
	Count                                    int
	Amount, Fees                             string
}

// cents reads a decimal amount as hundredths.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	if s == "" {
		return 0
	}
	w, f, _ := strings.Cut(s, ".")
	for len(f) < 2 {
		f += "0"
	}
	n, err := strconv.ParseInt(w+f, 10, 64)
	if err != nil {
		t.Fatalf("amount %q: %v", s, err)
	}
	return n
}

// TestReportEqualsHistorySums: the groups of `coolpay report --json` are
// exactly the sums computed from what `coolpay history --json` lists for
// the same day.
func TestReportEqualsHistorySums(t *testing.T) {
	db, path := openLedger(t)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local)
	seedDay(t, db, day)
	db.Close()

	out, errs, code := runCLI(nil, nil, "history", "--db", path, "--since", "2026-11-20", "--until", "2026-11-20", "--limit", "0", "--json")
	if code != 0 {
		t.Fatalf("history: %d %s", code, errs)
	}
	var listed []store.Record
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatal(err)
	}
	type key struct{ typ, state, op, cashier, cur string }
	want := map[key]*[3]int64{} // count, amount, fees
	refs := map[string]bool{}
	for _, r := range listed {
		refs[r.AppRef] = true
		cur := r.Currency
		if cur == "XAF" {
			cur = ""
		}
		k := key{string(r.Type), string(r.State), r.Operator, r.Cashier, cur}
		if want[k] == nil {
			want[k] = new([3]int64)
		}
		want[k][0]++
		want[k][1] += cents(t, r.Amount)
		want[k][2] += cents(t, r.Fees)
	}
	if !refs["cp-first"] || !refs["cp-last"] || refs["cp-before"] || refs["cp-after"] || len(listed) < 400 {
		t.Fatalf("history's day is not the test's day: %d records, edges %v", len(listed), refs)
	}

	out, errs, code = runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--json")
	if code != 0 {
		t.Fatalf("report: %d %s", code, errs)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &raw); err != nil || len(raw) != 2 || string(raw["date"]) != `"2026-11-20"` {
		t.Fatalf("report --json is not {date, groups}: %v\n%s", err, out)
	}
	var groups []map[string]any
	if err := json.Unmarshal(raw["groups"], &groups); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, g := range groups {
		for _, f := range []string{"type", "state", "operator", "cashier", "count", "amount", "fees"} {
			if _, ok := g[f]; !ok {
				t.Fatalf("group without %q: %v", f, g)
			}
		}
		if _, ok := g["amount"].(string); !ok {
			t.Fatalf("amount is not a decimal string: %v", g)
		}
		cur, _ := g["currency"].(string)
		if cur == "XAF" {
			t.Fatalf("XAF groups carry no currency field: %v", g)
		}
		k := key{g["type"].(string), g["state"].(string), g["operator"].(string), g["cashier"].(string), cur}
		w := want[k]
		if w == nil {
			t.Fatalf("report has a group history does not: %v", g)
		}
		n := int64(g["count"].(float64))
		if n != w[0] || cents(t, g["amount"].(string)) != w[1] || cents(t, g["fees"].(string)) != w[2] {
			t.Errorf("group %v: report %v, history sums %v", k, g, *w)
		}
		delete(want, k)
		total += int(n)
	}
	if len(want) != 0 || total != len(listed) {
		t.Fatalf("history groups missing from the report: %d left, %d counted of %d", len(want), total, len(listed))
	}

	// One cashier: the same as history --cashier.
	out, _, _ = runCLI(nil, nil, "history", "--db", path, "--since", "2026-11-20", "--until", "2026-11-20", "--limit", "0", "--json", "--cashier", "awa")
	json.Unmarshal([]byte(out), &listed)
	out, _, _ = runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--json", "--cashier", "AWA")
	var one struct{ Groups []reportGroup }
	json.Unmarshal([]byte(out), &one)
	n := 0
	for _, g := range one.Groups {
		if g.Cashier != "awa" {
			t.Fatalf("--cashier awa reported %q", g.Cashier)
		}
		n += g.Count
	}
	if n != len(listed) || n == 0 {
		t.Fatalf("--cashier: report counts %d, history lists %d", n, len(listed))
	}

	// CSV: one row per group.
	out, _, code = runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != len(groups)+1 || rows[0][1] != "type" {
		t.Fatalf("--csv: %d %v %d rows for %d groups", code, err, len(rows), len(groups))
	}
}

// TestReportForPeople: the human report in English and French, grouped
// amounts, translated words, an empty day said in words, bad flags exit 2.
func TestReportForPeople(t *testing.T) {
	db, path := openLedger(t)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local)
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Cashier: "awa", AppRef: "a", Amount: "150000", Fees: "3000", Currency: "XAF", Created: day.Add(9 * time.Hour)},
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_MOMO", Cashier: "paul", AppRef: "b", Amount: "20000", Fees: "500", Currency: "XAF", Created: day.Add(10 * time.Hour)},
		{Type: store.TypePayin, State: store.StateFailed, Operator: "CM_OM", Cashier: "awa\x1b[31m", AppRef: "c", Amount: "5000", Currency: "XAF", Created: day.Add(11 * time.Hour)},
		{Type: store.TypePaylink, State: store.StateSuccess, Operator: "CARD", Cashier: "awa", AppRef: "d", Amount: "12.5", Fees: "0.35", Currency: "EUR", Created: day.Add(12 * time.Hour)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	db.Close()
	en, _, code := runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--lang", "en")
	for _, s := range []string{"Report for Friday 20 November 2026", "150 000 XAF", "147 000 XAF", "-20 500 XAF",
		"Orange", "success", "Total: 3 transaction(s), amount 175 000 XAF, fees 3 500 XAF, net 126 500 XAF", "awa^[[31m",
		"Total: 1 transaction(s), amount 12.50 EUR, fees 0.35 EUR, net 12.15 EUR"} {
		if code != 0 || !strings.Contains(en, s) {
			t.Errorf("English report lacks %q:\n%s", s, en)
		}
	}
	if strings.Contains(en, "\x1b") {
		t.Error("a cashier's escape sequence reached the terminal")
	}
	fr, _, _ := runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--lang", "fr")
	for _, s := range []string{"Rapport du vendredi 20 novembre 2026", "Caissier", "réussi", "Total : 3 transaction(s), montant 175 000 XAF",
		"montant 12,50 EUR, frais 0,35 EUR, net 12,15 EUR"} {
		if !strings.Contains(fr, s) {
			t.Errorf("French report lacks %q:\n%s", s, fr)
		}
	}
	empty, _, code := runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-21", "--lang", "fr")
	if code != 0 || !strings.Contains(empty, "Aucune transaction ce jour-là.") {
		t.Errorf("empty day: %d %s", code, empty)
	}
	js, _, _ := runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-21", "--json")
	if strings.TrimSpace(js) != "{\n  \"date\": \"2026-11-21\",\n  \"groups\": []\n}" {
		t.Errorf("empty day as JSON: %s", js)
	}
	if _, errs, code := runCLI(nil, nil, "report", "--db", path, "--date", "20/11/2026"); code != 2 || !strings.Contains(errs, "--date") {
		t.Errorf("bad --date: %d %s", code, errs)
	}
	if _, _, code := runCLI(nil, nil, "report", "--db", path, "--json", "--csv"); code != 2 {
		t.Errorf("--json --csv: exit %d", code)
	}
}

// TestReceiptCommand: coolpay receipt finds a transaction by either
// reference or its ledger id and prints it in the chosen language.
func TestReceiptCommand(t *testing.T) {
	db, path := openLedger(t)
	rec := store.Record{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_MOMO", Cashier: "awa",
		AppRef: "cp-20261129-aa", TransactionRef: "tx-uuid-1", Amount: "2500", Currency: "XAF", CustomerPhone: "677123456"}
	if err := db.Create(&rec); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("merchant_name", "Chez Awa"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, ref := range []string{"tx-uuid-1", "cp-20261129-aa", strconv.FormatUint(rec.ID, 10)} {
		out, errs, code := runCLI(nil, nil, "receipt", ref, "--db", path, "--lang", "fr")
		if code != 0 || !strings.Contains(out, "REÇU") || !strings.Contains(out, "Chez Awa") || !strings.Contains(out, "2 500 XAF") ||
			!strings.Contains(out, "Caissier   awa") || !strings.Contains(out, "MTN") {
			t.Errorf("receipt %s: %d %s\n%s", ref, code, errs, out)
		}
	}
	out, _, _ := runCLI(nil, nil, "receipt", "tx-uuid-1", "--db", path, "--lang", "en")
	if !strings.Contains(out, "RECEIPT") || !strings.Contains(out, "Thank you!") {
		t.Errorf("English receipt:\n%s", out)
	}
	_, errs, code := runCLI(nil, nil, "receipt", "nope\x1b[2J", "--db", path, "--lang", "en")
	if code != 1 || !strings.Contains(errs, "no transaction") || strings.Contains(errs, "\x1b") {
		t.Errorf("unknown ref: %d %q", code, errs)
	}
	if _, _, code := runCLI(nil, nil, "receipt", "--db", path); code != 2 {
		t.Errorf("no REF: exit %d", code)
	}
	t.Setenv("PATH", t.TempDir()) // no lp, no lpr
	_, errs, code = runCLI(nil, nil, "receipt", "tx-uuid-1", "--print", "--db", path, "--lang", "fr")
	if code != 1 || !strings.Contains(errs, "ni lp ni lpr") {
		t.Errorf("--print without a printer: %d %q", code, errs)
	}
}

// TestHistorySearchTakesPhonesAsTyped: a phone number in any of the forms
// people type finds the customer's transactions (from the phone index);
// --customer finds them by the start of a name.
func TestHistorySearchTakesPhonesAsTyped(t *testing.T) {
	db, path := openLedger(t)
	for i, p := range []string{"691234567", "677000111", "691234567"} {
		r := store.Record{Type: store.TypePayin, State: store.StateSuccess, Amount: "100", Currency: "XAF",
			CustomerPhone: p, CustomerName: []string{"Marie Ngono", "Paul Biya", "Marie Ngono"}[i], AppRef: fmt.Sprint("cp-", i)}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	for _, q := range []string{"6 91 23 45 67", "+237 691 234 567", "00237691234567", "691-23-45-67"} {
		out, errs, code := runCLI(nil, nil, "history", "--db", path, "--search", q, "--json")
		var got []store.Record
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got) != 2 || got[0].CustomerPhone != "691234567" {
			t.Errorf("--search %q: %d %s %d records", q, code, errs, len(got))
		}
	}
	out, _, _ := runCLI(nil, nil, "history", "--db", path, "--customer", "pau", "--json")
	var got []store.Record
	if json.Unmarshal([]byte(out), &got); len(got) != 1 || got[0].CustomerName != "Paul Biya" {
		t.Errorf("--customer pau: %s", out)
	}
}

// TestReportCSVForAFrenchSpreadsheet: with csv_format=fr, report --csv is
// written as history --csv is: a byte-order mark, semicolons, and decimal
// amounts with a comma (whole XAF amounts unchanged).
func TestReportCSVForAFrenchSpreadsheet(t *testing.T) {
	db, path := openLedger(t)
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local)
	recs := []store.Record{
		{Type: store.TypePaylink, State: store.StateSuccess, AppRef: "cp-eur", Amount: "12.50", Fees: "0.35", Currency: "EUR", Created: day.Add(time.Hour)},
		{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-xaf", Amount: "1500", Currency: "XAF", Created: day.Add(2 * time.Hour)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("csv_format", "fr"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, errs, code := runCLI(nil, nil, "report", "--db", path, "--date", "2026-11-20", "--csv")
	body, bom := strings.CutPrefix(out, "\uFEFF")
	if code != 0 || !bom {
		t.Fatalf("exit %d, byte-order mark %v: %q %s", code, bom, out, errs)
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) != 3 || rows[0][7] != "amount" {
		t.Fatalf("%v %q", err, rows)
	}
	got := map[string][2]string{}
	for _, row := range rows[1:] {
		got[row[5]] = [2]string{row[7], row[8]}
	}
	if got["EUR"] != [2]string{"12,50", "0,35"} || got["XAF"][0] != "1500" {
		t.Fatalf("amounts: %q", got)
	}
}
