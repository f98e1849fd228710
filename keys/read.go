package keys

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

// maxSecretLine bounds what ReadSecret takes from a pipe, so `coolpay keys set
// < big-file` fails fast instead of reading the whole file.
const maxSecretLine = 4096

// ReadSecret reads one secret for `coolpay keys set`: from a terminal without
// echo (prompt written to out), or the first line of in when it is piped, with
// the line ending removed. It does not validate; Keys.Set does.
func ReadSecret(in *os.File, out io.Writer, prompt string) (string, error) {
	fd := int(in.Fd())
	if term.IsTerminal(fd) {
		return readTerminal(fd, out, prompt)
	}
	return readLine(in)
}

func readTerminal(fd int, out io.Writer, prompt string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("reading the private key: %w", err)
	}
	// term.ReadPassword turns echo off and only turns it back on when it
	// returns; Ctrl-C in between would leave the user's shell without echo.
	// So on a signal, restore the terminal, then let the signal do what it
	// would have done without us.
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			_ = term.Restore(fd, state)
			fmt.Fprintln(out)
			signal.Stop(sigs)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Signal(sig)
			}
		case <-done:
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(done)
	}()

	fmt.Fprint(out, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(out) // the user's Enter was not echoed
	if err != nil {
		return "", fmt.Errorf("reading the private key: %w", err)
	}
	return string(b), nil
}

// readLine reads byte by byte so nothing after the first line is consumed.
func readLine(r io.Reader) (string, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' {
				break
			}
			if len(line) >= maxSecretLine {
				return "", &keyError{kind: ErrInvalidKey, msg: ErrInvalidKey.Error() +
					": the input line is too long (at most 4096 bytes)"}
			}
			line = append(line, b[0])
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(line) == 0 {
				return "", &keyError{kind: ErrNoKey, msg: ErrNoKey.Error() + ": standard input was empty"}
			}
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading the private key: %w", err)
		}
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return string(line), nil
}
