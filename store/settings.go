package store

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Setting returns the value stored under key and whether there is one.
func (db *DB) Setting(key string) (v string, ok bool, err error) {
	if l := db.localFor(key); l != nil {
		return l.Get(key)
	}
	if db.pg != nil {
		return db.pg.setting(key)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bSettings).Get([]byte(key))
		if raw != nil {
			v, ok = string(raw), true
		}
		return nil
	})
	return v, ok, err
}

// SetSetting stores a setting; an empty value deletes it. It refuses any key
// that names a private value: the private key lives in the OS keyring (or in
// memory), never in this file.
func (db *DB) SetSetting(key, value string) (err error) {
	defer db.protect(&err)()
	if key == "" {
		return fmt.Errorf("empty setting name")
	}
	if k := strings.ToLower(key); strings.Contains(k, "private") {
		return fmt.Errorf("setting %q: %w", key, ErrSecretSetting)
	}
	if db.readOnly {
		return errReadOnly
	}
	if l := db.localFor(key); l != nil {
		return l.Set(key, value)
	}
	if db.pg != nil {
		return db.pg.setSetting(key, value)
	}
	return db.update(func(tx *bolt.Tx, log *txLog) error {
		log.settings = true
		b := tx.Bucket(bSettings)
		if value == "" {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), []byte(value))
	})
}

// Settings returns every setting (those kept locally from there: KeepLocal).
func (db *DB) Settings() (m map[string]string, err error) {
	if db.local != nil {
		return db.withLocal(db.settings())
	}
	return db.settings()
}

func (db *DB) settings() (m map[string]string, err error) {
	if db.pg != nil {
		return db.pg.settings()
	}
	defer db.protect(&err)()
	m = map[string]string{}
	err = db.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bSettings).ForEach(func(k, v []byte) error {
			m[string(k)] = string(v)
			return nil
		})
	})
	return m, err
}
