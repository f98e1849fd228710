package components

import "strings"

// bigGlyphs is a three-line font for what USSD codes and amounts are made
// of, so the code the customer must dial can be read from across a counter.
var bigGlyphs = map[rune][3]string{
	'0': {"█▀█", "█ █", "▀▀▀"},
	'1': {"▄█ ", " █ ", "▀▀▀"},
	'2': {"▀▀█", "█▀▀", "▀▀▀"},
	'3': {"▀▀█", " ▀█", "▀▀▀"},
	'4': {"█ █", "▀▀█", "  ▀"},
	'5': {"█▀▀", "▀▀█", "▀▀▀"},
	'6': {"█▀▀", "█▀█", "▀▀▀"},
	'7': {"▀▀█", "  █", "  ▀"},
	'8': {"█▀█", "█▀█", "▀▀▀"},
	'9': {"█▀█", "▀▀█", "▀▀▀"},
	'*': {"▄ ▄", "▄▀▄", "   "},
	'#': {" ▄ ▄ ", "▀█▀█▀", "▀█▀█▀"},
	' ': {"  ", "  ", "  "},
}

// BigText renders s in the three-line font when every character has a glyph
// and it fits in width; otherwise it returns s unchanged (callers always show
// the plain text too, for screen readers and copy-paste).
func BigText(s string, width int) string {
	var lines [3]strings.Builder
	for _, r := range s {
		g, ok := bigGlyphs[r]
		if !ok {
			return s
		}
		for i := range lines {
			lines[i].WriteString(g[i] + " ")
		}
	}
	out := strings.TrimRight(lines[0].String(), " ") + "\n" +
		strings.TrimRight(lines[1].String(), " ") + "\n" +
		strings.TrimRight(lines[2].String(), " ")
	if width > 0 && len([]rune(lines[0].String())) > width {
		return s
	}
	return out
}
