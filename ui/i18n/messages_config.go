package i18n

// configMessages: the settings' checks (ui/internal/config), their scopes,
// and the start-up questions about the ledger.
func configMessages() map[string]msg {
	return map[string]msg{
		"config.error.unknown":           {"unknown setting", "paramètre inconnu"},
		"config.error.other":             {"%s", "%s"},
		"config.error.public_key":        {"a public key has only letters, digits, - _ and . (no spaces or slashes)", "une clé publique n'a que lettres, chiffres, - _ et . (ni espace ni barre oblique)"},
		"config.error.public_key_long":   {"a public key has at most %d characters", "une clé publique a %d caractères au plus"},
		"config.error.base_url":          {"an http:// or https:// address, e.g. https://my-coolpay.com/api", "une adresse http:// ou https://, ex. https://my-coolpay.com/api"},
		"config.error.base_url_chars":    {"an address in plain ASCII, without spaces or control characters (an international domain in its xn-- form)", "une adresse en ASCII simple, sans espace ni caractère de contrôle (un domaine international sous sa forme xn--)"},
		"config.error.base_url_userinfo": {"no user name or password in the address: the API does not use them", "pas de nom d'utilisateur ni de mot de passe dans l'adresse : l'API ne s'en sert pas"},
		"config.error.base_url_query":    {"no ?query in the address: the public key and the call are added after it", "pas de ?requête dans l'adresse : la clé publique et l'appel s'ajoutent après elle"},
		"config.error.base_url_fragment": {"no #fragment in the address: the public key and the call are added after it", "pas de #fragment dans l'adresse : la clé publique et l'appel s'ajoutent après elle"},
		"config.error.base_url_http":     {"plain http to another machine would send the private key in clear: use https (or set %s=1 to allow it)", "http simple vers une autre machine enverrait la clé privée en clair : utilisez https (ou définissez %s=1 pour l'autoriser)"},
		"config.error.one_of":            {"use %s", "valeurs possibles : %s"},
		"config.error.duration":          {"a duration between %s and %s, e.g. %s", "une durée entre %s et %s, ex. %s"},
		"config.error.name":              {"printable text, at most %d characters", "texte imprimable, %d caractères au plus"},
		"config.error.addr":              {"host:port, e.g. 127.0.0.1:8788", "hôte:port, ex. 127.0.0.1:8788"},
		"config.error.path":              {"a path starting with /, no spaces, ?, # or %", "un chemin commençant par /, sans espace, ?, # ni %"},
		"config.error.ip":                {"%q is not an IP address", "%q n'est pas une adresse IP"},
		"config.error.cidr":              {"%q is not a CIDR (e.g. 10.0.0.0/8)", "%q n'est pas un CIDR (ex. 10.0.0.0/8)"},
		"config.error.cidr_all":          {"%q would trust every address", "%q ferait confiance à toutes les adresses"},
		"config.error.ledger_path":       {"an absolute file path (e.g. /home/awa/shop.db) or a postgres:// URL", "un chemin de fichier absolu (ex. /home/awa/boutique.db) ou une URL postgres://"},
		"config.error.ledger_password":   {"no password in the URL: it would be kept in a plain file (type it in the database password field, or use .pgpass or the keyring, service coolpay-db)", "pas de mot de passe dans l'URL : il serait gardé dans un simple fichier (tapez-le dans le champ du mot de passe de la base, ou utilisez .pgpass ou le trousseau, service coolpay-db)"},
		"config.error.sourced.flag":      {"%s: %s", "%s : %s"},
		"config.error.sourced.env":       {"%s: %s", "%s : %s"},
		"config.error.sourced.ledger":    {"the ledger's %s setting is not valid: %s (fix it with coolpay config set, or in Settings)", "le paramètre %s du registre n'est pas valide : %s (corrigez-le avec coolpay config set, ou dans Paramètres)"},
		"config.error.sourced.default":   {"%s: %s", "%s : %s"},

		"config.scope.shared": {"shared", "partagé"},
		"config.scope.desk":   {"desk", "poste"},
		"cli.config.head":     {"SETTING\tVALUE\tSCOPE\tWHAT IT DOES", "PARAMÈTRE\tVALEUR\tPORTÉE\tRÔLE"},
		"cli.config.scopes":   {"shared: the merchant's, the same at every desk · desk: this till's own", "partagé : ceux du marchand, identiques à chaque poste · poste : propres à cette caisse"},
		"cli.config.invalid":  {"(invalid: %s)", "(invalide : %s)"},

		"settings.scope.shared": {"shared: the merchant's, the same at every desk", "partagé : celui du marchand, le même à chaque poste"},
		"settings.scope.desk":   {"this desk only", "ce poste seulement"},
		"config.where.shared":   {"shared · database", "partagé · base"},
		"config.where.desk":     {"desk · this desk", "poste · ce poste"},
		"cli.config.where":      {"This ledger is shared by several desks: shared settings are stored in its database, desk settings on this desk in %s.", "Ce registre est partagé par plusieurs postes : les paramètres partagés sont dans sa base, ceux du poste sur ce poste dans %s."},
		"settings.where.shared": {"stored in the shared database", "enregistré dans la base partagée"},
		"settings.where.desk":   {"stored on this desk (%s)", "enregistré sur ce poste (%s)"},
		"settings.invalid":      {"invalid: %s", "invalide : %s"},

		"app.setting.invalid": {"Offline: %s", "Hors ligne : %s"},

		"console.dbpw.ask":       {"The ledger's database %s needs its password (not shown as you type): ", "La base du registre %s demande son mot de passe (invisible pendant la saisie) : "},
		"console.dbpw.keep":      {"Keep it in this computer's keyring (service %s, account %s) for the next start? y/n ", "Le garder dans le trousseau de cet ordinateur (service %s, compte %s) pour le prochain démarrage ? o/n "},
		"console.dbpw.kept":      {"Kept in the keyring (service %s, account %s).", "Gardé dans le trousseau (service %s, compte %s)."},
		"console.dbpw.notkept":   {"Not kept: the keyring refused (%s). Put it in ~/.pgpass instead.", "Non gardé : le trousseau a refusé (%s). Mettez-le plutôt dans ~/.pgpass."},
		"console.create.ask":     {"No ledger at %s: create a new one? y/n ", "Aucun registre à %s : en créer un nouveau ? o/n "},
		"console.create.refused": {"no ledger created at %s", "aucun registre créé à %s"},
		"console.create.noterm":  {"no ledger at %s: check --db or COOLPAY_DB (run coolpay in a terminal to create one there)", "aucun registre à %s : vérifiez --db ou COOLPAY_DB (lancez coolpay dans un terminal pour en créer un)"},

		"setup.from.flag": {"from --base-url", "donnée par --base-url"},
		"setup.from.env":  {"from COOLPAY_BASE_URL", "donnée par COOLPAY_BASE_URL"},
		"setup.not_live":  {"not the live My-CoolPay API", "pas l'API réelle de My-CoolPay"},

		"doctor.base_url.invalid":     {"%s is not used: %s", "%s n'est pas utilisée : %s"},
		"doctor.skip.no_ledger":       {"not checked: no ledger", "non vérifié : pas de registre"},
		"doctor.settings.invalid":     {"%s", "%s"},
		"doctor.settings.invalid.fix": {"coolpay config set KEY VALUE, or the flag or variable named (coolpay config list shows the settings)", "coolpay config set CLÉ VALEUR, ou l'option ou la variable nommée (coolpay config list montre les paramètres)"},
	}
}
