package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
)

// settlePath forces an outcome from outside, like `stripe trigger`: tests
// and demos use it instead of waiting for (or steering by) the digit rules.
const settlePath = "/_sandbox/settle"

// Errors of Force.
var (
	ErrUnknownTransaction = errors.New("transaction not found")
	ErrAlreadyFinal       = errors.New("transaction is already final")
	ErrBadOutcome         = errors.New("status must be SUCCESS, FAILED or CANCELED")
)

// SettleRequest is the body of POST /_sandbox/settle (JSON or a form).
type SettleRequest struct {
	Ref    string `json:"ref"`
	Status string `json:"status"`
}

// ParseOutcome accepts SUCCESS, FAILED or CANCELED in any case, for
// settle; anything else is ErrBadOutcome.
func ParseOutcome(status string) (string, error) {
	st := strings.ToUpper(strings.TrimSpace(status))
	switch st {
	case client.StatusSuccess, client.StatusFailed, client.StatusCanceled:
		return st, nil
	}
	return "", ErrBadOutcome
}

// Force moves the transaction ref, which must not be final yet (a pending
// payin or payout, a payin waiting for its code, an unpaid paylink), to
// status at once, with the balance moves and the callback its rules give.
func (s *Server) Force(ref, status string) (client.StatusResponse, error) {
	st, err := ParseOutcome(status)
	if err != nil {
		return client.StatusResponse{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked(s.now())
	t := s.txs[ref]
	if t == nil {
		return client.StatusResponse{}, ErrUnknownTransaction
	}
	if client.IsFinal(t.status) {
		return t.statusResponse(), fmt.Errorf("%w (%s)", ErrAlreadyFinal, t.status)
	}
	if tm := s.timers[ref]; tm != nil {
		tm.Stop()
		delete(s.timers, ref)
	}
	s.finalizeLocked(t, st, "")
	return t.statusResponse(), nil
}

func (s *Server) settleRoute(r *http.Request) reply {
	var req SettleRequest
	if rep := readBody(r, &req); rep != nil {
		return *rep
	}
	if strings.TrimSpace(req.Ref) == "" {
		return *invalid("ref is required")
	}
	st, err := s.Force(strings.TrimSpace(req.Ref), req.Status)
	switch {
	case errors.Is(err, ErrBadOutcome):
		return *invalid(err.Error())
	case errors.Is(err, ErrUnknownTransaction):
		return errorReply(http.StatusNotFound, "Transaction not found")
	case errors.Is(err, ErrAlreadyFinal):
		return errorReply(http.StatusConflict, "The transaction is already "+st.TransactionStatus)
	}
	return reply{code: http.StatusOK, body: st, rule: "settle: forced " + st.TransactionStatus}
}

// SettleURL is the settle endpoint of the sandbox at addr, which may be a
// host:port ("127.0.0.1:8787"), a URL, or the API base URL ("…/api").
func SettleURL(addr string) (string, error) {
	a := strings.TrimSpace(addr)
	if a == "" {
		return "", errors.New("no sandbox address given")
	}
	if !strings.Contains(a, "://") {
		a = "http://" + a
	}
	a = strings.TrimRight(a, "/")
	a = strings.TrimSuffix(a, "/api")
	if !strings.HasPrefix(a, "http://") && !strings.HasPrefix(a, "https://") {
		return "", fmt.Errorf("sandbox address %q: use host:port or an http(s) URL", addr)
	}
	return a + settlePath, nil
}

// Settle asks the sandbox at addr to force the outcome of ref (SUCCESS,
// FAILED or CANCELED) and returns the transaction as checkStatus now shows
// it. It is what `coolpay sandbox settle` runs.
func Settle(ctx context.Context, addr, ref, status string) (*client.StatusResponse, error) {
	u, err := SettleURL(addr)
	if err != nil {
		return nil, err
	}
	st, err := ParseOutcome(status)
	if err != nil {
		return nil, err
	}
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, errors.New("a transaction_ref is required")
	}
	body, _ := json.Marshal(SettleRequest{Ref: ref, Status: st})
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("settle: is a sandbox running at %s? %w", addr, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		client.StatusResponse
		Message string `json:"message"`
		Msg     string `json:"msg"`
	}
	if json.Unmarshal(raw, &out) != nil {
		return nil, fmt.Errorf("settle: %s answered HTTP %d, not the sandbox's JSON (is it a coolpay sandbox?)", u, resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK || out.Status != "success" {
		msg := out.Message
		if msg == "" {
			msg = out.Msg
		}
		return nil, fmt.Errorf("settle %s: HTTP %d: %s", ref, resp.StatusCode, clean(msg, 200))
	}
	return &out.StatusResponse, nil
}
