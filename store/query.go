package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

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
	if q.since != 0 || q.until != 0 {
		s, ns := d.varint(), d.uvarint()
		var tk uint64
		if s != zeroSecs || ns != 0 {
			tk = uint64(s*1e9+int64(ns)) ^ 1<<63
		}
		if tk < q.since || (q.until != 0 && tk >= q.until) {
			return false, d.err
		}
	} else {
		d.varint()
		d.uvarint()
	}
	if q.needle == nil {
		return d.err == nil, d.err
	}
	d.varint() // updated
	d.uvarint()
	// The eight searchable strings are contiguous: lower-case them in one
	// pass and look once; only a hit (which might straddle two fields)
	// is confirmed field by field.
	region := d.b
	for k := 0; k < 8; k++ {
		d.rawStr()
	}
	if d.err != nil {
		return false, d.err
	}
	region = region[:len(region)-len(d.b)]
	if cap(q.scratch) < len(region) {
		q.scratch = make([]byte, len(region)+256)
	}
	buf := q.scratch[:len(region)]
	if lowerASCII(buf, region) && !bytes.Contains(buf, q.needle) {
		return false, nil
	}
	d = decoder{b: region}
	for k := 0; k < 8; k++ {
		if q.containsFold(d.rawStr()) {
			return true, nil
		}
	}
	return false, d.err
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

// containsFold reports whether lower(f) contains the (lower-cased) needle.
func (q *query) containsFold(f []byte) bool {
	for _, c := range f {
		if c >= 0x80 {
			return bytes.Contains(bytes.ToLower(f), q.needle)
		}
	}
	buf := q.fieldScratch[:0]
	for _, c := range f {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	q.fieldScratch = buf
	return bytes.Contains(buf, q.needle)
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
	c    *bolt.Cursor
	p    []byte
	id   uint64
	done bool
}

// settle moves from key k backwards to the first entry of p (k included),
// recording its id.
func (pc *prefixCursor) settle(k []byte) {
	for ; k != nil; k, _ = pc.c.Prev() {
		if !bytes.HasPrefix(k, pc.p) {
			break
		}
		if len(k) == len(pc.p)+8 {
			pc.id = binary.BigEndian.Uint64(k[len(pc.p):])
			return
		}
	}
	pc.done = true
}

func newIndexSource(tx *bolt.Tx, ix *index, values []string, start, lo uint64) *indexSource {
	s := &indexSource{records: tx.Bucket(bRecords).Cursor(), lo: lo}
	b := tx.Bucket(ix.name)
	for _, v := range values {
		pc := prefixCursor{c: b.Cursor(), p: ix.prefix(v)}
		seek := binary.BigEndian.AppendUint64(append([]byte(nil), pc.p...), start)
		k, _ := pc.c.Seek(seek)
		switch {
		case k == nil:
			k, _ = pc.c.Last()
		case !bytes.Equal(k, seek):
			k, _ = pc.c.Prev()
		}
		pc.settle(k)
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
		k, _ := h.c.Prev()
		h.settle(k)
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

// plan picks the cheapest source for q over ids below before.
func plan(tx *bolt.Tx, f Filter, before uint64) source {
	meta := tx.Bucket(bMeta)
	records := tx.Bucket(bRecords)
	lo, hi := uint64(1), records.Sequence()
	if before > 0 && before-1 < hi {
		hi = before - 1
	}
	if (!f.Since.IsZero() || !f.Until.IsZero()) && isMonotonic(meta) {
		lo, hi = idWindow(tx.Bucket(ixTime.name), f, lo, hi)
	}
	if hi < lo || hi == 0 {
		return emptySource{}
	}
	if cq := compileCustomer(f.Customer); cq != nil {
		// A customer's records are a few among many: their index is
		// always the cheapest source.
		return customerSource(tx, cq, hi, lo)
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
		return src
	}
	return &primarySource{c: records.Cursor(), start: hi, lo: lo}
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
		if k == nil {
			return 1, 0
		}
		hi = min(hi, binary.BigEndian.Uint64(k[8:]))
	}
	if !f.Since.IsZero() {
		k, _ := c.Seek(u64(timeKey(&Record{Created: f.Since})))
		if k == nil {
			return 1, 0
		}
		lo = max(lo, binary.BigEndian.Uint64(k[8:]))
	}
	return lo, hi
}

// walkSlice bounds how long one read transaction of a List or Scan walks:
// a full-text search of a large ledger takes longer than a writer in another
// process may wait for the lock (Options.Timeout), so the walk is cut into
// slices of this length, each in its own transaction, resumed below the last
// id seen. Sources yield ids in descending order, so each record is still
// visited once.
var walkSlice = 150 * time.Millisecond // a variable for tests only

// errPause: walk stopped at its deadline; resume below the id it returned.
var errPause = errors.New("walk paused")

// walk calls fn with every record matching f whose id is below before
// (0: no bound), newest first, until fn returns false. At the deadline (if
// not zero) it stops with errPause and the last id it looked at.
func walk(ctx context.Context, tx *bolt.Tx, f Filter, before uint64, deadline time.Time, fn func(id uint64, raw []byte) bool) (uint64, error) {
	q := compile(f)
	src := plan(tx, f, before)
	for n := 1; ; n++ {
		id, raw := src.next()
		if raw == nil {
			return 0, nil
		}
		ok, err := q.match(raw)
		if err != nil {
			return 0, fmt.Errorf("record %d: %w", id, err)
		}
		if ok && !fn(id, raw) {
			return 0, nil
		}
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
			if !deadline.IsZero() && time.Now().After(deadline) && id > 1 {
				return id, errPause
			}
		}
	}
}

const cursorVersion = 1

func encodeCursor(id uint64) string {
	var b [9]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:], id)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ErrBadCursor: a List cursor that List did not make.
