package store

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func readFile(p string) ([]byte, error) { return os.ReadFile(p) }

func TestOpenCreatesAPrivateFileButNoDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	p := filepath.Join(dir, "ledger.db")
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("Open in a missing directory: err = %v, want an error naming %s", err, p)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !os.IsNotExist(err) {
		t.Fatal("Open created a directory")
	}
	p = filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("%s: mode %o, want 600", p, got)
	}
}

// TestLedgerDeletedWhileInUseIsNotRecreated: only Open creates the file;
// an operation on a ledger that went away fails instead of starting an
// empty one.
func TestLedgerDeletedWhileInUseIsNotRecreated(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	os.Remove(p)
	if err := db.Create(&Record{AppRef: "x"}); err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("Create on a deleted ledger: %v", err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatal("the ledger file came back")
	}
}

func TestReadOnlyOpenOfMissingOrEmptyFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "none", "ledger.db")
	if _, err := Open(p, Options{ReadOnly: true}); !errors.Is(err, ErrNoLedger) {
		t.Fatalf("err = %v, want ErrNoLedger", err)
	}
	if _, err := os.Stat(filepath.Dir(p)); !os.IsNotExist(err) {
		t.Fatal("a read-only open created the directory")
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if _, err := Open(empty, Options{ReadOnly: true}); !errors.Is(err, ErrNoLedger) {
		t.Fatalf("empty file: err = %v, want ErrNoLedger", err)
	}
	// A ledger created but never written to reads as empty.
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	db, _ := Open(fresh, Options{})
	db.Close()
	ro, err := Open(fresh, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if p, err := ro.List(Filter{}, 50, ""); err != nil || len(p.Records) != 0 {
		t.Fatal(p, err)
	}
	if err := ro.Create(&Record{}); err == nil {
		t.Fatal("Create on a read-only ledger succeeded")
	}
	if err := ro.SetSetting("a", "b"); err == nil {
		t.Fatal("SetSetting on a read-only ledger succeeded")
	}
}

func TestDefaultPath(t *testing.T) {
	// The store does not pick the ledger: COOLPAY_DB is ui/internal/config's.
	t.Setenv("COOLPAY_DB", "/x/y.db")
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, _ := DefaultPath(); p != "/data/coolpay/ledger.db" {
		t.Fatal(p)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/u")
	if p, _ := DefaultPath(); p != "/home/u/.local/share/coolpay/ledger.db" {
		t.Fatal(p)
	}
}

// TestBusyLedgerFailsAfterATimeout re-runs the test binary as a child that
// holds bbolt's lock on the ledger (as a foreign tool, or an older coolpay
// that kept its ledger open, would); Open and each operation of an opened DB
// must give up after about the 1 s default with an error wrapping ErrLocked
// that says the ledger is busy.
func TestBusyLedgerFailsAfterATimeout(t *testing.T) {
	if p := os.Getenv("COOLPAY_STORE_HOLD"); p != "" {
		shared := os.Getenv("COOLPAY_STORE_HOLD_SHARED") != ""
		bdb, err := bolt.Open(p, 0o600, &bolt.Options{Timeout: 5 * time.Second, ReadOnly: shared})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
		bdb.Close()
		os.Exit(0)
	}
	p := filepath.Join(t.TempDir(), "ledger.db")
	opened, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := Record{AppRef: "cp-1"}
	if err := opened.Create(&r); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBusyLedgerFailsAfterATimeout$")
	cmd.Env = append(os.Environ(), "COOLPAY_STORE_HOLD="+p)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("child: %q", line)
	}
	want := "ledger is busy: another coolpay process has held " + p + " for more than 1s; try again"
	check := func(what string, f func() error) {
		t.Helper()
		start := time.Now()
		err := f()
		took := time.Since(start)
		if !errors.Is(err, ErrLocked) || err.Error() != want {
			t.Fatalf("%s: err = %q, want %q", what, err, want)
		}
		if took < 900*time.Millisecond || took > 2500*time.Millisecond {
			t.Fatalf("%s: gave up after %v, want about the 1s default", what, took)
		}
	}
	for _, ro := range []bool{false, true} {
		check(fmt.Sprintf("Open read-only=%v", ro), func() error {
			db, err := Open(p, Options{ReadOnly: ro})
			if err == nil {
				db.Close()
			}
			return err
		})
	}
	check("Get", func() error { _, err := opened.Get(r.ID); return err })
	check("Update", func() error {
		_, err := opened.Update(r.ID, func(*Record) error { return nil })
		return err
	})
	stdin.Close()
	cmd.Wait()
	if _, err := opened.Get(r.ID); err != nil {
		t.Fatalf("after the other process left: %v", err)
	}
	db, err := Open(p, Options{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatalf("after the other process left: %v", err)
	}
	db.Close()
}

// TestReadersDoNotBlockReaders: while another process reads (holds the
// shared lock), reads here go through at once and only a write waits, then
// fails with ErrLocked.
func TestReadersDoNotBlockReaders(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := Record{AppRef: "cp-1"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBusyLedgerFailsAfterATimeout$")
	cmd.Env = append(os.Environ(), "COOLPAY_STORE_HOLD="+p, "COOLPAY_STORE_HOLD_SHARED=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); strings.TrimSpace(line) != "ready" {
		t.Fatalf("child: %q", line)
	}
	ro, err := Open(p, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only Open beside a reader: %v", err)
	}
	start := time.Now()
	if _, err := ro.Get(r.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.List(Filter{}, 10, ""); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 900*time.Millisecond { // under the 1 s a blocked reader would wait
		t.Fatalf("reads beside another reader took %v", took)
	}
	if _, err := db.Update(r.ID, func(*Record) error { return nil }); !errors.Is(err, ErrLocked) {
		t.Fatalf("a write beside a reader that never lets go: %v, want ErrLocked", err)
	}
}

func writeLedger(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := Seed(db, n, 1, false); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return p
}

// openNoPanic opens and uses a ledger, failing the test on a panic.
func openNoPanic(t *testing.T, p string, o Options) (err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	db, err := Open(p, o)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.List(Filter{}, 50, ""); err != nil {
		return err
	}
	if _, err := db.List(Filter{States: []State{StateFailed}, Search: "a"}, 50, ""); err != nil {
		return err
	}
	if _, err := db.Unsettled(); err != nil {
		return err
	}
	return db.Scan(t.Context(), Filter{Search: "zzz"}, func(Record) bool { return true })
}

func TestDamagedFilesGiveClearErrors(t *testing.T) {
	good := writeLedger(t, 3000)
	data, _ := os.ReadFile(good)
	dir := t.TempDir()
	garbage := make([]byte, 64<<10)
	rand.Read(garbage)
	foreign := filepath.Join(dir, "foreign.db")
	fdb, _ := bolt.Open(foreign, 0o600, nil)
	fdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("kv")); return err })
	fdb.Close()
	cases := map[string][]byte{
		"truncated-half.db": data[:len(data)/2],
		"truncated-tiny.db": data[:100],
		"truncated-meta.db": data[:4096+50],
		"garbage.db":        garbage,
		"text.db":           []byte(strings.Repeat("this is not a ledger\n", 500)),
	}
	for name, b := range cases {
		os.WriteFile(filepath.Join(dir, name), b, 0o600)
	}
	cases["foreign.db"] = nil
	for name := range cases {
		p := filepath.Join(dir, name)
		for _, o := range []Options{{}, {ReadOnly: true}, {ReadOnly: true, DeferCheck: true}} {
			err := openNoPanic(t, p, o)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), p) {
				t.Errorf("%s %+v: err = %v; want ErrCorrupt naming the file", name, o, err)
			}
		}
	}
}

