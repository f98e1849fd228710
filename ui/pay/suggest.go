package pay

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/safe"
)

// Recent customers: while the cashier types a phone number or a name in
// the payin form, the customers already in the ledger that match are
// suggested under the form (the store's look-up index answers in a few
// milliseconds, see store.RecentCustomers); ctrl+f fills in the first one's
// phone, name, e-mail and language. Nothing else changes: the amount and
// the reason stay what the cashier typed.

// suggestDelay is how long after the last keystroke the look-up runs.
const suggestDelay = 120 * time.Millisecond

// maxSuggestions is how many customers are offered.
const maxSuggestions = 3

type suggester struct {
	seq  int            // the latest keystroke's ticket
	text string         // what the suggestions on screen answer
	recs []store.Record // the customers suggested
}

type suggestTickMsg struct{ seq int }

type suggestMsg struct {
	seq  int
	text string
	recs []store.Record
}

// suggestFillKey fills the form from the first suggestion.
func suggestFillKey(c *common.Common) key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", c.T.T("desk.suggest.fill")))
}

// suggestText is what the look-up is asked about: the phone field while it
// has the focus, else the name field while it has it.
func (p *Payin) suggestText() string {
	f := p.form.Focused()
	if f == nil || (f.Name != fPhone && f.Name != fName) {
		return ""
	}
	v := strings.TrimSpace(f.Value())
	if f.Name == fPhone && !store.IsPhone(v) {
		return "" // a phone is looked up once it is whole
	}
	if f.Name == fName && len([]rune(v)) < 2 {
		return ""
	}
	return v
}

// suggestChanged starts the debounce when the text looked up changed.
func (p *Payin) suggestChanged(before string) tea.Cmd {
	now := p.suggestText()
	if now == before {
		return nil
	}
	p.sug.seq++
	if now == "" {
		p.sug.recs, p.sug.text = nil, ""
		return nil
	}
	seq := p.sug.seq
	return tea.Tick(suggestDelay, func(time.Time) tea.Msg { return suggestTickMsg{seq: seq} })
}

func (p *Payin) onSuggest(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case suggestTickMsg:
		text, db := p.suggestText(), p.c.Store
		if msg.seq != p.sug.seq || text == "" || db == nil || p.state != payinForm {
			return nil
		}
		ctx, seq := ctxOf(p.c), msg.seq
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			recs, _ := db.RecentCustomers(ctx, text, maxSuggestions)
			return suggestMsg{seq: seq, text: text, recs: recs}
		}
	case suggestMsg:
		if msg.seq == p.sug.seq {
			p.sug.text, p.sug.recs = msg.text, msg.recs
		}
	}
	return nil
}

// suggestKey handles ctrl+f; ok says it was that key.
func (p *Payin) suggestKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if !key.Matches(msg, suggestFillKey(p.c)) || len(p.sug.recs) == 0 {
		return nil, false
	}
	r := p.sug.recs[0]
	prefill(p.form, map[string]string{fPhone: r.CustomerPhone, fName: r.CustomerName,
		fEmail: r.CustomerEmail, fLang: r.CustomerLang})
	if p.form.Value(fAmount) != "" {
		p.form.Focus(fReason) // the amount is typed: go on where it stopped
	}
	p.sug = suggester{seq: p.sug.seq + 1}
	return nil, true
}

// suggestView is the suggestion lines under the form ("" for none).
func (p *Payin) suggestView() string {
	if len(p.sug.recs) == 0 || p.state != payinForm || p.sug.text != p.suggestText() {
		return ""
	}
	st, t := p.c.Styles, p.c.T
	var b strings.Builder
	b.WriteString("\n\n" + st.Label.Render(t.T("desk.suggest.title")))
	for i, r := range p.sug.recs {
		who := strings.TrimSpace(safe.Line(r.CustomerName) + "  " + safe.Line(r.CustomerPhone))
		last := t.T("desk.suggest.last", common.Amount(t, r.Amount, r.Currency),
			r.Created.Local().Format("02/01"))
		line := "  " + who + st.Muted.Render("  "+last)
		if i == 0 {
			line = st.FocusedLabel.Render("› ") + who + st.Muted.Render("  "+last+"  ·  ctrl+f")
		}
		if p.width > 0 {
			line = ansi.Truncate(line, p.width, "…")
		}
		b.WriteString("\n" + line)
	}
	return b.String()
}
