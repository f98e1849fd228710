package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// DefaultLimit is the page size List uses when asked for 0 or fewer records.
const DefaultLimit = 50

// query is a Filter prepared for matching raw record values.
type query struct {
	types, states []string
	operator      string
	since, until  uint64 // timeKey bounds; 0 = open
	needle        []byte // lower-cased search text, nil = none
	cashier       string // Filter.Cashier, "" = any
	customer      *customerQuery
	scratch       []byte
	fieldScratch  []byte
}

func compile(f Filter) *query {
	q := &query{operator: f.Operator}
	for _, t := range f.Types {
		q.types = append(q.types, string(t))
	}
	for _, s := range f.States {
		q.states = append(q.states, string(s))
	}
	if !f.Since.IsZero() {
		q.since = timeKey(&Record{Created: f.Since})
	}
	if !f.Until.IsZero() {
		q.until = timeKey(&Record{Created: f.Until})
	}
	if f.Search != "" {
		q.needle = []byte(strings.ToLower(f.Search))
	}
	q.cashier = strings.TrimSpace(f.Cashier)
	q.customer = compileCustomer(f.Customer)
	return q
}

func sstrIn(d *decoder, set []string) bool {
	s, lit, isDict := d.rawSstr()
	for _, v := range set {
		if (isDict && s == v) || (!isDict && string(lit) == v) {
			return true
		}
	}
	return false
}

// match decides on the raw value. The cashier sits at the end of a codec v2
// value, so only records that pass every other test are decoded for it.
func (q *query) match(raw []byte) (bool, error) {
	ok, err := q.matchHead(raw)
	if !ok || err != nil || (q.cashier == "" && q.customer == nil) {
		return ok, err
	}
	if q.cashier != "" && raw[0] != codecVersion {
		return false, nil // a v1 value has no cashier
	}
	var r Record
	if err := decodeRecord(raw, &r); err != nil {
		return false, err
	}
	if q.cashier != "" && !strings.EqualFold(strings.TrimSpace(r.Cashier), q.cashier) {
		return false, nil
	}
	return q.customer == nil || q.customer.matches(&r), nil
}

// matchHead decides on the header and the searchable text, without
// allocating.
func (q *query) matchHead(raw []byte) (bool, error) {
	if len(raw) == 0 || (raw[0] != codecV1 && raw[0] != codecVersion) {
		return false, errCodec
	}
	d := decoder{b: raw[1:]}
	d.uvarint() // flags
	if q.types != nil && !sstrIn(&d, q.types) {
		return false, d.err
	} else if q.types == nil {
		d.rawSstr()
	}
	if q.states != nil && !sstrIn(&d, q.states) {
		return false, d.err
	} else if q.states == nil {
		d.rawSstr()
	}
	if q.operator != "" && !sstrIn(&d, []string{q.operator}) {
		return false, d.err
	} else if q.operator == "" {
		d.rawSstr()
	}
	if tk := d.createdKey(); tk < q.since || (q.until != 0 && tk >= q.until) {
		return false, d.err
	}
	if q.needle == nil {
		return d.err == nil, d.err
	}
	d.varint() // updated
	d.uvarint()
	region := d.b
	for k := 0; k < 8; k++ {
		d.rawStr()
	}
	if d.err != nil {
		return false, d.err
	}
	return q.matchText(region[:len(region)-len(d.b)]), nil
}

// matchText reports whether one of the eight searchable strings of region
// (their str encodings, contiguous), lower-cased as bytes.ToLower does it,
// contains the needle. It does not allocate: a search reads every record.
//
// An all-ASCII region (most records) is lower-cased whole, lengths
// included, eight bytes at a time, and searched once; a record with
// letters outside ASCII has each field folded rune by rune into a second
// buffer. Either way a hit is kept only if it lies inside one field, so a
// match that would straddle two fields (or a length byte) counts for
// nothing, as it did when each field was searched apart.
func (q *query) matchText(region []byte) bool {
	if cap(q.scratch) < len(region) {
		q.scratch = make([]byte, len(region)+256)
	}
	buf := q.scratch[:len(region)]
	var ends [8]int // where each field ends in the searched buffer
	var starts [8]int
	if lowerASCII(buf, region) {
		if !bytes.Contains(buf, q.needle) {
			return false
		}
		d := decoder{b: region}
		for k := 0; k < 8; k++ {
			n := d.uvarint()
			starts[k] = len(region) - len(d.b)
			d.bytes(n)
			ends[k] = len(region) - len(d.b)
		}
	} else {
		fb := q.fieldScratch[:0]
		d := decoder{b: region}
		for k := 0; k < 8; k++ {
			starts[k] = len(fb)
			fb = appendLower(fb, d.rawStr())
			ends[k] = len(fb)
		}
		q.fieldScratch = fb
		buf = fb
	}
	for off := 0; off+len(q.needle) <= len(buf); {
		i := bytes.Index(buf[off:], q.needle)
		if i < 0 {
			return false
		}
		i += off
		for k := 0; k < 8; k++ {
			if i >= starts[k] && i+len(q.needle) <= ends[k] {
				return true
			}
		}
		off = i + 1
	}
	return false
}

