package client

import "net/url"

// IsSandboxURL is the one rule for "live or sandbox" from a base URL: an
// API on this machine (localhost or a loopback address, whatever the
// scheme) is a sandbox, since My-CoolPay itself is never local. The
// console's header and coolpay doctor both ask it.
func IsSandboxURL(baseURL string) bool {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return false
	}
	return IsLoopbackHost(u.Hostname())
}
