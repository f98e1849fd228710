package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client/money"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/text"
)

// NewCmdLedger is `coolpay ledger`: moving a shop's ledger between engines
// (copy) and keeping a ledger file small (compact).
func NewCmdLedger(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Copy a ledger between a file and a PostgreSQL database, or compact a file",
	}
	cmd.AddCommand(newCmdLedgerCopy(f), newCmdLedgerCompact(f))
	return cmd
}

// copyChunk is how many records one Import (one transaction) writes.
const copyChunk = 1000

func newCmdLedgerCopy(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "copy FROM TO",
		Short: "Copy every record, callback and setting from one ledger to another",
		Long: `Copy a ledger, records under their own ids, callbacks and settings, from FROM
to TO: a ledger file or a PostgreSQL URL (postgres://…) on either side, so a
shop moves from one desk's file to a database several desks share, and back.

The copy is resumable and idempotent: records already in TO as the same
transaction are left alone (or brought up to date), so running it again after
an interruption finishes the job, and running it once more copies nothing.
At the end it compares, per type and state, the number of records and the sum
of their amounts on both sides, and fails if they differ.

Close every coolpay on FROM first: a payment in flight there (a record still
NEW whose desk is running) stops the copy.`,
		Example: `  coolpay ledger copy ~/.local/share/coolpay/ledger.db 'postgres://shop@db.example.com/coolpay?sslmode=verify-full'
  coolpay ledger copy 'postgres://shop@db.example.com/coolpay?sslmode=verify-full' /backup/ledger.db`,
		Args: exactArgs("FROM", "TO"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLedgerCopy(cmd.Context(), f, args[0], args[1])
		},
	}
}

func runLedgerCopy(ctx context.Context, f *Factory, from, to string) error {
	if ctx == nil {
		ctx = context.Background()
	}
	t := f.T(nil)
	if from == to {
		return usageErrorf("FROM and TO are the same ledger")
	}
	src, err := f.openLedgerAt(from, LedgerRead)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := f.openLedgerAt(to, LedgerCreate)
	if err != nil {
		return err
	}
	defer dst.Close()
	shownFrom, shownTo := store.Redact(from), store.Redact(to)

	// A payment in flight on FROM would be copied as NEW and become an
	// UNKNOWN on TO while its desk still waits for the answer.
	var inflight []uint64
	err = src.Scan(ctx, store.Filter{States: []store.State{store.StateNew}}, func(r store.Record) bool {
		if alive, err := src.OwnerAlive(r.Owner); err == nil && alive {
			inflight = append(inflight, r.ID)
		}
		return true
	})
	if err != nil {
		return err
	}
	if len(inflight) > 0 {
		return fmt.Errorf("%s", t.T("cli.ledger.copy.inflight", shownFrom, len(inflight)))
	}

	total, err := src.Count()
	if err != nil {
		return err
	}
	fmt.Fprintln(f.IO.ErrOut, t.T("cli.ledger.copy.start", text.Count(total), shownFrom, shownTo))
	var sum store.ImportResult
	seen := 0
	var chunk []store.Record
	lastShown := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		res, err := dst.Import(chunk)
		if err != nil {
			return err
		}
		sum.Added += res.Added
		sum.Replaced += res.Replaced
		sum.Same += res.Same
		seen += len(chunk)
		chunk = chunk[:0]
		if seen-lastShown >= 10*copyChunk || seen == total {
			lastShown = seen
			fmt.Fprintln(f.IO.ErrOut, t.T("cli.ledger.copy.progress", text.Count(seen), text.Count(total)))
		}
		return nil
	}
	var ferr error
	err = src.Scan(ctx, store.Filter{}, func(r store.Record) bool {
		chunk = append(chunk, r)
		if len(chunk) == copyChunk {
			ferr = flush()
		}
		return ferr == nil
	})
	if err == nil {
		err = ferr
	}
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}

	claims, settings, err := copyClaimsAndSettings(src, dst)
	if err != nil {
		return err
	}
	fmt.Fprintln(f.IO.Out, t.T("cli.ledger.copy.done", sum.Added, sum.Replaced, sum.Same, claims, settings))

	// The check: per type and state, as many records and the same sum on
	// both sides.
	a, err := ledgerTotals(ctx, src)
	if err != nil {
		return err
	}
	b, err := ledgerTotals(ctx, dst)
	if err != nil {
		return err
	}
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	bad := 0
	for _, k := range keys {
		x, y := a[k], b[k]
		ok := x.n == y.n && x.sum == y.sum
		mark := "ok"
		if !ok {
			mark = "DIFFERS"
			bad++
		}
		fmt.Fprintf(f.IO.Out, "  %-32s %10s %18s  |  %10s %18s  %s\n", inert(k),
			text.Count(x.n), x.sum.Number(), text.Count(y.n), y.sum.Number(), mark)
	}
	if bad > 0 {
		return exitError{code: ExitFailed, msg: t.T("cli.ledger.copy.mismatch", bad)}
	}
	fmt.Fprintln(f.IO.Out, t.T("cli.ledger.copy.checked", len(keys)))
	return nil
}

