package ledgertest_test

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/ledgertest"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	ledgertest.Helper()
	os.Exit(pgtest.Main(m))
}

func TestBoltEngine(t *testing.T) {
	ledgertest.Run(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "ledger.db") })
}

func TestPostgresEngine(t *testing.T) {
	pgtest.URL(t) // skip the whole engine at once when there is no PostgreSQL
	ledgertest.Run(t, func(t *testing.T) string { return pgtest.URL(t) })
}

func TestPostgresBatchLock(t *testing.T) {
	loc := pgtest.URL(t)
	a, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, _ := store.Open(loc, store.Options{})
	defer b.Close()
	release, err := a.LockBatches()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.LockBatches(); !errors.Is(err, store.ErrBusyBatch) {
		t.Fatalf("second desk: %v, want ErrBusyBatch", err)
	}
	release()
	r2, err := b.LockBatches()
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	r2()
}

// Two desks starting at once on an empty database both end up on the
// current schema; a database of a newer schema is refused.
func TestPostgresSchema(t *testing.T) {
	loc := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db, err := store.Open(loc, store.Options{})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent first opens: %v", err)
		}
	}
	cn, err := pgx.Connect(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer cn.Close(context.Background())
	var n int
	cn.QueryRow(context.Background(), `SELECT count(*) FROM coolpay_schema`).Scan(&n)
	if n != store.PGSchemaVersion {
		t.Fatalf("%d migration rows, want %d (each applied once)", n, store.PGSchemaVersion)
	}
	// Debian's server package ships pg_trgm, and a database owner may
	// create it: text search has its trigram index.
	var idx int
	cn.QueryRow(context.Background(), `SELECT count(*) FROM pg_indexes WHERE indexname IN ('coolpay_records_search', 'coolpay_records_name')`).Scan(&idx)
	if idx != 2 {
		t.Fatalf("%d trigram indexes, want 2", idx)
	}
	if _, err := cn.Exec(context.Background(), `INSERT INTO coolpay_schema (version, what) VALUES (99, 'future')`); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(loc, store.Options{}); !errors.Is(err, store.ErrSchema) {
		t.Fatalf("newer schema: %v, want ErrSchema", err)
	}
}

// A read-only open of an empty database creates nothing.
func TestPostgresReadOnlyEmpty(t *testing.T) {
	loc := pgtest.URL(t)
	if _, err := store.Open(loc, store.Options{ReadOnly: true}); !errors.Is(err, store.ErrNoLedger) {
		t.Fatalf("read-only open of an empty database: %v, want ErrNoLedger", err)
	}
}

func TestRemoteWithoutTLSRefused(t *testing.T) {
	for _, u := range []string{
		"postgres://shop:s3cret@10.1.2.3/coolpay?sslmode=disable",
		"postgres://shop:s3cret@db.example.com/coolpay", // libpq's default is prefer: may fall back to plain text
		"postgresql://shop:s3cret@db.example.com/coolpay?sslmode=allow",
	} {
		_, err := store.Open(u, store.Options{})
		if !errors.Is(err, store.ErrInsecure) {
			t.Fatalf("%s: %v, want ErrInsecure", store.Redact(u), err)
		}
		if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "sslmode=verify-full") {
			t.Fatalf("message %q: must hide the password and say how to fix it", err)
		}
		// The same refusal without a connection, for a screen checking
		// what was typed.
		if cerr := store.CheckURL(u); !errors.Is(cerr, store.ErrInsecure) || cerr.Error() != err.Error() {
			t.Fatalf("CheckURL(%s) = %v, want Open's %v", store.Redact(u), cerr, err)
		}
	}
	if err := store.CheckURL("postgres://shop:s3cret@db.example.com:notaport/coolpay"); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("CheckURL of a bad port: %v", err)
	}
	if err := store.CheckURL("postgres://shop@127.0.0.1/coolpay?sslmode=disable"); err != nil {
		t.Fatalf("CheckURL of loopback without TLS: %v", err)
	}
}

