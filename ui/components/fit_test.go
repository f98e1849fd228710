package components

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestLinkLineWholeOrHyperlinked: a URL that fits is shown whole on one
// line; a longer one as a short form (host and end) that is an OSC 8 link
// to the whole URL; anything but a clean http(s) URL never goes into the
// escape sequence.
func TestLinkLineWholeOrHyperlinked(t *testing.T) {
	u := "https://my-coolpay.com/payment/checkout/8c1c2d7e-1f0b-4c41-9d4e-2f4b7f0e9a11"
	if got := LinkLine(u, 80); got != u {
		t.Errorf("fits in 80: %q", got)
	}
	got := LinkLine(u, 40)
	if !strings.HasPrefix(got, "\x1b]8;;"+u+"\x1b\\") || !strings.HasSuffix(got, "\x1b]8;;\x1b\\") {
		t.Fatalf("not an OSC 8 link to the whole URL: %q", got)
	}
	if w := lipgloss.Width(got); w > 40 {
		t.Errorf("visible width %d: %q", w, got)
	}
	if !strings.Contains(got, "my-coolpay.com/") || !strings.Contains(got, "0e9a11") || !strings.Contains(got, "…") {
		t.Errorf("short form lacks host or end: %q", got)
	}
	for _, bad := range []string{
		"https://evil.example/\x1b]8;;http://other\x1b\\x/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"https://evil.example/\x07aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"javascript:alert(1)//aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"file:///etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"https://user:pw@evil.example/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	} {
		got := LinkLine(bad, 40)
		if strings.Contains(got, "\x1b") || strings.Contains(got, "\x07") {
			t.Errorf("%q shown with an escape: %q", bad, got)
		}
	}
	if got := LinkLine("https://evil.example/\x1b[2J", 80); strings.Contains(got, "\x1b") {
		t.Errorf("a fitting URL with an escape is not inert: %q", got)
	}
}

// TestPinKeepsTheHead: the head is always whole; the body scrolls under it
// with a marker saying which way the rest is.
func TestPinKeepsTheHead(t *testing.T) {
	tr := i18n.New(i18n.EN)
	body := strings.Join([]string{"b1", "b2", "b3", "b4", "b5", "b6"}, "\n")
	v, off := Pin(tr, styles(), "who\nhow much", body, 5, 0)
	if off != 0 || !strings.HasPrefix(v, "who\nhow much\nb1\nb2\n") || !strings.Contains(v, "↓") || lipgloss.Height(v) != 5 {
		t.Fatalf("top:\n%s", v)
	}
	v, off = Pin(tr, styles(), "who\nhow much", body, 5, 99)
	if off != 4 || !strings.HasPrefix(v, "who\nhow much\nb5\nb6\n") || !strings.Contains(v, "↑") {
		t.Fatalf("bottom (off %d):\n%s", off, v)
	}
	if v, _ := Pin(tr, styles(), "who", "b1", 5, 3); v != "who\nb1" {
		t.Fatalf("fits: %q", v)
	}
}

// TestConfirmFitRefusesWhatItCannotShow: the rows that must be read (Prio
// 0) and the field are kept, the others dropped least needed first; with
// no room for the must-reads the view says to enlarge and reports false.
func TestConfirmFitRefusesWhatItCannotShow(t *testing.T) {
	tr := i18n.New(i18n.EN)
	rows := []FitRow{
		{Row: Row{Label: "Recipient", Value: "677123456"}},
		{Row: Row{Label: "Amount", Value: "5 000 XAF", Strong: true}},
		{Row: Row{Label: "Fees", Value: "later"}, Prio: 5},
		{Row: Row{Label: "After", Value: "995 000 XAF"}, Prio: 1},
	}
	v, ok := ConfirmFit(styles(), tr, 40, 5, "Check", rows, "long prompt", "short", "› field", "")
	if !ok || !strings.Contains(v, "677123456") || !strings.Contains(v, "5 000 XAF") || !strings.Contains(v, "› field") ||
		!strings.Contains(v, "995 000") || strings.Contains(v, "later") || lipgloss.Height(v) > 5 {
		t.Fatalf("5 lines (ok %v):\n%s", ok, v)
	}
	v, ok = ConfirmFit(styles(), tr, 40, 3, "Check", rows, "long prompt", "short", "› field", "")
	if ok || strings.Contains(v, "› field") || !strings.Contains(v, "enlarge") {
		t.Fatalf("3 lines (ok %v):\n%s", ok, v)
	}
}
