package sandbox

import (
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
)

func (s *Server) paylink(r *http.Request, _ string) reply {
	var req client.PaylinkRequest
	if rep := readJSON(r, &req); rep != nil {
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
		appRef: req.AppTransactionRef, status: client.StatusCreated, query: r.URL.RawQuery,
	})
	ref := t.ref
	s.mu.Unlock()
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return reply{code: http.StatusCreated, fault: lateFault(req.TransactionReason), body: client.PaylinkResponse{
		Status:         "success",
		TransactionRef: ref,
		PaymentURL:     scheme + "://" + r.Host + checkoutPrefix + ref,
	}}
}

func (s *Server) payin(r *http.Request, _ string) reply {
	var req client.PayinRequest
	if rep := readJSON(r, &req); rep != nil {
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
	if strings.HasSuffix(phone, "00") {
		t.awaitingOTP = true
		resp.Action = client.ActionRequireOTP
	} else {
		resp.Action, resp.USSD = client.ActionPending, ussdFor(operator)
		s.scheduleLocked(t, payinOutcome(t), now)
	}
	return reply{code: http.StatusCreated, body: resp, fault: lateFault(req.TransactionReason)}
}

func ussdFor(operator string) string {
	if operator == client.OperatorMoMo {
		return ussdMTN
	}
	return ussdOrange
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
	if rep := readJSON(r, &req); rep != nil {
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
		if t.wrongCodes >= maxWrongCodes {
			s.finalizeLocked(t, client.StatusFailed, msgOTPFailed)
		}
		return errorReply(http.StatusUnauthorized, "Invalid authorization code !")
	}
	t.awaitingOTP = false
	s.scheduleLocked(t, payinOutcome(t), now)
	return reply{code: http.StatusCreated, body: client.PayinResponse{
		Status: "success", TransactionRef: t.ref, Action: client.ActionPending, USSD: ussdFor(t.operator),
	}}
}

func (s *Server) payout(r *http.Request, _ string) reply {
	if rep := s.checkPrivateKey(r); rep != nil {
		return *rep
	}
	if !s.payoutIPAllowed(r) {
		return errorReply(http.StatusForbidden, "IP address not allowed")
	}
	var req client.PayoutRequest
	if rep := readJSON(r, &req); rep != nil {
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
		return reply{code: http.StatusPaymentRequired, fault: fault,
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
	switch t.lastDigit() {
	case 7:
		s.scheduleLocked(t, client.StatusSuccess, now)
	case 1:
		s.scheduleLocked(t, client.StatusFailed, now)
	case 2:
		s.scheduleLocked(t, client.StatusCanceled, now)
	case 3:
		s.scheduleLocked(t, client.StatusPending, now)
	default:
		code = http.StatusOK
		s.finalizeLocked(t, client.StatusSuccess, "")
	}
	if code == http.StatusOK {
		resp.Message = "Successful transaction !"
	} else {
		resp.Message = "Transaction in progress..."
	}
	return reply{code: code, body: resp, fault: fault}
}

func (s *Server) checkStatus(_ *http.Request, ref string) reply {
	return s.statusOf(ref)
}

func (s *Server) checkStatusLegacy(r *http.Request, _ string) reply {
	var req struct {
		TransactionRef string `json:"transaction_ref"`
	}
	if rep := readJSON(r, &req); rep != nil {
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
	return reply{code: http.StatusOK, body: t.statusResponse()}
}

func (s *Server) balanceRoute(r *http.Request, _ string) reply {
	if rep := s.checkPrivateKey(r); rep != nil {
		return *rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	return reply{code: http.StatusOK, body: struct {
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

// payoutIPAllowed: loopback always, plus Config.AllowPayoutIP. The peer
// address only: like the vendor, no forwarding header is trusted.
func (s *Server) payoutIPAllowed(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap().WithZone("")
	if ip.IsLoopback() {
		return true
	}
	for _, p := range s.allowed {
		if p.Contains(ip) {
			return true
		}
	}
	return false
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
	case faultDrop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler) // HTTP/2 or no hijacking: abort the stream
	}
	if rep.raw != nil {
		w.Header().Set("Content-Type", rep.contentType)
		w.WriteHeader(rep.code)
		_, _ = w.Write(rep.raw)
		return
	}
	writeJSON(w, rep.code, rep.body)
}
