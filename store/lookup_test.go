package store

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// checkLookup compares the look-up indexes with what the records imply.
func checkLookup(t *testing.T, db *DB) {
	t.Helper()
	err := db.view(func(tx *bolt.Tx) error {
		want := map[string]bool{}
		tx.Bucket(bRecords).ForEach(func(k, v []byte) error {
			var r Record
			if err := decodeRecord(v, &r); err != nil {
				t.Fatal(err)
			}
			r.ID = binary.BigEndian.Uint64(k)
			if key := ixPhone.key(&r); key != nil {
				want["p"+string(key)] = true
			}
			for _, w := range nameWords(&r) {
				want["n"+string(appendID(strPrefix(w), r.ID))] = true
			}
			return nil
		})
		got := map[string]bool{}
		tx.Bucket(ixPhone.name).ForEach(func(k, _ []byte) error { got["p"+string(k)] = true; return nil })
		tx.Bucket(ixName.name).ForEach(func(k, _ []byte) error { got["n"+string(k)] = true; return nil })
		for k := range got {
			if !want[k] {
				t.Errorf("stale look-up entry %q", k)
			}
		}
		for k := range want {
			if !got[k] {
				t.Errorf("missing look-up entry %q", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPhoneKeyReadsNumbersAsPeopleTypeThem(t *testing.T) {
	for in, want := range map[string]string{
		"6 91 23 45 67": "691234567", "+237 691 23 45 67": "691234567", "00237691234567": "691234567",
		"237691234567": "691234567", "691-23-45-67": "691234567", "(+237) 691.23.45.67": "691234567",
		"6912": "6912", "marie": "", "69a": "", "": "",
	} {
		if got := PhoneKey(in); got != want {
			t.Errorf("PhoneKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsPhoneLeavesNumericReferencesToTheSearch(t *testing.T) {
	for in, want := range map[string]bool{
		"6 91 23 45 67": true, "+237691234567": true, "00237 691 234 567": true, "222 23 45 67": true,
		"1234567890": false, "69123456": false, "6912345678": false, "991234567": false, "cp-20261129": false,
	} {
		if got := IsPhone(in); got != want {
			t.Errorf("IsPhone(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWordsAreFoldedAndBounded(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes folded to 40: cut at 32, whole letters
	got := words("Aïcha  N'DIAYE-Ébodé aïcha " + long)
	if strings.Join(got[:4], ",") != "aicha,n,diaye,ebode" || len(got) != 5 || got[4] != strings.Repeat("e", 32) {
		t.Errorf("words = %q", got)
	}
	cut := words(strings.Repeat("ⴰ", 20)) // 3-byte letters: byte 32 falls inside the eleventh
	if len(cut) != 1 || !utf8.ValidString(cut[0]) || len(cut[0]) != 30 {
		t.Errorf("a word cut inside a letter: %q", cut)
	}
}

func TestCustomerLookupByPhoneAndName(t *testing.T) {
	db := openTemp(t)
	mk := func(name, phone, user string) uint64 {
		r := Record{Type: TypePayin, State: StateSuccess, Amount: "100", Currency: "XAF", CustomerName: name,
			CustomerPhone: phone, CustomerUsername: user, AppRef: fmt.Sprint("cp-", name, phone)}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	a := mk("Marie Ngono", "691234567", "")
	b := mk("Aïcha Bello", "677000111", "")
	c := mk("Marc Ngono", "691234567", "")
	d := mk("", "", "awa237")
	find := func(q string) []uint64 {
		t.Helper()
		p, err := db.List(Filter{Customer: q}, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		return ids(p.Records)
	}
	for q, want := range map[string][]uint64{
		"6 91 23 45 67": {c, a}, "+237691234567": {c, a}, "00237 691 234 567": {c, a},
		"mar": {c, a}, "marie": {a}, "NGO": {c, a}, "marie ngo": {a}, "ngono marc": {c},
		"aicha": {b}, "AÏCHA": {b}, "awa": {d}, "zzq": nil, "677000112": nil,
	} {
		if got := find(q); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Customer %q = %v, want %v", q, got, want)
		}
	}
	// Other filters still apply on top.
	if p, err := db.List(Filter{Customer: "ngono", States: []State{StateFailed}}, 10, ""); err != nil || len(p.Records) != 0 {
		t.Errorf("the state filter was ignored with a customer look-up: %v, %v", ids(p.Records), err)
	}
	if p, err := db.List(Filter{Customer: "ngono", States: []State{StateSuccess}}, 10, ""); err != nil || fmt.Sprint(ids(p.Records)) != fmt.Sprint([]uint64{c, a}) {
		t.Errorf("a state filter every ngono record passes: %v, %v; want %v", ids(p.Records), err, []uint64{c, a})
	}
	// The index follows an update, in the same transaction.
	if _, err := db.Update(a, func(r *Record) error {
		r.CustomerPhone, r.CustomerName = "699999999", "Marie Ebodé"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := find("691234567"); fmt.Sprint(got) != fmt.Sprint([]uint64{c}) {
		t.Errorf("old phone after update: %v", got)
	}
	if got := find("ebode"); fmt.Sprint(got) != fmt.Sprint([]uint64{a}) {
		t.Errorf("new name after update: %v", got)
	}
	checkLookup(t, db)

	recent, err := db.RecentCustomers(t.Context(), "ngono", 5)
	if err != nil || len(recent) != 1 || recent[0].ID != c {
		t.Errorf("RecentCustomers(ngono) = %v %v", ids(recent), err)
	}
}

// TestCustomerLookupMatchesBruteForce: on a synthetic ledger with updates,
// the look-up, paged, lists exactly what a brute-force filter finds.
func TestCustomerLookupMatchesBruteForce(t *testing.T) {
	db := openTemp(t)
	all := fillLedger(t, db, 3000)
	checkLookup(t, db)
	var someName, somePhone string
	order := make([]uint64, 0, len(all))
	for id := range all {
		order = append(order, id)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, id := range order {
		r := all[id]
		if r.CustomerPhone != "" && somePhone == "" {
			somePhone = r.CustomerPhone
		}
		if r.CustomerName != "" && someName == "" {
			someName = r.CustomerName
		}
	}
	first := strings.Fields(someName)[0]
	for _, q := range []string{somePhone, "+237 " + somePhone[:3] + " " + somePhone[3:], first[:2], first, someName, "zz",
		"ma", "n"} { // "ma": names with two words under it (Marie Manga) come once
		cq := compileCustomer(q)
		var want []uint64
		for _, r := range all {
			if cq.matches(&r) {
				want = append(want, r.ID)
			}
		}
		sort.Slice(want, func(i, j int) bool { return want[i] > want[j] })
		var got []uint64
		cursor := ""
		for {
			p, err := db.List(Filter{Customer: q}, 37, cursor)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ids(p.Records)...)
			if cursor = p.Next; cursor == "" {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Customer %q: %d records, brute force %d", q, len(got), len(want))
		}
	}
}

// TestMigrationToSchema5BuildsTheLookup: a schema-4 ledger (no look-up
// indexes) gets them built when a writer opens it.
func TestMigrationToSchema5BuildsTheLookup(t *testing.T) {
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fillLedger(t, db, 500)
	err = db.update(func(tx *bolt.Tx, _ *txLog) error {
		for _, ix := range []*index{ixPhone, ixName} {
			if err := tx.DeleteBucket(ix.name); err != nil {
				return err
			}
		}
		return tx.Bucket(bMeta).Put(kSchema, u64(4))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkLookup(t, db)
	checkIndexes(t, db)
	if pg, err := db.List(Filter{Customer: "a"}, 5, ""); err != nil || len(pg.Records) == 0 {
		t.Fatalf("look-up after migration: %d %v", len(pg.Records), err)
	}
}
