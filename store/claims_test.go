package store

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestClaimsAndReportedRecordsOncePerTransactionAcrossProcesses: the
// listener and a console may confirm the same callback at the same moment;
// three processes each adding the same 40 claims and creating the same 40
// records by transaction_ref leave 40 of each, and every claim is fresh in
// exactly one of them.
func TestClaimsAndReportedRecordsOncePerTransactionAcrossProcesses(t *testing.T) {
	const n = 40
	if spec := os.Getenv("COOLPAY_CLAIMS_CHILD"); spec != "" {
		db, err := Open(spec, Options{})
		if err != nil {
			fmt.Println("ERR", err)
			return
		}
		defer db.Close()
		fresh, created := 0, 0
		for i := 0; i < n; i++ {
			if _, ok, err := db.AddClaim(Claim{Key: fmt.Sprintf("k%d", i), TransactionRef: fmt.Sprintf("T%d", i)}); err != nil {
				fmt.Println("ERR", err)
			} else if ok {
				fresh++
			}
			r := Record{Type: TypePayin, State: StateReported, TransactionRef: fmt.Sprintf("T%d", i), Amount: "100", Currency: "XAF"}
			if _, ok, err := db.CreateUnlessRef(&r); err != nil {
				fmt.Println("ERR", err)
			} else if ok {
				created++
			}
		}
		fmt.Println("FRESH", fresh, "CREATED", created)
		return
	}
	path := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	var cmds []*exec.Cmd
	var outs []*strings.Builder
	for i := 0; i < 3; i++ {
		c := exec.Command(os.Args[0], "-test.run", "^TestClaimsAndReportedRecordsOncePerTransactionAcrossProcesses$")
		c.Env = append(os.Environ(), "COOLPAY_CLAIMS_CHILD="+path)
		var b strings.Builder
		c.Stdout, c.Stderr = &b, &b
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, c), append(outs, &b)
	}
	fresh, created := 0, 0
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, outs[i])
		}
		out := outs[i].String()
		if strings.Contains(out, "ERR") {
			t.Fatalf("child %d:\n%s", i, out)
		}
		f := strings.Fields(out[strings.Index(out, "FRESH"):])
		a, _ := strconv.Atoi(f[1])
		b, _ := strconv.Atoi(f[3])
		fresh, created = fresh+a, created+b
	}
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	claims, _ := db.Claims("")
	count, _ := db.Count()
	if fresh != n || created != n || len(claims) != n || count != n {
		t.Fatalf("fresh %d, created %d, %d claims, %d records; want %d of each", fresh, created, len(claims), count, n)
	}
}
