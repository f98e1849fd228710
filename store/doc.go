// Package store is coolpay's ledger: every payment, paylink and payout the
// merchant made from any coolpay process, the callbacks received (claims),
// the settings and the batch lines. The API has no "list transactions"
// call, so this is the merchant's history at the desk, and the journal that
// makes money calls safe: a record is committed here before its request
// leaves (see ui/core).
//
// # Sharing model
//
// One ledger is shared by every coolpay process on the machine — the
// console, `coolpay listen`, commands, batch sends. A DB holds nothing open
// between operations: each operation opens the bbolt file, takes its lock
// (shared to read, exclusive to write) for one transaction and closes it, so
// a writer waits about a second at most (Options.Timeout, then ErrLocked,
// which commands turn into exit code 3). The lock is waited for in 1 ms
// steps (filelock.OpenLocked hands bbolt a file already locked; bbolt's
// own wait polls every 50 ms), and behind a queue file
// (.ledger.db.queue, filelock.Queue) that a waiting writer holds and
// readers only pass: readers that keep arriving — several consoles and a
// listener polling — cannot keep a writer out until it gives up.
//
// Seeing the others' writes: every write transaction bumps a change counter
// in the meta bucket and logs the ids it wrote (changes.go). A process that
// shows the ledger polls Changes and reads only what changed with Watch.
//
// Crash recovery across processes: a process that journals takes an owner
// token and holds an OS file lock (store/filelock) beside the ledger for as
// long as it runs; NEW records carry the token. Orphaned lists the NEW
// records whose owner's lock is gone — their process died between journal
// and answer — and only those become UNKNOWN, never a live process's.
//
// # Layout and codec
//
// Buckets: meta (schema version, counters), records (key: 8-byte
// big-endian id, value: the record codec), one bucket per secondary index
// (composite keys value|id with empty values, read with Seek + prefix,
// written in the same transaction as the record), settings, changes, claims
// and the customer look-up indexes (lookup.go). Since schema 6 the index keys
// are short, because a bbolt entry costs 16 bytes besides its key (index.go):
// the id as a length byte and its significant bytes; references and phones
// as 4 bytes of hash (a look-up checks the record); state, type and operator
// as bitmaps, one key per value and block of 256 ids. The seeded 1M ledger
// is about 560 bytes a record. Records are encoded with a
// hand-written versioned binary codec (record.go) about a third of JSON's
// size; queries match its header and searchable text without decoding
// whole records (query.go).
//
// # Migrations
//
// The schema version lives in meta (SchemaVersion). Open runs every missing
// step of migrations (migrate.go) in one Update, so old and new files end in
// the same layout; a file of a newer schema than this binary knows is
// refused (ErrSchema), never rewritten. A fresh file is created at schema 1
// and walked up through every step, so each migration runs in every test.
//
// # Rules for code here
//
// Never start a read transaction inside an Update; copy values out before a
// transaction ends; no file-system calls under the ledger's lock; text read
// back from the ledger is untrusted (other processes, imports and callbacks
// wrote it) and is made inert by the caller before it reaches a terminal.
package store
