package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
)

// Fee and conversion rules (documented in the package comment).
const (
	feePercent = 2
	// eurRate is the fixed CFA franc peg, 1 EUR = 655.957 XAF, in thousandths.
	eurRate = 655957
)

// Final messages, as transaction_message.
const (
	msgSuccess    = "Transaction successful"
	msgCanceled   = "Transaction canceled"
	msgFailed     = "Transaction failed"
	msgOTPFailed  = "Too many invalid authorization codes"
	ussdOrange    = "#150*50#"
	ussdMTN       = "*126#"
	maxWrongCodes = 3
	otpCode       = "1234"
)

// txn is one transaction held by the sandbox. Guarded by Server.mu.
type txn struct {
	seq         int
	ref         string
	appRef      string
	opRef       string
	typ         string // client.TypePayin or client.TypePayout
	paylink     bool
	operator    string
	currency    string
	scale       int   // decimal places of amount and fees: 0 for XAF, 2 for EUR
	amount      int64 // in 10^-scale units
	fees        int64
	reason      string
	phone       string
	status      string
	message     *string
	awaitingOTP bool
	wrongCodes  int
	due         time.Time // when outcome applies; zero when nothing is scheduled
	outcome     string
	query       string // paylink: extra query parameters, echoed on the result page
}

// feesFor is 2% of amount, rounded half up, in the same units.
func feesFor(amount int64) int64 { return (amount*feePercent + 50) / 100 }

// formatMinor writes amount (in 10^-scale units) without insignificant zeros.
func formatMinor(amount int64, scale int) json.Number {
	if scale == 0 {
		return json.Number(strconv.FormatInt(amount, 10))
	}
	p := int64(1)
	for range scale {
		p *= 10
	}
	frac := strings.TrimRight(fmt.Sprintf("%0*d", scale, amount%p), "0")
	if frac == "" {
		return json.Number(strconv.FormatInt(amount/p, 10))
	}
	return json.Number(strconv.FormatInt(amount/p, 10) + "." + frac)
}

// credit is what a successful payin adds to the XAF balance.
func (t *txn) credit() int64 {
	n := t.amount - t.fees
	if t.currency == client.CurrencyEUR {
		return (n*eurRate + 50_000) / 100_000 // cents × rate/1000 → XAF, half up
	}
	return n
}

// lastDigit of the whole-unit amount drives the test outcome.
func (t *txn) lastDigit() int64 {
	p := int64(1)
	for range t.scale {
		p *= 10
	}
	return (t.amount / p) % 10
}

func (t *txn) statusResponse() client.StatusResponse {
	return client.StatusResponse{
		Status:                 "success",
		AppTransactionRef:      t.appRef,
		OperatorTransactionRef: t.opRef,
		TransactionRef:         t.ref,
		TransactionType:        t.typ,
		TransactionAmount:      formatMinor(t.amount, t.scale),
		TransactionFees:        formatMinor(t.fees, t.scale),
		TransactionCurrency:    t.currency,
		TransactionOperator:    t.operator,
		TransactionStatus:      t.status,
		TransactionReason:      t.reason,
		TransactionMessage:     t.message,
		CustomerPhoneNumber:    t.phone,
	}
}

func (t *txn) callback(publicKey string) client.Callback {
	return client.Callback{
		Application:            publicKey,
		AppTransactionRef:      t.appRef,
		OperatorTransactionRef: t.opRef,
		TransactionRef:         t.ref,
		TransactionType:        t.typ,
		TransactionAmount:      formatMinor(t.amount, t.scale),
		TransactionFees:        formatMinor(t.fees, t.scale),
		TransactionCurrency:    t.currency,
		TransactionOperator:    t.operator,
		TransactionStatus:      t.status,
		TransactionReason:      t.reason,
		TransactionMessage:     t.message,
		CustomerPhoneNumber:    t.phone,
	}
}

