package cli_test

import (
	"strings"
	"testing"
)

// compact is for a ledger file: on a database URL it says so, names the
// database without its password, and touches nothing.
func TestLedgerCompactRefusesADatabaseWithoutShowingItsPassword(t *testing.T) {
	out, errs, code := runCLI(map[string]string{"COOLPAY_DB": "postgres://coolpay:s3cret@db.example/shop"}, nil, "ledger", "compact")
	if code != 1 || !strings.Contains(errs, "PostgreSQL") || !strings.Contains(errs, "db.example") {
		t.Fatalf("ledger compact on a database: %d %q %q", code, out, errs)
	}
	if strings.Contains(out+errs, "s3cret") {
		t.Fatalf("the database password was printed: %q %q", out, errs)
	}
}
