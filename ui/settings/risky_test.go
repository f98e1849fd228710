package settings

import "testing"

// TestBaseURLOverPlainHTTPNeedsTheOverride: the private key would travel in
// clear to another machine.
func TestBaseURLOverPlainHTTPNeedsTheOverride(t *testing.T) {
	for s, want := range map[string]string{
		"https://my-coolpay.com/api": "", "http://127.0.0.1:8787/api": "", "http://[::1]:9/api": "",
		"http://10.0.0.5/api": "config.error.base_url_http", "ftp://x": "config.error.base_url",
	} {
		got := ""
		if e := ValidateBaseURL(s); e != nil {
			got = e.Msg
		}
		if got != want {
			t.Errorf("ValidateBaseURL(%q) = %q, want %q", s, got, want)
		}
	}
	t.Setenv("COOLPAY_INSECURE_HTTP", "1")
	if got := ValidateBaseURL("http://10.0.0.5/api"); got != nil {
		t.Fatalf("with the override: %v", got)
	}
}
