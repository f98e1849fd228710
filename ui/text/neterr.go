package text

import (
	"errors"
	"strings"

	"github.com/coolpay/coolpay/client"
)

// NetErrorKey is the catalogue key of the sentence that says what a
// network failure means ("the connection closed before the answer: the
// outcome is unknown"), or "" when err is not one. Every place that turns a
// client error into text for people asks it first (components.ErrorText,
// the commands' error line); Go's own words ("Post …: EOF") go to details
// and logs only.
func NetErrorKey(err error) string {
	cause := client.NetCause(err)
	if cause == "" {
		return ""
	}
	var amb *client.AmbiguousError
	if errors.As(err, &amb) {
		if amb.MaybePayoutIPNotAllowed {
			return "err.ambiguous_ip"
		}
		return "err.unknown." + cause
	}
	return "err.net." + cause
}

// KnownAPIMessage reports whether msg is one of the API's answers the
// console translates (APIMessage), in any case and spacing.
func KnownAPIMessage(msg string) bool {
	_, ok := apiMessages[strings.ToLower(strings.TrimSpace(msg))]
	return ok
}
