//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package filelock_test

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store/filelock"
)

func TestOpenLockedWaitsForTheHolderAndGivesUpWithErrBusy(t *testing.T) {
	p := filepath.Join(t.TempDir(), "data")
	held, err := filelock.OpenLocked(p, os.O_CREATE|os.O_RDWR, 0o600, true, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := filelock.OpenLocked(p, os.O_RDONLY, 0, false, 100*time.Millisecond); !errors.Is(err, filelock.ErrBusy) {
		t.Fatalf("shared while held exclusive: %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Fatalf("gave up after %v, before its 100 ms", d)
	}
	go func() { time.Sleep(30 * time.Millisecond); held.Close() }()
	start = time.Now()
	f, err := filelock.OpenLocked(p, os.O_RDONLY, 0, false, time.Second)
	if err != nil {
		t.Fatalf("after the holder closed: %v", err)
	}
	// Waited in small steps: granted within a few ms of the release, not
	// at the next 50 ms tick.
	if d := time.Since(start); d > 45*time.Millisecond {
		t.Errorf("granted %v after asking, the release was at 30 ms", d)
	}
	f.Close()
}

// Readers that keep arriving hold a shared lock without a gap; a writer
// that asks through the queue still gets its turn, well within its time.
func TestQueueLetsAWriterInPastReadersThatKeepComing(t *testing.T) {
	dir := t.TempDir()
	data, queue := filepath.Join(dir, "data"), filepath.Join(dir, ".data.queue")
	if err := os.WriteFile(data, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var reads atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * time.Millisecond) // staggered: the shared lock is never free
			for !stop.Load() {
				q, err := filelock.Queue(queue, false, 2*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				q.Release()
				f, err := filelock.OpenLocked(data, os.O_RDONLY, 0, false, 2*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				time.Sleep(4 * time.Millisecond)
				f.Close()
				reads.Add(1)
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()
	time.Sleep(50 * time.Millisecond)
	for i := 0; i < 5; i++ {
		start := time.Now()
		q, err := filelock.Queue(queue, true, time.Second)
		if err != nil {
			t.Fatalf("write %d: the queue: %v", i, err)
		}
		f, err := filelock.OpenLocked(data, os.O_RDWR, 0, true, time.Second)
		q.Release()
		if err != nil {
			t.Fatalf("write %d: kept out by readers: %v", i, err)
		}
		f.Close()
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("write %d waited %v", i, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if reads.Load() < 20 {
		t.Errorf("readers got only %d reads in: the writer kept them out", reads.Load())
	}
}
