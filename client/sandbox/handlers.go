package sandbox

import (
	"crypto/subtle"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
)

func (s *Server) paylink(r *http.Request, _ string) reply {
	var req client.PaylinkRequest
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	cur, rep := currencyOf(req.TransactionCurrency, true)
	if rep != nil {
		return *rep
	}
	amount, scale, rep := parseAmount(req.TransactionAmount, cur)
	if rep != nil {
		return *rep
	}
	phone, rep := normPhone(req.CustomerPhoneNumber)
	if rep != nil {
		return *rep
	}
	if rep := firstOf(checkLang(req.CustomerLang), checkEmail(req.CustomerEmail)); rep != nil {
		return *rep
	}
	if len(r.URL.RawQuery) > maxQuery {
		return *invalid("extra query parameters are limited to 255 characters")
	}
	if rep := earlyFault(req.TransactionReason); rep != nil {
		return *rep
	}
	operator := client.OperatorCard
	if op := client.PhoneOperator(phone); phone != "" && op != "" {
		operator = op
	}
	now := s.now()
	s.mu.Lock()
	s.sweepLocked(now)
	t := s.newTxnLocked(now, &txn{
		typ: client.TypePayin, paylink: true, operator: operator, currency: cur,
		scale: scale, amount: amount, reason: req.TransactionReason, phone: phone,
		appRef: req.AppTransactionRef, status: client.StatusPending, query: r.URL.RawQuery,
	})
	// No operator transaction exists until the customer starts paying on
	// the checkout page: that is how a status answer tells "link not paid
	// yet" from "payment in progress" with documented fields only.
	t.opRef = ""
	ref := t.ref
	s.mu.Unlock()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return reply{code: http.StatusCreated, fault: lateFault(req.TransactionReason), ref: ref,
		rule: "paylink: PENDING until the customer acts on payment_url", body: client.PaylinkResponse{
			Status:         "success",
			TransactionRef: ref,
			PaymentURL:     scheme + "://" + r.Host + checkoutPrefix + ref,
		}}
}

