package cli_test

import (
	"encoding/json"
	"fmt"
	neturl "net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/zalando/go-keyring"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/store/pgtest"
	"github.com/coolpay/coolpay/ui/text"
)

// fillLedger puts n records (in several states, amounts known), two
// callbacks and a setting in db.
func fillLedger(t *testing.T, db *store.DB, n int) {
	t.Helper()
	recs := make([]store.Record, n)
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	for i := range recs {
		recs[i] = store.Record{
			Type:         []store.Type{store.TypePayin, store.TypePayout, store.TypePaylink}[i%3],
			State:        []store.State{store.StateSuccess, store.StateFailed, store.StatePending, store.StateUnknown}[i%4],
			AppRef:       fmt.Sprintf("app-%05d", i),
			Amount:       fmt.Sprint(100 + i),
			Currency:     "XAF",
			CustomerName: fmt.Sprintf("Client %d", i%17),
			Created:      base.Add(time.Duration(i) * time.Minute),
			Events:       []store.Event{{At: base, Kind: store.EvCreated}},
		}
	}
	if err := db.Insert(recs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cb-1", "cb-2"} {
		if _, _, err := db.AddClaim(store.Claim{Key: k, TransactionRef: "tx-" + k, Amount: "100", Received: base}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetSetting("lang", "fr"); err != nil {
		t.Fatal(err)
	}
}

// A shop moves from its file to PostgreSQL and back: every record keeps
// its id and content, callbacks and settings follow, a second run copies
// nothing, and an interrupted copy resumes.
func TestLedgerCopyBothWays(t *testing.T) {
	url := pgtest.URL(t)
	file, path := openLedger(t)
	fillLedger(t, file, 2500)
	want, _ := file.List(store.Filter{}, 0, "")
	// An interrupted earlier run: the first 700 records are already there.
	pg, err := store.Open(url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var part []store.Record
	file.Scan(t.Context(), store.Filter{}, func(r store.Record) bool { part = append(part, r); return len(part) < 700 })
	if _, err := pg.Import(part); err != nil {
		t.Fatal(err)
	}
	pg.Close()
	file.Close()

	out, errOut, code := runCLI(nil, nil, "ledger", "copy", path, url)
	if code != 0 {
		t.Fatalf("copy to PostgreSQL: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "1800 added, 0 brought up to date, 700 already there") || !strings.Contains(out, "Checked:") {
		t.Fatalf("copy output:\n%s", out)
	}
	if g := text.Count(2500); !strings.Contains(errOut, g+" / "+g) {
		t.Fatalf("no progress line on stderr:\n%s", errOut)
	}
	pw := url[strings.Index(url, ":pw")+1 : strings.Index(url, "@")]
	if strings.Contains(out+errOut, pw) {
		t.Fatalf("the database password was printed:\n%s\n%s", out, errOut)
	}
	out, _, code = runCLI(nil, nil, "ledger", "copy", path, url)
	if code != 0 || !strings.Contains(out, "0 added, 0 brought up to date, 2500 already there. Callbacks: 0 copied. Settings: 0 copied.") {
		t.Fatalf("second copy (exit %d) copied something:\n%s", code, out)
	}

	// And back, to a new file.
	back := filepath.Join(t.TempDir(), "back.db")
	out, errOut, code = runCLI(nil, nil, "ledger", "copy", url, back)
	if code != 0 || !strings.Contains(out, "2500 added") {
		t.Fatalf("copy back: exit %d\n%s\n%s", code, out, errOut)
	}
	db, err := store.Open(back, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, _ := db.List(store.Filter{}, 0, "")
	for i := range want.Records {
		w, g := want.Records[i], got.Records[i]
		if w.ID != g.ID || w.AppRef != g.AppRef || w.Amount != g.Amount || w.State != g.State || !w.Created.Equal(g.Created) || len(w.Events) != len(g.Events) {
			t.Fatalf("record %d came back as %+v, was %+v", i, g, w)
		}
	}
	if n, _ := db.Count(); n != 2500 {
		t.Fatalf("%d records came back", n)
	}
	if cs, _ := db.Claims(""); len(cs) != 2 {
		t.Fatalf("%d callbacks came back", len(cs))
	}
	if v, _, _ := db.Setting("lang"); v != "fr" {
		t.Fatalf("setting lang = %q", v)
	}
	// A new record on the copy takes an id after the copied ones.
	rw, _ := store.Open(url, store.Options{})
	defer rw.Close()
	r := store.Record{Type: store.TypePayin, State: store.StatePending, AppRef: "after", Amount: "1", Currency: "XAF"}
	if err := rw.Create(&r); err != nil || r.ID <= 2500 {
		t.Fatalf("a record made after the copy got id %d (%v)", r.ID, err)
	}
}

// A copy into a ledger holding another shop's records stops on the first
// id that clashes, and writes nothing of that chunk.
func TestLedgerCopyRefusesAnotherShop(t *testing.T) {
	a, pa := openLedger(t)
	fillLedger(t, a, 10)
	a.Close()
	b, pb := openLedger(t)
	r := store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "other-shop", Amount: "5", Currency: "XAF"}
	b.Create(&r)
	b.Close()
	_, errOut, code := runCLI(nil, nil, "ledger", "copy", pa, pb)
	if code == 0 || !strings.Contains(errOut, "another record under this id") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
}

// Commands work on a PostgreSQL ledger as on a file, and never show its
// password.
func TestCommandsOnPostgres(t *testing.T) {
	url := pgtest.URL(t)
	env := map[string]string{"COOLPAY_DB": url, "COOLPAY_DESK_FILE": filepath.Join(t.TempDir(), "desk-settings.json")}
	out, errOut, code := runCLI(env, nil, "seed", "--count", "40")
	if code != 0 {
		t.Fatalf("seed: exit %d %s", code, errOut)
	}
	pw := url[strings.Index(url, ":pw")+1 : strings.Index(url, "@")]
	if strings.Contains(out, pw) || !strings.Contains(out, "postgres://") {
		t.Fatalf("seed's output: %q", out)
	}
	out, errOut, code = runCLI(env, nil, "history", "--json", "--limit", "0")
	if code != 0 {
		t.Fatalf("history: exit %d %s", code, errOut)
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(out), &recs); err != nil || len(recs) != 40 {
		t.Fatalf("history --json: %d records, %v", len(recs), err)
	}
	if _, errOut, code := runCLI(env, nil, "config", "set", "ui_lang", "fr"); code != 0 {
		t.Fatalf("config set: %d %s", code, errOut)
	}
	out, _, _ = runCLI(env, nil, "config", "get", "ui_lang")
	if strings.TrimSpace(out) != "fr" {
		t.Fatalf("config get ui_lang = %q", out)
	}
}

// A database that does not answer: the command exits 3 (busy/unreachable)
// and says so without the password; one on another machine without TLS is
// refused before any connection, saying how to fix the URL.
func TestPostgresUnreachableAndInsecure(t *testing.T) {
	env := map[string]string{"COOLPAY_DB": "postgres://shop:Sup3rSecret@127.0.0.1:1/coolpay?sslmode=disable&connect_timeout=2"}
	out, errOut, code := runCLI(env, nil, "history")
	if code != 3 || !strings.Contains(errOut, "cannot be reached") || strings.Contains(out+errOut, "Sup3rSecret") {
		t.Fatalf("unreachable: exit %d\n%s%s", code, out, errOut)
	}
	env["COOLPAY_DB"] = "postgres://shop:Sup3rSecret@db.example.com/coolpay?sslmode=prefer"
	out, errOut, code = runCLI(env, nil, "history")
	if code == 0 || !strings.Contains(errOut, "sslmode=verify-full") || strings.Contains(out+errOut, "Sup3rSecret") {
		t.Fatalf("insecure: exit %d\n%s%s", code, out, errOut)
	}
}

// doctor on a PostgreSQL ledger: every check passes as on a file, the
// ledger line names the database without its password (--json too), and
// an unreachable database is a failed check that says what to look at.
func TestDoctorOnPostgres(t *testing.T) {
	e := newCLIEnv(t)
	url := pgtest.URL(t)
	e.env["COOLPAY_DB"] = url
	db, err := store.Open(url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Create(&store.Record{Type: store.TypePayin, State: store.StateSuccess, AppRef: "cp-x", Amount: "100", Currency: "XAF"})
	db.Close()
	out, errs, code := e.run("doctor", "--json")
	var r struct {
		OK     bool
		Checks []struct{ Name, Status, Detail string }
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.OK {
		t.Fatalf("doctor: %d %q\n%s", code, errs, out)
	}
	pw := url[strings.Index(url, ":pw")+1 : strings.Index(url, "@")]
	if strings.Contains(out+errs, pw) {
		t.Fatalf("doctor printed the database password:\n%s", out)
	}
	if r.Checks[0].Name != "ledger" || !strings.Contains(r.Checks[0].Detail, "postgres://") || !strings.Contains(r.Checks[0].Detail, "1 records, consistent (PostgreSQL 1") || !strings.Contains(r.Checks[0].Detail, "not encrypted") {
		t.Fatalf("ledger check: %+v", r.Checks[0])
	}
	// A role that may only read: doctor says no payment could be
	// journaled.
	u, _ := neturl.Parse(url)
	a, _ := neturl.Parse(pgtest.Admin(t))
	a.Path = u.Path
	admin, err := pgx.Connect(t.Context(), a.String())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(t.Context())
	ro := strings.TrimPrefix(u.Path, "/") + "_ro"
	for _, q := range []string{"CREATE ROLE " + ro + " LOGIN PASSWORD 'ro-pass'", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + ro} {
		if _, err := admin.Exec(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	u.User = neturl.UserPassword(ro, "ro-pass")
	e.env["COOLPAY_DB"] = u.String()
	out, _, code = e.run("doctor")
	if code != 1 || !strings.Contains(out, "may read the ledger but not write it") || !strings.Contains(out, "GRANT") {
		t.Fatalf("doctor with a read-only role: exit %d\n%s", code, out)
	}

	e.env["COOLPAY_DB"] = "postgres://shop:Sup3rSecret@127.0.0.1:1/coolpay?sslmode=disable&connect_timeout=2"
	out, _, code = e.run("doctor")
	if code != 1 || !strings.Contains(out, "cannot be reached") || !strings.Contains(out, "pg_hba.conf") || strings.Contains(out, "Sup3rSecret") {
		t.Fatalf("doctor on an unreachable database: exit %d\n%s", code, out)
	}
}

// Commands that only read or update a ledger do not make one in a
// database that has none (a mistyped name): they say there is no ledger.
func TestPostgresCommandsDoNotCreateALedger(t *testing.T) {
	url := pgtest.URL(t)
	env := map[string]string{"COOLPAY_DB": url}
	for _, args := range [][]string{{"history"}, {"status", "cp-x"}, {"reconcile"}} {
		_, errOut, code := runCLI(env, nil, args...)
		if code == 0 || !strings.Contains(errOut, "no ledger at postgres://") {
			t.Fatalf("%v on an empty database: exit %d %s", args, code, errOut)
		}
	}
	if _, err := store.Open(url, store.Options{ReadOnly: true}); err == nil {
		t.Fatal("a command created the ledger's tables")
	}
}

// The database password may come from the OS keyring (service coolpay-db,
// account user@host) when the URL has none; a wrong one is refused by the
// server and said so, not taken for an unreachable database.
func TestPostgresPasswordFromKeyring(t *testing.T) {
	keyring.MockInit()
	url := pgtest.URL(t)
	u, _ := neturl.Parse(url)
	pw, _ := u.User.Password()
	user := u.User.Username()
	u.User = neturl.User(user)
	env := map[string]string{"COOLPAY_DB": u.String()}
	if err := keyring.Set("coolpay-db", user+"@"+u.Hostname(), "wrong-"+pw); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(env, nil, "seed", "--count", "3")
	if code != 1 || !strings.Contains(errOut, "password authentication failed") || strings.Contains(out+errOut, "wrong-"+pw) {
		t.Fatalf("wrong password from the keyring: exit %d\n%s%s", code, out, errOut)
	}
	if err := keyring.Set("coolpay-db", user+"@"+u.Hostname(), pw); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCLI(env, nil, "seed", "--count", "3")
	if code != 0 || strings.Contains(out+errOut, pw) {
		t.Fatalf("password from the keyring: exit %d\n%s%s", code, out, errOut)
	}
}
