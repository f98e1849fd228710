package cli_test

import (
	"strings"
	"testing"
)

// TestRiskySettingsRefused: a plain-http base URL to another machine (the
// private key would travel in clear) needs the explicit override; a trusted
// proxy of 0.0.0.0/0 or ::/0 (anyone could claim to be My-CoolPay) is refused.
func TestRiskySettingsRefused(t *testing.T) {
	e := newCLIEnv(t)
	for _, c := range [][2]string{{"base_url", "http://10.0.0.5/api"}, {"callback_trust_proxy", "0.0.0.0/0"}, {"callback_trust_proxy", "10.0.0.0/8,::/0"}} {
		if _, errs, code := e.run("config", "set", c[0], c[1]); code != 2 || errs == "" {
			t.Errorf("config set %s %s: exit %d %q", c[0], c[1], code, errs)
		}
	}
	for _, c := range [][2]string{{"base_url", "https://my-coolpay.com/api"}, {"base_url", "http://127.0.0.1:8787/api"}, {"callback_trust_proxy", "10.0.0.0/8"}} {
		if _, errs, code := e.run("config", "set", c[0], c[1]); code != 0 {
			t.Errorf("config set %s %s: exit %d %q", c[0], c[1], code, errs)
		}
	}
	t.Setenv("COOLPAY_INSECURE_HTTP", "1")
	if _, errs, code := e.run("config", "set", "base_url", "http://10.0.0.5/api"); code != 0 {
		t.Fatalf("the explicit override was refused: %q", errs)
	}
	if _, errs, code := e.run("listen", "--trust-proxy", "::/0"); code != 2 || !strings.Contains(errs, "trusts everyone") {
		t.Fatalf("listen --trust-proxy ::/0: exit %d %q", code, errs)
	}
}
