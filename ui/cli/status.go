package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/export"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// NewCmdStatus is `coolpay status REF`: ask the API, update the ledger,
// print. REF is a transaction_ref, or the app_transaction_ref of a ledger
// record.
func NewCmdStatus(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status REF",
		Short: "Ask the API about one transaction and update the ledger",
		Long: `Ask the API for the current state of one transaction and record the answer
in the ledger. REF is the transaction_ref My-CoolPay gave, or the
app_transaction_ref coolpay gave (cp-…).`,
		Example: `  coolpay status 6f0e1c2a-9b7d-4c3e-8a55-0d2f4b1e9c11
  coolpay status cp-20261129-0001 --json`,
		Args: exactArgs("REF"),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, svc, _, err := f.online(LedgerUpdate)
			if err != nil {
				return err
			}
			defer db.Close()
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			rec, err := svc.Track(ctx, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return export.WriteRecord(f.IO.Out, &rec)
			}
			return printRecord(f.IO.Out, f.T(db), rec)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the record as JSON")
	return cmd
}

// printJSON writes v indented, made safe for a terminal as every JSON
// coolpay prints (safe.JSON: C1, bidi and format code points escaped).
func printJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(safe.JSON(b.Bytes()))
	return err
}

// printRecord is one record for people: the fields the console's detail
// shows (text.RecordFields) in a table with translated labels, grouped
// amounts, local times, text from outside made inert; then the warnings
// and the event trail.
func printRecord(w io.Writer, t *i18n.Translator, r store.Record) error {
	tb := table{}
	for _, f := range text.RecordFields(t, r) {
		tb.add(t.T("history.field."+f.Key), f.Value)
	}
	for _, e := range r.Events {
		if e.Kind == store.EvWarning {
			tb.add("⚠", e.Detail)
		}
	}
	if err := tb.write(w); err != nil {
		return err
	}
	if len(r.Events) == 0 {
		return nil
	}
	fmt.Fprintf(w, "%s:\n", t.T("cli.status.events"))
	ev := table{}
	for _, e := range r.Events {
		ev.add(" ", e.At.Local().Format(time.DateTime), e.Kind, e.Detail)
	}
	return ev.write(w)
}
