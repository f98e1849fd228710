package i18n

// appMessages: the shell, history, settings and setup screens.
var appMessages = map[string]msg{
	"tab.paylink":  {"Paylink", "Lien de paiement"},
	"tab.payin":    {"Payin", "Encaissement"},
	"tab.payout":   {"Payout", "Décaissement"},
	"tab.history":  {"History", "Historique"},
	"tab.settings": {"Settings", "Paramètres"},
}