// TestGarbagePagesNeverPanic keeps the meta pages valid and scribbles over
// the rest: bbolt then follows garbage; the store must turn whatever
// happens into errors.
func TestGarbagePagesNeverPanic(t *testing.T) {
	good := writeLedger(t, 3000)
	data, _ := os.ReadFile(good)
	for seed := 0; seed < 8; seed++ {
		b := append([]byte(nil), data...)
		buf := make([]byte, len(b)-2*4096)
		rand.Read(buf)
		// Damage a slice of pages, not all: some reads then succeed.
		from := 2*4096 + (seed*len(buf)/8)/4096*4096
		copy(b[from:], buf[:min(len(buf)/8, len(b)-from)])
		p := filepath.Join(t.TempDir(), "damaged.db")
		os.WriteFile(p, b, 0o600)
		done := make(chan error, 1)
		go func() { done <- openNoPanic(t, p, Options{ReadOnly: seed%2 == 0, DeferCheck: seed%4 == 0}) }()
		select {
		case err := <-done:
			t.Logf("seed %d: %v", seed, err)
			if err != nil && !strings.Contains(err.Error(), p) {
				t.Errorf("seed %d: error does not name the file: %v", seed, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("seed %d: hangs on a damaged file", seed)
		}
	}
}

func TestSchemaNewerThanBinaryIsRefused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, _ := Open(p, Options{})
	db.update(func(tx *bolt.Tx, _ *txLog) error { return tx.Bucket(bMeta).Put(kSchema, u64(SchemaVersion+1)) })
	db.Close()
	for _, ro := range []bool{false, true} {
		if _, err := Open(p, Options{ReadOnly: ro}); !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "newer") {
			t.Fatalf("read-only=%v: err = %v", ro, err)
		}
	}
}

