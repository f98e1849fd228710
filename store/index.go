package store

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	bolt "go.etcd.io/bbolt"
)

// Secondary indexes. Each is a bucket of keys with empty values, a value's
// prefix followed by the record's id in the short ordered form of appendID,
// so that "every record with value v, newest first" is a reverse walk over
// one prefix; entries are written in the same transaction as the record.
// Prefixes (schema 6):
//
//	ix_txref     hashPrefix of the transaction_ref: the server's UUIDs are
//	             random and only ever looked up whole, so 4 bytes of hash
//	             stand for 36; a look-up checks the record's ref (a hash
//	             collision costs one more record read)
//	ix_appref    hashPrefix of the app_transaction_ref, likewise
//	ix_batch     the payout batch name and a 0x00 (schema 4)
//	ix_state, ix_type, ix_operator
//	             the value in the codec's sstr form: one byte for the known
//	             values, self-delimiting for any other; these three are
//	             bitmaps (below)
//	ix_time      created as 8 sortable bytes (no prefix walk: the key is
//	             created|id)
//
// A key is always a prefix and one whole id (readID checks that its length
// byte matches what is left), so a prefix that happens to start a longer key
// is never taken for a match. Schema 5 and earlier used 8-byte ids and kept
// the refs and phones whole (migrateShortKeys rewrites them). A bbolt leaf
// entry costs 16 bytes of header besides its key, so every byte counts: on
// the seeded 1M ledger the indexes take 212 bytes a record, 396 in schema 5.
//
// Bitmap indexes (schema 6): ix_state, ix_type and ix_operator have a few
// values, each shared by a large part of the records, so a key per record
// (21 bytes with its header) was mostly overhead. Their key is the prefix
// and a block number, id>>8 (appendID form), and its value is the 32-byte
// bitmap of the block's 256 ids that have the value: about 2 bytes a
// record for all the values of one index instead of 22. Walks read the bits
// from the highest down (prefixCursor), so a bitmap index serves the same
// queries, newest first, as the others.
type index struct {
	name   []byte
	value  func(r *Record) string // "" means no entry
	prefix func(v string) []byte
	stats  bool // keep a per-value count in the stats bucket
	fill   float64
	bitmap bool // keys are blocks of bitmapIDs ids, values their bitmaps
}

const (
	bitmapShift = 8
	bitmapIDs   = 1 << bitmapShift // ids a bitmap key stands for
	bitmapBytes = bitmapIDs / 8
)

// highestBit is the highest bit set in bitmap v at or below top; ok is
// false when there is none. Bit j is bit j&7 of byte j>>3, so each 8 bytes
// read little-endian are 64 bits in order.
func highestBit(v []byte, top uint64) (uint64, bool) {
	if len(v) != bitmapBytes {
		return 0, false
	}
	q := int(top >> 6)
	mask := ^uint64(0) >> (63 - top&63) // bits 0..top&63
	for ; q >= 0; q-- {
		if w := binary.LittleEndian.Uint64(v[q*8:]) & mask; w != 0 {
			return uint64(q)<<6 | uint64(bits.Len64(w)-1), true
		}
		mask = ^uint64(0)
	}
	return 0, false
}

// appendBits appends to out, ascending, the ids whose bits are set in
// bitmap v of block n. Most bitmaps of a rare value are nearly empty: a
// word at a time.
func appendBits(out []uint64, n uint64, v []byte) []uint64 {
	if len(v) != bitmapBytes {
		return out
	}
	for q := 0; q < bitmapBytes/8; q++ {
		for w := binary.LittleEndian.Uint64(v[q*8:]); w != 0; w &= w - 1 {
			out = append(out, n<<bitmapShift|uint64(q)<<6|uint64(bits.TrailingZeros64(w)))
		}
	}
	return out
}

var (
	ixTxRef = &index{name: []byte("ix_txref"), value: func(r *Record) string { return r.TransactionRef },
		prefix: hashPrefix, fill: 0.5}
	ixAppRef = &index{name: []byte("ix_appref"), value: func(r *Record) string { return r.AppRef },
		prefix: hashPrefix, fill: 0.5}
	ixState = &index{name: []byte("ix_state"), value: func(r *Record) string { return string(r.State) },
		prefix: sstrPrefix, stats: true, fill: 0.95, bitmap: true}
	ixType = &index{name: []byte("ix_type"), value: func(r *Record) string { return string(r.Type) },
		prefix: sstrPrefix, stats: true, fill: 0.95, bitmap: true}
	ixOp = &index{name: []byte("ix_operator"), value: func(r *Record) string { return r.Operator },
		prefix: sstrPrefix, stats: true, fill: 0.95, bitmap: true}
	ixTime  = &index{name: []byte("ix_time"), fill: 1.0}
	ixBatch = &index{name: []byte("ix_batch"), value: func(r *Record) string { return r.Batch },
		prefix: strPrefix, fill: 0.9}

	indexes = []*index{ixTxRef, ixAppRef, ixState, ixType, ixOp, ixTime, ixBatch}
)

