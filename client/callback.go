package client

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// VendorCallbackIP is the address My-CoolPay sends callbacks from.
const VendorCallbackIP = "15.236.140.89"

// The bodies My-CoolPay expects in answer to a callback.
const (
	CallbackOK = "OK"
	CallbackKO = "KO"
)

// MaxCallbackBody bounds a callback body; a real one is well under 1 KiB.
const MaxCallbackBody = 64 << 10

// Reasons a callback is refused; match with errors.Is.
var (
	ErrCallbackMalformed   = errors.New("coolpay: callback body is not a valid callback")
	ErrCallbackApplication = errors.New("coolpay: callback is for another application")
	ErrCallbackSignature   = errors.New("coolpay: callback signature does not match")
	ErrCallbackIP          = errors.New("coolpay: callback does not come from My-CoolPay's address")
)

// CallbackReply is the body to answer a callback with: OK when err is nil, KO otherwise.
func CallbackReply(err error) string {
	if err != nil {
		return CallbackKO
	}
	return CallbackOK
}

// maxExponent bounds the exponent accepted in an amount's text, so that a
// hostile "1e999999999" cannot make us write a gigabyte of zeros.
const maxExponent = 1000

// CanonicalAmount writes a JSON number's text the way the signature formula
// wants it: plain decimal, no insignificant zeros ("100.00" -> "100",
// "1e2" -> "100", "100.50" -> "100.5", "0.50" -> "0.5"). It works on the text
// only, never through a float, so no amount is ever rounded.
func CanonicalAmount(n json.Number) (string, bool) {
	s := string(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	mant, expText, hasExp := strings.Cut(strings.ToLower(s), "e")
	intPart, frac, hasDot := strings.Cut(mant, ".")
	if intPart == "" && frac == "" {
		return "", false
	}
	if (intPart != "" && !allDigits(intPart)) || (hasDot && frac != "" && !allDigits(frac)) {
		return "", false
	}
	exp := 0
	if hasExp {
		sign := 1
		switch {
		case strings.HasPrefix(expText, "+"):
			expText = expText[1:]
		case strings.HasPrefix(expText, "-"):
			sign, expText = -1, expText[1:]
		}
		if !allDigits(expText) { // also refuses "1e" and "1e+"
			return "", false
		}
		if expText = strings.TrimLeft(expText, "0"); len(expText) > 4 {
			return "", false
		}
		for _, c := range expText {
			exp = exp*10 + int(c-'0')
		}
		if exp > maxExponent {
			return "", false
		}
		exp *= sign
	}
	digits := intPart + frac
	point := len(intPart) + exp // where the decimal point falls within digits
	trimmed := strings.TrimLeft(digits, "0")
	point -= len(digits) - len(trimmed)
	digits = strings.TrimRight(trimmed, "0")
	if digits == "" {
		return "0", true
	}
	var out string
	switch {
	case point <= 0:
		out = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		out = digits + strings.Repeat("0", point-len(digits))
	default:
		out = digits[:point] + "." + digits[point:]
	}
	if neg {
		out = "-" + out
	}
	return out, true
}

// Signature is the callback's md5 signature, lowercase hex: md5 of
// transaction_ref + transaction_type + amount + currency + operator +
// private_key, the amount written by CanonicalAmount.
func Signature(c Callback, privateKey string) string {
	amount, ok := CanonicalAmount(c.TransactionAmount)
	if !ok {
		amount = string(c.TransactionAmount) // unsignable; verification refuses it anyway
	}
	sum := md5.Sum([]byte(c.TransactionRef + c.TransactionType + amount +
		c.TransactionCurrency + c.TransactionOperator + privateKey))
	return hex.EncodeToString(sum[:])
}

// SignCallback returns c with its Signature set, as My-CoolPay would send it.
func SignCallback(c Callback, privateKey string) Callback {
	c.Signature = Signature(c, privateKey)
	return c
}

// VerifyCallbackBody parses a callback body of either kind the vendor sends:
// JSON, or a form (application/x-www-form-urlencoded, every value as text),
// chosen by contentType as the vendor's own plugin does. It checks, in this
// order, that it is for this application (publicKey) and that its signature
// matches privateKey. Errors wrap ErrCallbackMalformed,
// ErrCallbackApplication or ErrCallbackSignature; a nil error means the
// callback is authentic. (The sender's address is checked before, with a
// CallbackIPPolicy.)
func VerifyCallbackBody(contentType string, body []byte, publicKey, privateKey string) (*Callback, error) {
	if privateKey == "" {
		// An empty key would make the signature computable by anyone.
		return nil, ErrNoPrivateKey
	}
	if len(body) > MaxCallbackBody {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrCallbackMalformed, MaxCallbackBody)
	}
	c, err := parseCallback(contentType, body)
	if err != nil {
		return nil, err
	}
	if c.TransactionRef == "" || c.Signature == "" {
		return nil, fmt.Errorf("%w: transaction_ref or signature missing", ErrCallbackMalformed)
	}
	if _, ok := CallbackAmount(c.TransactionAmount); !ok {
		return nil, fmt.Errorf("%w: transaction_amount is not a plain decimal number in range", ErrCallbackMalformed)
	}
	if c.Application != publicKey {
		return nil, ErrCallbackApplication
	}
	want := Signature(*c, privateKey)
	got := strings.ToLower(c.Signature)
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return nil, ErrCallbackSignature
	}
	return c, nil
}

