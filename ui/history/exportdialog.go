package history

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/export"
)

// The CSV export asks where to write before writing: the console's working
// directory is wherever it was started from (often a system folder, or the
// checkout), not where a cashier looks for a file.

// exportPathMsg carries the suggested file path for the dialog.
type exportPathMsg struct{ path string }

// askExport looks up the suggested folder (a file read, so in a command)
// and then opens the dialog.
func (m *Model) askExport() tea.Cmd {
	t := m.c.T
	if m.exporting {
		return status(common.StatusWarn, t.T("history.export.running"))
	}
	if m.c.Store == nil {
		return status(common.StatusError, t.T("history.error.noledger"))
	}
	dir, name := m.opts.ExportDir, "coolpay-history-"+m.opts.Now().Format("20060102-150405")+".csv"
	return func() tea.Msg {
		if dir == "" {
			dir = DefaultExportDir(os.Getenv, os.UserHomeDir)
		}
		return exportPathMsg{path: filepath.Join(dir, name)}
	}
}

// onExportPath opens the dialog with the suggested path, cursor at its end.
func (m *Model) onExportPath(msg exportPathMsg) tea.Cmd {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 4096
	in.Cursor.SetMode(cursor.CursorStatic)
	// Width first: the view scrolls to the cursor (the file name's end)
	// only when it knows how wide it is.
	in.Width = max(10, m.width-lipgloss.Width(m.exportLabel())-2)
	in.SetValue(msg.path)
	in.CursorEnd()
	m.exportIn, m.exportErr = in, ""
	m.mode = modeExport
	return m.exportIn.Focus()
}

// keyExport edits the path; enter writes, esc gives up.
func (m *Model) keyExport(msg tea.KeyMsg) tea.Cmd {
	km := m.c.Keys
	switch {
	case key.Matches(msg, km.Submit):
		path := export.ExpandHome(strings.TrimSpace(m.exportIn.Value()), os.UserHomeDir)
		if path == "" {
			m.exportErr = m.c.T.T("history.export.nopath")
			return nil
		}
		if !strings.EqualFold(filepath.Ext(path), ".csv") {
			path += ".csv"
		}
		m.mode = modeList
		m.exportIn.Blur()
		return m.export(path)
	case key.Matches(msg, km.Back):
		m.mode = modeList
		m.exportIn.Blur()
		return nil
	}
	m.exportErr = ""
	var cmd tea.Cmd
	m.exportIn, cmd = m.exportIn.Update(msg)
	return cmd
}

func (m *Model) exportLabel() string { return m.c.T.T("history.export.to") + " " }

// exportLine is the dialog, in place of the search line.
func (m *Model) exportLine() string {
	st := m.c.Styles
	if m.exportErr != "" {
		return st.Error.Render(ansi.Truncate("✘ "+m.exportErr, m.width, "…"))
	}
	return ansi.Truncate(st.FocusedLabel.Render(m.exportLabel())+m.exportIn.View(), m.width, "…")
}

// DefaultExportDir is where an export goes unless the cashier types another
// folder: export.DownloadDir (Downloads, else home; never the current
// directory, unless there is no home at all).
func DefaultExportDir(getenv func(string) string, home func() (string, error)) string {
	return export.DownloadDir(getenv, home)
}
