package ledgertest_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
)

// The PostgreSQL engine at a shop's scale (`make bench`): a database
// seeded once with COOLPAY_BENCH_N synthetic records (1,000,000 unless
// set), then the operations a desk does. The bbolt figures at the same
// size are store's benchmarks.

var (
	pgBenchOnce sync.Once
	pgBenchURL  string
	pgBenchErr  error
)

func pgBench(b *testing.B) *store.DB {
	b.Helper()
	url := pgtest.URL(b)
	pgBenchOnce.Do(func() {
		n := 1_000_000
		if v, err := strconv.Atoi(os.Getenv("COOLPAY_BENCH_N")); err == nil && v > 0 {
			n = v
		}
		db, err := store.Open(url, store.Options{})
		if err != nil {
			pgBenchErr = err
			return
		}
		defer db.Close()
		start := time.Now()
		pgBenchErr = store.Seed(db, n, 7, true)
		b.Logf("seeded %d records into PostgreSQL in %v", n, time.Since(start).Round(time.Millisecond))
		pgBenchURL = url
	})
	if pgBenchErr != nil {
		b.Fatal(pgBenchErr)
	}
	db, err := store.Open(pgBenchURL, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkPostgresJournalPayment(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := store.Record{Type: store.TypePayout, State: store.StateNew, AppRef: "bench-" + strconv.Itoa(i), Amount: "5000", Currency: "XAF"}
		if err := db.Create(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresUpdate(b *testing.B) {
	db := pgBench(b)
	r := store.Record{Type: store.TypePayin, State: store.StatePending, AppRef: "bench-upd", Amount: "5000", Currency: "XAF"}
	if err := db.Create(&r); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Update(r.ID, func(x *store.Record) error { x.Message = strconv.Itoa(i); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresHistoryFirstPage(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := db.List(store.Filter{}, 24, ""); err != nil || len(p.Records) != 24 {
			b.Fatal(len(p.Records), err)
		}
	}
}

func BenchmarkPostgresHistoryTwentiethPage(b *testing.B) {
	db := pgBench(b)
	cursor := ""
	for i := 0; i < 19; i++ {
		p, err := db.List(store.Filter{}, 24, cursor)
		if err != nil {
			b.Fatal(err)
		}
		cursor = p.Next
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.List(store.Filter{}, 24, cursor); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresSearchPage(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.List(store.Filter{Search: "ngo"}, 24, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresSearchRare(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.List(store.Filter{Search: "zzqx-none"}, 24, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresCustomerLookup(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.RecentCustomers(context.Background(), "mar", 5); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresUnsettledSince(b *testing.B) {
	db := pgBench(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.UnsettledSince(time.Now().Add(-24 * time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresWatchPoll(b *testing.B) {
	db := pgBench(b)
	n, err := db.Changes()
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := db.Watch(n, 64); err != nil {
			b.Fatal(err)
		}
	}
}
