package e2e

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
)

// Text from outside at its worst, as the issue lists it: ESC and BEL
// sequences (CSI, OSC 0 title, OSC 8 hyperlink, OSC 52 clipboard), C1
// controls (U+009B is a CSI on its own), bidi controls, NUL, formulas.
const (
	osc8     = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
	c1       = "\u009b2J\u0085\u009d0;t\u009c"
	bidiAll  = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
	evilText = escTitle + escClear + escClip + osc8 + c1 + bidiAll + "\x00nul"
)

// obeyedRune: a code point a terminal obeys or that reorders what follows;
// a newline is fine (outputs are made of lines), a tab too (tables).
func obeyedRune(r rune) bool {
	switch {
	case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

func noneObeyed(t *testing.T, what, out string) {
	t.Helper()
	for _, r := range out {
		if obeyedRune(r) {
			t.Errorf("%s prints %U raw:\n%q", what, r, out)
			return
		}
	}
}

// csvInert reads CSV (one record per physical line) and fails on a cell a
// spreadsheet would run as a formula. It returns the rows.
func csvInert(t *testing.T, what, out string, sep rune) [][]string {
	t.Helper()
	noneObeyed(t, what, out)
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	r.Comma = sep
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s is not CSV: %v\n%s", what, err, out)
	}
	if n := strings.Count(strings.TrimSuffix(out, "\n"), "\n") + 1; n != len(rows) {
		t.Errorf("%s: %d lines for %d rows: a cell breaks the line", what, n, len(rows))
	}
	for _, row := range rows[1:] {
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) || strings.HasPrefix(c, "-") && strings.ContainsAny(c, "+=(") {
				t.Errorf("%s: column %s is live: %q", what, rows[0][i], c)
			}
		}
	}
	return rows
}

