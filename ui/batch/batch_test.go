package batch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
)

const testKey = "TEST-PRIVATE-KEY-batch-0c4d"

type rig struct {
	sb     *sandbox.Server
	srv    *httptest.Server
	db     *store.DB
	svc    *core.Service
	dbPath string
	dir    string
}

func newRig(t *testing.T, cfg sandbox.Config) *rig {
	t.Helper()
	cfg.PrivateKey = testKey
	if cfg.ConfirmAfter == 0 {
		cfg.ConfirmAfter = 20 * time.Millisecond
	}
	e := sandboxtest.Start(t, cfg)
	dir := t.TempDir()
	r := &rig{sb: e.SB, srv: e.Srv, dir: dir, dbPath: filepath.Join(dir, "ledger.db")}
	r.open(t)
	return r
}

func (r *rig) open(t *testing.T) {
	t.Helper()
	db, err := store.Open(r.dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r.db = db
	r.svc = core.New(core.Config{Client: newClient(r.srv.URL, 2*time.Second), Store: db})
}

func newClient(url string, timeout time.Duration) *client.Client {
	return client.New(client.SandboxPublicKey,
		client.WithBaseURL(url+"/api"),
		client.WithHTTPClient(&http.Client{Timeout: timeout}),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil }))
}

// write saves content as a batch file in the rig's folder and parses it.
func (r *rig) write(t *testing.T, name, content string) (string, *batch.File) {
	t.Helper()
	path := filepath.Join(r.dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, parse(t, content)
}

func parse(t *testing.T, content string) *batch.File {
	t.Helper()
	f, err := batch.ParseProgress(strings.NewReader(content), nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// payroll is a `,` file of n MTN lines whose amounts end in 0 (the
// sandbox pays those at once); reasons[i] replaces line i+2's reason.
func payroll(n int, reasons map[int]string) string {
	var b strings.Builder
	b.WriteString("operator,phone,name,amount,reason\n")
	for i := 0; i < n; i++ {
		reason := fmt.Sprintf("salary %d", i+1)
		if r, ok := reasons[i+2]; ok {
			reason = r
		}
		fmt.Fprintf(&b, "MTN,67%07d,Employee %d,%d,%s\n", i+1, i+1, 1000+10*i, reason)
	}
	return b.String()
}

func send(t *testing.T, r *rig, f *batch.File, name string, total int64) (*batch.Report, error) {
	t.Helper()
	return batch.Send(context.Background(), r.svc, f, batch.Options{Batch: name, Total: total})
}

func statuses(p *batch.Plan) map[batch.Status]int { return p.Counts() }

// TestThirtyLinesOneLostAnswer: one of 30 answers is dropped after the
// sandbox acted. That line is UNKNOWN, the 29 others are paid once, and a
// second run sends nothing at all — not even the unknown line.
func TestThirtyLinesOneLostAnswer(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	_, f := r.write(t, "paie.csv", payroll(30, map[int]string{12: "sandbox:drop"}))
	if !f.OK() || len(f.Lines) != 30 {
		t.Fatalf("file: %d lines, problems %+v", len(f.Lines), f.Problems)
	}
	var progress []int
	rep, err := batch.Send(context.Background(), r.svc, f, batch.Options{Batch: "paie.csv", Total: f.Total,
		Progress: func(p batch.Progress) {
			if !p.Sending {
				progress = append(progress, p.Entry.Line.Num)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 30 || len(progress) != 30 || progress[0] != 2 || progress[29] != 31 {
		t.Fatalf("sent %d, progress %v", rep.Sent, progress)
	}
	c := statuses(rep.Plan)
	if c[batch.StatusPaid] != 29 || c[batch.StatusUnknown] != 1 {
		t.Fatalf("statuses %v", c)
	}
	unk := rep.Plan.Entries[10]
	if unk.Line.Num != 12 || unk.Status != batch.StatusUnknown || unk.Rec.State != store.StateUnknown {
		t.Fatalf("line 12: %+v", unk)
	}
	if s := batch.Settle(unk); !strings.Contains(s, unk.Rec.AppRef) || !strings.Contains(s, "coolpay status") {
		t.Fatalf("settle hint %q", s)
	}
	if n := r.sb.Stats().Payout; n != 30 {
		t.Fatalf("sandbox got %d payouts, want 30", n)
	}
	if rep.Plan.Accepted() {
		t.Fatal("a batch with an unknown line must not count as accepted (exit 4)")
	}

	// Second run: nothing is sent, the unknown line stays unknown.
	rep2, err := send(t, r, parse(t, payroll(30, map[int]string{12: "sandbox:drop"})), "paie.csv", f.Total)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Sent != 0 || r.sb.Stats().Payout != 30 {
		t.Fatalf("re-run sent %d (sandbox %d)", rep2.Sent, r.sb.Stats().Payout)
	}
	if c := statuses(rep2.Plan); c[batch.StatusPaid] != 29 || c[batch.StatusUnknown] != 1 {
		t.Fatalf("re-run statuses %v", c)
	}
	if n, _ := r.db.Count(); n != 30 {
		t.Fatalf("ledger has %d records, want 30", n)
	}
}

// TestWrongTotalSendsNothing: the typed total is the confirmation.
func TestWrongTotalSendsNothing(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	_, f := r.write(t, "p.csv", payroll(5, nil))
	for _, typed := range []int64{0, f.Total - 1, f.Total + 10} {
		_, err := send(t, r, f, "p.csv", typed)
		if !errors.Is(err, batch.ErrTotalMismatch) {
			t.Fatalf("total %d: %v", typed, err)
		}
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("sandbox got %d payouts", n)
	}
	if n, _ := r.db.Count(); n != 0 {
		t.Fatalf("ledger has %d records", n)
	}
}

// TestInsufficientBalanceSendsNothing: total plus estimated fees must fit.
func TestInsufficientBalanceSendsNothing(t *testing.T) {
	r := newRig(t, sandbox.Config{Balance: 5000})
	_, f := r.write(t, "p.csv", payroll(5, nil)) // 5100 XAF + fees
	if _, err := send(t, r, f, "p.csv", f.Total); !errors.Is(err, batch.ErrInsufficient) {
		t.Fatalf("want ErrInsufficient, got %v", err)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("sandbox got %d payouts", n)
	}
}

// TestTwoBadLinesAreBothNamed: every problem at once, by spreadsheet line.
func TestTwoBadLinesAreBothNamed(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "operator,phone,amount,name\n" +
		"MTN,670000001,1000,A\n" +
		"MTN,690000002,1000,B\n" + // line 3: an Orange number under MTN
		"Orange,690000003,2000,C\n" +
		"Orange,690000004,1 500.50,D\n" + // line 5: XAF has no decimals
		"MCP,,3000,E\n" // line 6: no recipient
	_, f := r.write(t, "bad.csv", content)
	lines := map[int]string{}
	for _, p := range f.Problems {
		if !p.Warning {
			lines[p.Line] = p.Code
		}
	}
	want := map[int]string{3: batch.CodePhoneNotOperator, 5: client.CodeAmountFraction, 6: client.CodeRecipientRequired}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Fatalf("problems by line %v, want %v (%+v)", lines, want, f.Problems)
	}
	if _, err := send(t, r, f, "bad.csv", f.Total); !errors.Is(err, batch.ErrFileErrors) {
		t.Fatalf("want ErrFileErrors, got %v", err)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("sandbox got %d payouts", n)
	}
}

// TestSemicolonFileWithBOM: French Excel's "CSV UTF-8" export.
func TestSemicolonFileWithBOM(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "\uFEFFOpérateur;Téléphone;Montant (XAF);Motif;Nom\r\n" +
		"Orange;690 11 22 30;1 500;Prime, novembre;Ngo Biyong\r\n" +
		"MTN;+237 670 000 000;25 000;Salaire;\"Mbarga; Paul\"\r\n" +
		";;;;\r\n"
	_, f := r.write(t, "fr.csv", content)
	if !f.OK() || !f.BOM || f.Delimiter != ';' || len(f.Lines) != 2 || f.Total != 26500 {
		t.Fatalf("ok %v bom %v delim %q lines %d total %d problems %+v", f.OK(), f.BOM, f.Delimiter, len(f.Lines), f.Total, f.Problems)
	}
	if l := f.Lines[1]; l.Num != 3 || l.In.Name != "Mbarga; Paul" || l.Req.CustomerPhoneNumber != "670000000" || l.In.Operator != client.OperatorMoMo {
		t.Fatalf("line 3: %+v", l)
	}
	if !strings.HasPrefix(f.Lines[0].In.Reason, "Prime, novembre") {
		t.Fatalf("reason %q", f.Lines[0].In.Reason)
	}
	rep, err := send(t, r, f, "fr.csv", 26500)
	if err != nil || rep.Sent != 2 || !rep.Plan.Accepted() {
		t.Fatalf("send: %v %+v", err, rep)
	}
}

// TestIdenticalLinesArePaidOncePerLine: three identical lines are three
// payments, warned about; a re-run pays none; a fourth copy added pays one.
func TestIdenticalLinesArePaidOncePerLine(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	line := "MTN,670000010,5000,Commission\n"
	content := "operator,phone,amount,reason\n" + line + line + "Orange,690000020,1000,x\n" + line
	_, f := r.write(t, "c.csv", content)
	var warn *batch.Problem
	for i, p := range f.Problems {
		if p.Code == batch.CodeDuplicateLine {
			warn = &f.Problems[i]
		}
	}
	if !f.OK() || warn == nil || fmt.Sprint(warn.Lines) != "[2 3 5]" {
		t.Fatalf("duplicate warning %+v in %+v", warn, f.Problems)
	}
	rep, err := send(t, r, f, "c.csv", f.Total)
	if err != nil || rep.Sent != 4 {
		t.Fatalf("send: %v sent %d", err, rep.Sent)
	}
	rep, err = send(t, r, parse(t, content), "c.csv", f.Total)
	if err != nil || rep.Sent != 0 {
		t.Fatalf("re-run: %v sent %d", err, rep.Sent)
	}
	more := content + line
	f2 := parse(t, more)
	rep, err = send(t, r, f2, "c.csv", f2.Total)
	if err != nil || rep.Sent != 1 || rep.Plan.Entries[4].Line.Num != 6 || !rep.Plan.Entries[4].SentNow {
		t.Fatalf("fourth copy: %v sent %d", err, rep.Sent)
	}
	if n := r.sb.Stats().Payout; n != 5 {
		t.Fatalf("sandbox got %d payouts, want 5", n)
	}
}

// TestCorrectedLinePaysThatLineOnly: a line FAILED at the operator is not
// sent again unchanged (unless RetryFailed); corrected, it is a new line and
// the only one paid. Lines moved around by the correction are not re-paid.
func TestCorrectedLinePaysThatLineOnly(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "operator,phone,amount\nMTN,670000001,1000\nMTN,670000002,2001\nMTN,670000003,3000\n"
	_, f := r.write(t, "s.csv", content)
	rep, err := send(t, r, f, "s.csv", f.Total)
	if err != nil || rep.Sent != 3 {
		t.Fatalf("send: %v %d", err, rep.Sent)
	}
	// The 2001 payout is accepted (202) and fails at the operator.
	id := rep.Plan.Entries[1].Rec.ID
	waitState(t, r, id, store.StateFailed)

	rep, err = send(t, r, parse(t, content), "s.csv", f.Total)
	if err != nil || rep.Sent != 0 || rep.Plan.Entries[1].Status != batch.StatusFailed {
		t.Fatalf("unchanged re-run: %v sent %d %+v", err, rep.Sent, rep.Plan.Counts())
	}
	if rep.Plan.Accepted() {
		t.Fatal("a failed line must not count as accepted")
	}
	// Corrected (new amount) and moved to the top: only it is sent.
	fixed := "operator,phone,amount\nMTN,670000002,2000\nMTN,670000001,1000\nMTN,670000003,3000\n"
	f2 := parse(t, fixed)
	rep, err = send(t, r, f2, "s.csv", f2.Total)
	if err != nil || rep.Sent != 1 || !rep.Plan.Entries[0].SentNow || !rep.Plan.Accepted() {
		t.Fatalf("corrected re-run: %v sent %d %v", err, rep.Sent, rep.Plan.Counts())
	}
	if len(rep.Plan.Orphans) != 1 || rep.Plan.Orphans[0].Amount != "2001" {
		t.Fatalf("the failed 2001 payout should be listed as no longer in the file: %+v", rep.Plan.Orphans)
	}
	if n := r.sb.Stats().Payout; n != 4 {
		t.Fatalf("sandbox got %d payouts, want 4", n)
	}
}

// TestRetryFailedSendsOnlyFailedLines: the explicit flag re-sends failed
// lines as new attempts, never unknown ones.
func TestRetryFailedSendsOnlyFailedLines(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	content := "operator,phone,amount,reason\nMTN,670000001,1001,a\nMTN,670000002,2000,sandbox:drop\nMTN,670000003,3000,c\n"
	f := parse(t, content)
	rep, err := send(t, r, f, "r.csv", f.Total)
	if err != nil || rep.Sent != 3 {
		t.Fatalf("send: %v", err)
	}
	waitState(t, r, rep.Plan.Entries[0].Rec.ID, store.StateFailed)
	rep, err = batch.Send(context.Background(), r.svc, f, batch.Options{Batch: "r.csv", Total: f.Total, RetryFailed: true})
	if err != nil || rep.Sent != 1 || rep.Plan.Entries[0].Attempts != 2 || rep.Plan.Entries[1].Status != batch.StatusUnknown {
		t.Fatalf("retry: %v sent %d %+v", err, rep.Sent, rep.Plan.Counts())
	}
	if n := r.sb.Stats().Payout; n != 4 {
		t.Fatalf("sandbox got %d payouts, want 4", n)
	}
}

func waitState(t *testing.T, r *rig, id uint64, want store.State) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		rec, _, err := r.svc.Refresh(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if rec.State == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("record %d is %s, want %s", id, rec.State, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSecondSendWhileOneRunsIsBusy: one batch at a time per ledger.
func TestSecondSendWhileOneRunsIsBusy(t *testing.T) {
	r := newRig(t, sandbox.Config{TimeoutDelay: 10 * time.Second})
	content := "operator,phone,amount,reason\nMTN,670000001,1000,sandbox:timeout\nMTN,670000002,2000,b\n"
	f := parse(t, content)
	done := make(chan error, 1)
	go func() { _, err := send(t, r, f, "b.csv", f.Total); done <- err }()
	waitFor(t, func() bool { return r.sb.Stats().Payout == 1 })
	if _, err := send(t, r, parse(t, content), "b.csv", f.Total); !errors.Is(err, batch.ErrBusy) {
		t.Fatalf("second send: want ErrBusy, got %v", err)
	}
	r.sb.Close() // answers the delayed request now
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := r.sb.Stats().Payout; n != 2 {
		t.Fatalf("sandbox got %d payouts, want 2", n)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKilledInFlightThenRerunPaysNoLineTwice runs a real send in a child
// process, kills it with SIGKILL while line 5's request is in flight (the
// sandbox delays that answer), and sends again: line 5 is left unknown and
// never re-sent, the lines after it are sent, and the sandbox has received
// exactly one payout per line.
func TestKilledInFlightThenRerunPaysNoLineTwice(t *testing.T) {
	if os.Getenv("COOLPAY_BATCH_CHILD") == "1" {
		childSend()
		return
	}
	r := newRig(t, sandbox.Config{TimeoutDelay: time.Minute})
	content := payroll(10, map[int]string{5: "sandbox:timeout"})
	path, f := r.write(t, "kill.csv", content)
	r.db.Close()

	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledInFlightThenRerunPaysNoLineTwice$")
	cmd.Env = append(os.Environ(), "COOLPAY_BATCH_CHILD=1", "COOLPAY_BATCH_DB="+r.dbPath,
		"COOLPAY_BATCH_URL="+r.srv.URL, "COOLPAY_BATCH_FILE="+path, fmt.Sprintf("COOLPAY_BATCH_TOTAL=%d", f.Total))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Lines 2-4 are answered; line 5's request reaches the sandbox and waits.
	waitFor(t, func() bool { return r.sb.Stats().Payout == 4 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child was not killed in flight: %v\n%s", err, out.String())
	}

	r.open(t)
	rep, err := send(t, r, parse(t, content), "kill.csv", f.Total)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Sent != 6 {
		t.Fatalf("re-run sent %d lines, want 6 (lines 6-11)", rep.Sent)
	}
	e := rep.Plan.Entries[3]
	if e.Line.Num != 5 || e.Status != batch.StatusUnknown || e.Rec.State != store.StateUnknown || e.Attempts != 1 {
		t.Fatalf("line 5 after the kill: %+v", e)
	}
	if c := rep.Plan.Counts(); c[batch.StatusPaid] != 9 || c[batch.StatusUnknown] != 1 {
		t.Fatalf("statuses %v", c)
	}
	if n := r.sb.Stats().Payout; n != 10 {
		t.Fatalf("sandbox received %d payouts for 10 lines", n)
	}
	// A third run still sends nothing.
	rep, err = send(t, r, parse(t, content), "kill.csv", f.Total)
	if err != nil || rep.Sent != 0 || r.sb.Stats().Payout != 10 {
		t.Fatalf("third run: %v sent %d", err, rep.Sent)
	}
}

func childSend() {
	db, err := store.Open(os.Getenv("COOLPAY_BATCH_DB"), store.Options{})
	if err != nil {
		os.Exit(3)
	}
	data, err := os.ReadFile(os.Getenv("COOLPAY_BATCH_FILE"))
	if err != nil {
		os.Exit(3)
	}
	f, err := batch.ParseProgress(strings.NewReader(string(data)), nil)
	if err != nil {
		os.Exit(3)
	}
	var total int64
	fmt.Sscan(os.Getenv("COOLPAY_BATCH_TOTAL"), &total)
	svc := core.New(core.Config{Client: newClient(os.Getenv("COOLPAY_BATCH_URL"), 5*time.Minute), Store: db})
	batch.Send(context.Background(), svc, f, batch.Options{Batch: "kill.csv", Total: total})
	os.Exit(5) // never reached: killed while line 5 is in flight
}

// TestThreeLostAnswersInARowStop: the API is not answering; the rest of the
// file is left unsent (and sent by the next run once it answers again).
func TestThreeLostAnswersInARowStop(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	drop := map[int]string{3: "sandbox:drop", 4: "sandbox:drop", 5: "sandbox:drop"}
	f := parse(t, payroll(6, drop))
	rep, err := send(t, r, f, "d.csv", f.Total)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Plan.Counts()
	if rep.Sent != 4 || c[batch.StatusUnknown] != 3 || c[batch.StatusToSend] != 2 || rep.Stopped == "" {
		t.Fatalf("sent %d, %v, stopped %q", rep.Sent, c, rep.Stopped)
	}
	rep, err = send(t, r, f, "d.csv", f.Total)
	if err != nil || rep.Sent != 2 || r.sb.Stats().Payout != 6 {
		t.Fatalf("next run: %v sent %d, sandbox %d", err, rep.Sent, r.sb.Stats().Payout)
	}
}

// TestFixingANameAfterPaymentPaysNothing: the name and reason are not part
// of a line's identity, so correcting them never pays a paid line again.
func TestFixingANameAfterPaymentPaysNothing(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	f := parse(t, "operator,phone,amount,name,reason\nMTN,670000001,1000,Jhon,Salary\n")
	if _, err := send(t, r, f, "n.csv", f.Total); err != nil {
		t.Fatal(err)
	}
	fixed := parse(t, "operator,phone,amount,name,reason\nMTN,670000001,1000,John,Salary November\n")
	rep, err := send(t, r, fixed, "n.csv", fixed.Total)
	if err != nil || rep.Sent != 0 || rep.Plan.Entries[0].Status != batch.StatusPaid || r.sb.Stats().Payout != 1 {
		t.Fatalf("after fixing the name: %v sent %d, sandbox %d", err, rep.Sent, r.sb.Stats().Payout)
	}
}
