package store

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The PostgreSQL engine: the same ledger as the bbolt file, held by a
// PostgreSQL database that several desks (machines) share. *DB stays the one
// type every caller uses; when it was opened on a postgres:// URL its
// methods hand over to the pgLedger below (see the first line of each).
// Records are stored in bbolt's own codec (record.go) beside the columns the
// queries select on, and every filter is checked again on the decoded value
// by the same code as bbolt's (query.match): both engines answer a Filter
// alike by construction. See pg_*.go for owners, queries and migrations.

// ErrUnreachable: the PostgreSQL database could not be reached (down,
// network, wrong address). Commands exit with the "ledger busy" code (3) on
// it, and nothing is sent: no payment leaves without its journal row.
var ErrUnreachable = errors.New("the ledger's database cannot be reached")

// ErrInsecure: a database on another machine asked for without TLS.
var ErrInsecure = errors.New("refusing to reach a remote ledger database without TLS")

// IsURL reports whether a --db value names a PostgreSQL database rather
// than a bbolt file.
func IsURL(s string) bool {
	l := strings.ToLower(s)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// Redact is a ledger location fit for a screen, a log or an error: a
// PostgreSQL URL loses its password (and any password parameter); a file
// path is returned as is.
func Redact(s string) string {
	if !IsURL(s) {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		// Unparseable: keep only the scheme; the rest may hold a password.
		i := strings.Index(s, "://")
		return s[:i+3] + "…"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// pgOpTimeout bounds one operation (a query, a transaction) on the server.
const pgOpTimeout = 15 * time.Second

// pgLedger is a ledger held by PostgreSQL.
type pgLedger struct {
	db       *DB // the facade: now, readOnly, path (redacted)
	pool     *pgxpool.Pool
	connCfg  *pgx.ConnConfig // for the dedicated owner and batch sessions
	password string          // only to scrub it from errors

	ownerMu  sync.Mutex
	owner    string
	ownerKey int64
	ownerCn  *pgx.Conn
	stopRenw chan struct{}
	renewWG  sync.WaitGroup

	listen pgListener // LISTEN for other desks' writes (pg_listen.go)

	// downAt is when an operation last found the server unreachable
	// (unix nanoseconds): pooled sessions are checked before use for a
	// while after it, so a restarted server's dead sessions are not
	// handed out.
	downAt atomic.Int64
}

// pgRecheck is how long after an outage pooled sessions are pinged before
// each use (otherwise only those idle more than a second are).
const pgRecheck = time.Minute

// PasswordFunc, when set, gives the password of a PostgreSQL ledger whose
// URL, environment and .pgpass hold none (the OS keyring, service
// "coolpay-db"). It is asked with the user and host.
type PasswordFunc func(user, host string) (string, error)

// pgPassword is set by the command layer (it knows the keyring; store does
// not).
var (
	pgPasswordMu sync.Mutex
	pgPassword   PasswordFunc
)

// SetPasswordSource installs where a PostgreSQL ledger's password comes from
// when the URL, PGPASSWORD and .pgpass have none.
func SetPasswordSource(f PasswordFunc) {
	pgPasswordMu.Lock()
	pgPassword = f
	pgPasswordMu.Unlock()
}

// isLoopback reports whether host is this machine: a Unix socket directory,
// localhost or a loopback address.
func isLoopback(host string) bool {
	if host == "" || strings.HasPrefix(host, "/") || strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// checkTransport refuses a plain-text connection to another machine: every
// host pgx could try (sslmode prefer and allow include a plain fallback)
// must either be on loopback or use TLS.
func checkTransport(cfg *pgconn.Config, shown string) error {
	type try struct {
		host string
		tls  bool
	}
	tries := []try{{cfg.Host, cfg.TLSConfig != nil}}
	for _, fb := range cfg.Fallbacks {
		tries = append(tries, try{fb.Host, fb.TLSConfig != nil})
	}
	for _, t := range tries {
		if !t.tls && !isLoopback(t.host) {
			return fmt.Errorf("%w: %s is on another machine and the URL allows a connection without TLS; "+
				"add sslmode=verify-full (with sslrootcert=… for a private CA) or sslmode=require to the URL", ErrInsecure, shown)
		}
	}
	return nil
}

// CheckURL says, without connecting, whether rawURL is a PostgreSQL URL
// Open would try: one pgx can parse, and that cannot reach another machine
// without TLS (ErrInsecure). Its errors never hold the password. A screen
// checking what was typed gets Open's own words before any network wait.
func CheckURL(rawURL string) error {
	_, err := parsePG(rawURL)
	return err
}

// parsePG parses rawURL as Open does (libpq's environment and .pgpass
// included) and refuses a plain-text connection to another machine.
func parsePG(rawURL string) (*pgxpool.Config, error) {
	shown := Redact(rawURL)
	cfg, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		// pgx's parse errors may quote the string: say only what it is.
		return nil, fmt.Errorf("ledger %s: not a usable PostgreSQL URL (%s)", shown, scrubParse(err, rawURL))
	}
	if err := checkTransport(cfg.ConnConfig.Config.Copy(), shown); err != nil {
		return nil, err
	}
	return cfg, nil
}

// openPG opens (and creates or migrates, unless read-only) the ledger held
// by the database at rawURL.
func openPG(rawURL string, o Options) (*DB, error) {
	shown := Redact(rawURL)
	cfg, err := parsePG(rawURL)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.Password == "" {
		pgPasswordMu.Lock()
		pf := pgPassword
		pgPasswordMu.Unlock()
		if pf != nil {
			if pw, err := pf(cfg.ConnConfig.User, cfg.ConnConfig.Host); err == nil && pw != "" {
				cfg.ConnConfig.Password = pw
			}
		}
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if _, set := cfg.ConnConfig.RuntimeParams["default_query_exec_mode"]; !set && !strings.Contains(rawURL, "default_query_exec_mode") {
		// One round trip per statement (parameter types from the Go
		// values): a console's first frame waits on a handful of
		// different statements, each of which the default statement
		// cache would first prepare in a round trip of its own.
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeExec
	}
	if cfg.ConnConfig.RuntimeParams == nil {
		cfg.ConnConfig.RuntimeParams = map[string]string{}
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "coolpay"
	}
	// A desk's console holds up to 3 pooled sessions, its owner session
	// and its LISTEN session; idle pooled ones close after a minute, so
	// a shop's desks stay well inside PostgreSQL's default 100.
	cfg.MaxConns = 3
	cfg.MaxConnIdleTime = time.Minute
	db := &DB{path: shown, readOnly: o.ReadOnly, noSync: o.NoSync, timeout: o.Timeout, now: time.Now}
	l := &pgLedger{db: db, connCfg: cfg.ConnConfig.Copy(), password: cfg.ConnConfig.Password}
	// After an outage (a server restart ends every session), a pooled
	// session is pinged before use, and a dead one replaced: the console
	// reconnects by itself and the first write after the restart does not
	// fail on a session that died with the old server.
	cfg.ShouldPing = func(_ context.Context, p pgxpool.ShouldPingParams) bool {
		return p.IdleDuration > time.Second || time.Since(time.Unix(0, l.downAt.Load())) < pgRecheck
	}
	db.pg = l
	ctx, cancel := context.WithTimeout(context.Background(), pgOpTimeout)
	defer cancel()
	l.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, l.wrap("connecting", err)
	}
	if err := l.migrate(ctx, o.ReadOnly); err != nil {
		l.pool.Close()
		return nil, err
	}
	return db, nil
}

// scrubParse is a pgx parse error without the string it quotes.
func scrubParse(err error, raw string) string {
	msg := err.Error()
	if i := strings.Index(msg, raw); i >= 0 {
		msg = msg[:i] + Redact(raw) + msg[i+len(raw):]
	}
	// pgx says "cannot parse `…`: reason"; keep the reason.
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}

// scrubbed is an error whose text had the password taken out; it unwraps
// to the original so errors.Is and As still work.
type scrubbed struct {
	msg string
	err error
}

func (s *scrubbed) Error() string { return s.msg }
func (s *scrubbed) Unwrap() error { return s.err }

// unreachable is the error of a database that did not answer.
type unreachable struct{ err error }

func (u *unreachable) Error() string { return ErrUnreachable.Error() + ": " + u.err.Error() }
func (u *unreachable) Unwrap() []error {
	return []error{ErrUnreachable, u.err}
}

// wrap names the ledger (redacted) and what was being done in err, takes
// any password out of its text, and marks a connection failure with
// ErrUnreachable. Errors of coolpay's own (ErrNotFound, a callback's) pass
// through unchanged.
func (l *pgLedger) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	for _, own := range []error{ErrNotFound, ErrEventsRewritten, ErrSecretSetting, ErrSchema, ErrBadCursor, errReadOnly,
		context.Canceled, ErrBusyBatch} {
		if errors.Is(err, own) {
			return err
		}
	}
	var pge *pgconn.PgError
	var ce *pgconn.ConnectError
	isPG := errors.As(err, &pge)
	if isPG && strings.HasPrefix(pge.Code, "28") {
		// Refused credentials (28P01 password, 28000 pg_hba): the server
		// answered; retrying will not help, the password or the role must
		// change. Not "unreachable".
		err = fmt.Errorf("%w (check the password: URL, PGPASSWORD, .pgpass or the keyring's coolpay-db entry)", err)
	} else if errors.As(err, &ce) || !isPG && !errors.Is(err, ErrUnreachable) && !errors.Is(err, errCodec) && !errors.Is(err, ErrCorrupt) {
		err = &unreachable{err}
		l.downAt.Store(time.Now().UnixNano())
		if l.pool != nil {
			// Every pooled session is likely dead with this one
			// (the server restarted, the network broke): drop them.
			l.pool.Reset()
		}
	}
	msg := fmt.Sprintf("ledger %s: %s: %v", l.db.path, what, err)
	if l.password != "" {
		msg = strings.ReplaceAll(msg, l.password, "xxxxx")
	}
	return &scrubbed{msg: msg, err: err}
}

// ctx is the context of one operation.
func (l *pgLedger) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), pgOpTimeout)
}

