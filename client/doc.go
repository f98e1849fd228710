// Package client speaks the My-CoolPay merchant API: one file per area
// (paylink.go, payin.go, payout.go, status.go, balance.go, callback.go), the
// typed errors in errors.go and the local checks in validate.go. It knows
// nothing of the ledger or the screens; ui/core puts the two together.
//
// Rules it keeps:
//
//   - Money calls (payin, OTP, payout) are sent exactly once. A network
//     failure or an unreadable answer after the request may have left is an
//     *AmbiguousError ("the server may have acted"), never retried;
//     only the read-only calls (checkStatus, balance) retry, with backoff.
//   - Input is validated before anything leaves (*ValidationError: nothing
//     was sent). Amounts are whole XAF.
//   - The private key goes only in the X-PRIVATE-KEY header and the callback
//     signature; it is redacted wherever the client logs, and never part of
//     an error. Plain HTTP is refused except to loopback (the sandbox)
//     unless WithInsecureHTTP says otherwise (ErrInsecureBaseURL).
//   - Answers are bounded in size and their text is untrusted: callers make
//     it inert before showing it.
//   - Callbacks are verified as pure functions (VerifyCallbackBody,
//     CallbackIPPolicy); a verified callback is only a claim, which ui/core
//     confirms with checkStatus before anything changes.
//
// The simulated server every test and demo talks to is client/sandbox.
package client