func (s *Server) payin(r *http.Request, _ string) reply {
	var req client.PayinRequest
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	cur, rep := currencyOf(req.TransactionCurrency, false)
	if rep != nil {
		return *rep
	}
	amount, scale, rep := parseAmount(req.TransactionAmount, cur)
	if rep != nil {
		return *rep
	}
	if strings.TrimSpace(req.CustomerPhoneNumber) == "" {
		return *invalid("customer_phone_number is required")
	}
	phone, rep := normPhone(req.CustomerPhoneNumber)
	if rep != nil {
		return *rep
	}
	operator := client.PhoneOperator(phone)
	if operator != client.OperatorOM && operator != client.OperatorMoMo {
		return *invalid("customer_phone_number is neither an Orange Money nor an MTN Mobile Money number")
	}
	if rep := firstOf(checkLang(req.CustomerLang), checkEmail(req.CustomerEmail)); rep != nil {
		return *rep
	}
	if rep := earlyFault(req.TransactionReason); rep != nil {
		return *rep
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	t := s.newTxnLocked(now, &txn{
		typ: client.TypePayin, operator: operator, currency: cur, scale: scale, amount: amount,
		reason: req.TransactionReason, phone: phone, appRef: req.AppTransactionRef,
		status: client.StatusPending,
	})
	resp := client.PayinResponse{Status: "success", TransactionRef: t.ref}
	rule := ""
	if strings.HasSuffix(phone, "00") {
		t.awaitingOTP = true
		resp.Action = client.ActionRequireOTP
		rule = "payin: phone ends in 00 → REQUIRE_OTP (code " + otpCode + ")"
	} else {
		resp.Action, resp.USSD = client.ActionPending, ussdFor(operator)
		s.scheduleLocked(t, payinOutcome(t), now)
		rule = s.outcomeRule("payin", t, payinOutcome(t))
	}
	return reply{code: http.StatusCreated, body: resp, fault: lateFault(req.TransactionReason), rule: rule, ref: t.ref}
}

func ussdFor(operator string) string {
	if operator == client.OperatorMoMo {
		return ussdMTN
	}
	return ussdOrange
}

// outcomeRule says, for the request log, which last-digit rule decided t.
func (s *Server) outcomeRule(kind string, t *txn, outcome string) string {
	r := fmt.Sprintf("%s: amount ends in %d → ", kind, t.lastDigit())
	switch {
	case outcome == client.StatusPending:
		return r + "PENDING until settled"
	case s.cfg.ConfirmAfter <= 0:
		return r + outcome + " at once"
	}
	return r + outcome + " after " + s.cfg.ConfirmAfter.String()
}

// payinOutcome applies the last-digit rule.
func payinOutcome(t *txn) string {
	switch t.lastDigit() {
	case 1:
		return client.StatusFailed
	case 2:
		return client.StatusCanceled
	case 3:
		return client.StatusPending
	}
	return client.StatusSuccess
}

func (s *Server) authorize(r *http.Request, _ string) reply {
	var req client.AuthorizeRequest
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	if req.TransactionRef == "" {
		return *invalid("transaction_ref is required")
	}
	if req.Code == "" {
		return *invalid("code is required")
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	t := s.txs[req.TransactionRef]
	switch {
	case t == nil:
		return errorReply(http.StatusNotFound, "Transaction not found")
	case t.awaitingOTP:
	case t.wrongCodes >= maxWrongCodes:
		return errorReply(http.StatusConflict, "Too many invalid authorization codes: the transaction has failed")
	default:
		return errorReply(http.StatusConflict, "This transaction is not awaiting an authorization code")
	}
	if subtle.ConstantTimeCompare([]byte(req.Code), []byte(otpCode)) != 1 {
		t.wrongCodes++
		rep := errorReply(http.StatusUnauthorized, "Invalid authorization code !")
		rep.rule = fmt.Sprintf("authorize: wrong code (%d of %d)", t.wrongCodes, maxWrongCodes)
		if t.wrongCodes >= maxWrongCodes {
			s.finalizeLocked(t, client.StatusFailed, msgOTPFailed)
			rep.rule += " → FAILED"
		}
		return rep
	}
	t.awaitingOTP = false
	s.scheduleLocked(t, payinOutcome(t), now)
	return reply{code: http.StatusCreated, rule: "authorize: code " + otpCode + " accepted; " + s.outcomeRule("payin", t, payinOutcome(t)), body: client.PayinResponse{
		Status: "success", TransactionRef: t.ref, Action: client.ActionPending, USSD: ussdFor(t.operator),
	}}
}

func (s *Server) payout(r *http.Request, _ string) reply {
	if rep := s.checkPrivateKey(r); rep != nil {
		return *rep
	}
	if ip, ok := s.payoutIPAllowed(r); !ok {
		return s.ipReject(r, ip)
	}
	var req client.PayoutRequest
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	cur, rep := currencyOf(req.TransactionCurrency, false)
	if rep != nil {
		return *rep
	}
	amount, scale, rep := parseAmount(req.TransactionAmount, cur)
	if rep != nil {
		return *rep
	}
	phone, rep := normPhone(req.CustomerPhoneNumber)
	if rep != nil {
		return *rep
	}
	switch op := req.TransactionOperator; op {
	case "":
		return *invalid("transaction_operator is required")
	case client.OperatorMCP:
		if phone == "" && strings.TrimSpace(req.CustomerUsername) == "" && req.CustomerEmail == "" {
			return *invalid("MCP payouts need customer_phone_number, customer_username or customer_email")
		}
	case client.OperatorOM, client.OperatorMoMo:
		// The operator is taken as given: the phone prefix is only a guess
		// (client.PhoneOperator), so a mismatch is not refused.
		if phone == "" {
			return *invalid("customer_phone_number is required for " + op)
		}
	default:
		return *invalid("transaction_operator must be MCP, CM_MOMO or CM_OM")
	}
	if rep := firstOf(checkLang(req.CustomerLang), checkEmail(req.CustomerEmail)); rep != nil {
		return *rep
	}
	if rep := earlyFault(req.TransactionReason); rep != nil {
		return *rep
	}
	fault := lateFault(req.TransactionReason)
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(now)
	if s.balance < amount+feesFor(amount) {
		return reply{code: http.StatusPaymentRequired, fault: fault, rule: "payout: amount + fees over the balance",
			body: errorBody{Status: "error", Message: "Insufficient balance"}}
	}
	t := s.newTxnLocked(now, &txn{
		typ: client.TypePayout, operator: req.TransactionOperator, currency: cur, scale: scale,
		amount: amount, reason: req.TransactionReason, phone: phone, appRef: req.AppTransactionRef,
		status: client.StatusPending,
	})
	s.balance -= t.amount + t.fees // reserved now, refunded if it does not succeed
	resp := client.PayoutResponse{Status: "success", TransactionRef: t.ref}
	code := http.StatusAccepted
	outcome := client.StatusSuccess
	switch t.lastDigit() {
	case 7:
	case 1:
		outcome = client.StatusFailed
	case 2:
		outcome = client.StatusCanceled
	case 3:
		outcome = client.StatusPending
	default:
		code = http.StatusOK
	}
	var rule string
	if code == http.StatusOK {
		s.finalizeLocked(t, client.StatusSuccess, "")
		resp.Message = "Successful transaction !"
		rule = fmt.Sprintf("payout: amount ends in %d → 200, SUCCESS at once", t.lastDigit())
	} else {
		s.scheduleLocked(t, outcome, now)
		resp.Message = "Transaction in progress..."
		rule = strings.Replace(s.outcomeRule("payout", t, outcome), "→ ", "→ 202, ", 1)
	}
	return reply{code: code, body: resp, fault: fault, rule: rule, ref: t.ref}
}

func (s *Server) checkStatus(_ *http.Request, ref string) reply {
	return s.statusOf(ref)
}

func (s *Server) checkStatusLegacy(r *http.Request, _ string) reply {
	var req struct {
		TransactionRef string `json:"transaction_ref"`
	}
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	if req.TransactionRef == "" {
		return *invalid("transaction_ref is required")
	}
	return s.statusOf(req.TransactionRef)
}

func (s *Server) statusOf(ref string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	t := s.txs[ref]
	if t == nil {
		return errorReply(http.StatusNotFound, "Transaction not found")
	}
	return reply{code: http.StatusOK, body: t.statusResponse(), rule: "status: " + t.status}
}

func (s *Server) balanceRoute(r *http.Request, _ string) reply {
	if rep := s.checkPrivateKey(r); rep != nil {
		return *rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	return reply{code: http.StatusOK, rule: "balance", body: struct {
		Status  string `json:"status"`
		Balance int64  `json:"balance"`
	}{"success", s.balance}}
}

func (s *Server) checkPrivateKey(r *http.Request) *reply {
	k := r.Header.Get("X-PRIVATE-KEY")
	if k == "" {
		return ptr(errorReply(http.StatusUnauthorized, "Missing private key: send it in the X-PRIVATE-KEY header"))
	}
	if subtle.ConstantTimeCompare([]byte(k), []byte(s.cfg.PrivateKey)) != 1 {
		return ptr(errorReply(http.StatusUnauthorized, "Invalid private key"))
	}
	return nil
}

// payoutIPAllowed: Config.AllowPayoutIP, plus loopback unless StrictIP. The
// peer address only: like the vendor, no forwarding header is trusted. It
// also returns the address it judged, for the request log.
func (s *Server) payoutIPAllowed(r *http.Request) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return "?", false
	}
	ip = ip.Unmap().WithZone("")
	if ip.IsLoopback() && !s.cfg.StrictIP {
		return ip.String(), true
	}
	for _, p := range s.allowed {
		if p.Contains(ip) {
			return ip.String(), true
		}
	}
	return ip.String(), false
}

// ipReject answers a payout from an address not on the allow-list, the way
// Config.IPReject says. Nothing is done in any mode.
func (s *Server) ipReject(r *http.Request, ip string) reply {
	rule := "payout: " + ip + " not on the payout IP allow-list → " + s.cfg.IPReject
	switch s.cfg.IPReject {
	case IPRejectJSON:
		rep := errorReply(http.StatusForbidden, "IP address not allowed")
		rep.rule = rule + " 403"
		return rep
	case IPRejectHang:
		// Read the body so the server notices when the client hangs up
		// (net/http watches the connection only after the body is read).
		_, _ = io.Copy(io.Discard, http.MaxBytesReader(nil, r.Body, maxBody))
		return reply{fault: faultHang, rule: rule + " (no answer)"}
	}
	// As a PHP framework redirects a refused request: an HTML page saying
	// "Redirecting to …" with a 302 to the site's home.
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	home := scheme + "://" + r.Host + "/"
	esc := html.EscapeString(home)
	return reply{code: http.StatusFound, location: home, contentType: "text/html; charset=UTF-8", rule: rule + " 302",
		raw: []byte("<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"UTF-8\" />\n" +
			"        <meta http-equiv=\"refresh\" content=\"0;url='" + esc + "'\" />\n\n" +
			"        <title>Redirecting to " + esc + "</title>\n    </head>\n    <body>\n" +
			"        Redirecting to <a href=\"" + esc + "\">" + esc + "</a>.\n    </body>\n</html>")}
}

func firstOf(reps ...*reply) *reply {
	for _, r := range reps {
		if r != nil {
			return r
		}
	}
	return nil
}

// respond writes rep, delayed or dropped as its fault says.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, rep reply) {
	note := noteOf(r)
	note.rule = rep.rule
	if rep.rule == "" && rep.code >= 400 {
		note.rule = errorText(rep.body)
	}
	if rep.fault == faultTimeout || rep.fault == faultDrop {
		note.rule += " (fault " + rep.fault + ": acted, answer late or never)"
	}
	if rep.ref != "" {
		// The sandbox's own record of what it made: with a dropped answer
		// it is the only place the tester finds the transaction_ref (to
		// attach it in History, or to settle it).
		note.rule += " · transaction_ref " + rep.ref
	}
	switch rep.fault {
	case faultTimeout:
		t := time.NewTimer(s.cfg.TimeoutDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.ctx.Done():
		case <-r.Context().Done():
			return
		}
	case faultHang:
		select {
		case <-s.ctx.Done(): // closing: drop it, as the client would see a dead server
		case <-r.Context().Done():
			return
		}
		fallthrough
	case faultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2 or no hijacking: abort the stream
	}
	if rep.location != "" {
		w.Header().Set("Location", rep.location)
	}
	if rep.raw != nil {
		w.Header().Set("Content-Type", rep.contentType)
		w.WriteHeader(rep.code)
		_, _ = w.Write(rep.raw)
		return
	}
	if eb, ok := rep.body.(errorBody); ok && s.cfg.ErrorField == ErrorFieldMsg {
		rep.body = struct {
			Status string `json:"status"`
			Msg    string `json:"msg"`
		}{eb.Status, eb.Message}
	}
	writeJSON(w, rep.code, rep.body)
}

// errorText is an error reply's message, for the request log.
func errorText(body any) string {
	if eb, ok := body.(errorBody); ok {
		return eb.Message
	}
	return ""
}
