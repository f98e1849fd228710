package store

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	bolt "go.etcd.io/bbolt"
)

// A search that finds nothing reads every record of the ledger. Through
// bbolt's map, the first touch of each page is a page fault (about 30,000
// minor faults and a second of system time for the 1M bench ledger, more
// than the matching itself): the full scan of the records bucket reads its
// leaf pages with pread into a reused buffer instead, in the same read
// transaction (its shared lock keeps a writer from reusing the snapshot's
// pages) and from bbolt's own file handle. The page format is bbolt's
// on-disk one (go.etcd.io/bbolt internal/common/page.go): a 16-byte header
// (id u64, flags u16, count u16, overflow u32), then count elements, branch
// (pos u32, ksize u32, pgid u64) or leaf (flags u32, pos u32, ksize u32,
// vsize u32), pos counted from the element, all in the machine's byte
// order. Anything unexpected (a page that does not say it is the page
// asked for, a flag, an offset out of its page, keys out of order, a short
// read) sends the block back to the bbolt cursor: never a wrong result.

const (
	pageHeaderSize   = 16
	pageElemSize     = 16
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	bucketLeafFlag   = 0x01
	preadGroupLeaves = 64  // leaves read together when their pages are close
	preadGroupPages  = 256 // at most this many pages in one read
	preadGap         = 4   // pages read and not used rather than a second read
)

// preadOK turns the fast path off (tests compare both paths).
var preadOK = nativeLittle()

func nativeLittle() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// preadScans counts blocks the fast path served (tests check it ran).
var preadScans, preadFallbacks atomic.Int64

// readFiles maps a read-only bbolt handle to the file bbolt opened (see
// openBolt): the fast path reads that very file, not whatever the path
// names now.
var readFiles sync.Map // *bolt.DB → *os.File

func noteReadFile(bdb *bolt.DB, f *os.File) {
	if f != nil {
		readFiles.Store(bdb, f)
	}
}

func forgetReadFile(bdb *bolt.DB) { readFiles.Delete(bdb) }

// leafRef is a leaf page of the records bucket and the smallest key its
// parent says it holds.
type leafRef struct {
	pgid uint64
	low  uint64
}

// leafPlan lists, in key order, the leaf pages that may hold the ids lo..hi.
type leafPlan struct {
	f      *os.File
	psz    int
	npages uint64 // the transaction's high-water mark, in pages
	leaves []leafRef
}

// planLeaves walks the branch pages of the records bucket; ok is false
// when the fast path cannot serve this transaction.
func planLeaves(tx *bolt.Tx, records *bolt.Bucket, hi, lo uint64) (*leafPlan, bool) {
	if !preadOK || tx.Writable() {
		return nil, false
	}
	v, ok := readFiles.Load(tx.DB())
	if !ok {
		return nil, false
	}
	root := uint64(records.Root())
	if root == 0 { // an inline bucket
		return nil, false
	}
	p := &leafPlan{f: v.(*os.File), psz: tx.DB().Info().PageSize}
	if p.psz < 512 || p.psz > 1<<16 {
		return nil, false
	}
	p.npages = uint64(tx.Size()) / uint64(p.psz)
	buf := make([]byte, p.psz)
	if !p.descend(buf, root, 0, hi, lo, 0) {
		return nil, false
	}
	return p, true
}

