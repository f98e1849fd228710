//go:build !windows

package launch

import (
	"os"
	"syscall"
)

// execve replaces this process: same PID, terminal and signals, so the
// console behaves exactly as if coolpay were one binary.
func execve(path string, argv []string) error {
	return syscall.Exec(path, argv, os.Environ())
}
