package export

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// DownloadDir is where a file made for the user (a CSV export, a receipt)
// goes unless they name another folder: the XDG download folder
// (XDG_DOWNLOAD_DIR, else the one named in xdg-user-dirs' file, else
// ~/Downloads when it exists), else the home folder; never the current
// directory, unless there is no home at all. home is called once.
func DownloadDir(getenv func(string) string, home func() (string, error)) string {
	h, err := home()
	if err != nil || h == "" {
		return "."
	}
	fixed := func() (string, error) { return h, nil }
	if d := ExpandHome(getenv("XDG_DOWNLOAD_DIR"), fixed); d != "" && isDir(d) {
		return d
	}
	cfg := getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(h, ".config")
	}
	if d := userDirsDownload(filepath.Join(cfg, "user-dirs.dirs"), fixed); d != "" && isDir(d) {
		return d
	}
	if d := filepath.Join(h, "Downloads"); isDir(d) {
		return d
	}
	return h
}

// userDirsDownload reads XDG_DOWNLOAD_DIR="$HOME/…" (or an absolute path)
// from xdg-user-dirs' file; "" when it names none.
func userDirsDownload(path string, home func() (string, error)) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "XDG_DOWNLOAD_DIR=")
		if !ok {
			continue
		}
		if v = ExpandHome(strings.Trim(v, `"`), home); filepath.IsAbs(v) {
			return v
		}
	}
	return ""
}

// ExpandHome turns a leading "~" or "$HOME" into the home folder, as a
// shell would; p stays as it is when there is no home.
func ExpandHome(p string, home func() (string, error)) string {
	var rest string
	switch {
	case p == "~" || strings.HasPrefix(p, "~/"):
		rest = p[1:]
	case p == "$HOME" || strings.HasPrefix(p, "$HOME/"):
		rest = p[len("$HOME"):]
	default:
		return p
	}
	h, err := home()
	if err != nil || h == "" {
		return p
	}
	return filepath.Join(h, rest)
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
