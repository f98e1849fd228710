package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Records: the codec value in data, the selected-on columns beside it.

// pgNs is the created_ns column of r: timeKey as a signed number, so that
// SQL's order on it is timeKey's (a zero time sorts first).
func pgNs(tk uint64) int64 { return int64(tk ^ 1<<63) }

// searchText is the search column: the eight strings Filter.Search looks in
// (query.matchHead), lower-cased, separated by a byte no typed text holds.
// A record that matches in Go matches the LIKE on this column; the Go check
// then decides.
func searchText(r *Record) string {
	fs := [...]string{r.CustomerName, r.CustomerPhone, r.CustomerEmail, r.CustomerUsername,
		r.Reason, r.TransactionRef, r.AppRef, r.OperatorRef}
	for i := range fs {
		fs[i] = strings.ToLower(fs[i])
	}
	return strings.Join(fs[:], "\x01")
}

// nameText is the words of the customer's name and username between
// spaces, for a word-start LIKE (' mar%').
func nameText(r *Record) string {
	w := nameWords(r)
	if len(w) == 0 {
		return ""
	}
	return " " + strings.Join(w, " ") + " "
}

func cashierKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

const pgRecordCols = `id, created_ns, type, state, operator, app_ref, tx_ref, batch, cashier_key, phone_key, name_text, search, synthetic, data`

func pgRecordArgs(r *Record) []any {
	return []any{int64(r.ID), pgNs(timeKey(r)), string(r.Type), string(r.State), r.Operator, r.AppRef, r.TransactionRef,
		r.Batch, cashierKey(r.Cashier), PhoneKey(r.CustomerPhone), nameText(r), searchText(r), r.Synthetic, appendRecord(nil, r)}
}

func (l *pgLedger) insertRecord(ctx context.Context, tx pgx.Tx, n *Record, log *pgLog) error {
	var id int64
	if err := tx.QueryRow(ctx, `SELECT nextval('coolpay_record_ids')`).Scan(&id); err != nil {
		return err
	}
	n.ID = uint64(id)
	if _, err := tx.Exec(ctx, `INSERT INTO coolpay_records (`+pgRecordCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
		pgRecordArgs(n)...); err != nil {
		return err
	}
	log.add(n.ID)
	log.count++
	if !n.Synthetic {
		log.real++
	}
	return nil
}

func (l *pgLedger) create(n *Record) error {
	return l.tx("recording", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
		return l.insertRecord(ctx, tx, n, log)
	})
}

// insert is Insert: a transaction per insertBatch records, sent with COPY.
func (l *pgLedger) insert(recs []Record, now time.Time) error {
	for start := 0; start < len(recs); start += insertBatch {
		batch := recs[start:min(start+insertBatch, len(recs))]
		err := l.tx("inserting", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
			var first int64
			// One round trip for the ids: the sequence's values are
			// taken as a block.
			rows, err := tx.Query(ctx, `SELECT nextval('coolpay_record_ids') FROM generate_series(1, $1)`, len(batch))
			if err != nil {
				return err
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return err
			}
			_ = first
			src := make([][]any, len(batch))
			for i := range batch {
				r := &batch[i]
				stampTimes(r, now)
				r.ID = uint64(ids[i])
				src[i] = pgRecordArgs(r)
				log.add(r.ID)
				log.count++
				if !r.Synthetic {
					log.real++
				}
			}
			_, err = tx.CopyFrom(ctx, pgx.Identifier{"coolpay_records"}, strings.Split(strings.ReplaceAll(pgRecordCols, " ", ""), ","),
				pgx.CopyFromRows(src))
			return err
		})
		if err != nil {
			for i := range batch {
				batch[i].ID = 0
			}
			return err
		}
	}
	return nil
}

func decodeRow(id int64, data []byte) (Record, error) {
	var r Record
	if err := decodeRecord(data, &r); err != nil {
		return Record{}, fmt.Errorf("record %d: %w", id, err)
	}
	r.ID = uint64(id)
	return r, nil
}

