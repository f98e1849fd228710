// Package cli holds the scriptable commands of coolpay. They share ui/core
// with the console; errors go to stderr with a non-zero exit.
package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/cli/offline"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/core"
)

// Globals are the flags every command accepts (see ui/cli/offline).
type Globals = offline.Globals

// NewGlobals reads defaults from the environment.
func NewGlobals(getenv func(string) string) *Globals { return offline.NewGlobals(getenv) }

// OpenDB opens the ledger for writing.
func OpenDB(g *Globals) (*store.DB, error) {
	p, err := g.DBPath()
	if err != nil {
		return nil, err
	}
	return store.Open(p, store.Options{})
}

// Resolve picks the public key and base URL: flag, then environment, then
// the ledger's settings, then (base URL only) the vendor's default.
func Resolve(g *Globals, db *store.DB) (publicKey, baseURL string) {
	publicKey, baseURL = g.PublicKey, g.BaseURL
	if publicKey == "" {
		publicKey = g.Getenv("COOLPAY_PUBLIC_KEY")
	}
	if baseURL == "" {
		baseURL = g.Getenv("COOLPAY_BASE_URL")
	}
	if db != nil {
		if publicKey == "" {
			publicKey, _, _ = db.Setting(common.SettingPublicKey)
		}
		if baseURL == "" {
			baseURL, _, _ = db.Setting(common.SettingBaseURL)
		}
	}
	if baseURL == "" {
		baseURL = client.DefaultBaseURL
	}
	return publicKey, baseURL
}

// NewClient builds the API client for a public key; the private key is
// fetched from k only when a call needs it.
func NewClient(publicKey, baseURL string, k *keys.Keys) *client.Client {
	opts := []client.Option{
		client.WithBaseURL(baseURL),
		client.WithHTTPClient(&http.Client{Timeout: 30 * time.Second}),
		client.WithUserAgent("coolpay/1"),
	}
	if k != nil {
		opts = append(opts, client.WithPrivateKey(k.PrivateKey))
	}
	if insecureHTTPAllowed() {
		opts = append(opts, client.WithInsecureHTTP())
	}
	return client.New(publicKey, opts...)
}

// online opens the ledger and builds a service with an API client; it fails
// with a clear message when no public key is configured.
func online(g *Globals, stdin *os.File, stderr io.Writer) (*store.DB, *core.Service, *keys.Keys, error) {
	db, err := OpenDB(g)
	if err != nil {
		return nil, nil, nil, err
	}
	pub, base := Resolve(g, db)
	if pub == "" {
		db.Close()
		return nil, nil, nil, fmt.Errorf("no public key: pass --public-key, set COOLPAY_PUBLIC_KEY, or run coolpay once to set it up")
	}
	k := keys.New(pub, keys.WithPrompt(terminalPrompt(stdin, stderr)))
	svc := core.New(core.Config{Client: NewClient(pub, base, k), Store: db})
	return db, svc, k, nil
}

// terminalPrompt asks for the private key on the terminal when neither the
// keyring nor COOLPAY_PRIVATE_KEY has it; piped stdin is read as one line.
func terminalPrompt(stdin *os.File, stderr io.Writer) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		return keys.ReadSecret(stdin, stderr, "Private key (not stored; kept in memory for this run): ")
	}
}

func fail(stderr io.Writer, err error) int { return offline.Fail(stderr, err) }
