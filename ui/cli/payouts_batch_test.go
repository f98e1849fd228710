package cli

// The payouts commands' own tests, moved with the commands from ui/batch
// (issue #17): they call the commands with a rig of their own (a sandbox,
// a bbolt ledger, a service), as the engine's tests do; the whole command
// tree's tests (runCLI) are in payouts_test.go.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

const payoutsTestKey = "TEST-PRIVATE-KEY-batch-0c4d"

// payoutsRig is a sandbox, a ledger in a temporary folder and the service
// over both, for the payouts commands.
type payoutsRig struct {
	sb  *sandbox.Server
	db  *store.DB
	svc *core.Service
	dir string
}

func newPayoutsRig(t *testing.T, cfg sandbox.Config) *payoutsRig {
	t.Helper()
	cfg.PrivateKey = payoutsTestKey
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 20 * time.Millisecond
	}
	e := sandboxtest.Start(t, cfg)
	dir := t.TempDir()
	db, err := store.Open(filepath.Join(dir, "ledger.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := e.Client(client.WithHTTPClient(&http.Client{Timeout: 2 * time.Second}))
	return &payoutsRig{sb: e.SB, db: db, svc: core.New(core.Config{Client: c, Store: db}), dir: dir}
}

// write saves content as a batch file in the rig's folder and parses it.
func (r *payoutsRig) write(t *testing.T, name, content string) (string, *batch.File) {
	t.Helper()
	path := filepath.Join(r.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := batch.ParseProgress(strings.NewReader(content), nil)
	if err != nil {
		t.Fatal(err)
	}
	return path, f
}

type payoutsOuts struct{ stdout, stderr bytes.Buffer }

func (r *payoutsRig) env(lang i18n.Lang) (payoutsEnv, *payoutsOuts) {
	o := &payoutsOuts{}
	return payoutsEnv{Svc: r.svc, T: i18n.New(lang), Stdout: &o.stdout, Stderr: &o.stderr}, o
}

// payoutsSendFile sends f through the engine (not the command), as a
// batch sent earlier.
func payoutsSendFile(t *testing.T, r *payoutsRig, f *batch.File, name string, total int64) (*batch.Report, error) {
	t.Helper()
	return batch.Send(context.Background(), r.svc, f, batch.Options{Batch: name, Total: total})
}

// payoutsPayroll is a `,` file of n MTN lines whose amounts end in 0 (the
// sandbox pays those at once).
func payoutsPayroll(n int) string {
	var b strings.Builder
	b.WriteString("operator,phone,name,amount,reason\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "MTN,67%07d,Employee %d,%d,salary %d\n", i+1, i+1, 1000+10*i, i+1)
	}
	return b.String()
}

// TestCheckCommandNamesEveryBadLine: exit 1, each bad line with its number,
// the duplicate warning, the summary with fees and balances; nothing sent.
func TestCheckCommandNamesEveryBadLine(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{Balance: 100000})
	path, _ := r.write(t, "paie.csv", "operator,phone,amount,name,notes\n"+
		"MTN,670000001,10 000,A,x\n"+
		"MTN,670000001,10 000,A,x\n"+
		"Orange,670000002,1000,B,\n"+ // line 4: MTN number under Orange
		"MTN,670000003,1,500,C,x\n") // line 5: "1,500" splits the amount
	env, o := r.env(i18n.EN)
	if code := payoutsCheck(context.Background(), env, path, payoutsCheckOptions{}); code != ExitFailed {
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
	if code := payoutsCheck(context.Background(), env, path, payoutsCheckOptions{JSON: true}); code != ExitFailed {
		t.Fatalf("json exit %d", code)
	}
	var js payoutsCheckJSON
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
	r := newPayoutsRig(t, sandbox.Config{})
	path, _ := r.write(t, "fr.csv", "Opérateur;Téléphone;Montant\nMTN;670000001;1,5\n")
	env, o := r.env(i18n.FR)
	payoutsCheck(context.Background(), env, path, payoutsCheckOptions{})
	if out := o.stdout.String(); !strings.Contains(out, `ligne 2, montant "1,5": Chiffres uniquement`) {
		t.Fatalf("french output:\n%s", out)
	}
}

// TestSendCommandExitCodesAndResultsFile: wrong total → 1 and nothing
// sent; then a run with a lost answer → 4, a results file beside the file
// in its own delimiter, the unknown line listed with how to settle it.
func TestSendCommandExitCodesAndResultsFile(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	content := "operator;phone;amount;reason;name\n" +
		"MTN;670000001;1 000;Salaire;\"=HYPERLINK(\"\"x\"\")\"\n" +
		"Orange;690000002;2 000;sandbox:drop;B\n" +
		"MCP;;3 000;Prime;C\n"
	path, _ := r.write(t, "nov.csv", strings.Replace(content, "MCP;;", "MCP;670000003;", 1))
	env, o := r.env(i18n.EN)
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "5000"}); code != ExitFailed {
		t.Fatalf("wrong total: exit %d\n%s", code, o.stderr.String())
	}
	if !strings.Contains(o.stderr.String(), "5 000 XAF") || !strings.Contains(o.stderr.String(), "6 000 XAF") {
		t.Fatalf("wrong-total message: %s", o.stderr.String())
	}
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "six mille"}); code != ExitUsage {
		t.Fatalf("unreadable total: exit %d", code)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("refused sends reached the sandbox %d times", n)
	}

	env, o = r.env(i18n.EN)
	code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "6 000"})
	if code != ExitUnsettled {
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
	if code := payoutsStatus(context.Background(), env, path, payoutsStatusOptions{JSON: true}); code != ExitUnsettled {
		t.Fatalf("status exit %d", code)
	}
	var st struct {
		Counts map[batch.Status]int
		Lines  []payoutsStatusLineJSON
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
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "6000"}); code != ExitUnsettled {
		t.Fatalf("re-run exit %d", code)
	}
	if !strings.Contains(o.stdout.String(), "Nothing to send") || r.sb.Stats().Payout != 3 {
		t.Fatalf("re-run output:\n%s", o.stdout.String())
	}
}

