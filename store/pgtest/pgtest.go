// Package pgtest gives tests a real PostgreSQL database: the one named by
// $COOLPAY_TEST_PG (a URL to a server where the role may create roles and
// databases), else a throwaway cluster started on loopback from the server
// binaries installed on this machine (Debian's postgresql package). Each
// call to URL makes a fresh database, so tests and packages do not see each
// other's ledgers.
//
// Without PostgreSQL, tests that need it are skipped with a line saying so,
// unless CI=true: then they fail, so CI cannot pass without running them.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

var (
	once    sync.Once
	base    string // URL of the server, database "postgres" or as given
	setup   error
	cluster *server
)

type server struct {
	bin, dir string
	asPG     bool
	opts     string // the postgres options it was started with
	mu       sync.Mutex
}

func (s *server) run(name string, args ...string) *exec.Cmd {
	path := filepath.Join(s.bin, name)
	if s.asPG {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// Bin is the directory of the newest installed PostgreSQL server binaries,
// or "" when there are none.
func Bin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		// Debian links initdb into PATH only through wrappers; the
		// server's own directory holds pg_ctl beside it.
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
			return filepath.Dir(p)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

func version(dir string) int {
	var v int
	fmt.Sscan(filepath.Base(filepath.Dir(dir)), &v)
	return v
}

func start() (string, error) {
	if u := os.Getenv("COOLPAY_TEST_PG"); u != "" {
		return u, nil
	}
	bin := Bin()
	if bin == "" {
		return "", fmt.Errorf("no PostgreSQL server here (initdb not found; install Debian's postgresql package or set COOLPAY_TEST_PG)")
	}
	s := &server{bin: bin}
	if u, err := user.Current(); err == nil && u.Uid == "0" {
		s.asPG = true // initdb refuses root
	}
	parent := ""
	if s.asPG {
		// The postgres user must reach the directory: $TMPDIR may be
		// under root's home.
		parent = "/tmp"
	}
	dir, err := os.MkdirTemp(parent, "coolpay-pg-")
	if err != nil {
		return "", err
	}
	s.dir = dir
	if s.asPG {
		if out, err := exec.Command("chown", "postgres", dir).CombinedOutput(); err != nil {
			return "", fmt.Errorf("chown postgres %s: %v: %s", dir, err, out)
		}
	}
	// Passwords over TCP, as a real server asks them: every test URL
	// carries one (URL), so the password's path through coolpay is real.
	// The superuser comes in through the Unix socket.
	if out, err := s.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "postgres", "--auth-local=trust",
		"--auth-host=scram-sha-256", "--no-sync").CombinedOutput(); err != nil {
		return "", fmt.Errorf("initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	cluster = s
	s.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", port, dir)
	if out, err := s.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-l", filepath.Join(dir, "log"), "-w", "-o", s.opts, "start").CombinedOutput(); err != nil {
		return "", fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&host=%s", port, url.QueryEscape(dir)), nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Main runs a test package's tests and stops the throwaway cluster, if one
// was started. Call it from TestMain: os.Exit(pgtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops and removes the throwaway cluster.
func Stop() {
	if cluster == nil {
		return
	}
	cluster.run("pg_ctl", "-D", filepath.Join(cluster.dir, "data"), "-m", "immediate", "stop").Run()
	os.RemoveAll(cluster.dir)
	cluster = nil
}

// Available reports whether a PostgreSQL server can be had, starting the
// throwaway one if needed.
func Available() error {
	once.Do(func() { base, setup = start() })
	return setup
}

// URL returns the URL of a fresh, empty database owned by a fresh role
// with a password (so tests see the password handled as in real use), or
// skips the test when no PostgreSQL is at hand (fails under CI=true).
func URL(t testing.TB) string {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL engine tests must run in CI: %v", err)
		}
		t.Skipf("PostgreSQL engine tests skipped: %v", err)
	}
	var b [6]byte
	rand.Read(b[:])
	name := "t_" + hex.EncodeToString(b[:])
	pw := "pw" + hex.EncodeToString(b[:3]) + "Secret"
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the test PostgreSQL: %v", err)
	}
	defer cn.Close(ctx)
	for _, q := range []string{
		fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD '%s'`, name, pw),
		fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, name, name),
	} {
		if _, err := cn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", strings.SplitN(q, " PASSWORD", 2)[0], err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("host") // the tests' own sessions come over TCP, with the password
	u.RawQuery = q.Encode()
	u.User = url.UserPassword(name, pw)
	u.Path = "/" + name
	return u.String()
}

// Admin returns the URL of the server's superuser connection (to inspect
// or to terminate sessions in fault tests).
func Admin(t testing.TB) string {
	t.Helper()
	URL(t) // skip or fail as URL does
	return base
}

// Crash stops the throwaway server at once, as a crash does (pg_ctl -m
// immediate: every session ends, nothing is shut down cleanly); Start
// brings it back on the same port with the same data. Tests of a ledger
// that goes away and comes back use them; with $COOLPAY_TEST_PG (a server
// the tests do not own) they skip.
func Crash(t testing.TB) {
	t.Helper()
	s := owned(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl stop: %v: %s", err, out)
	}
}

// Start starts the throwaway server again after Crash (see Crash); a
// running server is left alone.
func Start(t testing.TB) {
	t.Helper()
	s := owned(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "status").Run() == nil {
		return // running
	}
	if out, err := s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-l", filepath.Join(s.dir, "log"), "-w", "-o", s.opts, "start").CombinedOutput(); err != nil {
		t.Fatalf("pg_ctl start: %v: %s", err, out)
	}
}

// Restart is Crash then Start: a real server crash and restart.
func Restart(t testing.TB) {
	t.Helper()
	Crash(t)
	Start(t)
}

func owned(t testing.TB) *server {
	t.Helper()
	if err := Available(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL engine tests must run in CI: %v", err)
		}
		t.Skipf("PostgreSQL engine tests skipped: %v", err)
	}
	if cluster == nil {
		t.Skip("the PostgreSQL server is not this test's own ($COOLPAY_TEST_PG): it cannot be stopped and started")
	}
	return cluster
}
