package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Exit codes of the payouts commands (the shared table of every command).
const (
	ExitOK        = 0 // check: no error; send: every line accepted; status: every line paid
	ExitFailed    = 1 // the file has errors, the total typed is wrong, the balance is short, … (nothing sent)
	ExitUsage     = 2 // bad arguments
	ExitBusy      = 3 // the ledger, or another batch send, is busy
	ExitUnsettled = 4 // some line rejected, failed, unknown, not sent (send) or not paid yet (status)
)

// Env is what the payouts commands need: the service (its Store is the
// ledger; without an API client check and status still work from the
// ledger), a translator and the output streams.
type Env struct {
	Svc    *core.Service
	T      *i18n.Translator
	Stdout io.Writer
	Stderr io.Writer
}

func (env Env) t(key string, args ...any) string { return env.T.T(key, args...) }

// store is the ledger, nil when there is none yet (check and status then
// read the file alone).
func (env Env) store() *store.DB {
	if env.Svc == nil {
		return nil
	}
	return env.Svc.Store()
}

// fail prints one line on stderr and returns the exit code for err.
func (env Env) fail(err error) int {
	msg := err.Error()
	if !strings.HasPrefix(msg, "coolpay:") {
		msg = "coolpay: " + msg
	}
	fmt.Fprintln(env.Stderr, safe.Line(msg))
	if errors.Is(err, ErrBusy) || errors.Is(err, store.ErrLocked) {
		return ExitBusy
	}
	return ExitFailed
}

// ProblemText is a problem in the translator's language, with where it is:
// "line 4, amount "1,500": Digits only…". Cell values are shown inert.
func ProblemText(t *i18n.Translator, p Problem) string {
	msg := problemMessage(t, p)
	var where string
	if p.Line > 0 && p.Code != CodeDuplicateLine {
		where = t.T("batch.at.line", p.Line)
		if p.Column != "" && p.Code != CodeMissingColumn {
			col := t.T("batch.col." + p.Column)
			if strings.HasPrefix(col, "batch.col.") {
				col = p.Column
			}
			where += ", " + safe.Line(col)
			if p.Value != "" {
				where += " " + strconv.Quote(cut(safe.Line(p.Value), maxCellShown))
			}
		}
		where += ": "
	}
	return where + msg
}

func problemMessage(t *i18n.Translator, p Problem) string {
	key := "batch.err." + p.Code
	var args []any
	switch p.Code {
	case CodeMissingColumn, CodeDuplicateColumn:
		args = []any{p.Column}
	case CodeUnknownColumn:
		args = []any{strconv.Quote(cut(safe.Line(p.Value), maxCellShown))}
	case CodePhoneNotOperator:
		if len(p.Args) == 2 {
			args = []any{p.Args[0], p.Args[1]}
			if p.Args[1] == "" {
				key, args = key+"_none", args[:1]
			}
		}
	case CodeDuplicateLine:
		args = []any{LineList(t, p.Lines), len(p.Lines)}
	}
	if s := t.T(key, args...); s != key && !strings.Contains(s, "%!") {
		return s
	}
	return cut(safe.Line(p.Message), 4*maxCellShown)
}

// maxCellShown bounds a cell quoted in a problem: a whole cell of a
// malformed file (a quote never closed swallows the rest) would make one
// line of megabytes.
const maxCellShown = 60

// Cut shortens s to at most n runes, the last one "…".
func Cut(s string, n int) string { return cut(s, n) }

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// maxRanges bounds the ranges LineList names before "and N more".
const maxRanges = 6

// LineList names line numbers for people, in ranges ("2–5, 9, 12–100001"),
// naming at most maxRanges ranges and counting the rest: a list of
// 100,000 line numbers stays one short line.
func LineList(t *i18n.Translator, nums []int) string {
	var parts []string
	rest := 0
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if len(parts) < maxRanges {
			switch {
			case j == i:
				parts = append(parts, strconv.Itoa(nums[i]))
			case j == i+1:
				parts = append(parts, strconv.Itoa(nums[i]), strconv.Itoa(nums[j]))
			default:
				parts = append(parts, strconv.Itoa(nums[i])+"–"+strconv.Itoa(nums[j]))
			}
		} else {
			rest += j - i + 1
		}
		i = j + 1
	}
	s := strings.Join(parts, ", ")
	if rest > 0 {
		s = t.T("batch.lines_more", s, rest)
	}
	return s
}

