package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Customer look-up (schema 5): two more indexes, written in the same
// transaction as the record like the others, so that finding a customer by
// phone or by name reads a few index keys instead of every record.
//
//	ix_phone  hashPrefix of the customer's phone as national digits
//	          (PhoneKey), then the id (appendID); a look-up checks the
//	          record's phone
//	ix_name   each word of the customer's name and username, folded
//	          (lower case, no accents: "Aïcha" is "aicha"), 0x00, id
//
// A phone is looked up whole (people type a number to the end); a name by
// the start of a word: the distinct words under that start are found by
// skipping from one to the next, then their entries are merged newest first
// by the same indexSource the other filters use.
//
// ix_name fills its pages whole (1.0): a record's id is above every id
// already under its words, so each entry goes at the end of its word's
// run and a page, once split, gets no more entries. Split in halves (0.5)
// the pages stayed half empty: 130 bytes a record on the seeded 1M ledger,
// 76 at full pages with schema 6 keys (a new word, a username say, still
// splits a page in the middle).
var (
	ixPhone = &index{name: []byte("ix_phone"), value: func(r *Record) string { return PhoneKey(r.CustomerPhone) },
		prefix: hashPrefix, fill: 0.5}
	ixName = &index{name: []byte("ix_name"), prefix: strPrefix, fill: 1.0}
)

// maxNameWords bounds how many distinct words one name prefix may stand for
// (a one-letter prefix of a big ledger); beyond it the look-up keeps the
// first ones in alphabetical order.
const maxNameWords = 2000

// PhoneKey is a phone number as the look-up compares them: its digits, the
// country code of Cameroon dropped ("+237 6 91 23 45 67", "00237691234567"
// and "691 23 45 67" are all "691234567"). Text with anything but digits,
// spaces, "+", "-", "." and parentheses is not a phone: "".
func PhoneKey(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == ' ' || c == '+' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\u00a0':
		default:
			return ""
		}
	}
	d := b.String()
	switch {
	case len(d) == 14 && strings.HasPrefix(d, "00237"):
		d = d[5:]
	case len(d) == 12 && strings.HasPrefix(d, "237"):
		d = d[3:]
	}
	return d
}

// IsPhone reports whether text is a whole Cameroonian number as people
// type one: 9 national digits starting with 6 (mobile) or 2 (fixed) once
// PhoneKey has read it. Longer digit strings (an operator's numeric
// transaction id) are not taken for phones, so a search for them still
// reads the references.
func IsPhone(text string) bool {
	k := PhoneKey(text)
	return len(k) == 9 && (k[0] == '6' || k[0] == '2')
}

// foldWord lower-cases a word and drops the accents of the Latin letters
// names in Cameroon are written with.
func foldWord(w string) string {
	return strings.Map(func(c rune) rune {
		c = unicode.ToLower(c)
		switch c {
		case 'à', 'á', 'â', 'ä', 'ã', 'å':
			return 'a'
		case 'ç':
			return 'c'
		case 'è', 'é', 'ê', 'ë':
			return 'e'
		case 'ì', 'í', 'î', 'ï':
			return 'i'
		case 'ñ':
			return 'n'
		case 'ò', 'ó', 'ô', 'ö', 'õ':
			return 'o'
		case 'ù', 'ú', 'û', 'ü':
			return 'u'
		case 'ý', 'ÿ':
			return 'y'
		}
		return c
	}, w)
}

// words splits text into folded words of letters and digits, each at most
// 32 bytes, at most 8, without repeats.
func words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
		w := foldWord(f)
		if len(w) > 32 {
			w = w[:32]
			for !utf8.ValidString(w) { // cut inside a letter: drop its start too
				w = w[:len(w)-1]
			}
		}
		dup := false
		for _, o := range out {
			dup = dup || o == w
		}
		if !dup && w != "" {
			out = append(out, w)
		}
		if len(out) == 8 {
			break
		}
	}
	return out
}

// nameWords are the words a record is found by: its customer's name and
// username.
func nameWords(r *Record) []string {
	return words(r.CustomerName + " " + r.CustomerUsername)
}

