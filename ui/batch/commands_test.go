package batch_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

type outs struct{ stdout, stderr bytes.Buffer }

func (r *rig) env(lang i18n.Lang) (batch.Env, *outs) {
	o := &outs{}
	return batch.Env{Svc: r.svc, T: i18n.New(lang), Stdout: &o.stdout, Stderr: &o.stderr}, o
}

// TestCheckCommandNamesEveryBadLine: exit 1, each bad line with its number,
// the duplicate warning, the summary with fees and balances; nothing sent.
func TestCheckCommandNamesEveryBadLine(t *testing.T) {
	r := newRig(t, sandbox.Config{Balance: 100000})
	path, _ := r.write(t, "paie.csv", "operator,phone,amount,name,notes\n"+
		"MTN,670000001,10 000,A,x\n"+
		"MTN,670000001,10 000,A,x\n"+
		"Orange,670000002,1000,B,\n"+ // line 4: MTN number under Orange
		"MTN,670000003,1,500,C,x\n") // line 5: "1,500" splits the amount
	env, o := r.env(i18n.EN)
	if code := batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{}); code != batch.ExitFailed {
		t.Fatalf("exit %d, want 1\n%s", code, o.stdout.String())
	}
	out := o.stdout.String()
	for _, want := range []string{
		`line 4, phone "670000002": Not an Orange number (it is an MTN number).`,
		"line 5: More cells than the header has columns",
		"Lines 2, 3 pay the same amount to the same recipient",
		`Column "notes" is not one coolpay reads`,
		"Total            20 000 XAF",
		"Estimated fees   400 XAF (2%",
		"Balance now      100 000 XAF",
		"Balance after    79 600 XAF",
		"2 error(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("check sent %d payouts", n)
	}

	// JSON: stable fields, exact values.
	env, o = r.env(i18n.EN)
	if code := batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{JSON: true}); code != batch.ExitFailed {
		t.Fatalf("json exit %d", code)
	}
	var js batch.CheckJSON
	if err := json.Unmarshal(o.stdout.Bytes(), &js); err != nil {
		t.Fatalf("%v\n%s", err, o.stdout.String())
	}
	if js.OK || js.Errors != 2 || js.Total.Minor != 20000_00 || js.Balance == nil || js.Balance.Minor != 100000_00 ||
		js.BalanceAfter == nil || js.BalanceAfter.Minor != 79600_00 || js.Lines != 4 || js.Currency != "XAF" {
		t.Fatalf("json %+v", js)
	}
	// Money in coolpay's one JSON form: a decimal string, never a number.
	for _, want := range []string{`"total":\s*"20000"`, `"balance":\s*"100000"`, `"balance_after":\s*"79600"`, `"fees_estimate":\s*"400"`} {
		if !regexp.MustCompile(want).MatchString(o.stdout.String()) {
			t.Errorf("check --json lacks %s:\n%s", want, o.stdout.String())
		}
	}
}

// TestCheckCommandInFrench: the same messages, translated.
func TestCheckCommandInFrench(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	path, _ := r.write(t, "fr.csv", "Opérateur;Téléphone;Montant\nMTN;670000001;1,5\n")
	env, o := r.env(i18n.FR)
	batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{})
	if out := o.stdout.String(); !strings.Contains(out, `ligne 2, montant "1,5": Chiffres uniquement`) {
		t.Fatalf("french output:\n%s", out)
	}
}

