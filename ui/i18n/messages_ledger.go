package i18n

// ledgerMessages: a ledger held by PostgreSQL (several desks): `coolpay
// ledger copy` and doctor's checks of the database.
func ledgerMessages() map[string]msg {
	return map[string]msg{
		"cli.ledger.copy.inflight": {"%s has %d payment(s) in flight (NEW, their coolpay still running): close every coolpay on it, then copy again",
			"%s a %d paiement(s) en cours d'envoi (NOUVEAU, leur coolpay tourne encore) : fermez tous les coolpay qui l'utilisent, puis relancez la copie"},
		"cli.ledger.copy.start":    {"Copying %s records from %s to %s…", "Copie de %s transactions de %s vers %s…"},
		"cli.ledger.copy.progress": {"  %s / %s records", "  %s / %s transactions"},
		"cli.ledger.copy.done": {"Records: %d added, %d brought up to date, %d already there. Callbacks: %d copied. Settings: %d copied.",
			"Transactions : %d ajoutées, %d mises à jour, %d déjà présentes. Rappels : %d copiés. Réglages : %d copiés."},
		"cli.ledger.copy.checked":  {"Checked: records and amounts agree for each of the %d type and state pairs.", "Vérifié : transactions et montants concordent pour chacune des %d paires type et état."},
		"cli.ledger.copy.mismatch": {"the two ledgers differ for %d type and state pair(s) (marked DIFFERS above)", "les deux registres diffèrent pour %d paire(s) type et état (marquées DIFFERS ci-dessus)"},

		"cli.err.unreachable": {"%s. Nothing was sent: check the network and the database server (coolpay doctor says more)",
			"%s. Rien n'a été envoyé : vérifiez le réseau et le serveur de base de données (coolpay doctor en dit plus)"},

		"cli.err.insecure": {"%s is on another machine and the URL allows a connection without TLS: add sslmode=verify-full (with sslrootcert=… for a private CA) or sslmode=require to the URL",
			"%s est sur une autre machine et l'URL permet une connexion sans TLS : ajoutez sslmode=verify-full (avec sslrootcert=… pour une autorité privée) ou sslmode=require à l'URL"},

		"doctor.ledger.pg.ok":           {"%s: %s records, consistent (PostgreSQL %s, schema %d, %s)", "%s : %s transactions, cohérent (PostgreSQL %s, schéma %d, %s)"},
		"doctor.ledger.pg.tls":          {"encrypted (TLS)", "chiffré (TLS)"},
		"doctor.ledger.pg.local":        {"on this machine, not encrypted", "sur cette machine, non chiffré"},
		"doctor.ledger.rights":          {"%s: this role may read the ledger but not write it: no payment could be journaled", "%s : ce rôle peut lire le registre mais pas y écrire : aucun paiement ne pourrait être enregistré"},
		"doctor.ledger.rights.fix":      {"connect as the role that owns coolpay's tables, or GRANT SELECT, INSERT, UPDATE, DELETE ON the coolpay_* tables to this one", "connectez-vous avec le rôle propriétaire des tables de coolpay, ou accordez (GRANT SELECT, INSERT, UPDATE, DELETE) les tables coolpay_* à celui-ci"},
		"doctor.ledger.unreachable":     {"%s cannot be reached: %s", "%s est injoignable : %s"},
		"doctor.ledger.unreachable.fix": {"check the address, that the database server runs and that this desk may reach it (firewall, pg_hba.conf)", "vérifiez l'adresse, que le serveur de base de données tourne et que ce poste peut l'atteindre (pare-feu, pg_hba.conf)"},
		"doctor.ledger.insecure":        {"%s is on another machine and the URL allows a connection without TLS", "%s est sur une autre machine et l'URL permet une connexion sans TLS"},
		"doctor.ledger.insecure.fix":    {"add sslmode=verify-full (with sslrootcert=… for a private CA) or sslmode=require to the URL", "ajoutez sslmode=verify-full (avec sslrootcert=… pour une autorité privée) ou sslmode=require à l'URL"},
	}
}
