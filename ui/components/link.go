package components

import (
	"net/url"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/ui/safe"
)

// LinkLine shows a payment URL in width columns: whole on one line when it
// fits, so a mouse copy takes all of it; else a short form ("host/…/end")
// that is an OSC 8 hyperlink to the whole URL, so a terminal that knows
// hyperlinks still opens or copies it whole (the screens keep "c" to copy
// it in any terminal). The URL is untrusted: only an http or https URL of
// printable ASCII goes into the escape sequence; anything else is shown
// inert and cut, never linked.
func LinkLine(u string, width int) string {
	if width <= 0 || lipgloss.Width(u) <= width {
		return safe.Line(u)
	}
	short := ShortURL(u, width)
	if !linkable(u) {
		return safe.Line(short)
	}
	return "\x1b]8;;" + u + "\x1b\\" + short + "\x1b]8;;\x1b\\"
}

// linkable reports whether u may go inside an OSC 8 sequence: printable
// ASCII without spaces (no ESC, BEL or C1 control to end the sequence
// early) and an http or https URL with a host.
func linkable(u string) bool {
	if u == "" || len(u) > 2000 {
		return false
	}
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return false
		}
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil {
		return false
	}
	s := strings.ToLower(p.Scheme)
	return s == "http" || s == "https"
}

// ShortURL is u in at most width columns: the scheme dropped, then the
// middle replaced by "…" so the start (host, path) and the end (the
// checkout id) stay.
func ShortURL(u string, width int) string {
	s := safe.Line(u)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	r := []rune(s)
	if width <= 0 || len(r) <= width {
		return s
	}
	if width < 3 {
		return string(r[:width])
	}
	// A third for the end (what tells one checkout from another), the
	// rest for the start: the host and the path it begins with.
	keepEnd := max(1, (width-1)/3)
	keepStart := width - 1 - keepEnd
	return string(r[:keepStart]) + "…" + string(r[len(r)-keepEnd:])
}
