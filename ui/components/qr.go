package components

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/aymanbagabas/go-osc52/v2"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

// QR draws text as a QR code in half blocks (two modules per line) with a
// one-module quiet zone and the lowest error correction, so a payment URL fits
// beside the details in 80×24. Light modules are drawn as the terminal's
// foreground on a dark background and as blanks on a light one, so the code
// is always dark-on-light, which is what phone scanners expect. It returns ""
// when text cannot be a QR code (too long: the largest holds under 3,000
// bytes), so the caller shows a note instead.
func QR(text string, dark bool) string {
	// qrterminal ignores the encoder's error and then dereferences nil:
	// check first with the same encoder and level.
	if _, err := qr.Encode(text, qr.L); err != nil {
		return ""
	}
	var buf bytes.Buffer
	cfg := qrterminal.Config{
		Level:          qrterminal.L,
		Writer:         &buf,
		HalfBlocks:     true,
		QuietZone:      1,
		BlackChar:      qrterminal.BLACK_BLACK,
		BlackWhiteChar: qrterminal.BLACK_WHITE,
		WhiteChar:      qrterminal.WHITE_WHITE,
		WhiteBlackChar: qrterminal.WHITE_BLACK,
	}
	if !dark {
		// Swap: dark modules drawn with the (dark) foreground.
		cfg.BlackChar, cfg.WhiteChar = qrterminal.WHITE_WHITE, qrterminal.BLACK_BLACK
		cfg.BlackWhiteChar, cfg.WhiteBlackChar = qrterminal.WHITE_BLACK, qrterminal.BLACK_WHITE
	}
	qrterminal.GenerateWithConfig(text, cfg)
	return strings.TrimRight(buf.String(), "\n")
}

// ErrNoTerminal: there is no terminal to send the clipboard sequence to.
var ErrNoTerminal = errors.New("no terminal to copy through")

// CopiedMsg reports an OSC 52 clipboard copy.
type CopiedMsg struct {
	ID  int // the request id given to CopyCmd
	Err error
}

// CopyCmd writes an OSC 52 "set clipboard" sequence for text to w (the
// terminal; os.Stderr in the console, which Bubble Tea does not draw on). The
// terminal, not this machine, owns the clipboard, so it works over SSH.
// Inside tmux the sequence is wrapped for passthrough.
func CopyCmd(w io.Writer, text string, tmux bool, id int) tea.Cmd {
	return func() tea.Msg {
		if w == nil {
			return CopiedMsg{ID: id, Err: ErrNoTerminal}
		}
		seq := osc52.New(text)
		if tmux {
			seq = seq.Tmux()
		}
		_, err := seq.WriteTo(w)
		return CopiedMsg{ID: id, Err: err}
	}
}
