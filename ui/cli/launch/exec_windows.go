//go:build windows

package launch

import (
	"errors"
	"os"
	"os/exec"
)

// execve runs the companion as a child with this process's standard streams
// and exits with its status (Windows has no exec).
func execve(path string, argv []string) error {
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		os.Exit(ee.ExitCode())
	}
	if err != nil {
		return err
	}
	os.Exit(0)
	return nil
}
