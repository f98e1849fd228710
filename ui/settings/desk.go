package settings

import (
	"errors"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/coolpay/coolpay/ui/common"
	"github.com/coolpay/coolpay/ui/components"
	"github.com/coolpay/coolpay/ui/core"
	"github.com/coolpay/coolpay/ui/internal/config"
	"github.com/coolpay/coolpay/ui/safe"
)

// The cashier's desk rows: who is at the till (recorded on every new
// transaction) and the shop's name (printed at the top of receipts).
// Both are plain settings in the ledger, so `coolpay config` and other
// processes see the same values.

// deskValues is what the two rows show.
type deskValues struct {
	cashier  string // "" = not set: the OS user is used
	merchant string
	osUser   string
	// ledger is the ledger open (a URL without its password), ledgerFrom
	// what chose it: --db, COOLPAY_DB, this desk's ledger setting, or
	// nothing (the default).
	ledger     string
	ledgerFrom config.Source
}

type deskSavedMsg struct {
	item  int
	value string
	err   error
}

// updateDesk handles the desk rows' own messages; ok says it did.
func (m *Model) updateDesk(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case deskSavedMsg:
		m.working = false
		if msg.err != nil {
			return status(common.StatusError, m.c.T.T("settings.error.save", msg.err)), true
		}
		if msg.item == itemCashier {
			m.desk.cashier = msg.value
			// The next payment records the new name; the service keeps
			// it rather than reading the ledger at each payment.
			m.c.Svc.SetCashier(msg.value)
		} else {
			m.desk.merchant = msg.value
		}
		return status(common.StatusOK, m.c.T.T("settings.saved")), true
	}
	return nil, false
}

// deskRows adds the two rows to the view.
func (m *Model) deskRows(row func(item int, label, value string)) {
	st, t := m.c.Styles, m.c.T
	cashier := safe.Line(m.desk.cashier)
	if cashier == "" {
		cashier = m.desk.osUser + st.Muted.Render(" ("+t.T("settings.cashier.os")+")")
		if m.desk.osUser == "" {
			cashier = st.Muted.Render("—")
		}
	}
	row(itemCashier, t.T("settings.cashier"), cashier)
	merchant := safe.Line(m.desk.merchant)
	if merchant == "" {
		merchant = st.Muted.Render("—")
	}
	row(itemMerchant, t.T("settings.merchant"), merchant)
	ledger := safe.Line(m.desk.ledger)
	if ledger == "" {
		ledger = st.Muted.Render("—")
	} else {
		from := map[config.Source]string{config.FromFlag: "--db", config.FromEnv: config.EnvDB,
			config.FromLedger: t.T("setup.ledger.remembered")}[m.desk.ledgerFrom]
		if from == "" {
			from = t.T("settings.default")
		}
		ledger += st.Muted.Render(" (" + from + ")")
	}
	row(itemLedger, t.T("setup.ledger"), ledger)
}

// editLabel is the title over the edit box.
func (m *Model) editLabel() string {
	t := m.c.T
	switch m.sel {
	case itemBaseURL:
		return t.T("settings.base_url")
	case itemPrivateKey:
		return t.T("settings.private_key")
	case itemCashier:
		return t.T("settings.cashier")
	case itemMerchant:
		return t.T("settings.merchant")
	}
	return t.T("settings.public_key")
}

func (m *Model) editDesk() {
	m.input.CharLimit = core.MaxCashierLen
	if m.sel == itemCashier {
		m.input.SetValue(m.desk.cashier)
		if m.desk.osUser != "" {
			m.input.Placeholder = components.Placeholder(m.c.T, m.desk.osUser) // "(e.g. awa)": not typed text
		}
	} else {
		m.input.SetValue(m.desk.merchant)
	}
}

// saveDesk stores a name; an empty one unsets it (the cashier is then the
// OS user again).
func (m *Model) saveDesk(v string) tea.Cmd {
	clean := core.CleanCashier(v)
	if clean != v {
		m.inputErr = m.c.T.T("settings.error.name")
		return nil
	}
	item, db := m.sel, m.c.Store
	key := common.SettingCashier
	if item == itemMerchant {
		key = common.SettingMerchantName
	}
	m.stopEdit()
	m.input.CharLimit = 512
	m.working, m.workingFor = true, item
	return func() tea.Msg {
		if db == nil {
			return deskSavedMsg{item: item, err: errors.New("no ledger")}
		}
		return deskSavedMsg{item: item, value: clean, err: db.SetSetting(key, clean)}
	}
}
