package batch_test

import (
	"testing"

	"github.com/coolpay/coolpay/ui/batch"
	"github.com/coolpay/coolpay/ui/i18n"
)

// TestEveryBatchWordIsInTheCatalogue: every line status and problem code
// has a message. Their keys are built at run time ("batch.st."+status), so
// the catalogue's source scan (ui/i18n) cannot see them; a missing one
// would show as "batch.something" to finance staff.
func TestEveryBatchWordIsInTheCatalogue(t *testing.T) {
	tr := i18n.New(i18n.EN)
	known := func(k string) bool { return tr.T(k) != k }
	for _, st := range []batch.Status{batch.StatusToSend, batch.StatusPaid, batch.StatusInProgress, batch.StatusUnknown,
		batch.StatusFailed, batch.StatusRejected, batch.StatusInvalid} {
		if !known("batch.st." + string(st)) {
			t.Errorf("status %s has no word", st)
		}
	}
	for _, code := range []string{batch.CodeNotUTF8, batch.CodeUTF16, batch.CodeTooBig, batch.CodeTooManyLines,
		batch.CodeNoHeader, batch.CodeNoLines, batch.CodeCSVSyntax, batch.CodeMissingColumn, batch.CodeNoRecipientCol,
		batch.CodeDuplicateColumn, batch.CodeUnknownColumn, batch.CodeTooManyCells, batch.CodeOperatorRequired,
		batch.CodeOperatorUnknown, batch.CodePhoneNotOperator, batch.CodeDuplicateLine,
		"amount_required", "amount_not_number", "amount_fraction", "amount_too_large", "amount_not_positive",
		"phone_required", "phone_invalid", "recipient_required", "email_invalid"} {
		if !known("batch.err." + code) {
			t.Errorf("problem code %s has no message", code)
		}
	}
}