func (l *pgLedger) update(id uint64, fn func(r *Record) error) (out Record, err error) {
	var fnErr error
	err = l.tx("updating", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
		var data []byte
		err := tx.QueryRow(ctx, `SELECT data FROM coolpay_records WHERE id = $1 FOR UPDATE`, int64(id)).Scan(&data)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		old, err := decodeRow(int64(id), data)
		if err != nil {
			return err
		}
		cur, err := applyUpdate(id, old, fn, l.db.now)
		if err != nil {
			// fn's error (or the append-only check's) is the caller's:
			// it goes back as it was.
			fnErr = err
			return err
		}
		args := pgRecordArgs(&cur)
		if _, err := tx.Exec(ctx, `UPDATE coolpay_records SET created_ns=$2, type=$3, state=$4, operator=$5, app_ref=$6,
			tx_ref=$7, batch=$8, cashier_key=$9, phone_key=$10, name_text=$11, search=$12, synthetic=$13, data=$14 WHERE id=$1`,
			args...); err != nil {
			return err
		}
		log.add(id)
		if old.Synthetic != cur.Synthetic {
			if cur.Synthetic {
				log.real--
			} else {
				log.real++
			}
		}
		out = cur
		return nil
	})
	if fnErr != nil {
		return Record{}, fnErr
	}
	if err != nil {
		return Record{}, err
	}
	return out, nil
}

// one reads a single record by a query returning (id, data).
func (l *pgLedger) one(what, sql string, args ...any) (Record, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	var id int64
	var data []byte
	err := l.pool.QueryRow(ctx, sql, args...).Scan(&id, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Record{}, fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return Record{}, l.wrap(what, err)
	}
	return decodeRow(id, data)
}

func (l *pgLedger) get(id uint64) (Record, error) {
	return l.one(fmt.Sprintf("record %d", id), `SELECT id, data FROM coolpay_records WHERE id = $1`, int64(id))
}

func (l *pgLedger) byRef(col, ref string) (Record, error) {
	if ref == "" {
		return Record{}, fmt.Errorf("empty reference: %w", ErrNotFound)
	}
	return l.one(fmt.Sprintf("reference %q", ref), `SELECT id, data FROM coolpay_records WHERE `+col+` = $1 ORDER BY id DESC LIMIT 1`, ref)
}

// records runs a query returning (id, data) rows and decodes them.
func (l *pgLedger) records(ctx context.Context, q querierAll, sql string, args ...any) ([]Record, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, err
		}
		r, err := decodeRow(id, data)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type querierAll interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (l *pgLedger) byBatch(name string) ([]Record, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	recs, err := l.records(ctx, l.pool, `SELECT id, data FROM coolpay_records WHERE batch = $1`, name)
	if err != nil {
		return nil, l.wrap(fmt.Sprintf("batch %q", name), err)
	}
	slices.SortFunc(recs, func(a, b Record) int {
		if a.BatchLine != b.BatchLine {
			return cmp.Compare(a.BatchLine, b.BatchLine)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return recs, nil
}

// createUnlessRef: the look-up and the insert under a transaction-scoped
// advisory lock on the reference, so two desks placing the same
// transaction make one record.
func (l *pgLedger) createUnlessRef(n *Record) (existing Record, created bool, err error) {
	err = l.tx("recording", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, pgLockClass+1, n.TransactionRef); err != nil {
			return err
		}
		recs, err := l.records(ctx, tx, `SELECT id, data FROM coolpay_records WHERE tx_ref = $1 ORDER BY id DESC LIMIT 1`, n.TransactionRef)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			existing = recs[0]
			return nil
		}
		created = true
		return l.insertRecord(ctx, tx, n, log)
	})
	return existing, created, err
}

// Queries. SQL narrows by the Filter's columns, newest first, in chunks;
// each row is then checked by query.match, bbolt's own matcher, so both
// engines select alike.

