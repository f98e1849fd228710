// Package filelock is coolpay's one way to hold a lock between processes on
// one machine: an exclusive advisory lock on a small file, taken without
// waiting, which the operating system drops when the holder ends however it
// ends (SIGKILL and power cuts included, since the lock is not on disk).
//
// Two things use it: the ledger's owner tokens (store: a NEW record whose
// owner's lock is gone was journaled by a process that died) and the batch
// send lock (ui/batch: one send per ledger at a time). It is built on
// github.com/gofrs/flock, which builds on every GOOS Go supports: flock(2)
// on Linux, macOS and the BSDs, fcntl on AIX and Solaris, LockFileEx on
// Windows. Where none exists (plan9, js, wasip1) every call fails with an
// error wrapping errors.ErrUnsupported, and callers fall back to what they
// did before locks existed.
package filelock

import (
	"errors"
	"io/fs"
	"os"
	"runtime"

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
