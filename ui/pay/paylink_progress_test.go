package pay

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/ui/common"
)

// The sandbox answers PENDING for an unpaid paylink, as the vendor
// documents; the screen still says "not paid yet" until the customer starts
// paying on the checkout page, then "PENDING", then the outcome.
func TestSandboxPaylinkNotPaidYetThenInProgress(t *testing.T) {
	c, _ := sandboxCommon(t)
	p := NewPaylink(c)
	p.Clipboard = &strings.Builder{}
	p.SetSize(80, 20)
	typeText(p, "5000")
	feed(p, press(p, "ctrl+s"))
	if p.state != paylinkLink {
		t.Fatalf("state %d:\n%s", p.state, p.View())
	}
	refresh := func() {
		rec, _, err := c.Svc.Refresh(context.Background(), p.rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.Update(common.RecordUpdatedMsg{Record: rec})
	}
	refresh()
	mustContain(t, p.View(), "LINK CREATED, NOT PAID YET")
	resp, err := http.PostForm(p.rec.PaymentURL+"/start", url.Values{})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	refresh()
	mustContain(t, p.View(), "… PENDING")
	mustNotContain(t, p.View(), "NOT PAID YET")
	u, _ := url.Parse(p.rec.PaymentURL)
	if _, err := sandbox.Settle(context.Background(), u.Host, p.rec.TransactionRef, "FAILED"); err != nil {
		t.Fatal(err)
	}
	refresh()
	mustContain(t, p.View(), "✘ FAILED")
}
