package client

import "testing"

// Only an API on this machine is a sandbox: My-CoolPay is never local.
func TestIsSandboxURL(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8787/api":     true,
		"https://localhost/api":         true,
		"http://LOCALHOST:1/api":        true,
		"http://[::1]:8787/api":         true,
		"http://127.1.2.3/api":          true,
		"https://my-coolpay.com/api":    false,
		"http://192.168.1.10:8787/api":  false,
		"http://localhost.example.com/": false,
		"127.0.0.1:8787":                false, // no scheme: not a URL the client can use
		"":                              false,
		"://bad":                        false,
	} {
		if got := IsSandboxURL(u); got != want {
			t.Errorf("IsSandboxURL(%q) = %v, want %v", u, got, want)
		}
	}
}
