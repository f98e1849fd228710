package i18n

// outageMessages: a shared ledger's database that goes away and comes back
// (ui/core pending.go, the console's header).
func outageMessages() map[string]msg {
	return map[string]msg{
		"app.boot.opening": {"Opening the ledger %s", "Ouverture du registre %s"},
		"app.boot.help":    {"ctrl+c: quit", "ctrl+c : quitter"},
		"app.ledger.down":  {"⚠ ledger unreachable — retrying", "⚠ registre injoignable — nouvel essai en cours"},
		"app.ledger.pending": {"⚠ ledger unreachable — %d answer(s) waiting to be written, retrying",
			"⚠ registre injoignable — %d réponse(s) en attente d'écriture, nouvel essai en cours"},
		"app.quit.pending": {"%d answer(s) not yet written to the ledger: quitting loses them (those payments will show UNKNOWN). Quit anyway? y/n",
			"%d réponse(s) pas encore écrite(s) dans le registre : quitter les perd (ces paiements apparaîtront INCONNU). Quitter quand même ? o/n"},

		"err.ledger_unreachable": {"The ledger's database cannot be reached. Nothing was sent: check the network and the database server (coolpay doctor says more).",
			"La base de données du registre est injoignable. Rien n'a été envoyé : vérifiez le réseau et le serveur de base de données (coolpay doctor en dit plus)."},
		"err.answer_pending": {"The API answered, but the ledger's database cannot be reached: the answer is kept and written as soon as it is back (do not send this payment again). If coolpay stops before that, the payment shows as UNKNOWN: check it before paying again.",
			"L'API a répondu, mais la base de données du registre est injoignable : la réponse est gardée et sera écrite dès son retour (ne renvoyez pas ce paiement). Si coolpay s'arrête avant, le paiement apparaîtra INCONNU : vérifiez-le avant de payer à nouveau."},
	}
}
