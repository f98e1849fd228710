package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
)

// NewCmdKeys is `coolpay keys set|delete|status`: the private key in the
// OS keyring.
func NewCmdKeys(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage the private key in the OS keyring",
		Long: `Manage the merchant private key. It is kept in the OS keyring (or read from
COOLPAY_PRIVATE_KEY, or asked once per run), never in the ledger, and never
printed.`,
		Example: `  coolpay keys set --public-key 118a4852-7df8-46d9-834b-23b4ef25aaab
  coolpay keys status
  coolpay keys delete`,
	}
	cmd.AddCommand(
		newCmdKeysSet(f),
		newCmdKeysDelete(f),
		newCmdKeysStatus(f),
	)
	return cmd
}

// keysPublicKey is the public key the private key belongs to, from the
// flags, the environment or the ledger's settings (read-only; the ledger
// may be absent when the flag or environment names the key).
func keysPublicKey(f *Factory) (string, error) {
	db, done, err := f.optionalLedger()
	if err != nil {
		return "", err
	}
	defer done()
	pub, err := f.PublicKey(db)
	if err != nil {
		return "", err
	}
	if pub == "" {
		return "", errNoPublicKeyForKeys
	}
	return pub, nil
}

var errNoPublicKeyForKeys = errors.New("no public key: pass --public-key or set COOLPAY_PUBLIC_KEY (the private key is stored under it)")

func newCmdKeysSet(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "set",
		Short: "Save the private key in the OS keyring (asked on the terminal)",
		Example: `  coolpay keys set --public-key 118a4852-7df8-46d9-834b-23b4ef25aaab
  printf '%s\n' "$KEY" | coolpay keys set`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := f.OpenLedger(LedgerCreate)
			if err != nil {
				return err
			}
			defer db.Close()
			pub, err := f.PublicKey(db)
			if err != nil {
				return err
			}
			if pub == "" {
				return errNoPublicKeyForKeys
			}
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			t := f.T(db) // one read of the language setting for both messages
			secret, err := keys.ReadSecret(f.IO.In, f.IO.ErrOut, t.T("cli.keys.prompt_set", inert(pub))+" ")
			if err != nil {
				return err
			}
			src, err := f.keysNoPrompt(pub).Set(ctx, secret)
			if errors.Is(err, keys.ErrNoKeyring) {
				return noKeyringError(t, "cli.keys.set_no_keyring", err)
			}
			if err != nil {
				return fmt.Errorf("%w; set COOLPAY_PRIVATE_KEY in the environment instead", err)
			}
			if from := f.Config(db).Get(config.PublicKey).Source; from == config.FromFlag || from == config.FromEnv {
				if err := db.SetSetting(string(config.PublicKey), pub); err != nil {
					return err
				}
			}
			_, err = fmt.Fprintln(f.IO.Out, t.T("cli.keys.saved", src))
			return err
		},
	}
}

// keysRun is the RunE of a `coolpay keys` subcommand that works on the
// configured public key's private key (see keysPublicKey): do gets that
// key's store, the public key and a context Ctrl-C cancels.
func keysRun(f *Factory, do func(ctx context.Context, k *keys.Keys, pub string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		pub, err := keysPublicKey(f)
		if err != nil {
			return err
		}
		ctx, cancel := signalContext(cmd.Context())
		defer cancel()
		return do(ctx, f.keysNoPrompt(pub), pub)
	}
}

func newCmdKeysDelete(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "delete",
		Short:   "Delete the private key from the OS keyring",
		Example: `  coolpay keys delete`,
		RunE: keysRun(f, func(ctx context.Context, k *keys.Keys, _ string) error {
			if err := k.Delete(ctx); errors.Is(err, keys.ErrNoKeyring) {
				return noKeyringError(f.T(nil), "cli.keys.delete_no_keyring", err)
			} else if err != nil {
				return err
			}
			_, err := fmt.Fprintln(f.IO.Out, f.T(nil).T("cli.keys.deleted"))
			return err
		}),
	}
}

func newCmdKeysStatus(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "status",
		Short:   "Say where the private key comes from (never printing it)",
		Example: `  coolpay keys status`,
		RunE: keysRun(f, func(ctx context.Context, k *keys.Keys, pub string) error {
			st := k.Status(ctx)
			w, t := f.IO.Out, f.T(nil)
			fmt.Fprintln(w, t.T("cli.keys.public", inert(pub)))
			if st.Set {
				fmt.Fprintln(w, t.T("cli.keys.set_from", st.Source))
			} else {
				fmt.Fprintln(w, t.T("cli.keys.not_set"))
			}
			if st.KeyringAvailable {
				fmt.Fprintln(w, t.T("cli.keys.keyring_ok"))
			} else {
				fmt.Fprintln(w, t.T("cli.keys.keyring_no"))
				fmt.Fprintln(w, "  "+t.T("err.details", inert(st.KeyringError)))
			}
			return nil
		}),
	}
}

// noKeyringError says what a missing OS keyring means for this command, in
// the user's language (key), with the keyring's own words as a detail.
func noKeyringError(t *i18n.Translator, key string, err error) error {
	return exitError{code: ExitFailed, msg: t.T(key) + " " + t.T("err.details", inert(err.Error()))}
}
