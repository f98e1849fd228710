package cli

import (
	"testing"
	"time"

	"github.com/coolpay/coolpay/ui/common"
)

// FuzzParseDate: whatever is typed after --since or --until, parsing it
// never panics, a refusal is a usage error (exit 2), and an accepted value
// is a time the ledger's index holds exactly (its int64 nanoseconds do not
// wrap, even a day later for a --until date), so a filter built from it
// can never turn inside out: --since X --until X is a window that starts
// before it ends.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-20", "9999-12-31", "1600-01-01", "1677-09-21", "2262-04-11",
		"1678-01-01", "2261-12-31", "2261-12-31T23:59:59-14:00", "1678-01-01T00:00:00+14:00",
		"2262-04-11T23:47:16.854775807Z", "1677-09-21T00:12:43.145224192Z", "0000-01-01", "", "2026-02-30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate("--since", s)
		if err != nil {
			if exitCode(err) != ExitUsage {
				t.Fatalf("%q: %v is not a usage error", s, err)
			}
			return
		}
		if !common.DateInRange(d) {
			t.Fatalf("%q accepted as %v, outside %d–%d", s, d, common.FirstYear, common.LastYear)
		}
		for _, x := range []time.Time{d, d.AddDate(0, 0, 1)} {
			if back := time.Unix(0, x.UnixNano()); !back.Equal(x) {
				t.Fatalf("%q: %v does not survive the ledger's nanoseconds (%v)", s, x, back)
			}
		}
		flt, err := HistoryFilter("", "", "", s, s, "")
		if err != nil {
			if exitCode(err) != ExitUsage {
				t.Fatalf("--since %q --until %q: %v is not a usage error", s, s, err)
			}
			return
		}
		if !flt.Since.Before(flt.Until) || flt.Since.UnixNano() >= flt.Until.UnixNano() {
			t.Fatalf("--since %q --until %q: window %v … %v is inverted", s, s, flt.Since, flt.Until)
		}
	})
}

// The years the ledger holds are accepted to their first and last day,
// and refused one day beyond, in both forms; --since after --until and a
// non-date are usage errors too.
func TestParseDateBounds(t *testing.T) {
	for s, ok := range map[string]bool{
		"1678-01-01": true, "2261-12-31": true, "1677-12-31": false, "2262-01-01": false,
		"1678-01-01T00:00:00Z": true, "2261-12-31T23:59:59Z": true, "2262-01-01T00:00:00Z": false,
		"1600-01-01": false, "9999-12-31": false, "2026-11-20": true, "tomorrow": false,
	} {
		_, err := parseDate("--until", s)
		if (err == nil) != ok || (err != nil && exitCode(err) != ExitUsage) {
			t.Errorf("%q: err %v, want ok %v", s, err, ok)
		}
	}
	if _, err := HistoryFilter("", "", "", "2026-11-21", "2026-11-20", ""); err == nil || exitCode(err) != ExitUsage {
		t.Errorf("--since after --until: %v", err)
	}
	if f, err := HistoryFilter("", "", "", "2026-11-20", "2026-11-20", ""); err != nil || f.Until.Sub(f.Since) != 24*time.Hour {
		t.Errorf("one day: %v %v", f, err)
	}
}
