package store

// holdOpen switches db to the pre-sharing design (one bbolt handle and its
// lock for the DB's life). Benchmarks only.
func (db *DB) holdOpen() error {
	bdb, err := db.openBolt(!db.readOnly, false, false)
	if err != nil {
		return err
	}
	db.held = bdb
	return nil
}
