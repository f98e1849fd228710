package receipttext

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
)

var paid = store.Record{
	ID: 42, Type: store.TypePayin, State: store.StateSuccess, Amount: "15000", Fees: "300", Currency: "XAF",
	Operator: "CM_OM", CustomerName: "Marie Ngono", CustomerPhone: "690112233", Reason: "Facture 12",
	TransactionRef: "6f0e1c2a-9b7d-4c3e-8a55-0d2f4b1e9c11", AppRef: "cp-20261129-2c01b0d7233e",
	OperatorRef: "MP261129.1405.A12345", Cashier: "awa",
	Created: time.Date(2026, 11, 29, 14, 5, 0, 0, time.UTC),
}

func TestReceiptTextEnglishAndFrench(t *testing.T) {
	info := Info{Merchant: "Boutique Chez Awa", Loc: time.UTC}
	en := Text(i18n.New(i18n.EN), paid, info)
	wantEN := `       Boutique Chez Awa
            RECEIPT
--------------------------------
Date       2026-11-29 14:05
Payment    mobile money
Amount     15 000 XAF
Fees       300 XAF
Operator   Orange
Customer   Marie Ngono 690112233
For        Facture 12
State      ✔ success
Reference
  6f0e1c2a-9b7d-4c3e-8a55-0d2f4b
  1e9c11
Our ref.
  cp-20261129-2c01b0d7233e
Op. ref.   MP261129.1405.A12345
Cashier    awa
--------------------------------
           Thank you!
`
	if en != wantEN {
		t.Errorf("English receipt:\n%s\nwant:\n%s", en, wantEN)
	}
	fr := Text(i18n.New(i18n.FR), paid, info)
	for _, s := range []string{"REÇU", "Date       29/11/2026 14:05", "Montant    15 000 XAF", "Client     Marie Ngono",
		"Motif      Facture 12", "État       ✔ réussi", "Caissier   awa", "Merci !"} {
		if !strings.Contains(fr, s) {
			t.Errorf("French receipt lacks %q:\n%s", s, fr)
		}
	}
	for _, text := range []string{en, fr} {
		for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if n := utf8.RuneCountInString(l); n > Width {
				t.Errorf("line wider than %d (%d): %q", Width, n, l)
			}
		}
	}
}

// TestReceiptInEurosTakesTheDecimalComma: a paylink in euros reads
// "12,50 EUR" in French, "12.50 EUR" in English.
func TestReceiptInEurosTakesTheDecimalComma(t *testing.T) {
	r := paid
	r.Type, r.Amount, r.Fees, r.Currency = store.TypePaylink, "12.5", "0.35", "EUR"
	if s := Text(i18n.New(i18n.FR), r, Info{}); !strings.Contains(s, "Montant    12,50 EUR") || !strings.Contains(s, "Frais      0,35 EUR") {
		t.Errorf("French euros:\n%s", s)
	}
	if s := Text(i18n.New(i18n.EN), r, Info{}); !strings.Contains(s, "Amount     12.50 EUR") {
		t.Errorf("English euros:\n%s", s)
	}
}

// TestReceiptOfUnpaidSaysSo: a receipt is proof of payment; one for a
// failed or pending payment says it in words.
func TestReceiptOfUnpaidSaysSo(t *testing.T) {
	r := paid
	r.State = store.StateFailed
	if s := Text(i18n.New(i18n.FR), r, Info{}); !strings.Contains(s, "*** NON PAYÉ ***") || strings.Contains(s, "Merci") {
		t.Errorf("failed:\n%s", s)
	}
	r.State = store.StatePending
	if s := Text(i18n.New(i18n.EN), r, Info{}); !strings.Contains(s, "*** NOT CONFIRMED YET ***") {
		t.Errorf("pending:\n%s", s)
	}
}

// TestReceiptTextIsInert: names and references from outside cannot move
// the cursor, clear the screen or reorder text on a terminal or printer.
func TestReceiptTextIsInert(t *testing.T) {
	r := paid
	r.CustomerName = "Eve\x1b[2J\u202e"
	r.TransactionRef = "ref\r\nAmount 0 XAF"
	r.Cashier = "x\x07"
	s := Text(i18n.New(i18n.EN), r, Info{Merchant: "Shop\x1b]52;c;aGk=\x07"})
	for _, bad := range []string{"\x1b", "\u202e", "\r", "\x07"} {
		if strings.Contains(s, bad) {
			t.Errorf("receipt carries %q:\n%q", bad, s)
		}
	}
	if strings.Contains(s, "\nAmount 0 XAF") {
		t.Error("a reference forged a receipt line")
	}
}

func TestSaveNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	p1, err := Save(dir, paid, "one")
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Save(dir, paid, "two")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p1) != "coolpay-receipt-cp-20261129-2c01b0d7233e.txt" || filepath.Base(p2) != "coolpay-receipt-cp-20261129-2c01b0d7233e-2.txt" {
		t.Fatalf("names %s %s", p1, p2)
	}
	if b, _ := os.ReadFile(p1); string(b) != "one" {
		t.Fatalf("first receipt overwritten: %q", b)
	}
	r := paid
	r.AppRef = "../../etc/passwd"
	if n := FileName(r); strings.ContainsAny(n, "/\\") || n != "coolpay-receipt-etcpasswd.txt" {
		t.Fatalf("file name from a hostile ref: %q", n)
	}
}

func TestDefaultDirPrefersDownloads(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if d := DefaultDir(getenv); d != home {
		t.Fatalf("no Downloads: %s, want home %s", d, home)
	}
	os.Mkdir(filepath.Join(home, "Downloads"), 0o755)
	if d := DefaultDir(getenv); d != filepath.Join(home, "Downloads") {
		t.Fatalf("with ~/Downloads: %s", d)
	}
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.Mkdir(filepath.Join(home, "Téléchargements"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"), 0o644)
	if d := DefaultDir(getenv); d != filepath.Join(home, "Téléchargements") {
		t.Fatalf("xdg-user-dirs: %s", d)
	}
}

// TestPrintUsesLpAndSaysWhenThereIsNone runs Print against a real lp
// program (a script on PATH that keeps what it was given), then with an
// empty PATH.
func TestPrintUsesLpAndSaysWhenThereIsNone(t *testing.T) {
	bin := t.TempDir()
	out := filepath.Join(t.TempDir(), "printed")
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat here")
	}
	script := "#!/bin/sh\n" + cat + " > '" + out + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "lp"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	text := Text(i18n.New(i18n.FR), paid, Info{})
	if err := Print(context.Background(), text); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != text {
		t.Fatalf("lp got %q", b)
	}
	t.Setenv("PATH", t.TempDir())
	if err := Print(context.Background(), text); !errors.Is(err, ErrNoPrinter) {
		t.Fatalf("without lp or lpr: %v", err)
	}
}