// copyClaimsAndSettings copies the callbacks not yet in dst (and brings
// those that moved on in src up to date), and the settings that differ.
// Into a shared ledger only the merchant's settings go: src's desk settings
// become this desk's (its settings file) where it has none yet.
func copyClaimsAndSettings(src, dst *store.DB) (claims, settings int, err error) {
	cs, err := src.Claims("")
	if err != nil {
		return 0, 0, err
	}
	for _, c := range cs {
		have, err := dst.Claim(c.Key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if _, _, err := dst.AddClaim(c); err != nil {
				return claims, settings, err
			}
			claims++
		case err != nil:
			return claims, settings, err
		case !sameClaim(have, c) && have.Received.Equal(c.Received):
			if _, err := dst.UpdateClaim(c.Key, func(x *store.Claim) error { *x = c; return nil }); err != nil {
				return claims, settings, err
			}
			claims++
		}
	}
	sm, err := src.Settings()
	if err != nil {
		return claims, 0, err
	}
	dm, err := dst.Settings()
	if err != nil {
		return claims, 0, err
	}
	local := dst.Local()
	for k, v := range sm {
		if local != nil && local.Keeps(k) && dm[k] != "" {
			// A desk's own setting (cashier, language…) never goes into
			// a shared ledger: it goes to this desk's settings file, and
			// only where this desk has none of its own yet.
			continue
		}
		if dm[k] != v {
			if err := dst.SetSetting(k, v); err != nil {
				return claims, settings, err
			}
			settings++
		}
	}
	return claims, settings, nil
}

// sameClaim compares claims as stored (JSON), times as instants: the same
// moment in another time zone is the same claim.
func sameClaim(a, b store.Claim) bool {
	a.Received, a.LastTry = a.Received.UTC(), a.LastTry.UTC()
	b.Received, b.LastTry = b.Received.UTC(), b.LastTry.UTC()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

type totals struct {
	n   int
	sum money.Amount
}

// ledgerTotals counts records and sums amounts per "TYPE STATE CURRENCY"
// with the one money type (never adding euros to francs); an amount that
// does not read is counted but not added, on both sides alike.
func ledgerTotals(ctx context.Context, db *store.DB) (map[string]totals, error) {
	m := map[string]totals{}
	err := db.Scan(ctx, store.Filter{}, func(r store.Record) bool {
		cur := r.Currency
		if cur == "" {
			cur = money.XAF
		}
		k := string(r.Type) + " " + string(r.State) + " " + cur
		x, ok := m[k]
		if !ok {
			x.sum = money.Amount{Currency: cur}
		}
		x.n++
		if a, err := money.Parse(r.Amount, cur); err == nil {
			x.sum, _ = x.sum.Add(a)
		}
		m[k] = x
		return true
	})
	return m, err
}