// tx runs fn in a transaction, then counts and logs the change (as bbolt's
// update does: changes.go) and notifies listeners, in the same transaction.
func (l *pgLedger) tx(what string, fn func(ctx context.Context, tx pgx.Tx, log *pgLog) error) error {
	if l.db.readOnly {
		return errReadOnly
	}
	ctx, cancel := l.ctx()
	defer cancel()
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		var log pgLog
		if err := fn(ctx, tx, &log); err != nil {
			return err
		}
		return log.commit(ctx, tx)
	})
	return l.wrap(what, err)
}

// pgLog is txLog plus the counters bbolt keeps in its meta bucket.
type pgLog struct {
	txLog
	count, real int64
}

// commit is the last statement of every write transaction: the meta row's
// lock orders the writers, so change numbers commit in order and a reader
// of the log never skips one still in flight (a sequence would not).
func (l *pgLog) commit(ctx context.Context, tx pgx.Tx) error {
	var n int64
	err := tx.QueryRow(ctx, `UPDATE coolpay_meta SET changes = changes + 1, count = count + $1, real = real + $2
		RETURNING changes`, l.count, l.real).Scan(&n)
	if err != nil {
		return err
	}
	var flags int16
	if l.settings {
		flags |= changeSettings
	}
	if l.all {
		flags |= changeAll
	}
	ids := make([]int64, len(l.ids))
	for i, id := range l.ids {
		ids[i] = int64(id)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO coolpay_changes (n, flags, ids) VALUES ($1, $2, $3)`, n, flags, ids); err != nil {
		return err
	}
	if n > changeLogKeep && n%64 == 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM coolpay_changes WHERE n <= $1`, n-changeLogKeep); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `SELECT pg_notify('coolpay_changes', $1)`, fmt.Sprint(n))
	return err
}

