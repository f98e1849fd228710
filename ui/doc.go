// Package ui holds everything above the engine: the Bubble Tea console, the
// command tree, and the packages they share. This file is only its map.
//
// # What goes where
//
// Screens (Bubble Tea models; each one tea.Model + help.KeyMap + SetSize,
// driven by the root model in ui/app — see ui/common/NOTES.md):
//
//	ui/app         root model: tabs, header, help, first-run setup, watchers
//	ui/pay         Payin, Paylink, Payout and batch-payout screens
//	ui/history     the ledger browser: filters, search, detail, actions
//	ui/today       the cashier's day
//	ui/settings    settings and the desk's preferences
//	ui/receipt     receipt view (print, save, copy) over receipttext
//	ui/components  shared widgets: forms, confirmations, big text, QR
//	ui/common      what every screen shares: Common, styles, keymap (and the
//	               screens' names for ui/text's words and amounts)
//
// Commands (cobra; one file per command, built from one Factory):
//
//	ui/cli         the command tree, its I/O streams, exit codes; main.go runs it
//	               (payouts_*.go: the batch commands' output over ui/batch)
//
// Engine (no Bubble Tea; used by screens and commands alike):
//
//	ui/core        the money path: journal before send, status, reconcile, claims
//	ui/batch       batch payouts: parse, plan, send, results, the batch's
//	               words (shared by the console's batch screen and payouts)
//	ui/listener    the callback listener (coolpay listen, and inside the console)
//	ui/report      day and period sums (Today and coolpay report)
//	ui/export      CSV and JSON output, download folder
//	ui/receipt/receipttext  a receipt's text, print (lp/lpr) and save
//	               (the receipt screen and coolpay receipt)
//	ui/text        words and amounts for people: state/type/operator words,
//	               API messages, text.Amount (client/money), dates
//	ui/safe        untrusted text made inert for terminals
//	ui/i18n        the message catalogue, English and French
//
// # Dependencies
//
// Data flows one way: screens → engine → (client, store, keys). client,
// store and keys import nothing of ui; the engine imports no screen; a
// screen never opens a file or a socket itself but returns a tea.Cmd that
// calls the engine. ui/cli builds everything and is the only package that
// imports ui/app; its commands take words and amounts from ui/text, not
// ui/common, and none but the console's (console.go, console_listen.go)
// imports Bubble Tea (ui/text's layout test checks both).
package ui
