package store

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestIDSuffixKeepsIDOrder(t *testing.T) {
	ids := []uint64{0, 1, 2, 127, 128, 255, 256, 65535, 65536, 1<<24 - 1, 1 << 24, 1<<32 + 5, 1<<56 - 1, 1 << 56, math.MaxUint64 - 1, math.MaxUint64}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 2000; i++ {
		ids = append(ids, rng.Uint64()>>rng.UintN(64))
	}
	for _, a := range ids {
		ka := appendID([]byte("p\x00"), a)
		if got, ok := readID(ka[2:]); !ok || got != a {
			t.Fatalf("readID(appendID(%d)) = %d, %v", a, got, ok)
		}
		for _, b := range ids[:40] {
			kb := appendID([]byte("p\x00"), b)
			if bytes.Compare(ka, kb) != cmp.Compare(a, b) {
				t.Fatalf("keys of ids %d and %d are out of order: %x %x", a, b, ka, kb)
			}
		}
	}
	for _, bad := range [][]byte{nil, {1}, {0, 5}, {2, 0, 5}, {2, 1}, {9, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 0}} {
		if id, ok := readID(bad); ok {
			t.Errorf("readID(%x) = %d, want no id", bad, id)
		}
	}
}

// The index keys of schema 5 (and earlier): fixed 8-byte ids, the refs and
// phones whole (the transaction_ref as 8 bytes of fnv-64a).
func schema5Key(ix *index, r *Record) []byte {
	id8 := func(p []byte) []byte { return binary.BigEndian.AppendUint64(p, r.ID) }
	str0 := func(v string) []byte { return append([]byte(v), 0) }
	switch ix {
	case ixTime:
		return id8(binary.BigEndian.AppendUint64(nil, timeKey(r)))
	case ixTxRef:
		if r.TransactionRef == "" {
			return nil
		}
		h := uint64(14695981039346656037)
		for i := 0; i < len(r.TransactionRef); i++ {
			h ^= uint64(r.TransactionRef[i])
			h *= 1099511628211
		}
		return id8(binary.BigEndian.AppendUint64(nil, h))
	case ixAppRef, ixBatch, ixPhone:
		v := ix.value(r)
		if v == "" {
			return nil
		}
		return id8(str0(v))
	}
	v := ix.value(r)
	if v == "" {
		return nil
	}
	return id8(sstrPrefix(v))
}