// appendLower appends bytes.ToLower(src) to dst without allocating: ASCII
// letters lowered, every other rune through unicode.ToLower, a byte that
// is not UTF-8 as U+FFFD (as bytes.Map does).
func appendLower(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, w := utf8.DecodeRune(src[i:])
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		i += w
	}
	return dst
}

// lowerASCII writes src lower-cased into dst (same length) and reports
// whether src was all ASCII (if not, dst is not to be used). Eight bytes at
// a time: this loop is most of a full-text scan.
func lowerASCII(dst, src []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var hi uint64
	i := 0
	for ; i+8 <= len(src); i += 8 {
		x := binary.LittleEndian.Uint64(src[i:])
		hi |= x
		h := x &^ highs                // each byte's low 7 bits
		ge := h + (0x80-'A')*ones      // high bit set where byte >= 'A'
		gt := h + (0x80-'Z'-1)*ones    // high bit set where byte > 'Z'
		upper := ge &^ gt &^ x & highs // 'A' <= byte <= 'Z', and ASCII
		binary.LittleEndian.PutUint64(dst[i:], x|upper>>2)
	}
	for ; i < len(src); i++ {
		c := src[i]
		hi |= uint64(c)
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst[i] = c
	}
	return hi&highs == 0
}

// source yields candidate records newest first.
type source interface {
	next() (id uint64, raw []byte)
}

// primarySource walks the records bucket backwards.
type primarySource struct {
	c       *bolt.Cursor
	k, v    []byte
	started bool
	start   uint64
	lo      uint64
}

func (s *primarySource) next() (uint64, []byte) {
	if !s.started {
		s.started = true
		s.k, s.v = s.c.Seek(idKey(s.start))
		if s.k == nil {
			s.k, s.v = s.c.Last()
		} else if binary.BigEndian.Uint64(s.k) > s.start {
			s.k, s.v = s.c.Prev()
		}
	} else {
		s.k, s.v = s.c.Prev()
	}
	for s.k != nil && s.v == nil { // not expected: no sub-buckets
		s.k, s.v = s.c.Prev()
	}
	if s.k == nil || len(s.k) != 8 {
		return 0, nil
	}
	id := binary.BigEndian.Uint64(s.k)
	if id < s.lo {
		return 0, nil
	}
	return id, s.v
}

// indexSource merges, newest first, the entries of several values of one
// index and fetches each record from the records bucket.
type indexSource struct {
	records *bolt.Cursor // one cursor reused for every fetch: Bucket.Get allocates one each time
	key     [8]byte
	heads   []prefixCursor
	lo      uint64
	last    uint64 // the id yielded last: a record under two of the values (two words of a name) comes once
}

type prefixCursor struct {
	c      *bolt.Cursor
	p      []byte
	id     uint64
	done   bool
	bitmap bool   // the index is a bitmap one (index.go)
	bits   []byte // the bitmap of id's block
}

// settle moves from key k (value v) backwards to the first entry of p (k
// included) whose id is at most top, recording its id.
func (pc *prefixCursor) settle(k, v []byte, top uint64) {
	for ; k != nil; k, v = pc.c.Prev() {
		if !bytes.HasPrefix(k, pc.p) {
			break
		}
		n, ok := readID(k[len(pc.p):])
		if !ok {
			continue
		}
		if !pc.bitmap {
			pc.id = n
			return
		}
		last := uint64(bitmapIDs - 1)
		if n == top>>bitmapShift {
			last = top & (bitmapIDs - 1)
		}
		if i, ok := highestBit(v, last); ok {
			pc.id, pc.bits = n<<bitmapShift|i, v
			return
		}
	}
	pc.done = true
}

// prev moves to the entry before the current one.
func (pc *prefixCursor) prev() {
	if pc.bitmap && pc.id&(bitmapIDs-1) != 0 {
		if i, ok := highestBit(pc.bits, pc.id&(bitmapIDs-1)-1); ok {
			pc.id = pc.id&^(bitmapIDs-1) | i
			return
		}
	}
	k, v := pc.c.Prev()
	pc.settle(k, v, math.MaxUint64)
}

