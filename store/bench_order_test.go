package store

import (
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	unorderedOnce sync.Once
	unorderedDB   *DB
	unorderedErr  error
)

// unorderedLedger is the benchmark ledger plus one record imported with
// an old creation time, which ends its monotonic order: every listing then
// follows the time index. Made once, by copying the file, next to it.
func unorderedLedger(b *testing.B) *DB {
	b.Helper()
	src := benchLedger(b).Path()
	unorderedOnce.Do(func() {
		p := strings.TrimSuffix(src, ".db") + "-unordered.db"
		if db, err := Open(p, Options{ReadOnly: true}); err == nil {
			if n, _ := db.Count(); n == benchRecords+1 {
				unorderedDB = db
				unorderedErr = db.holdOpen()
				return
			}
			db.Close()
		}
		tmp := p + ".building"
		if unorderedErr = copyFile(tmp, src); unorderedErr != nil {
			return
		}
		db, err := Open(tmp, Options{NoSync: true})
		if err != nil {
			unorderedErr = err
			return
		}
		old := Record{Type: TypePayin, State: StateSuccess, AppRef: "imported-old", Amount: "100", Currency: "XAF",
			Created: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Synthetic: true}
		unorderedErr = db.Insert([]Record{old})
		db.Close()
		if unorderedErr != nil {
			return
		}
		if unorderedErr = os.Rename(tmp, p); unorderedErr != nil {
			return
		}
		if unorderedDB, unorderedErr = Open(p, Options{ReadOnly: true}); unorderedErr == nil {
			unorderedErr = unorderedDB.holdOpen()
		}
	})
	if unorderedErr != nil {
		b.Fatal(unorderedErr)
	}
	return unorderedDB
}

func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkTimeOrderPage: first pages of 50 from a 1M ledger that is not
// monotonic, so listed from the time index (compare BenchmarkFirstPage and
// BenchmarkFilteredFirstPage, the same questions on the id path), and the
// 20th page, reached by its cursor.
func BenchmarkTimeOrderPage(b *testing.B) {
	db := unorderedLedger(b)
	since := time.Now().AddDate(0, 0, -7)
	for _, c := range []struct {
		name string
		f    Filter
	}{
		{"all", Filter{}},
		{"failed", Filter{States: []State{StateFailed}}},   // 79,829: checked one by one
		{"unknown", Filter{States: []State{StateUnknown}}}, // 3,031: an id set
		{"otp", Filter{States: []State{StateOTP}}},         // 1,228: an id set
		{"pending", Filter{States: []State{StatePending}}}, // 10,063: an id set
		{"payout", Filter{Types: []Type{TypePayout}}},
		{"lastweek", Filter{Since: since}},
		{"search", Filter{Search: "ngono"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				p, err := db.List(c.f, 50, "")
				mustPage(b, p, err, 50)
			}
		})
	}
	b.Run("page20", func(b *testing.B) {
		cursor := ""
		for i := 0; i < 19; i++ {
			p, err := db.List(Filter{}, 50, cursor)
			mustPage(b, p, err, 50)
			cursor = p.Next
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			p, err := db.List(Filter{}, 50, cursor)
			mustPage(b, p, err, 50)
		}
	})
}
