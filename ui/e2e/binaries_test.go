package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runBin(t *testing.T, bin string, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}

// TestLightBinaryHandsOverToCompanion: coolpay answers history itself and
// execs coolpay-console for everything else, with the same arguments.
func TestLightBinaryHandsOverToCompanion(t *testing.T) {
	bin := buildBinaries(t, true)
	db := filepath.Join(t.TempDir(), "ledger.db")
	if out, err := runBin(t, bin, "--db", db, "seed", "--count", "7"); err != nil || !strings.Contains(out, "seeded 7") {
		t.Fatalf("seed through the companion: %v\n%s", err, out)
	}
	out, err := runBin(t, bin, "history", "--db", db, "--json", "--limit", "5")
	var recs []map[string]any
	if err != nil || json.Unmarshal([]byte(out), &recs) != nil || len(recs) != 5 {
		t.Fatalf("history: %v\n%s", err, out)
	}
	if out, err := runBin(t, bin, "nonsense"); err == nil || !strings.Contains(out, `unknown command "nonsense"`) {
		t.Fatalf("the companion's own error must come through: %v\n%s", err, out)
	}
	if out, err := runBin(t, bin, "--help"); err != nil || !strings.Contains(out, "coolpay history") {
		t.Fatalf("help: %v\n%s", err, out)
	}
}

func TestLightBinaryWithoutCompanionSaysSo(t *testing.T) {
	bin := buildBinaries(t, false)
	out, err := runBin(t, bin, "balance")
	if err == nil || !strings.Contains(out, "coolpay-console is missing") || strings.Contains(out, "goroutine") {
		t.Fatalf("want a one-line explanation, got %v\n%s", err, out)
	}
	db := filepath.Join(t.TempDir(), "none.db")
	if out, err := runBin(t, bin, "history", "--db", db); err != nil || !strings.Contains(out, "no transactions") {
		t.Fatalf("history must not need the companion: %v\n%s", err, out)
	}
}