func newIndexSource(tx *bolt.Tx, ix *index, values []string, start, lo uint64) *indexSource {
	s := &indexSource{records: tx.Bucket(bRecords).Cursor(), lo: lo}
	b := tx.Bucket(ix.name)
	for _, v := range values {
		pc := prefixCursor{c: b.Cursor(), p: ix.prefix(v), bitmap: ix.bitmap}
		at := start
		if ix.bitmap {
			at = start >> bitmapShift
		}
		seek := appendID(append([]byte(nil), pc.p...), at)
		k, bm := pc.c.Seek(seek)
		switch {
		case k == nil:
			k, bm = pc.c.Last()
		case !bytes.Equal(k, seek):
			k, bm = pc.c.Prev()
		}
		pc.settle(k, bm, start)
		s.heads = append(s.heads, pc)
	}
	return s
}

func (s *indexSource) next() (uint64, []byte) {
	for {
		best := -1
		for i := range s.heads {
			h := &s.heads[i]
			if !h.done && (best < 0 || h.id > s.heads[best].id) {
				best = i
			}
		}
		if best < 0 {
			return 0, nil
		}
		h := &s.heads[best]
		id := h.id
		if id < s.lo {
			return 0, nil
		}
		h.prev()
		if id == s.last {
			continue
		}
		s.last = id
		binary.BigEndian.PutUint64(s.key[:], id)
		if k, raw := s.records.Seek(s.key[:]); raw != nil && bytes.Equal(k, s.key[:]) {
			return id, raw
		}
		// An index entry without its record cannot happen (same
		// transaction); skip it rather than fail a listing.
	}
}

// eachRecord decodes the records s yields (newest first), each with its ID,
// and hands them to fn until fn returns false or s runs out.
func (s *indexSource) eachRecord(fn func(r Record) bool) error {
	for {
		id, raw := s.next()
		if raw == nil {
			return nil
		}
		var r Record
		if err := decodeRecord(raw, &r); err != nil {
			return fmt.Errorf("record %d: %w", id, err)
		}
		r.ID = id
		if !fn(r) {
			return nil
		}
	}
}

// pos is a place in the listing order, Created descending then id
// descending: the records after it were created before t, or at t with a
// smaller id. The zero pos is before the newest record.
type pos struct {
	t, id uint64 // timeKey of Created, and the id
	// noTime: a cursor from before cursors carried the time (version 1);
	// the time path looks the record up to learn it.
	noTime bool
}

// posOf is the position of a decoded record.
func posOf(r *Record) pos { return pos{t: timeKey(r), id: r.ID} }

// rawTime is timeKey of a raw record value, decoding only the header.
func rawTime(raw []byte) (uint64, error) {
	if len(raw) == 0 || (raw[0] != codecV1 && raw[0] != codecVersion) {
		return 0, errCodec
	}
	d := decoder{b: raw[1:]}
	d.uvarint() // flags
	d.rawSstr() // type
	d.rawSstr() // state
	d.rawSstr() // operator
	t := d.createdKey()
	if d.err != nil {
		return 0, d.err
	}
	return t, nil
}

// createdKey reads Created as the header stores it (varint seconds,
// uvarint nanoseconds) and gives its timeKey, without making a time.Time.
func (d *decoder) createdKey() uint64 {
	s, ns := d.varint(), d.uvarint()
	if s == zeroSecs && ns == 0 {
		return 0
	}
	return uint64(s*1e9+int64(ns)) ^ 1<<63
}

