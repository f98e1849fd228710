package store

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"time"
)

// The record codec: a hand-written binary layout, about a third of the JSON
// size, which is what keeps a million records under 600 bytes each in the
// file. The first byte is the codec version so that a migration can find and
// re-encode old values.
//
// Version 1:
//
//	byte     codec version (1)
//	uvarint  flags (bit 0: synthetic)
//	sstr     type, state, operator
//	time     created (zigzag varint seconds, uvarint nanoseconds)
//	dtime    updated (zigzag varint seconds after created, uvarint ns)
//	str x8   the searchable text, contiguous so search can match it without
//	         decoding the rest: customer name, phone, email, username,
//	         reason, transaction_ref, app_transaction_ref, operator ref
//	str      amount, fees
//	sstr     currency, api status, message, customer lang
//	ctext    payment url
//	sstr     ussd, action
//	uvarint  http status
//	ctext    request
//	uvarint  number of events, then for each: sstr kind, dtime at, sstr detail
//
// Version 2 is version 1 followed by:
//
//	str      owner, cashier, batch
//	uvarint  batch line
//
// A record whose owner, cashier, batch and batch line are all empty is still
// written as version 1 (four bytes shorter: seeded and older records keep
// their size); both versions decode, and the header and searchable text sit
// at the same offsets in both, so queries match either without decoding.
//
// str is a uvarint length and bytes. sstr is uvarint x: x odd means entry
// x>>1 of sstrDict, x even a string of x>>1 bytes. ctext is uvarint x: x even
// a plain string of x>>1 bytes, x odd x>>1 bytes of compacted text (see
// compactText).
const (
	codecV1      = 1
	codecVersion = 2 // the newest layout this binary writes
)

var errCodec = errors.New("damaged record")

// sstrDict holds the short strings that fill most enum-like fields. Append
// only: an entry's position is part of codec version 1.
var sstrDict = []string{
	"PAYLINK", "PAYIN", "PAYOUT",
	"NEW", "CREATED", "OTP_REQUIRED", "PENDING", "SUCCESS", "FAILED", "CANCELED", "REJECTED", "UNKNOWN",
	"MCP", "CM_MOMO", "CM_OM", "CARD",
	"XAF", "EUR", "fr", "en", "REQUIRE_OTP",
	EvCreated, EvSent, EvAnswered, EvOTPAsked, EvOTPRejected, EvPolled, EvCallback, EvFinal,
	EvError, EvUnknown, EvOverride, EvInterrupted,
	"Successful transaction !", "Transaction in progress...", "action=PENDING", "action=REQUIRE_OTP",
	"#150*50#", "*126#",
}

var sstrIndex = func() map[string]int {
	m := make(map[string]int, len(sstrDict))
	for i, s := range sstrDict {
		m[s] = i
	}
	return m
}()

// textDict: what compacted text (request bodies, payment URLs) is mostly made
// of. Token byte i+1 stands for textDict[i]. Append only, at most 29 entries.
var textDict = []string{
	`"transaction_amount":`, `"transaction_currency":`, `"transaction_reason":`,
	`"app_transaction_ref":`, `"customer_phone_number":`, `"customer_name":`,
	`"customer_email":`, `"customer_lang":`, `"transaction_operator":`,
	`"customer_username":`, `"transaction_ref":`, `"code":`,
	`https://my-coolpay.com/`, `payment/checkout/`, `"XAF"`, `"EUR"`, `"fr"`, `"en"`,
}

const tokField = 0x1e // followed by a field number: the text of that record field

// textFields are the record fields compacted text may refer to; all of them
// are decoded before any ctext. Append only.
func textFields(r *Record) [11]string {
	return [11]string{r.CustomerName, r.CustomerPhone, r.CustomerEmail, r.CustomerUsername,
		r.Reason, r.TransactionRef, r.AppRef, r.OperatorRef, r.Amount, r.Operator, r.Currency}
}

type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }

func (e *encoder) sstr(s string) {
	if i, ok := sstrIndex[s]; ok {
		e.uvarint(uint64(i)<<1 | 1)
		return
	}
	e.uvarint(uint64(len(s)) << 1)
	e.b = append(e.b, s...)
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.varint(zeroSecs)
		e.uvarint(0)
		return
	}
	e.varint(t.Unix())
	e.uvarint(uint64(t.Nanosecond()))
}

func (e *encoder) dtime(base, t time.Time) {
	if t.IsZero() {
		// A zero time is not representable as an offset from a real one;
		// 1<<62 seconds is an impossible offset that marks it.
		e.varint(1 << 62)
		e.uvarint(0)
		return
	}
	bs := base.Unix()
	if base.IsZero() {
		bs = zeroSecs
	}
	e.varint(t.Unix() - bs)
	e.uvarint(uint64(t.Nanosecond()))
}

