package cli

import (
	"errors"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/text"
)

// checkLedgerURL is doctor's ledger check for a PostgreSQL ledger: the
// transport (TLS to another machine), that the database answers, the
// schema, then every record read and decoded (store's Check). Every detail
// names the database without its password.
func checkLedgerURL(url string) doctorCheck {
	shown := store.Redact(url)
	fail := func(detail string, args []any, fix string) doctorCheck {
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: detail, DetailArgs: args, Fix: fix}
	}
	db, err := openLedgerURL(url, LedgerRead)
	if err != nil {
		switch {
		case errors.Is(err, store.ErrInsecure):
			return fail("doctor.ledger.insecure", []any{shown}, "doctor.ledger.insecure.fix")
		case errors.Is(err, store.ErrUnreachable):
			return fail("doctor.ledger.unreachable", []any{shown, inert(err.Error())}, "doctor.ledger.unreachable.fix")
		case errors.Is(err, store.ErrNoLedger):
			return fail("doctor.ledger.missing", []any{shown}, "doctor.ledger.missing.fix")
		case errors.Is(err, store.ErrSchema):
			return fail("doctor.ledger.schema", []any{shown, inert(err.Error())}, "doctor.ledger.schema.fix")
		default:
			return fail("doctor.ledger.error", []any{shown, inert(err.Error())}, "")
		}
	}
	defer db.Close()
	if err := db.Check(); err != nil {
		if errors.Is(err, store.ErrUnreachable) {
			return fail("doctor.ledger.unreachable", []any{shown, inert(err.Error())}, "doctor.ledger.unreachable.fix")
		}
		return fail("doctor.ledger.damaged", []any{shown, inert(err.Error())}, "doctor.ledger.damaged.fix")
	}
	n, err := db.Count()
	if err != nil {
		return fail("doctor.ledger.error", []any{shown, inert(err.Error())}, "")
	}
	si, err := db.Server()
	if err != nil {
		return fail("doctor.ledger.error", []any{shown, inert(err.Error())}, "")
	}
	if !si.CanWrite {
		// Reading works, but a payment could not be journaled.
		return fail("doctor.ledger.rights", []any{shown}, "doctor.ledger.rights.fix")
	}
	tls := "doctor.ledger.pg.local"
	if si.TLS {
		tls = "doctor.ledger.pg.tls"
	}
	return doctorCheck{Name: "ledger", Status: checkOK, Detail: "doctor.ledger.pg.ok",
		DetailArgs: []any{shown, text.Count(n), inert(si.Version), si.Schema, msgKey(tls)}}
}
