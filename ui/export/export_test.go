package export_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
)

func records() []store.Record {
	at := time.Date(2026, 11, 29, 5, 6, 7, 890_000_000, time.FixedZone("WAT", 3600))
	return []store.Record{
		{ID: 2, Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-b", Amount: "12.50", Fees: "0.25", Currency: "EUR",
			CustomerName: "Ngono; \"la\" <patronne>", Created: at, Updated: at.Add(time.Second / 3),
			Events: []store.Event{{At: at, Kind: store.EvCreated}}},
		{ID: 1, Type: store.TypePayout, State: store.StateFailed, AppRef: "cp-a", Amount: "50500", Currency: "XAF", Created: at.Add(-time.Hour)},
	}
}

// TestJSONIsEncodingJSONWithPolicyTimes: the streamed JSON is what
// encoding/json writes for the same records with their times in UTC whole
// seconds; an empty export is [].
func TestJSONIsEncodingJSONWithPolicyTimes(t *testing.T) {
	recs := records()
	var got bytes.Buffer
	w := export.NewWriter(&got, export.Options{Format: export.JSON})
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := records()
	for i := range want {
		want[i].Created = want[i].Created.UTC().Truncate(time.Second)
		want[i].Updated = want[i].Updated.UTC().Truncate(time.Second)
		for j := range want[i].Events {
			want[i].Events[j].At = want[i].Events[j].At.UTC().Truncate(time.Second)
		}
	}
	var exp bytes.Buffer
	enc := json.NewEncoder(&exp)
	enc.SetIndent("", "  ")
	enc.Encode(want)
	if got.String() != exp.String() {
		t.Fatalf("got\n%s\nwant\n%s", got.String(), exp.String())
	}
	if recs[0].Created.Location().String() != "WAT" {
		t.Fatal("the writer changed the caller's record")
	}
	var empty bytes.Buffer
	w = export.NewWriter(&empty, export.Options{Format: export.JSON})
	w.Close()
	if empty.String() != "[]\n" {
		t.Fatalf("empty: %q", empty.String())
	}
}

// TestCSVFormats: RFC 4180 by default; FrenchSpreadsheet adds a BOM, ';'
// and decimal commas, and keeps integer amounts and quoting.
func TestCSVFormats(t *testing.T) {
	recs := records()
	write := func(o export.Options) string {
		var b bytes.Buffer
		w := export.NewWriter(&b, o)
		for i := range recs {
			w.Write(&recs[i])
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	plain := write(export.ForSetting(""))
	rows, err := csv.NewReader(bytes.NewReader([]byte(plain))).ReadAll()
	if err != nil || len(rows) != 3 || rows[1][1] != "2026-11-29T04:06:07Z" || rows[1][5] != "12.50" || rows[1][9] != `Ngono; "la" <patronne>` {
		t.Fatalf("rfc4180: %v %q", err, rows)
	}
	fr := write(export.ForSetting("fr"))
	if fr[:3] != "\xef\xbb\xbf" {
		t.Fatalf("no BOM: %q", fr[:10])
	}
	r := csv.NewReader(bytes.NewReader([]byte(fr[3:])))
	r.Comma = ';'
	rows, err = r.ReadAll()
	if err != nil || len(rows) != 3 || rows[1][5] != "12,50" || rows[1][6] != "0,25" || rows[2][5] != "50500" || rows[1][9] != `Ngono; "la" <patronne>` {
		t.Fatalf("fr: %v %q", err, rows)
	}
}

func TestWriteRecordIsOneObjectWithPolicyTimes(t *testing.T) {
	r := records()[0]
	var b bytes.Buffer
	if err := export.WriteRecord(&b, &r); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || got["created"] != "2026-11-29T04:06:07Z" || got["app_transaction_ref"] != "cp-b" {
		t.Fatalf("%v %s", err, b.String())
	}
}
