package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Claims are callbacks as they arrived: what My-CoolPay's server said about a
// transaction, stored before anything is decided so that a callback can be
// answered at once and confirmed with the API later (the callback is never
// sent again). They live in their own bucket, created on first use, keyed by
// the claim's Key; the value is JSON (a few hundred bytes, a handful per
// transaction at most), so they need no codec of their own.
var bClaims = []byte("claims")

// ClaimState is where a claim stands against the API.
type ClaimState string

// Claim states.
const (
	ClaimWaiting   ClaimState = "waiting"   // not yet confirmed: the API is still to be asked
	ClaimConfirmed ClaimState = "confirmed" // the API answered; its answer was applied
	ClaimNotFound  ClaimState = "not_found" // the API does not know the transaction; never asked again
)

// Claim is one callback's claim. The first five fields are the ones the
// callback's signature covers; AppRef and Status are what the callback said
// without proof, kept to be shown and compared, never to decide.
type Claim struct {
	Key            string     `json:"key"`
	TransactionRef string     `json:"transaction_ref"`
	Type           string     `json:"type"`
	Amount         string     `json:"amount"`
	Currency       string     `json:"currency"`
	Operator       string     `json:"operator"`
	AppRef         string     `json:"app_transaction_ref,omitempty"`
	Status         string     `json:"status,omitempty"`
	Received       time.Time  `json:"received"`
	State          ClaimState `json:"state"`
	RecordID       uint64     `json:"record_id,omitempty"` // the record the claim was noted on, then the one it settled
	Tries          int        `json:"tries,omitempty"`     // times the API was asked
	LastTry        time.Time  `json:"last_try,omitempty"`
	Note           string     `json:"note,omitempty"` // the last outcome, for people
}

func claimsBucket(tx *bolt.Tx) (*bolt.Bucket, error) {
	return tx.CreateBucketIfNotExists(bClaims)
}

// AddClaim stores c unless a claim with the same Key is already there. It
// returns the stored claim and whether it is new; it returns after the
// write is durable (fsync), so a caller may then answer the callback.
func (db *DB) AddClaim(c Claim) (stored Claim, fresh bool, err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return Claim{}, false, errReadOnly
	}
	if c.Key == "" {
		return Claim{}, false, fmt.Errorf("claim without a key")
	}
	if c.Received.IsZero() {
		c.Received = db.now()
	}
	if c.State == "" {
		c.State = ClaimWaiting
	}
	if db.pg != nil {
		return db.pg.addClaim(c)
	}
	err = db.update(func(tx *bolt.Tx, _ *txLog) error {
		b, err := claimsBucket(tx)
		if err != nil {
			return err
		}
		if raw := b.Get([]byte(c.Key)); raw != nil {
			return json.Unmarshal(raw, &stored)
		}
		raw, err := json.Marshal(c)
		if err != nil {
			return err
		}
		stored, fresh = c, true
		return b.Put([]byte(c.Key), raw)
	})
	if err != nil {
		return Claim{}, false, fmt.Errorf("ledger %s: recording a callback: %w", db.path, err)
	}
	return stored, fresh, nil
}

// Claim returns the claim stored under key, or an error wrapping ErrNotFound.
func (db *DB) Claim(key string) (c Claim, err error) {
	if db.pg != nil {
		return db.pg.claim(key)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bClaims)
		var raw []byte
		if b != nil {
			raw = b.Get([]byte(key))
		}
		if raw == nil {
			return fmt.Errorf("claim %q: %w", key, ErrNotFound)
		}
		return json.Unmarshal(raw, &c)
	})
	return c, err
}

// UpdateClaim reads claim key, lets fn change it and writes it back in one
// transaction. fn must be quick and must not call the DB; an error from it
// is returned and nothing is written. The key cannot change.
func (db *DB) UpdateClaim(key string, fn func(c *Claim) error) (out Claim, err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return Claim{}, errReadOnly
	}
	if db.pg != nil {
		return db.pg.updateClaim(key, fn)
	}
	err = db.update(func(tx *bolt.Tx, _ *txLog) error {
		b, err := claimsBucket(tx)
		if err != nil {
			return err
		}
		raw := b.Get([]byte(key))
		if raw == nil {
			return fmt.Errorf("claim %q: %w", key, ErrNotFound)
		}
		var c Claim
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("claim %q: %w", key, errCodec)
		}
		if err := fn(&c); err != nil {
			return err
		}
		c.Key = key
		raw, err = json.Marshal(c)
		if err != nil {
			return err
		}
		out = c
		return b.Put([]byte(key), raw)
	})
	return out, err
}

// Claims returns the claims in state (every claim when state is ""),
// oldest first. A damaged value is skipped, not fatal: one bad claim must
// not stop the others from being confirmed.
func (db *DB) Claims(state ClaimState) (out []Claim, err error) {
	if db.pg != nil {
		return db.pg.claims(state)
	}
	defer db.protect(&err)()
	err = db.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bClaims)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, raw []byte) error {
			var c Claim
			if json.Unmarshal(raw, &c) != nil {
				return nil
			}
			if state == "" || c.State == state {
				out = append(out, c)
			}
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Received.Before(out[j].Received) })
	return out, err
}

// CreateUnlessRef is Create for a record learnt from outside (a callback's
// claim, the API's answer about a transaction coolpay did not start): when
// a record already holds r.TransactionRef it writes nothing and returns
// that record with created false. The look-up and the write are one
// transaction, so two processes placing the same transaction (the listener
// and a console confirming the same claim) make one record.
func (db *DB) CreateUnlessRef(r *Record) (existing Record, created bool, err error) {
	defer db.protect(&err)()
	if db.readOnly {
		return Record{}, false, errReadOnly
	}
	if r.TransactionRef == "" {
		return Record{}, false, fmt.Errorf("CreateUnlessRef: the record has no transaction_ref")
	}
	n := *r
	db.stampNew(&n)
	if db.pg != nil {
		existing, created, err = db.pg.createUnlessRef(&n)
		if err != nil {
			return Record{}, false, err
		}
		if created {
			*r = n
			return n, true, nil
		}
		return existing, false, nil
	}
	err = db.update(func(tx *bolt.Tx, log *txLog) error {
		var found bool
		var err error
		existing, found, err = findByRef(tx, ixTxRef, n.TransactionRef)
		if err != nil || found {
			return err
		}
		w := newWriter(tx, log)
		if err := w.insert(&n); err != nil {
			return err
		}
		created = true
		return w.flush()
	})
	if err != nil {
		return Record{}, false, fmt.Errorf("ledger %s: recording: %w", db.path, err)
	}
	if created {
		*r = n
		return n, true, nil
	}
	return existing, false, nil
}
