package core_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/client/sandbox"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
)

// TestRecoverLeavesAnotherConsolesSendAlone: a second console starting
// while the first is between journaling a payout and hearing its answer
// must not mark that payout UNKNOWN; once the first console is gone
// (killed), the next start does.
func TestRecoverLeavesAnotherConsolesSendAlone(t *testing.T) {
	if os.Getenv("COOLPAY_SENDING_CHILD") == "1" {
		sendingChild()
		return
	}
	r := newRig(t, sandbox.Config{})
	cmd := exec.Command(os.Args[0], "-test.run", "^TestRecoverLeavesAnotherConsolesSendAlone$")
	cmd.Env = append(os.Environ(), "COOLPAY_SENDING_CHILD=1", "COOLPAY_CRASH_DB="+r.dbPath, "COOLPAY_CRASH_URL="+r.srv.URL+"/api")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !strings.HasPrefix(line, "journaled") {
		t.Fatalf("child: %q", line)
	}
	recs, err := r.db.Unsettled()
	if err != nil || len(recs) != 1 || recs[0].State != store.StateNew {
		t.Fatalf("the child's journal: %v %+v", err, recs)
	}
	if n, err := r.svc.Recover(); n != 0 || err != nil {
		t.Fatalf("recover while the sender lives: marked %d, %v", n, err)
	}
	if got, _ := r.db.Get(recs[0].ID); got.State != store.StateNew {
		t.Fatalf("the live sender's record became %s", got.State)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if n, err := r.svc.Recover(); n != 1 || err != nil {
		t.Fatalf("recover after the sender died: marked %d, %v", n, err)
	}
	if got, _ := r.db.Get(recs[0].ID); got.State != store.StateUnknown {
		t.Fatalf("the dead sender's record is %s, want UNKNOWN", got.State)
	}
	if n := r.sb.Stats().Payout; n != 0 {
		t.Fatalf("sandbox saw %d payouts", n)
	}
}

// sendingChild journals a payout and then hangs where the request would
// leave, as a console waiting on a slow network does.
func sendingChild() {
	db, err := store.Open(os.Getenv("COOLPAY_CRASH_DB"), store.Options{})
	if err != nil {
		os.Exit(3)
	}
	c := client.New(client.SandboxPublicKey, client.WithBaseURL(os.Getenv("COOLPAY_CRASH_URL")),
		client.WithPrivateKey(func(context.Context) (string, error) { return testKey, nil }))
	svc := core.New(core.Config{Client: c, Store: db, AfterJournal: func(store.Record) {
		fmt.Println("journaled")
		select {}
	}})
	svc.Payout(context.Background(), core.PayoutInput{Operator: "CM_OM", Amount: "4321", Phone: "690112233"})
	os.Exit(4)
}
