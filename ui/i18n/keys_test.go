package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestEveryKeyInTheSourceIsInTheCatalogue reads every Go file of the
// repository (tests aside) for string literals shaped like catalogue keys —
// "area.word…" for an area the catalogue has — and checks each is in the
// catalogue: a missing key would show as its own name ("payin.something")
// on a cashier's screen. It walks the whole tree, so a new package or file
// is covered without being listed here.
func TestEveryKeyInTheSourceIsInTheCatalogue(t *testing.T) {
	areas := map[string]bool{}
	for k := range catalog() {
		areas[k[:strings.IndexByte(k+".", '.')]] = true
	}
	var names []string
	for a := range areas {
		names = append(names, regexp.QuoteMeta(a))
	}
	sort.Strings(names)
	re := regexp.MustCompile(`"((?:` + strings.Join(names, "|") + `)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`)
	root := filepath.Join("..", "..")
	files, found := 0, 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found++
			if _, ok := catalog()[m[1]]; !ok {
				t.Errorf("%s uses %q, which is not in the catalogue", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 || found < 500 {
		t.Fatalf("read %d files and %d keys: the scan is broken", files, found)
	}
}