// plan picks the cheapest source for f over the records after position
// after. While the ledger is monotonic (Created never went backwards as ids
// grew) id order is creation order, and the records bucket and the value
// indexes, all in id order, serve directly. Otherwise the order is the time
// index's (see planByTime).
func plan(tx *bolt.Tx, f Filter, after pos) (source, error) {
	meta := tx.Bucket(bMeta)
	if !isMonotonic(meta) {
		return planByTime(tx, f, after)
	}
	// Monotonic: a record after (t, id) is exactly one with a smaller id.
	before := after.id
	records := tx.Bucket(bRecords)
	lo, hi := uint64(1), records.Sequence()
	if before > 0 && before-1 < hi {
		hi = before - 1
	}
	if !f.Since.IsZero() || !f.Until.IsZero() {
		lo, hi = idWindow(tx.Bucket(ixTime.name), f, lo, hi)
	}
	if hi < lo || hi == 0 {
		return emptySource{}, nil
	}
	if cq := compileCustomer(f.Customer); cq != nil {
		// A customer's records are a few among many: their index is
		// always the cheapest source.
		return customerSource(tx, cq, hi, lo), nil
	}
	total := float64(getU64(meta, kCount))
	window := float64(hi - lo + 1)
	best := window // cost of walking the records bucket
	var src source = nil
	st := tx.Bucket(bStats)
	consider := func(ix *index, values []string) {
		var n float64
		for _, v := range values {
			n += float64(getU64(st, statKey(ix, v)))
		}
		// An index hit costs a second B-tree descent; count it as 4
		// sequential steps. Assume hits spread evenly over the ids.
		cost := 4 * n * math.Min(1, window/math.Max(total, 1))
		if cost < best {
			best = cost
			src = newIndexSource(tx, ix, values, hi, lo)
		}
	}
	if len(f.States) > 0 {
		consider(ixState, statesOf(f.States))
	}
	if len(f.Types) > 0 {
		consider(ixType, typesOf(f.Types))
	}
	if f.Operator != "" {
		consider(ixOp, []string{f.Operator})
	}
	if src != nil {
		return src, nil
	}
	return &primarySource{c: records.Cursor(), start: hi, lo: lo}, nil
}

// planByTime lists a ledger that is not monotonic (imports, a clock set
// back, records whose Created was changed) in creation order, from the time
// index (keys time|id). A filter on an indexed value is served by what
// costs least for its count n among total records. On the 1M bench ledger
// a record fetched out of order costs about 2.4 µs, a step of a cursor
// over index keys about 0.03 µs, and a page of 50 needs about 50*total/n
// steps of the time index (BenchmarkTimeOrderPage):
//
//   - 2*n*n <= total (n <= 707 at 1M): read those n records from the value
//     index and sort them; a page of the three UNKNOWN payments must not
//     walk a million keys;
//   - n*n <= 1024*total (n <= 32,000 at 1M): collect their ids (n index
//     keys, n*8 bytes) and walk the time index fetching only those
//     (UNKNOWN, 3,031 of 1M: 0.5 ms a page; sorting them took 5.5);
//   - more: walk the time index and check each record, under 20 fetches a
//     row (FAILED, 79,829 of 1M: 0.3 ms a page).
//
// A customer (Filter.Customer) takes the first or second way from the
// look-up index, by the count of its ids. A search and Since/Until are
// checked record by record as always; the time index gives Since/Until
// their exact bounds.
func planByTime(tx *bolt.Tx, f Filter, after pos) (source, error) {
	if after.noTime {
		raw := tx.Bucket(bRecords).Get(idKey(after.id))
		if raw == nil {
			return nil, fmt.Errorf("%w: record %d is gone", ErrBadCursor, after.id)
		}
		t, err := rawTime(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", after.id, err)
		}
		after = pos{t: t, id: after.id}
	}
	var lo uint64 // timeKey bounds: [lo, hi) then strictly before after
	hi := pos{t: math.MaxUint64, id: math.MaxUint64}
	if after.id != 0 {
		hi = after
	}
	if !f.Since.IsZero() {
		lo = timeKey(&Record{Created: f.Since})
	}
	if !f.Until.IsZero() {
		if u := timeKey(&Record{Created: f.Until}); u < hi.t || (u == hi.t && hi.id > 0) {
			hi = pos{t: u} // (u, 0): everything created before u
		}
	}
	meta, st := tx.Bucket(bMeta), tx.Bucket(bStats)
	total := getU64(meta, kCount)
	var (
		bestIx     *index
		bestValues []string
		bestN      uint64
	)
	consider := func(ix *index, values []string) {
		var n uint64
		for _, v := range values {
			n += getU64(st, statKey(ix, v))
		}
		if bestIx == nil || n < bestN {
			bestIx, bestValues, bestN = ix, values, n
		}
	}
	if len(f.States) > 0 {
		consider(ixState, statesOf(f.States))
	}
	if len(f.Types) > 0 {
		consider(ixType, typesOf(f.Types))
	}
	if f.Operator != "" {
		consider(ixOp, []string{f.Operator})
	}
	s := &timeSource{c: tx.Bucket(ixTime.name).Cursor(), records: tx.Bucket(bRecords).Cursor(), lo: lo}
	s.hi = appendID(binary.BigEndian.AppendUint64(nil, hi.t), hi.id)
	var ids []uint64
	switch cq := compileCustomer(f.Customer); {
	case cq != nil:
		// A customer's records are few; their count is known only once
		// their ids are read, which costs little.
		src, ok := customerSource(tx, cq, math.MaxUint64, 1).(*indexSource)
		if !ok {
			return emptySource{}, nil
		}
		ids = src.ids()
	case bestIx == nil || bestN*bestN > 1024*total:
		return s, nil
	default:
		ids = idsOf(tx, bestIx, bestValues, bestN)
	}
	if n := uint64(len(ids)); 2*n*n <= total {
		return sortedByTime(tx, ids, lo, hi)
	}
	s.only = ids
	return s, nil
}

