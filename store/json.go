package store

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends r as JSON, byte for byte what encoding/json's
// MarshalIndent(r, prefix, "  ") writes (a test holds it to that), without
// reflection. `coolpay history --json` is a whole-process benchmark against
// sqlite3, and encoding/json's first use costs milliseconds there.
// Like encoding/json it writes C1 controls and bidi overrides raw: whatever
// prints it (ui/export) passes it through ui/safe's JSON rule, the one rule
// of every JSON coolpay prints.
func (r *Record) AppendJSON(b []byte, prefix string) []byte {
	w := jw{b: b, prefix: prefix}
	w.open('{')
	w.key("id")
	w.b = strconv.AppendUint(w.b, r.ID, 10)
	w.str("type", string(r.Type), false)
	w.str("state", string(r.State), false)
	w.str("app_transaction_ref", r.AppRef, false)
	w.str("transaction_ref", r.TransactionRef, true)
	w.str("operator_transaction_ref", r.OperatorRef, true)
	w.str("amount", r.Amount, false)
	w.str("fees", r.Fees, true)
	w.str("currency", r.Currency, false)
	w.str("operator", r.Operator, true)
	w.str("api_status", r.APIStatus, true)
	w.str("message", r.Message, true)
	w.str("reason", r.Reason, true)
	w.str("customer_name", r.CustomerName, true)
	w.str("customer_phone", r.CustomerPhone, true)
	w.str("customer_email", r.CustomerEmail, true)
	w.str("customer_username", r.CustomerUsername, true)
	w.str("customer_lang", r.CustomerLang, true)
	w.str("payment_url", r.PaymentURL, true)
	w.str("ussd", r.USSD, true)
	w.str("action", r.Action, true)
	if r.HTTPStatus != 0 {
		w.key("http_status")
		w.b = strconv.AppendInt(w.b, int64(r.HTTPStatus), 10)
	}
	w.str("request", r.Request, true)
	w.str("cashier", r.Cashier, true)
	w.str("batch", r.Batch, true)
	if r.BatchLine != 0 {
		w.key("batch_line")
		w.b = strconv.AppendInt(w.b, int64(r.BatchLine), 10)
	}
	if r.Synthetic {
		w.key("synthetic")
		w.b = append(w.b, "true"...)
	}
	w.key("created")
	w.time(r.Created)
	w.key("updated")
	w.time(r.Updated)
	if len(r.Events) > 0 {
		w.key("events")
		w.open('[')
		for i := range r.Events {
			e := &r.Events[i]
			w.elem()
			w.open('{')
			w.key("at")
			w.time(e.At)
			w.str("kind", e.Kind, false)
			w.str("detail", e.Detail, true)
			w.close('}')
		}
		w.close(']')
	}
	w.close('}')
	return w.b
}

// jw writes indented JSON: every member on its own line.
type jw struct {
	b      []byte
	prefix string
	depth  int
	first  bool
}

func (w *jw) newline() {
	w.b = append(w.b, '\n')
	w.b = append(w.b, w.prefix...)
	for i := 0; i < w.depth; i++ {
		w.b = append(w.b, "  "...)
	}
}

func (w *jw) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
	w.first = true
}

func (w *jw) close(c byte) {
	w.depth--
	w.newline()
	w.b = append(w.b, c)
	w.first = false
}

func (w *jw) elem() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	w.newline()
}

func (w *jw) key(k string) {
	w.elem()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, `": `...)
}

func (w *jw) str(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	w.key(k)
	w.b = appendJSONString(w.b, v)
}

func (w *jw) time(t time.Time) {
	w.b = append(w.b, '"')
	w.b = t.AppendFormat(w.b, time.RFC3339Nano)
	w.b = append(w.b, '"')
}

const jsonHex = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping on:
// <, > and & as \u003c \u003e \u0026, U+2028 and U+2029 escaped, invalid
// UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', jsonHex[c>>4], jsonHex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