var ErrBadCursor = errors.New("invalid page cursor")

func decodeCursor(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 9 || b[0] != cursorVersion {
		return 0, fmt.Errorf("%w %q", ErrBadCursor, s)
	}
	id := binary.BigEndian.Uint64(b[1:])
	if id == 0 {
		return 0, fmt.Errorf("%w %q", ErrBadCursor, s)
	}
	return id, nil
}

// List returns up to limit records matching f, newest first, starting after
// the record the cursor points at ("" = from the newest). Page.Next, when
// not "", gives the following page; it stays valid while records are added
// (new records are newer and never appear on later pages).
func (db *DB) List(f Filter, limit int, cursor string) (p Page, err error) {
	return db.ListContext(context.Background(), f, limit, cursor)
}

// ListContext is List that gives up when ctx ends: a search typed over a
// large ledger must not leave full scans running for the keystrokes before.
func (db *DB) ListContext(ctx context.Context, f Filter, limit int, cursor string) (p Page, err error) {
	defer db.protect(&err)()
	if limit <= 0 {
		limit = DefaultLimit
	}
	before, err := decodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	// Records are big structs: size the slice once rather than let append
	// copy them while it grows.
	p.Records = make([]Record, 0, min(limit, 1024))
	for {
		var resume uint64
		err = db.view(func(tx *bolt.Tx) error {
			var derr error
			last, werr := walk(ctx, tx, f, before, time.Now().Add(walkSlice), func(id uint64, raw []byte) bool {
				if len(p.Records) == limit {
					// One more match exists: there is a next page.
					p.Next = encodeCursor(p.Records[limit-1].ID)
					return false
				}
				p.Records = append(p.Records, Record{ID: id})
				if derr = decodeRecord(raw, &p.Records[len(p.Records)-1]); derr != nil {
					derr = fmt.Errorf("record %d: %w", id, derr)
					return false
				}
				return true
			})
			if werr == errPause {
				resume = last
				return derr
			}
			if werr != nil {
				return werr
			}
			return derr
		})
		if err != nil || resume == 0 {
			break
		}
		before = resume
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Page{}, err
		}
		return Page{}, fmt.Errorf("ledger %s: %w", db.path, err)
	}
	return p, nil
}