func strPrefix(v string) []byte {
	p := make([]byte, 0, len(v)+9)
	p = append(p, v...)
	return append(p, 0)
}

func sstrPrefix(v string) []byte {
	e := encoder{b: make([]byte, 0, len(v)+9)}
	e.sstr(v)
	return e.b
}

// hashPrefix is the top 32 bits of fnv-64a of v: keys of values that are
// only looked up whole. Random, so their buckets split pages in halves (fill
// 0.5), which leaves them about 70% full.
func hashPrefix(v string) []byte {
	h := uint64(14695981039346656037)
	for i := 0; i < len(v); i++ {
		h ^= uint64(v[i])
		h *= 1099511628211
	}
	return binary.BigEndian.AppendUint32(make([]byte, 0, 4+9), uint32(h>>32))
}

// appendID appends id as index keys end with it: a length byte n (1 to 8),
// then the n low bytes of id, big-endian, n as small as id allows. Shorter
// ids sort first and equal lengths sort by value, so keys keep id order
// (4 bytes up to 16 million records, where 8 were fixed before schema 6).
func appendID(b []byte, id uint64) []byte {
	n := max(1, (bits.Len64(id)+7)/8)
	b = append(b, byte(n))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(id>>(8*i)))
	}
	return b
}

// readID reads s, the rest of a key after its prefix, as one whole id in
// appendID's form; ok is false when s is anything else.
func readID(s []byte) (id uint64, ok bool) {
	if len(s) < 2 || len(s) > 9 || int(s[0]) != len(s)-1 || (len(s) > 2 && s[1] == 0) {
		return 0, false
	}
	for _, c := range s[1:] {
		id = id<<8 | uint64(c)
	}
	return id, true
}

// timeID splits an ix_time key into its time and id.
func timeID(k []byte) (t, id uint64, ok bool) {
	if len(k) < 8 {
		return 0, 0, false
	}
	id, ok = readID(k[8:])
	return binary.BigEndian.Uint64(k), id, ok
}

func idKey(id uint64) []byte { return u64(id) }

// timeKey orders times as unsigned bytes (sign bit flipped).
func timeKey(r *Record) uint64 {
	if r.Created.IsZero() {
		return 0
	}
	return uint64(r.Created.UnixNano()) ^ 1<<63
}

// key is the index entry of r, or nil when r has no entry: the key itself,
// or for a bitmap index the prefix and the id as if it were one (see mark).
func (ix *index) key(r *Record) []byte {
	if ix == ixTime {
		return appendID(binary.BigEndian.AppendUint64(make([]byte, 0, 17), timeKey(r)), r.ID)
	}
	v := ix.value(r)
	if v == "" {
		return nil
	}
	return appendID(ix.prefix(v), r.ID)
}

func statKey(ix *index, v string) []byte {
	k := make([]byte, 0, len(ix.name)+1+len(v))
	k = append(k, ix.name...)
	k = append(k, 0)
	return append(k, v...)
}

// writer applies record changes to the records bucket, the indexes and the
// counters of one write transaction, batching the counter updates.
type writer struct {
	tx      *bolt.Tx
	log     *txLog // ids written, for the change log
	records *bolt.Bucket
	meta    *bolt.Bucket
	buckets map[*index]*bolt.Bucket
	stats   map[string]int64
	count   int64
	real    int64
	maxTime uint64
	mono    bool
	buf     []byte
	slab    []byte

	phone, name *bolt.Bucket // the customer look-up indexes (lookup.go)
}

func newWriter(tx *bolt.Tx, log *txLog) *writer {
	w := &writer{
		tx:      tx,
		log:     log,
		records: tx.Bucket(bRecords),
		meta:    tx.Bucket(bMeta),
		buckets: make(map[*index]*bolt.Bucket, len(indexes)),
		stats:   map[string]int64{},
	}
	w.records.FillPercent = 1.0 // ids only grow: pages are never split in the middle
	bucket := func(ix *index) *bolt.Bucket {
		b := tx.Bucket(ix.name)
		if b != nil {
			b.FillPercent = ix.fill
		}
		return b
	}
	for _, ix := range indexes {
		w.buckets[ix] = bucket(ix)
	}
	// nil before schema 5 (migration 2 indexes records before they exist)
	w.phone, w.name = bucket(ixPhone), bucket(ixName)
	w.maxTime = getU64(w.meta, kMaxTime)
	mono := w.meta.Get(kMonotonic)
	w.mono = len(mono) == 1 && mono[0] == 1
	return w
}

