package pay

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/coolpay/coolpay/ui/i18n"
)

// TestEveryKeyUsedIsInTheCatalogue reads the screens' and components' source
// for catalogue keys and checks both languages have them: a missing key would
// show as "payin.something" on a cashier's screen.
func TestEveryKeyUsedIsInTheCatalogue(t *testing.T) {
	re := regexp.MustCompile(`"((?:payin|paylink|payout|form|err|result)\.[a-z_.]*[a-z_])"`)
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("../components/*.go")
	known := map[string]bool{}
	for _, k := range i18n.Keys() {
		known[k] = true
	}
	n := 0
	for _, f := range append(files, more...) {
		if filepath.Ext(f) != ".go" || regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			n++
			if !known[m[1]] {
				t.Errorf("%s uses %q, which is not in the catalogue", f, m[1])
			}
		}
	}
	if n < 50 {
		t.Fatalf("found only %d keys: the scan is broken", n)
	}
	for _, typ := range []string{"payin", "paylink", "payout"} {
		if !known["form.type."+typ] {
			t.Errorf("form.type.%s missing", typ)
		}
	}
}