// pgWhere is the SQL pre-filter of f after position after: a superset of
// what f matches.
func pgWhere(f Filter, after pos) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(f.Types) > 0 {
		conds = append(conds, "type = ANY("+arg(typesOf(f.Types))+")")
	}
	if len(f.States) > 0 {
		conds = append(conds, "state = ANY("+arg(statesOf(f.States))+")")
	}
	if f.Operator != "" {
		conds = append(conds, "operator = "+arg(f.Operator))
	}
	if !f.Since.IsZero() {
		conds = append(conds, "created_ns >= "+arg(pgNs(timeKey(&Record{Created: f.Since}))))
	}
	if !f.Until.IsZero() {
		conds = append(conds, "created_ns < "+arg(pgNs(timeKey(&Record{Created: f.Until}))))
	}
	if c := cashierKey(f.Cashier); c != "" {
		conds = append(conds, "cashier_key = "+arg(c))
	}
	if s := strings.ToLower(f.Search); s != "" && !strings.Contains(s, "\x01") {
		conds = append(conds, "search LIKE "+arg("%"+likeEscape(s)+"%"))
	}
	if cq := compileCustomer(f.Customer); cq != nil {
		switch {
		case cq.phone != "":
			conds = append(conds, "phone_key = "+arg(cq.phone))
		case len(cq.words) == 0:
			conds = append(conds, "false")
		default:
			for _, w := range cq.words {
				conds = append(conds, "name_text LIKE "+arg("% "+likeEscape(w)+"%"))
			}
		}
	}
	if after.id != 0 {
		conds = append(conds, "(created_ns, id) < ("+arg(pgNs(after.t))+", "+arg(int64(min(after.id, math.MaxInt64)))+")")
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// walk calls fn with each record matching f after position after, newest
// first, until fn returns false or the records run out.
func (l *pgLedger) walk(ctx context.Context, f Filter, after pos, chunk int, fn func(r Record) bool) error {
	q := compile(f)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		where, args := pgWhere(f, after)
		args = append(args, chunk)
		rows, err := l.pool.Query(ctx, `SELECT id, created_ns, data FROM coolpay_records`+where+
			` ORDER BY created_ns DESC, id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
		if err != nil {
			return err
		}
		n := 0
		stop := false
		for rows.Next() {
			var id, ns int64
			var data []byte
			if err := rows.Scan(&id, &ns, &data); err != nil {
				rows.Close()
				return err
			}
			n++
			after = pos{t: uint64(ns) ^ 1<<63, id: uint64(id)}
			if stop {
				continue
			}
			ok, err := q.match(data)
			if err != nil {
				rows.Close()
				return fmt.Errorf("record %d: %w", id, err)
			}
			if !ok {
				continue
			}
			r, err := decodeRow(id, data)
			if err != nil {
				rows.Close()
				return err
			}
			if !fn(r) {
				stop = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if stop || n < chunk {
			return nil
		}
		chunk = min(chunk*4, 4096)
	}
}

// resolveCursor gives a version-1 cursor (an id only) its record's time.
func (l *pgLedger) resolveCursor(ctx context.Context, p pos) (pos, error) {
	if !p.noTime {
		return p, nil
	}
	var ns int64
	err := l.pool.QueryRow(ctx, `SELECT created_ns FROM coolpay_records WHERE id = $1`, int64(p.id)).Scan(&ns)
	if errors.Is(err, pgx.ErrNoRows) {
		// The record is gone: go on by id alone, from the newest time.
		return pos{t: math.MaxUint64, id: p.id}, nil
	}
	if err != nil {
		return pos{}, err
	}
	return pos{t: uint64(ns) ^ 1<<63, id: p.id}, nil
}

func (l *pgLedger) list(pctx context.Context, f Filter, limit int, cursor string) (Page, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	after, err := decodeCursor(cursor)
	if err != nil {
		return Page{}, err
	}
	ctx, cancel := context.WithTimeout(pctx, pgOpTimeout)
	defer cancel()
	if after, err = l.resolveCursor(ctx, after); err != nil {
		if pctx.Err() != nil {
			return Page{}, pctx.Err()
		}
		return Page{}, l.wrap("listing", err)
	}
	var p Page
	p.Records = make([]Record, 0, min(limit, 1024))
	err = l.walk(ctx, f, after, min(limit+1, 1024), func(r Record) bool {
		if len(p.Records) == limit {
			p.Next = encodeCursor(posOf(&p.Records[limit-1]))
			return false
		}
		p.Records = append(p.Records, r)
		return true
	})
	if err != nil {
		if pctx.Err() != nil {
			// The caller gave up (a search typed over): its error.
			return Page{}, pctx.Err()
		}
		return Page{}, l.wrap("listing", err)
	}
	return p, nil
}

// scan is Scan: fn runs outside any transaction and query, so it may
// write; each chunk is a query of its own.
func (l *pgLedger) scan(ctx context.Context, f Filter, fn func(Record) bool) error {
	var after pos
	chunk := 64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var batch []Record
		qctx, cancel := context.WithTimeout(ctx, pgOpTimeout)
		err := l.walk(qctx, f, after, chunk, func(r Record) bool {
			batch = append(batch, r)
			return len(batch) < chunk
		})
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return l.wrap("reading", err)
		}
		for _, r := range batch {
			if !fn(r) {
				return nil
			}
		}
		if len(batch) < chunk {
			return nil
		}
		after = posOf(&batch[len(batch)-1])
		chunk = min(chunk*4, 4096)
	}
}

// finalStates lists the final states, for "not final" in SQL: a state this
// binary does not know counts as unsettled, as in bbolt.
func finalStates() []string {
	var out []string
	for _, s := range []State{StateSuccess, StateFailed, StateCanceled, StateRejected, StateNotFound, StateMerged} {
		if s.Final() {
			out = append(out, string(s))
		}
	}
	return out
}

func (l *pgLedger) unsettled() ([]Record, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	recs, err := l.records(ctx, l.pool, `SELECT id, data FROM coolpay_records WHERE NOT (state = ANY($1)) ORDER BY id DESC`, finalStates())
	return recs, l.wrap("reading unsettled records", err)
}

func (l *pgLedger) unsettledSince(since time.Time) ([]Record, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	var sinceNs int64 = math.MinInt64
	if !since.IsZero() {
		sinceNs = pgNs(timeKey(&Record{Created: since}))
	}
	recs, err := l.records(ctx, l.pool, `SELECT id, data FROM coolpay_records WHERE NOT (state = ANY($1)) AND created_ns >= $2
		ORDER BY created_ns DESC, id DESC`, finalStates(), sinceNs)
	return recs, l.wrap("reading unsettled records", err)
}

func (l *pgLedger) counters() (count, real int64, err error) {
	ctx, cancel := l.ctx()
	defer cancel()
	err = l.pool.QueryRow(ctx, `SELECT count, real FROM coolpay_meta`).Scan(&count, &real)
	return count, real, l.wrap("counting", err)
}

// Settings.

func (l *pgLedger) setting(key string) (string, bool, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	var v string
	err := l.pool.QueryRow(ctx, `SELECT value FROM coolpay_settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, l.wrap("reading a setting", err)
	}
	return v, true, nil
}

func (l *pgLedger) setSetting(key, value string) error {
	return l.tx("storing a setting", func(ctx context.Context, tx pgx.Tx, log *pgLog) error {
		log.settings = true
		var err error
		if value == "" {
			_, err = tx.Exec(ctx, `DELETE FROM coolpay_settings WHERE key = $1`, key)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO coolpay_settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, key, value)
		}
		return err
	})
}