// Scan streams every record matching f to fn, newest first, until fn returns
// false or ctx ends (then it returns ctx's error). fn runs outside any
// transaction, so it may take its time or even write to the ledger.
func (db *DB) Scan(ctx context.Context, f Filter, fn func(Record) bool) (err error) {
	defer db.protect(&err)()
	var before uint64
	chunk := 64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch := make([]Record, 0, chunk)
		var resume uint64
		err := db.view(func(tx *bolt.Tx) error {
			var derr error
			last, werr := walk(ctx, tx, f, before, time.Now().Add(walkSlice), func(id uint64, raw []byte) bool {
				batch = append(batch, Record{ID: id})
				if derr = decodeRecord(raw, &batch[len(batch)-1]); derr != nil {
					derr = fmt.Errorf("record %d: %w", id, derr)
					return false
				}
				return len(batch) < chunk
			})
			if werr == errPause {
				resume = last
				return derr
			}
			if werr != nil {
				return werr
			}
			return derr
		})
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			return fmt.Errorf("ledger %s: %w", db.path, err)
		}
		for _, r := range batch {
			if !fn(r) {
				return nil
			}
		}
		if resume != 0 && len(batch) < chunk {
			// The slice ran out before the chunk filled: go on below
			// the last record looked at.
			before = resume
			continue
		}
		if len(batch) < chunk {
			return nil
		}
		before = batch[len(batch)-1].ID
		if before <= 1 {
			return nil
		}
		chunk = min(chunk*4, 4096)
	}
}

// Unsettled returns every record whose state is not final (the reconcile
// queue), newest first, from the state index: no full scan.
func (db *DB) Unsettled() (recs []Record, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		states := nonFinalStates(tx)
		if len(states) == 0 {
			return nil
		}
		src := newIndexSource(tx, ixState, statesOf(states), math.MaxUint64, 1)
		for {
			id, raw := src.next()
			if raw == nil {
				return nil
			}
			var r Record
			if err := decodeRecord(raw, &r); err != nil {
				return fmt.Errorf("record %d: %w", id, err)
			}
			r.ID = id
			recs = append(recs, r)
		}
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
// candidates. Either way the cost does not grow with the ledger's age.
func (db *DB) UnsettledSince(since time.Time) (recs []Record, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		states := nonFinalStates(tx)
		if len(states) == 0 {
			return nil
		}
		var derr error
		_, werr := walk(context.Background(), tx, Filter{States: states, Since: since}, 0, time.Time{},
			func(id uint64, raw []byte) bool {
				recs = append(recs, Record{ID: id})
				if derr = decodeRecord(raw, &recs[len(recs)-1]); derr != nil {
					derr = fmt.Errorf("record %d: %w", id, derr)
					return false
				}
				return true
			})
		if werr != nil {
			return werr
		}
		return derr
	})
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", db.path, err)
	}
	return recs, nil
}

// UnsettledCount is the number of records not in a final state, from the
// state counters: what Unsettled would return, without reading a record.
func (db *DB) UnsettledCount() (n int, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		st := tx.Bucket(bStats)
		for _, s := range nonFinalStates(tx) {
			n += int(getU64(st, statKey(ixState, string(s))))
		}
		return nil
	})
	return n, err
}

// Count is the number of records (a counter, not a scan).
func (db *DB) Count() (n int, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		n = int(getU64(tx.Bucket(bMeta), kCount))
		return nil
	})
	return n, err
}

// HasReal reports whether any record is not synthetic (a counter).
func (db *DB) HasReal() (ok bool, err error) {
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		ok = getU64(tx.Bucket(bMeta), kReal) > 0
		return nil
	})
	return ok, err
}
