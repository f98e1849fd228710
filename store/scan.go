package store

import (
	"context"
	"encoding/binary"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A full-text search of a large ledger reads every record, and matching
// them is most of the work: it is shared between two cores. The id window
// is cut into blocks of scanBlock ids; worker w matches blocks w, w+2, …
// with its own cursor and its own query (scratch buffers), all in the one
// read transaction of the slice (a read-only bbolt transaction serves
// several cursors at once; leaf pages are read with pread where the
// fast path of scan_pread.go can, else they come from the map), and the
// walking goroutine takes the blocks' hits in order, so fn still sees the
// records newest first and stops the walk as before. A variable for tests
// only.
var scanBlock uint64 = 4096

// scanWorkersMax is how many goroutines match a search: the ledger's file
// is read from the page cache, so more than two cores mostly wait on
// memory. A variable for tests only.
var scanWorkersMax = 2

func scanWorkers() int { return min(scanWorkersMax, runtime.GOMAXPROCS(0)) }

// parallelWalks counts the walks shared between cores (tests check that
// the path they mean to test was taken).
var parallelWalks atomic.Int64

// blockHits is one block's result: its matches in walk order, and the last
// record it looked at (where a pause resumes).
type blockHits struct {
	ids     []uint64
	raws    [][]byte
	lastID  uint64
	lastRaw []byte
	seen    int
	err     error
}

// walkParallel is walkCounted's loop for a search over the records bucket
// (ids start down to lo, in id order: a monotonic ledger).
func walkParallel(ctx context.Context, tx *bolt.Tx, f Filter, ps *primarySource, deadline time.Time, fn func(id uint64, raw []byte) bool, st *walkStats) (pos, error) {
	parallelWalks.Add(1)
	nw := scanWorkers()
	blocks := (ps.start-ps.lo)/scanBlock + 1
	records := tx.Bucket(bRecords)
	plan, fast := planLeaves(tx, records, ps.start, ps.lo)
	var stop atomic.Bool
	var wg sync.WaitGroup
	results := make([]chan blockHits, nw)
	for w := 0; w < nw; w++ {
		// Cursors and queries are made here, in the transaction's
		// goroutine; each worker only uses its own.
		c, q := records.Cursor(), compile(f)
		ch := make(chan blockHits, 2)
		results[w] = ch
		wg.Add(1)
		var pr *preadScanner
		if fast {
			pr = &preadScanner{p: plan}
		}
		go func(w int) {
			defer wg.Done()
			defer close(ch)
			for b := uint64(w); b < blocks && !stop.Load(); b += uint64(nw) {
				hi := ps.start - b*scanBlock
				lo := ps.lo
				if hi-ps.lo >= scanBlock {
					lo = hi - scanBlock + 1
				}
				if pr != nil {
					if r, ok := pr.block(q, hi, lo); ok {
						preadScans.Add(1)
						ch <- r
						continue
					}
					preadFallbacks.Add(1)
				}
				ch <- scanBlockHits(c, q, hi, lo)
			}
		}(w)
	}
	defer func() {
		stop.Store(true)
		for _, ch := range results { // let a worker blocked on a send finish
			for range ch {
			}
		}
		wg.Wait() // no cursor may outlive the transaction
	}()
	var last blockHits
	for b := uint64(0); b < blocks; b++ {
		r, ok := <-results[b%uint64(nw)]
		if !ok {
			break
		}
		if st != nil {
			st.seen += r.seen
		}
		if r.err != nil {
			return pos{}, r.err
		}
		for i, id := range r.ids {
			if !fn(id, r.raws[i]) {
				return pos{}, nil
			}
		}
		if r.lastRaw != nil {
			last = r
		}
		if err := ctx.Err(); err != nil {
			return pos{}, err
		}
		if !deadline.IsZero() && time.Now().After(deadline) && last.lastRaw != nil && b+1 < blocks {
			t, err := rawTime(last.lastRaw)
			if err != nil {
				return pos{}, fmt.Errorf("record %d: %w", last.lastID, err)
			}
			return pos{t: t, id: last.lastID}, errPause
		}
	}
	return pos{}, nil
}

// scanBlockHits matches the records with ids hi down to lo.
func scanBlockHits(c *bolt.Cursor, q *query, hi, lo uint64) (r blockHits) {
	k, v := c.Seek(idKey(hi))
	if k == nil {
		k, v = c.Last()
	} else if binary.BigEndian.Uint64(k) > hi {
		k, v = c.Prev()
	}
	for ; k != nil; k, v = c.Prev() {
		if len(k) != 8 || v == nil {
			continue
		}
		id := binary.BigEndian.Uint64(k)
		if id < lo {
			break
		}
		r.seen++
		r.lastID, r.lastRaw = id, v
		ok, err := q.match(v)
		if err != nil {
			r.err = fmt.Errorf("record %d: %w", id, err)
			return r
		}
		if ok {
			r.ids = append(r.ids, id)
			r.raws = append(r.raws, v)
		}
	}
	return r
}
