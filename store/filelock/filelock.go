// Package filelock is coolpay's one way to hold a lock between processes on
// one machine: an exclusive advisory lock on a small file, taken without
// waiting, which the operating system drops when the holder ends however it
// ends (SIGKILL and power cuts included, since the lock is not on disk).
//
// Three things use it: the ledger's owner tokens (store: a NEW record whose
// owner's lock is gone was journaled by a process that died), the batch
// send lock (ui/batch: one send per ledger at a time), and the ledger's own
// lock (Queue and OpenLocked: waited for in 1 ms steps, writers first). It is built on
// github.com/gofrs/flock, which builds on every GOOS Go supports: flock(2)
// on Linux, macOS and the BSDs, fcntl on AIX and Solaris, LockFileEx on
// Windows. Where none exists (plan9, js, wasip1) every call fails with an
// error wrapping errors.ErrUnsupported, and callers fall back to what they
// did before locks existed.
package filelock

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"time"

	"github.com/gofrs/flock"
)

// ErrBusy: another process (or another Lock in this one) holds the lock.
var ErrBusy = errors.New("locked by another process")

// Lock is a held lock. Release it, or let the process end.
type Lock struct{ fl *flock.Flock }

// TryLock locks path, creating it if needed, without waiting. It returns
// ErrBusy when someone else holds it.
func TryLock(path string) (*Lock, error) {
	return try(path, os.O_CREATE|os.O_RDWR)
}

func try(path string, flag int) (*Lock, error) {
	fl := flock.New(path, flock.SetFlag(flag), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBusy
	}
	return &Lock{fl: fl}, nil
}

// Create makes a new file at path that is already locked when it appears
// there: a Held(path) from another process never finds it unlocked (and so
// never takes its creator for dead). path should be a name nobody else
// uses (the owner tokens are random).
//
// On Unix the file is locked under a temporary name and then renamed; a
// lock belongs to the file, not its name. Windows cannot rename a file that
// is open, but neither can anyone delete it, so there it is created and
// locked under its final name.
func Create(path string) (*Lock, error) {
	if runtime.GOOS == "windows" {
		l, err := try(path, os.O_CREATE|os.O_EXCL|os.O_RDWR)
		if err != nil {
			os.Remove(path)
		}
		return l, err
	}
	tmp := path + ".new"
	l, err := try(tmp, os.O_CREATE|os.O_EXCL|os.O_RDWR)
	if err != nil {
		if !errors.Is(err, fs.ErrExist) {
			os.Remove(tmp)
		}
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		l.Release()
		os.Remove(tmp)
		return nil, err
	}
	return l, nil
}

// Held reports whether some process holds the lock on path. A file that
// nobody holds is stale (its holder died): it is removed. A missing file is
// not held.
func Held(path string) (bool, error) {
	l, err := try(path, os.O_RDWR)
	switch {
	case err == nil:
		// Locked by us now: nobody can be using it. (Released first:
		// Windows deletes no open file.)
		l.Release()
		os.Remove(path)
		return false, nil
	case errors.Is(err, ErrBusy):
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case runtime.GOOS == "windows" && !errors.Is(err, errors.ErrUnsupported):
		// Opening fails while the holder has the file open with a share
		// mode that excludes us: it is alive.
		return true, nil
	default:
		return false, err
	}
}

// Release drops the lock. Releasing a nil Lock does nothing.
func (l *Lock) Release() error {
	if l == nil || l.fl == nil {
		return nil
	}
	return l.fl.Close()
}

// Queue takes the lock at path, creating the file if needed, waiting up to
// timeout for it: exclusive for a process about to write, shared for one
// about to read. It is a turnstile in front of a lock that is polled
// rather than waited on (bbolt's, retried every 50 ms): a writer holds the
// turnstile while it waits for that lock, readers pass through it (take
// and release it at once), so readers that keep arriving cannot keep a
// waiting writer out for ever. It returns ErrBusy when the wait ran out.
// Where the file cannot be created or opened (a read-only directory) the
// error is the open's: callers go on without the turnstile.
func Queue(path string, exclusive bool, timeout time.Duration) (*Lock, error) {
	fl := flock.New(path, flock.SetFlag(os.O_CREATE|os.O_RDWR), flock.SetPermissions(0o600))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	try := fl.TryRLockContext
	if exclusive {
		try = fl.TryLockContext
	}
	ok, err := try(ctx, time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		// Readers of a ledger in a directory they cannot write to: the
		// file may still be there to open read-only.
		fl = flock.New(path, flock.SetFlag(os.O_RDONLY))
		try = fl.TryRLockContext
		if exclusive {
			try = fl.TryLockContext
		}
		ok, err = try(ctx, time.Millisecond)
	}
	switch {
	case ok:
		return &Lock{fl: fl}, nil
	case err == nil || errors.Is(err, context.DeadlineExceeded):
		fl.Close()
		return nil, ErrBusy
	default:
		fl.Close()
		return nil, err
	}
}
