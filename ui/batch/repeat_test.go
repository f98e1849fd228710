package batch_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestIdenticalPayoutBlocksWhateverItsAge: a line identical to a payout made
// outside its batch (operator, amount, recipient, reason) that was paid a
// year ago, or whose outcome is unknown, stops the send before anything
// leaves; one that failed (nothing moved) does not. AllowRepeat pays them.
func TestIdenticalPayoutBlocksWhateverItsAge(t *testing.T) {
	r := newRig(t, sandbox.Config{})
	old := time.Now().AddDate(-1, 0, 0)
	for _, rec := range []store.Record{
		{Type: store.TypePayout, State: store.StateSuccess, AppRef: "cp-old-paid", Amount: "1000", Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: "670000001", Reason: "salary 1", Created: old},
		{Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-old-failed", Amount: "1010", Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: "670000002", Reason: "salary 2", Created: old},
		{Type: store.TypePayout, State: store.StateUnknown, AppRef: "cp-unknown", Amount: "1020", Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: "237670000003", Reason: "Salary  3", Created: old, Batch: "other.csv"},
		// Same recipient and amount, another reason, a year ago: neither
		// blocks nor warns.
		{Type: store.TypePayout, State: store.StateSuccess, AppRef: "cp-other-reason", Amount: "1030", Currency: "XAF",
			Operator: "CM_MOMO", CustomerPhone: "670000004", Reason: "bonus", Created: old},
	} {
		if err := r.db.Create(&rec); err != nil {
			t.Fatal(err)
		}
	}
	_, f := r.write(t, "paie.csv", payroll(4, nil))
	rep, err := send(t, r, f, "paie.csv", f.Total)
	if !errors.Is(err, batch.ErrRepeat) || rep == nil {
		t.Fatalf("send: %v", err)
	}
	var got []int
	for _, i := range rep.Repeats {
		got = append(got, rep.Plan.Entries[i].Line.Num)
	}
	if len(got) != 2 || got[0] != 2 || got[1] != 4 {
		t.Fatalf("blocked lines %v, want [2 4]", got)
	}
	if _, warned := rep.Plan.Repeats[3]; warned {
		t.Fatalf("another reason a year ago was flagged: %+v", rep.Plan.Repeats[3])
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("a refused send reached the sandbox %d times", n)
	}
	rep, err = batch.Send(context.Background(), r.svc, f, batch.Options{Batch: "paie.csv", Total: f.Total, AllowRepeat: true})
	if err != nil || rep.Sent != 4 || r.sb.Stats().Payout != 4 {
		t.Fatalf("allowed send: %v, sent %d, sandbox %d", err, rep.Sent, r.sb.Stats().Payout)
	}
	// The repeated lines say, in the ledger, which payout they repeat.
	for _, i := range []int{0, 2} {
		rec, _ := r.db.Get(rep.Plan.Entries[i].Rec.ID)
		noted := false
		for _, ev := range rec.Events {
			noted = noted || ev.Kind == store.EvOverride && (strings.Contains(ev.Detail, "cp-old-paid") || strings.Contains(ev.Detail, "cp-unknown"))
		}
		if !noted {
			t.Errorf("line %d paid again without a note: %+v", rep.Plan.Entries[i].Line.Num, rec.Events)
		}
	}
}

// TestLongLineListsAreSummarised: 100,000 identical lines make one warning
// of bounded length, naming the lines as a range, and a huge cell is cut.
func TestLongLineListsAreSummarised(t *testing.T) {
	var b strings.Builder
	b.WriteString("operator,phone,amount,name\n")
	for i := 0; i < batch.MaxLines; i++ {
		b.WriteString("MTN,670000001,1000,Awa\n")
	}
	f := parse(t, b.String())
	tr := i18n.New(i18n.EN)
	var dup []batch.Problem
	for _, p := range f.Problems {
		if p.Code == batch.CodeDuplicateLine {
			dup = append(dup, p)
		}
	}
	if len(dup) != 1 {
		t.Fatalf("%d duplicate warnings", len(dup))
	}
	s := batch.ProblemText(tr, dup[0])
	if len(s) > 300 || !strings.Contains(s, "Lines 2–100001 pay the same amount") || len(dup[0].Message) > 600 {
		t.Fatalf("warning of %d bytes: %.400s", len(s), s)
	}
	if got := batch.LineList(tr, []int{2, 3, 4, 7, 9, 10, 12, 14, 16, 18, 20, 22}); got != "2–4, 7, 9, 10, 12, 14 and 4 more" {
		t.Fatalf("LineList: %q", got)
	}
	bad := parse(t, "operator,phone,amount\nMTN,670000001,"+strings.Repeat("9", 5000)+"\n")
	for _, p := range bad.Problems {
		if s := batch.ProblemText(tr, p); len(s) > 300 {
			t.Fatalf("problem of %d bytes: %.200s", len(s), s)
		}
	}
}
