//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package filelock

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// OpenLocked opens name (as os.OpenFile would) and takes flock(2) on it,
// exclusive or shared, trying again every millisecond for up to timeout;
// it returns ErrBusy when the time ran out. The file is returned locked:
// closing it drops the lock.
//
// It is for a library that locks the file it opens itself but waits for
// the lock in coarse steps (bbolt retries every 50 ms): handed this file,
// its own flock on the same open file is granted at once.
func OpenLocked(name string, flag int, perm os.FileMode, exclusive bool, timeout time.Duration) (*os.File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH | syscall.LOCK_NB
	if exclusive {
		how = syscall.LOCK_EX | syscall.LOCK_NB
	}
	end := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return f, nil
		case !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR):
			f.Close()
			return nil, err
		case time.Now().After(end):
			f.Close()
			return nil, ErrBusy
		}
		time.Sleep(time.Millisecond)
	}
}
