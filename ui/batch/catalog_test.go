package batch_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestEveryBatchKeyIsInTheCatalogue reads the batch code (this package, the
// console's batch flow, History's batch view) for catalogue keys and checks
// both languages have them, and that every problem code has a message: a
// missing key would show as "batch.something" to finance staff.
func TestEveryBatchKeyIsInTheCatalogue(t *testing.T) {
	known := map[string]bool{}
	for _, k := range i18n.Keys() {
		known[k] = true
	}
	re := regexp.MustCompile(`"((?:batch|history\.field)\.[a-z_.]*[a-z_])"`)
	n := 0
	for _, f := range []string{"commands.go", "plan.go", "../pay/batch.go", "../pay/payout.go", "../history/batch.go", "../history/view.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n++
			if !known[m[1]] {
				t.Errorf("%s uses %q, which is not in the catalogue", f, m[1])
			}
		}
	}
	if n < 40 {
		t.Fatalf("found only %d keys: the scan is broken", n)
	}
	for _, st := range []batch.Status{batch.StatusToSend, batch.StatusPaid, batch.StatusInProgress, batch.StatusUnknown,
		batch.StatusFailed, batch.StatusRejected, batch.StatusInvalid} {
		if !known["batch.st."+string(st)] {
			t.Errorf("status %s has no word", st)
		}
	}
	for _, code := range []string{batch.CodeNotUTF8, batch.CodeUTF16, batch.CodeTooBig, batch.CodeTooManyLines,
		batch.CodeNoHeader, batch.CodeNoLines, batch.CodeCSVSyntax, batch.CodeMissingColumn, batch.CodeNoRecipientCol,
		batch.CodeDuplicateColumn, batch.CodeUnknownColumn, batch.CodeTooManyCells, batch.CodeOperatorRequired,
		batch.CodeOperatorUnknown, batch.CodePhoneNotOperator, batch.CodeDuplicateLine,
		"amount_required", "amount_not_number", "amount_fraction", "amount_too_large", "amount_not_positive",
		"phone_required", "phone_invalid", "recipient_required", "email_invalid"} {
		if !known["batch.err."+code] {
			t.Errorf("problem code %s has no message", code)
		}
	}
}
