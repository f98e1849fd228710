package batch

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/coolpay/coolpay/store/filelock"
)

// ErrBusy: another coolpay is sending a batch on this ledger right now.
var ErrBusy = errors.New("another coolpay is sending a batch on this ledger: wait for it to finish")

// lock is held for a whole send, from the plan to the last line: two sends
// of one batch at once would both see a line as never sent and both pay it.
// It is one lock per ledger (not per batch) because the console and
// commands may name one file's batch differently; batches are sent one at a
// time. The lock is store/filelock's: the system drops it when the process
// dies, even by SIGKILL, so a crashed send never leaves the batch locked.
type lock struct{ l *filelock.Lock }

// LockPath is the lock file of a ledger: beside it, so every process that
// shares the ledger finds the same lock.
func LockPath(ledger string) string { return ledger + ".batch.lock" }

func acquire(path string) (*lock, error) {
	l, err := filelock.TryLock(path)
	if errors.Is(err, filelock.ErrBusy) {
		who := ""
		if b, rerr := os.ReadFile(path); rerr == nil {
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil && pid > 0 {
				who = fmt.Sprintf(" (process %d)", pid)
			}
		}
		return nil, fmt.Errorf("%w%s", ErrBusy, who)
	}
	if err != nil {
		return nil, fmt.Errorf("batch lock %s: %w", path, err)
	}
	// The pid is only for the message above; the lock is the system's.
	// (Windows locks the file's first byte against other handles, so
	// there the pid is not written and the message names no process.)
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return &lock{l: l}, nil
}

func (l *lock) release() {
	if l != nil {
		l.l.Release()
	}
}
