package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/coolpay/coolpay/store/filelock"
)

// DB is the ledger: one bbolt file holding the records, their indexes and
// the settings. It is safe for concurrent use, by goroutines and by
// processes: a DB holds no file open between operations. Each operation
// opens the file, takes bbolt's lock (shared to read, exclusive to write),
// runs one transaction and closes it again, so the console, `coolpay listen`
// and any command can share one ledger; an operation that cannot get the
// lock within Options.Timeout fails with an error wrapping ErrLocked.
//
// Reopening costs tens of microseconds (the file stays in the page cache
// and bbolt maps it rather than reading it; `make bench` measures it
// against a ledger held open), which is small beside one fsync.
type DB struct {
	path     string
	readOnly bool
	noSync   bool
	timeout  time.Duration
	now      func() time.Time
	closed   atomic.Bool
	// unchecked: opened with DeferCheck and no operation has passed the
	// schema check yet (see checkReadable).
	unchecked atomic.Bool

	ownerMu   sync.Mutex // guards owner and ownerLock (see owner.go)
	owner     string
	ownerLock *filelock.Lock

	// held, when set, is a bbolt handle kept open for the DB's life: the
	// pre-sharing design, kept only so benchmarks can compare against it.
	held *bolt.DB

	// pg, when set, holds the ledger instead of a bbolt file: every
	// exported method hands over to it (pg.go).
	pg *pgLedger

	// local, when set, keeps some settings off the ledger (local.go).
	local LocalSettings
}

// DefaultPath is ledger.db in coolpay's directory under the user's data
// directory ($XDG_DATA_HOME or ~/.local/share on Unix, ~/Library/Application
// Support on macOS, %AppData% on Windows). Which ledger to open (a flag, an
// environment variable, this default) is the caller's choice.
func DefaultPath() (string, error) {
	dir, err := dataDir()
	if err != nil {
		return "", fmt.Errorf("finding the ledger's directory: %w", err)
	}
	return filepath.Join(dir, "coolpay", "ledger.db"), nil
}