// lookup moves r's look-up entries from old (nil when r is new).
func (w *writer) lookup(old, r *Record) error {
	phone, name := w.phone, w.name
	if phone != nil {
		nk, ok := ixPhone.key(r), []byte(nil)
		if old != nil {
			ok = ixPhone.key(old)
		}
		if !bytes.Equal(ok, nk) {
			if ok != nil {
				if err := phone.Delete(ok); err != nil {
					return err
				}
			}
			if nk != nil {
				if err := phone.Put(nk, nil); err != nil {
					return err
				}
			}
		}
	}
	if name == nil {
		return nil
	}
	nw := nameWords(r)
	var ow []string
	if old != nil {
		ow = nameWords(old)
	}
	has := func(set []string, v string) bool {
		for _, s := range set {
			if s == v {
				return true
			}
		}
		return false
	}
	for _, v := range ow {
		if !has(nw, v) {
			if err := name.Delete(appendID(strPrefix(v), old.ID)); err != nil {
				return err
			}
		}
	}
	for _, v := range nw {
		if !has(ow, v) {
			if err := name.Put(appendID(strPrefix(v), r.ID), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// migrateLookup builds the look-up indexes of an existing ledger. Phones
// and names come in no order, and bbolt splits a page only at commit: a
// million random inserts into one transaction would each shift a huge page.
// So the keys are gathered, sorted and appended in order instead (a
// million records: about 3 million keys of ~20 bytes).
func migrateLookup(tx *bolt.Tx) error {
	var phones, names [][]byte
	c := tx.Bucket(bRecords).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var r Record
		if err := decodeRecord(v, &r); err != nil {
			return fmt.Errorf("record %x: %w", k, err)
		}
		r.ID = binary.BigEndian.Uint64(k)
		if key := ixPhone.key(&r); key != nil {
			phones = append(phones, key)
		}
		for _, w := range nameWords(&r) {
			names = append(names, appendID(strPrefix(w), r.ID))
		}
	}
	for _, ix := range []struct {
		ix   *index
		keys [][]byte
	}{{ixPhone, phones}, {ixName, names}} {
		if err := tx.DeleteBucket(ix.ix.name); err != nil && err != berrors.ErrBucketNotFound {
			return err
		}
		b, err := tx.CreateBucket(ix.ix.name)
		if err != nil {
			return err
		}
		b.FillPercent = 1.0 // appended in order: full pages
		sort.Slice(ix.keys, func(i, j int) bool { return bytes.Compare(ix.keys[i], ix.keys[j]) < 0 })
		for _, k := range ix.keys {
			if err := b.Put(k, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// customerQuery is Filter.Customer prepared: a phone, or the words of a
// name (the last one may be a word's start).
type customerQuery struct {
	phone string
	words []string
}

func compileCustomer(text string) *customerQuery {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if IsPhone(text) {
		return &customerQuery{phone: PhoneKey(text)}
	}
	return &customerQuery{words: words(text)}
}

// matches checks a decoded record (the index only proposes candidates).
func (cq *customerQuery) matches(r *Record) bool {
	if cq.phone != "" {
		return PhoneKey(r.CustomerPhone) == cq.phone
	}
	if len(cq.words) == 0 {
		return false
	}
	have := nameWords(r)
	for _, q := range cq.words {
		ok := false
		for _, h := range have {
			ok = ok || strings.HasPrefix(h, q)
		}
		if !ok {
			return false
		}
	}
	return true
}

// customerSource yields the candidates of a customer query, newest first,
// among ids in [lo, hi].
func customerSource(tx *bolt.Tx, cq *customerQuery, hi, lo uint64) source {
	if cq.phone != "" {
		return newIndexSource(tx, ixPhone, []string{cq.phone}, hi, lo)
	}
	if len(cq.words) == 0 {
		return emptySource{}
	}
	// The longest word narrows most; every word is checked on the record.
	q := cq.words[0]
	for _, w := range cq.words[1:] {
		if len(w) > len(q) {
			q = w
		}
	}
	var vals []string
	c := tx.Bucket(ixName.name).Cursor()
	for k, _ := c.Seek([]byte(q)); k != nil && bytes.HasPrefix(k, []byte(q)) && len(vals) < maxNameWords; {
		end := bytes.IndexByte(k, 0) // words hold letters and digits only
		if _, ok := readID(k[end+1:]); end < 0 || !ok {
			k, _ = c.Next()
			continue
		}
		word := string(k[:end])
		vals = append(vals, word)
		// Skip the rest of this word's entries: its 0x00 separator + 1.
		k, _ = c.Seek(append([]byte(word), 1))
	}
	if len(vals) == 0 {
		return emptySource{}
	}
	return newIndexSource(tx, ixName, vals, hi, lo)
}

// RecentCustomers returns up to n records of distinct customers (by phone,
// else name) matching text — a phone number as typed, or the start of a
// name — newest first: what the payin form suggests while the cashier
// types. Fields the newest record of a customer left empty are taken from
// their older ones. It reads at most 500 records.
func (db *DB) RecentCustomers(ctx context.Context, text string, n int) ([]Record, error) {
	if compileCustomer(text) == nil || n <= 0 {
		return nil, nil
	}
	p, err := db.ListContext(ctx, Filter{Customer: text}, 500, "")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var out []Record
	for _, r := range p.Records {
		k := PhoneKey(r.CustomerPhone)
		if k == "" {
			k = "name:" + strings.Join(nameWords(&r), " ")
		}
		if i, ok := seen[k]; ok {
			// An older visit of the same customer: it may know what
			// the newest one left empty (an e-mail, the language).
			o := &out[i]
			for _, f := range [][2]*string{{&o.CustomerName, &r.CustomerName}, {&o.CustomerEmail, &r.CustomerEmail},
				{&o.CustomerLang, &r.CustomerLang}, {&o.CustomerUsername, &r.CustomerUsername}} {
				if *f[0] == "" {
					*f[0] = *f[1]
				}
			}
			continue
		}
		if len(out) == n {
			continue
		}
		seen[k] = len(out)
		out = append(out, r)
	}
	return out, nil
}
