package text

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const mod = "github.com/coolpay/coolpay/"

// charmFree lists every package of the module with whether it pulls in
// Bubble Tea, Bubbles or Lip Gloss (any github.com/charmbracelet package),
// directly or through its dependencies, as the go command resolves them.
func charmFree(t *testing.T) map[string]bool {
	t.Helper()
	// go test puts its own go first on the PATH of the test.
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Deps ","}}`, mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	free := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, "|")
		free[pkg] = !strings.Contains(deps, "github.com/charmbracelet/")
	}
	return free
}

// TestCommandsAndTheEngineImportNoScreenPlumbing: the text package, the
// engine and the packages commands are made of build without Bubble Tea,
// Bubbles or Lip Gloss, and in ui/cli only the console command (console.go,
// which starts the console through ui/app, and console_listen.go) reach
// them (`coolpay receipt` takes the receipt's text from
// ui/receipt/receipttext, not from the receipt screen). A new import of ui/common in a command fails
// here: words and amounts come from ui/text.
func TestCommandsAndTheEngineImportNoScreenPlumbing(t *testing.T) {
	free := charmFree(t)
	for _, p := range []string{"ui/text", "ui/batch", "ui/report", "ui/export", "ui/core", "ui/listener", "ui/receipt/receipttext", "client/money"} {
		if ok, known := free[mod+p]; !known || !ok {
			t.Errorf("%s imports github.com/charmbracelet (known: %v)", p, known)
		}
	}
	if free[mod+"ui/app"] || free[mod+"ui/common"] {
		t.Fatal("the check is blind: ui/app and ui/common do use Bubble Tea")
	}

	allowed := map[string]map[string]bool{
		"console.go":        {"github.com/charmbracelet/bubbletea": true, mod + "ui/app": true, mod + "ui/common": true},
		"console_listen.go": {mod + "ui/app": true}, // the console's own callback receiver
	}
	files, _ := filepath.Glob(filepath.Join("..", "cli", "*.go"))
	if len(files) < 10 {
		t.Fatalf("ui/cli files not found: %v", files)
	}
	var bad []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			charm := strings.HasPrefix(p, "github.com/charmbracelet/") || (strings.HasPrefix(p, mod) && !free[p])
			if charm && !allowed[filepath.Base(f)][p] {
				bad = append(bad, filepath.Base(f)+": "+p)
			}
		}
	}
	sort.Strings(bad)
	if len(bad) > 0 {
		t.Errorf("commands pulling in screen plumbing (use ui/text):\n%s", strings.Join(bad, "\n"))
	}
}
