package batch

import (
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// The batch's words for people, shared by the console's batch screen
// (ui/pay) and the payouts commands (ui/cli): problems, line lists,
// repeats, orphans, statuses and how to settle a line.

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
	return t.T(key, e.Line.Num, Money(e.Line.Amount), safe.Line(Recipient(e.Line)),
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

// RepeatLines lists a plan's repeat warnings in line order, each marked
// "! " (a warning) or "✘ " (refused); blocked counts those that refuse a
// send.
func RepeatLines(t *i18n.Translator, p *Plan) (lines []string, blocked int) {
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
