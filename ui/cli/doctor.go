package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/keys"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// Doctor check outcomes. A warning does not fail the run; a skipped check
// says why it could not be made.
const (
	checkOK   = "ok"
	checkWarn = "warn"
	checkFail = "fail"
	checkSkip = "skip"
)

// doctorCheck is one line of the checklist. Detail and Fix are message
// keys with their arguments, rendered in the reader's language (JSON:
// always English, so scripts see stable text).
type doctorCheck struct {
	Name       string
	Status     string
	Detail     string
	DetailArgs []any
	Fix        string
	FixArgs    []any
}

// doctorJSON is the --json shape: stable names, English text.
type doctorJSON struct {
	OK     bool              `json:"ok"`
	Checks []doctorJSONCheck `json:"checks"`
}

type doctorJSONCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

// NewCmdDoctor is `coolpay doctor`: the checklist to run before the first
// real payment, and whenever something is wrong.
func NewCmdDoctor(f *Factory) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the ledger, the settings, the keys and the API before taking payments",
		Long: `Check everything coolpay needs, one line each (✔ fine, ! worth a look,
✘ failed, – not checked) with what to do about it:

  the ledger is readable and consistent (bbolt's own check), the settings
  are there, where the private key comes from and that it can be read
  (never shown), the base URL is https, the API answers with a valid TLS
  certificate, the keys are accepted (a balance call, which moves no
  money), the server's clock agrees with ours, the callback listener
  answers when one is configured, and what cannot be checked without
  moving money.

Exits 0 when nothing failed, 1 when a check failed.`,
		Example: `  coolpay doctor
  coolpay doctor --json | jq '.checks[] | select(.status != "ok")'
  coolpay --db ~/shop.db doctor --lang fr`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := signalContext(cmd.Context())
			defer cancel()
			checks := runDoctor(ctx, f)
			failed := false
			for _, c := range checks {
				failed = failed || c.Status == checkFail
			}
			if asJSON {
				en := i18n.New(i18n.EN)
				out := doctorJSON{OK: !failed, Checks: make([]doctorJSONCheck, 0, len(checks))}
				for _, c := range checks {
					jc := doctorJSONCheck{Name: c.Name, Status: c.Status, Detail: render(en, c.Detail, c.DetailArgs)}
					if c.Fix != "" {
						jc.Fix = render(en, c.Fix, c.FixArgs)
					}
					out.Checks = append(out.Checks, jc)
				}
				if err := printJSON(f.IO.Out, out); err != nil {
					return err
				}
			} else if err := writeDoctor(f.IO.Out, f.T(nil), checks); err != nil {
				return err
			}
			if failed {
				return exitError{code: ExitFailed}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"ok": bool, "checks": [{"name", "status", "detail", "fix"}]} (English text)`)
	return cmd
}

func writeDoctor(w io.Writer, t *i18n.Translator, checks []doctorCheck) error {
	symbol := map[string]string{checkOK: "✔", checkWarn: "!", checkFail: "✘", checkSkip: "–"}
	tb := table{}
	var fixes []string
	for _, c := range checks {
		tb.add(symbol[c.Status], t.T("doctor.name."+c.Name), render(t, c.Detail, c.DetailArgs))
		fix := ""
		if c.Fix != "" && c.Status != checkOK {
			fix = render(t, c.Fix, c.FixArgs)
		}
		fixes = append(fixes, fix)
	}
	// The table pads the columns; each fix goes on its own line under its
	// check, where the eye already is.
	var b bytes.Buffer
	if err := tb.write(&b); err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	for i, l := range lines {
		fmt.Fprintln(w, l)
		if fixes[i] != "" {
			fmt.Fprintf(w, "     → %s\n", inert(fixes[i]))
		}
	}
	return nil
}

// runDoctor makes every check, in the order a merchant would fix things.
func runDoctor(ctx context.Context, f *Factory) []doctorCheck {
	var checks []doctorCheck
	add := func(c doctorCheck) { checks = append(checks, c) }

	// 1. The ledger, checked in a process of its own (see checkLedger).
	path, perr := f.LedgerPath()
	var db *store.DB
	ledgerUnread := false // the ledger exists but its settings could not be read
	noLedger := false
	switch {
	case perr != nil:
		add(doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.nopath", DetailArgs: []any{perr.Error()},
			Fix: "doctor.ledger.nopath.fix"})
	default:
		add(f.checkLedger(ctx, path))
		// Settings are read from the ledger when it can be opened.
		if d, err := f.openLedgerAt(path, LedgerRead); err == nil {
			db = d
			defer db.Close()
		} else if errors.Is(err, store.ErrNoLedger) {
			noLedger = true
		} else {
			ledgerUnread = true
		}
	}

	// 2. Settings: the public key and the base URL, and where each comes from.
	// One read of the ledger's settings serves these and the callback check.
	cfg := f.Config(db)
	pubV, baseV := cfg.Get(config.PublicKey), cfg.Get(config.BaseURL)
	if noLedger && pubV.Source != config.FromFlag && pubV.Source != config.FromEnv {
		// No ledger and no key from a flag or the environment: nothing
		// else can be checked, and the API is not asked (it would only be
		// the live address's default, for no account).
		for _, name := range []string{"settings", "private_key", "base_url", "api", "keys", "callback"} {
			add(doctorCheck{Name: name, Status: checkSkip, Detail: "doctor.skip.no_ledger"})
		}
		add(doctorCheck{Name: "payout_ip", Status: checkSkip, Detail: "doctor.payout_ip", Fix: "doctor.payout_ip.fix"})
		return checks
	}
	pub, base := pubV.V, baseV.V
	var bad error // an invalid public key or base URL: never used
	if pubV.Err != nil {
		pub = ""
		_, _, bad = cfg.Endpoint()
	} else if baseV.Err != nil {
		_, _, bad = cfg.Endpoint()
	}
	var se *config.SourcedError
	switch {
	case errors.As(bad, &se):
		add(doctorCheck{Name: "settings", Status: checkFail, Detail: "doctor.settings.invalid", DetailArgs: []any{settingError{se}},
			Fix: "doctor.settings.invalid.fix"})
	case pub == "" && ledgerUnread:
		add(doctorCheck{Name: "settings", Status: checkSkip, Detail: "doctor.settings.unread"})
	case pub == "":
		add(doctorCheck{Name: "settings", Status: checkFail, Detail: "doctor.settings.no_public_key", Fix: "doctor.settings.no_public_key.fix"})
	default:
		add(doctorCheck{Name: "settings", Status: checkOK, Detail: "doctor.settings.ok",
			DetailArgs: []any{config.Show(config.PublicKey, pub), sourceWord(string(pubV.Source)), config.Show(config.BaseURL, base), sourceWord(string(baseV.Source))}})
	}

	// 3. The private key: where it comes from, and that it can be read.
	var k *keys.Keys
	keyOK := false
	if pub == "" {
		add(doctorCheck{Name: "private_key", Status: checkSkip, Detail: "doctor.private_key.no_public_key"})
	} else {
		k = f.keysNoPrompt(pub)
		kctx, kcancel := context.WithTimeout(ctx, 10*time.Second)
		st := k.Status(kctx)
		_, kerr := k.PrivateKey(kctx)
		kcancel()
		switch {
		case kerr == nil:
			keyOK = true
			add(doctorCheck{Name: "private_key", Status: checkOK, Detail: "doctor.private_key.ok", DetailArgs: []any{msgKey("doctor.keysrc." + string(st.Source))}})
		case !st.Set && !st.KeyringAvailable:
			// What a missing keyring means, in the user's words; the
			// keyring's own error only as an inert detail.
			add(doctorCheck{Name: "private_key", Status: checkFail, Detail: "doctor.private_key.none_no_keyring", DetailArgs: []any{inert(st.KeyringError)},
				Fix: "doctor.private_key.none.fix"})
		case !st.Set:
			add(doctorCheck{Name: "private_key", Status: checkFail, Detail: "doctor.private_key.none", Fix: "doctor.private_key.none.fix"})
		default:
			add(doctorCheck{Name: "private_key", Status: checkFail, Detail: "doctor.private_key.unreadable",
				DetailArgs: []any{msgKey("doctor.keysrc." + string(st.Source)), inert(kerr.Error())}, Fix: "doctor.private_key.none.fix"})
		}
	}

	// 4. The base URL's scheme. An invalid one (a password, a query, a
	// fragment, controls) is never asked: it is shown redacted and inert.
	u, uerr := url.Parse(base)
	switch {
	case baseV.Err != nil:
		var why any = inert(baseV.Err.Error())
		if se := (*config.SourcedError)(nil); errors.As(config.Invalid(baseV), &se) {
			why = configReason{se.Err}
		}
		add(doctorCheck{Name: "base_url", Status: checkFail, Detail: "doctor.base_url.invalid", DetailArgs: []any{config.Show(config.BaseURL, baseV.Bad), why},
			Fix: "doctor.base_url.bad.fix"})
		u = nil
	case uerr != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		add(doctorCheck{Name: "base_url", Status: checkFail, Detail: "doctor.base_url.bad", DetailArgs: []any{config.Show(config.BaseURL, base)},
			Fix: "doctor.base_url.bad.fix"})
		u = nil
	case u.Scheme == "https":
		add(doctorCheck{Name: "base_url", Status: checkOK, Detail: "doctor.base_url.https"})
	case client.IsSandboxURL(base):
		add(doctorCheck{Name: "base_url", Status: checkOK, Detail: "doctor.base_url.local"})
	default:
		add(doctorCheck{Name: "base_url", Status: checkWarn, Detail: "doctor.base_url.http", Fix: "doctor.base_url.http.fix"})
	}

	// 5-7. The API: reachable, TLS, clock.
	apiOK := false
	if u == nil {
		add(doctorCheck{Name: "api", Status: checkSkip, Detail: "doctor.api.no_url"})
	} else {
		resp, rtt, err := f.probe(ctx, base)
		switch {
		case err != nil && isTLSError(err):
			add(doctorCheck{Name: "api", Status: checkFail, Detail: "doctor.api.tls_bad", DetailArgs: []any{inert(u.Host), inert(err.Error())},
				Fix: "doctor.api.tls_bad.fix"})
		case err != nil:
			// The error quotes the URL: the redacted one, whatever it held.
			why := strings.ReplaceAll(err.Error(), base, safe.URL(base))
			add(doctorCheck{Name: "api", Status: checkFail, Detail: "doctor.api.unreachable", DetailArgs: []any{config.Show(config.BaseURL, base), inert(why)},
				Fix: "doctor.api.unreachable.fix"})
		default:
			apiOK = true
			add(doctorCheck{Name: "api", Status: checkOK, Detail: "doctor.api.ok", DetailArgs: []any{inert(u.Host), rtt.Round(time.Millisecond).String()}})
			if resp.tls != nil {
				add(tlsCheck(resp.tls, time.Now()))
			}
			add(clockCheck(resp.date, time.Now()))
		}
	}

	// 8. The keys, with a balance call (read-only: it moves no money).
	switch {
	case !apiOK:
		add(doctorCheck{Name: "keys", Status: checkSkip, Detail: "doctor.keys.no_api"})
	case !keyOK:
		add(doctorCheck{Name: "keys", Status: checkSkip, Detail: "doctor.keys.no_key"})
	default:
		bctx, bcancel := context.WithTimeout(ctx, 20*time.Second)
		bal, err := f.NewClient(pub, base, k).Balance(bctx)
		bcancel()
		var apiErr *client.APIError
		switch {
		case err == nil:
			add(doctorCheck{Name: "keys", Status: checkOK, Detail: "doctor.keys.ok", DetailArgs: []any{amountArg{bal.Balance.String(), "XAF"}}})
		case errors.As(err, &apiErr) && (apiErr.HTTPStatus == http.StatusUnauthorized || apiErr.HTTPStatus == http.StatusForbidden):
			add(doctorCheck{Name: "keys", Status: checkFail, Detail: "doctor.keys.refused", DetailArgs: []any{apiErr.HTTPStatus, inert(apiErr.Message)},
				Fix: "doctor.keys.refused.fix"})
		default:
			add(doctorCheck{Name: "keys", Status: checkFail, Detail: "doctor.keys.error", DetailArgs: []any{inert(err.Error())},
				Fix: "doctor.api.unreachable.fix"})
		}
	}

	// 9. The callback listener, when one is configured.
	add(f.callbackCheck(ctx, cfg))

	// 10. What only moving money would tell.
	add(doctorCheck{Name: "payout_ip", Status: checkSkip, Detail: "doctor.payout_ip", Fix: "doctor.payout_ip.fix"})
	return checks
}

// settingError is an invalid setting as a doctor line's argument: rendered
// in the reader's language.
type settingError struct{ e *config.SourcedError }

// configReason is why a value is refused, rendered in the reader's language.
type configReason struct{ e *config.Error }

// msgKey is an argument of a message that is itself a message (translated
// when the line is rendered).
type msgKey string

// sourceWord names where a setting came from.
func sourceWord(from string) msgKey { return msgKey("doctor.from." + from) }

// amountArg is an amount argument, written in the language of the
// message it goes into (a French decimal comma in French).
type amountArg struct{ amount, currency string }

// render is a message in t's language, message arguments translated too.
func render(t *i18n.Translator, key string, args []any) string {
	out := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case msgKey:
			out[i] = t.T(string(a))
		case settingError:
			out[i] = a.e.Text(t)
		case configReason:
			out[i] = a.e.Text(t)
		case amountArg:
			out[i] = amountText(t, a.amount, a.currency)
		default:
			out[i] = a
		}
	}
	return t.T(key, out...)
}

// checkLedger checks the ledger with bbolt's own consistency check in a
// child process (this binary, `coolpay doctor-ledger`): bbolt runs part of
// its check in a goroutine of its own, where a damaged page is an
// unrecoverable crash; in a child, that crash is an answer.
func (f *Factory) checkLedger(ctx context.Context, path string) doctorCheck {
	if store.IsURL(path) {
		return checkLedgerURL(path)
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.missing", DetailArgs: []any{inert(path)},
			Fix: "doctor.ledger.missing.fix"}
	}
	// What an ordinary open already tells (an old schema, a busy or
	// unreadable file) is said as such; the child is for the deep check.
	if db, err := openLedger(path, LedgerRead); err != nil {
		switch {
		case errors.Is(err, store.ErrSchema):
			return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.schema", DetailArgs: []any{inert(path), inert(err.Error())},
				Fix: "doctor.ledger.schema.fix"}
		case errors.Is(err, store.ErrLocked):
			return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.busy", DetailArgs: []any{inert(path)}, Fix: "doctor.ledger.busy.fix"}
		case errors.Is(err, store.ErrCorrupt):
			return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.damaged", DetailArgs: []any{inert(path), inert(err.Error())},
				Fix: "doctor.ledger.damaged.fix"}
		default:
			return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.error", DetailArgs: []any{inert(path), inert(err.Error())}}
		}
	} else {
		db.Close()
	}
	exe := os.Executable
	if f.Executable != nil {
		exe = f.Executable
	}
	self, err := exe()
	if err != nil {
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.error", DetailArgs: []any{inert(path), err.Error()}}
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, self, doctorLedgerCmd, "--db", path)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANG=C", "COOLPAY_DB="+path)
	err = cmd.Run()
	code := cmd.ProcessState.ExitCode()
	msg := strings.TrimSpace(strings.TrimPrefix(firstLine(errb.String()), "coolpay: "))
	switch {
	case err == nil:
		n, _ := strconv.Atoi(strings.TrimSpace(out.String()))
		return doctorCheck{Name: "ledger", Status: checkOK, Detail: "doctor.ledger.ok", DetailArgs: []any{inert(path), text.Count(n)}}
	case code == ExitBusy:
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.busy", DetailArgs: []any{inert(path)}, Fix: "doctor.ledger.busy.fix"}
	case code == ExitFailed:
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.damaged", DetailArgs: []any{inert(path), inert(msg)},
			Fix: "doctor.ledger.damaged.fix"}
	default:
		// A crash (Go's panic exit, a signal): bbolt met a damaged page.
		return doctorCheck{Name: "ledger", Status: checkFail, Detail: "doctor.ledger.crashed", DetailArgs: []any{inert(path)},
			Fix: "doctor.ledger.damaged.fix"}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

// doctorLedgerCmd is the hidden command the doctor runs as its child.
const doctorLedgerCmd = "doctor-ledger"

// newCmdDoctorLedger is the child half of the ledger check: open read-only,
// run store.Check, print the number of records.
func newCmdDoctorLedger(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:    doctorLedgerCmd,
		Short:  "Check the ledger's consistency (run by coolpay doctor)",
		Hidden: true,
		RunE: func(*cobra.Command, []string) error {
			db, err := f.OpenLedger(LedgerRead)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Check(); err != nil {
				return err
			}
			n, err := db.Count()
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(f.IO.Out, n)
			return err
		},
	}
}

// probeAnswer is what the doctor learns from one plain request to the API.
type probeAnswer struct {
	status int
	date   time.Time // the server's Date header; zero if absent
	tls    *tls.ConnectionState
}

// probe asks the base URL once, without credentials: any HTTP answer means
// the API is reachable (and, over https, that its certificate verified).
func (f *Factory) probe(ctx context.Context, base string) (*probeAnswer, time.Duration, error) {
	hc := f.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(pctx, http.MethodGet, base, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", "coolpay/1 doctor")
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	rtt := time.Since(start)
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	a := &probeAnswer{status: resp.StatusCode, tls: resp.TLS}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		// The Date header has whole seconds and was stamped while the
		// request was on its way: compare it with the middle of the trip.
		a.date = d.Add(-rtt / 2)
	}
	return a, rtt, nil
}

func isTLSError(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		ua  x509.UnknownAuthorityError
		he  x509.HostnameError
		ci  x509.CertificateInvalidError
		rec tls.RecordHeaderError
	)
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) || errors.As(err, &rec)
}

// tlsCheck reports the server certificate's expiry; it verified already,
// or the request would have failed.
func tlsCheck(st *tls.ConnectionState, now time.Time) doctorCheck {
	if len(st.PeerCertificates) == 0 {
		return doctorCheck{Name: "tls", Status: checkOK, Detail: "doctor.tls.ok_noexpiry"}
	}
	until := st.PeerCertificates[0].NotAfter
	days := int(until.Sub(now).Hours() / 24)
	if days < 14 {
		return doctorCheck{Name: "tls", Status: checkWarn, Detail: "doctor.tls.soon", DetailArgs: []any{until.UTC().Format("2006-01-02"), days}}
	}
	return doctorCheck{Name: "tls", Status: checkOK, Detail: "doctor.tls.ok", DetailArgs: []any{until.UTC().Format("2006-01-02")}}
}

// clockCheck compares the server's clock with ours. Within two minutes is
// normal (the Date header has whole seconds); more skews the times coolpay
// records and what it compares with the vendor's.
func clockCheck(server, now time.Time) doctorCheck {
	if server.IsZero() {
		return doctorCheck{Name: "clock", Status: checkSkip, Detail: "doctor.clock.no_date"}
	}
	skew := now.Sub(server)
	abs := skew.Abs().Round(time.Second)
	switch {
	case abs <= 2*time.Minute:
		return doctorCheck{Name: "clock", Status: checkOK, Detail: "doctor.clock.ok", DetailArgs: []any{abs.String()}}
	case skew > 0:
		return doctorCheck{Name: "clock", Status: clockStatus(abs), Detail: "doctor.clock.ahead", DetailArgs: []any{abs.String()}, Fix: "doctor.clock.fix"}
	default:
		return doctorCheck{Name: "clock", Status: clockStatus(abs), Detail: "doctor.clock.behind", DetailArgs: []any{abs.String()}, Fix: "doctor.clock.fix"}
	}
}

func clockStatus(abs time.Duration) string {
	if abs > time.Hour {
		return checkFail
	}
	return checkWarn
}

// callbackCheck asks the configured listener once (GET, which it refuses):
// any HTTP answer shows it runs. Whether My-CoolPay can reach it from the
// internet is not something this machine can see.
// settings are the ledger's (nil without a ledger).
func (f *Factory) callbackCheck(ctx context.Context, cfg *config.Settings) doctorCheck {
	addr, path := cfg.Stored(config.CallbackAddr), cfg.Stored(config.CallbackPath)
	if addr == "" {
		return doctorCheck{Name: "callback", Status: checkSkip, Detail: "doctor.callback.none", Fix: "doctor.callback.none.fix"}
	}
	if path == "" {
		path = "/callback"
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return doctorCheck{Name: "callback", Status: checkFail, Detail: "doctor.callback.bad", DetailArgs: []any{inert(addr)}}
	}
	if host == "" || net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified() {
		host = "127.0.0.1" // a listener on every interface answers on loopback too
	}
	target := "http://" + net.JoinHostPort(host, port) + path
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(cctx, http.MethodGet, target, nil)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return doctorCheck{Name: "callback", Status: checkFail, Detail: "doctor.callback.down", DetailArgs: []any{inert(addr), inert(err.Error())},
			Fix: "doctor.callback.down.fix"}
	}
	resp.Body.Close()
	return doctorCheck{Name: "callback", Status: checkOK, Detail: "doctor.callback.ok", DetailArgs: []any{inert(target)}}
}
