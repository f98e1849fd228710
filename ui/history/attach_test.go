package history

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/coolpay/coolpay/client"
	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/i18n"
)

// hostileAPI stands in for the vendor: it answers checkStatus for two
// references, one the UNKNOWN payout's own, one another transaction whose
// text carries escape sequences and a spreadsheet formula.
func hostileAPI(t *testing.T, asked *int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		atomic.AddInt32(asked, 1)
		switch {
		case strings.HasSuffix(r.URL.Path, "/checkStatus/REF-GOOD"):
			fmt.Fprint(w, `{"status":"success","transaction_ref":"REF-GOOD","app_transaction_ref":"cp-lost-1","transaction_type":"PAYOUT","transaction_amount":4000,"transaction_fees":80,"transaction_currency":"XAF","transaction_operator":"CM_OM","transaction_status":"SUCCESS","transaction_message":"Transaction successful"}`)
		case strings.HasSuffix(r.URL.Path, "/checkStatus/REF-OTHER"):
			fmt.Fprint(w, `{"status":"success","transaction_ref":"REF-OTHER","app_transaction_ref":"\u001b]52;c;QUFB\u0007","transaction_type":"PAYOUT","transaction_amount":9999,"transaction_currency":"XAF","transaction_operator":"CM_OM","transaction_status":"FAILED","transaction_reason":"=HYPERLINK(\"http://evil\",\"\u001b[2J\u202eclick\")"}`)
		default:
			w.WriteHeader(404)
			fmt.Fprint(w, `{"status":"error","message":"Transaction not found"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func unknownPayout(t *testing.T, db *store.DB) store.Record {
	rec := store.Record{Type: store.TypePayout, State: store.StateUnknown, AppRef: "cp-lost-1", Amount: "4000",
		Currency: "XAF", Operator: "CM_OM", CustomerPhone: "690112233", Created: baseTime}
	if err := db.Create(&rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func onlineHarness(t *testing.T, db *store.DB, asked *int32) *harness {
	api := hostileAPI(t, asked)
	c := newCommon(db)
	c.Svc = core.New(core.Config{Store: db, Client: client.New("pk", client.WithBaseURL(api.URL+"/api"))})
	hs := &harness{t: t, m: New(c, Options{Now: fixedNow, Debounce: 1})}
	hs.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	return hs
}

// TestRefreshWithoutReferenceSaysWhatToDo: r on a record without a
// reference asks nothing and opens its detail with why and the one next
// step (find the app reference in the dashboard, press a), wrapped whole
// even at 40 columns; a then opens the attach panel. No status line (it
// would be cut), no "r asks the API" beside "press a".
func TestRefreshWithoutReferenceSaysWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		lang       i18n.Lang
		want, step string
	}{
		{i18n.EN, "r cannot ask the API about it. Find cp-lost-1 in the merchant's My-CoolPay dashboard, then press a to attach its reference", "no reference yet, so the API cannot be asked"},
		{i18n.FR, "r ne peut pas interroger l'API à son sujet. Cherchez cp-lost-1 dans le tableau de bord My-CoolPay du marchand, puis a pour rattacher sa référence", "pas encore de référence, donc l'API ne peut pas être interrogée"},
	} {
		for _, w := range []int{40, 100} {
			db := openDB(t)
			rec := unknownPayout(t, db)
			var asked int32
			h := onlineHarness(t, db, &asked)
			h.m.c.T = i18n.New(tc.lang)
			h.send(tea.WindowSizeMsg{Width: w, Height: 12 + (w-40)/3})
			h.keys("r")
			if h.m.mode != modeDetail || h.m.detailRec.ID != rec.ID {
				t.Fatalf("%s %d: r did not open the detail of #%d (mode %v)", tc.lang, w, rec.ID, h.m.mode)
			}
			if len(h.status) != 0 {
				t.Errorf("%s %d: a status line besides the detail: %+v", tc.lang, w, h.status)
			}
			v := h.m.View()
			// Wrapping may break a line at any space or after a hyphen.
			flat := func(s string) string { return strings.Join(strings.Fields(s), "") }
			got := flat(v)
			if !strings.Contains(got, flat(tc.want)) || w == 100 && !strings.Contains(got, flat(tc.step)) {
				t.Errorf("%s %d: the next step is not there whole:\n%s", tc.lang, w, v)
			}
			if strings.Contains(v, "r asks the API") || strings.Contains(v, "r interroge l'API") {
				t.Errorf("%s %d: r offered beside a: \n%s", tc.lang, w, v)
			}
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > w {
					t.Errorf("%s %d: line wider than the window: %q", tc.lang, w, l)
				}
			}
			if asked != 0 {
				t.Fatal("the API was asked about a record without a reference")
			}
			h.keys("a")
			if h.m.mode != modeAttach {
				t.Fatalf("%s %d: a after r: mode %v", tc.lang, w, h.m.mode)
			}
		}
	}
}

func TestAttachShowsTheAPIsAnswerAndAttachesOnlyWhenItAgrees(t *testing.T) {
	db := openDB(t)
	rec := unknownPayout(t, db)
	var asked int32
	h := onlineHarness(t, db, &asked)
	h.keys("enter", "a")
	if h.m.mode != modeAttach {
		t.Fatalf("a in the detail of an UNKNOWN: mode %v", h.m.mode)
	}
	h.typeText("REF-OTHER")
	h.keys("enter")
	v := h.m.View()
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\u202e", "\a"} {
		if strings.Contains(v, bad) {
			t.Fatalf("the API's text reached the screen raw (%q):\n%s", bad, v)
		}
	}
	if !strings.Contains(v, "9999") || !strings.Contains(v, "cannot be attached") || !strings.Contains(v, "^[]52") {
		t.Fatalf("the answer is not shown next to the record, with the refusal:\n%s", v)
	}
	h.keys("enter") // must not attach
	if got, _ := db.Get(rec.ID); got.TransactionRef != "" || got.State != store.StateUnknown {
		t.Fatalf("a disagreeing reference was attached: %+v", got)
	}
	for range "REF-OTHER" {
		h.keys("backspace")
	}
	h.typeText("REF-GOOD")
	h.keys("enter")
	if v := h.m.View(); !strings.Contains(v, "press enter to attach") {
		t.Fatalf("agreeing answer:\n%s", v)
	}
	if got, _ := db.Get(rec.ID); got.TransactionRef != "" {
		t.Fatal("looking up attached already")
	}
	h.keys("enter")
	got, _ := db.Get(rec.ID)
	if got.TransactionRef != "REF-GOOD" || got.State != store.StateSuccess || h.m.mode != modeDetail {
		t.Fatalf("after attach: %q %s mode %v", got.TransactionRef, got.State, h.m.mode)
	}
	if n, _ := db.Count(); n != 1 {
		t.Fatalf("%d records: attach must not add one", n)
	}
}

func TestDetailViewShowsHostileLedgerTextInert(t *testing.T) {
	db := openDB(t)
	rec := store.Record{Type: store.TypePaylink, State: store.StateCreated, AppRef: "cp-x", Amount: "100", Currency: "XAF",
		CustomerName: "\x1b[2J\x1b]0;pwned\x07Eve", Reason: "refund\u202etxt.exe", Message: "line1\nline2\r",
		PaymentURL: "javascript:alert(1)", TransactionRef: "T\u009b31m", Created: baseTime,
		Events: []store.Event{{At: baseTime, Kind: store.EvWarning, Detail: "\x1b[5mblink"}}}
	if err := db.Create(&rec); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, db, 100, 40, Options{})
	list := h.m.View()
	h.keys("enter")
	detail := h.m.View()
	for _, v := range []string{list, detail} {
		for _, bad := range []string{"\x1b[2J", "\x1b]0", "\u202e", "\u009b", "\x1b[5m", "\r", "javascript:"} {
			if strings.Contains(v, bad) {
				t.Fatalf("raw %q on screen:\n%s", bad, v)
			}
		}
	}
	if !strings.Contains(detail, "^[[2J") || !strings.Contains(detail, "refused") || !strings.Contains(detail, "blink") {
		t.Fatalf("the hostile text should be visible, inert:\n%s", detail)
	}
}