func dataDir() (string, error) {
	switch runtime.GOOS {
	case "windows", "darwin", "ios", "plan9":
		// os.UserConfigDir is the per-user application data directory on
		// these systems; only Unix-likes separate config from data.
		return os.UserConfigDir()
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}

// Open checks the ledger at path and returns a handle on it. Read-write, it
// creates the file when missing (never its directory: the caller decides
// where ledgers may live) and runs the migrations; read-only, it never
// creates anything: a missing or empty file gives an error wrapping
// ErrNoLedger that names the path. A lock held by another process for longer
// than o.Timeout gives an error wrapping ErrLocked; a damaged or foreign file
// one wrapping ErrCorrupt. Open holds nothing once it returns.
func Open(path string, o Options) (db *DB, err error) {
	if path == "" {
		return nil, errors.New("ledger path is empty")
	}
	if IsURL(path) {
		return openPG(path, o)
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		return nil, fmt.Errorf("ledger %s is a directory", path)
	case statErr == nil && info.Size() == 0 && o.ReadOnly:
		return nil, fmt.Errorf("%w at %s", ErrNoLedger, path)
	case errors.Is(statErr, os.ErrNotExist) && o.ReadOnly:
		return nil, fmt.Errorf("%w at %s", ErrNoLedger, path)
	case errors.Is(statErr, os.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			return nil, fmt.Errorf("ledger %s: its directory: %w", path, err)
		}
	case statErr != nil:
		return nil, fmt.Errorf("ledger %s: %w", path, statErr)
	}
	if statErr == nil && info.Size() > 0 {
		// bbolt trusts the file: a truncated one makes it touch pages past
		// the end of the mapping (SIGBUS), a garbage one can make it panic.
		// Check the meta pages ourselves first.
		if err := checkFile(path, info.Size()); err != nil {
			return nil, err
		}
	}
	db = &DB{path: path, readOnly: o.ReadOnly, noSync: o.NoSync, timeout: o.Timeout, now: time.Now}
	if o.ReadOnly && o.DeferCheck {
		db.unchecked.Store(true)
		return db, nil
	}
	if err := db.prepare(); err != nil {
		return nil, err
	}
	return db, nil
}

var errClosed = errors.New("ledger is closed")

// openBolt opens the file for one operation: exclusive lock to write,
// shared to read. Only create (the first Open of a new ledger) may create
// the file: a ledger deleted while in use must not come back empty.
func (db *DB) openBolt(write, create, bulk bool) (bdb *bolt.DB, err error) {
	if db.closed.Load() {
		return nil, fmt.Errorf("ledger %s: %w", db.path, errClosed)
	}
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("%s: %w (%v)", db.path, ErrCorrupt, r)
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	timeout := db.timeout
	// bbolt polls its lock every 50 ms: a writer would lose to readers
	// that keep arriving (several consoles and a listener reading every
	// few ms), however long it waited. The queue beside the ledger lets it
	// go first: it holds the queue while it waits, readers only pass it.
	start := time.Now()
	switch q, qerr := filelock.Queue(db.queuePath(), write, timeout); {
	case qerr == nil && write:
		defer q.Release()
		timeout = max(timeout-time.Since(start), 100*time.Millisecond)
	case qerr == nil:
		q.Release()
		timeout = max(timeout-time.Since(start), 100*time.Millisecond)
	case errors.Is(qerr, filelock.ErrBusy):
		return nil, fmt.Errorf("%w: another coolpay process has held %s for more than %v; try again", ErrLocked, db.path, db.timeout)
	default:
		// No queue file (a directory this process cannot write to): bbolt's
		// lock alone, as before the queue.
	}
	o := &bolt.Options{
		Timeout:  timeout,
		ReadOnly: !write,
		// A write opens the file and loads its free list every time: the
		// array form loads 7x faster than the hash map (0.29 ms against
		// 1.98 ms for the 6,581 free pages of a seeded 1M ledger) and
		// commits faster at this size too. Bulk inserts allocate pages by
		// the thousand, where the hash map is faster (seeding 200,000
		// records: 8 s against 14 s).
		FreelistType: bolt.FreelistArrayType,
		NoSync:       db.noSync,
	}
	if bulk {
		o.FreelistType = bolt.FreelistMapType
	}
	// The file comes to bbolt already locked (its own flock on it is then
	// granted at once): waited for in 1 ms steps, not bbolt's 50 ms ones.
	// And remember the file bbolt reads (see scan_pread.go).
	var file *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		if !create {
			flag &^= os.O_CREATE
		}
		f, err := filelock.OpenLocked(name, flag, perm, write, timeout)
		file = f
		return f, err
	}
	bdb, err = bolt.Open(db.path, 0o600, o)
	switch {
	case err == nil:
		bdb.NoSync = db.noSync
		if !write {
			noteReadFile(bdb, file)
		}
		return bdb, nil
	case errors.Is(err, berrors.ErrTimeout), errors.Is(err, filelock.ErrBusy):
		return nil, fmt.Errorf("%w: another coolpay process has held %s for more than %v; try again", ErrLocked, db.path, db.timeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch),
		errors.Is(err, berrors.ErrChecksum):
		return nil, fmt.Errorf("%s: %w (%v)", db.path, ErrCorrupt, err)
	case errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("ledger %s: %w (the file went away)", db.path, err)
	case errors.Is(err, os.ErrPermission):
		return nil, fmt.Errorf("ledger %s: %w", db.path, err)
	default:
		return nil, fmt.Errorf("opening ledger %s: %w", db.path, err)
	}
}

// view runs fn in a read transaction under a shared lock: readers never
// wait for each other, only for a writer.
func (db *DB) view(fn func(tx *bolt.Tx) error) error {
	if db.unchecked.Load() {
		// Until one succeeds, every operation checks what Open left to
		// it, so an error cannot be skipped by ignoring one operation's.
		op := fn
		fn = func(tx *bolt.Tx) error {
			if err := db.checkReadable(tx); err != nil {
				return err
			}
			db.unchecked.Store(false)
			return op(tx)
		}
	}
	if db.held != nil {
		return db.held.View(fn)
	}
	bdb, err := db.openBolt(false, false, false)
	if err != nil {
		return err
	}
	defer bdb.Close()
	defer forgetReadFile(bdb)
	return bdb.View(fn)
}

