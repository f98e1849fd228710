// Package components holds the widgets the payment screens share: a form of
// labelled inputs with inline errors, the big result banner, the confirmation
// view, the QR view and the OSC 52 clipboard copy.
package components

import (
	"errors"
	"fmt"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
)

// Text is a message kept as a catalogue key and translated only at View
// time, so switching the UI language applies to what is already on screen.
// Raw is shown when there is no key, or when the key is not in the catalogue
// (a server message, an error code this version does not know).
type Text struct {
	Key  string
	Args []any
	Raw  string
	// API marks Raw as the API's own words: shown in the interface's
	// language when the message is a known one (common.APIMessage).
	API bool
}

// APIText is an argument holding the API's own words; String translates it
// when it is a known message.
type APIText string

// API is a message from the API, translated when known.
func API(msg string) Text { return Text{Raw: msg, API: true} }

// T is a catalogue message.
func T(key string, args ...any) Text { return Text{Key: key, Args: args} }

// Raw is a message shown as is (the server's own words).
func Raw(s string) Text { return Text{Raw: s} }

// IsZero reports whether there is nothing to show.
func (x Text) IsZero() bool { return x.Key == "" && x.Raw == "" }

// String translates the message. Server words in it are made inert (see
// ui/safe): they are shown, never obeyed by the terminal.
func (x Text) String(t *i18n.Translator) string {
	if x.Key == "" {
		if x.API {
			return safe.Text(common.APIMessage(t, x.Raw))
		}
		return safe.Text(x.Raw)
	}
	args, copied := x.Args, false
	for i, a := range args {
		if m, ok := a.(APIText); ok {
			if !copied { // never write into the caller's slice
				args, copied = append([]any(nil), x.Args...), true
			}
			args[i] = common.APIMessage(t, string(m))
		}
	}
	s := t.T(x.Key, args...)
	if s == x.Key && x.Raw != "" {
		return safe.Text(x.Raw)
	}
	return safe.Text(s)
}

// ErrorText turns an error from ui/core or the client into what a cashier
// reads: validation codes are translated, server messages shown verbatim, an
// ambiguous outcome says to check before paying again.
func ErrorText(err error) Text {
	var ve *client.ValidationError
	var api *client.APIError
	var amb *client.AmbiguousError
	switch {
	case err == nil:
		return Text{}
	case errors.As(err, &ve):
		return Text{Key: "err." + ve.Code, Raw: ve.Message}
	// The ledger's database before the API: its failures are network
	// errors too, but they are about the ledger (ui/core pending.go).
	case errors.As(err, new(*core.AnswerPendingError)):
		return T("err.answer_pending")
	case errors.Is(err, store.ErrUnreachable):
		return T("err.ledger_unreachable")
	case common.NetErrorKey(err) != "": // a network failure, in plain words
		return T(common.NetErrorKey(err))
	case errors.As(err, &amb):
		if amb.MaybePayoutIPNotAllowed {
			return T("err.ambiguous_ip")
		}
		return T("err.ambiguous")
	case errors.Is(err, client.ErrPayoutIPNotAllowed) && errors.As(err, &api):
		return T("err.payout_ip", api.HTTPStatus)
	case errors.As(err, &api):
		if api.Message != "" {
			return Text{Key: "err.server", Args: []any{api.HTTPStatus, APIText(api.Message)}}
		}
		return T("err.server_nomsg", api.HTTPStatus)
	case errors.Is(err, core.ErrOffline):
		return T("err.offline")
	case errors.Is(err, keys.ErrNoKey):
		// The prompt was closed, or nothing can ask: the cashier needs
		// what to do, not the chain of places that were searched.
		return T("err.no_private_key")
	case errors.Is(err, core.ErrNeedsOverride):
		return T("err.needs_override")
	case errors.Is(err, client.ErrUnsafePaymentURL):
		return T("err.unsafe_url")
	}
	return Raw(fmt.Sprint(err))
}