// writeSchema5 turns the ledger at p into what a schema-5 coolpay wrote:
// every index rebuilt with schema5Key (pages as full as that version's
// migration left them does not matter to what is read), schema 5.
func writeSchema5(t *testing.T, p string) {
	t.Helper()
	bdb, err := bolt.Open(p, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	err = bdb.Update(func(tx *bolt.Tx) error {
		all := append(append([]*index(nil), indexes...), ixPhone, ixName)
		for _, ix := range all {
			if err := tx.DeleteBucket(ix.name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(ix.name); err != nil {
				return err
			}
		}
		err := tx.Bucket(bRecords).ForEach(func(k, v []byte) error {
			var r Record
			if err := decodeRecord(v, &r); err != nil {
				return err
			}
			r.ID = binary.BigEndian.Uint64(k)
			for _, ix := range all {
				var keys [][]byte
				if ix == ixName {
					for _, w := range nameWords(&r) {
						keys = append(keys, binary.BigEndian.AppendUint64(append([]byte(w), 0), r.ID))
					}
				} else if key := schema5Key(ix, &r); key != nil {
					keys = append(keys, key)
				}
				for _, key := range keys {
					if err := tx.Bucket(ix.name).Put(key, nil); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kSchema, u64(5))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigrationFromSchema5ShortensTheKeys: a schema-5 ledger (8-byte ids in
// its index keys, whole refs) is rewritten to schema 6 when a writer opens
// it, and every record and every kind of query answers as before.
func TestMigrationFromSchema5ShortensTheKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := fillLedger(t, db, 1500)
	for i := 0; i < 5; i++ {
		r := Record{Type: TypePayout, State: StatePending, Operator: "CM_OM", Batch: "paie-novembre", BatchLine: 5 - i,
			Cashier: "Awa", CustomerName: "Ngono Mbarga", CustomerPhone: fmt.Sprintf("69123450%d", i), Amount: "5000",
			Currency: "XAF", AppRef: fmt.Sprintf("cp-batch-%d", i), TransactionRef: fmt.Sprintf("batch-ref-%d", i)}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		all[r.ID] = r
	}
	// Created before the newest: the ledger stops being monotonic, so the
	// time index serves the listings.
	old := Record{Type: TypePayin, State: StateSuccess, Created: time.Now().Add(-300 * 24 * time.Hour), CustomerName: "Aïcha Fotso",
		CustomerPhone: "677000111", AppRef: "cp-imported-1", TransactionRef: "imported-ref-1", Amount: "700", Currency: "XAF"}
	if err := db.Create(&old); err != nil {
		t.Fatal(err)
	}
	all[old.ID] = old
	if err := db.SetSetting("lang", "fr"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	writeSchema5(t, p)

	if _, err := Open(p, Options{ReadOnly: true}); !errors.Is(err, ErrSchema) {
		t.Fatalf("read-only open of a schema-5 file: %v", err)
	}
	db, err = Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.view(func(tx *bolt.Tx) error {
		if v := getU64(tx.Bucket(bMeta), kSchema); v != SchemaVersion {
			t.Errorf("schema after migration = %d", v)
		}
		if k, _ := tx.Bucket(ixTime.name).Cursor().First(); len(k) != 8+1+1 {
			t.Errorf("first ix_time key after migration: %x", k)
		}
		return nil
	})
	checkIndexes(t, db)
	checkLookup(t, db)
	checkQueries(t, db, all)
	if v, _, _ := db.Setting("lang"); v != "fr" {
		t.Fatal("settings lost in migration")
	}
	// The migrated file keeps working.
	r := Record{Type: TypePayin, State: StatePending, AppRef: "after", TransactionRef: "after-ref", CustomerName: "Nouveau Client", CustomerPhone: "655443322"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	all[r.ID] = r
	if _, err := db.Update(old.ID, func(r *Record) error { r.State = StateFailed; r.AppRef = "cp-imported-2"; return nil }); err != nil {
		t.Fatal(err)
	}
	all[old.ID], _ = db.Get(old.ID)
	checkIndexes(t, db)
	checkLookup(t, db)
	checkQueries(t, db, all)
}

// checkQueries compares every record and every kind of query of db with
// what all, the records it should hold, imply.
func checkQueries(t *testing.T, db *DB, all map[uint64]Record) {
	t.Helper()
	for id, r := range all {
		got, err := db.Get(id)
		if err != nil || !sameRecord(got, r) {
			t.Fatalf("record %d: %v\ngot  %+v\nwant %+v", id, err, got, r)
		}
		if r.TransactionRef != "" {
			if got, err := db.ByTransactionRef(r.TransactionRef); err != nil || got.TransactionRef != r.TransactionRef {
				t.Fatalf("ByTransactionRef(%q) = %d, %v", r.TransactionRef, got.ID, err)
			}
		}
		if got, err := db.ByAppRef(r.AppRef); err != nil || got.AppRef != r.AppRef {
			t.Fatalf("ByAppRef(%q) = %d, %v", r.AppRef, got.ID, err)
		}
	}
	if _, err := db.ByTransactionRef("no-such-ref"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ByTransactionRef of an unknown ref: %v", err)
	}
	var someName, somePhone string
	var created []time.Time
	for _, id := range slices.Sorted(func(yield func(uint64) bool) {
		for id := range all {
			if !yield(id) {
				return
			}
		}
	}) {
		r := all[id]
		created = append(created, r.Created)
		if somePhone == "" && IsPhone(r.CustomerPhone) {
			somePhone = r.CustomerPhone
		}
		if someName == "" && r.CustomerName != "" {
			someName = r.CustomerName
		}
	}
	slices.SortFunc(created, func(a, b time.Time) int { return a.Compare(b) })
	q1, q3 := created[len(created)/4], created[3*len(created)/4]
	first := strings.Fields(someName)[0]
	for _, f := range []Filter{
		{}, {States: []State{StateFailed}}, {States: []State{StatePending, StateUnknown, "ODD_STATE"}},
		{Types: []Type{TypePayout}}, {Types: []Type{TypePaylink, TypePayout}, Operator: "CM_OM"}, {Operator: "CARD"},
		{Since: q1, Until: q3}, {Since: q3}, {Until: q1, States: []State{StateSuccess}},
		{Search: "ngono"}, {Search: "cp-real-1"}, {Cashier: "awa"},
		{Customer: somePhone}, {Customer: "+237 " + somePhone}, {Customer: "677 00 01 11"}, {Customer: first},
		{Customer: first[:2]}, {Customer: someName}, {Customer: "aicha"}, {Customer: "ngono mb"}, {Customer: "zzqx"},
		{Customer: "m", Since: q1},
	} {
		want := ids(reference(all, f))
		var got []uint64
		cursor := ""
		for {
			p, err := db.List(f, 37, cursor)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			got = append(got, ids(p.Records)...)
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%+v: %d records, want %d", f, len(got), len(want))
		}
	}
	batch, err := db.ByBatch("paie-novembre")
	if err != nil || len(batch) != 5 || batch[0].BatchLine != 1 {
		t.Fatalf("ByBatch: %d records, %v", len(batch), err)
	}
	// PayoutsTo: every payout to two phones (one given as people type it).
	var phones []string
	want := map[uint64]bool{}
	for _, r := range all {
		if r.Type == TypePayout && IsPhone(r.CustomerPhone) && len(phones) < 2 {
			phones = append(phones, r.CustomerPhone)
		}
	}
	phones[0] = "+237 " + phones[0]
	for _, r := range all {
		if r.Type == TypePayout && (PhoneKey(r.CustomerPhone) == PhoneKey(phones[0]) || PhoneKey(r.CustomerPhone) == PhoneKey(phones[1])) {
			want[r.ID] = true
		}
	}
	got := map[uint64]bool{}
	if err := db.PayoutsTo(context.Background(), phones, func(r Record) { got[r.ID] = true }); err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("PayoutsTo: %d payouts, want %d (%v)", len(got), len(want), err)
	}
}

func TestBitmapBitsAgreeWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for round := 0; round < 300; round++ {
		v := make([]byte, bitmapBytes)
		for i := 0; i < rng.IntN(12); i++ {
			j := rng.IntN(bitmapIDs)
			v[j>>3] |= 1 << (j & 7)
		}
		set := func(j uint64) bool { return v[j>>3]&(1<<(j&7)) != 0 }
		var want []uint64
		for j := uint64(0); j < bitmapIDs; j++ {
			if set(j) {
				want = append(want, 7<<bitmapShift|j)
			}
		}
		if got := appendBits(nil, 7, v); !slices.Equal(got, want) {
			t.Fatalf("appendBits(%x) = %v, want %v", v, got, want)
		}
		for top := uint64(0); top < bitmapIDs; top++ {
			wantI, wantOK := uint64(0), false
			for j := int(top); j >= 0; j-- {
				if set(uint64(j)) {
					wantI, wantOK = uint64(j), true
					break
				}
			}
			if i, ok := highestBit(v, top); i != wantI || ok != wantOK {
				t.Fatalf("highestBit(%x, %d) = %d %v, want %d %v", v, top, i, ok, wantI, wantOK)
			}
		}
	}
}
