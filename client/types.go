package client

import (
	"encoding/json"
	"net/url"
)

// Transaction types, operators, statuses and payin actions as the API spells them.
const (
	TypePayin  = "PAYIN"
	TypePayout = "PAYOUT"

	OperatorMCP  = "MCP"     // My-CoolPay wallet
	OperatorMoMo = "CM_MOMO" // MTN Mobile Money
	OperatorOM   = "CM_OM"   // Orange Money
	OperatorCard = "CARD"    // only seen in status and callbacks

	// StatusCreated is not a documented status: older sandboxes reported
	// it for unpaid paylinks, which are PENDING. It is still understood
	// (as "not over yet") so that old ledgers and answers read; nothing
	// produces it now.
	StatusCreated  = "CREATED"
	StatusPending  = "PENDING"
	StatusSuccess  = "SUCCESS"
	StatusCanceled = "CANCELED"
	StatusFailed   = "FAILED"

	ActionPending    = "PENDING"
	ActionRequireOTP = "REQUIRE_OTP"

	CurrencyXAF = "XAF"
	CurrencyEUR = "EUR"

	LangFR = "fr"
	LangEN = "en"
)

// IsFinal reports whether a transaction_status can no longer change.
func IsFinal(status string) bool {
	return status == StatusSuccess || status == StatusCanceled || status == StatusFailed
}

// PaylinkRequest is the body of POST /paylink.
type PaylinkRequest struct {
	TransactionAmount   json.Number `json:"transaction_amount"`
	TransactionCurrency string      `json:"transaction_currency,omitempty"`
	TransactionReason   string      `json:"transaction_reason,omitempty"`
	AppTransactionRef   string      `json:"app_transaction_ref,omitempty"`
	CustomerPhoneNumber string      `json:"customer_phone_number,omitempty"`
	CustomerName        string      `json:"customer_name,omitempty"`
	CustomerEmail       string      `json:"customer_email,omitempty"`
	CustomerLang        string      `json:"customer_lang,omitempty"`

	// ReturnParams are extra query parameters put on the request URL, which
	// My-CoolPay echoes on the success / cancel / failure redirect (at most
	// 255 characters once encoded). Not part of the body.
	ReturnParams url.Values `json:"-"`
}

// PaylinkResponse is the 201 answer to POST /paylink.
type PaylinkResponse struct {
	Status         string `json:"status"`
	TransactionRef string `json:"transaction_ref"`
	PaymentURL     string `json:"payment_url"`
}

// PayinRequest is the body of POST /payin (XAF only, phone required).
type PayinRequest struct {
	TransactionAmount   json.Number `json:"transaction_amount"`
	TransactionCurrency string      `json:"transaction_currency,omitempty"`
	TransactionReason   string      `json:"transaction_reason,omitempty"`
	AppTransactionRef   string      `json:"app_transaction_ref,omitempty"`
	CustomerPhoneNumber string      `json:"customer_phone_number"`
	CustomerName        string      `json:"customer_name,omitempty"`
	CustomerEmail       string      `json:"customer_email,omitempty"`
	CustomerLang        string      `json:"customer_lang,omitempty"`
}

// PayinResponse is the 201 answer to POST /payin and POST /payin/authorize.
type PayinResponse struct {
	Status         string `json:"status"`
	TransactionRef string `json:"transaction_ref"`
	Action         string `json:"action"`
	USSD           string `json:"ussd,omitempty"`
}

// AuthorizeRequest is the body of POST /payin/authorize.
type AuthorizeRequest struct {
	TransactionRef string `json:"transaction_ref"`
	Code           string `json:"code"`
}

// PayoutRequest is the body of POST /payout. The private key goes in the
// X-PRIVATE-KEY header only, never here.
type PayoutRequest struct {
	TransactionAmount   json.Number `json:"transaction_amount"`
	TransactionCurrency string      `json:"transaction_currency,omitempty"`
	TransactionReason   string      `json:"transaction_reason,omitempty"`
	TransactionOperator string      `json:"transaction_operator"`
	AppTransactionRef   string      `json:"app_transaction_ref,omitempty"`
	CustomerName        string      `json:"customer_name,omitempty"`
	CustomerPhoneNumber string      `json:"customer_phone_number,omitempty"`
	CustomerUsername    string      `json:"customer_username,omitempty"`
	CustomerEmail       string      `json:"customer_email,omitempty"`
	CustomerLang        string      `json:"customer_lang,omitempty"`
}

// PayoutResponse is the 200 or 202 answer to POST /payout. HTTPStatus keeps
// which one it was: 200 means done, 202 means still in progress.
type PayoutResponse struct {
	Status         string `json:"status"`
	Message        string `json:"message"`
	TransactionRef string `json:"transaction_ref"`
	HTTPStatus     int    `json:"-"`
}

// StatusResponse is the 200 answer to GET /checkStatus/{ref}.
type StatusResponse struct {
	Status                 string      `json:"status"`
	AppTransactionRef      string      `json:"app_transaction_ref"`
	OperatorTransactionRef string      `json:"operator_transaction_ref"`
	TransactionRef         string      `json:"transaction_ref"`
	TransactionType        string      `json:"transaction_type"`
	TransactionAmount      json.Number `json:"transaction_amount"`
	TransactionFees        json.Number `json:"transaction_fees"`
	TransactionCurrency    string      `json:"transaction_currency"`
	TransactionOperator    string      `json:"transaction_operator"`
	TransactionStatus      string      `json:"transaction_status"`
	TransactionReason      string      `json:"transaction_reason"`
	TransactionMessage     *string     `json:"transaction_message"`
	CustomerPhoneNumber    string      `json:"customer_phone_number"`
}

// BalanceResponse is the 200 answer to GET /balance.
type BalanceResponse struct {
	Status  string      `json:"status"`
	Balance json.Number `json:"balance"`
}

// Callback is the body My-CoolPay POSTs to the merchant's callback URL.
type Callback struct {
	Application            string      `json:"application"`
	AppTransactionRef      string      `json:"app_transaction_ref"`
	OperatorTransactionRef string      `json:"operator_transaction_ref"`
	TransactionRef         string      `json:"transaction_ref"`
	TransactionType        string      `json:"transaction_type"`
	TransactionAmount      json.Number `json:"transaction_amount"`
	TransactionFees        json.Number `json:"transaction_fees"`
	TransactionCurrency    string      `json:"transaction_currency"`
	TransactionOperator    string      `json:"transaction_operator"`
	TransactionStatus      string      `json:"transaction_status"`
	TransactionReason      string      `json:"transaction_reason"`
	TransactionMessage     *string     `json:"transaction_message"`
	CustomerPhoneNumber    string      `json:"customer_phone_number"`
	Signature              string      `json:"signature"`
}