// newTxnLocked registers a transaction with fresh references.
func (s *Server) newTxnLocked(now time.Time, t *txn) *txn {
	s.seq++
	t.seq = s.seq
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	// Shaped like the vendor's "17178321-c6d229f2-5c12-43a7-85d3-2c687425e2fe".
	t.ref = fmt.Sprintf("%08d-%s-%s-%s-%s-%s", now.Unix()/100%100_000_000,
		h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
	t.opRef = opRefFor(now, t.seq)
	t.fees = feesFor(t.amount)
	s.txs[t.ref] = t
	return t
}

// opRefFor is shaped like the vendor's "MP201127.1634.A34527".
func opRefFor(now time.Time, seq int) string {
	return fmt.Sprintf("MP%s.A%05d", now.Format("060102.1504"), seq%100_000)
}

// startLocked records that the paylink's customer started paying on the
// checkout page: an operator transaction now exists.
func (s *Server) startLocked(t *txn) {
	if t.opRef == "" {
		t.opRef = opRefFor(s.now(), t.seq)
	}
}

// scheduleLocked makes t reach outcome ConfirmAfter from now. PENDING means
// "never": nothing is scheduled.
func (s *Server) scheduleLocked(t *txn, outcome string, now time.Time) {
	t.status = client.StatusPending
	if outcome == client.StatusPending {
		return
	}
	if s.cfg.ConfirmAfter <= 0 {
		s.finalizeLocked(t, outcome, "")
		return
	}
	t.due, t.outcome = now.Add(s.cfg.ConfirmAfter), outcome
	s.scheduled[t.ref] = t
	if s.closed {
		return
	}
	ref := t.ref
	s.timers[ref] = time.AfterFunc(s.cfg.ConfirmAfter, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.timers, ref)
		if !s.closed {
			s.sweepLocked(s.now())
		}
	})
}

// sweepLocked applies every outcome due at now, oldest first, so balances and
// callbacks come in a deterministic order.
func (s *Server) sweepLocked(now time.Time) {
	var due []*txn
	for _, t := range s.scheduled {
		if !now.Before(t.due) {
			due = append(due, t)
		}
	}
	sort.Slice(due, func(i, j int) bool {
		if !due[i].due.Equal(due[j].due) {
			return due[i].due.Before(due[j].due)
		}
		return due[i].seq < due[j].seq
	})
	for _, t := range due {
		delete(s.scheduled, t.ref)
		s.finalizeLocked(t, t.outcome, "")
	}
}

// finalizeLocked moves t to a final status, moves the balance and sends the
// callback. msg "" means the default message for status.
func (s *Server) finalizeLocked(t *txn, status, msg string) {
	if client.IsFinal(t.status) {
		return
	}
	if msg == "" {
		switch status {
		case client.StatusSuccess:
			msg = msgSuccess
		case client.StatusCanceled:
			msg = msgCanceled
		default:
			msg = msgFailed
		}
	}
	if t.paylink && status != client.StatusCanceled {
		s.startLocked(t) // paid or failed: the customer went through an operator
	}
	t.status, t.message, t.due, t.outcome, t.awaitingOTP = status, &msg, time.Time{}, "", false
	delete(s.scheduled, t.ref)
	switch {
	case t.typ == client.TypePayin && status == client.StatusSuccess:
		s.balance += t.credit()
	case t.typ == client.TypePayout && status != client.StatusSuccess:
		s.balance += t.amount + t.fees // the reservation taken at acceptance
	}
	if s.cfg.CallbackURL == "" || s.closed {
		return
	}
	cb := t.callback(s.cfg.PublicKey)
	s.wg.Add(1)
	go s.sendCallback(cb)
}

// sendCallback POSTs one signed callback, once, never retried.
func (s *Server) sendCallback(cb client.Callback) {
	defer s.wg.Done()
	cb = client.SignCallback(cb, s.cfg.PrivateKey)
	body, err := json.Marshal(cb)
	ok := false
	defer func() {
		s.mu.Lock()
		s.stats.Callbacks++
		if !ok {
			s.stats.CallbackFailures++
		}
		s.mu.Unlock()
	}()
	if err != nil {
		s.log.Error("sandbox callback: encode", "ref", cb.TransactionRef, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, callbackTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.CallbackURL, bytes.NewReader(body))
	if err != nil {
		s.log.Error("sandbox callback: bad URL", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "My-CoolPay-Sandbox")
	resp, err := s.http.Do(req)
	if err != nil {
		s.log.Warn("sandbox callback: not delivered", "ref", cb.TransactionRef, "status", cb.TransactionStatus, "err", err)
		s.logCallback(cb.TransactionRef, cb.TransactionStatus, "not delivered: "+err.Error())
		return
	}
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	_ = resp.Body.Close()
	a := strings.TrimSpace(string(answer))
	ok = resp.StatusCode/100 == 2 && a == "OK"
	s.logCallback(cb.TransactionRef, cb.TransactionStatus, fmt.Sprintf("HTTP %d, answer %q", resp.StatusCode, a))
	s.log.Info("sandbox callback: delivered", "ref", cb.TransactionRef, "status", cb.TransactionStatus,
		"http", resp.StatusCode, "answer", a)
}