// TestSendCommandExitCodesAndResultsFile: wrong total → 1 and nothing
// sent; then a run with a lost answer → 4, a results file beside the file
// in its own delimiter, the unknown line listed with how to settle it.
func TestSendCommandExitCodesAndResultsFile(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "operator;phone;amount;reason;name\n" +
		"MTN;670000001;1 000;Salaire;\"=HYPERLINK(\"\"x\"\")\"\n" +
		"Orange;690000002;2 000;sandbox:drop;B\n" +
		"MCP;;3 000;Prime;C\n"
	path, _ := r.write(t, "nov.csv", strings.Replace(content, "MCP;;", "MCP;670000003;", 1))
	env, o := r.env(i18n.EN)
	if code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "5000"}); code != batch.ExitFailed {
		t.Fatalf("wrong total: exit %d\n%s", code, o.stderr.String())
	}
	if !strings.Contains(o.stderr.String(), "5 000 XAF") || !strings.Contains(o.stderr.String(), "6 000 XAF") {
		t.Fatalf("wrong-total message: %s", o.stderr.String())
	}
	if code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "six mille"}); code != batch.ExitUsage {
		t.Fatalf("unreadable total: exit %d", code)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("refused sends reached the sandbox %d times", n)
	}

	env, o = r.env(i18n.EN)
	code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "6 000"})
	if code != batch.ExitUnsettled {
		t.Fatalf("exit %d, want 4\n%s\n%s", code, o.stdout.String(), o.stderr.String())
	}
	out := o.stdout.String()
	for _, want := range []string{"[1/3] line 2", "✔ paid", "? UNKNOWN", "NEVER re-sent", "merchant area", "Results: "} {
		if !strings.Contains(out, want) {
			t.Errorf("send output lacks %q:\n%s", want, out)
		}
	}
	data, err := os.ReadFile(filepath.Join(r.dir, "nov.results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("results: %v %d rows\n%s", err, len(rows), data)
	}
	if rows[1][1] != "paid" || rows[2][1] != "unknown" || rows[3][1] != "paid" || rows[2][10] == "" {
		t.Fatalf("results rows %q", rows)
	}
	if rows[1][6] != `'=HYPERLINK("x")` {
		t.Fatalf("a formula in a name must not reach the spreadsheet as a formula: %q", rows[1][6])
	}

	// Status from the ledger alone: exit 4 (one line unknown), JSON exact.
	env, o = r.env(i18n.EN)
	if code := batch.StatusCmd(context.Background(), env, path, batch.StatusOptions{JSON: true}); code != batch.ExitUnsettled {
		t.Fatalf("status exit %d", code)
	}
	var st struct {
		Counts map[batch.Status]int
		Lines  []batch.StatusLineJSON
	}
	if err := json.Unmarshal(o.stdout.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	if st.Counts[batch.StatusPaid] != 2 || st.Counts[batch.StatusUnknown] != 1 || st.Lines[1].Line != 3 || st.Lines[1].AppRef == "" {
		t.Fatalf("status json %+v", st)
	}
	if a := st.Lines[1].Amount; a == nil || a.Minor <= 0 || !regexp.MustCompile(`"amount":\s*"`+a.Number()+`"`).MatchString(o.stdout.String()) ||
		regexp.MustCompile(`"amount":\s*[0-9-]`).MatchString(o.stdout.String()) {
		t.Fatalf("status --json: amounts must be decimal strings:\n%s", o.stdout.String())
	}

	// Re-run: nothing sent, still 4 because of the unknown line.
	env, o = r.env(i18n.EN)
	if code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "6000"}); code != batch.ExitUnsettled {
		t.Fatalf("re-run exit %d", code)
	}
	if !strings.Contains(o.stdout.String(), "Nothing to send") || r.sb.Stats().Payout != 3 {
		t.Fatalf("re-run output:\n%s", o.stdout.String())
	}
}

// TestSendCommandAllAcceptedExitsZero: 200 and 202 both count as accepted.
func TestSendCommandAllAcceptedExitsZero(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	path, _ := r.write(t, "ok.csv", "operator,phone,amount\nMTN,670000001,1000\nMTN,670000002,2007\n")
	env, o := r.env(i18n.EN)
	if code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "3007", Out: filepath.Join(r.dir, "out.csv")}); code != batch.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, o.stdout.String(), o.stderr.String())
	}
	if _, err := os.Stat(filepath.Join(r.dir, "out.csv")); err != nil {
		t.Fatalf("--out not written: %v", err)
	}
	if !strings.Contains(o.stdout.String(), "… in progress") {
		t.Fatalf("the 202 line should read in progress:\n%s", o.stdout.String())
	}
}

// TestCommandsWorkOfflineFromTheLedger: check and status need no API.
func TestCommandsWorkOfflineFromTheLedger(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	path, _ := r.write(t, "off.csv", "operator,phone,amount\nMTN,670000001,1000\n")
	o := &outs{}
	env := batch.Env{Svc: core.New(core.Config{Store: r.db}), T: i18n.New(i18n.EN), Stdout: &o.stdout, Stderr: &o.stderr}
	if code := batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{}); code != batch.ExitOK {
		t.Fatalf("offline check exit %d\n%s", code, o.stdout.String())
	}
	if !strings.Contains(o.stdout.String(), "unavailable (offline)") {
		t.Fatalf("offline balance:\n%s", o.stdout.String())
	}
	if code := batch.StatusCmd(context.Background(), env, path, batch.StatusOptions{}); code != batch.ExitUnsettled {
		t.Fatalf("status of an unsent batch: exit %d", code)
	}
	if code := batch.SendCmd(context.Background(), env, path, batch.SendOptions{Total: "1000"}); code != batch.ExitFailed {
		t.Fatalf("offline send: exit %d", code)
	}
}

