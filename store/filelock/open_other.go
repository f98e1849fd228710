//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package filelock

import (
	"os"
	"time"
)

// OpenLocked opens name unlocked where flock(2) is not the system's lock
// (Windows, Solaris, AIX, ...): the caller's own locking does the waiting.
func OpenLocked(name string, flag int, perm os.FileMode, exclusive bool, timeout time.Duration) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
