package client

import (
	"context"
	"errors"
	"net/http"
)

// Paylink creates a hosted payment page (POST /paylink, 201); send the
// customer to PaymentURL. It moves money later, through the customer, so an
// unknown outcome is an *AmbiguousError: a page may exist. Never retried.
func (c *Client) Paylink(ctx context.Context, r PaylinkRequest) (*PaylinkResponse, error) {
	r, err := r.Normalized()
	if err != nil {
		return nil, err
	}
	var out PaylinkResponse
	_, err = c.do(ctx, call{
		op: "paylink", method: http.MethodPost, path: "/paylink", query: r.ReturnParams,
		body: r, money: true, out: &out,
		check: func() error {
			if out.TransactionRef == "" || out.PaymentURL == "" {
				return errors.New("success without transaction_ref or payment_url")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
