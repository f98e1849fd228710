// Package i18n is the console's one message catalogue, English and French.
// Screens look messages up by key; a missing key shows the key itself, and a
// test checks every key has both languages.
package i18n

import (
	"fmt"
	"os"
	"strings"
	"sync"
)

// Lang is a UI language.
type Lang string

const (
	EN Lang = "en"
	FR Lang = "fr"
)

// Translator looks messages up in one language.
type Translator struct {
	lang Lang
}

// New returns a translator for lang (anything but "fr" means English).
func New(lang Lang) *Translator {
	if lang != FR {
		lang = EN
	}
	return &Translator{lang: lang}
}

// Lang is the current language.
func (t *Translator) Lang() Lang { return t.lang }

// T returns the message for key, formatted with args (fmt verbs).
func (t *Translator) T(key string, args ...any) string {
	m, ok := catalog()[key]
	if !ok {
		return key
	}
	s := m.en
	if t.lang == FR && m.fr != "" {
		s = m.fr
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// FromEnv picks the language from LC_ALL, LC_MESSAGES, LANG, LANGUAGE.
func FromEnv(getenv func(string) string) Lang {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		v := strings.ToLower(getenv(k))
		if v == "" || v == "c" || v == "posix" {
			continue
		}
		if strings.HasPrefix(v, "fr") {
			return FR
		}
		return EN
	}
	return EN
}

type msg struct{ en, fr string }

// catalog merges the per-area message tables (each area owns one file),
// once, on first use: a command that prints nothing translated (coolpay
// history --json) never pays for building the maps.
var catalog = sync.OnceValue(func() map[string]msg {
	return merge(appMessages(), payMessages(), cliMessages(), batchMessages(), batchUIMessages(), todayMessages(), coreMessages(), configMessages(), batchSafetyMessages(), ledgerMessages(), outageMessages())
})

func merge(tables ...map[string]msg) map[string]msg {
	out := map[string]msg{}
	for _, t := range tables {
		for k, v := range t {
			if _, dup := out[k]; dup {
				panic("i18n: duplicate key " + k)
			}
			out[k] = v
		}
	}
	return out
}
