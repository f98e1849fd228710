package receipttext

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
)

// ErrNoPrinter: neither lp (CUPS, System V) nor lpr (BSD) is installed.
var ErrNoPrinter = errors.New("no print command on this system (neither lp nor lpr)")

// PrintCommand is the command that prints a file on this system: lp, else
// lpr; "" when there is neither.
func PrintCommand() string {
	for _, c := range []string{"lp", "lpr"} {
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	return ""
}

// Print sends text to the default printer with lp or lpr, on its standard
// input (no temporary file), and waits at most 20 seconds for the spooler
// to take it.
func Print(ctx context.Context, text string) error {
	cmd := PrintCommand()
	if cmd == "" {
		return ErrNoPrinter
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	c := exec.CommandContext(ctx, cmd)
	c.Stdin = strings.NewReader(text)
	out, err := c.CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			return fmt.Errorf("%s: %w", filepath.Base(cmd), err)
		}
		return fmt.Errorf("%s: %s", filepath.Base(cmd), msg)
	}
	return nil
}

// DefaultDir is where receipts are saved when nobody says otherwise, as for
// CSV exports: export.DownloadDir (Downloads, else home). getenv nil is
// os.Getenv.
func DefaultDir(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	return export.DownloadDir(getenv, os.UserHomeDir)
}

// FileName is the receipt's file name: the app reference (coolpay's own,
// so only safe characters), else the ledger id.
func FileName(r store.Record) string {
	name := "coolpay-receipt-" + strconv.FormatUint(r.ID, 10)
	if ref := r.AppRef; ref != "" {
		var b strings.Builder
		for _, c := range ref {
			if c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				b.WriteRune(c)
			}
		}
		if b.Len() > 0 && b.Len() <= 64 {
			name = "coolpay-receipt-" + b.String()
		}
	}
	return name + ".txt"
}

// Save writes text to a new file in dir named after the record, never over
// an existing file (a second copy gets "-2", "-3"…), and returns its path.
func Save(dir string, r store.Record, text string) (string, error) {
	base := FileName(r)
	stem := strings.TrimSuffix(base, ".txt")
	for n := 1; n < 100; n++ {
		name := base
		if n > 1 {
			name = stem + "-" + strconv.Itoa(n) + ".txt"
		}
		path := filepath.Join(dir, name)
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // a customer's phone and name: theirs to share, not the machine's other users'
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return path, err
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			return path, err
		}
		return path, nil
	}
	return "", fmt.Errorf("too many receipts named %s in %s", base, dir)
}