// A database that does not answer: Open fails with ErrUnreachable (so
// commands exit 3) and the password is in no error.
func TestPostgresUnreachable(t *testing.T) {
	u := "postgres://shop:s3cretPW@127.0.0.1:1/coolpay?sslmode=disable&connect_timeout=2"
	_, err := store.Open(u, store.Options{})
	if !errors.Is(err, store.ErrUnreachable) {
		t.Fatalf("%v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "s3cretPW") {
		t.Fatalf("the password is in the error: %v", err)
	}
}

// The server goes away under an open ledger: a payment is refused (no
// journal row, so nothing may be sent) with ErrUnreachable.
func TestPostgresGoneAfterOpen(t *testing.T) {
	loc := pgtest.URL(t)
	db, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Take the database away: rename it under the desk (its sessions are
	// terminated first), as a dropped server or a network cut would.
	admin, err := pgx.Connect(context.Background(), pgtest.Admin(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	pu, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(pu.Path, "/")
	if _, err := admin.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(context.Background(), `ALTER DATABASE `+name+` RENAME TO `+name+`_gone`); err != nil {
		t.Fatal(err)
	}
	r := store.Record{Type: store.TypePayout, State: store.StateNew, AppRef: "x", Amount: "100", Currency: "XAF"}
	err = db.Create(&r)
	if !errors.Is(err, store.ErrUnreachable) || r.ID != 0 {
		t.Fatalf("Create with the database gone: id %d, %v; want ErrUnreachable", r.ID, err)
	}
	if strings.Contains(err.Error(), "Secret") {
		t.Fatalf("the password is in the error: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://shop:pw@db:5432/coolpay?sslmode=require":    "postgres://shop@db:5432/coolpay?sslmode=require",
		"postgres://db/coolpay?password=pw&sslmode=verify-full": "postgres://db/coolpay?sslmode=verify-full",
		"/home/awa/.local/share/coolpay/ledger.db":              "/home/awa/.local/share/coolpay/ledger.db",
		"postgresql://shop:p%40ss@db/coolpay":                   "postgresql://shop@db/coolpay",
	} {
		if got := store.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// Another desk's write wakes a listening desk within a second (LISTEN /
// pg_notify in the writing transaction), so its console need not wait for
// its next poll. A ledger file has no such channel: it is polled.
func TestPostgresNotify(t *testing.T) {
	loc := pgtest.URL(t)
	a, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := store.Open(loc, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ch := b.Notify()
	if ch == nil {
		t.Fatal("no notification channel on a PostgreSQL ledger")
	}
	write := func(i int) {
		if err := a.SetSetting("tick", strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	// The listening session starts in the background: write until it
	// hears one, then drain.
	primed := false
	for i := 0; i < 20 && !primed; i++ {
		write(i)
		select {
		case <-ch:
			primed = true
		case <-time.After(500 * time.Millisecond):
		}
	}
	if !primed {
		t.Fatal("the listening desk never heard a write")
	}
	select {
	case <-ch:
	default:
	}
	start := time.Now()
	write(100)
	select {
	case <-ch:
	case <-time.After(time.Second):
		t.Fatal("another desk's write did not wake this one within 1 s")
	}
	t.Logf("woken %v after the write", time.Since(start))
	file, err := store.Open(filepath.Join(t.TempDir(), "l.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if file.Notify() != nil {
		t.Fatal("a ledger file has a notification channel")
	}
}

// libpq's environment and password file work as with psql: a bare
// postgres:// takes the server, role and database from PGHOST, PGPORT,
// PGUSER, PGDATABASE and the password from PGPASSFILE (the test server asks
// for it).
func TestPostgresLibpqEnvironment(t *testing.T) {
	loc := pgtest.URL(t)
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	db := strings.TrimPrefix(u.Path, "/")
	pass := filepath.Join(t.TempDir(), "pgpass")
	line := u.Hostname() + ":" + u.Port() + ":" + db + ":" + u.User.Username() + ":" + pw + "\n"
	if err := os.WriteFile(pass, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{"PGHOST": u.Hostname(), "PGPORT": u.Port(), "PGUSER": u.User.Username(),
		"PGDATABASE": db, "PGSSLMODE": "disable", "PGPASSFILE": pass, "PGPASSWORD": ""} {
		t.Setenv(k, v)
	}
	os.Unsetenv("PGPASSWORD")
	l, err := store.Open("postgres://", store.Options{})
	if err != nil {
		t.Fatalf("postgres:// with libpq's environment: %v", err)
	}
	defer l.Close()
	r := store.Record{Type: store.TypePayin, State: store.StatePending, AppRef: "env", Amount: "1", Currency: "XAF"}
	if err := l.Create(&r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(l.Path(), pw) {
		t.Fatalf("Path() shows the password: %s", l.Path())
	}
}
