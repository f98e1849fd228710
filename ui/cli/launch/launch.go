// Package launch hands a command over from the light `coolpay` binary to its
// companion, coolpay-console, which holds the console and every command that
// talks to the network. The split keeps `coolpay history` a small process
// (see ui/cli/offline); a user only ever types `coolpay`.
package launch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Companion is the companion binary's name; it is installed next to coolpay.
const Companion = "coolpay-console"

// Path finds the companion: next to the running coolpay (symlinks
// resolved), else on PATH.
func Path() (string, error) {
	name := Companion
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		p := filepath.Join(filepath.Dir(exe), name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s is missing: it must sit next to coolpay (make build puts both in place)", name)
}

// Exec runs the companion with args in place of this process; it returns
// only on failure.
func Exec(args []string) error {
	p, err := Path()
	if err != nil {
		return err
	}
	return execve(p, append([]string{"coolpay"}, args...))
}