// update runs fn in a write transaction under the exclusive lock, and
// counts and logs the change (see Changes) in the same transaction; fn
// notes in log what it changed.
func (db *DB) update(fn func(tx *bolt.Tx, log *txLog) error) error {
	if db.readOnly {
		return errReadOnly
	}
	return db.write(false, false, fn)
}

func (db *DB) write(create, bulk bool, fn func(tx *bolt.Tx, log *txLog) error) error {
	run := func(tx *bolt.Tx) error {
		var log txLog
		if err := fn(tx, &log); err != nil {
			return err
		}
		return log.commit(tx)
	}
	if db.held != nil {
		return db.held.Update(run)
	}
	bdb, err := db.openBolt(true, create, bulk)
	if err != nil {
		return err
	}
	defer bdb.Close()
	return bdb.Update(run)
}

// checkFile validates bbolt's two meta pages (magic, version, checksum) and
// that the file is as long as the newest valid one says, without mapping it.
// The layout is bbolt's on-disk format v2, stable since boltdb.
func checkFile(path string, size int64) error {
	bad := func(why string) error { return fmt.Errorf("%s: %w (%s)", path, ErrCorrupt, why) }
	if size < 1024 {
		return bad(fmt.Sprintf("file is only %d bytes", size))
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("ledger %s: %w", path, err)
	}
	defer f.Close()
	const pageHeader, metaLen = 16, 64
	read := func(off int64) ([]byte, bool) {
		b := make([]byte, pageHeader+metaLen)
		if _, err := f.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
			return nil, false
		}
		return b[pageHeader:], true
	}
	type meta struct{ pageSize, pgid, txid uint64 }
	parse := func(m []byte) (meta, bool) {
		le := binary.LittleEndian
		if le.Uint32(m[0:]) != 0xED0CDAED || le.Uint32(m[4:]) != 2 {
			return meta{}, false
		}
		h := fnv.New64a()
		h.Write(m[:56])
		if h.Sum64() != le.Uint64(m[56:]) {
			return meta{}, false
		}
		return meta{pageSize: uint64(le.Uint32(m[8:])), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
	}
	var best meta
	found := false
	if m0, ok := read(0); ok {
		if m, ok := parse(m0); ok {
			best, found = m, true
		}
	}
	// The second meta page sits one page in; try the first page's idea of
	// the page size, then the usual ones.
	sizes := []uint64{4096, 8192, 16384, 65536}
	if found {
		sizes = append([]uint64{best.pageSize}, sizes...)
	}
	for _, ps := range sizes {
		m1, ok := read(int64(ps))
		if !ok {
			continue
		}
		if m, ok := parse(m1); ok && m.pageSize == ps {
			if !found || m.txid > best.txid {
				best = m
			}
			found = true
			break
		}
	}
	if !found {
		return bad("not a bbolt database")
	}
	if best.pageSize < 512 || best.pageSize > 1<<20 {
		return bad(fmt.Sprintf("implausible page size %d", best.pageSize))
	}
	if need := best.pgid * best.pageSize; need > uint64(size) {
		return bad(fmt.Sprintf("file is truncated: %d bytes, needs %d", size, need))
	}
	return nil
}

// protect turns a panic or memory fault raised while reading a damaged file
// into an error naming the file. Use as `defer db.protect(&err)()`.
func (db *DB) protect(err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = fmt.Errorf("ledger %s: %w (%v)", db.path, ErrCorrupt, r)
		}
	}
}

// Close ends the use of db: later operations fail. It releases the owner
// lock (owner.go): NEW records this process journaled and did not settle
// are orphans from now on.
func (db *DB) Close() error {
	if db.closed.Swap(true) {
		return nil
	}
	if db.pg != nil {
		return db.pg.close()
	}
	db.releaseOwner()
	if db.held != nil {
		return db.held.Close()
	}
	return nil
}

// Path is the ledger file's path; for a PostgreSQL ledger, its URL without
// the password (Redact).
func (db *DB) Path() string { return db.path }

// ReadOnly reports whether the ledger was opened read-only.
func (db *DB) ReadOnly() bool { return db.readOnly }
