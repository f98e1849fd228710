package store

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func sampleRecords() []Record {
	at := time.Date(2026, 11, 27, 7, 31, 9, 123456789, time.UTC)
	return []Record{
		{},
		{ID: 7, Type: TypePayin, State: StateSuccess, AppRef: "cp-1", Amount: "1500", Currency: "XAF", Created: at, Updated: at.Add(time.Second)},
		{ID: 1<<63 + 5, Type: TypePayout, State: StateUnknown, AppRef: `a"b\c`, TransactionRef: "t<>&", OperatorRef: "MP.1",
			Amount: "10.5", Fees: "0.21", Currency: "EUR", Operator: "CM_OM", APIStatus: "PENDING",
			Message: "line\nbreak\ttab\r\x00\x1f\u2028\u2029", Reason: "Facture n°12 — été", CustomerName: "Ngono \xff bad",
			CustomerPhone: "690112233", CustomerEmail: "a@b.cm", CustomerUsername: "u", CustomerLang: "fr",
			PaymentURL: "https://x/?a=1&b=2", USSD: "#150*50#", Action: "PENDING", HTTPStatus: 202,
			Request: `{"transaction_amount":10.5}`, Synthetic: true,
			Cashier: "Aïcha <caisse 2>", Batch: "salaires-2026-11", BatchLine: 42, Owner: "not in JSON",
			Created: at.In(time.FixedZone("WAT", 3600)), Updated: time.Unix(0, 0).UTC(),
			Events: []Event{{At: at, Kind: EvCreated}, {At: at, Kind: EvSent, Detail: "x\x7f<y>"}}},
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	recs := sampleRecords()
	for _, r := range recs {
		want, _ := json.MarshalIndent(r, "  ", "  ")
		if got := r.AppendJSON(nil, "  "); !bytes.Equal(got, want) {
			t.Errorf("record %d:\n got %s\nwant %s", r.ID, got, want)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("cp-1", "hello", "<&>", int64(5), 200)
	f.Add("\xff\xfe", "\u2028", "\x00", int64(-1), 0)
	f.Fuzz(func(t *testing.T, a, b, c string, ns int64, code int) {
		r := Record{ID: uint64(ns), AppRef: a, Reason: b, CustomerName: c, Message: a + b, HTTPStatus: code,
			Cashier: c, Batch: a, BatchLine: code, Owner: b,
			Created: time.Unix(0, ns).UTC(), Events: []Event{{At: time.Unix(ns, 0).UTC(), Kind: b, Detail: c}}}
		want, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return // times outside RFC 3339's range: encoding/json refuses them too
		}
		if got := r.AppendJSON(nil, ""); !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}
