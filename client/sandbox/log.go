package sandbox

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coolpay/coolpay/client"
)

// reqNote is what a handler tells the request log: the rule that decided.
type reqNote struct {
	rule string
}

type noteKey struct{}

// noteOf is the request's note; a request that did not come through
// ServeHTTP gets a throwaway one, so handlers never check for nil.
func noteOf(r *http.Request) *reqNote {
	if n, ok := r.Context().Value(noteKey{}).(*reqNote); ok {
		return n
	}
	return &reqNote{}
}

// logWriter remembers the status written, and keeps hijacking possible (the
// "sandbox:drop" fault closes the connection itself).
type logWriter struct {
	http.ResponseWriter
	status  int
	dropped bool
}

func (l *logWriter) WriteHeader(code int) {
	if l.status == 0 {
		l.status = code
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logWriter) Write(b []byte) (int, error) {
	if l.status == 0 {
		l.status = http.StatusOK
	}
	return l.ResponseWriter.Write(b)
}

// Hijack passes through to the server's writer.
func (l *logWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := l.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("sandbox: this connection cannot be hijacked")
	}
	l.dropped = true
	return hj.Hijack()
}

// Flush passes through when the server's writer can flush.
func (l *logWriter) Flush() {
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// logRequest writes one line, like `stripe logs tail`:
//
//	04:41:07  POST  /api/{key}/payin          201    3ms  payin: amount ends in 1 → FAILED after 2s
//
// The public key segment is replaced by {key}; the private key travels only
// in a header, which is never logged. Everything from the request is made
// inert for a terminal.
func (s *Server) logRequest(start time.Time, r *http.Request, w *logWriter, n *reqNote) {
	status := "---" // no answer: dropped, or the client gave up first
	if w.status != 0 && !w.dropped {
		status = fmt.Sprint(w.status)
	}
	d := time.Since(start)
	var dur string
	switch {
	case d < time.Millisecond:
		dur = "<1ms"
	case d < 10*time.Second:
		dur = d.Round(time.Millisecond).String()
	default:
		dur = d.Round(100 * time.Millisecond).String()
	}
	rule := n.rule
	if rule == "" {
		rule = "-"
	}
	s.logLine(fmt.Sprintf("%-6s %-42s %3s %7s  %s", clean(r.Method, 8), logPath(r), status, dur, clean(rule, 200)))
}

// logCallback notes a callback delivery in the request log.
func (s *Server) logCallback(ref, status, outcome string) {
	if s.reqLog == nil {
		return
	}
	s.logLine(fmt.Sprintf("%-6s %-42s %s", "→", "callback "+clean(status, 10)+" "+clean(ref, 60), clean(outcome, 200)))
}

func (s *Server) logLine(line string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = fmt.Fprintf(s.reqLog, "%s  %s\n", time.Now().Format("15:04:05"), line)
}

// logPath is the request's path with the public key segment replaced by
// {key}: whatever a client put there (a wrong key, a private key pasted in
// the wrong place) stays out of the log.
func logPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	if rest, ok := strings.CutPrefix(p, "/api/"); ok {
		_, after, found := strings.Cut(rest, "/")
		p = "/api/{key}"
		if found {
			p += "/" + after
		}
	}
	return clean(p, 120)
}

// clean makes text from a request inert in a terminal (control characters
// in caret notation, bidi overrides and C1 codes as \u escapes) and bounds
// its length.
func clean(s string, maxLen int) string {
	var b strings.Builder
	for len(s) > 0 {
		if b.Len() >= maxLen {
			b.WriteString("…")
			break
		}
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case r < 0x20:
			b.WriteByte('^')
			b.WriteByte(byte(r) + 64)
		case r == 0x7f:
			b.WriteString("^?")
		case r >= 0x80 && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069,
			r == 0x200e, r == 0x200f, r == 0x061c:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Rule is one of the sandbox's test rules: how to steer an outcome.
type Rule struct {
	Name, Behaviour string
}

// TestRules are the rules a tester steers the sandbox with, as printed at
// start. The README's table has them all, with where each comes from.
func (c Config) TestRules() []Rule {
	confirm := c.ConfirmAfter
	if confirm == 0 {
		confirm = DefaultConfirmAfter
	}
	ip := "loopback and --allow-payout-ip"
	if c.StrictIP {
		ip = "--allow-payout-ip only (strict)"
	}
	mode, _ := ParseIPReject(c.IPReject)
	return []Rule{
		{"payin amount, last digit", fmt.Sprintf("1 FAILED, 2 CANCELED, 3 PENDING until settled, else SUCCESS, after %s", confirm)},
		{"payin phone ending in 00", "REQUIRE_OTP; code " + otpCode + " accepted, the 3rd wrong code fails it"},
		{"paylink", "PENDING until the customer acts on payment_url (Start paying, Pay, Cancel, Fail)"},
		{"payout amount, last digit", "7 → 202 then SUCCESS, 1 / 2 → 202 then FAILED / CANCELED, 3 → 202 PENDING until settled, else 200 SUCCESS"},
		{"payout addresses allowed", ip + "; others answered: " + mode},
		{"fees", "2% of the amount, rounded half up"},
		{"transaction_reason", "sandbox:timeout, sandbox:drop, sandbox:500, sandbox:badjson inject faults"},
		{"settle", "POST " + settlePath + ` {"ref","status"} or coolpay sandbox settle REF SUCCESS|FAILED|CANCELED`},
	}
}

// WriteBanner prints what `coolpay sandbox` says at start: where it
// listens, its keys (test keys, printed on purpose: they move no real
// money), and its test rules.
func (c Config) WriteBanner(w io.Writer, baseURL string) {
	pub, priv := c.PublicKey, c.PrivateKey
	if pub == "" {
		pub = client.SandboxPublicKey
	}
	switch priv {
	case "", DefaultPrivateKey:
		priv = DefaultPrivateKey + " (sandbox only)"
	default:
		// A key the user chose may be one they use elsewhere: not shown.
		priv = "(as given by --private-key, not shown)"
	}
	fmt.Fprintf(w, "coolpay sandbox (simulated My-CoolPay) listening\n  base URL:    %s\n  public key:  %s\n  private key: %s\n", baseURL, pub, priv)
	fmt.Fprintln(w, "Test rules:")
	for _, r := range c.TestRules() {
		fmt.Fprintf(w, "  %-26s %s\n", r.Name, r.Behaviour)
	}
	fmt.Fprintln(w, "Ctrl-C to stop.")
}
