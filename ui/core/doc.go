// Package core is the money path: the one set of operations shared by the
// console's screens and the scriptable commands — journal-before-send money
// calls, status refresh, reconcile, balance, and callback ingestion. It has
// no Bubble Tea and no terminal output; screens and commands call a
// *Service and show what it returns.
//
// # Moving money (Payin, Authorize, Paylink, Payout, BatchPayout)
//
// Every call that moves money follows the same order:
//
//  1. validate locally — a *client.ValidationError means nothing was
//     stored or sent;
//  2. write the record to the ledger as NEW, with this process's owner
//     token, and commit it durably (store.DB.Create);
//  3. send exactly once;
//  4. record the answer. An answer that never came, or could not be read,
//     is stored as UNKNOWN (client.AmbiguousError) and never retried: a
//     payout whose outcome is unknown is re-sent only with an explicit
//     override (ResendPayout, ErrNeedsOverride).
//
// A process that dies between 2 and 4 leaves a NEW record; Recover marks it
// UNKNOWN once its owner is provably gone (see store's sharing model).
//
// # Learning outcomes (Refresh, Track, Reconcile, Lookup, Attach)
//
// Outcomes come from checkStatus, a read that is safe to repeat. Final
// states (SUCCESS, FAILED, CANCELED, REJECTED) never move again; a later
// answer that disagrees is kept as a warning on the record. UNKNOWN records
// are settled by asking the API with their transaction_ref, or by attaching
// the reference the merchant found in the My-CoolPay dashboard.
//
// # Callbacks are claims (RecordClaim, ConfirmClaim, ConfirmWaiting)
//
// A verified callback is stored as a claim and answered at once; it changes
// no record by itself. ConfirmClaim asks checkStatus, and that answer
// decides which record changes and how — by transaction_ref, else by the
// app ref the API returns, and only when type, amount, currency and
// operator agree.
package core
