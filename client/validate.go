package client

import (
	"encoding/json"
	"net/mail"
	"strconv"
	"strings"
	"unicode"
)

// Upper bounds for one transaction. The vendor documents none; these only
// catch typing slips (an extra zero or three) before money moves. 10,000,000
// XAF is far above any Cameroonian mobile-money wallet limit; 15,000 EUR is
// about the same value (1 EUR = 655.957 XAF).
const (
	MaxAmountXAF = 10_000_000
	MaxAmountEUR = 15_000
)

// Stable validation codes. The UI translates by code, so never rename one.
const (
	CodeAmountRequired    = "amount_required"
	CodeAmountNotNumber   = "amount_not_number"
	CodeAmountFraction    = "amount_fraction"
	CodeAmountTooLarge    = "amount_too_large"
	CodeAmountNotPositive = "amount_not_positive"
	CodeCurrencyInvalid   = "currency_invalid"
	CodePhoneRequired     = "phone_required"
	CodePhoneInvalid      = "phone_invalid"
	CodePhoneNotMoMo      = "phone_not_momo" // a 6xx number no mobile-money operator serves
	CodeLangInvalid       = "lang_invalid"
	CodeOperatorInvalid   = "operator_invalid"
	CodeRecipientRequired = "recipient_required"
	CodeEmailInvalid      = "email_invalid"
	CodeCodeRequired      = "code_required"
	CodeRefRequired       = "ref_required"
	CodeParamsTooLong     = "params_too_long"
	CodePublicKeyRequired = "public_key_required"
)

// ParseAmount checks an amount typed by a person or found in a request and
// returns it as a canonical JSON number: "1 500" -> "1500", "10.50" EUR -> "10.5".
// XAF (also when currency is "") must be a positive whole number; EUR may have
// up to two decimals. Signs, exponents, commas and stray characters are refused
// rather than guessed at: with money, "1,500" or "1e3" must be retyped, not read.
func ParseAmount(text, currency string) (json.Number, error) {
	const field = "transaction_amount"
	if currency == "" {
		currency = CurrencyXAF
	}
	if currency != CurrencyXAF && currency != CurrencyEUR {
		return "", invalid("transaction_currency", CodeCurrencyInvalid, "currency must be XAF or EUR")
	}
	s := strings.TrimSpace(text)
	if s == "" {
		return "", invalid(field, CodeAmountRequired, "an amount is required")
	}
	notNumber := invalid(field, CodeAmountNotNumber,
		"amount must be written with digits only (spaces may separate thousands, a dot separates decimals)")
	neg := false
	switch s[0] {
	case '+':
		return "", notNumber
	case '-':
		neg, s = true, s[1:]
	}
	intText, frac, hasDot := strings.Cut(s, ".")
	digits, ok := ungroup(intText)
	if !ok || (hasDot && (frac == "" || !allDigits(frac))) {
		return "", notNumber
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		digits = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if neg || (digits == "0" && frac == "") {
		return "", invalid(field, CodeAmountNotPositive, "amount must be greater than zero")
	}
	max := int64(MaxAmountXAF)
	if currency == CurrencyXAF {
		// A dot at all is refused, even "100.00": XAF has no minor unit, and a
		// decimal part in the input more likely means a slip than a cent.
		if hasDot {
			return "", invalid(field, CodeAmountFraction, "XAF amounts are whole numbers, without decimals")
		}
	} else {
		max = MaxAmountEUR
		if len(frac) > 2 {
			return "", invalid(field, CodeAmountFraction, "EUR amounts have at most two decimals")
		}
	}
	if len(digits) > 15 {
		return "", invalid(field, CodeAmountTooLarge, "amount is too large")
	}
	v, _ := strconv.ParseInt(digits, 10, 64) // at most 15 digits: cannot fail
	if v > max || (v == max && frac != "") {
		return "", invalid(field, CodeAmountTooLarge,
			"amount is above the "+strconv.FormatInt(max, 10)+" "+currency+" limit for one transaction")
	}
	if frac != "" {
		return json.Number(digits + "." + frac), nil
	}
	return json.Number(digits), nil
}

// ungroup accepts plain digits, or digits grouped by threes with single
// spaces ("1 500 000", also with no-break spaces as French typing produces).
func ungroup(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if allDigits(s) {
		return s, true
	}
	var b strings.Builder
	group := 0
	first := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			group++
		case unicode.IsSpace(r):
			if group == 0 || (first && group > 3) || (!first && group != 3) {
				return "", false
			}
			first, group = false, 0
		default:
			return "", false
		}
	}
	if group != 3 {
		return "", false
	}
	return b.String(), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizePhone returns a Cameroonian mobile number as its 9 national digits:
// "+237 690 000 000", "00237-690.00.00.00" and "237690000000" all give
// "690000000". Spaces, dashes, dots and parentheses are ignored.
func NormalizePhone(text string) (string, error) {
	const field = "customer_phone_number"
	var b strings.Builder
	for _, r := range text {
		switch {
		case unicode.IsSpace(r), r == '-', r == '.', r == '(', r == ')':
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" {
		return "", invalid(field, CodePhoneRequired, "a phone number is required")
	}
	switch {
	case strings.HasPrefix(s, "+237"):
		s = s[4:]
	case strings.HasPrefix(s, "00237"):
		s = s[5:]
	case len(s) == 12 && strings.HasPrefix(s, "237"):
		s = s[3:]
	}
	if len(s) != 9 || s[0] != '6' || !allDigits(s) {
		return "", invalid(field, CodePhoneInvalid,
			"phone must be a Cameroonian mobile number: 9 digits starting with 6, optionally after +237")
	}
	return s, nil
}

// PhoneOperator guesses the mobile-money operator from a phone number's
// prefix; "" when the number is invalid or the prefix is neither operator's
// (Camtel 62x, Nexttel 66x...). Numbers are not portable in Cameroon, so the
// prefix is a good guess: it suggests the operator, and a number that is
// neither operator's is refused for mobile money (CheckMobileMoney); a
// number of the other operator than the one chosen is not refused.
//
//	prefix      operator
//	650-654     MTN     (CM_MOMO)
//	655-659     Orange  (CM_OM)
//	67x         MTN     (CM_MOMO)
//	680-684     MTN     (CM_MOMO)
//	685-689     Orange  (CM_OM)
//	69x         Orange  (CM_OM)
func PhoneOperator(phone string) string {
	p, err := NormalizePhone(phone)
	if err != nil {
		return ""
	}
	third := p[2]
	switch p[1] {
	case '5', '8':
		if third <= '4' {
			return OperatorMoMo
		}
		return OperatorOM
	case '7':
		return OperatorMoMo
	case '9':
		return OperatorOM
	}
	return ""
}

// CheckMobileMoney refuses a valid Cameroonian number that neither MTN
// nor Orange serves (PhoneOperator gives ""): no mobile-money account can
// be paid or charged on it, and the API would only refuse it after the
// request was journaled and sent. A number that is not valid at all gets
// NormalizePhone's error.
func CheckMobileMoney(phone string) error {
	p, err := NormalizePhone(phone)
	if err != nil {
		return err
	}
	if PhoneOperator(p) == "" {
		return invalid("customer_phone_number", CodePhoneNotMoMo,
			"this number is neither MTN (650-654, 67x, 680-684) nor Orange (655-659, 685-689, 69x): not a mobile-money number")
	}
	return nil
}

func validLang(l string) error {
	if l == "" || l == LangEN || l == LangFR {
		return nil
	}
	return invalid("customer_lang", CodeLangInvalid, "language must be en or fr")
}

// validEmail accepts a bare address with a dotted domain: plausible, not proven.
func validEmail(e string) error {
	if e == "" {
		return nil
	}
	bad := invalid("customer_email", CodeEmailInvalid, "e-mail address is not valid")
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 {
		return bad
	}
	at := strings.LastIndexByte(e, '@')
	domain := e[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return bad
	}
	return nil
}

// optionalPhone normalises a phone when one is given.
func optionalPhone(p string) (string, error) {
	if strings.TrimSpace(p) == "" {
		return "", nil
	}
	return NormalizePhone(p)
}

// Normalized returns r as it would be sent (amount canonical, phone in its
// 9-digit form, text trimmed), or the first problem as a *ValidationError.
func (r PaylinkRequest) Normalized() (PaylinkRequest, error) {
	cur := r.TransactionCurrency
	if cur != "" && cur != CurrencyXAF && cur != CurrencyEUR {
		return r, invalid("transaction_currency", CodeCurrencyInvalid, "currency must be XAF or EUR")
	}
	amount, err := ParseAmount(string(r.TransactionAmount), cur)
	if err != nil {
		return r, err
	}
	r.TransactionAmount = amount
	if r.CustomerPhoneNumber, err = optionalPhone(r.CustomerPhoneNumber); err != nil {
		return r, err
	}
	if err := validCustomer(r.CustomerEmail, r.CustomerLang); err != nil {
		return r, err
	}
	if q := r.ReturnParams.Encode(); len(q) > maxReturnParams {
		return r, invalid("return_params", CodeParamsTooLong,
			"extra return parameters must stay within 255 characters once encoded")
	}
	return r, nil
}

// validCustomer checks the optional customer fields every request shares.
func validCustomer(email, lang string) error {
	if err := validEmail(email); err != nil {
		return err
	}
	return validLang(lang)
}

// Validate reports the first problem with a paylink request, as a *ValidationError.
func (r PaylinkRequest) Validate() error {
	_, err := r.Normalized()
	return err
}

// Normalized returns r as it would be sent (amount canonical, phone in its
// 9-digit form, text trimmed), or the first problem as a *ValidationError.
func (r PayinRequest) Normalized() (PayinRequest, error) {
	if r.TransactionCurrency != "" && r.TransactionCurrency != CurrencyXAF {
		return r, invalid("transaction_currency", CodeCurrencyInvalid, "payins are in XAF only")
	}
	amount, err := ParseAmount(string(r.TransactionAmount), CurrencyXAF)
	if err != nil {
		return r, err
	}
	r.TransactionAmount = amount
	if r.CustomerPhoneNumber, err = NormalizePhone(r.CustomerPhoneNumber); err != nil {
		return r, err
	}
	if err := CheckMobileMoney(r.CustomerPhoneNumber); err != nil {
		return r, err
	}
	if err := validCustomer(r.CustomerEmail, r.CustomerLang); err != nil {
		return r, err
	}
	return r, nil
}

// Validate reports the first problem with a payin request, as a *ValidationError.
func (r PayinRequest) Validate() error {
	_, err := r.Normalized()
	return err
}

// Normalized returns r as it would be sent (amount canonical, phone in its
// 9-digit form, text trimmed), or the first problem as a *ValidationError.
func (r AuthorizeRequest) Normalized() (AuthorizeRequest, error) {
	r.TransactionRef = strings.TrimSpace(r.TransactionRef)
	r.Code = strings.Join(strings.Fields(r.Code), "")
	if r.TransactionRef == "" {
		return r, invalid("transaction_ref", CodeRefRequired, "the transaction reference is required")
	}
	if r.Code == "" {
		return r, invalid("code", CodeCodeRequired, "the code received by SMS is required")
	}
	return r, nil
}

// Validate reports a missing transaction reference or code, as a *ValidationError.
func (r AuthorizeRequest) Validate() error {
	_, err := r.Normalized()
	return err
}

// Normalized returns r as it would be sent (amount canonical, phone in its
// 9-digit form, text trimmed), or the first problem as a *ValidationError.
func (r PayoutRequest) Normalized() (PayoutRequest, error) {
	switch r.TransactionOperator {
	case OperatorMCP, OperatorMoMo, OperatorOM:
	default:
		return r, invalid("transaction_operator", CodeOperatorInvalid, "operator must be MCP, CM_MOMO or CM_OM")
	}
	if r.TransactionCurrency != "" && r.TransactionCurrency != CurrencyXAF {
		return r, invalid("transaction_currency", CodeCurrencyInvalid, "payouts are in XAF only")
	}
	amount, err := ParseAmount(string(r.TransactionAmount), CurrencyXAF)
	if err != nil {
		return r, err
	}
	r.TransactionAmount = amount
	if r.TransactionOperator != OperatorMCP {
		if r.CustomerPhoneNumber, err = NormalizePhone(r.CustomerPhoneNumber); err != nil {
			return r, err
		}
		if err := CheckMobileMoney(r.CustomerPhoneNumber); err != nil {
			return r, err
		}
	} else {
		r.CustomerUsername = strings.TrimSpace(r.CustomerUsername)
		if strings.TrimSpace(r.CustomerPhoneNumber) == "" && r.CustomerUsername == "" && r.CustomerEmail == "" {
			return r, invalid("customer_phone_number", CodeRecipientRequired,
				"a My-CoolPay payout needs the recipient's phone, username or e-mail")
		}
		if r.CustomerPhoneNumber, err = optionalPhone(r.CustomerPhoneNumber); err != nil {
			return r, err
		}
	}
	if err := validCustomer(r.CustomerEmail, r.CustomerLang); err != nil {
		return r, err
	}
	return r, nil
}

// Validate reports the first problem with a payout request, as a *ValidationError.
func (r PayoutRequest) Validate() error {
	_, err := r.Normalized()
	return err
}

// maxReturnParams is the vendor's limit on a paylink's extra query parameters.
const maxReturnParams = 255