// ids lists, in ascending order and once each, the ids s would yield,
// without reading the records.
func (s *indexSource) ids() []uint64 {
	var out []uint64
	for i := range s.heads {
		h := &s.heads[i]
		for !h.done && h.id >= s.lo {
			out = append(out, h.id)
			h.prev()
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// idsOf lists, in ascending order, the ids of the records having one of
// values in ix; n is the expected count.
func idsOf(tx *bolt.Tx, ix *index, values []string, n uint64) []uint64 {
	out := make([]uint64, 0, n)
	c := tx.Bucket(ix.name).Cursor()
	for _, v := range values {
		p := ix.prefix(v)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if n, ok := readID(k[len(p):]); ok && ix.bitmap {
				out = appendBits(out, n, v)
			} else if ok {
				out = append(out, n)
			}
		}
	}
	if len(values) > 1 {
		slices.Sort(out)
	}
	return out
}

// timeSource walks the time index backwards from hi (exclusive) down to
// the time lo (inclusive) and fetches each record, or, when only is not
// nil, only the records whose ids it holds (sorted).
type timeSource struct {
	c, records *bolt.Cursor
	hi         []byte // an ix_time key
	lo         uint64
	only       []uint64
	started    bool
	key        [8]byte
}

func (s *timeSource) next() (uint64, []byte) {
	for {
		var k []byte
		if !s.started {
			s.started = true
			if k, _ = s.c.Seek(s.hi); k == nil {
				k, _ = s.c.Last()
			} else {
				k, _ = s.c.Prev() // the first key >= hi: hi is exclusive
			}
		} else {
			k, _ = s.c.Prev()
		}
		if k == nil {
			return 0, nil
		}
		t, id, ok := timeID(k)
		if !ok {
			continue
		}
		if t < s.lo {
			return 0, nil
		}
		binary.BigEndian.PutUint64(s.key[:], id)
		if s.only != nil {
			if _, ok := slices.BinarySearch(s.only, id); !ok {
				continue
			}
		}
		if rk, raw := s.records.Seek(s.key[:]); raw != nil && bytes.Equal(rk, s.key[:]) {
			return id, raw
		}
		// An entry without its record cannot happen (same transaction).
	}
}

// sortedSource yields records gathered beforehand, in listing order.
type sortedSource struct {
	items []candidate
	i     int
}

type candidate struct {
	pos
	raw []byte // valid while the transaction lasts
}

func (s *sortedSource) next() (uint64, []byte) {
	if s.i == len(s.items) {
		return 0, nil
	}
	c := s.items[s.i]
	s.i++
	return c.id, c.raw
}

// sortedByTime reads the records ids (ascending), keeps those in [lo, hi)
// and sorts them newest first.
func sortedByTime(tx *bolt.Tx, ids []uint64, lo uint64, hi pos) (source, error) {
	records := tx.Bucket(bRecords).Cursor()
	var key [8]byte
	items := make([]candidate, 0, len(ids))
	for _, id := range ids {
		binary.BigEndian.PutUint64(key[:], id)
		k, raw := records.Seek(key[:])
		if raw == nil || !bytes.Equal(k, key[:]) {
			continue // an index entry without its record cannot happen
		}
		t, err := rawTime(raw)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", id, err)
		}
		if t >= lo && (t < hi.t || (t == hi.t && id < hi.id)) {
			items = append(items, candidate{pos{t: t, id: id}, raw})
		}
	}
	slices.SortFunc(items, func(a, b candidate) int {
		if a.t != b.t {
			return cmp.Compare(b.t, a.t)
		}
		return cmp.Compare(b.id, a.id)
	})
	return &sortedSource{items: items}, nil
}

type emptySource struct{}

func (emptySource) next() (uint64, []byte) { return 0, nil }

func statesOf(s []State) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

func typesOf(t []Type) []string {
	out := make([]string, len(t))
	for i, v := range t {
		out[i] = string(v)
	}
	return out
}

func isMonotonic(meta *bolt.Bucket) bool {
	v := meta.Get(kMonotonic)
	return len(v) == 1 && v[0] == 1
}

// idWindow narrows [lo, hi] to the ids created in [Since, Until). While
// Created never decreased as ids grew (the "monotonic" flag), the time index
// is in id order too, so two seeks give the exact bounds. Records are still
// checked against the dates one by one.
func idWindow(b *bolt.Bucket, f Filter, lo, hi uint64) (uint64, uint64) {
	c := b.Cursor()
	if !f.Until.IsZero() {
		k, _ := c.Seek(u64(timeKey(&Record{Created: f.Until})))
		if k == nil {
			k, _ = c.Last()
		} else {
			k, _ = c.Prev()
		}
		_, id, ok := timeID(k)
		if !ok {
			return 1, 0
		}
		hi = min(hi, id)
	}
	if !f.Since.IsZero() {
		k, _ := c.Seek(u64(timeKey(&Record{Created: f.Since})))
		_, id, ok := timeID(k)
		if !ok {
			return 1, 0
		}
		lo = max(lo, id)
	}
	return lo, hi
}

// walkSlice bounds how long one read transaction of a List or Scan walks:
// a full-text search of a large ledger takes longer than a writer in another
// process may wait for the lock (Options.Timeout), so the walk is cut into
// slices of this length, each in its own transaction, resumed after the
// position of the last record seen. Sources yield records in listing order,
// so each record is still visited once.
var walkSlice = 150 * time.Millisecond // a variable for tests only

// errPause: walk stopped at its deadline; resume after the position it
// returned.
var errPause = errors.New("walk paused")

// walkStats counts what a walk read, for progress reports.
type walkStats struct {
	seen  int    // records looked at
	total uint64 // about how many the walk will look at in all (set by the first slice)
}

// walk calls fn with every record matching f that comes after position
// after, newest first, until fn returns false. At the deadline (if not zero)
// it stops with errPause and the position of the last record it looked at.
func walk(ctx context.Context, tx *bolt.Tx, f Filter, after pos, deadline time.Time, fn func(id uint64, raw []byte) bool) (pos, error) {
	return walkCounted(ctx, tx, f, after, deadline, fn, nil)
}

// walkCounted is walk that adds what it read to st (when not nil).
func walkCounted(ctx context.Context, tx *bolt.Tx, f Filter, after pos, deadline time.Time, fn func(id uint64, raw []byte) bool, st *walkStats) (pos, error) {
	q := compile(f)
	src, err := plan(tx, f, after)
	if err != nil {
		return pos{}, err
	}
	if st != nil && st.total == 0 {
		st.total = estimate(tx, src)
	}
	if ps, ok := src.(*primarySource); ok && q.needle != nil && scanWorkers() > 1 && ps.start-ps.lo >= 2*scanBlock {
		return walkParallel(ctx, tx, f, ps, deadline, fn, st)
	}
	seen := 0
	defer func() {
		if st != nil {
			st.seen += seen
		}
	}()
	for n := 1; ; n++ {
		id, raw := src.next()
		if raw == nil {
			return pos{}, nil
		}
		seen = n
		ok, err := q.match(raw)
		if err != nil {
			return pos{}, fmt.Errorf("record %d: %w", id, err)
		}
		if ok && !fn(id, raw) {
			return pos{}, nil
		}
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return pos{}, err
			}
			if !deadline.IsZero() && time.Now().After(deadline) {
				// match has read the header: the time is there.
				t, err := rawTime(raw)
				if err != nil {
					return pos{}, fmt.Errorf("record %d: %w", id, err)
				}
				return pos{t: t, id: id}, errPause
			}
		}
	}
}

