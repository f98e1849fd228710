package batch

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrBusy: another coolpay is sending a batch on this ledger right now.
var ErrBusy = errors.New("another coolpay is sending a batch on this ledger: wait for it to finish")

// lock is held for a whole send, from the plan to the last line: two sends
// of one batch at once would both see a line as never sent and both pay it.
// It is one lock per ledger (not per batch) because the console and
// commands may name one file's batch differently; batches are sent one at a
// time.
type lock struct{ f *os.File }

// LockPath is the lock file of a ledger: beside it, so every process that
// shares the ledger finds the same lock.
func LockPath(ledger string) string { return ledger + ".batch.lock" }

func acquire(path string) (*lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("batch lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		who := ""
		if b, rerr := os.ReadFile(path); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
				who = fmt.Sprintf(" (process %d)", pid)
			}
		}
		f.Close()
		if errors.Is(err, ErrBusy) {
			return nil, fmt.Errorf("%w%s", ErrBusy, who)
		}
		return nil, fmt.Errorf("batch lock %s: %w", path, err)
	}
	// The pid is only for the message above; the lock is the kernel's.
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &lock{f: f}, nil
}

func (l *lock) release() {
	if l != nil && l.f != nil {
		l.f.Close() // closing drops the lock
	}
}
