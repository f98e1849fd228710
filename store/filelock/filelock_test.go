package filelock_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coolpay/coolpay/store/filelock"
)

func TestTryLockExcludesUntilReleased(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.lock")
	a, err := filelock.TryLock(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := filelock.TryLock(p); !errors.Is(err, filelock.ErrBusy) {
		t.Fatalf("second TryLock while held: %v, want ErrBusy", err)
	}
	if held, err := filelock.Held(p); err != nil || !held {
		t.Fatalf("Held while locked = %v, %v", held, err)
	}
	if err := a.Release(); err != nil {
		t.Fatal(err)
	}
	b, err := filelock.TryLock(p)
	if err != nil {
		t.Fatalf("TryLock after release: %v", err)
	}
	b.Release()
}

func TestCreateIsLockedUnderItsFinalName(t *testing.T) {
	p := filepath.Join(t.TempDir(), "owner")
	l, err := filelock.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p + ".new"); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary name left behind: %v", err)
	}
	if held, err := filelock.Held(p); err != nil || !held {
		t.Fatalf("Held(created) = %v, %v; want true", held, err)
	}
	l.Release()
	if held, err := filelock.Held(p); err != nil || held {
		t.Fatalf("Held after release = %v, %v; want false", held, err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a stale lock file is removed by Held: %v", err)
	}
	if held, err := filelock.Held(p); err != nil || held {
		t.Fatalf("Held(missing) = %v, %v", held, err)
	}
}

// The lock is the operating system's: it goes with its process, however that
// process ends. A child takes the lock and is killed with SIGKILL.
func TestLockGoesWithAKilledProcess(t *testing.T) {
	if os.Getenv("FILELOCK_CHILD") != "" {
		if _, err := filelock.Create(os.Getenv("FILELOCK_CHILD")); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	p := filepath.Join(t.TempDir(), "owner")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockGoesWithAKilledProcess$")
	cmd.Env = append(os.Environ(), "FILELOCK_CHILD="+p)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.Contains(string(buf[:n]), "locked") {
		cmd.Process.Kill()
		t.Fatalf("child did not lock: %q", buf[:n])
	}
	if held, err := filelock.Held(p); err != nil || !held {
		t.Fatalf("Held while the child lives = %v, %v", held, err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if held, err := filelock.Held(p); err != nil || held {
		t.Fatalf("Held after SIGKILL = %v, %v; want false", held, err)
	}
}
