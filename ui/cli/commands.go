package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/cli/offline"
	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/safe"
)

// signalContext ends on Ctrl-C / SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, sigterm)
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Status is `coolpay status REF`: ask the API, update the ledger, print.
// REF is a transaction_ref, or the app_transaction_ref of a ledger record.
func Status(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	asJSON := fs.Bool("json", false, "print the record as JSON")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		return fail(stderr, errors.New("usage: coolpay status REF [--json]"))
	}
	ref := fs.Arg(0)
	db, svc, _, err := online(g, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	ctx, cancel := signalContext()
	defer cancel()
	rec, err := svc.Track(ctx, ref)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		if err := printJSON(stdout, rec); err != nil {
			return fail(stderr, err)
		}
		return 0
	}
	printRecord(stdout, rec)
	return 0
}

func printRecord(w io.Writer, r store.Record) {
	// Every value may come from outside (the API, a callback): shown inert.
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-26s %s\n", k, safe.Line(v))
		}
	}
	row("state", offline.StateWord(r.State))
	row("type", string(r.Type))
	row("amount", strings.TrimSpace(r.Amount+" "+r.Currency))
	row("fees", r.Fees)
	row("operator", r.Operator)
	row("transaction_ref", r.TransactionRef)
	row("app_transaction_ref", r.AppRef)
	row("operator_transaction_ref", r.OperatorRef)
	row("customer", strings.TrimSpace(r.CustomerName+" "+r.CustomerPhone+" "+r.CustomerEmail+" "+r.CustomerUsername))
	row("reason", r.Reason)
	row("message", r.Message)
	if client.CheckPaymentURL(r.PaymentURL) == nil {
		row("payment_url", r.PaymentURL)
	} else {
		row("payment_url", "(refused: not an https link)")
	}
	row("ussd", r.USSD)
	row("created", r.Created.Local().Format(time.DateTime))
	row("updated", r.Updated.Local().Format(time.DateTime))
	for _, e := range r.Events {
		if e.Kind == store.EvWarning {
			row("warning", e.Detail)
		}
	}
	for _, e := range r.Events {
		fmt.Fprintf(w, "  %s  %-13s %s\n", e.At.Local().Format(time.DateTime), safe.Line(e.Kind), safe.Line(e.Detail))
	}
}

// Balance is `coolpay balance`.
func Balance(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("balance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	asJSON := fs.Bool("json", false, `print {"balance": N, "currency": "XAF"}`)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	db, svc, _, err := online(g, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	ctx, cancel := signalContext()
	defer cancel()
	bal, err := svc.Balance(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	if *asJSON {
		if err := printJSON(stdout, map[string]any{"balance": json.Number(bal), "currency": "XAF"}); err != nil {
			return fail(stderr, err)
		}
		return 0
	}
	fmt.Fprintf(stdout, "%s XAF\n", bal)
	return 0
}

// Reconcile is `coolpay reconcile`: poll every non-final transaction and
// print what changed. Ctrl-C stops it cleanly.
func Reconcile(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	workers := fs.Int("workers", 4, "status checks at once")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *workers < 1 || *workers > 32 {
		return fail(stderr, errors.New("--workers must be between 1 and 32"))
	}
	db, svc, _, err := online(g, stdin, stderr)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	ctx, cancel := signalContext()
	defer cancel()
	var checked, changed, failed int
	err = svc.Reconcile(ctx, *workers, func(before, after store.Record, err error) {
		checked++
		ref := before.TransactionRef
		if ref == "" {
			ref = before.AppRef
		}
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(stdout, "%-40s %-12s could not check: %s\n", safe.Line(ref), before.State, safe.Line(err.Error()))
		case after.State != before.State:
			changed++
			fmt.Fprintf(stdout, "%-40s %-12s -> %s\n", safe.Line(ref), before.State, after.State)
		}
	})
	fmt.Fprintf(stdout, "%d checked, %d changed, %d could not be checked\n", checked, changed, failed)
	if err != nil {
		return fail(stderr, err)
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// Seed is `coolpay seed --count N`.
func Seed(g *Globals, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	count := fs.Int("count", 1000, "how many synthetic transactions")
	seed := fs.Int64("seed", 1, "random seed (same seed, same history)")
	force := fs.Bool("force", false, "add to a ledger that already holds real transactions")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *count < 1 || *count > 50_000_000 {
		return fail(stderr, errors.New("--count must be between 1 and 50000000"))
	}
	p, err := g.DBPath()
	if err != nil {
		return fail(stderr, err)
	}
	db, err := store.Open(p, store.Options{NoSync: true})
	if err != nil {
		return fail(stderr, err)
	}
	start := time.Now()
	err = store.Seed(db, *count, *seed, *force)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(stderr, err)
	}
	fmt.Fprintf(stdout, "seeded %d synthetic transactions into %s in %s\n", *count, p, time.Since(start).Round(time.Millisecond))
	return 0
}

// Keys is `coolpay keys set|delete|status`.
func Keys(g *Globals, args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keys", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g.Register(fs)
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		return fail(stderr, errors.New("usage: coolpay keys set|delete|status"))
	}
	db, err := OpenDB(g)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	pub, _ := Resolve(g, db)
	if pub == "" {
		return fail(stderr, errors.New("no public key: pass --public-key or set COOLPAY_PUBLIC_KEY (the private key is stored under it)"))
	}
	ctx, cancel := signalContext()
	defer cancel()
	k := keys.New(pub)
	switch fs.Arg(0) {
	case "set":
		secret, err := keys.ReadSecret(stdin, stderr, "Private key for "+pub+": ")
		if err != nil {
			return fail(stderr, err)
		}
		src, err := k.Set(ctx, secret)
		if err != nil {
			return fail(stderr, fmt.Errorf("%w; set COOLPAY_PRIVATE_KEY in the environment instead", err))
		}
		if g.PublicKey != "" || g.Getenv("COOLPAY_PUBLIC_KEY") != "" {
			if err := db.SetSetting(common.SettingPublicKey, pub); err != nil {
				return fail(stderr, err)
			}
		}
		fmt.Fprintf(stdout, "private key saved (%s)\n", src)
	case "delete":
		if err := k.Delete(ctx); err != nil {
			return fail(stderr, err)
		}
		fmt.Fprintln(stdout, "private key deleted from the keyring")
	case "status":
		st := k.Status(ctx)
		fmt.Fprintf(stdout, "public key:  %s\n", pub)
		if st.Set {
			fmt.Fprintf(stdout, "private key: set (from %s)\n", st.Source)
		} else {
			fmt.Fprintln(stdout, "private key: not set")
		}
		if st.KeyringAvailable {
			fmt.Fprintln(stdout, "keyring:     available")
		} else {
			fmt.Fprintf(stdout, "keyring:     not available (%s); coolpay falls back to COOLPAY_PRIVATE_KEY, then asks once per run\n", st.KeyringError)
		}
	default:
		return fail(stderr, fmt.Errorf("keys %q: use set, delete or status", fs.Arg(0)))
	}
	return 0
}

// reorder lets flags follow positional arguments (`status REF --json`).
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if strings.HasPrefix(a, "-") && a != "-" {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") {
				if f := fs.Lookup(name); f != nil {
					if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !(ok && bf.IsBoolFlag()) && i+1 < len(args) {
						flags = append(flags, args[i+1])
						i++
					}
				}
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}
