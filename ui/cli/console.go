package cli

import "io"

// ConsoleOptions are the console's own flags.
type ConsoleOptions struct {
	Sandbox     bool   // run on a built-in sandbox server
	SandboxAddr string // its address (127.0.0.1:0 = a free port)
	Lang        string // en or fr; "" = from the environment
}

// Console opens the Bubble Tea console. (Wiring lands with ui/app.)
func Console(g *Globals, o ConsoleOptions, stderr io.Writer) int {
	io.WriteString(stderr, "coolpay: the console is not wired yet\n")
	return 1
}
