//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// Windows refuses to delete a file another process has open, so the lock
// file can be created and locked under its final name: no sweeper can
// remove it in between.
func lockOwnerFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return f, nil
}

func lockFile(f *os.File) error {
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY,
		0, 1, 0, &windows.Overlapped{})
}

func ownerFileAlive(path string) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		// Open fails while the owner has the file open with a share mode
		// that excludes us: it is alive.
		return true, nil
	}
	switch err := lockFile(f); {
	case err == nil:
		f.Close()
		os.Remove(path)
		return false, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION):
		f.Close()
		return true, nil
	default:
		f.Close()
		return false, err
	}
}
