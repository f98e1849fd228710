package common

import "github.com/charmbracelet/lipgloss"

// Theme colours, ANSI indexes so the user's palette applies; adaptive for
// light and dark backgrounds. Every state also carries a word or symbol.
var (
	colorAccent  = lipgloss.AdaptiveColor{Light: "4", Dark: "12"}
	colorMuted   = lipgloss.AdaptiveColor{Light: "8", Dark: "7"}
	colorSuccess = lipgloss.AdaptiveColor{Light: "2", Dark: "10"}
	colorError   = lipgloss.AdaptiveColor{Light: "1", Dark: "9"}
	colorWarn    = lipgloss.AdaptiveColor{Light: "3", Dark: "11"}
)

// Styles is the one place screens get colours from.
type Styles struct {
	App, Header, Title, Badge, SandboxBadge, LiveBadge lipgloss.Style
	Tab, ActiveTab, TabBar                             lipgloss.Style
	Label, Input, FocusedLabel, Hint, Error, Muted     lipgloss.Style
	Success, Failure, Warning, Pending                 lipgloss.Style
	BigSuccess, BigFailure, BigPending, BigUnknown     lipgloss.Style
	StatusInfo, StatusOK, StatusWarn, StatusError      lipgloss.Style
	Box, Selected, Code                                lipgloss.Style

	// Dark is the background the theme was built for (QR codes are drawn
	// light-on-dark or dark-on-light accordingly).
	Dark bool
}

// NewStyles builds the theme. dark overrides background detection when not nil.
func NewStyles(r *lipgloss.Renderer, dark *bool) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	if dark != nil {
		r.SetHasDarkBackground(*dark)
	}
	s := &Styles{Dark: r.HasDarkBackground()}
	n := r.NewStyle
	s.App = n()
	s.Header = n().Bold(true)
	s.Title = n().Bold(true).Foreground(colorAccent)
	s.Badge = n().Bold(true).Padding(0, 1).Reverse(true)
	s.SandboxBadge = n().Bold(true).Padding(0, 1).Reverse(true).Foreground(colorWarn)
	s.LiveBadge = n().Bold(true).Padding(0, 1).Reverse(true).Foreground(colorSuccess)
	s.Tab = n().Padding(0, 1).Foreground(colorMuted)
	s.ActiveTab = n().Padding(0, 1).Bold(true).Underline(true).Foreground(colorAccent)
	s.TabBar = n()
	s.Label = n().Foreground(colorMuted)
	s.FocusedLabel = n().Bold(true).Foreground(colorAccent)
	s.Input = n()
	s.Hint = n().Faint(true)
	s.Error = n().Foreground(colorError)
	s.Muted = n().Foreground(colorMuted)
	s.Success = n().Foreground(colorSuccess)
	s.Failure = n().Foreground(colorError)
	s.Warning = n().Foreground(colorWarn)
	s.Pending = n().Foreground(colorAccent)
	big := n().Bold(true).Padding(1, 4).Border(lipgloss.ThickBorder())
	s.BigSuccess = big.BorderForeground(colorSuccess).Foreground(colorSuccess)
	s.BigFailure = big.BorderForeground(colorError).Foreground(colorError)
	s.BigPending = big.BorderForeground(colorAccent).Foreground(colorAccent)
	s.BigUnknown = big.BorderForeground(colorWarn).Foreground(colorWarn)
	s.StatusInfo = n().Foreground(colorMuted)
	s.StatusOK = n().Foreground(colorSuccess)
	s.StatusWarn = n().Foreground(colorWarn)
	s.StatusError = n().Foreground(colorError)
	s.Box = n().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.Selected = n().Reverse(true)
	s.Code = n().Bold(true).Foreground(colorAccent)
	return s
}
