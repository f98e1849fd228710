package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Owners across machines. A desk that journals a NEW record holds, on a
// session of its own, an advisory lock (class pgLockOwnerClass, a random
// object) and a lease row in coolpay_owners whose expires_at it renews
// every pgLease/3. Another desk takes the owner for gone — and may mark its
// NEW records UNKNOWN — only when the lock is no longer held (the session
// ended: the process died, even by SIGKILL, or lost its connection) or the
// lease ran out (the process is stuck or cut off from the database while
// its session lingers on the server). Both are the server's facts, read
// with the server's clock: no desk's clock or pid decides.

// pgLease is how long an owner's lease lasts without renewal. Tests shorten
// it.
var pgLease = 30 * time.Second

func (l *pgLedger) ownerToken() (string, error) {
	l.ownerMu.Lock()
	defer l.ownerMu.Unlock()
	if l.owner != "" {
		return l.owner, nil
	}
	if l.db.readOnly {
		return "", errReadOnly
	}
	ctx, cancel := l.ctx()
	defer cancel()
	cn, err := pgx.ConnectConfig(ctx, l.connCfg.Copy())
	if err != nil {
		return "", l.wrap("owner session", err)
	}
	var b [8]byte
	rand.Read(b[:])
	token := strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b[:])
	var key int32
	for {
		var kb [4]byte
		rand.Read(kb[:])
		key = int32(binary.BigEndian.Uint32(kb[:]) & 0x7fffffff)
		if key == 0 {
			continue
		}
		var ok bool
		if err := cn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(pgLockOwnerClass), key).Scan(&ok); err != nil {
			cn.Close(context.Background())
			return "", l.wrap("owner lock", err)
		}
		if ok {
			break
		}
	}
	host, _ := os.Hostname()
	_, err = cn.Exec(ctx, `INSERT INTO coolpay_owners (token, lock_key, host, pid, expires_at)
		VALUES ($1, $2, $3, $4, now() + $5::interval)`, token, key, host, os.Getpid(), pgInterval(pgLease))
	if err == nil {
		// Leases long expired are of nobody: their records are already
		// seen as orphans (no row, no lock), the rows only pile up.
		_, err = cn.Exec(ctx, `DELETE FROM coolpay_owners WHERE expires_at < now() - interval '1 day'`)
	}
	if err != nil {
		cn.Close(context.Background())
		return "", l.wrap("owner lease", err)
	}
	l.owner, l.ownerKey, l.ownerCn = token, int64(key), cn
	l.stopRenw = make(chan struct{})
	l.renewWG.Add(1)
	go l.renew(token, cn, l.stopRenw)
	return token, nil
}

func pgInterval(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + " milliseconds"
}

// renew extends the lease until stop closes. When it cannot (the session
// is gone), the token is dropped: its records are others' to settle from
// now on, and the next NEW record takes a fresh owner.
func (l *pgLedger) renew(token string, cn *pgx.Conn, stop chan struct{}) {
	defer l.renewWG.Done()
	t := time.NewTicker(pgLease / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), pgLease/3)
		l.ownerMu.Lock()
		var tag int64 = -1
		if l.owner == token {
			ct, err := cn.Exec(ctx, `UPDATE coolpay_owners SET expires_at = now() + $2::interval WHERE token = $1 AND expires_at > now()`,
				token, pgInterval(pgLease))
			if err == nil {
				tag = ct.RowsAffected()
			} else {
				tag = 0
			}
		}
		if tag == 0 {
			// Lost: the lease ran out or the session broke.
			l.owner, l.ownerKey = "", 0
			l.ownerCn = nil
			cn.Close(context.Background())
		}
		l.ownerMu.Unlock()
		cancel()
		if tag <= 0 {
			return
		}
	}
}

// releaseOwner ends the lease and the session: this process's NEW records
// are orphans from now on, as after a crash.
func (l *pgLedger) releaseOwner() {
	l.ownerMu.Lock()
	stop, cn, token := l.stopRenw, l.ownerCn, l.owner
	l.stopRenw, l.ownerCn, l.owner, l.ownerKey = nil, nil, "", 0
	l.ownerMu.Unlock()
	if stop != nil {
		close(stop)
	}
	l.renewWG.Wait()
	if cn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		cn.Exec(ctx, `DELETE FROM coolpay_owners WHERE token = $1`, token)
		cn.Close(ctx) // ends the session: the advisory lock goes with it
		cancel()
	}
}

