// Package safe turns text from outside (API answers, callbacks, the ledger,
// imported files) into text that can be written to a terminal or a
// spreadsheet without being obeyed: control characters, escape sequences
// and bidirectional overrides are shown, not run (as cli/go-gh's
// asciisanitizer does), and CSV cells a spreadsheet would run as a formula
// are neutralised. JSON output needs none of this: encoding/json escapes
// control characters and keeps values exact.
package safe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Line makes s safe as one line of terminal text: every C0 control
// character (newline and tab included), DEL and the C1 controls are shown in
// caret notation (ESC as "^[", newline as "^J", DEL as "^?", C1 as "^[" and
// the matching 7-bit letter, so CSI U+009B reads "^[["), bidirectional
// overrides, embeddings and isolates (which reorder what follows them on
// screen) are shown as <U+202E>, and invalid UTF-8 as U+FFFD. Text needing
// none of this is returned as is, without allocating.
func Line(s string) string { return clean(s, false) }

// Text is Line for text that may span lines: newlines and tabs are kept,
// everything else is made visible as in Line.
func Text(s string) string { return clean(s, true) }

func clean(s string, multiline bool) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c == '\n' || c == '\t' {
			if multiline {
				i++
				continue
			}
			break
		}
		if c < 0x80 {
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || unsafeRune(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c < 0x7f, multiline && (c == '\n' || c == '\t'):
			b.WriteByte(c)
			i++
			continue
		case c < 0x20:
			b.WriteByte('^')
			b.WriteByte(c + 0x40)
			i++
			continue
		case c == 0x7f:
			b.WriteString("^?")
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
		case r >= 0x80 && r <= 0x9f:
			b.WriteString("^[")
			b.WriteByte(byte(r - 0x40))
		case unsafeRune(r):
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// unsafeRune: runes (above ASCII) that must not reach a terminal as they are.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f: // C1 controls (CSI, OSC, ST, ...)
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		// Bidi embeddings, overrides and isolates, and the marks that
		// can reorder text around them.
		return true
	case r == 0x2028 || r == 0x2029: // line and paragraph separators
		return true
	case r == 0xfeff: // byte order mark / zero-width no-break space
		return true
	}
	return false
}

// CSVCell neutralises a text cell for spreadsheets: a cell starting with
// "=", "+", "-", "@", a tab or a carriage return is run as a formula by
// Excel, LibreOffice and Google Sheets, so it gets a leading apostrophe
// (the OWASP advice; the apostrophe shows the cell as text). Other cells are
// returned as they are. Use it on text from outside only, not on numbers
// written by coolpay.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
