package e2e

import (
	"strings"
	"testing"
)

// TestExtraArgumentsAreUnexpected: a command that takes no arguments (or a
// fixed number) says so, not "unknown command"; exit 2, nothing on stdout.
// A group of commands still calls a stray word an unknown command.
func TestExtraArgumentsAreUnexpected(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"history", "extra"}, nil, `unexpected argument "extra": coolpay history takes no arguments`},
		{[]string{"report", "today"}, nil, `unexpected argument "today": coolpay report takes no arguments`},
		{[]string{"balance", "x", "y"}, nil, `unexpected argument "x": coolpay balance takes no arguments`},
		{[]string{"doctor", "now"}, nil, `unexpected argument "now": coolpay doctor takes no arguments`},
		{[]string{"status", "a", "b"}, nil, `unexpected argument "b": coolpay status takes only REF`},
		{[]string{"status"}, nil, `coolpay status takes 1 argument(s): REF (got 0)`},
		{[]string{"config", "set", "theme", "dark", "now", "--lang", "fr"}, nil, `argument inattendu "now" : coolpay config set n'attend que KEY VALUE`},
		{[]string{"history", "extra", "--lang", "fr"}, nil, `argument inattendu "extra" : coolpay history ne prend aucun argument`},
		{[]string{"receipt"}, []string{"LANG=fr_FR.UTF-8"}, `coolpay receipt attend 1 argument(s) : REF (reçu : 0)`},
		{[]string{"keys", "rotate"}, nil, `unknown command "rotate" for "coolpay keys"`},
	} {
		out, errs, code := runSplit(t, bin, tc.env, tc.args...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q (want %q)", tc.args, code, out, errs, tc.want)
		}
		if strings.Contains(errs, "unknown command") != strings.HasPrefix(tc.want, "unknown command") {
			t.Errorf("%v: %q", tc.args, errs)
		}
	}
}

// TestCobraSpeaksFrench: under --lang fr (or a French LANG) cobra's own
// words are French too: flag errors, even when --lang comes after the bad
// flag, the help's headings and placeholders, its help flag and defaults.
func TestCobraSpeaksFrench(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"history", "--bogus", "--lang", "fr"}, nil, "option inconnue : --bogus"},
		{[]string{"--lang=fr", "history", "-z"}, nil, "option inconnue : -z"},
		{[]string{"history", "--limit", "beaucoup"}, []string{"LANG=fr_CM.UTF-8"}, `--limit "beaucoup" : indiquez un nombre entier`},
		{[]string{"history", "--json=peut-être", "--lang", "fr"}, nil, `--json "peut-être" : indiquez true ou false`},
		{[]string{"history", "--lang", "fr", "--since"}, nil, "l'option --since attend une valeur"},
		{[]string{"kyes", "--lang", "fr"}, nil, "commande inconnue \"kyes\" pour \"coolpay\"\n\nVouliez-vous dire :\n\tkeys"},
		{[]string{"help", "nonsense", "--lang", "fr"}, nil, `sujet d'aide inconnu "nonsense"`},
		{[]string{"completion", "tcsh", "--lang", "fr"}, nil, `shell inconnu "tcsh"`},
		{[]string{"history", "--type", "FOO", "--lang", "fr"}, nil, `--type "FOO" : utilisez PAYIN, PAYOUT ou PAYLINK`},
		{[]string{"sandbox", "--confirm-after", "bientôt", "--lang", "fr"}, nil, `--confirm-after "bientôt" : indiquez une durée, par ex. 2s ou 1m30s`},
		{[]string{"report", "--json", "--csv", "--lang", "fr"}, nil, "choisissez --json ou --csv, pas les deux"},
	} {
		out, errs, code := runSplit(t, bin, tc.env, tc.args...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "' pour l'aide.") {
			t.Errorf("%v: code %d, stdout %q, stderr %q (want %q)", tc.args, code, out, errs, tc.want)
		}
	}

	english := []string{"Usage:", "Flags:", "Examples:", "Available Commands:", "Global Flags:", "help for", "(default", "[flags]", "[command]", "for more information"}
	for _, args := range [][]string{{"--help", "--lang", "fr"}, {"keys", "--help", "--lang", "fr"}, {"help", "history", "--lang", "fr"}} {
		out, errs, code := runSplit(t, bin, nil, args...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: code %d, stderr %q", args, code, errs)
		}
		for _, w := range english {
			if strings.Contains(out, w) {
				t.Errorf("%v: %q in the French help:\n%s", args, w, out)
			}
		}
		for _, w := range []string{"Utilisation :", "Exemples :", "Options :"} {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in the French help:\n%s", args, w, out)
			}
		}
	}
	out, _, _ := runSplit(t, bin, nil, "--help", "--lang", "fr")
	for _, w := range []string{"Commandes disponibles :", "-h, --help                  aide de coolpay", "Aide sur une commande", "Lancez « coolpay [commande] --help »"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in the root's French help:\n%s", w, out)
		}
	}
	out, _, _ = runSplit(t, bin, []string{"LANG=fr_FR.UTF-8"}, "keys", "--help")
	for _, w := range []string{"Options globales :", "coolpay keys [commande]", "aide de keys"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in keys' French help:\n%s", w, out)
		}
	}
	out, _, _ = runSplit(t, bin, nil, "history", "--help", "--lang", "fr")
	if !strings.Contains(out, "coolpay history [options]") || !strings.Contains(out, "(par défaut : 50)") {
		t.Errorf("history's French help:\n%s", out)
	}
	// English stays cobra's.
	out, _, _ = runSplit(t, bin, nil, "keys", "--help")
	for _, w := range []string{"Usage:\n  coolpay keys [flags]\n  coolpay keys [command]", "Available Commands:", "Flags:\n  -h, --help   help for keys", "Global Flags:",
		`Use "coolpay keys [command] --help" for more information about a command.`} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in the English help:\n%s", w, out)
		}
	}
}

