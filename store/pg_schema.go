package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PGSchemaVersion is the PostgreSQL schema this binary reads and writes.
const PGSchemaVersion = 2

// pgMigrations are numbered steps, each applied once, in order, in one
// transaction holding pgLockMigrate: two desks starting at once wait for
// each other instead of racing (river's migration/main/NNN_*.up.sql).
var pgMigrations = []struct {
	to   int
	what string
	sql  []string
}{
	{1, "records, settings, claims, change log, owners", []string{
		`CREATE TABLE coolpay_meta (
			one boolean PRIMARY KEY DEFAULT true CHECK (one),
			changes bigint NOT NULL DEFAULT 0,
			count bigint NOT NULL DEFAULT 0,
			real bigint NOT NULL DEFAULT 0)`,
		`INSERT INTO coolpay_meta DEFAULT VALUES`,
		`CREATE SEQUENCE coolpay_record_ids`,
		// data is the record in the ledger's codec (record.go); the other
		// columns are what queries select on, derived from it.
		`CREATE TABLE coolpay_records (
			id bigint PRIMARY KEY,
			created_ns bigint NOT NULL,
			type text NOT NULL,
			state text NOT NULL,
			operator text NOT NULL,
			app_ref text NOT NULL,
			tx_ref text NOT NULL,
			batch text NOT NULL,
			cashier_key text NOT NULL,
			phone_key text NOT NULL,
			name_text text NOT NULL,
			search text NOT NULL,
			synthetic boolean NOT NULL,
			data bytea NOT NULL)`,
		`CREATE INDEX coolpay_records_time ON coolpay_records (created_ns DESC, id DESC)`,
		`CREATE INDEX coolpay_records_state ON coolpay_records (state, id)`,
		`CREATE INDEX coolpay_records_type ON coolpay_records (type, created_ns DESC, id DESC)`,
		`CREATE INDEX coolpay_records_app_ref ON coolpay_records (app_ref) WHERE app_ref <> ''`,
		`CREATE INDEX coolpay_records_tx_ref ON coolpay_records (tx_ref) WHERE tx_ref <> ''`,
		`CREATE INDEX coolpay_records_batch ON coolpay_records (batch) WHERE batch <> ''`,
		`CREATE INDEX coolpay_records_cashier ON coolpay_records (cashier_key) WHERE cashier_key <> ''`,
		`CREATE INDEX coolpay_records_phone ON coolpay_records (phone_key) WHERE phone_key <> ''`,
		`CREATE TABLE coolpay_settings (key text PRIMARY KEY, value text NOT NULL)`,
		`CREATE TABLE coolpay_claims (
			key text PRIMARY KEY,
			state text NOT NULL,
			received timestamptz NOT NULL,
			data jsonb NOT NULL)`,
		`CREATE INDEX coolpay_claims_state ON coolpay_claims (state, received)`,
		`CREATE TABLE coolpay_changes (n bigint PRIMARY KEY, flags smallint NOT NULL, ids bigint[] NOT NULL)`,
		// A desk that journals holds a lease here and a session advisory
		// lock (pg_owner.go).
		`CREATE TABLE coolpay_owners (
			token text PRIMARY KEY,
			lock_key integer NOT NULL,
			host text NOT NULL,
			pid integer NOT NULL,
			started timestamptz NOT NULL DEFAULT now(),
			expires_at timestamptz NOT NULL)`,
	}},
	{2, "text search by trigrams (pg_trgm), when the server has it", []string{
		`DO $$ BEGIN
			CREATE EXTENSION IF NOT EXISTS pg_trgm;
		EXCEPTION WHEN others THEN
			RAISE NOTICE 'pg_trgm unavailable: text search scans';
		END $$`,
		`DO $$ BEGIN
			IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
				EXECUTE 'CREATE INDEX coolpay_records_search ON coolpay_records USING gin (search gin_trgm_ops)';
				EXECUTE 'CREATE INDEX coolpay_records_name ON coolpay_records USING gin (name_text gin_trgm_ops)';
			END IF;
		END $$`,
	}},
}

// Advisory lock keys (the two-int form: class, object): one class for
// coolpay, objects for the migration lock and the batch lock; owner locks
// use their own class with a random object (pg_owner.go).
const (
	pgLockClass      = 0x636f6f6c // "cool"
	pgLockOwnerClass = 0x6f776e72 // "ownr"
	pgLockMigrate    = 1
	pgLockBatch      = 2
)

// migrate brings the database to PGSchemaVersion under the migration lock,
// or, read-only, checks that it is there. A newer schema is refused.
func (l *pgLedger) migrate(ctx context.Context, readOnly bool) error {
	v, err := l.schemaVersion(ctx, l.pool)
	if err != nil {
		return l.wrap("reading the schema version", err)
	}
	switch {
	case v > PGSchemaVersion:
		return fmt.Errorf("ledger %s: %w: the database is at schema %d, this coolpay knows up to %d: update coolpay",
			l.db.path, ErrSchema, v, PGSchemaVersion)
	case v == PGSchemaVersion:
		return nil
	case readOnly && v == 0:
		return fmt.Errorf("%w at %s", ErrNoLedger, l.db.path)
	case readOnly:
		return fmt.Errorf("ledger %s: %w: schema %d is older than this coolpay's (%d); open it read-write once to migrate",
			l.db.path, ErrSchema, v, PGSchemaVersion)
	}
	err = pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, pgLockClass, pgLockMigrate); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS coolpay_schema (
			version integer PRIMARY KEY, what text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		// Read again under the lock: another desk may have migrated
		// while this one waited.
		v, err := l.schemaVersion(ctx, tx)
		if err != nil {
			return err
		}
		if v > PGSchemaVersion {
			return fmt.Errorf("%w: the database is at schema %d, this coolpay knows up to %d", ErrSchema, v, PGSchemaVersion)
		}
		for _, m := range pgMigrations {
			if m.to <= v {
				continue
			}
			for _, s := range m.sql {
				if _, err := tx.Exec(ctx, s); err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.to, m.what, err)
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO coolpay_schema (version, what) VALUES ($1, $2)`, m.to, m.what); err != nil {
				return err
			}
		}
		return nil
	})
	return l.wrap("creating or migrating the schema", err)
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// schemaVersion is the highest applied step, 0 for a database without
// coolpay's tables.
func (l *pgLedger) schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM coolpay_schema`).Scan(&v)
	var pge *pgconn.PgError
	if errors.As(err, &pge) && pge.Code == "42P01" { // undefined_table
		return 0, nil
	}
	return v, err
}
