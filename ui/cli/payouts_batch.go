package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// What the three payouts commands share: their environment, how they fail
// (ui/cli's exit codes), print JSON and a plan's report. The batch engine
// (parse, plan, send, results, the batch's words) is ui/batch's, shared
// with the console's batch screen.

// payoutsEnv is what the payouts commands need: the service (its Store is the
// ledger; without an API client check and status still work from the
// ledger), a translator and the output streams.
type payoutsEnv struct {
	Svc    *core.Service
	T      *i18n.Translator
	Stdout io.Writer
	Stderr io.Writer
}

func (env payoutsEnv) t(key string, args ...any) string { return env.T.T(key, args...) }

// store is the ledger, nil when there is none yet (check and status then
// read the file alone).
func (env payoutsEnv) store() *store.DB {
	if env.Svc == nil {
		return nil
	}
	return env.Svc.Store()
}

// fail prints one line on stderr and returns the exit code for err.
func (env payoutsEnv) fail(err error) int {
	msg := err.Error()
	if !strings.HasPrefix(msg, "coolpay:") {
		msg = "coolpay: " + msg
	}
	fmt.Fprintln(env.Stderr, safe.Line(msg))
	if errors.Is(err, batch.ErrBusy) || errors.Is(err, store.ErrLocked) {
		return ExitBusy
	}
	return ExitFailed
}

// planFile reads the batch file at path and plans it against the ledger
// under *name, which becomes the file's name when empty: how check and
// status begin.
func (env payoutsEnv) planFile(ctx context.Context, path string, name *string) (*batch.File, *batch.Plan, error) {
	f, err := batch.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if *name == "" {
		*name = batch.BatchName(path)
	}
	p, err := batch.MakePlan(ctx, env.store(), f, *name)
	if err != nil {
		return nil, nil, err
	}
	return f, p, nil
}

// head is the first line check and status print: the file, the batch
// name and how the file is laid out.
func (env payoutsEnv) head(path, name string, f *batch.File) {
	sep := env.t("batch.sep.comma")
	if f.Delimiter == ';' {
		sep = env.t("batch.sep.semicolon")
	}
	fmt.Fprintln(env.Stdout, env.t("batch.head", safe.Line(path), strconv.Quote(safe.Line(name)), len(f.Lines), sep))
}

// printJSON writes v indented on stdout for a --json command and returns
// the command's exit code, or fail's when the writing fails.
// The JSON is made safe for a terminal as every JSON coolpay prints
// (safe.JSON).
func (env payoutsEnv) printJSON(v any, code int) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		_, err = env.Stdout.Write(append(safe.JSON(b), '\n'))
	}
	if err != nil {
		return env.fail(err)
	}
	return code
}

func validLines(p *batch.Plan) []int {
	var out []int
	for i, e := range p.Entries {
		if e.Status != batch.StatusInvalid {
			out = append(out, i)
		}
	}
	return out
}

func sendCommand(path, name string, total int64) string {
	cmd := "coolpay payouts send " + shellQuote(path) + " --total " + strconv.FormatInt(total, 10)
	if name != batch.BatchName(path) {
		cmd += " --batch " + shellQuote(name)
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

// saveResults writes p's results file for the batch file path, at out or
// beside it, never over an existing file, and says which file was written
// (and that an earlier one was kept). It reports whether it was written.
func (env payoutsEnv) saveResults(w io.Writer, path, out string, p *batch.Plan) bool {
	if out == "" {
		out = batch.ResultsPath(path)
	}
	written, err := batch.SaveResults(out, p)
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

func batchResultWord(env payoutsEnv, e batch.Entry) string {
	s := batch.StatusText(env.T, e.Status)
	if (e.Status == batch.StatusRejected || e.Status == batch.StatusFailed) && e.Rec.Message != "" {
		s += " (" + safe.Line(e.Rec.Message) + ")"
	}
	return s
}

// report prints the summary of a plan and, for each line still open, how
// to settle it.
func (env payoutsEnv) report(p *batch.Plan, sentNow int) {
	w := env.Stdout
	c := p.Counts()
	fmt.Fprintln(w)
	if sentNow > 0 {
		fmt.Fprintln(w, env.t("batch.sent_now", sentNow))
	}
	fmt.Fprintln(w, env.t("batch.summary", c[batch.StatusPaid], c[batch.StatusInProgress], c[batch.StatusUnknown],
		c[batch.StatusFailed]+c[batch.StatusRejected], c[batch.StatusToSend]+c[batch.StatusInvalid]))
	section := func(head string, st ...batch.Status) {
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
			line := fmt.Sprintf("  %s  %s  %s  %s", env.t("batch.at.line", e.Line.Num), batch.Money(e.Line.Amount),
				safe.Line(batch.Recipient(e.Line)), batchResultWord(env, e))
			if e.Rec.AppRef != "" {
				line += "  " + safe.Line(e.Rec.AppRef)
			}
			fmt.Fprintln(w, line)
			if s := batch.SettleText(env.T, e); s != "" {
				fmt.Fprintln(w, "      → "+s)
			}
		}
	}
	section(env.t("batch.unknown_head"), batch.StatusUnknown)
	section(env.t("batch.progress_head"), batch.StatusInProgress)
	section(env.t("batch.failed_head"), batch.StatusFailed, batch.StatusRejected)
	if len(p.Orphans) > 0 {
		fmt.Fprintln(w, "\n"+env.t("batch.orphans", len(p.Orphans)))
	}
}

// xafText shows XAF decimal text (a balance) in t's language.
func xafText(t *i18n.Translator, s string) string { return text.Amount(t.Lang(), s, money.XAF) }
