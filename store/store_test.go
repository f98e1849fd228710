package store

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "ledger.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sameRecord compares records with time.Equal semantics (stored times come
// back in the local zone without a monotonic reading).
func sameRecord(a, b Record) bool {
	if !a.Created.Equal(b.Created) || !a.Updated.Equal(b.Updated) || len(a.Events) != len(b.Events) {
		return false
	}
	for i := range a.Events {
		if !a.Events[i].At.Equal(b.Events[i].At) || a.Events[i].Kind != b.Events[i].Kind || a.Events[i].Detail != b.Events[i].Detail {
			return false
		}
	}
	a.Created, b.Created, a.Updated, b.Updated, a.Events, b.Events = time.Time{}, time.Time{}, time.Time{}, time.Time{}, nil, nil
	return reflect.DeepEqual(a, b)
}

func TestCreateGetUpdate(t *testing.T) {
	db := openTemp(t)
	r := Record{Type: TypePayout, State: StateNew, AppRef: "cp-20240101-aa", Amount: "1500", Currency: "XAF",
		Operator: "CM_OM", CustomerPhone: "237699000001", Reason: "Loyer",
		Request: `{"transaction_amount":1500,"transaction_currency":"XAF","transaction_operator":"CM_OM","app_transaction_ref":"cp-20240101-aa","customer_phone_number":"237699000001"}`}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	if r.ID != 1 || r.Created.IsZero() || !r.Updated.Equal(r.Created) || len(r.Events) != 1 || r.Events[0].Kind != EvCreated {
		t.Fatalf("Create did not fill the record: %+v", r)
	}
	got, err := db.Get(r.ID)
	if err != nil || !sameRecord(got, r) {
		t.Fatalf("Get = %+v, %v; want %+v", got, err, r)
	}
	up, err := db.Update(r.ID, func(x *Record) error {
		x.State = StatePending
		x.TransactionRef = "tx-123"
		x.Events = append(x.Events, Event{At: time.Now(), Kind: EvSent})
		return nil
	})
	if err != nil || up.State != StatePending || len(up.Events) != 2 {
		t.Fatalf("Update = %+v, %v", up, err)
	}
	if got, err := db.ByTransactionRef("tx-123"); err != nil || got.ID != r.ID || !sameRecord(got, up) {
		t.Fatalf("ByTransactionRef = %+v, %v", got, err)
	}
	if got, err := db.ByAppRef("cp-20240101-aa"); err != nil || got.ID != r.ID {
		t.Fatalf("ByAppRef = %+v, %v", got, err)
	}
	if _, err := db.Get(99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(99) err = %v, want ErrNotFound", err)
	}
	if _, err := db.ByTransactionRef("tx-12"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("prefix of a ref must not match: %v", err)
	}
	if _, err := db.Update(99, func(*Record) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update(99) err = %v", err)
	}
	if n, _ := db.Count(); n != 1 {
		t.Fatalf("Count = %d", n)
	}
	if real, _ := db.HasReal(); !real {
		t.Fatal("HasReal = false after a real Create")
	}
}

func TestUpdateKeepsEventsAppendOnly(t *testing.T) {
	db := openTemp(t)
	r := Record{Type: TypePayin, State: StateNew, AppRef: "a"}
	if err := db.Create(&r); err != nil {
		t.Fatal(err)
	}
	db.Update(r.ID, func(x *Record) error {
		x.Events = append(x.Events, Event{At: time.Now(), Kind: EvSent})
		return nil
	})
	for name, fn := range map[string]func(x *Record) error{
		"drop":    func(x *Record) error { x.Events = x.Events[:1]; return nil },
		"replace": func(x *Record) error { x.Events[1].Kind = EvPolled; return nil },
		"retime":  func(x *Record) error { x.Events[0].At = x.Events[0].At.Add(time.Second); return nil },
		"clear":   func(x *Record) error { x.Events = nil; x.State = StateSuccess; return nil },
	} {
		if _, err := db.Update(r.ID, fn); !errors.Is(err, ErrEventsRewritten) {
			t.Errorf("%s: err = %v, want ErrEventsRewritten", name, err)
		}
	}
	got, _ := db.Get(r.ID)
	if len(got.Events) != 2 || got.Events[1].Kind != EvSent || got.State != StateNew {
		t.Fatalf("a refused update changed the record: %+v", got)
	}
	fnErr := errors.New("nope")
	if _, err := db.Update(r.ID, func(x *Record) error { x.State = StateFailed; return fnErr }); err != fnErr {
		t.Fatalf("fn error not returned as is: %v", err)
	}
	if got, _ := db.Get(r.ID); got.State != StateNew {
		t.Fatal("an update whose fn failed was written")
	}
}

func TestStateFinal(t *testing.T) {
	final := map[State]bool{StateSuccess: true, StateFailed: true, StateCanceled: true, StateRejected: true}
	for _, s := range []State{StateNew, StateCreated, StateOTP, StatePending, StateSuccess, StateFailed, StateCanceled, StateRejected, StateUnknown} {
		if s.Final() != final[s] {
			t.Errorf("%s.Final() = %v", s, s.Final())
		}
	}
}