// descend adds the leaves under page id (whose keys are at least low)
// that may hold keys in lo..hi. Only branch pages are read here: the
// children of a branch whose first child is a leaf are all leaves (bbolt's
// tree is balanced), and each leaf says what it is when the scan reads it.
func (p *leafPlan) descend(buf []byte, id, low, hi, lo uint64, depth int) bool {
	if depth > 32 || id < 2 || id >= p.npages {
		return false
	}
	if _, err := p.f.ReadAt(buf, int64(id)*int64(p.psz)); err != nil {
		return false
	}
	if binary.LittleEndian.Uint64(buf) != id {
		return false
	}
	switch flags := binary.LittleEndian.Uint16(buf[8:]); flags {
	case leafPageFlag:
		p.leaves = append(p.leaves, leafRef{pgid: id, low: low})
		return true
	case branchPageFlag:
	default:
		return false
	}
	if binary.LittleEndian.Uint32(buf[12:]) != 0 { // branch pages do not overflow here
		return false
	}
	n := int(binary.LittleEndian.Uint16(buf[10:]))
	if n == 0 || pageHeaderSize+n*pageElemSize > len(buf) {
		return false
	}
	type child struct{ key, pgid uint64 }
	kids := make([]child, n)
	for i := range kids {
		e := pageHeaderSize + i*pageElemSize
		pos := int(binary.LittleEndian.Uint32(buf[e:]))
		ksize := int(binary.LittleEndian.Uint32(buf[e+4:]))
		if ksize != 8 || e+pos < e || e+pos+8 > len(buf) {
			return false
		}
		kids[i] = child{key: binary.BigEndian.Uint64(buf[e+pos:]), pgid: binary.LittleEndian.Uint64(buf[e+8:])}
		if i > 0 && kids[i].key <= kids[i-1].key {
			return false
		}
	}
	leafKids := false
	for i, k := range kids {
		// Child i holds keys from its key (the first one's: from low) up to
		// the next child's key.
		from := max(k.key, low)
		if i == 0 {
			from = low
		}
		if from > hi {
			break
		}
		if i+1 < n && kids[i+1].key <= lo {
			continue
		}
		if leafKids {
			if k.pgid < 2 || k.pgid >= p.npages {
				return false
			}
			p.leaves = append(p.leaves, leafRef{pgid: k.pgid, low: from})
			continue
		}
		had := len(p.leaves)
		if !p.descend(buf, k.pgid, from, hi, lo, depth+1) {
			return false
		}
		leafKids = len(p.leaves) == had+1 && p.leaves[had].pgid == k.pgid
	}
	return true
}

// preadScanner is one worker's reader: its buffer is reused from group to
// group.
type preadScanner struct {
	p    *leafPlan
	buf  []byte
	ids  []uint64
	runs []run
}

// block matches the records with ids hi down to lo as scanBlockHits does,
// reading the leaves from the file; ok is false when it met anything it
// does not expect (the caller then uses the cursor). The raw values it
// returns are copies.
func (s *preadScanner) block(q *query, hi, lo uint64) (r blockHits, ok bool) {
	leaves := s.p.leaves
	// Leaves last..first may hold ids in lo..hi.
	last := sort.Search(len(leaves), func(i int) bool { return leaves[i].low > hi }) - 1
	first := sort.Search(len(leaves), func(i int) bool { return leaves[i].low > lo }) - 1
	first = max(first, 0)
	prev, have := uint64(0), false
	var lastLeaf []byte // the page the last record seen is in
	for g := last; g >= first; g -= preadGroupLeaves {
		group := leaves[max(first, g-preadGroupLeaves+1) : g+1]
		// The previous group's page is about to be overwritten.
		if r.lastRaw != nil && lastLeaf != nil {
			r.lastRaw = append([]byte(nil), r.lastRaw...)
			lastLeaf = nil
		}
		if !s.read(group) {
			return r, false
		}
		for i := len(group) - 1; i >= 0; i-- {
			page, ok := s.page(group[i].pgid)
			if !ok {
				return r, false
			}
			n := int(binary.LittleEndian.Uint16(page[10:]))
			for j := n - 1; j >= 0; j-- {
				e := pageHeaderSize + j*pageElemSize
				if e+pageElemSize > len(page) {
					return r, false
				}
				flags := binary.LittleEndian.Uint32(page[e:])
				pos := int(binary.LittleEndian.Uint32(page[e+4:]))
				ksize := int(binary.LittleEndian.Uint32(page[e+8:]))
				vsize := int(binary.LittleEndian.Uint32(page[e+12:]))
				k0 := e + pos
				v1 := k0 + ksize + vsize
				if pos < 0 || ksize < 0 || vsize < 0 || k0 < e || v1 < k0 || v1 > len(page) {
					return r, false
				}
				if ksize != 8 || flags&bucketLeafFlag != 0 {
					continue // as the cursor path: not a record
				}
				if flags != 0 {
					return r, false
				}
				id := binary.BigEndian.Uint64(page[k0:])
				if have && id >= prev {
					return r, false // out of order
				}
				prev, have = id, true
				if id > hi {
					continue
				}
				if id < lo {
					break
				}
				v := page[k0+8 : v1 : v1]
				r.seen++
				r.lastID, r.lastRaw, lastLeaf = id, v, page
				m, err := q.match(v)
				if err != nil {
					r.err = fmt.Errorf("record %d: %w", id, err)
					return r, true
				}
				if m {
					r.ids = append(r.ids, id)
					r.raws = append(r.raws, append([]byte(nil), v...))
				}
			}
		}
	}
	if r.lastRaw != nil && lastLeaf != nil {
		r.lastRaw = append([]byte(nil), r.lastRaw...)
	}
	return r, true
}