// ownersAlive answers, for each token, whether its holder still holds its
// lock and its lease: one query for them all.
func (l *pgLedger) ownersAlive(tokens []string) (map[string]bool, error) {
	alive := make(map[string]bool, len(tokens))
	var ask []string
	l.ownerMu.Lock()
	for _, t := range tokens {
		if t != "" && t == l.owner {
			alive[t] = true
		} else if ownerRE().MatchString(t) {
			ask = append(ask, t)
		}
	}
	l.ownerMu.Unlock()
	if len(ask) == 0 {
		return alive, nil
	}
	ctx, cancel := l.ctx()
	defer cancel()
	rows, err := l.pool.Query(ctx, `SELECT o.token FROM coolpay_owners o
		WHERE o.token = ANY($1) AND o.expires_at > now() AND EXISTS (
			SELECT 1 FROM pg_locks k
			WHERE k.locktype = 'advisory' AND k.granted AND k.objsubid = 2
			AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND k.classid::bigint = $2 AND k.objid::bigint = o.lock_key)`, ask, int64(pgLockOwnerClass))
	if err != nil {
		return nil, l.wrap("checking owners", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, l.wrap("checking owners", err)
		}
		alive[t] = true
	}
	return alive, l.wrap("checking owners", rows.Err())
}

func (l *pgLedger) ownerAlive(owner string) (bool, error) {
	m, err := l.ownersAlive([]string{owner})
	return m[owner], err
}

func (l *pgLedger) orphaned() ([]Record, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	recs, err := l.records(ctx, l.pool, `SELECT id, data FROM coolpay_records WHERE state = $1 ORDER BY id DESC`, string(StateNew))
	if err != nil {
		return nil, l.wrap("reading NEW records", err)
	}
	var tokens []string
	for _, r := range recs {
		tokens = append(tokens, r.Owner)
	}
	alive, err := l.ownersAlive(tokens)
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range recs {
		if !alive[r.Owner] {
			out = append(out, r)
		}
	}
	return out, nil
}

// ErrBusyBatch: another desk is sending a batch on this ledger.
var ErrBusyBatch = errors.New("another coolpay is sending a batch on this ledger: wait for it to finish")

// lockBatches takes the ledger's batch lock: a session advisory lock on a
// connection of its own, dropped by the release function or when the
// process dies (its session ends).
func (l *pgLedger) lockBatches() (func(), error) {
	ctx, cancel := l.ctx()
	defer cancel()
	cn, err := pgx.ConnectConfig(ctx, l.connCfg.Copy())
	if err != nil {
		return nil, l.wrap("batch lock", err)
	}
	var ok bool
	if err := cn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, int32(pgLockClass), int32(pgLockBatch)).Scan(&ok); err != nil {
		cn.Close(context.Background())
		return nil, l.wrap("batch lock", err)
	}
	if !ok {
		who := ""
		var app, addr string
		if cn.QueryRow(ctx, `SELECT coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local') FROM pg_locks k
			JOIN pg_stat_activity a ON a.pid = k.pid
			WHERE k.locktype = 'advisory' AND k.granted AND k.classid::bigint = $1 AND k.objid::bigint = $2 LIMIT 1`,
			int64(pgLockClass), int64(pgLockBatch)).Scan(&app, &addr) == nil {
			who = fmt.Sprintf(" (%s from %s)", app, addr)
		}
		cn.Close(context.Background())
		return nil, fmt.Errorf("%w%s", ErrBusyBatch, who)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cn.Close(ctx)
	}, nil
}

// SetOwnerLease sets how long a PostgreSQL owner's lease lasts without
// renewal (default 30 s; renewed every third of it). For tests that show a
// stuck desk's records become orphans once its lease runs out; call it
// before opening.
func SetOwnerLease(d time.Duration) { pgLease = d }
