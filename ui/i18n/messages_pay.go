package i18n

// payMessages: the payin, paylink and payout screens.
var payMessages = map[string]msg{}
