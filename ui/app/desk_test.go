package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

func deskLedger(t *testing.T) *store.DB {
	t.Helper()
	db := openDB(t)
	recs := []store.Record{
		{Type: store.TypePayout, State: store.StateSuccess, Operator: "CM_MOMO", Amount: "5000", Currency: "XAF",
			CustomerPhone: "677123456", Reason: "Salaire", AppRef: "cp-out", Cashier: "paul", Created: baseTime},
		{Type: store.TypePayin, State: store.StateSuccess, Operator: "CM_OM", Amount: "15000", Fees: "300", Currency: "XAF",
			CustomerPhone: "690112233", CustomerName: "Marie Ngono", AppRef: "cp-in", TransactionRef: "tx-in", Cashier: "awa",
			Created: baseTime.Add(time.Minute)},
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting("merchant_name", "Chez Awa"); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestReceiptFromHistoryInBothLanguages: "p" on a History row shows its
// receipt over the screen at 80×24 with its keys in the help bar; "s"
// saves it in the Downloads folder; esc gives History its keys back.
func TestReceiptFromHistoryInBothLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang              i18n.Lang
		title, help, save string
	}{
		{i18n.EN, "RECEIPT", "p print", "Receipt saved: "},
		{i18n.FR, "REÇU", "p imprimer", "Reçu enregistré : "},
	} {
		home := t.TempDir()
		t.Setenv("HOME", home)
		t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
		os.Mkdir(filepath.Join(home, "Downloads"), 0o755)
		c := offline(deskLedger(t))
		c.T = i18n.New(tc.lang)
		h := newHarness(t, c, Options{Start: TabHistory})
		h.keys("p")
		v := h.m.View()
		for _, s := range []string{tc.title, "Chez Awa", "15 000 XAF", "awa", tc.help} {
			if !strings.Contains(v, s) {
				t.Errorf("%s: receipt view lacks %q:\n%s", tc.lang, s, v)
			}
		}
		if n := strings.Count(v, "\n") + 1; n != 24 {
			t.Errorf("%s: view is %d lines, want 24", tc.lang, n)
		}
		h.keys("tab") // the receipt has the keys: no screen switch
		if h.m.Active() != TabHistory || h.m.receipt == nil {
			t.Fatalf("%s: tab left the receipt", tc.lang)
		}
		h.keys("s")
		if !strings.HasPrefix(h.m.Status(), tc.save) {
			t.Fatalf("%s: status after s: %q", tc.lang, h.m.Status())
		}
		path := strings.TrimPrefix(h.m.Status(), tc.save)
		if filepath.Dir(path) != filepath.Join(home, "Downloads") {
			t.Errorf("%s: saved in %s, want the Downloads folder", tc.lang, path)
		}
		if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), tc.title) || !strings.Contains(string(b), "tx-in") {
			t.Errorf("%s: saved receipt %v:\n%s", tc.lang, err, b)
		}
		h.keys("esc")
		if h.m.receipt != nil || strings.Contains(h.m.View(), tc.title) {
			t.Fatalf("%s: esc did not close the receipt", tc.lang)
		}
		h.keys("tab")
		if h.m.Active() != TabToday {
			t.Fatalf("%s: after the receipt, tab went to %v", tc.lang, h.m.Active())
		}
	}
}

// TestPayAgainFromHistoryOpensTheRightForm: "g" on a payout row switches
// to Payout with the form filled in, on a payin row to Payin; nothing is
// sent.
func TestPayAgainFromHistoryOpensTheRightForm(t *testing.T) {
	db := deskLedger(t)
	h := newHarness(t, offline(db), Options{Start: TabHistory})
	h.keys("down", "g") // the older row: the payout
	if h.m.Active() != TabPayout {
		t.Fatalf("pay again on a payout went to %v", h.m.Active())
	}
	v := h.m.View()
	for _, s := range []string{"677123456", "5000", "Salaire", "Filled in from transaction 1"} {
		if !strings.Contains(v, s) {
			t.Errorf("payout form lacks %q:\n%s", s, v)
		}
	}
	for h.m.Active() != TabHistory { // back to History
		h.keys("ctrl+right")
	}
	h.keys("up", "g")
	if h.m.Active() != TabPayin {
		t.Fatalf("pay again on a payin went to %v", h.m.Active())
	}
	if v := h.m.View(); !strings.Contains(v, "690112233") || !strings.Contains(v, "Marie Ngono") {
		t.Errorf("payin form:\n%s", v)
	}
	if n, _ := db.Count(); n != 2 {
		t.Fatalf("pay again wrote to the ledger: %d records", n)
	}
}