// hostileLedger: today's records whose every text field is hostile, as a
// callback for a transaction nobody asked for, a customer, a cashier or a
// damaged ledger would leave them.
func hostileLedger(t *testing.T) (string, []store.Record) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().Truncate(time.Second)
	recs := []store.Record{
		{Type: store.TypePayin, State: store.StateNotFound, TransactionRef: "cb-" + escTitle, Amount: "777",
			Currency: "EUR" + escTitle, Operator: formula + c1, Cashier: "awa" + escClip, Created: now, Updated: now},
		{Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-evil", Amount: "1500", Currency: "XAF", Operator: "CM_OM",
			CustomerName: formula + evilText, Reason: cmdFormula + evilText, CustomerPhone: "+237690112233",
			CustomerEmail: "@SUM(A1)" + bidi, Message: "-2+3" + evilText, APIStatus: "\tx" + c1, OperatorRef: "\r=1",
			Cashier: bidiAll + "paul", Created: now.Add(-time.Minute), Updated: now,
			Events: []store.Event{{At: now, Kind: store.EvWarning, Detail: evilText}}},
	}
	for i := range recs {
		if err := db.Create(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return path, recs
}

// TestUntrustedTextIsInertInEveryCommandOutput runs the built binary's
// history and report in every format on a hostile ledger: the tables show
// everything inert; CSV (',' and ';') keeps the text visible, one line per
// row, formulas neutralised in every column; JSON escapes the code points
// encoding/json leaves raw and decodes to the exact values.
func TestUntrustedTextIsInertInEveryCommandOutput(t *testing.T) {
	bin := buildBinary(t)
	db, recs := hostileLedger(t)
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := runSplit(t, bin, nil, append([]string{"--db", db}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		noneObeyed(t, strings.Join(args, " ")+" (stderr)", errs)
		return out
	}
	for _, lang := range []string{"en", "fr"} {
		out := run("history", "--lang", lang)
		noneObeyed(t, "history --lang "+lang, out)
		out = run("report", "--lang", lang)
		noneObeyed(t, "report --lang "+lang, out)
		if !strings.Contains(out, "EUR^[]0;pwned^G") {
			t.Errorf("report --lang %s: the currency is not shown inert:\n%s", lang, out)
		}
	}

	for _, sep := range []string{",", ";"} {
		rows := csvInert(t, "history --csv --sep "+sep, run("history", "--csv", "--sep", sep), rune(sep[0]))
		if len(rows) != 3 {
			t.Fatalf("history --csv: %d rows", len(rows))
		}
		var name, cur string
		for _, row := range rows[1:] {
			if row[14] == "cp-evil" {
				name = row[9]
			} else {
				cur = row[7]
			}
		}
		if !strings.HasPrefix(name, "'"+formula+"^[]0;pwned^G^[[2J") || !strings.Contains(name, "<U+202E><U+202A>") ||
			!strings.HasSuffix(name, "^@nul") {
			t.Errorf("--sep %s: the name's text is not kept visible: %q", sep, name)
		}
		if cur != "EUR^[]0;pwned^G" {
			t.Errorf("--sep %s: currency %q", sep, cur)
		}
	}
	rows := csvInert(t, "report --csv", run("report", "--csv"), ',')
	for _, row := range rows[1:] {
		if row[3] == "" || row[5] == "" {
			t.Errorf("report --csv lost the operator or currency: %q", row)
		}
	}

	out := run("history", "--json")
	noneObeyed(t, "history --json", out)
	for _, esc := range []string{`\u202e`, `\u2066`, `\u009b`, `\u061c`, `\u200f`, `\u001b`, `\u0000`} {
		if !strings.Contains(out, esc) {
			t.Errorf("history --json lacks %s", esc)
		}
	}
	var got []store.Record
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 2 {
		t.Fatalf("history --json: %v\n%s", err, out)
	}
	for _, g := range got {
		for _, want := range recs {
			if g.Amount == want.Amount {
				g.ID, want.ID = 0, 0
				g.Created, g.Updated, want.Created, want.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				for i := range g.Events {
					g.Events[i].At = time.Time{}
				}
				for i := range want.Events {
					want.Events[i].At = time.Time{}
				}
				if g.CustomerName != want.CustomerName || g.Currency != want.Currency || g.Operator != want.Operator ||
					g.Reason != want.Reason || g.Message != want.Message || g.Cashier != want.Cashier ||
					!reflect.DeepEqual(g.Events, want.Events) {
					t.Errorf("history --json does not decode to the stored values:\n%+v\n%+v", g, want)
				}
			}
		}
	}
	out = run("report", "--json")
	noneObeyed(t, "report --json", out)
	var rep struct {
		Groups []struct{ Operator, Cashier, Currency string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Groups) != 2 {
		t.Fatalf("report --json: %v\n%s", err, out)
	}
	seen := false
	for _, g := range rep.Groups {
		seen = seen || g.Currency == "EUR"+escTitle && g.Operator == formula+c1 && g.Cashier == "awa"+escClip
	}
	if !seen {
		t.Errorf("report --json does not keep the exact values: %+v", rep.Groups)
	}
}

// TestPayoutsOutputsAndResultsFileAreInert: a payroll file with hostile
// names and reasons goes through the real binary's payouts check, send and
// status: every --json is inert and exact, and the results file is safe to
// `cat` and to open in a spreadsheet. A NUL in a reason is refused at its
// line before anything is sent.
func TestPayoutsOutputsAndResultsFileAreInert(t *testing.T) {
	bin := buildBinary(t)
	const key = "TEST-e2e-untrusted-private-key"
	sb := sandbox.New(sandbox.Config{PrivateKey: key, ConfirmAfter: 20 * time.Millisecond})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	dir := t.TempDir()
	env := []string{"COOLPAY_DB=" + filepath.Join(dir, "ledger.db"), "COOLPAY_BASE_URL=" + srv.URL + "/api",
		"COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey, "COOLPAY_PRIVATE_KEY=" + key}
	if _, errs, code := runSplit(t, bin, env, "config", "set", "ui_lang", "en"); code != 0 {
		t.Fatalf("creating the ledger: %d %s", code, errs)
	}
	name := "=HYPERLINK(\"\"http://evil.example/\"\")" + escTitle + "\u202eAwa" + c1
	reason := "-2+3 " + escClear + bidiAll
	content := "operator;phone;amount;reason;name\n" +
		fmt.Sprintf("MTN;670000001;1000;\"%s\";\"%s\"\n", reason, name) +
		"Orange;690000002;2000;@prime;Paul\u2066\n"

	// A NUL in a reason: refused at its line, nothing sent.
	nul := filepath.Join(dir, "nul.csv")
	os.WriteFile(nul, []byte(content+"MTN;670000003;500;sal\x00aire;Eve\n"), 0o600)
	out, errs, code := runSplit(t, bin, env, "payouts", "check", nul, "--json")
	noneObeyed(t, "payouts check --json", out+errs)
	var chk struct {
		OK       bool
		Problems []struct {
			Line         int
			Column, Code string
			Value        string
		}
	}
	if err := json.Unmarshal([]byte(out), &chk); err != nil || chk.OK || code == 0 {
		t.Fatalf("check of a file with a NUL: %d %v\n%s%s", code, err, out, errs)
	}
	found := false
	for _, p := range chk.Problems {
		found = found || p.Code == "nul_character" && p.Line == 4 && p.Column == "reason" && p.Value == "sal\x00aire"
	}
	if !found {
		t.Fatalf("the NUL is not named at line 4, reason: %+v", chk.Problems)
	}
	if _, _, code := runSplit(t, bin, env, "payouts", "send", nul, "--total", "3500"); code == 0 || sb.Stats().Payout != 0 {
		t.Fatalf("a file with a NUL was sent: exit %d, %d payouts", code, sb.Stats().Payout)
	}

	file := filepath.Join(dir, "paie.csv")
	os.WriteFile(file, []byte(content), 0o600)
	out, errs, code = runSplit(t, bin, env, "payouts", "send", file, "--total", "3000")
	noneObeyed(t, "payouts send", out+errs)
	if code != 0 || sb.Stats().Payout != 2 {
		t.Fatalf("send: exit %d, %d payouts\n%s%s", code, sb.Stats().Payout, out, errs)
	}
	res, err := os.ReadFile(filepath.Join(dir, "paie.results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := csvInert(t, "cat paie.results.csv", string(res), ';')
	if len(rows) != 3 || !strings.HasPrefix(rows[1][6], `'=HYPERLINK("http://evil.example/")^[]0;pwned^G<U+202E>Awa^[[2J`) ||
		rows[1][8] != "'-2+3 ^[[2J^[[H<U+202E><U+202A><U+202B><U+202C><U+202D><U+2066><U+2067><U+2068><U+2069><U+200E><U+200F><U+061C>" ||
		rows[2][8] != "'@prime" {
		t.Errorf("results file rows: %q", rows)
	}

	out, errs, _ = runSplit(t, bin, env, "payouts", "status", file, "--json")
	noneObeyed(t, "payouts status --json", out+errs)
	var st struct {
		Lines []struct{ Recipient, Status string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || len(st.Lines) != 2 {
		t.Fatalf("payouts status --json: %v\n%s", err, out)
	}
	if !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\u009b`) {
		t.Errorf("payouts status --json does not escape U+202E and U+009B:\n%s", out)
	}
	out, _, _ = runSplit(t, bin, env, "payouts", "check", file, "--json")
	noneObeyed(t, "payouts check --json", out)
	out, _, _ = runSplit(t, bin, env, "history", "--json")
	noneObeyed(t, "history --json after a batch", out)
	var recs []store.Record
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 2 {
		t.Fatalf("history --json: %v", err)
	}
	want := strings.ReplaceAll(name, `""`, `"`)
	if recs[0].CustomerName != want && recs[1].CustomerName != want {
		t.Errorf("the ledger does not keep the name as written: %q %q", recs[0].CustomerName, recs[1].CustomerName)
	}
}

// TestCallbackNobodyAskedForIsKeptInert: `coolpay listen` receives a signed
// callback for a transaction nobody asked for, whose currency retitles the
// terminal and whose operator carries a bidi override and a C1 CSI; the API
// does not know it. The record is kept (NOT_FOUND) with the currency XXX
// and no operator, the values as they came in a warning, escaped; the log,
// report and history in every format show nothing raw.
func TestCallbackNobodyAskedForIsKeptInert(t *testing.T) {
	bin := buildBinary(t)
	const key = "TEST-e2e-untrusted-callback-key"
	sb := sandbox.New(sandbox.Config{PrivateKey: key})
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { sb.Close(); srv.Close() })
	db := filepath.Join(t.TempDir(), "ledger.db")
	env := []string{"COOLPAY_DB=" + db, "COOLPAY_BASE_URL=" + srv.URL + "/api",
		"COOLPAY_PUBLIC_KEY=" + client.SandboxPublicKey, "COOLPAY_PRIVATE_KEY=" + key}
	if _, errs, code := runSplit(t, bin, env, "config", "set", "ui_lang", "en"); code != 0 {
		t.Fatalf("creating the ledger: %d %s", code, errs)
	}
	addr := freePort(t)
	cmd := exec.Command(bin, "listen", "--addr", addr, "--allow-ip", "127.0.0.1")
	cmd.Env = append(os.Environ(), env...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	waitOut := func(what string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for !strings.Contains(out.String(), what) {
			if time.Now().After(deadline) {
				t.Fatalf("the listener never logged %q:\n%s", what, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitOut("Listening for callbacks")
	cur, op := "EUR\x1b]0;x\x07", "OM\u202e\u009b2J"
	cb := client.SignCallback(client.Callback{Application: client.SandboxPublicKey, TransactionRef: "nobody-asked-1",
		TransactionType: "PAYIN", TransactionAmount: "777", TransactionCurrency: cur, TransactionOperator: op,
		TransactionStatus: "SUCCESS"}, key)
	body, _ := json.Marshal(cb)
	resp, err := http.Post("http://"+addr+"/callback", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "OK" {
		t.Fatalf("a signed callback was answered %q:\n%s", b, out.String())
	}
	waitOut("callback confirmed")
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	noneObeyed(t, "the listener's log", out.String())

	run := func(args ...string) string {
		t.Helper()
		o, errs, code := runSplit(t, bin, env, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
		noneObeyed(t, strings.Join(args, " "), o+errs)
		return o
	}
	var recs []store.Record
	if err := json.Unmarshal([]byte(run("history", "--json")), &recs); err != nil || len(recs) != 1 {
		t.Fatalf("history --json: %v %d records", err, len(recs))
	}
	r := recs[0]
	if r.State != store.StateNotFound || r.TransactionRef != "nobody-asked-1" || r.Currency != "XXX" || r.Operator != "" || r.Amount != "777" {
		t.Fatalf("the record: %s %q %q %q %q", r.State, r.TransactionRef, r.Currency, r.Operator, r.Amount)
	}
	var warned string
	for _, e := range r.Events {
		if e.Kind == store.EvWarning {
			warned += e.Detail + "\n"
		}
	}
	if !strings.Contains(warned, `"EUR\x1b]0;x\a"`) || !strings.Contains(warned, `"OM\u202e\u009b2J"`) {
		t.Errorf("the raw values are not kept, escaped, in a warning:\n%s", warned)
	}
	if s := run("history"); !strings.Contains(s, "777 XXX") {
		t.Errorf("history does not show the record:\n%s", s)
	}
	if s := run("report"); !strings.Contains(s, "777 XXX") {
		t.Errorf("report does not count it apart from francs:\n%s", s)
	}
	csvInert(t, "report --csv", run("report", "--csv"), ',')
	run("report", "--json")
}