// OrphanText describes a payout of the batch that matches no line of the
// file any more: the line was corrected or removed after it was sent, so
// what the line says now is a new payment.
func OrphanText(t *i18n.Translator, r store.Record) string {
	tag, _ := TagOf(r)
	who := strings.TrimSpace(strings.Join([]string{r.CustomerName, r.CustomerPhone, r.CustomerUsername, r.CustomerEmail}, " "))
	return t.T("batch.orphan", tag.Line, moneyText(t, r.Amount), safe.Line(who), StatusText(t, StatusOf(r)), safe.Line(r.AppRef))
}

// RepeatText warns that a line still to send makes the same payment as a
// payout made outside its batch; for a line the plan blocks (the same
// reason too), that it is refused unless the person confirms.
func RepeatText(t *i18n.Translator, e Entry, r store.Record) string {
	return repeatText(t, e, r, "batch.repeat")
}

// BlockedText says that a line is identical to a payout already made
// outside its batch and is not paid again unless the person says so.
func BlockedText(t *i18n.Translator, e Entry, r store.Record) string {
	return repeatText(t, e, r, "batch.repeat_same")
}

func repeatText(t *i18n.Translator, e Entry, r store.Record, key string) string {
	where := t.T("batch.repeat.by_hand")
	if r.Batch != "" {
		where = t.T("batch.repeat.in_batch", strconv.Quote(safe.Line(r.Batch)))
	}
	return t.T(key, e.Line.Num, Money(e.Line.Amount), safe.Line(recipient(e.Line)),
		r.Created.Local().Format("2006-01-02 15:04"), where, StatusText(t, StatusOf(r)), safe.Line(r.AppRef))
}

// PlanRepeatText is the warning (or refusal) about line i of p, "" when
// it repeats nothing.
func PlanRepeatText(t *i18n.Translator, p *Plan, i int) string {
	r, ok := p.Repeats[i]
	switch {
	case !ok:
		return ""
	case p.Blocked[i]:
		return BlockedText(t, p.Entries[i], r)
	}
	return RepeatText(t, p.Entries[i], r)
}

// repeatLines lists a plan's repeat warnings in line order; blocked
// counts those that refuse a send.
func repeatLines(t *i18n.Translator, p *Plan) (lines []string, blocked int) {
	for i := range p.Entries {
		if s := PlanRepeatText(t, p, i); s != "" {
			mark := "! "
			if p.Blocked[i] {
				mark, blocked = "✘ ", blocked+1
			}
			lines = append(lines, mark+s)
		}
	}
	return lines, blocked
}

// MoneyMoved keeps the payouts whose money left or may have left (paid, in
// progress, unknown): an orphan among those is worth a warning, since the
// corrected line will be paid on top; a failed or rejected one is the
// usual correction.
func MoneyMoved(recs []store.Record) []store.Record {
	var out []store.Record
	for _, r := range recs {
		switch StatusOf(r) {
		case StatusPaid, StatusInProgress, StatusUnknown:
			out = append(out, r)
		}
	}
	return out
}

// StatusText is a line status as people read it (word and symbol).
func StatusText(t *i18n.Translator, s Status) string { return t.T("batch.st." + string(s)) }

// SettleText is Settle in the translator's language.
func SettleText(t *i18n.Translator, e Entry) string {
	if t.Lang() == i18n.FR {
		return safe.Line(settleFR(e))
	}
	return safe.Line(Settle(e))
}

