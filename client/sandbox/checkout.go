package sandbox

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/coolpay/coolpay/client"
)

// checkoutPrefix is where payment_url points, as on the vendor.
const checkoutPrefix = "/payment/checkout/"

// checkoutActions maps a checkout button to the status it produces.
var checkoutActions = map[string]string{
	"pay":    client.StatusSuccess,
	"cancel": client.StatusCanceled,
	"fail":   client.StatusFailed,
}

// checkoutView is what the checkout and result pages show.
type checkoutView struct {
	Ref, Amount, Currency, Fees, Reason, Operator, Phone, AppRef string
	Status, Message, Query, Notice                               string
	Merchant                                                     string
	Open                                                         bool
}

// checkoutTmpl is parsed on first use: coolpay links the sandbox into every
// run, and parsing at start-up would cost every command, not just the
// sandbox.
var checkoutTmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("checkout").Parse(checkoutHTML))
})

const checkoutHTML = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>My-CoolPay sandbox checkout</title>
<style>
body{font-family:system-ui,sans-serif;background:#f3f4f6;margin:0;padding:2rem;color:#111}
main{max-width:26rem;margin:auto;background:#fff;border-radius:.75rem;padding:1.5rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.1rem;margin:0 0 1rem} .amount{font-size:2rem;font-weight:700;margin:.5rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;font-size:.9rem} dt{color:#555}
dd{margin:0;word-break:break-all} form{display:inline} .buttons{display:flex;gap:.5rem;margin-top:1.25rem}
button{flex:1;padding:.7rem;border:0;border-radius:.5rem;font-size:1rem;cursor:pointer}
.pay{background:#15803d;color:#fff} .cancel{background:#e5e7eb} .fail{background:#b91c1c;color:#fff}
.status{font-weight:700} .note{font-size:.8rem;color:#666;margin-top:1rem}
</style></head><body><main>
<h1>{{.Merchant}}</h1>
{{if .Notice}}<p class="status">{{.Notice}}</p>{{end}}
{{if .Ref}}<div class="amount">{{.Amount}} {{.Currency}}</div>
<dl>
<dt>Reference</dt><dd>{{.Ref}}</dd>
{{if .AppRef}}<dt>Order</dt><dd>{{.AppRef}}</dd>{{end}}
{{if .Reason}}<dt>Reason</dt><dd>{{.Reason}}</dd>{{end}}
<dt>Fees</dt><dd>{{.Fees}} {{.Currency}}</dd>
<dt>Method</dt><dd>{{.Operator}}{{if .Phone}} · {{.Phone}}{{end}}</dd>
<dt>Status</dt><dd class="status" id="status">{{.Status}}</dd>
{{if .Message}}<dt>Message</dt><dd>{{.Message}}</dd>{{end}}
{{if .Query}}<dt>Echoed query</dt><dd>?{{.Query}}</dd>{{end}}
</dl>
{{if .Open}}<div class="buttons">
<form method="post" action="/payment/checkout/{{.Ref}}/pay"><button class="pay" type="submit">Pay</button></form>
<form method="post" action="/payment/checkout/{{.Ref}}/cancel"><button class="cancel" type="submit">Cancel</button></form>
<form method="post" action="/payment/checkout/{{.Ref}}/fail"><button class="fail" type="submit">Fail</button></form>
</div>
<p class="note">Simulated checkout: Pay succeeds, Cancel cancels, Fail fails. No money moves.</p>
{{else}}<p class="note">This payment is complete; on My-CoolPay the customer would now be redirected to the merchant.</p>{{end}}{{end}}
</main></body></html>
`

// serveCheckout serves GET /payment/checkout/{ref} and
// POST /payment/checkout/{ref}/{pay|cancel|fail}.
func (s *Server) serveCheckout(w http.ResponseWriter, r *http.Request, rest string) {
	ref, action, hasAction := strings.Cut(rest, "/")
	s.mu.Lock()
	s.stats.Checkout++
	s.mu.Unlock()
	switch {
	case !hasAction && (r.Method == http.MethodGet || r.Method == http.MethodHead):
	case hasAction && r.Method == http.MethodPost:
		if _, ok := checkoutActions[action]; !ok {
			s.checkoutPage(w, http.StatusNotFound, nil, "Unknown checkout action")
			return
		}
	case hasAction:
		w.Header().Set("Allow", http.MethodPost)
		s.checkoutPage(w, http.StatusMethodNotAllowed, nil, "Use the buttons of the checkout page")
		return
	default:
		w.Header().Set("Allow", http.MethodGet)
		s.checkoutPage(w, http.StatusMethodNotAllowed, nil, "Method not allowed")
		return
	}

	s.mu.Lock()
	s.sweepLocked(s.now())
	t := s.txs[ref]
	if t == nil || !t.paylink {
		s.mu.Unlock()
		s.checkoutPage(w, http.StatusNotFound, nil, "Payment not found")
		return
	}
	if !hasAction {
		v := s.viewLocked(t)
		s.mu.Unlock()
		s.checkoutPage(w, http.StatusOK, &v, "")
		return
	}
	if t.status != client.StatusCreated {
		v := s.viewLocked(t)
		s.mu.Unlock()
		s.checkoutPage(w, http.StatusConflict, &v, "This payment was already completed")
		return
	}
	status := checkoutActions[action]
	msg := ""
	if status == client.StatusCanceled {
		msg = "Transaction canceled by the customer"
	}
	s.finalizeLocked(t, status, msg)
	s.mu.Unlock()
	// Post/redirect/get: a reload of the result page does not post again.
	http.Redirect(w, r, checkoutPrefix+ref, http.StatusSeeOther)
}

func (s *Server) viewLocked(t *txn) checkoutView {
	v := checkoutView{
		Merchant: "My-CoolPay sandbox merchant", Ref: t.ref,
		Amount: string(formatMinor(t.amount, t.scale)), Fees: string(formatMinor(t.fees, t.scale)),
		Currency: t.currency, Reason: t.reason, Operator: t.operator, Phone: t.phone,
		AppRef: t.appRef, Status: t.status, Query: t.query, Open: t.status == client.StatusCreated,
	}
	if t.message != nil {
		v.Message = *t.message
	}
	return v
}

// checkoutPage renders the page for v, or a bare notice when v is nil.
func (s *Server) checkoutPage(w http.ResponseWriter, code int, v *checkoutView, notice string) {
	if v == nil {
		v = &checkoutView{Merchant: "My-CoolPay sandbox", Status: "-"}
	}
	v.Notice = notice
	var buf bytes.Buffer
	if err := checkoutTmpl().Execute(&buf, v); err != nil {
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
