package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// CheckStatus reads a transaction (GET /checkStatus/{ref}). It is
// read-only, so network errors and 5xx are retried (see WithRetry).
func (c *Client) CheckStatus(ctx context.Context, ref string) (*StatusResponse, error) {
	ref, err := statusRef(ref)
	if err != nil {
		return nil, err
	}
	return c.status(ctx, call{op: "status", method: http.MethodGet, path: "/checkStatus/" + url.PathEscape(ref)})
}

// CheckStatusLegacy is the deprecated POST /checkStatus form of CheckStatus.
// It is a POST but reads only, so it is retried like CheckStatus.
func (c *Client) CheckStatusLegacy(ctx context.Context, ref string) (*StatusResponse, error) {
	ref, err := statusRef(ref)
	if err != nil {
		return nil, err
	}
	body := struct {
		TransactionRef string `json:"transaction_ref"`
	}{ref}
	return c.status(ctx, call{op: "status", method: http.MethodPost, path: "/checkStatus", body: body})
}

func (c *Client) status(ctx context.Context, k call) (*StatusResponse, error) {
	var out StatusResponse
	k.retry, k.out = true, &out
	if _, err := c.do(ctx, k); err != nil {
		return nil, err
	}
	return &out, nil
}

func statusRef(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", invalid("transaction_ref", CodeRefRequired, "the transaction reference is required")
	}
	return ref, nil
}
