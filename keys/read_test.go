package keys

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// pipeWith returns the read end of a pipe holding input, like `echo … | coolpay keys set`.
func pipeWith(t *testing.T, input string) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	go func() {
		_, _ = io.WriteString(w, input)
		w.Close()
	}()
	return r
}

func TestReadSecretFromPipeTakesFirstLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{testKey + "\n", testKey},
		{testKey + "\r\nsecond line\n", testKey},
		{testKey, testKey},                               // no final newline
		{"  " + testKey + "  \n", "  " + testKey + "  "}, // Set trims, ReadSecret does not judge
	} {
		var out strings.Builder
		got, err := ReadSecret(pipeWith(t, tc.in), &out, "Private key: ")
		if err != nil || got != tc.want {
			t.Errorf("ReadSecret(%q) = %q, %v", tc.in, got, err)
		}
		if out.Len() != 0 {
			t.Errorf("ReadSecret printed %q for piped input; a pipe needs no prompt", out.String())
		}
	}
}

func TestReadSecretFromEmptyPipeIsErrNoKey(t *testing.T) {
	if _, err := ReadSecret(pipeWith(t, ""), io.Discard, ""); !errors.Is(err, ErrNoKey) {
		t.Fatalf("err = %v; want ErrNoKey", err)
	}
}

func TestReadSecretRefusesAHugeLine(t *testing.T) {
	_, err := ReadSecret(pipeWith(t, strings.Repeat("k", 10000)+"\n"), io.Discard, "")
	if !errors.Is(err, ErrInvalidKey) || strings.Contains(err.Error(), "kkkk") {
		t.Fatalf("err = %v; want ErrInvalidKey without the input", err)
	}
}
