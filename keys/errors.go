package keys

import (
	"errors"
	"strings"
	"unicode/utf8"
)

var (
	// ErrNoKeyring means the OS keyring could not be used (none running, locked, or too slow).
	ErrNoKeyring = errors.New("no OS keyring available")
	// ErrNoKey means no private key could be found for the public key.
	ErrNoKey = errors.New("no private key")
	// ErrInvalidKey means a private key was rejected before being stored or used.
	ErrInvalidKey = errors.New("invalid private key")
	// ErrPromptCanceled is what a prompt returns (wrapped) when the user
	// closed it without a key: unlike other prompt errors it does not use
	// up the run's one question, so the next call that needs the key asks
	// again.
	ErrPromptCanceled = errors.New("the private key prompt was closed without a key")
)

// Key length bounds. The API does not document the key's format; these only
// catch a wrong paste (an empty line, a whole file) without judging real keys.
const (
	minKeyLen = 8
	maxKeyLen = 512
)

// keyError is the only error type this package returns for key trouble. It
// holds a finished message, never the key, so that no caller can reach the
// key through Error(), %+v or an unwrapped cause.
type keyError struct {
	kind  error // ErrNoKeyring, ErrNoKey or ErrInvalidKey
	msg   string
	cause error // a context or prompt error the caller may test with errors.Is
}

func (e *keyError) Error() string { return e.msg }

func (e *keyError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.kind, e.cause}
	}
	return []error{e.kind}
}

func invalid(why string) error {
	return &keyError{kind: ErrInvalidKey, msg: ErrInvalidKey.Error() + ": " + why}
}

// validate trims key and checks that it can be a private key. Messages say
// what is wrong, never what was typed.
func validate(key, publicKey string) (string, error) {
	key = strings.TrimSpace(key)
	switch {
	case key == "":
		return "", invalid("it is empty")
	case strings.ContainsAny(key, "\r\n"):
		return "", invalid("it spans several lines; give it on one line")
	case !utf8.ValidString(key):
		return "", invalid("it is not valid text")
	}
	for _, r := range key {
		switch {
		case r < 0x20 || r == 0x7f:
			return "", invalid("it contains a control character")
		case r == ' ' || r == '\t':
			return "", invalid("it contains a space")
		case r > 0x7e:
			// The key travels in an HTTP header; a non-ASCII character is
			// almost always a paste artefact (a smart quote, a no-break space).
			return "", invalid("it contains a non-ASCII character")
		}
	}
	switch {
	case len(key) < minKeyLen:
		return "", invalid("it is too short (a private key has at least 8 characters)")
	case len(key) > maxKeyLen:
		return "", invalid("it is too long (at most 512 characters)")
	case publicKey != "" && key == publicKey:
		return "", invalid("it is the public key; the private key is the other one")
	}
	return key, nil
}

// redact removes every occurrence of secret from msg: errors from the keyring
// backend are foreign text, and we will not bet that none of them quotes its input.
func redact(msg, secret string) string {
	if secret == "" {
		return msg
	}
	if t := strings.TrimSpace(secret); t != "" {
		msg = strings.ReplaceAll(msg, t, "[redacted]")
	}
	return strings.ReplaceAll(msg, secret, "[redacted]")
}