// run is pages start..start+n-1 of the file, at off in the buffer.
type run struct {
	start, n uint64
	off      int
}

// read reads a group's pages into the buffer, pages that lie close
// together (a ledger written in order) in one read.
func (s *preadScanner) read(group []leafRef) bool {
	ids := s.ids[:0]
	for _, l := range group {
		if l.pgid >= s.p.npages {
			return false
		}
		ids = append(ids, l.pgid)
	}
	s.ids = ids
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	s.runs = s.runs[:0]
	total := uint64(0)
	for _, id := range ids {
		if k := len(s.runs) - 1; k >= 0 {
			r := &s.runs[k]
			end := r.start + r.n
			if id < end {
				continue
			}
			if id-end <= preadGap && r.n+id-end+1 <= preadGroupPages {
				total += id - end + 1
				r.n = id - r.start + 1
				continue
			}
		}
		s.runs = append(s.runs, run{start: id, n: 1})
		total++
	}
	size := int(total) * s.p.psz
	if cap(s.buf) < size {
		s.buf = make([]byte, size)
	}
	s.buf = s.buf[:size]
	off := 0
	for i := range s.runs {
		r := &s.runs[i]
		r.off = off
		n := int(r.n) * s.p.psz
		if _, err := s.p.f.ReadAt(s.buf[off:off+n], int64(r.start)*int64(s.p.psz)); err != nil {
			return false
		}
		off += n
	}
	return true
}

// page is leaf page id with its overflow pages: from the buffer when it is
// all there, else read on its own.
func (s *preadScanner) page(id uint64) ([]byte, bool) {
	psz := uint64(s.p.psz)
	k := sort.Search(len(s.runs), func(i int) bool { return s.runs[i].start+s.runs[i].n > id })
	if k == len(s.runs) || s.runs[k].start > id {
		return nil, false
	}
	r := s.runs[k]
	avail := (r.start + r.n - id) * psz
	page := s.buf[r.off+int((id-r.start)*psz):][:avail:avail]
	if binary.LittleEndian.Uint64(page) != id || binary.LittleEndian.Uint16(page[8:]) != leafPageFlag {
		return nil, false
	}
	over := uint64(binary.LittleEndian.Uint32(page[12:]))
	size := (over + 1) * psz
	if over >= s.p.npages || id+over >= s.p.npages {
		return nil, false
	}
	if avail >= size {
		return page[:size:size], true
	}
	// A big value: its own buffer, for it must not overwrite the others.
	own := make([]byte, size)
	if _, err := s.p.f.ReadAt(own, int64(id*psz)); err != nil {
		return nil, false
	}
	if binary.LittleEndian.Uint64(own) != id || binary.LittleEndian.Uint16(own[8:]) != leafPageFlag ||
		uint64(binary.LittleEndian.Uint32(own[12:])) != over {
		return nil, false
	}
	return own, true
}