func (e *encoder) ctext(s string, fields *[11]string) {
	if c, ok := compactText(s, fields); ok {
		e.uvarint(uint64(len(c))<<1 | 1)
		e.b = append(e.b, c...)
		return
	}
	e.uvarint(uint64(len(s)) << 1)
	e.b = append(e.b, s...)
}

var zeroSecs = time.Time{}.Unix()

// appendRecord encodes r (its ID is the key, not part of the value).
func appendRecord(b []byte, r *Record) []byte {
	e := encoder{b: b}
	v2 := r.Owner != "" || r.Cashier != "" || r.Batch != "" || r.BatchLine != 0
	if v2 {
		e.b = append(e.b, codecVersion)
	} else {
		e.b = append(e.b, codecV1)
	}
	var flags uint64
	if r.Synthetic {
		flags |= 1
	}
	e.uvarint(flags)
	e.sstr(string(r.Type))
	e.sstr(string(r.State))
	e.sstr(r.Operator)
	e.time(r.Created)
	e.dtime(r.Created, r.Updated)
	for _, s := range [...]string{r.CustomerName, r.CustomerPhone, r.CustomerEmail, r.CustomerUsername,
		r.Reason, r.TransactionRef, r.AppRef, r.OperatorRef} {
		e.str(s)
	}
	e.str(r.Amount)
	e.str(r.Fees)
	e.sstr(r.Currency)
	e.sstr(r.APIStatus)
	e.sstr(r.Message)
	e.sstr(r.CustomerLang)
	fields := textFields(r)
	e.ctext(r.PaymentURL, &fields)
	e.sstr(r.USSD)
	e.sstr(r.Action)
	e.uvarint(uint64(r.HTTPStatus))
	e.ctext(r.Request, &fields)
	e.uvarint(uint64(len(r.Events)))
	for _, ev := range r.Events {
		e.sstr(ev.Kind)
		e.dtime(r.Created, ev.At)
		e.sstr(ev.Detail)
	}
	if v2 {
		e.str(r.Owner)
		e.str(r.Cashier)
		e.str(r.Batch)
		e.uvarint(uint64(max(r.BatchLine, 0)))
	}
	return e.b
}