// TestTerminalOutputIsInert: escape sequences in a cell never reach the
// terminal raw.
func TestTerminalOutputIsInert(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	path, _ := r.write(t, "esc.csv", "operator,phone,amount,name\nMTN,670000001,\x1b[2J10,Bad\u202eName\n")
	env, o := r.env(i18n.EN)
	batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{})
	out := o.stdout.String()
	if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, "^[[2J10") {
		t.Fatalf("raw control characters in output: %q", out)
	}
}

// TestCheckWithoutALedger: a fresh machine can check a file before any
// ledger exists.
func TestCheckWithoutALedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.csv")
	if err := os.WriteFile(path, []byte("operator,phone,amount\nOrange,690000001,1000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := &outs{}
	env := batch.Env{T: i18n.New(i18n.EN), Stdout: &o.stdout, Stderr: &o.stderr}
	if code := batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{}); code != batch.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, o.stdout.String(), o.stderr.String())
	}
	if !strings.Contains(o.stdout.String(), "coolpay payouts send") {
		t.Fatalf("no next step:\n%s", o.stdout.String())
	}
}

// TestCheckWarnsWhenAPaidLineWasChanged: a paid line whose amount was then
// changed is a new payment on top of the first; check says so, by line.
func TestCheckWarnsWhenAPaidLineWasChanged(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	path, f := r.write(t, "w.csv", "operator,phone,amount,name\nMTN,670000001,15000,Awa\n")
	if _, err := send(t, r, f, "w.csv", f.Total); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("operator,phone,amount,name\nMTN,670000001,150000,Awa\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env, o := r.env(i18n.EN)
	batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{})
	if out := o.stdout.String(); !strings.Contains(out, "! Line 2 was sent before as 15 000 XAF to Awa 670000001 (✔ paid") ||
		!strings.Contains(out, "is a new payment") {
		t.Fatalf("no warning about the changed paid line:\n%s", out)
	}
}

// TestSamePaymentsOutsideTheBatchAreFlagged: the same file sent again under
// another batch name, or a line already paid by hand, is named by line in
// check (and again by send) before anything leaves. A line identical to one
// of them (the reason too) blocks the file (exit 1, "blocked" in JSON); the
// same payment with another reason, made in the last 72 hours, is a warning.
func TestSamePaymentsOutsideTheBatchAreFlagged(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "operator,phone,amount,name,reason\nMTN,670000001,15000,Awa,Salaire\nOrange,690000002,8000,Bello,Salaire\nMTN,670000003,500,Chantal,Prime\n"
	path, f := r.write(t, "a.csv", content)
	if _, err := send(t, r, f, "a.csv", f.Total); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_MOMO", Amount: "7000", Phone: "670000004"}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(r.dir, "a-copy.csv")
	os.WriteFile(copyPath, []byte(strings.Replace(content, "Chantal,Prime", "Chantal,Prime de décembre", 1)+
		"MTN,670 000 004,7 000,Daouda,\n"), 0o600)
	env, o := r.env(i18n.EN)
	if code := batch.CheckCmd(context.Background(), env, copyPath, batch.CheckOptions{}); code != batch.ExitFailed {
		t.Errorf("check of a file repeating payouts: exit %d, want 1", code)
	}
	out := o.stdout.String()
	for _, want := range []string{
		`✘ Line 2 (15 000 XAF to Awa · 670000001): this very payment (same reason) was already made on`,
		`in batch "a.csv"`,
		"! Line 4 (500 XAF to Chantal · 670000003): the same payment was made on",
		"✘ Line 5 (7 000 XAF to Daouda · 670000004): this very payment (same reason) was already made on",
		"by hand, outside any batch",
		"3 line(s) repeat payouts already made",
		"--allow-repeat",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check lacks %q:\n%s", want, out)
		}
	}
	env, o = r.env(i18n.EN)
	batch.CheckCmd(context.Background(), env, copyPath, batch.CheckOptions{JSON: true})
	var js batch.CheckJSON
	if err := json.Unmarshal(o.stdout.Bytes(), &js); err != nil || len(js.Repeats) != 4 || js.Repeats[0].Batch != "a.csv" ||
		js.Repeats[3].Batch != "" || !js.Repeats[0].Blocked || js.Repeats[2].Blocked || !js.Repeats[3].Blocked || js.OK {
		t.Fatalf("json repeats: %v %+v ok=%v", err, js.Repeats, js.OK)
	}
	// The original file, checked again, has nothing to send and nothing to flag.
	env, o = r.env(i18n.EN)
	if code := batch.CheckCmd(context.Background(), env, path, batch.CheckOptions{}); code != batch.ExitOK ||
		strings.Contains(o.stdout.String(), "same payment was made") || strings.Contains(o.stdout.String(), "already made") {
		t.Fatalf("a batch's own payouts flagged as repeats (exit %d):\n%s", code, o.stdout.String())
	}
}
