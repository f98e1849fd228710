package pay

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/store"
)

// settle plays the root for the look-up: the debounce tick, then the
// answer, each given back to the screen.
func settle(t *testing.T, p *Payin, cmd tea.Cmd) {
	t.Helper()
	for i := 0; i < 4 && cmd != nil; i++ {
		var next tea.Cmd
		for _, m := range run(cmd) {
			if _, ok := m.(suggestTickMsg); ok {
				_, next = p.Update(m)
			}
			if _, ok := m.(suggestMsg); ok {
				p.Update(m)
			}
		}
		cmd = next
	}
}

// TestPayinSuggestsRecentCustomers: a phone typed as people type it, or the
// start of a name, brings up the customers already seen; ctrl+f fills the
// first one in and keeps the typed amount; nothing is sent.
func TestPayinSuggestsRecentCustomers(t *testing.T) {
	c := newCommon(offlineSvc())
	db, err := store.Open(t.TempDir()+"/l.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c.Store = db
	for i, r := range []store.Record{
		{CustomerName: "Marie Ngono", CustomerPhone: "691234567", CustomerEmail: "marie@ex.cm", CustomerLang: "en", Amount: "2500"},
		{CustomerName: "Marc Ngono", CustomerPhone: "677000111", Amount: "1000"},
		{CustomerName: "Marie Ngono", CustomerPhone: "691234567", Amount: "4000"},
	} {
		r.Type, r.State, r.Currency, r.AppRef = store.TypePayin, store.StateSuccess, "XAF", string(rune('a'+i))
		r.Created = time.Date(2026, 11, 10+i, 9, 0, 0, 0, time.Local)
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
	}
	p := NewPayin(c)
	p.SetSize(80, 18)
	typeText(p, "3000")
	press(p, "tab")
	typeText(p, "+237 6 91 23 45 6")
	settle(t, p, press(p, "7"))
	mustContain(t, p.View(), "Customers already seen:", "Marie Ngono", "last 4 000 XAF on 12/11", "ctrl+f")
	mustNotContain(t, p.View(), "Marc")
	p.Update(tea.KeyMsg{Type: tea.KeyCtrlF})
	if p.form.Value(fName) != "Marie Ngono" || p.form.Value(fEmail) != "marie@ex.cm" || p.form.Value(fLang) != "en" ||
		p.form.Value(fAmount) != "3000" || p.form.Value(fPhone) != "691234567" || p.state != payinForm {
		t.Fatalf("after ctrl+f: name %q email %q lang %q amount %q phone %q state %d", p.form.Value(fName),
			p.form.Value(fEmail), p.form.Value(fLang), p.form.Value(fAmount), p.form.Value(fPhone), p.state)
	}
	mustNotContain(t, p.View(), "Customers already seen:")

	// By name, from the name field: both customers, one line each.
	q := NewPayin(c)
	q.SetSize(80, 18)
	press(q, "tab", "tab")
	typeText(q, "ng")
	settle(t, q, press(q, "o"))
	mustContain(t, q.View(), "› Marie Ngono", "Marc Ngono  677000111")
	if n := len(q.sug.recs); n != 2 {
		t.Fatalf("%d suggestions, want one per customer: 2", n)
	}
	// A phone not whole yet asks nothing.
	r := NewPayin(c)
	press(r, "tab")
	if cmd := press(r, "6"); cmd != nil {
		for _, m := range run(cmd) {
			if _, ok := m.(suggestTickMsg); ok {
				t.Fatal("a one-digit phone started a look-up")
			}
		}
	}
}