// decoder reads a value. With s set (a string copy of the value, n its
// length), strings are cut out of s: one allocation per record, not one per
// field.
type decoder struct {
	b   []byte
	s   string
	n   int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCodec
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	// Most values (lengths, dictionary entries) fit one byte: a full-text
	// search reads a dozen of them per record.
	if len(d.b) > 0 && d.b[0] < 0x80 {
		v := uint64(d.b[0])
		d.b = d.b[1:]
		return v
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bytes returns the next n bytes, aliasing the input.
func (d *decoder) bytes(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) rawStr() []byte { return d.bytes(d.uvarint()) }

func (d *decoder) str() string { return d.cut(d.uvarint()) }

// cut returns the next n bytes as a string.
func (d *decoder) cut(n uint64) string {
	start := d.n - len(d.b)
	raw := d.bytes(n)
	if d.s != "" && raw != nil {
		return d.s[start : start+len(raw)]
	}
	return string(raw)
}

// rawSstr returns either a dictionary string or the literal bytes.
func (d *decoder) rawSstr() (dict string, lit []byte, isDict bool) {
	x := d.uvarint()
	if x&1 == 1 {
		i := x >> 1
		if i >= uint64(len(sstrDict)) {
			d.fail()
			return "", nil, true
		}
		return sstrDict[i], nil, true
	}
	return "", d.bytes(x >> 1), false
}

func (d *decoder) sstr() string {
	x := d.uvarint()
	if x&1 == 1 {
		if i := x >> 1; i < uint64(len(sstrDict)) {
			return sstrDict[i]
		}
		d.fail()
		return ""
	}
	return d.cut(x >> 1)
}

func (d *decoder) time() time.Time {
	s, ns := d.varint(), d.uvarint()
	if ns >= 1e9 {
		d.fail()
		return time.Time{}
	}
	if s == zeroSecs && ns == 0 {
		return time.Time{}
	}
	return time.Unix(s, int64(ns))
}

func (d *decoder) dtime(base time.Time) time.Time {
	ds, ns := d.varint(), d.uvarint()
	if ns >= 1e9 {
		d.fail()
		return time.Time{}
	}
	if ds == 1<<62 {
		return time.Time{}
	}
	bs := base.Unix()
	if base.IsZero() {
		bs = zeroSecs
	}
	return time.Unix(bs+ds, int64(ns))
}

func (d *decoder) ctext(fields *[11]string) string {
	x := d.uvarint()
	if x&1 == 0 {
		return d.cut(x >> 1)
	}
	raw := d.bytes(x >> 1)
	s, ok := expandText(raw, fields)
	if !ok {
		d.fail()
	}
	return s
}

// decodeRecord decodes a stored value into r (all strings are copies: safe to
// keep after the transaction). r.ID is left alone.
func decodeRecord(b []byte, r *Record) error {
	if len(b) == 0 || (b[0] != codecV1 && b[0] != codecVersion) {
		return errCodec
	}
	d := decoder{b: b[1:], s: string(b[1:]), n: len(b) - 1}
	flags := d.uvarint()
	r.Synthetic = flags&1 != 0
	r.Type = Type(d.sstr())
	r.State = State(d.sstr())
	r.Operator = d.sstr()
	r.Created = d.time()
	r.Updated = d.dtime(r.Created)
	r.CustomerName = d.str()
	r.CustomerPhone = d.str()
	r.CustomerEmail = d.str()
	r.CustomerUsername = d.str()
	r.Reason = d.str()
	r.TransactionRef = d.str()
	r.AppRef = d.str()
	r.OperatorRef = d.str()
	r.Amount = d.str()
	r.Fees = d.str()
	r.Currency = d.sstr()
	r.APIStatus = d.sstr()
	r.Message = d.sstr()
	r.CustomerLang = d.sstr()
	fields := textFields(r)
	r.PaymentURL = d.ctext(&fields)
	r.USSD = d.sstr()
	r.Action = d.sstr()
	hs := d.uvarint()
	if hs > 999 {
		d.fail()
	}
	r.HTTPStatus = int(hs)
	r.Request = d.ctext(&fields)
	n := d.uvarint()
	if n > uint64(len(d.b)) { // every event takes at least 3 bytes
		d.fail()
	}
	r.Events = nil
	if n > 0 && d.err == nil {
		r.Events = make([]Event, n)
		for i := range r.Events {
			r.Events[i].Kind = d.sstr()
			r.Events[i].At = d.dtime(r.Created)
			r.Events[i].Detail = d.sstr()
		}
	}
	r.Owner, r.Cashier, r.Batch, r.BatchLine = "", "", "", 0
	if b[0] == codecVersion {
		r.Owner = d.str()
		r.Cashier = d.str()
		r.Batch = d.str()
		line := d.uvarint()
		if line > math.MaxInt32 {
			d.fail()
		}
		r.BatchLine = int(line)
	}
	if d.err == nil && len(d.b) != 0 {
		return errCodec
	}
	return d.err
}

// compactText replaces, in text without control characters, the phrases of
// textDict and the values of the record's own fields (3 bytes or longer) by
// one- or two-byte tokens. Request bodies repeat the record's fields and the
// API's key names, so they shrink to a few dozen bytes. It only tries at
// positions where a JSON key, a JSON value or a URL segment may start.
func compactText(s string, fields *[11]string) (string, bool) {
	if len(s) < 8 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return "", false
		}
	}
	var b strings.Builder
	b.Grow(len(s) / 2)
	for i := 0; i < len(s); {
		if i == 0 || s[i] == '"' || s[i-1] == '"' || s[i-1] == ':' || s[i-1] == '/' {
			best, bestLen := -1, 0
			rest := s[i:]
			for j, t := range textDict {
				if len(t) > bestLen && strings.HasPrefix(rest, t) {
					best, bestLen = j+1, len(t)
				}
			}
			for j, f := range fields {
				if len(f) >= 3 && len(f) > bestLen && strings.HasPrefix(rest, f) {
					best, bestLen = 0x100|j, len(f)
				}
			}
			if best > 0 {
				if best&0x100 != 0 {
					b.WriteByte(tokField)
					b.WriteByte(byte(best & 0xff))
				} else {
					b.WriteByte(byte(best))
				}
				i += bestLen
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	if b.Len() >= len(s) {
		return "", false
	}
	return b.String(), true
}

func expandText(c []byte, fields *[11]string) (string, bool) {
	// Size first, so the result is allocated once at its final size.
	n := 0
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch == tokField:
			if i+1 >= len(c) || int(c[i+1]) >= len(fields) {
				return "", false
			}
			n += len(fields[c[i+1]])
			i++
		case ch >= 1 && int(ch) <= len(textDict):
			n += len(textDict[ch-1])
		case ch < 0x20:
			return "", false
		default:
			n++
		}
	}
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; {
		case ch == tokField:
			b.WriteString(fields[c[i+1]])
			i++
		case ch >= 1 && int(ch) <= len(textDict):
			b.WriteString(textDict[ch-1])
		default:
			j := i + 1
			for j < len(c) && c[j] >= 0x20 && c[j] != tokField {
				j++
			}
			b.Write(c[i:j])
			i = j - 1
		}
	}
	return b.String(), true
}