// TestDeferredCheckReportsWhatOpenWould: with DeferCheck, a read-only
// Open leaves the schema check to the first operation, which fails with
// the error Open would have given, worded the same; so does every later
// operation until one passes the check; a good ledger reads as usual.
func TestDeferredCheckReportsWhatOpenWould(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	db, _ := Open(newer, Options{})
	db.update(func(tx *bolt.Tx, _ *txLog) error { return tx.Bucket(bMeta).Put(kSchema, u64(SchemaVersion+1)) })
	db.Close()
	older := filepath.Join(dir, "older.db")
	writeV1(t, older, []Record{{Type: TypePayin, State: StateSuccess, AppRef: "cp-1", Created: time.Now()}})
	bare := filepath.Join(dir, "bare.db") // bbolt's empty file: created, never migrated
	bdb, _ := bolt.Open(bare, 0o600, nil)
	bdb.Close()
	for _, c := range []struct {
		path string
		want error
	}{{newer, ErrSchema}, {older, ErrSchema}, {bare, ErrNoLedger}} {
		_, openErr := Open(c.path, Options{ReadOnly: true})
		if !errors.Is(openErr, c.want) {
			t.Fatalf("%s: Open: %v, want %v", c.path, openErr, c.want)
		}
		db, err := Open(c.path, Options{ReadOnly: true, DeferCheck: true})
		if err != nil {
			t.Fatalf("%s: a deferred check failed at Open: %v", c.path, err)
		}
		_, _, serr := db.Setting("lang") // a first operation whose error a caller may ignore
		_, lerr := db.List(Filter{}, 50, "")
		_, gerr := db.Get(1)
		scerr := db.Scan(t.Context(), Filter{}, func(Record) bool { return true })
		for i, err := range []error{serr, lerr, gerr, scerr} {
			if !errors.Is(err, c.want) || err.Error() != openErr.Error() {
				t.Errorf("%s: operation %d: %v; want Open's %q", c.path, i, err, openErr)
			}
		}
		db.Close()
	}
	good := writeLedger(t, 100)
	db, err := Open(good, Options{ReadOnly: true, DeferCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if !db.unchecked.Load() {
		t.Fatal("Open checked the schema itself")
	}
	if p, err := db.List(Filter{}, 50, ""); err != nil || len(p.Records) != 50 {
		t.Fatalf("List: %d records, %v", len(p.Records), err)
	}
	if db.unchecked.Load() {
		t.Fatal("the first operation did not record its check")
	}
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{ReadOnly: true, DeferCheck: true}); !errors.Is(err, ErrNoLedger) {
		t.Fatalf("a missing file: %v", err)
	}
}

// writeV1 writes a schema-1 file by hand (meta, records, settings; no
// indexes, no counters), as an older coolpay would have left it.
func writeV1(t *testing.T, p string, recs []Record) {
	t.Helper()
	bdb, err := bolt.Open(p, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket([]byte("meta"))
		meta.Put([]byte("schema"), u64(1))
		s, _ := tx.CreateBucket([]byte("settings"))
		s.Put([]byte("lang"), []byte("en"))
		b, _ := tx.CreateBucket([]byte("records"))
		for i := range recs {
			id, _ := b.NextSequence()
			recs[i].ID = id
			if err := b.Put(u64(id), appendRecord(nil, &recs[i])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrationFromSchema1(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	gen := Synthesize(500, 5, time.Now())
	recs := make([]Record, 500)
	for i := range recs {
		recs[i] = gen(i)
	}
	recs[7].Synthetic = false
	writeV1(t, p, recs)

	if _, err := Open(p, Options{ReadOnly: true}); !errors.Is(err, ErrSchema) || !strings.Contains(err.Error(), "needs upgrading") {
		t.Fatalf("read-only open of a schema-1 file: %v", err)
	}
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.view(func(tx *bolt.Tx) error {
		if v := getU64(tx.Bucket(bMeta), kSchema); v != SchemaVersion {
			t.Errorf("schema after migration = %d", v)
		}
		return nil
	})
	checkIndexes(t, db)
	all := map[uint64]Record{}
	for _, r := range recs {
		all[r.ID] = r
	}
	for _, f := range []Filter{{States: []State{StateFailed}}, {Types: []Type{TypePaylink}, Operator: "CARD"}, {Since: recs[250].Created}} {
		pg, err := db.List(f, 1000, "")
		if want := ids(reference(all, f)); err != nil || fmt.Sprint(ids(pg.Records)) != fmt.Sprint(want) {
			t.Fatalf("%+v after migration: %d records, want %d (%v)", f, len(pg.Records), len(want), err)
		}
	}
	if r, err := db.ByTransactionRef(recs[42].TransactionRef); recs[42].TransactionRef != "" && (err != nil || r.ID != recs[42].ID) {
		t.Fatalf("lookup after migration: %v", err)
	}
	if real, _ := db.HasReal(); !real {
		t.Fatal("the real record was not counted")
	}
	if v, _, _ := db.Setting("lang"); v != "en" {
		t.Fatal("settings lost in migration")
	}
	// New records keep working on the migrated file.
	r := Record{Type: TypePayin, State: StatePending, AppRef: "after"}
	if err := db.Create(&r); err != nil || r.ID != 501 {
		t.Fatalf("Create after migration: id %d, %v", r.ID, err)
	}
	checkIndexes(t, db)
}

// TestPrivateKeyNeverInFile pushes a known key through every path of the
// store that could carry it and then looks for it in the file's bytes.
func TestPrivateKeyNeverInFile(t *testing.T) {
	var kb [24]byte
	rand.Read(kb[:])
	key := "sk-test-" + hex.EncodeToString(kb[:])
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"private_key", "PRIVATE_KEY", "privateKey", "keys.private", "coolpay_private_key_backup"} {
		if err := db.SetSetting(name, key); !errors.Is(err, ErrSecretSetting) {
			t.Errorf("SetSetting(%q) = %v, want ErrSecretSetting", name, err)
		}
	}
	// The legitimate paths, as the console uses them: settings and records
	// whose request bodies never include the key (it goes in a header).
	db.SetSetting("public_key", "118a4852-7df8-46d9-834b-23b4ef25aaab")
	db.SetSetting("base_url", "https://my-coolpay.com/api")
	r := Record{Type: TypePayout, State: StateNew, AppRef: "cp-1", Operator: "MCP",
		Request: `{"transaction_amount":100,"transaction_operator":"MCP","customer_username":"fotso"}`}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	db.Update(r.ID, func(x *Record) error { x.State = StateSuccess; return nil })
	Seed(db, 200, 1, true)
	db.Close()
	if rawContains(t, p, key) {
		t.Fatal("the private key is in the ledger file")
	}
	// The scan itself works: a value that was stored is found.
	if !rawContains(t, p, "118a4852-7df8-46d9-834b-23b4ef25aaab") {
		t.Fatal("raw scan cannot see stored settings; the check above proves nothing")
	}
}