// estimate is about how many records src will yield: the denominator of
// a search's progress.
func estimate(tx *bolt.Tx, src source) uint64 {
	switch s := src.(type) {
	case *primarySource:
		if s.start >= s.lo {
			return s.start - s.lo + 1
		}
		return 0
	case *sortedSource:
		return uint64(len(s.items))
	case *timeSource:
		if s.only != nil {
			return uint64(len(s.only))
		}
	case emptySource:
		return 0
	}
	return getU64(tx.Bucket(bMeta), kCount)
}

// walkSliced is one slice of a long walk: walk until walkSlice has passed,
// then give the position to resume after (zero when the walk ended).
func walkSliced(ctx context.Context, tx *bolt.Tx, f Filter, after pos, fn func(id uint64, raw []byte) bool) (resume pos, err error) {
	return walkSlicedCounted(ctx, tx, f, after, fn, nil)
}

func walkSlicedCounted(ctx context.Context, tx *bolt.Tx, f Filter, after pos, fn func(id uint64, raw []byte) bool, st *walkStats) (resume pos, err error) {
	last, err := walkCounted(ctx, tx, f, after, time.Now().Add(walkSlice), fn, st)
	if err == errPause {
		return last, nil
	}
	return pos{}, err
}

// appendDecoded appends record id, decoded from raw, to recs. Records are
// big structs: it decodes in place rather than copy one in.
func appendDecoded(recs []Record, id uint64, raw []byte) ([]Record, error) {
	recs = append(recs, Record{ID: id})
	if err := decodeRecord(raw, &recs[len(recs)-1]); err != nil {
		return recs, fmt.Errorf("record %d: %w", id, err)
	}
	return recs, nil
}

