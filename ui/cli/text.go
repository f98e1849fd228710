package cli

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/coolpay/coolpay/store"
	"github.com/coolpay/coolpay/ui/i18n"
	"github.com/coolpay/coolpay/ui/safe"
	"github.com/coolpay/coolpay/ui/text"
)

// Lang is the language of human-readable output: --lang, then the
// console's saved setting (db may be nil), then LC_ALL / LC_MESSAGES /
// LANG / LANGUAGE, then English. --json and --csv never depend on it.
func (f *Factory) Lang(db *store.DB) i18n.Lang {
	if l := f.Globals.Lang; l == "en" || l == "fr" {
		return i18n.Lang(l) // even with no ledger to read
	}
	return f.Config(db).UILang()
}

// T is the translator for human-readable output (see Lang).
func (f *Factory) T(db *store.DB) *i18n.Translator { return i18n.New(f.Lang(db)) }

// amountText is an amount as the console shows it, in t's language
// (text.Amount): "50 500 XAF", "10,50 EUR" in French.
func amountText(t *i18n.Translator, amount, currency string) string {
	return text.Amount(t.Lang(), amount, currency)
}

// inert makes text from outside (the API, callbacks, the ledger) safe to
// print on a terminal; one sanitizer for the console and the commands
// (ui/safe).
func inert(s string) string { return safe.Line(s) }

// table lays out rows in columns padded to their widest cell (counted in
// characters, so accents do not shift the columns). Cells are made inert.
type table struct {
	rows  [][]string
	right map[int]bool // columns aligned right (amounts)
}

func (t *table) add(cells ...string) {
	for i := range cells {
		cells[i] = inert(cells[i])
	}
	t.rows = append(t.rows, cells)
}

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if t.right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}
