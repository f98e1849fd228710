package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/coolpay/coolpay/client"
)

const (
	maxBody = 1 << 20
	// maxWhole caps amounts well below int64 overflow in fee and EUR maths.
	maxWhole = int64(10_000_000_000)
	// maxQuery is the vendor's limit on paylink extra query parameters.
	maxQuery = 255
)

// readBody decodes a request body into dst (one of the client request
// types). It takes JSON, as the collection documents, and forms
// (application/x-www-form-urlencoded or multipart/form-data, every value
// text), as the vendor's WooCommerce plugin sends them; what the vendor
// documents as wrong is refused with a clear message.
func readBody(r *http.Request, dst any) *reply {
	data, rep := formAsJSON(r)
	if rep != nil {
		return rep
	}
	if data == nil {
		var err error
		data, err = io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBody))
		if err != nil {
			return readError(err)
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return ptr(errorReply(http.StatusBadRequest, "Empty request body: a JSON object or a form is expected"))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return ptr(errorReply(http.StatusBadRequest, "Invalid JSON body: a JSON object is expected"))
	}
	if _, ok := fields["private_key"]; ok {
		return ptr(errorReply(http.StatusBadRequest,
			"private_key must not be sent in the body: use the X-PRIVATE-KEY header"))
	}
	if raw, ok := fields["transaction_amount"]; ok && len(raw) > 0 && raw[0] == '"' {
		return ptr(errorReply(http.StatusUnprocessableEntity,
			"transaction_amount must be a JSON number, not a string"))
	}
	if err := json.Unmarshal(data, dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			want := te.Type.Kind().String()
			if te.Field == "transaction_amount" {
				want = "number"
			}
			return ptr(errorReply(http.StatusUnprocessableEntity, te.Field+" must be a "+want))
		}
		return ptr(errorReply(http.StatusBadRequest, "Invalid JSON body"))
	}
	return nil
}

func readError(err error) *reply {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return ptr(errorReply(http.StatusRequestEntityTooLarge, "Request body too large"))
	}
	return ptr(errorReply(http.StatusBadRequest, "Could not read the request body"))
}

// formAsJSON turns a form body into the JSON object the handlers decode:
// transaction_amount becomes a number (a form carries only text), every
// other field a string. A field given twice keeps its last value, as PHP
// does. It returns nil, nil when the body is not a form.
func formAsJSON(r *http.Request) ([]byte, *reply) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data") {
		return nil, nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxBody)
	var values url.Values
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return nil, readError(err)
		}
		values = r.MultipartForm.Value
	} else {
		if err := r.ParseForm(); err != nil {
			return nil, readError(err)
		}
		values = r.PostForm // not the URL's query: the paylink echoes that, it is no field
	}
	if len(values) == 0 {
		return nil, ptr(errorReply(http.StatusBadRequest, "Empty request body: a JSON object or a form is expected"))
	}
	obj := make(map[string]any, len(values))
	for k, vs := range values {
		v := vs[len(vs)-1]
		if k != "transaction_amount" {
			obj[k] = v
			continue
		}
		v = strings.TrimSpace(v)
		var n json.Number
		if v == "" || json.Unmarshal([]byte(v), &n) != nil {
			return nil, invalid("transaction_amount must be a number")
		}
		obj[k] = n
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, ptr(errorReply(http.StatusBadRequest, "Invalid form body"))
	}
	return data, nil
}

func ptr(r reply) *reply { return &r }

func invalid(msg string) *reply { return ptr(errorReply(http.StatusUnprocessableEntity, msg)) }

// validationMessage is the human part of a client validation error.
func validationMessage(err error, fallback string) string {
	var ve *client.ValidationError
	if errors.As(err, &ve) && ve.Message != "" {
		if ve.Field != "" && !strings.Contains(ve.Message, ve.Field) {
			return ve.Field + ": " + ve.Message
		}
		return ve.Message
	}
	return fallback
}

// currencyOf applies the XAF default and the route's allowed currencies.
func currencyOf(c string, eurAllowed bool) (string, *reply) {
	switch c {
	case "", client.CurrencyXAF:
		return client.CurrencyXAF, nil
	case client.CurrencyEUR:
		if eurAllowed {
			return c, nil
		}
		return "", invalid("transaction_currency must be XAF")
	}
	if eurAllowed {
		return "", invalid("transaction_currency must be XAF or EUR")
	}
	return "", invalid("transaction_currency must be XAF")
}

// parseAmount validates a JSON-number amount with the client's rules and
// returns it in 10^-scale units (scale 0 for XAF, 2 for EUR).
func parseAmount(n json.Number, currency string) (int64, int, *reply) {
	if n == "" {
		return 0, 0, invalid("transaction_amount is required")
	}
	norm, err := client.ParseAmount(string(n), currency)
	if err != nil {
		return 0, 0, invalid(validationMessage(err, "transaction_amount is not a valid amount"))
	}
	scale := 0
	if currency == client.CurrencyEUR {
		scale = 2
	}
	whole, frac, _ := strings.Cut(string(norm), ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, 0, invalid("transaction_amount must be a plain decimal number")
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > scale {
		if scale == 0 {
			return 0, 0, invalid("transaction_amount must be a whole number of " + currency)
		}
		return 0, 0, invalid("transaction_amount has more than 2 decimals")
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > maxWhole {
		return 0, 0, invalid("transaction_amount is too large")
	}
	amount := w
	for i := range scale {
		amount *= 10
		if i < len(frac) {
			amount += int64(frac[i] - '0')
		}
	}
	if amount <= 0 {
		return 0, 0, invalid("transaction_amount must be greater than zero")
	}
	return amount, scale, nil
}

func checkLang(lang string) *reply {
	if lang == "" || lang == client.LangFR || lang == client.LangEN {
		return nil
	}
	return invalid("customer_lang must be fr or en")
}

func checkEmail(email string) *reply {
	if email == "" {
		return nil
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return invalid("customer_email is not a valid email address")
	}
	return nil
}

// normPhone returns the normalised phone ("" when empty).
func normPhone(p string) (string, *reply) {
	if strings.TrimSpace(p) == "" {
		return "", nil
	}
	n, err := client.NormalizePhone(p)
	if err != nil {
		return "", invalid(validationMessage(err, "customer_phone_number is not a valid Cameroon phone number"))
	}
	return n, nil
}

// Fault injection reasons.
const (
	faultTimeout = "sandbox:timeout"
	faultDrop    = "sandbox:drop"
	fault500     = "sandbox:500"
	faultBadJSON = "sandbox:badjson"
	// faultHang is no reason: it is how IPRejectHang answers.
	faultHang = "hang"
)

// earlyFault answers a "nothing done" fault, or returns nil.
func earlyFault(reason string) *reply {
	switch reason {
	case fault500:
		return &reply{rule: "fault " + fault500 + ": HTML 500, nothing done", code: http.StatusInternalServerError, contentType: "text/html; charset=utf-8", raw: []byte(
			"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n" +
				"<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")}
	case faultBadJSON:
		// Claims JSON, is not: what a misconfigured proxy answers.
		return &reply{rule: "fault " + faultBadJSON + ": 201 that is not JSON, nothing done", code: http.StatusCreated, contentType: "application/json", raw: []byte(
			"<!DOCTYPE html><html><head><title>Redirecting...</title></head><body>Redirecting...</body></html>")}
	}
	return nil
}

// lateFault is how to deliver the answer of a request that was acted on.
func lateFault(reason string) string {
	if reason == faultTimeout || reason == faultDrop {
		return reason
	}
	return ""
}
