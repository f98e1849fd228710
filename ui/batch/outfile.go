package batch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrOutIsInput: the results file asked for (--out) is the batch file
// itself; writing it would replace the payroll with its results.
var ErrOutIsInput = errors.New("the results file would replace the batch file itself: choose another --out")

// CheckOut refuses a results path that is the batch file: compared as files
// (a symlink to it, "./paie.csv", a hard link), not as strings.
func CheckOut(input, out string) error {
	if SameFile(input, out) {
		return ErrOutIsInput
	}
	return nil
}

// SameFile reports whether a and b name one existing file.
func SameFile(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// numbered is path with "-n" before its extension: "paie.results.csv" →
// "paie.results-2.csv".
func numbered(path string, n int) string {
	if n < 2 {
		return path
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + strconv.Itoa(n) + ext
}

// maxResultsFiles bounds the numbered names tried beside one results file.
const maxResultsFiles = 999

// SaveResults writes the results file at path, or, when a file is there
// already (an earlier run's results, or anything else), at the first free
// numbered name beside it ("paie.results-2.csv", "-3", …): like receipts,
// results never overwrite. It returns the path written. The file appears
// whole (written aside, then linked in place), so a crash never leaves half
// a file that looks complete.
func SaveResults(path string, p *Plan) (string, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".coolpay-results-*")
	if err != nil {
		return "", fmt.Errorf("results file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := WriteResults(tmp, p); err != nil {
		tmp.Close()
		return "", fmt.Errorf("results file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("results file: %w", err)
	}
	for n := 1; n <= maxResultsFiles; n++ {
		name := numbered(path, n)
		// A hard link never replaces what is there: it fails instead,
		// even when another process creates the name meanwhile.
		err := os.Link(tmp.Name(), name)
		if err == nil {
			return name, nil
		}
		if errors.Is(err, os.ErrExist) {
			continue
		}
		// No hard links here (some file systems): look, then rename.
		if _, serr := os.Lstat(name); serr == nil {
			continue
		}
		if err := os.Rename(tmp.Name(), name); err != nil {
			return "", fmt.Errorf("results file: %w", err)
		}
		return name, nil
	}
	return "", fmt.Errorf("results file: %s and %d numbered copies exist already", path, maxResultsFiles-1)
}