// TestSendCommandAllAcceptedExitsZero: 200 and 202 both count as accepted.
func TestSendCommandAllAcceptedExitsZero(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	path, _ := r.write(t, "ok.csv", "operator,phone,amount\nMTN,670000001,1000\nMTN,670000002,2007\n")
	env, o := r.env(i18n.EN)
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "3007", Out: filepath.Join(r.dir, "out.csv")}); code != ExitOK {
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
	r := newPayoutsRig(t, sandbox.Config{})
	path, _ := r.write(t, "off.csv", "operator,phone,amount\nMTN,670000001,1000\n")
	o := &payoutsOuts{}
	env := payoutsEnv{Svc: core.New(core.Config{Store: r.db}), T: i18n.New(i18n.EN), Stdout: &o.stdout, Stderr: &o.stderr}
	if code := payoutsCheck(context.Background(), env, path, payoutsCheckOptions{}); code != ExitOK {
		t.Fatalf("offline check exit %d\n%s", code, o.stdout.String())
	}
	if !strings.Contains(o.stdout.String(), "unavailable (offline)") {
		t.Fatalf("offline balance:\n%s", o.stdout.String())
	}
	if code := payoutsStatus(context.Background(), env, path, payoutsStatusOptions{}); code != ExitUnsettled {
		t.Fatalf("status of an unsent batch: exit %d", code)
	}
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "1000"}); code != ExitFailed {
		t.Fatalf("offline send: exit %d", code)
	}
}