// planFile reads the batch file at path and plans it against the ledger
// under *batch, which becomes the file's name when empty: how check and
// status begin.
func (env Env) planFile(ctx context.Context, path string, batch *string) (*File, *Plan, error) {
	f, err := ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if *batch == "" {
		*batch = BatchName(path)
	}
	p, err := MakePlan(ctx, env.store(), f, *batch)
	if err != nil {
		return nil, nil, err
	}
	return f, p, nil
}

// head is the first line check and status print: the file, the batch
// name and how the file is laid out.
func (env Env) head(path, batch string, f *File) {
	sep := env.t("batch.sep.comma")
	if f.Delimiter == ';' {
		sep = env.t("batch.sep.semicolon")
	}
	fmt.Fprintln(env.Stdout, env.t("batch.head", safe.Line(path), strconv.Quote(safe.Line(batch)), len(f.Lines), sep))
}

// printJSON writes v indented on stdout for a --json command and returns
// the command's exit code, or fail's when the writing fails.
// The JSON is made safe for a terminal as every JSON coolpay prints
// (safe.JSON).
func (env Env) printJSON(v any, code int) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		_, err = env.Stdout.Write(append(safe.JSON(b), '\n'))
	}
	if err != nil {
		return env.fail(err)
	}
	return code
}

// ReadFile opens and parses a batch file.
func ReadFile(path string) (*File, error) { return ReadFileProgress(path, nil) }

// ReadFileProgress is ReadFile telling progress how many lines it has read
// (see ParseProgress).
func ReadFileProgress(path string, progress func(lines int)) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return ParseProgress(fh, progress)
}

// CheckOptions are `coolpay payouts check`'s flags.
type CheckOptions struct {
	Batch string // default BatchName(path)
	JSON  bool
}

// CheckJSON is `payouts check --json`'s stable output.
type CheckJSON struct {
	File      string `json:"file"`
	Batch     string `json:"batch"`
	Delimiter string `json:"delimiter"`
	BOM       bool   `json:"bom"`
	Lines     int    `json:"lines"`
	Errors    int    `json:"errors"`
	// Money is in coolpay's one JSON form, a decimal string in Currency
	// ("1500"), never a number.
	Currency     string        `json:"currency"`
	Total        money.Amount  `json:"total"`
	FeesEstimate money.Amount  `json:"fees_estimate"`
	Balance      *money.Amount `json:"balance"`       // null when it could not be read
	BalanceAfter *money.Amount `json:"balance_after"` // balance − (lines still to send + their fees)
	AlreadySent  int           `json:"already_sent"`
	ToSend       int           `json:"to_send"`
	ToSendAmount money.Amount  `json:"to_send_amount"`
	OK           bool          `json:"ok"`
	Problems     []Problem     `json:"problems"`
	// Orphans are this batch's payouts that match no line any more (their
	// line was corrected or removed since): app_transaction_refs.
	Orphans []string `json:"orphans"`
	// Repeats are lines still to send that make the same payment as a
	// payout made outside this batch: identical ones (blocked: send
	// refuses them without --allow-repeat) whatever their age, the others
	// within RepeatWindow.
	Repeats []RepeatJSON `json:"repeats"`
}

// RepeatJSON is one repeat warning of `payouts check --json`.
type RepeatJSON struct {
	Line   int    `json:"line"`
	AppRef string `json:"app_transaction_ref"`
	Batch  string `json:"batch,omitempty"` // "" for a payout made by hand
	State  string `json:"state"`
	// Blocked: the reason is the same too; send refuses the line unless
	// --allow-repeat.
	Blocked bool `json:"blocked"`
}

