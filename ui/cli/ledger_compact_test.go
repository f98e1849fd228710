package cli_test

import (
	"strings"
	"testing"

	"github.com/coolpay/coolpay/store"
)

func TestLedgerCompactCommand(t *testing.T) {
	db, path := openLedger(t)
	for i := 0; i < 500; i++ {
		r := store.Record{Type: store.TypePayin, State: store.StatePending, AppRef: "cp-x"}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Owner(); err != nil {
		t.Skip("no owner locks here:", err)
	}
	env := map[string]string{"COOLPAY_DB": path}
	// Open in this process (it holds an owner lock): refused, nothing changed.
	if out, errs, code := runCLI(env, nil, "ledger", "compact"); code == 0 || !strings.Contains(errs, "open in another coolpay") {
		t.Fatalf("compact of an open ledger: %d %q %q", code, out, errs)
	}
	db.Close()
	out, errs, code := runCLI(env, nil, "ledger", "compact")
	if code != 0 || !strings.Contains(out, "bytes before") {
		t.Fatalf("compact: %d %q %q", code, out, errs)
	}
	db, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.Count(); err != nil || n != 500 {
		t.Fatalf("after compact: %d records, %v", n, err)
	}
}