// isForm reports whether a Content-Type names a urlencoded form.
func isForm(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func parseCallback(contentType string, body []byte) (*Callback, error) {
	var c Callback
	if !isForm(contentType) {
		if err := json.Unmarshal(body, &c); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCallbackMalformed, err)
		}
		return &c, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("%w: form: %v", ErrCallbackMalformed, err)
	}
	for k, v := range form {
		if len(v) > 1 {
			// Two values for one field: which one did the signer mean?
			return nil, fmt.Errorf("%w: form field %q given %d times", ErrCallbackMalformed, k, len(v))
		}
	}
	c = Callback{
		Application: form.Get("application"), AppTransactionRef: form.Get("app_transaction_ref"),
		OperatorTransactionRef: form.Get("operator_transaction_ref"), TransactionRef: form.Get("transaction_ref"),
		TransactionType: form.Get("transaction_type"), TransactionAmount: json.Number(form.Get("transaction_amount")),
		TransactionFees: json.Number(form.Get("transaction_fees")), TransactionCurrency: form.Get("transaction_currency"),
		TransactionOperator: form.Get("transaction_operator"), TransactionStatus: form.Get("transaction_status"),
		TransactionReason: form.Get("transaction_reason"), CustomerPhoneNumber: form.Get("customer_phone_number"),
		Signature: form.Get("signature"),
	}
	if form.Has("transaction_message") {
		m := form.Get("transaction_message")
		c.TransactionMessage = &m
	}
	return &c, nil
}

// DocumentedOperator reports whether op is an operator code the API
// documents anywhere: MCP, CM_MOMO, CM_OM, and CARD (seen in status answers
// and callbacks only). A signed callback can still carry anything in
// transaction_operator: its signature proves who sent it, not that the
// value is one the API uses.
func DocumentedOperator(op string) bool {
	switch op {
	case OperatorMCP, OperatorMoMo, OperatorOM, OperatorCard:
		return true
	}
	return false
}

// DocumentedCurrency reports whether c is a currency the API documents: XAF,
// and EUR (paylinks only).
func DocumentedCurrency(c string) bool {
	return c == CurrencyXAF || c == CurrencyEUR
}

// maxCallbackDigits bounds a callback amount's whole part: a trillion is far
// beyond any transaction, and a bound keeps hostile numbers out of the ledger.
const maxCallbackDigits = 12

// CallbackAmount checks a callback's transaction_amount: a plain decimal
// number ("100", "100.50"), greater than zero, at most 12 digits before the
// point and 6 after, and returns it canonical ("100.50" -> "100.5"). The
// vendor writes plain numbers; exponents ("1e2"), signs, zero and
// out-of-range values are refused rather than interpreted.
func CallbackAmount(n json.Number) (string, bool) {
	s := string(n)
	intPart, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(intPart) || hasDot && !allDigits(frac) {
		return "", false
	}
	if len(strings.TrimLeft(intPart, "0")) > maxCallbackDigits || len(strings.TrimRight(frac, "0")) > 6 {
		return "", false
	}
	canon, ok := CanonicalAmount(n)
	if !ok || canon == "0" {
		return "", false
	}
	return canon, true
}

// CallbackIPPolicy decides whether a callback request comes from the vendor.
type CallbackIPPolicy struct {
	Allowed      []string     // default: VendorCallbackIP; addresses or CIDR prefixes
	TrustedProxy []*net.IPNet // X-Forwarded-For honoured only when the peer is in one of these
}

// Allow reports whether r comes from an allowed address. The address is the
// TCP peer's, unless the peer is a trusted proxy: then it is the right-most
// X-Forwarded-For entry that is not itself a trusted proxy (entries to its
// left were written by the client and prove nothing).
func (p CallbackIPPolicy) Allow(r *http.Request) bool {
	addr, ok := parseHostAddr(r.RemoteAddr)
	if !ok {
		return false
	}
	if p.trusted(addr) {
		var hops []string
		for _, h := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(h, ",")...)
		}
		for i := len(hops) - 1; i >= 0; i-- {
			hop, ok := parseHostAddr(strings.TrimSpace(hops[i]))
			if !ok {
				return false // a garbled chain cannot be trusted
			}
			addr = hop
			if !p.trusted(hop) {
				break
			}
		}
	}
	allowed := p.Allowed
	if len(allowed) == 0 {
		allowed = []string{VendorCallbackIP}
	}
	for _, a := range allowed {
		if pre, err := netip.ParsePrefix(a); err == nil {
			if pre.Contains(addr) {
				return true
			}
		} else if want, err := netip.ParseAddr(a); err == nil && want.Unmap() == addr {
			return true
		}
	}
	return false
}

func (p CallbackIPPolicy) trusted(a netip.Addr) bool {
	ip := net.IP(a.AsSlice())
	for _, n := range p.TrustedProxy {
		// A range covering every address would trust anyone's claim.
		if n != nil && CheckTrustedProxy(n) == nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// parseHostAddr reads "1.2.3.4", "1.2.3.4:567", "[::1]:80" or "::1",
// mapping IPv4-in-IPv6 to IPv4 so both spellings compare equal.
func parseHostAddr(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap(), true
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		if a, err := netip.ParseAddr(host); err == nil {
			return a.Unmap(), true
		}
	}
	return netip.Addr{}, false
}