// Cursor versions: 1 held the last record's id (id order, before the
// time-ordered listing); 2 holds its position, Created's time key and the id.
const (
	cursorV1      = 1
	cursorVersion = 2
)

func encodeCursor(p pos) string {
	var b [17]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:], p.t)
	binary.BigEndian.PutUint64(b[9:], p.id)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ErrBadCursor: a List cursor that List did not make.
var ErrBadCursor = errors.New("invalid page cursor")

func decodeCursor(s string) (pos, error) {
	if s == "" {
		return pos{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var p pos
	switch {
	case err != nil:
	case len(b) == 9 && b[0] == cursorV1:
		p = pos{id: binary.BigEndian.Uint64(b[1:]), noTime: true}
	case len(b) == 17 && b[0] == cursorVersion:
		p = pos{t: binary.BigEndian.Uint64(b[1:]), id: binary.BigEndian.Uint64(b[9:])}
	}
	if p.id == 0 {
		return pos{}, fmt.Errorf("%w %q", ErrBadCursor, s)
	}
	return p, nil
}

// List returns up to limit records matching f, newest first (by Created,
// then by id), starting after the record the cursor points at ("" = from
// the newest). Page.Next, when not "", gives the following page; it stays
// valid while records are added: a record added later comes on a later page
// only if it was created before the cursor's record (an import), never
// twice, and no record that was there is skipped.
func (db *DB) List(f Filter, limit int, cursor string) (p Page, err error) {
	return db.ListContext(context.Background(), f, limit, cursor)
}

// ListContext is List that gives up when ctx ends: a search typed over a
// large ledger must not leave full scans running for the keystrokes before.
func (db *DB) ListContext(ctx context.Context, f Filter, limit int, cursor string) (p Page, err error) {
	return db.ListProgress(ctx, f, limit, cursor, nil)
}

// Progress is how far a listing has gone: Scanned records looked at of
// about Total, and the page's records found so far (newest first).
type Progress struct {
	Scanned, Total int
	Records        []Record
}

// Fraction is Scanned/Total, within [0, 1].
func (p Progress) Fraction() float64 {
	if p.Total <= 0 {
		return 0
	}
	return min(1, float64(p.Scanned)/float64(p.Total))
}

// ListProgress is ListContext that reports, between the short read
// transactions a long walk is cut into (see walkSlice), how far it has read
// and the records it has found so far: a search for a rare word reads the
// whole ledger, and a console shows it going and its first hits instead of
// a still screen. progress runs outside any transaction, in the caller's
// goroutine; Progress.Records is a copy it may keep.
func (db *DB) ListProgress(ctx context.Context, f Filter, limit int, cursor string, progress func(Progress)) (p Page, err error) {
	if db.pg != nil {
		// The database answers a page in one query: nothing to report
		// between slices.
		return db.pg.list(ctx, f, limit, cursor)
	}
	defer db.protect(&err)()
	if limit <= 0 {
		limit = DefaultLimit
	}
	after, err := decodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	// Records are big structs: size the slice once rather than let append
	// copy them while it grows.
	p.Records = make([]Record, 0, min(limit, 1024))
	var st walkStats
	for {
		var resume pos
		err = db.view(func(tx *bolt.Tx) error {
			var derr, werr error
			resume, werr = walkSlicedCounted(ctx, tx, f, after, func(id uint64, raw []byte) bool {
				if len(p.Records) == limit {
					// One more match exists: there is a next page.
					p.Next = encodeCursor(posOf(&p.Records[limit-1]))
					return false
				}
				p.Records, derr = appendDecoded(p.Records, id, raw)
				return derr == nil
			}, &st)
			if werr != nil {
				return werr
			}
			return derr
		})
		if err != nil || resume.id == 0 {
			break
		}
		after = resume
		if progress != nil {
			progress(Progress{Scanned: st.seen, Total: int(max(st.total, uint64(st.seen))), Records: slices.Clone(p.Records)})
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Page{}, err
		}
		if errors.Is(err, ErrBadCursor) {
			return Page{}, err
		}
		return Page{}, db.wrap(err)
	}
	return p, nil
}

// Scan streams every record matching f to fn, newest first (as List), until
// fn returns false or ctx ends (then it returns ctx's error). fn runs
// outside any transaction, so it may take its time or even write to the
// ledger.
func (db *DB) Scan(ctx context.Context, f Filter, fn func(Record) bool) (err error) {
	if db.pg != nil {
		return db.pg.scan(ctx, f, fn)
	}
	defer db.protect(&err)()
	var after pos
	chunk := 64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := make([]Record, 0, chunk)
		var resume pos
		err := db.view(func(tx *bolt.Tx) error {
			var derr, werr error
			resume, werr = walkSliced(ctx, tx, f, after, func(id uint64, raw []byte) bool {
				batch, derr = appendDecoded(batch, id, raw)
				return derr == nil && len(batch) < chunk
			})
			if werr != nil {
				return werr
			}
			return derr
		})
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return db.wrap(err)
		}
		for _, r := range batch {
			if !fn(r) {
				return nil
			}
		}
		if resume.id != 0 && len(batch) < chunk {
			// The slice ran out before the chunk filled: go on after
			// the last record looked at.
			after = resume
			continue
		}
		if len(batch) < chunk {
			return nil
		}
		after = posOf(&batch[len(batch)-1])
		chunk = min(chunk*4, 4096)
	}
}