func (l *pgLedger) settings() (map[string]string, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	m := map[string]string{}
	rows, err := l.pool.Query(ctx, `SELECT key, value FROM coolpay_settings`)
	if err != nil {
		return nil, l.wrap("reading settings", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, l.wrap("reading settings", err)
		}
		m[k] = v
	}
	return m, l.wrap("reading settings", rows.Err())
}

// Claims.

func (l *pgLedger) addClaim(c Claim) (stored Claim, fresh bool, err error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return Claim{}, false, err
	}
	err = l.tx("recording a callback", func(ctx context.Context, tx pgx.Tx, _ *pgLog) error {
		tag, err := tx.Exec(ctx, `INSERT INTO coolpay_claims (key, state, received, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (key) DO NOTHING`, c.Key, string(c.State), c.Received, string(raw)) // text: a jsonb parameter in exec mode
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			stored, fresh = c, true
			return nil
		}
		var data []byte
		if err := tx.QueryRow(ctx, `SELECT data FROM coolpay_claims WHERE key = $1`, c.Key).Scan(&data); err != nil {
			return err
		}
		return json.Unmarshal(data, &stored)
	})
	return stored, fresh, err
}

func (l *pgLedger) claim(key string) (Claim, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	var data []byte
	err := l.pool.QueryRow(ctx, `SELECT data FROM coolpay_claims WHERE key = $1`, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Claim{}, fmt.Errorf("claim %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return Claim{}, l.wrap("reading a callback", err)
	}
	var c Claim
	if err := json.Unmarshal(data, &c); err != nil {
		return Claim{}, fmt.Errorf("claim %q: %w", key, errCodec)
	}
	return c, nil
}

func (l *pgLedger) updateClaim(key string, fn func(c *Claim) error) (out Claim, err error) {
	var fnErr error
	err = l.tx("updating a callback", func(ctx context.Context, tx pgx.Tx, _ *pgLog) error {
		var data []byte
		err := tx.QueryRow(ctx, `SELECT data FROM coolpay_claims WHERE key = $1 FOR UPDATE`, key).Scan(&data)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("claim %q: %w", key, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var c Claim
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("claim %q: %w", key, errCodec)
		}
		if err := fn(&c); err != nil {
			fnErr = err
			return err
		}
		c.Key = key
		raw, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE coolpay_claims SET state = $2, data = $3 WHERE key = $1`, key, string(c.State), string(raw)); err != nil {
			return err
		}
		out = c
		return nil
	})
	if fnErr != nil {
		return Claim{}, fnErr
	}
	return out, err
}

func (l *pgLedger) claims(state ClaimState) ([]Claim, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	rows, err := l.pool.Query(ctx, `SELECT data FROM coolpay_claims WHERE $1 = '' OR state = $1 ORDER BY received, key`, string(state))
	if err != nil {
		return nil, l.wrap("reading callbacks", err)
	}
	defer rows.Close()
	var out []Claim
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, l.wrap("reading callbacks", err)
		}
		var c Claim
		if json.Unmarshal(data, &c) != nil {
			continue
		}
		if state == "" || c.State == state {
			out = append(out, c)
		}
	}
	return out, l.wrap("reading callbacks", rows.Err())
}

// The change feed: the same counter and log as bbolt's (changes.go).

func (l *pgLedger) changes() (uint64, error) {
	ctx, cancel := l.ctx()
	defer cancel()
	var n int64
	err := l.pool.QueryRow(ctx, `SELECT changes FROM coolpay_meta`).Scan(&n)
	return uint64(n), l.wrap("reading the change counter", err)
}

func (l *pgLedger) changedSince(ctx context.Context, q querierAll, n uint64) (ChangeSet, error) {
	var now int64
	rows, err := q.Query(ctx, `SELECT changes FROM coolpay_meta`)
	if err != nil {
		return ChangeSet{}, err
	}
	for rows.Next() {
		if err := rows.Scan(&now); err != nil {
			rows.Close()
			return ChangeSet{}, err
		}
	}
	rows.Close()
	cs := ChangeSet{Now: uint64(now)}
	switch {
	case cs.Now == n:
		return cs, nil
	case cs.Now < n:
		cs.All = true
		return cs, nil
	}
	rows, err = q.Query(ctx, `SELECT n, flags, ids FROM coolpay_changes WHERE n > $1 ORDER BY n`, int64(n))
	if err != nil {
		return ChangeSet{}, err
	}
	defer rows.Close()
	first := true
	for rows.Next() {
		var k int64
		var flags int16
		var ids []int64
		if err := rows.Scan(&k, &flags, &ids); err != nil {
			return ChangeSet{}, err
		}
		if first && uint64(k) != n+1 {
			cs.All = true
		}
		first = false
		cs.Settings = cs.Settings || flags&changeSettings != 0
		cs.All = cs.All || flags&changeAll != 0
		for _, id := range ids {
			cs.IDs = append(cs.IDs, uint64(id))
		}
	}
	if err := rows.Err(); err != nil {
		return ChangeSet{}, err
	}
	if first {
		cs.All = true
	}
	slices.Sort(cs.IDs)
	cs.IDs = slices.Compact(cs.IDs)
	return cs, nil
}

func (l *pgLedger) watch(n uint64, max int) (cs ChangeSet, recs []Record, err error) {
	ctx, cancel := l.ctx()
	defer cancel()
	err = pgx.BeginTxFunc(ctx, l.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		cs, err = l.changedSince(ctx, tx, n)
		if err != nil || cs.Now == n || cs.All || len(cs.IDs) == 0 || len(cs.IDs) > max {
			return err
		}
		ids := make([]int64, len(cs.IDs))
		for i, id := range cs.IDs {
			ids[i] = int64(id)
		}
		recs, err = l.records(ctx, tx, `SELECT id, data FROM coolpay_records WHERE id = ANY($1) ORDER BY id`, ids)
		return err
	})
	return cs, recs, l.wrap("reading changes", err)
}

// check reads every record and decodes it, and compares the counters with
// the table.
func (l *pgLedger) check() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var problems []string
	var count, real int64
	if err := l.pool.QueryRow(ctx, `SELECT count, real FROM coolpay_meta`).Scan(&count, &real); err != nil {
		return l.wrap("checking", err)
	}
	var n, nreal int64
	if err := l.pool.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE NOT synthetic) FROM coolpay_records`).Scan(&n, &nreal); err != nil {
		return l.wrap("checking", err)
	}
	if n != count || nreal != real {
		problems = append(problems, fmt.Sprintf("counters say %d records (%d real), the table holds %d (%d real)", count, real, n, nreal))
	}
	rows, err := l.pool.Query(ctx, `SELECT id, data FROM coolpay_records`)
	if err != nil {
		return l.wrap("checking", err)
	}
	defer rows.Close()
	for rows.Next() && len(problems) < maxCheckErrors {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return l.wrap("checking", err)
		}
		if _, err := decodeRow(id, data); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if err := rows.Err(); err != nil {
		return l.wrap("checking", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("ledger %s: %w: %s", l.db.path, ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}
