package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
)

// KeyPrompt lets package keys ask for the private key through the console
// (keys.WithPrompt(p.Ask)): with no keyring and no COOLPAY_PRIVATE_KEY, the
// first call that needs the key (a payout, its balance check) opens a masked
// field over the screen, and keys keeps the answer in memory for the run.
//
// Ask runs inside a tea.Cmd's goroutine, so it hands the question to the
// program (Attach(p.Send)) and waits for the answer or for its context.
type KeyPrompt struct {
	mu   sync.Mutex
	send func(tea.Msg)
}

// NewKeyPrompt returns a prompt not yet attached to a program.
func NewKeyPrompt() *KeyPrompt { return &KeyPrompt{} }

// Attach sets how questions reach the console: tea.Program.Send.
func (p *KeyPrompt) Attach(send func(tea.Msg)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.send = send
}

// keyAnswer is what the console's field gives back.
type keyAnswer struct {
	key string
	err error
}

// keyPromptMsg opens the field; its answer goes to reply (buffered).
type keyPromptMsg struct{ reply chan keyAnswer }

// Ask is a keys prompt: it blocks until the key is typed, the field is
// closed (an error wrapping keys.ErrPromptCanceled, so a later payment asks
// again) or ctx ends.
func (p *KeyPrompt) Ask(ctx context.Context) (string, error) {
	p.mu.Lock()
	send := p.send
	p.mu.Unlock()
	if send == nil {
		return "", fmt.Errorf("the console is not running: %w", keys.ErrPromptCanceled)
	}
	reply := make(chan keyAnswer, 1)
	send(keyPromptMsg{reply: reply})
	select {
	case a := <-reply:
		return a.key, a.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// keyPromptModel is the open field.
type keyPromptModel struct {
	reply chan keyAnswer
	input textinput.Model
	err   string
}

func newKeyPromptModel(reply chan keyAnswer, w int) *keyPromptModel {
	ti := textinput.New()
	ti.Prompt = ""
	ti.CharLimit = 512
	ti.EchoMode = textinput.EchoPassword
	ti.EchoCharacter = '•'
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.Width = max(10, w-8)
	ti.Focus()
	return &keyPromptModel{reply: reply, input: ti}
}

// onKeyPrompt opens the field; a second question while one is open (two
// calls at once) is answered like the first: keys asks one at a time.
func (m *Model) onKeyPrompt(msg keyPromptMsg) tea.Cmd {
	if m.keyPrompt != nil {
		msg.reply <- keyAnswer{err: fmt.Errorf("another prompt is open: %w", keys.ErrPromptCanceled)}
		return nil
	}
	m.keyPrompt = newKeyPromptModel(msg.reply, m.width)
	return m.layout()
}

// keyPromptKey handles a key while the field is open: enter checks and
// answers, esc closes it without a key; everything else is typed.
func (m *Model) keyPromptKey(msg tea.KeyMsg) tea.Cmd {
	p, km, t := m.keyPrompt, m.c.Keys, m.c.T
	switch {
	case key.Matches(msg, km.Submit):
		v := p.input.Value()
		if m.c.Secrets != nil {
			k, err := m.c.Secrets.Validate(v)
			if err != nil {
				// keys' message names the rule broken, never the key.
				p.err = err.Error()
				return nil
			}
			v = k
		} else if strings.TrimSpace(v) == "" {
			p.err = t.T("app.keyprompt.empty")
			return nil
		}
		p.reply <- keyAnswer{key: v}
		m.keyPrompt = nil
		m.setStatus(common.StatusOK, t.T("app.keyprompt.kept"))
		// The header's balance can be known now; ask once keys has
		// taken the answer (it does so as soon as Ask returns).
		later := tea.Tick(300*time.Millisecond, func(time.Time) tea.Msg { return common.RefreshBalanceMsg{} })
		return tea.Batch(m.layout(), later)
	case key.Matches(msg, km.Back):
		p.reply <- keyAnswer{err: fmt.Errorf("closed with esc: %w", keys.ErrPromptCanceled)}
		m.keyPrompt = nil
		m.setStatus(common.StatusWarn, t.T("app.keyprompt.closed"))
		return m.layout()
	}
	p.err = ""
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

// keyPromptView draws the field in place of the screen.
func (m Model) keyPromptView() string {
	st, t, p := m.c.Styles, m.c.T, m.keyPrompt
	pub := ""
	if m.c.Svc.Online() {
		pub, _ = m.c.Svc.Endpoint()
	}
	lines := []string{st.Title.Render(t.T("app.keyprompt.title")), ""}
	lines = append(lines, strings.Split(components.Wrap(t.T("app.keyprompt.why", pub), m.width), "\n")...)
	lines = append(lines, "")
	for _, l := range strings.Split(st.Box.Render(p.input.View()), "\n") {
		lines = append(lines, "  "+l)
	}
	if p.err != "" {
		lines = append(lines, st.Error.Render(components.Wrap("✘ "+p.err, m.width)))
	} else {
		lines = append(lines, st.Hint.Render(components.Wrap(t.T("app.keyprompt.hint"), m.width)))
	}
	return strings.Join(lines, "\n")
}