// wrap names the ledger in err, unless err already does: the errors of the
// checks an open makes (ErrNoLedger, ErrSchema, ErrCorrupt) name the file,
// and may come from an operation (Options.DeferCheck).
func (db *DB) wrap(err error) error {
	if errors.Is(err, ErrNoLedger) || errors.Is(err, ErrSchema) || errors.Is(err, ErrCorrupt) {
		return err
	}
	return fmt.Errorf("ledger %s: %w", db.path, err)
}

// Unsettled returns every record whose state is not final (the reconcile
// queue), newest first, from the state index: no full scan.
func (db *DB) Unsettled() (recs []Record, err error) {
	if db.pg != nil {
		return db.pg.unsettled()
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		states := nonFinalStates(tx)
		if len(states) == 0 {
			return nil
		}
		return newIndexSource(tx, ixState, statesOf(states), math.MaxUint64, 1).eachRecord(func(r Record) bool {
			recs = append(recs, r)
			return true
		})
	})
	return recs, err
}

// nonFinalStates lists the non-final states present: the keys of the state
// counters, so a state this binary does not know still counts as unsettled.
func nonFinalStates(tx *bolt.Tx) []State {
	var states []State
	c := tx.Bucket(bStats).Cursor()
	p := statKey(ixState, "")
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if s := State(k[len(p):]); !s.Final() {
			states = append(states, s)
		}
	}
	return states
}

// UnsettledSince returns the records not in a final state created at or
// after since, newest first: what a console follows again after a restart.
// It reads only those records: while creation times never went backwards as
// ids grew (the usual case) the time index turns since into an id bound and
// the walk covers only the recent ids; otherwise the state index gives the
// candidates when they are few, and the time index, walked down to since,
// when they are many. Either way the cost does not grow with the ledger's
// age.
func (db *DB) UnsettledSince(since time.Time) (recs []Record, err error) {
	if db.pg != nil {
		return db.pg.unsettledSince(since)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		states := nonFinalStates(tx)
		if len(states) == 0 {
			return nil
		}
		var derr error
		_, werr := walk(context.Background(), tx, Filter{States: states, Since: since}, pos{}, time.Time{},
			func(id uint64, raw []byte) bool {
				recs, derr = appendDecoded(recs, id, raw)
				return derr == nil
			})
		if werr != nil {
			return werr
		}
		return derr
	})
	if err != nil {
		return nil, db.wrap(err)
	}
	return recs, nil
}

// Count is the number of records (a counter, not a scan).
func (db *DB) Count() (n int, err error) {
	if db.pg != nil {
		c, _, err := db.pg.counters()
		return int(c), err
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		n = int(getU64(tx.Bucket(bMeta), kCount))
		return nil
	})
	return n, err
}

// HasReal reports whether any record is not synthetic (a counter).
func (db *DB) HasReal() (ok bool, err error) {
	if db.pg != nil {
		_, r, err := db.pg.counters()
		return r > 0, err
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		ok = getU64(tx.Bucket(bMeta), kReal) > 0
		return nil
	})
	return ok, err
}