// CheckCmd is `coolpay payouts check FILE`: every problem of the file at once
// and a summary; nothing is sent. Exit 0 when the file can be sent, 1 when
// any line is bad.
func CheckCmd(ctx context.Context, env Env, path string, o CheckOptions) int {
	f, plan, err := env.planFile(ctx, path, &o.Batch)
	if err != nil {
		return env.fail(err)
	}
	todo := plan.ToSend(false)
	amount, fees := plan.Amounts(todo)
	_, allFees := plan.Amounts(validLines(plan))
	bal, balErr := "", error(nil)
	if env.Svc.Online() && len(f.Lines) > 0 {
		bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		bal, balErr = env.Svc.Balance(bctx)
		cancel()
	} else {
		balErr = core.ErrOffline
	}
	sent := len(validLines(plan)) - len(todo)
	repeats, blocked := repeatLines(env.T, plan)
	code := ExitOK
	if !f.OK() || blocked > 0 {
		code = ExitFailed
	}
	if o.JSON {
		out := CheckJSON{File: path, Batch: o.Batch, Delimiter: string(f.Delimiter), BOM: f.BOM, Lines: len(f.Lines),
			Errors: f.Errors(), Currency: money.XAF, Total: jsonXAF(f.Total), FeesEstimate: jsonXAF(allFees), AlreadySent: sent, ToSend: len(todo),
			ToSendAmount: jsonXAF(amount), OK: f.OK() && blocked == 0, Problems: f.Problems}
		if out.Problems == nil {
			out.Problems = []Problem{}
		}
		out.Orphans = []string{}
		for _, r := range plan.Orphans {
			out.Orphans = append(out.Orphans, r.AppRef)
		}
		out.Repeats = []RepeatJSON{}
		for i, e := range plan.Entries {
			if r, ok := plan.Repeats[i]; ok {
				out.Repeats = append(out.Repeats, RepeatJSON{Line: e.Line.Num, AppRef: r.AppRef, Batch: r.Batch,
					State: string(r.State), Blocked: plan.Blocked[i]})
			}
		}
		if balErr == nil {
			if b, err := money.ParseNumber(bal, money.XAF); err == nil {
				if after, _, ok := After(b, jsonXAF(amount), jsonXAF(fees)); ok {
					out.Balance, out.BalanceAfter = &b, &after
				}
			}
		}
		return env.printJSON(out, code)
	}
	w := env.Stdout
	env.head(path, o.Batch, f)
	for _, p := range f.Problems {
		mark := "✘"
		if p.Warning {
			mark = "!"
		}
		fmt.Fprintln(w, mark+" "+ProblemText(env.T, p))
	}
	moved := MoneyMoved(plan.Orphans)
	for _, r := range moved {
		fmt.Fprintln(w, "! "+OrphanText(env.T, r))
	}
	for _, s := range repeats {
		fmt.Fprintln(w, s)
	}
	if len(f.Problems)+len(moved)+len(repeats) > 0 {
		fmt.Fprintln(w)
	}
	row := func(k, v string) { fmt.Fprintf(w, "%-16s %s\n", k, v) }
	lines := strconv.Itoa(len(f.Lines))
	if bad := len(f.Lines) - len(validLines(plan)); bad > 0 {
		lines = env.t("batch.s.lines_bad", len(f.Lines), bad)
	}
	row(env.t("batch.s.lines"), lines)
	row(env.t("batch.s.total"), Money(f.Total))
	row(env.t("batch.s.fees"), env.t("batch.s.fees_note", Money(allFees), FeePercent))
	switch {
	case errors.Is(balErr, core.ErrOffline):
		row(env.t("batch.s.balance"), env.t("batch.s.offline"))
	case balErr != nil:
		row(env.t("batch.s.balance"), env.t("batch.s.unavailable", safe.Line(balErr.Error())))
	default:
		row(env.t("batch.s.balance"), moneyText(env.T, bal))
		if after, short, ok := BalanceAfter(bal, amount, fees); ok {
			v := moneyText(env.T, after)
			if short {
				v += "  " + env.t("batch.s.insufficient")
			}
			row(env.t("batch.s.after"), v)
			row("", env.t(AfterNoteKey))
		}
	}
	if sent > 0 {
		row(env.t("batch.s.sent"), env.t("batch.s.sent_n", sent, len(validLines(plan))))
		row(env.t("batch.s.to_send"), env.t("batch.s.to_send_n", len(todo), Money(amount)))
	}
	if !f.OK() {
		fmt.Fprintln(w, "\n"+env.t("batch.errors_count", f.Errors()))
		return code
	}
	if blocked > 0 {
		fmt.Fprintln(w, "\n"+env.t("batch.repeat_blocked", blocked))
		return code
	}
	fmt.Fprintln(w)
	if len(todo) == 0 {
		fmt.Fprintln(w, env.t("batch.nothing_to_send", "coolpay payouts status "+shellQuote(path)))
	} else {
		fmt.Fprintln(w, env.t("batch.next_send", sendCommand(path, o.Batch, f.Total)))
	}
	return code
}

