package client

import (
	"context"
	"net/http"
)

// Balance reads the merchant's balance (GET /balance, with the private key
// in the X-PRIVATE-KEY header). Read-only, so retried like CheckStatus.
func (c *Client) Balance(ctx context.Context) (*BalanceResponse, error) {
	var out BalanceResponse
	_, err := c.do(ctx, call{op: "balance", method: http.MethodGet, path: "/balance", needKey: true, retry: true, out: &out})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
