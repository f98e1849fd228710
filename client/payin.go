package client

import (
	"context"
	"errors"
	"net/http"
)

// Payin asks the customer's phone for a mobile-money payment (POST /payin,
// 201). The answer's Action says what comes next: PENDING (the customer
// confirms on the phone, USSD is the fallback code) or REQUIRE_OTP (call
// AuthorizePayin with the SMS code). Never retried; an unknown outcome is an
// *AmbiguousError.
func (c *Client) Payin(ctx context.Context, r PayinRequest) (*PayinResponse, error) {
	r, err := r.Normalized()
	if err != nil {
		return nil, err
	}
	return c.payin(ctx, "payin", "/payin", r)
}

// AuthorizePayin sends the SMS code of a REQUIRE_OTP payin (POST
// /payin/authorize, 201). A wrong code is an *APIError with HTTPStatus 401.
func (c *Client) AuthorizePayin(ctx context.Context, r AuthorizeRequest) (*PayinResponse, error) {
	r, err := r.Normalized()
	if err != nil {
		return nil, err
	}
	return c.payin(ctx, "authorize", "/payin/authorize", r)
}

func (c *Client) payin(ctx context.Context, op, path string, body any) (*PayinResponse, error) {
	var out PayinResponse
	_, err := c.do(ctx, call{
		op: op, method: http.MethodPost, path: path, body: body, money: true, out: &out,
		check: func() error {
			if out.TransactionRef == "" || out.Action == "" {
				return errors.New("success without transaction_ref or action")
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