// insert writes n as a new record under the next record ID, which n takes.
func (w *writer) insert(n *Record) error {
	id, err := w.records.NextSequence()
	if err != nil {
		return err
	}
	n.ID = id
	return w.put(nil, n)
}

// put stores r (r.ID set) and moves its index entries from old (nil when r
// is new).
func (w *writer) put(old, r *Record) error {
	// bbolt keeps the slices given to Put until the commit: each value
	// needs its own memory, carved from a slab to spare the allocator.
	w.buf = appendRecord(w.buf[:0], r)
	v := w.keep(w.buf)
	if err := w.records.Put(idKey(r.ID), v); err != nil {
		return err
	}
	w.log.add(r.ID)
	return w.index(old, r)
}

func (w *writer) index(old, r *Record) error {
	if err := w.lookup(old, r); err != nil {
		return err
	}
	for _, ix := range indexes {
		nk := ix.key(r)
		var ok []byte
		if old != nil {
			ok = ix.key(old)
			if bytes.Equal(ok, nk) {
				continue
			}
		}
		b := w.buckets[ix]
		if ix.bitmap {
			if ok != nil {
				if err := w.mark(b, ix.prefix(ix.value(old)), r.ID, false); err != nil {
					return err
				}
				w.stats[string(statKey(ix, ix.value(old)))]--
			}
			if nk != nil {
				if err := w.mark(b, ix.prefix(ix.value(r)), r.ID, true); err != nil {
					return err
				}
				w.stats[string(statKey(ix, ix.value(r)))]++
			}
			continue
		}
		if ok != nil {
			if err := b.Delete(ok); err != nil {
				return err
			}
			if ix.stats {
				w.stats[string(statKey(ix, ix.value(old)))]--
			}
		}
		if nk != nil {
			if err := b.Put(nk, nil); err != nil {
				return err
			}
			if ix.stats {
				w.stats[string(statKey(ix, ix.value(r)))]++
			}
		}
	}
	if old == nil {
		w.count++
	}
	if old == nil || old.Synthetic != r.Synthetic {
		if !r.Synthetic {
			w.real++
		} else if old != nil {
			w.real--
		}
	}
	tk := timeKey(r)
	if (old == nil && tk < w.maxTime) || (old != nil && !old.Created.Equal(r.Created)) {
		// Created went backwards as ids went up: the time index no longer
		// maps a date range to an id range (see idWindow).
		w.mono = false
	}
	if tk > w.maxTime {
		w.maxTime = tk
	}
	return nil
}

// mark sets (on) or clears id's bit in the bitmap of its block under
// prefix; a bitmap left empty is deleted.
func (w *writer) mark(b *bolt.Bucket, prefix []byte, id uint64, on bool) error {
	k := appendID(prefix, id>>bitmapShift)
	var v [bitmapBytes]byte
	copy(v[:], b.Get(k))
	i := id & (bitmapIDs - 1)
	if on {
		v[i>>3] |= 1 << (i & 7)
	} else {
		v[i>>3] &^= 1 << (i & 7)
	}
	if v == [bitmapBytes]byte{} {
		return b.Delete(k)
	}
	return b.Put(k, w.keep(v[:]))
}

// keep copies v into the slab: bbolt keeps the slices given to Put until
// the commit.
func (w *writer) keep(v []byte) []byte {
	if len(w.slab)+len(v) > cap(w.slab) {
		w.slab = make([]byte, 0, max(256<<10, len(v)))
	}
	c := append(w.slab[len(w.slab):len(w.slab):len(w.slab)+len(v)], v...)
	w.slab = w.slab[:len(w.slab)+len(c)]
	return c
}

// flush writes the counters.
func (w *writer) flush() error {
	st := w.tx.Bucket(bStats)
	for k, d := range w.stats {
		if d == 0 {
			continue
		}
		n := int64(getU64(st, []byte(k))) + d
		var err error
		if n <= 0 {
			err = st.Delete([]byte(k))
		} else {
			err = st.Put([]byte(k), u64(uint64(n)))
		}
		if err != nil {
			return err
		}
	}
	add := func(k []byte, d int64) error {
		if d == 0 {
			return nil
		}
		return w.meta.Put(k, u64(uint64(int64(getU64(w.meta, k))+d)))
	}
	if err := add(kCount, w.count); err != nil {
		return err
	}
	if err := add(kReal, w.real); err != nil {
		return err
	}
	mono := byte(0)
	if w.mono {
		mono = 1
	}
	if err := w.meta.Put(kMonotonic, []byte{mono}); err != nil {
		return err
	}
	return w.meta.Put(kMaxTime, u64(w.maxTime))
}
