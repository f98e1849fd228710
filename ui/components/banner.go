package components

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Outcome picks the banner's colour; the banner always carries a symbol and
// a word too, so it reads the same without colour.
type Outcome int

const (
	OutcomePending Outcome = iota
	OutcomeSuccess
	OutcomeFailure
	OutcomeUnknown
)

// Final reports whether a record's state can no longer change by polling.
// (Kept here rather than calling store.State.Final so the screens do not
// depend on the ledger's implementation being linked in tests.)
func Final(s store.State) bool {
	switch s {
	case store.StateSuccess, store.StateFailed, store.StateCanceled, store.StateRejected:
		return true
	}
	return false
}

// OutcomeOf maps a record state onto a banner colour.
func OutcomeOf(s store.State) Outcome {
	switch s {
	case store.StateSuccess:
		return OutcomeSuccess
	case store.StateFailed, store.StateCanceled, store.StateRejected:
		return OutcomeFailure
	case store.StateUnknown:
		return OutcomeUnknown
	}
	return OutcomePending
}

// Headline is the symbol and word for a state: "✔ SUCCESS", "✘ FAILED",
// "⊘ CANCELED", "? UNKNOWN"… translated.
func Headline(t *i18n.Translator, s store.State) string {
	switch s {
	case store.StateSuccess:
		return "✔ " + t.T("result.success")
	case store.StateFailed:
		return "✘ " + t.T("result.failed")
	case store.StateCanceled:
		return "⊘ " + t.T("result.canceled")
	case store.StateRejected:
		return "✘ " + t.T("result.rejected")
	case store.StateUnknown:
		return "? " + t.T("result.unknown")
	case store.StateOTP:
		return "… " + t.T("result.otp")
	case store.StateCreated:
		return "… " + t.T("result.created")
	}
	return "… " + t.T("result.pending")
}

// Banner draws the big bordered result box: the headline in bold, then lines.
func Banner(st *common.Styles, o Outcome, width int, headline string, lines ...string) string {
	style := st.BigPending
	switch o {
	case OutcomeSuccess:
		style = st.BigSuccess
	case OutcomeFailure:
		style = st.BigFailure
	case OutcomeUnknown:
		style = st.BigUnknown
	}
	body := headline
	inner := width - style.GetHorizontalFrameSize()
	if inner > 10 && lipgloss.Width(headline) > inner {
		// A narrow window: the headline wraps inside the box, never
		// pushes its border past the window's edge.
		body = lipgloss.NewStyle().Width(inner).Render(headline)
	}
	if len(lines) > 0 {
		// The lines often quote the server (transaction_message).
		rest := safe.Text(strings.Join(lines, "\n"))
		if inner > 10 {
			rest = lipgloss.NewStyle().Bold(false).Width(inner).Render(rest)
		}
		body += "\n\n" + rest
	}
	return style.Render(body)
}