// TestDatesTheLedgerCannotHold: a date before 1678 or after 2261 would wrap
// the ledger's int64 nanoseconds and turn the filter inside out (9999
// listed everything, 1600 nothing): every command that takes a date refuses
// it as a usage error, as it does --since after --until. Dates inside still
// filter.
func TestDatesTheLedgerCannotHold(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t) // three records on 2026-11-20
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"history", "--since", "9999-12-31"}, `--since "9999-12-31" is out of range: the ledger keeps dates from 1678-01-01 to 2261-12-31`},
		{[]string{"history", "--since", "1600-01-01"}, `--since "1600-01-01" is out of range`},
		{[]string{"history", "--until", "1677-12-31"}, `--until "1677-12-31" is out of range`},
		{[]string{"history", "--until", "2262-01-01T00:00:00Z"}, `--until "2262-01-01T00:00:00Z" is out of range`},
		{[]string{"history", "--since", "0001-01-01", "--json"}, `--since "0001-01-01" is out of range`},
		{[]string{"history", "--since", "yesterday"}, `--since "yesterday" is not a date (use YYYY-MM-DD or RFC 3339)`},
		{[]string{"history", "--since", "2026-11-21", "--until", "2026-11-20"}, `--since 2026-11-21 must come before --until 2026-11-20`},
		{[]string{"history", "--since", "2026-11-21", "--until", "2026-11-20", "--lang", "fr"}, `--since 2026-11-21 doit précéder --until 2026-11-20`},
		{[]string{"report", "--date", "3000-01-01"}, `--date "3000-01-01" is out of range`},
		{[]string{"report", "--date", "1600-06-01", "--lang", "fr"}, `--date "1600-06-01" est hors limites : le registre garde les dates du 1678-01-01 au 2261-12-31`},
		{[]string{"report", "--date", "20/11/2026"}, `--date "20/11/2026": use YYYY-MM-DD`},
	} {
		out, errs, code := runSplit(t, bin, nil, append([]string{"--db", db}, tc.args...)...)
		if code != 2 || out != "" || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: code %d, stdout %q, stderr %q (want %q)", tc.args, code, out, errs, tc.want)
		}
	}
	for _, tc := range []struct {
		args []string
		rows int
	}{
		{[]string{"history", "--since", "1678-01-01", "--until", "2261-12-31", "--csv"}, 3},
		{[]string{"history", "--since", "2026-11-20", "--until", "2026-11-20", "--csv"}, 3},
		{[]string{"history", "--since", "2261-12-31", "--csv"}, 0},
		{[]string{"history", "--until", "1678-01-01", "--csv"}, 0},
	} {
		out, errs, code := runSplit(t, bin, []string{"TZ=Africa/Douala"}, append([]string{"--db", db}, tc.args...)...)
		if n := strings.Count(out, "\n") - 1; code != 0 || n != tc.rows {
			t.Errorf("%v: code %d, %d rows, want %d; stderr %q\n%s", tc.args, code, n, tc.rows, errs, out)
		}
	}
}

// TestHistoryFooterOnStderr: the "N shown, --limit for more" note is for
// the person at the terminal; piped, stdout holds the table alone.
func TestHistoryFooterOnStderr(t *testing.T) {
	bin := buildBinary(t)
	db := knownLedger(t)
	out, errs, code := runSplit(t, bin, nil, "--db", db, "history", "--limit", "2")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "Time") {
		t.Fatalf("code %d, stdout is not the header and two rows:\n%s", code, out)
	}
	if strings.Contains(out, "shown") || !strings.Contains(errs, "2 shown, newest first; --limit N for more") {
		t.Fatalf("footer: stdout %q, stderr %q", out, errs)
	}
	// All listed: no note at all.
	out, errs, _ = runSplit(t, bin, nil, "--db", db, "history", "--lang", "fr")
	if errs != "" || strings.Count(out, "\n") != 4 {
		t.Fatalf("whole ledger: stderr %q, stdout:\n%s", errs, out)
	}
}
