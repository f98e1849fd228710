package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The worker side of TestSeveralProcessesShareOneLedger: a re-exec of the
// test binary with COOLPAY_STORE_WORKER=role,path,name,seconds. It prints
// one line per write it saw succeed ("U id detail", "C appref"), then
// "MAXWAIT <ns>" and "OPS <n>"; any failed operation prints "ERR ..." and
// the worker goes on.
func runWorker(spec string) {
	parts := strings.Split(spec, ",")
	role, path, name := parts[0], parts[1], parts[2]
	secs, _ := strconv.Atoi(parts[3])
	shared, _ := strconv.Atoi(parts[4])
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	db, err := Open(path, Options{ReadOnly: role == "reader"})
	if err != nil {
		fmt.Fprintln(out, "ERR open:", err)
		return
	}
	defer db.Close()
	var maxWait time.Duration
	ops := 0
	timed := func(f func() error) {
		start := time.Now()
		err := f()
		if d := time.Since(start); d > maxWait {
			maxWait = d
		}
		ops++
		if err != nil {
			fmt.Fprintln(out, "ERR", err)
		}
	}
	end := time.Now().Add(time.Duration(secs) * time.Second)
	for n := 0; time.Now().Before(end); n++ {
		id := uint64(n%shared + 1)
		switch role {
		case "writer":
			detail := fmt.Sprintf("%s-%d", name, n)
			if n%5 == 4 {
				r := Record{Type: TypePayin, State: StateNew, AppRef: detail, Amount: "100", Currency: "XAF"}
				timed(func() error { return db.Create(&r) })
				if r.ID != 0 {
					fmt.Fprintln(out, "C", detail)
				}
				continue
			}
			var ok bool
			timed(func() error {
				_, err := db.Update(id, func(r *Record) error {
					r.Events = append(r.Events, Event{At: time.Now(), Kind: EvPolled, Detail: detail})
					r.Message = detail
					return nil
				})
				ok = err == nil
				return err
			})
			if ok {
				fmt.Fprintln(out, "U", id, detail)
			}
		case "reader":
			timed(func() error { _, err := db.Get(id); return err })
			timed(func() error { _, err := db.List(Filter{}, 50, ""); return err })
			timed(func() error { _, err := db.List(Filter{Search: "w1-"}, 50, ""); return err })
			timed(func() error { _, err := db.Changes(); return err })
		}
		time.Sleep(2 * time.Millisecond) // a person or a poller, not a spin loop
	}
	fmt.Fprintln(out, "MAXWAIT", maxWait.Nanoseconds())
	fmt.Fprintln(out, "OPS", ops)
}

// TestSeveralProcessesShareOneLedger runs writer and reader processes on
// one ledger file at once for a few seconds. Writers append events to the
// same few records and create new ones; readers get, list, search and poll.
// Afterwards every write each writer saw succeed is in the file, each
// shared record's trail holds every event exactly once, and no operation
// of any process waited more than about a second.
func TestSeveralProcessesShareOneLedger(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes for seconds")
	}
	const shared, writers, readers, secs = 3, 3, 2, 3
	p := filepath.Join(t.TempDir(), "ledger.db")
	db, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < shared; i++ {
		r := Record{Type: TypePayout, State: StatePending, AppRef: fmt.Sprintf("shared-%d", i)}
		if err := db.Create(&r); err != nil {
			t.Fatal(err)
		}
	}
	type result struct {
		name string
		out  []byte
		err  error
	}
	results := make([]result, writers+readers)
	var wg sync.WaitGroup
	for i := range results {
		role, name := "writer", fmt.Sprintf("w%d", i+1)
		if i >= writers {
			role, name = "reader", fmt.Sprintf("r%d", i-writers+1)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestMultiprocWorker$")
			cmd.Env = append(os.Environ(), fmt.Sprintf("COOLPAY_STORE_WORKER=%s,%s,%s,%d,%d", role, p, name, secs, shared))
			out, err := cmd.Output()
			results[i] = result{name, out, err}
		}()
	}
	// The parent is a process too: it reads while the others run.
	stop := time.Now().Add(secs * time.Second)
	var parentMax time.Duration
	for time.Now().Before(stop) {
		start := time.Now()
		if _, err := db.List(Filter{}, 50, ""); err != nil {
			t.Errorf("parent List: %v", err)
		}
		parentMax = max(parentMax, time.Since(start))
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()

	wantEvents := map[uint64][]string{}
	var created []string
	for _, r := range results {
		if r.err != nil {
			t.Fatalf("%s: %v\n%s", r.name, r.err, r.out)
		}
		sc := bufio.NewScanner(bytes.NewReader(r.out))
		sawMax := false
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) == 0 {
				continue
			}
			switch f[0] {
			case "ERR":
				t.Errorf("%s: %s", r.name, sc.Text())
			case "U":
				id, _ := strconv.ParseUint(f[1], 10, 64)
				wantEvents[id] = append(wantEvents[id], f[2])
			case "C":
				created = append(created, f[1])
			case "MAXWAIT":
				ns, _ := strconv.ParseInt(f[1], 10, 64)
				sawMax = true
				t.Logf("%s: longest operation %v", r.name, time.Duration(ns))
				if time.Duration(ns) > 1500*time.Millisecond { // about 1 s: the lock wait, plus a loaded CI machine running -race
					t.Errorf("%s waited %v for one operation", r.name, time.Duration(ns))
				}
			case "OPS":
				t.Logf("%s: %s operations", r.name, f[1])
				if n, _ := strconv.Atoi(f[1]); n < 20 {
					t.Errorf("%s got only %d operations done in %ds", r.name, n, secs)
				}
			}
		}
		if !sawMax {
			t.Errorf("%s did not finish:\n%s", r.name, r.out)
		}
	}
	t.Logf("parent: longest List %v", parentMax)
	if parentMax > 1500*time.Millisecond {
		t.Errorf("parent waited %v for one List", parentMax)
	}
	for id, want := range wantEvents {
		r, err := db.Get(id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range r.Events {
			if e.Kind == EvPolled {
				got[e.Detail]++
			}
		}
		for _, d := range want {
			if got[d] != 1 {
				t.Errorf("record %d: event %s appears %d times", id, d, got[d])
			}
		}
		if len(got) != len(want) {
			t.Errorf("record %d: %d events in the trail, writers saw %d succeed", id, len(got), len(want))
		}
	}
	for _, ref := range created {
		if _, err := db.ByAppRef(ref); err != nil {
			t.Errorf("created %s: %v", ref, err)
		}
	}
	if n, _ := db.Count(); n != shared+len(created) {
		t.Errorf("count = %d, want %d", n, shared+len(created))
	}
	if len(created) == 0 || len(wantEvents) != shared {
		t.Fatalf("the workers wrote too little to prove anything: %d creates, %d records updated", len(created), len(wantEvents))
	}
	checkIndexes(t, db)
}

// TestMultiprocWorker is only the entry point of the worker processes.
func TestMultiprocWorker(t *testing.T) {
	spec := os.Getenv("COOLPAY_STORE_WORKER")
	if spec == "" {
		t.Skip("run by TestSeveralProcessesShareOneLedger")
	}
	runWorker(spec)
	os.Exit(0)
}