func validLines(p *Plan) []int {
	var out []int
	for i, e := range p.Entries {
		if e.Status != StatusInvalid {
			out = append(out, i)
		}
	}
	return out
}

func sendCommand(path, batch string, total int64) string {
	cmd := "coolpay payouts send " + shellQuote(path) + " --total " + strconv.FormatInt(total, 10)
	if batch != BatchName(path) {
		cmd += " --batch " + shellQuote(batch)
	}
	return cmd
}

// shellQuote quotes a path for a command line people copy.
func shellQuote(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+:@,", r)) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(safe.Line(s), "'", `'\''`) + "'"
}

// SendOptions are `coolpay payouts send`'s flags.
type SendOptions struct {
	Batch       string // default BatchName(path)
	Total       string // as typed: must equal the file's total
	Out         string // results file, default ResultsPath(path); never the batch file, never overwritten
	RetryFailed bool
	AllowRepeat bool // pay lines identical to payouts already made outside this batch
}

// SendCmd is `coolpay payouts send FILE --total AMOUNT`. Exit 0 when every
// line of the file is accepted (paid, or in progress at the operator); 4 when
// any is rejected, failed, unknown or was not sent; 1 when nothing was sent
// (file errors, wrong total, balance short); 3 when another send is running.
func SendCmd(ctx context.Context, env Env, path string, o SendOptions) int {
	if o.Out != "" {
		if err := CheckOut(path, o.Out); err != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.out_is_input", safe.Line(o.Out), safe.Line(path)))
			return ExitUsage
		}
	}
	f, err := ReadFile(path)
	if err != nil {
		return env.fail(err)
	}
	if o.Batch == "" {
		o.Batch = BatchName(path)
	}
	if !f.OK() {
		for _, p := range f.Problems {
			if !p.Warning {
				fmt.Fprintln(env.Stderr, "✘ "+ProblemText(env.T, p))
			}
		}
		fmt.Fprintln(env.Stderr, env.t("batch.file_errors", f.Errors(), "coolpay payouts check "+shellQuote(path)))
		return ExitFailed
	}
	total, ok := ParseTotal(o.Total)
	if !ok {
		fmt.Fprintln(env.Stderr, env.t("batch.total_bad", Money(f.Total)))
		return ExitUsage
	}
	if total != f.Total {
		fmt.Fprintln(env.Stderr, env.t("batch.total_mismatch", Money(total), Money(f.Total)))
		return ExitFailed
	}
	w := env.Stdout
	// Warnings a person should have seen in check, said again before the
	// lines leave (the typed total is the confirmation).
	if pre, err := MakePlan(ctx, env.store(), f, o.Batch); err == nil {
		lines, _ := repeatLines(env.T, pre)
		for _, s := range lines {
			fmt.Fprintln(env.Stderr, s)
		}
	}
	rep, err := Send(ctx, env.Svc, f, Options{Batch: o.Batch, Total: total, RetryFailed: o.RetryFailed, AllowRepeat: o.AllowRepeat,
		Progress: func(p Progress) {
			if p.Sending {
				return
			}
			e := p.Entry
			fmt.Fprintf(w, "[%*d/%d] %-10s %14s  %s  %s\n", len(strconv.Itoa(p.Count)), p.Done, p.Count,
				env.t("batch.at.line", e.Line.Num), Money(e.Line.Amount), safe.Line(recipient(e.Line)), resultWord(env, e))
		}})
	switch {
	case errors.Is(err, ErrBusy):
		fmt.Fprintln(env.Stderr, env.t("batch.busy"))
		return ExitBusy
	case errors.Is(err, ErrRepeat) && rep != nil:
		// Said again after the lines, in case they scrolled by.
		fmt.Fprintln(env.Stderr, env.t("batch.repeat_refused", len(rep.Repeats)))
		return ExitFailed
	case errors.Is(err, ErrInsufficient) && rep != nil:
		fmt.Fprintln(env.Stderr, env.t("batch.insufficient", moneyText(env.T, rep.Balance), Money(rep.Need)))
		return ExitFailed
	case err != nil && rep == nil:
		return env.fail(fmt.Errorf("nothing was sent: %w", err))
	}
	if err != nil {
		// Stopped mid-way by a ledger error: what was sent is recorded.
		fmt.Fprintln(env.Stderr, env.t("batch.stopped", safe.Line(err.Error())))
	}
	if rep.Sent == 0 && err == nil {
		fmt.Fprintln(w, env.t("batch.nothing_to_send", "coolpay payouts status "+shellQuote(path)))
	}
	if rep.Stopped != "" {
		if ctx.Err() != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.interrupted"))
		} else {
			fmt.Fprintln(env.Stderr, env.t("batch.stopped", safe.Line(rep.Stopped)))
		}
	}
	env.report(rep.Plan, rep.Sent)
	env.saveResults(w, path, o.Out, rep.Plan)
	if err != nil || !rep.Plan.Accepted() {
		return ExitUnsettled
	}
	return ExitOK
}

// saveResults writes p's results file for the batch file path, at out or
// beside it, never over an existing file, and says which file was written
// (and that an earlier one was kept). It reports whether it was written.
func (env Env) saveResults(w io.Writer, path, out string, p *Plan) bool {
	if out == "" {
		out = ResultsPath(path)
	}
	written, err := SaveResultsNew(out, p)
	if err != nil {
		fmt.Fprintln(env.Stderr, env.t("batch.results_failed", safe.Line(err.Error()), "coolpay payouts status "+shellQuote(path)))
		return false
	}
	fmt.Fprintln(w, env.t("batch.results_file", safe.Line(written)))
	if written != out {
		fmt.Fprintln(w, env.t("batch.results_kept", safe.Line(out)))
	}
	return true
}

func resultWord(env Env, e Entry) string {
	s := StatusText(env.T, e.Status)
	if (e.Status == StatusRejected || e.Status == StatusFailed) && e.Rec.Message != "" {
		s += " (" + safe.Line(e.Rec.Message) + ")"
	}
	return s
}

// report prints the summary of a plan and, for each line still open, how
// to settle it.
func (env Env) report(p *Plan, sentNow int) {
	w := env.Stdout
	c := p.Counts()
	fmt.Fprintln(w)
	if sentNow > 0 {
		fmt.Fprintln(w, env.t("batch.sent_now", sentNow))
	}
	fmt.Fprintln(w, env.t("batch.summary", c[StatusPaid], c[StatusInProgress], c[StatusUnknown],
		c[StatusFailed]+c[StatusRejected], c[StatusToSend]+c[StatusInvalid]))
	section := func(head string, st ...Status) {
		first := true
		for _, e := range p.Entries {
			match := false
			for _, s := range st {
				match = match || e.Status == s
			}
			if !match {
				continue
			}
			if first {
				fmt.Fprintln(w, "\n"+head)
				first = false
			}
			line := fmt.Sprintf("  %s  %s  %s  %s", env.t("batch.at.line", e.Line.Num), Money(e.Line.Amount),
				safe.Line(recipient(e.Line)), resultWord(env, e))
			if e.Rec.AppRef != "" {
				line += "  " + safe.Line(e.Rec.AppRef)
			}
			fmt.Fprintln(w, line)
			if s := SettleText(env.T, e); s != "" {
				fmt.Fprintln(w, "      → "+s)
			}
		}
	}
	section(env.t("batch.unknown_head"), StatusUnknown)
	section(env.t("batch.progress_head"), StatusInProgress)
	section(env.t("batch.failed_head"), StatusFailed, StatusRejected)
	if len(p.Orphans) > 0 {
		fmt.Fprintln(w, "\n"+env.t("batch.orphans", len(p.Orphans)))
	}
}

// StatusOptions are `coolpay payouts status`'s flags.
type StatusOptions struct {
	Batch string
	JSON  bool
	Out   string // also write the results file here ("" = do not)
}

// StatusLineJSON is one line of `payouts status --json`.
type StatusLineJSON struct {
	Line   int    `json:"line"`
	Status Status `json:"status"`
	// Amount is in the status's currency (XAF), a decimal string ("1500");
	// absent on a line whose amount could not be read.
	Amount         *money.Amount `json:"amount,omitempty"`
	Operator       string        `json:"operator,omitempty"`
	Recipient      string        `json:"recipient,omitempty"`
	State          string        `json:"state,omitempty"`
	AppRef         string        `json:"app_transaction_ref,omitempty"`
	TransactionRef string        `json:"transaction_ref,omitempty"`
	Attempts       int           `json:"attempts"`
	Message        string        `json:"message,omitempty"`
	Settle         string        `json:"to_settle,omitempty"`
}

// StatusCmd is `coolpay payouts status FILE`: where each line stands, from the
// ledger alone (no API call). Exit 0 when every line is paid, 4 otherwise.
func StatusCmd(ctx context.Context, env Env, path string, o StatusOptions) int {
	f, p, err := env.planFile(ctx, path, &o.Batch)
	if err != nil {
		return env.fail(err)
	}
	code := ExitUnsettled
	if p.AllPaid() {
		code = ExitOK
	}
	if o.Out != "" {
		if err := CheckOut(path, o.Out); err != nil {
			fmt.Fprintln(env.Stderr, env.t("batch.out_is_input", safe.Line(o.Out), safe.Line(path)))
			return ExitUsage
		}
		// With --json, stdout is the JSON alone.
		w := env.Stdout
		if o.JSON {
			w = env.Stderr
		}
		if !env.saveResults(w, path, o.Out, p) {
			return ExitFailed
		}
	}
	if o.JSON {
		out := struct {
			File     string           `json:"file"`
			Batch    string           `json:"batch"`
			Currency string           `json:"currency"`
			Counts   map[Status]int   `json:"counts"`
			Lines    []StatusLineJSON `json:"lines"`
			Orphans  int              `json:"orphans"`
		}{File: path, Batch: o.Batch, Currency: money.XAF, Counts: p.Counts(), Lines: []StatusLineJSON{}, Orphans: len(p.Orphans)}
		for _, e := range p.Entries {
			var amount *money.Amount
			if e.Line.Amount != 0 {
				a := jsonXAF(e.Line.Amount)
				amount = &a
			}
			out.Lines = append(out.Lines, StatusLineJSON{Line: e.Line.Num, Status: e.Status, Amount: amount,
				Operator: e.Line.In.Operator, Recipient: recipient(e.Line), State: string(e.Rec.State),
				AppRef: e.Rec.AppRef, TransactionRef: e.Rec.TransactionRef, Attempts: e.Attempts,
				Message: e.Rec.Message, Settle: Settle(e)})
		}
		return env.printJSON(out, code)
	}
	w := env.Stdout
	env.head(path, o.Batch, f)
	for _, e := range p.Entries {
		ref := e.Rec.AppRef
		fmt.Fprintf(w, "  %-10s %14s  %-34s %s  %s\n", env.t("batch.at.line", e.Line.Num), Money(e.Line.Amount),
			safe.Line(recipient(e.Line)), StatusText(env.T, e.Status), safe.Line(ref))
	}
	env.report(p, 0)
	if c := p.Counts(); c[StatusToSend] > 0 && f.OK() {
		fmt.Fprintln(w, "\n"+env.t("batch.next_send", sendCommand(path, o.Batch, f.Total)))
	}
	return code
}