// TestTerminalOutputIsInert: escape sequences in a cell never reach the
// terminal raw.
func TestTerminalOutputIsInert(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	path, _ := r.write(t, "esc.csv", "operator,phone,amount,name\nMTN,670000001,\x1b[2J10,Bad\u202eName\n")
	env, o := r.env(i18n.EN)
	payoutsCheck(context.Background(), env, path, payoutsCheckOptions{})
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
	o := &payoutsOuts{}
	env := payoutsEnv{T: i18n.New(i18n.EN), Stdout: &o.stdout, Stderr: &o.stderr}
	if code := payoutsCheck(context.Background(), env, path, payoutsCheckOptions{}); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, o.stdout.String(), o.stderr.String())
	}
	if !strings.Contains(o.stdout.String(), "coolpay payouts send") {
		t.Fatalf("no next step:\n%s", o.stdout.String())
	}
}

// TestCheckWarnsWhenAPaidLineWasChanged: a paid line whose amount was then
// changed is a new payment on top of the first; check says so, by line.
func TestCheckWarnsWhenAPaidLineWasChanged(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	path, f := r.write(t, "w.csv", "operator,phone,amount,name\nMTN,670000001,15000,Awa\n")
	if _, err := payoutsSendFile(t, r, f, "w.csv", f.Total); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("operator,phone,amount,name\nMTN,670000001,150000,Awa\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env, o := r.env(i18n.EN)
	payoutsCheck(context.Background(), env, path, payoutsCheckOptions{})
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
	r := newPayoutsRig(t, sandbox.Config{})
	content := "operator,phone,amount,name,reason\nMTN,670000001,15000,Awa,Salaire\nOrange,690000002,8000,Bello,Salaire\nMTN,670000003,500,Chantal,Prime\n"
	path, f := r.write(t, "a.csv", content)
	if _, err := payoutsSendFile(t, r, f, "a.csv", f.Total); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_MOMO", Amount: "7000", Phone: "670000004"}); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(r.dir, "a-copy.csv")
	os.WriteFile(copyPath, []byte(strings.Replace(content, "Chantal,Prime", "Chantal,Prime de décembre", 1)+
		"MTN,670 000 004,7 000,Daouda,\n"), 0o600)
	env, o := r.env(i18n.EN)
	if code := payoutsCheck(context.Background(), env, copyPath, payoutsCheckOptions{}); code != ExitFailed {
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
	payoutsCheck(context.Background(), env, copyPath, payoutsCheckOptions{JSON: true})
	var js payoutsCheckJSON
	if err := json.Unmarshal(o.stdout.Bytes(), &js); err != nil || len(js.Repeats) != 4 || js.Repeats[0].Batch != "a.csv" ||
		js.Repeats[3].Batch != "" || !js.Repeats[0].Blocked || js.Repeats[2].Blocked || !js.Repeats[3].Blocked || js.OK {
		t.Fatalf("json repeats: %v %+v ok=%v", err, js.Repeats, js.OK)
	}
	// The original file, checked again, has nothing to send and nothing to flag.
	env, o = r.env(i18n.EN)
	if code := payoutsCheck(context.Background(), env, path, payoutsCheckOptions{}); code != ExitOK ||
		strings.Contains(o.stdout.String(), "same payment was made") || strings.Contains(o.stdout.String(), "already made") {
		t.Fatalf("a batch's own payouts flagged as repeats (exit %d):\n%s", code, o.stdout.String())
	}
}

// TestResultsFileIsRefused: the results file a send wrote, given back to
// check or send (as it is, or with its columns reordered by a spreadsheet),
// is refused by its header: check exits 1 and names it, send sends nothing.
func TestResultsFileIsRefused(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	path, _ := r.write(t, "paie.csv", payoutsPayroll(3))
	env, o := r.env(i18n.EN)
	if code := payoutsSend(context.Background(), env, path, payoutsSendOptions{Total: "3030"}); code != ExitOK {
		t.Fatalf("first send: exit %d\n%s%s", code, o.stdout.String(), o.stderr.String())
	}
	results := batch.ResultsPath(path)
	data, err := os.ReadFile(results)
	if err != nil {
		t.Fatal(err)
	}
	// The same columns in another order, as a spreadsheet may save them.
	lines := strings.Split(string(data), "\n")
	reordered := filepath.Join(r.dir, "edited.csv")
	cols := strings.Split(lines[0], ",")
	cols[0], cols[3] = cols[3], cols[0]
	os.WriteFile(reordered, []byte(strings.Join(cols, ",")+"\n"), 0o600)
	for _, file := range []string{results, reordered} {
		env, o = r.env(i18n.EN)
		if code := payoutsCheck(context.Background(), env, file, payoutsCheckOptions{}); code != ExitFailed ||
			!strings.Contains(o.stdout.String(), "This is a results file written by coolpay") {
			t.Errorf("check %s: exit %d\n%s", filepath.Base(file), code, o.stdout.String())
		}
	}
	env, o = r.env(i18n.EN)
	if code := payoutsSend(context.Background(), env, results, payoutsSendOptions{Total: "3030"}); code != ExitFailed {
		t.Fatalf("send of the results file: exit %d\n%s%s", code, o.stdout.String(), o.stderr.String())
	}
	if n := r.sb.Stats().Payout; n != 3 {
		t.Fatalf("the sandbox received %d payouts for 3 lines sent once", n)
	}
}

// TestOutNeverReplacesTheBatchFile: --out naming the batch file (as
// "./x", or through a symlink) is refused before anything is sent; results
// never overwrite an earlier results file: the second goes to
// NAME.results-2.csv, and the output says which was written.
func TestOutNeverReplacesTheBatchFile(t *testing.T) {
	r := newPayoutsRig(t, sandbox.Config{})
	content := payoutsPayroll(2)
	path, _ := r.write(t, "same.csv", content)
	link := filepath.Join(r.dir, "link.csv")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	os.Chdir(r.dir)
	for _, out := range []string{"./same.csv", "same.csv", link, path} {
		env, o := r.env(i18n.EN)
		if code := payoutsSend(context.Background(), env, "same.csv", payoutsSendOptions{Total: "2010", Out: out}); code != ExitUsage ||
			!strings.Contains(o.stderr.String(), "is the batch file") {
			t.Errorf("--out %s: exit %d\n%s", out, code, o.stderr.String())
		}
	}
	if data, _ := os.ReadFile(path); string(data) != content || r.sb.Stats().Payout != 0 {
		t.Fatalf("the batch file changed or payouts left (%d)", r.sb.Stats().Payout)
	}
	env, o := r.env(i18n.EN)
	if code := payoutsSend(context.Background(), env, "same.csv", payoutsSendOptions{Total: "2010"}); code != ExitOK ||
		!strings.Contains(o.stdout.String(), "Results: same.results.csv") {
		t.Fatalf("send: exit %d\n%s", code, o.stdout.String())
	}
	first, _ := os.ReadFile("same.results.csv")
	env, o = r.env(i18n.EN)
	payoutsSend(context.Background(), env, "same.csv", payoutsSendOptions{Total: "2010"})
	if out := o.stdout.String(); !strings.Contains(out, "Results: same.results-2.csv") || !strings.Contains(out, "same.results.csv, from an earlier run, was kept") {
		t.Fatalf("second send:\n%s", out)
	}
	if again, _ := os.ReadFile("same.results.csv"); string(again) != string(first) {
		t.Fatal("the earlier results file was overwritten")
	}
	if _, err := os.Stat("same.results-2.csv"); err != nil {
		t.Fatal(err)
	}
	// status --out follows the same rules.
	env, _ = r.env(i18n.EN)
	if code := payoutsStatus(context.Background(), env, "same.csv", payoutsStatusOptions{Out: link}); code != ExitUsage {
		t.Fatalf("status --out to the batch file: exit %d", code)
	}
}