func (l *pgLedger) close() error {
	l.listen.once.Do(func() {}) // no listener may start from now on
	l.stopListening()
	l.releaseOwner()
	l.pool.Close()
	return nil
}

// Shared reports whether the ledger is held by a database server (several
// desks may use it at once) rather than a file on this machine.
func (db *DB) Shared() bool { return db.pg != nil }

// LockBatches takes the ledger's batch lock on a PostgreSQL ledger (one
// batch is sent at a time, by one desk); the function returned releases
// it, and so does the process's end. A bbolt ledger's batch lock is a file
// beside it (ui/batch); there it returns an error.
func (db *DB) LockBatches() (func(), error) {
	if db.pg == nil {
		return nil, errors.New("the batch lock of a ledger file is a file beside it")
	}
	if db.readOnly {
		return nil, errReadOnly
	}
	return db.pg.lockBatches()
}

// ServerInfo describes the database holding a shared ledger (doctor).
type ServerInfo struct {
	Version  string // the server's version
	Schema   int    // coolpay's schema version there
	TLS      bool   // this session is encrypted
	CanWrite bool   // the role may read and write every coolpay table and take record ids
}

// Server describes the PostgreSQL server of a shared ledger; for a ledger
// file it returns an error.
func (db *DB) Server() (ServerInfo, error) {
	if db.pg == nil {
		return ServerInfo{}, errors.New("a ledger file has no server")
	}
	l := db.pg
	ctx, cancel := l.ctx()
	defer cancel()
	var si ServerInfo
	err := l.pool.QueryRow(ctx, `SELECT current_setting('server_version'),
		(SELECT coalesce(max(version), 0) FROM coolpay_schema),
		coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false),
		(SELECT bool_and(has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
			AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))
			FROM pg_class c WHERE c.relname IN ('coolpay_records', 'coolpay_meta', 'coolpay_changes',
				'coolpay_settings', 'coolpay_claims', 'coolpay_owners') AND c.relkind = 'r' AND pg_table_is_visible(c.oid))
			AND has_sequence_privilege('coolpay_record_ids', 'USAGE')`).
		Scan(&si.Version, &si.Schema, &si.TLS, &si.CanWrite)
	return si, l.wrap("describing the server", err)
}
