package i18n

// batchSafetyMessages: what keeps a batch from being paid twice (a results
// file sent back, a line identical to a payout already made, --out over the
// batch file) and how long lists and "balance after" are said.
func batchSafetyMessages() map[string]msg {
	return map[string]msg{
		"batch.err.results_file": {"This is a results file written by coolpay: its lines were sent already, and sending it would pay them again. Send the original file instead (coolpay payouts status shows where each line stands).", "C'est un fichier de résultats écrit par coolpay : ses lignes ont déjà été envoyées, et l'envoyer les paierait une seconde fois. Envoyez plutôt le fichier d'origine (coolpay payouts status montre où en est chaque ligne)."},
		"batch.lines_more":       {"%s and %d more", "%s et %d autres"},
		"batch.repeat_same":      {"Line %d (%s to %s): this very payment (same reason) was already made on %s %s (%s, %s). It is not paid again unless you confirm.", "Ligne %d (%s à %s) : ce même paiement (même motif) a déjà été fait le %s %s (%s, %s). Il n'est pas payé à nouveau sans votre confirmation."},
		"batch.repeat_blocked":   {"%d line(s) repeat payouts already made (✘ above): send refuses them. If they are meant to be paid again, add --allow-repeat.", "%d ligne(s) répètent des décaissements déjà faits (✘ ci-dessus) : send les refuse. S'ils doivent être payés à nouveau, ajoutez --allow-repeat."},
		"batch.repeat_refused":   {"%d line(s) repeat payouts already made: nothing was sent. If they are meant to be paid again, run the same command with --allow-repeat.", "%d ligne(s) répètent des décaissements déjà faits : rien n'a été envoyé. S'ils doivent être payés à nouveau, relancez la même commande avec --allow-repeat."},
		"batch.out_is_input":     {"--out %s is the batch file %s itself: the results would replace it. Nothing was sent; choose another --out.", "--out %s est le fichier de lot %s lui-même : les résultats le remplaceraient. Rien n'a été envoyé ; choisissez un autre --out."},
		"batch.results_kept":     {"(%s, from an earlier run, was kept.)", "(%s, d'une exécution précédente, a été conservé.)"},
		"batch.s.after_note":     {"amounts and estimated fees taken off", "montants et frais estimés déduits"},
		"batch.s.fee_one":        {"about %s (%d%%, known once paid)", "environ %s (%d %%, connus après paiement)"},

		// The console's batch flow.
		"batch.ui.loading_n":      {"Reading and checking the file… %d line(s) so far", "Lecture et vérification du fichier… %d ligne(s) pour l'instant"},
		"batch.ui.lines_head":     {"Lines", "Lignes"},
		"batch.ui.key.focus":      {"lines ↔ total", "lignes ↔ total"},
		"batch.ui.enlarge":        {"Enlarge the window to see the lines and the total before sending: nothing can be sent at this size.", "Agrandissez la fenêtre pour voir les lignes et le total avant d'envoyer : rien ne peut être envoyé à cette taille."},
		"batch.ui.repeat_title":   {"Pay again?", "Payer à nouveau ?"},
		"batch.ui.repeat_ask":     {"%d line(s) repeat payouts already made (✘ in the list). y: pay them again · n/esc: send nothing", "%d ligne(s) répètent des décaissements déjà faits (✘ dans la liste). y : les payer à nouveau · n/échap : ne rien envoyer"},
		"batch.ui.repeat_note":    {"%d line(s) repeat payouts already made: after the total, you will be asked to confirm paying them again.", "%d ligne(s) répètent des décaissements déjà faits : après le total, il vous sera demandé de confirmer leur nouveau paiement."},
		"batch.ui.key.pay_again":  {"pay them again", "les payer à nouveau"},
		"batch.ui.key.send_none":  {"send nothing", "ne rien envoyer"},
		"batch.ui.loading_ledger": {"File read; matching it against the ledger…", "Fichier lu ; comparaison avec le registre…"},
		"batch.st.repeat":         {"✘ paid before", "✘ déjà payé"},
		"batch.ui.c_total":        {"Total %s · %d line(s) to send", "Total %s · %d ligne(s) à envoyer"},
		"batch.ui.c_after":        {"Balance after ≈ %s (%s)", "Solde après ≈ %s (%s)"},
		"batch.ui.c_prompt":       {"Type the total (%s) + enter:", "Tapez le total (%s) + entrée :"},
	}
}
