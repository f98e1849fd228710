package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/text"
)

// NewCmdSeed is `coolpay seed`: synthetic history for demos and benchmarks.
func NewCmdSeed(f *Factory) *cobra.Command {
	var (
		count int
		seed  int64
		force bool
	)
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Fill a ledger with synthetic history (demos, benchmarks)",
		Long: `Fill a ledger with synthetic transactions, marked as such, for demos and
benchmarks. It refuses a ledger that holds real transactions unless --force.`,
		Example: `  coolpay --db /tmp/demo.db seed --count 5000
  coolpay seed --db /tmp/bench.db --count 1000000 --seed 7`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if count < 1 || count > 50_000_000 {
				return usageErrorf("--count must be between 1 and 50000000")
			}
			p, err := f.LedgerPath()
			if err != nil {
				return err
			}
			if err := checkLedgerDir(p); err != nil && !store.IsURL(p) {
				return err
			}
			dbPasswordFromKeyring() // for a PostgreSQL ledger
			db, err := store.Open(p, store.Options{NoSync: true})
			if err != nil {
				return err
			}
			start := time.Now()
			err = store.Seed(db, count, seed, force)
			if cerr := db.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(f.IO.Out, f.T(nil).T("cli.seed.done", text.Count(count), store.Redact(p), time.Since(start).Round(time.Millisecond)))
			return err
		},
	}
	cmd.Flags().IntVar(&count, "count", 1000, "how many synthetic transactions")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed (same seed, same history)")
	cmd.Flags().BoolVar(&force, "force", false, "add to a ledger that already holds real transactions")
	return cmd
}
