package store

// LocalSettings keeps some settings on this desk instead of in the ledger:
// on a ledger several desks share (PostgreSQL), a desk's own settings (who
// is at the till, its language, its colours) must not overwrite every other
// desk's. Package store does not know which settings those are: the caller
// that opens the ledger says so (ui/internal/config.AttachDesk).
type LocalSettings interface {
	// Keeps says whether key is kept here rather than in the ledger.
	Keeps(key string) bool
	Get(key string) (v string, ok bool, err error)
	// Set stores value under key; an empty value deletes it.
	Set(key, value string) error
	// All returns every setting kept here.
	All() (map[string]string, error)
}

// KeepLocal routes the settings l keeps to l: Setting, SetSetting and
// Settings read and write them there and never in the ledger, so no caller
// can put a desk's own setting into a shared ledger by mistake. Call it
// right after Open, before the DB is used (it is not synchronised).
func (db *DB) KeepLocal(l LocalSettings) { db.local = l }

// Local is what KeepLocal was given (nil: every setting is in the ledger).
func (db *DB) Local() LocalSettings { return db.local }

// localFor is where key is kept when not in the ledger (nil: the ledger).
func (db *DB) localFor(key string) LocalSettings {
	if db.local != nil && db.local.Keeps(key) {
		return db.local
	}
	return nil
}

// withLocal replaces, in the ledger's settings m, the keys kept locally by
// the local values.
func (db *DB) withLocal(m map[string]string, err error) (map[string]string, error) {
	if err != nil || db.local == nil {
		return m, err
	}
	for k := range m {
		if db.local.Keeps(k) {
			delete(m, k)
		}
	}
	lm, err := db.local.All()
	if err != nil {
		return nil, err
	}
	for k, v := range lm {
		if db.local.Keeps(k) {
			m[k] = v
		}
	}
	return m, nil
}
