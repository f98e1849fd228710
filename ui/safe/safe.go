// Package safe turns text from outside (API answers, callbacks, the ledger,
// imported files) into text that can be written to a terminal or a
// spreadsheet without being obeyed: control characters, escape sequences
// and bidirectional overrides are shown, not run (as cli/go-gh's
// asciisanitizer does), and CSV cells a spreadsheet would run as a formula
// are neutralised. JSON output needs it too: encoding/json escapes C0
// controls but writes DEL, the C1 controls (U+009B is a CSI) and the bidi
// overrides (U+202E) raw, so `coolpay … --json` in a terminal would obey
// them; JSON escapes them all, which keeps every value exact (JSON).
//
// The rules, one per kind of output:
//   - terminal text: Line / Text (caret notation, <U+202E>);
//   - CSV cells: CSVCell (the terminal rule, then formulas neutralised);
//   - JSON: JSON (every control, format and separator code point as \uXXXX);
//   - URLs: URL (the user-info password hidden, then the terminal rule).
package safe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
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

// CSVCell makes a cell of a CSV file coolpay writes safe twice over, for
// every column of every CSV (history, report, the batch results file):
//
//   - for a terminal (`cat`, `less`): the cell is made inert as Line does,
//     so control characters, escape sequences and bidi overrides are shown
//     ("^[", "<U+202E>"), never obeyed, and newlines ("^J") cannot start a
//     fake row; the text is kept, only made visible;
//   - for a spreadsheet: a cell Excel, LibreOffice or Google Sheets would run
//     as a formula, one starting with "=", "+", "-" or "@" (a leading tab or
//     carriage return is already "^I", "^M"), gets a leading apostrophe (the
//     OWASP advice; the apostrophe shows the cell as text). A negative
//     number ("-1500", "-12,50") is a number, not a formula, and is kept.
//
// It is idempotent: a cell made safe once is not changed again.
func CSVCell(s string) string {
	s = Line(s)
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '@':
		return "'" + s
	case '-':
		if !negativeNumber(s) {
			return "'" + s
		}
	}
	return s
}

// negativeNumber: "-" then digits, with at most one decimal point or comma
// followed by digits.
func negativeNumber(s string) bool {
	whole, frac, hasSep := strings.Cut(s[1:], ".")
	if !hasSep {
		whole, frac, hasSep = strings.Cut(s[1:], ",")
	}
	return allDigits(whole) && (!hasSep || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// JSON makes JSON text (as encoding/json or store's encoder write it) safe
// for a terminal without changing what it decodes to: every code point a
// terminal may obey or that reorders or hides text, that is DEL, the C1
// controls (U+0080–U+009F), every format character (Unicode Cf: the bidi
// marks, embeddings, overrides and isolates, zero-width characters, the
// byte-order mark, tag characters) and the line and paragraph separators,
// is written as a \u escape ("\u202e"; a surrogate pair above U+FFFF).
// Such code points can only stand inside strings in valid JSON, so the
// result is valid JSON with the same values. Invalid UTF-8 becomes \ufffd,
// as encoding/json writes it. C0 controls are left to the encoder, which
// escapes them in strings (outside strings they are the layout's own
// newlines). b is returned as it is when nothing needs escaping.
func JSON(b []byte) []byte {
	i := 0
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 || jsonEscaped(r) {
			break
		}
		i += n
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:i]...)
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				out = appendU(out, 0x7f)
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		i += n
		switch {
		case r == utf8.RuneError && n <= 1:
			out = appendU(out, utf8.RuneError)
		case jsonEscaped(r):
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				out = appendU(appendU(out, r1), r2)
			} else {
				out = appendU(out, r)
			}
		default:
			out = utf8.AppendRune(out, r)
		}
	}
	return out
}

// jsonEscaped: runes above ASCII that JSON escapes.
func jsonEscaped(r rune) bool {
	return unsafeRune(r) || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

const hexDigits = "0123456789abcdef"

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
}

// URL is a URL as coolpay prints it, the one redaction rule for every URL
// shown (a base_url, a ledger's database URL, a proxy, a callback address):
// its user-info — a user name and password, or a token on its own — is
// replaced whole by "***", and so are its query and fragment, which can
// carry a key or a password too ("https://***@host/api?***"). The rest is
// kept, made inert as Line does. It works on the text rather than through
// net/url, so a URL net/url refuses (a bad escape, a control character, a
// value stored before it was checked) is redacted too. Text that is not a
// URL is only made inert.
func URL(s string) string {
	return Line(redactURL(s))
}

func redactURL(s string) string {
	// Without a scheme ("user:pass@host/api", a value stored before it
	// was checked) the authority starts the text.
	start := 0
	if scheme := strings.Index(s, "://"); scheme >= 0 {
		start = scheme + 3
	}
	// The query or fragment starts at the first '?' or '#'.
	q := len(s)
	if j := strings.IndexAny(s[start:], "?#"); j >= 0 {
		q = start + j
	}
	tail := ""
	if q < len(s) {
		tail = s[q:q+1] + "***"
	}
	s = s[:q]
	end := len(s)
	if j := strings.IndexAny(s[start:], "/"); j >= 0 {
		end = start + j
	}
	at := strings.LastIndexByte(s[start:end], '@')
	if at < 0 {
		// A password typed with a "/" in it ("user:pa/ss@host") is
		// not user-info to a URL parser, but it is a secret all the
		// same: "user:" then something that is not a port, then "@".
		at = strings.LastIndexByte(s[start:], '@')
		user, pass, ok := strings.Cut(s[start:end], ":")
		if at < 0 || !ok || user == "" || pass == "" || allDigits(pass) {
			return s + tail
		}
	}
	return s[:start] + "***" + s[start+at:] + tail
}
