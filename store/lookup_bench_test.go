package store

import (
	"testing"
)

// BenchmarkLookupAtAMillion: the first page (50) of a customer look-up on
// the 1,000,000-record ledger, answered from the phone and name indexes,
// beside the full-text search that had to read every record when nothing
// matched (BenchmarkSearchFullScan). The goal is the first hits in under
// 50 ms; "ms" is the time per look-up.
func BenchmarkLookupAtAMillion(b *testing.B) {
	db := benchLedger(b)
	r, err := db.Get(benchRecords / 2)
	if err != nil {
		b.Fatal(err)
	}
	phone := r.CustomerPhone
	for _, tc := range []struct{ name, q string }{
		{"phone-as-typed", "+237 " + phone[:1] + " " + phone[1:3] + " " + phone[3:5] + " " + phone[5:7] + " " + phone[7:]},
		{"phone-nowhere", "6 00 00 00 01"},
		{"name-word", "ngono"},
		{"name-start", "mb"},
		{"two-words", "marie ngo"},
		{"name-nowhere", "zzqxw"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var n int
			for i := 0; i < b.N; i++ {
				p, err := db.List(Filter{Customer: tc.q}, 50, "")
				if err != nil {
					b.Fatal(err)
				}
				n = len(p.Records)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms")
			b.ReportMetric(float64(n), "hits")
			record(b)
		})
	}
	b.Run("suggest", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := db.RecentCustomers(b.Context(), "ngono", 3); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms")
		record(b)
	})
}
