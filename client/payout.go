package client

import (
	"context"
	"errors"
	"net/http"
)

// Payout sends money from the merchant's balance (POST /payout, with the
// private key in the X-PRIVATE-KEY header only). HTTPStatus in the answer is
// 200 when done, 202 when still in progress. Never retried; an unknown
// outcome is an *AmbiguousError.
func (c *Client) Payout(ctx context.Context, r PayoutRequest) (*PayoutResponse, error) {
	r, err := r.Normalized()
	if err != nil {
		return nil, err
	}
	var out PayoutResponse
	status, err := c.do(ctx, call{
		op: "payout", method: http.MethodPost, path: "/payout", body: r,
		needKey: true, money: true, ipList: true, out: &out,
		check: func() error {
			if out.TransactionRef == "" {
				return errors.New("success without transaction_ref")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	out.HTTPStatus = status
	return &out, nil
}
