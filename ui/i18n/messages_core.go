package i18n

// coreMessages: the money path's own words: network failures said plainly,
// fees not known yet, the API's known refusals, a phone that no
// mobile-money operator serves.
func coreMessages() map[string]msg {
	return map[string]msg{
		// A network failure on a call that reads (status, balance) or a
		// call that never left: nothing changed.
		"err.net.timeout": {"No answer from My-CoolPay in time: nothing was changed, try again.",
			"Pas de réponse de My-CoolPay à temps : rien n'a été modifié, réessayez."},
		"err.net.closed": {"The connection closed before the answer: nothing was changed, try again.",
			"La connexion s'est fermée avant la réponse : rien n'a été modifié, réessayez."},
		"err.net.refused": {"My-CoolPay could not be reached: the connection was refused (server down or wrong base URL). Nothing was sent.",
			"My-CoolPay injoignable : connexion refusée (serveur arrêté ou mauvaise URL de base). Rien n'a été envoyé."},
		"err.net.dns": {"The server's name was not found (no internet, or a wrong base URL). Nothing was sent.",
			"Nom du serveur introuvable (pas d'internet, ou mauvaise URL de base). Rien n'a été envoyé."},
		"err.net.tls": {"The secure connection failed (a certificate not trusted, or a proxy in between). Nothing was sent.",
			"La connexion sécurisée a échoué (certificat non reconnu, ou un proxy au milieu). Rien n'a été envoyé."},
		"err.net.other": {"The network failed during the request: nothing was changed, try again.",
			"Le réseau a lâché pendant la requête : rien n'a été modifié, réessayez."},
		// The same on a call that moves money: the outcome is unknown.
		"err.unknown.timeout": {"No answer in time: the outcome is unknown, the server may have acted. Check before paying again.",
			"Pas de réponse à temps : issue inconnue, le serveur a peut-être agi. Vérifiez avant de payer à nouveau."},
		"err.unknown.closed": {"The connection closed before the answer: the outcome is unknown, the server may have acted. Check before paying again.",
			"La connexion s'est fermée avant la réponse : issue inconnue, le serveur a peut-être agi. Vérifiez avant de payer à nouveau."},
		"err.unknown.other": {"The network failed during the request: the outcome is unknown, the server may have acted. Check before paying again.",
			"Le réseau a lâché pendant la requête : issue inconnue, le serveur a peut-être agi. Vérifiez avant de payer à nouveau."},
		// (Refused, DNS and TLS failures happen before the request leaves:
		// never unknown; the keys exist so that no cause shows a bare key.)
		"err.unknown.refused": {"My-CoolPay could not be reached: the connection was refused. Nothing was sent.",
			"My-CoolPay injoignable : connexion refusée. Rien n'a été envoyé."},
		"err.unknown.dns": {"The server's name was not found. Nothing was sent.",
			"Nom du serveur introuvable. Rien n'a été envoyé."},
		"err.unknown.tls": {"The secure connection failed. Nothing was sent.",
			"La connexion sécurisée a échoué. Rien n'a été envoyé."},
		"err.details": {"(details: %s)", "(détails : %s)"},

		"err.phone_not_momo": {"This number is neither MTN nor Orange (650–659, 67x, 680–689, 69x): no mobile-money account can be paid or charged on it.",
			"Ce numéro n'est ni MTN ni Orange (650–659, 67x, 680–689, 69x) : aucun compte mobile money ne peut être payé ou débité dessus."},

		"today.fees_unknown": {"Fees unknown for %d successful transaction(s): the fees and net above leave them out (coolpay reconcile asks the API for them).",
			"Frais inconnus pour %d transaction(s) réussie(s) : les frais et le net ci-dessus ne les comptent pas (coolpay reconcile les demande à l'API)."},
		"today.fees_unknown.short": {"⚠ fees unknown for %d transaction(s): not in the fees and net", "⚠ frais inconnus pour %d transaction(s) : hors frais et net"},

		"cli.reconcile.fees":         {"%s  fees %s", "%s  frais %s"},
		"cli.reconcile.fees_unknown": {"%s  fees still unknown: the API gave none", "%s  frais toujours inconnus : l'API n'en donne pas"},

		// The API's refusals the sandbox and the collection know
		// (common.APIMessage); the API itself speaks English only.
		"api.msg.amount_required":     {"transaction_amount is required", "Le montant est obligatoire"},
		"api.msg.amount_number":       {"transaction_amount must be a number", "Le montant doit être un nombre"},
		"api.msg.amount_positive":     {"transaction_amount must be greater than zero", "Le montant doit être supérieur à zéro"},
		"api.msg.amount_too_large":    {"transaction_amount is too large", "Le montant est trop élevé"},
		"api.msg.amount_decimals":     {"transaction_amount has more than 2 decimals", "Le montant a plus de 2 décimales"},
		"api.msg.amount_whole":        {"transaction_amount must be a whole number of XAF", "Le montant en XAF doit être un nombre entier"},
		"api.msg.currency_xaf":        {"transaction_currency must be XAF", "La devise doit être XAF"},
		"api.msg.currency_xaf_eur":    {"transaction_currency must be XAF or EUR", "La devise doit être XAF ou EUR"},
		"api.msg.phone_required":      {"customer_phone_number is required", "Le numéro de téléphone du client est obligatoire"},
		"api.msg.phone_not_momo":      {"customer_phone_number is neither an Orange Money nor an MTN Mobile Money number", "Le numéro du client n'est ni un numéro Orange Money ni un numéro MTN Mobile Money"},
		"api.msg.lang":                {"customer_lang must be fr or en", "La langue du client doit être fr ou en"},
		"api.msg.email":               {"customer_email is not a valid email address", "L'adresse e-mail du client n'est pas valide"},
		"api.msg.operator_required":   {"transaction_operator is required", "L'opérateur est obligatoire"},
		"api.msg.operator_invalid":    {"transaction_operator must be MCP, CM_MOMO or CM_OM", "L'opérateur doit être MCP, CM_MOMO ou CM_OM"},
		"api.msg.mcp_recipient":       {"MCP payouts need customer_phone_number, customer_username or customer_email", "Un décaissement MCP demande le téléphone, l'identifiant ou l'e-mail du bénéficiaire"},
		"api.msg.ref_required":        {"transaction_ref is required", "La référence de transaction est obligatoire"},
		"api.msg.code_required":       {"code is required", "Le code est obligatoire"},
		"api.msg.params_too_long":     {"extra query parameters are limited to 255 characters", "Les paramètres de retour sont limités à 255 caractères"},
		"api.msg.private_key_missing": {"Missing private key: send it in the X-PRIVATE-KEY header", "Clé privée absente : elle doit être envoyée dans l'en-tête X-PRIVATE-KEY"},
		"api.msg.private_key_body":    {"private_key must not be sent in the body: use the X-PRIVATE-KEY header", "La clé privée ne doit pas être dans le corps : utilisez l'en-tête X-PRIVATE-KEY"},
		"api.msg.route":               {"Route not found", "Route introuvable"},
		"api.msg.bad_body":            {"Invalid request body", "Corps de requête invalide"},
		"api.msg.body_too_large":      {"Request body too large", "Corps de requête trop volumineux"},
	}
}
