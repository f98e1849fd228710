package i18n

// cliMessages: the human-readable output of the commands (coolpay history,
// status, balance, reconcile, keys, config, seed, listen). Labels the
// console already has (history.col.*, history.field.*, app.state.*) are
// reused from messages_app.go.
func cliMessages() map[string]msg {
	return map[string]msg{
		"cli.history.empty":   {"No transactions.", "Aucune transaction."},
		"cli.history.more":    {"%s shown, newest first; --limit N for more, --limit 0 for all.", "%s affichées, les plus récentes d'abord ; --limit N pour plus, --limit 0 pour tout."},
		"cli.balance":         {"Balance: %s", "Solde : %s"},
		"cli.status.events":   {"Events", "Événements"},
		"cli.reconcile.line":  {"%s  %s → %s", "%s  %s → %s"},
		"cli.reconcile.err":   {"%s  %s  could not check: %s", "%s  %s  vérification impossible : %s"},
		"cli.reconcile.total": {"%d checked, %d changed, %d could not be checked.", "%d vérifiées, %d modifiées, %d non vérifiables."},
		"cli.reconcile.left":  {"%d transaction(s) still not final (pending, needing a code or unknown).", "%d transaction(s) toujours en cours (en attente, code requis ou inconnue)."},
		"cli.keys.public":     {"Public key:  %s", "Clé publique : %s"},
		"cli.keys.set_from":   {"Private key: set (from %s)", "Clé privée :   définie (source : %s)"},
		"cli.keys.not_set":    {"Private key: not set", "Clé privée :   non définie"},
		"cli.keys.keyring_ok": {"Keyring:     available", "Trousseau :   disponible"},
		"cli.keys.keyring_no": {"Keyring:     not available (%s); coolpay falls back to COOLPAY_PRIVATE_KEY, then asks once per run", "Trousseau :   indisponible (%s) ; coolpay utilise COOLPAY_PRIVATE_KEY, sinon demande la clé une fois par exécution"},
		"cli.keys.saved":      {"Private key saved (%s).", "Clé privée enregistrée (%s)."},
		"cli.keys.deleted":    {"Private key deleted from the keyring.", "Clé privée supprimée du trousseau."},
		"cli.seed.done":       {"Seeded %s synthetic transactions into %s in %s.", "%s transactions synthétiques ajoutées à %s en %s."},
		"cli.listen.start":    {"Listening for callbacks on http://%s%s (allowed senders: %s)", "En écoute des notifications sur http://%s%s (expéditeurs autorisés : %s)"},
		"cli.listen.stop":     {"Stopped.", "Arrêté."},
		"cli.config.unset":    {"(not set)", "(non défini)"},

		// Errors the commands explain themselves.
		"cli.err.no_ledger":     {"no ledger at %s: check --db or COOLPAY_DB (the console creates the ledger on its first run)", "aucun registre à %s : vérifiez --db ou COOLPAY_DB (la console crée le registre à son premier lancement)"},
		"cli.err.no_public_key": {"no public key: pass --public-key, set COOLPAY_PUBLIC_KEY, or run coolpay once to set it up", "aucune clé publique : indiquez --public-key, définissez COOLPAY_PUBLIC_KEY, ou lancez coolpay une fois pour la configurer"},
		"cli.err.busy":          {"the ledger %s is in use by another coolpay process; try again when it is done", "le registre %s est utilisé par un autre processus coolpay ; réessayez quand il aura terminé"},
		"cli.err.usage_hint":    {"Run '%s --help' for usage.", "Lancez '%s --help' pour l'aide."},

		// coolpay config list: what each setting does.
		"cli.config.public_key":           {"merchant public key", "clé publique du marchand"},
		"cli.config.base_url":             {"API base URL", "URL de base de l'API"},
		"cli.config.ui_lang":              {"console language: en or fr", "langue de la console : en ou fr"},
		"cli.config.theme":                {"console colours: auto, light or dark", "couleurs de la console : auto, light ou dark"},
		"cli.config.poll_step":            {"follower: first wait, growing by as much each poll (e.g. 1s)", "suivi : première attente, qui croît d'autant à chaque fois (ex. 1s)"},
		"cli.config.poll_max":             {"follower: longest wait between polls (e.g. 10s)", "suivi : attente maximale entre deux interrogations (ex. 10s)"},
		"cli.config.poll_give_up":         {"follower: stop following after (e.g. 10m)", "suivi : abandon après (ex. 10m)"},
		"cli.config.callback_addr":        {"listen: address, host:port", "listen : adresse, hôte:port"},
		"cli.config.callback_path":        {"listen: callback path, e.g. /callback/<random>", "listen : chemin des notifications, ex. /callback/<aléatoire>"},
		"cli.config.callback_allow_ip":    {"listen: allowed sender IPs, comma-separated", "listen : IP d'expéditeurs autorisées, séparées par des virgules"},
		"cli.config.callback_trust_proxy": {"listen: trusted reverse proxies, CIDRs, comma-separated", "listen : proxys inverses de confiance, CIDR séparés par des virgules"},
		"cli.config.csv_format":           {"CSV exports: rfc4180 (comma) or fr (semicolon, decimal comma, BOM)", "exports CSV : rfc4180 (virgule) ou fr (point-virgule, virgule décimale, BOM)"},
	}
}
