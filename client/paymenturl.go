package client

import (
	"errors"
	"net"
	"net/url"
	"strings"
)

// ErrUnsafePaymentURL: a payment_url that is not an https link (or an http
// one on this machine, as the sandbox gives). Such a link is never shown,
// copied or turned into a QR code: a customer could be sent anywhere.
var ErrUnsafePaymentURL = errors.New("coolpay: payment_url is not a safe https link")

// ErrInsecureBaseURL: the API base URL is plain http to another machine,
// where the private key (X-PRIVATE-KEY) would travel in clear.
var ErrInsecureBaseURL = errors.New("coolpay: the API base URL is plain http to another machine: the private key would travel in clear (use https, or allow it explicitly)")

// ErrTrustEveryone: a trusted proxy range that covers every address would
// let anyone claim, in X-Forwarded-For, to be My-CoolPay.
var ErrTrustEveryone = errors.New("a trusted proxy of 0.0.0.0/0 or ::/0 trusts everyone's X-Forwarded-For: name the proxy's own addresses")

// CheckBaseURL reports whether u may carry the private key: https, or http
// to this machine (the sandbox).
func CheckBaseURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return errors.New("coolpay: the API base URL is not an http(s) URL")
	}
	switch strings.ToLower(p.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(p.Hostname()) {
			return nil
		}
		return ErrInsecureBaseURL
	}
	return errors.New("coolpay: the API base URL is not an http(s) URL")
}

// CheckTrustedProxy refuses a proxy range that covers every address.
func CheckTrustedProxy(n *net.IPNet) error {
	if ones, _ := n.Mask.Size(); ones == 0 {
		return ErrTrustEveryone
	}
	return nil
}

// CheckPaymentURL reports whether u may be shown to a customer: an absolute
// https URL with a host, made only of printable ASCII (no spaces, no control
// or look-alike characters), without user:password; http is accepted only
// for a loopback host (the sandbox).
func CheckPaymentURL(u string) error {
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return ErrUnsafePaymentURL
		}
	}
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.User != nil || p.Opaque != "" {
		return ErrUnsafePaymentURL
	}
	switch strings.ToLower(p.Scheme) {
	case "https":
		return nil
	case "http":
		if IsLoopbackHost(p.Hostname()) {
			return nil
		}
	}
	return ErrUnsafePaymentURL
}

// IsLoopbackHost reports whether host (no port) is this machine: localhost
// or a loopback address.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
