package app

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/client/sandbox/sandboxtest"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/keys/keystest"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

// noKeyring is a keyring that fails as a headless server's does.
func noKeyring() *keystest.Memory {
	kr := keystest.NewMemory()
	kr.Fail(errors.New(`exec: "dbus-launch": executable file not found in $PATH`))
	return kr
}

// keyringless wires a console to the sandbox with no keyring (noKeyring) and no
// COOLPAY_PRIVATE_KEY: only the console's own prompt can give the key.
func keyringless(t *testing.T, dbPath string, lang i18n.Lang) (*KeyPrompt, Model, *store.DB) {
	t.Helper()
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sb := sandboxtest.Start(t, sandbox.Config{ConfirmAfter: 30 * time.Millisecond})
	prompt := NewKeyPrompt()
	k := keys.New(client.SandboxPublicKey, keys.WithEnv(func(string) (string, bool) { return "", false }), keys.WithKeyring(noKeyring()),
		keys.WithPrompt(prompt.Ask), keys.WithTimeout(50*time.Millisecond))
	svc := core.New(core.Config{Client: client.New(client.SandboxPublicKey, client.WithBaseURL(sb.BaseURL),
		client.WithPrivateKey(k.PrivateKey)), Store: db})
	c := offline(db)
	c.T, c.Svc, c.Secrets = i18n.New(lang), svc, k
	return prompt, New(c, Options{Start: TabPayout, Follow: fastFollow()}), db
}

// outputWaiter waits until the program's output shows want. Output read by
// an earlier wait is searched again from where that wait started, since one
// frame may hold what two successive waits look for.
func outputWaiter(t *testing.T, tm *teatest.TestModel) func(want string) {
	var acc []byte
	from := 0
	return func(want string) {
		t.Helper()
		start := len(acc)
		end := time.Now().Add(5 * time.Second)
		buf := make([]byte, 4096)
		for !bytes.Contains(acc[from:], []byte(want)) {
			if time.Now().After(end) {
				t.Fatalf("output never showed %q; last output:\n%s", want, acc[start:])
			}
			n, _ := tm.Output().Read(buf)
			acc = append(acc, buf[:n]...)
			if n == 0 {
				time.Sleep(10 * time.Millisecond)
			}
		}
		from = start
	}
}

// With no keyring and no COOLPAY_PRIVATE_KEY, the header's balance does not
// ask; the first payout does, masked; the key then serves the whole run and
// the payout goes; the ledger file never holds the key.
func TestFirstPayoutAsksForThePrivateKeyAndGoesOn(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "ledger.db")
	prompt, m, db := keyringless(t, dbPath, i18n.EN)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	prompt.Attach(tm.Send)
	waitOut := outputWaiter(t, tm)
	waitOut("no private key yet") // the header's balance did not pop the field
	typeIn := func(s string) { tm.Type(s) }
	tm.Send(tea.KeyMsg{Type: tea.KeyRight}) // MTN MoMo
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	typeIn("677123456")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	typeIn("5000")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitOut("Private key needed")

	// A wrong key is refused in place; the field stays open.
	typeIn("short")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut("✘ ")
	for range 5 {
		tm.Send(tea.KeyMsg{Type: tea.KeyBackspace})
	}
	typeIn(sandbox.DefaultPrivateKey)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut("kept in memory for this run")
	waitOut("1 000 000 XAF") // the confirmation's balance, with the key now
	typeIn("5 000")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut("Paid")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if strings.Contains(final.View(), sandbox.DefaultPrivateKey) {
		t.Fatal("the private key is on screen")
	}
	if st := final.c.Secrets.Status(context.Background()); st.Source != keys.SourceMemory {
		t.Fatalf("key source %q, want memory", st.Source)
	}
	page, err := db.List(store.Filter{}, 10, "")
	recs := page.Records
	if err != nil || len(recs) != 1 || recs[0].State != store.StateSuccess {
		t.Fatalf("ledger: %+v, %v; want one successful payout", recs, err)
	}
	db.Close()
	raw, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(sandbox.DefaultPrivateKey)) {
		t.Fatal("the private key is in the ledger file")
	}
}

// esc closes the field: nothing is sent, and the next payout asks again.
func TestClosingTheKeyFieldSendsNothingAndAsksAgainLater(t *testing.T) {
	prompt, m, db := keyringless(t, filepath.Join(t.TempDir(), "ledger.db"), i18n.FR)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	prompt.Attach(tm.Send)
	waitOut := outputWaiter(t, tm)
	waitOut("pas encore de clé privée") // the header's balance has answered
	tm.Send(tea.KeyMsg{Type: tea.KeyRight})
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type("677123456")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Type("5000")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlS})
	waitOut("Clé privée nécessaire")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitOut("Aucune clé privée")
	// Sending now asks again (the confirmation's balance was not known).
	tm.Type("5000")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut("Clé privée nécessaire")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitOut("Non envoyé : aucune clé privée")
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	page, _ := db.List(store.Filter{}, 10, "")
	for _, r := range page.Records {
		if r.State != store.StateRejected {
			t.Fatalf("a payout without a key is %s, want REJECTED (not sent): %+v", r.State, r)
		}
	}
}
