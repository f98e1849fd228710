package i18n

import "testing"

func TestEveryMessageHasBothLanguages(t *testing.T) {
	for k, m := range catalog() {
		if m.en == "" || m.fr == "" {
			t.Errorf("message %q lacks a language: en=%q fr=%q", k, m.en, m.fr)
		}
	}
}

func TestFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := FromEnv(env(map[string]string{"LANG": "fr_CM.UTF-8"})); got != FR {
		t.Errorf("LANG=fr_CM: got %s", got)
	}
	if got := FromEnv(env(map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR"})); got != EN {
		t.Errorf("LC_ALL wins: got %s", got)
	}
	if got := FromEnv(env(map[string]string{})); got != EN {
		t.Errorf("empty env: got %s", got)
	}
	if New(FR).T("tab.history") != "Historique" || New(EN).T("tab.history") != "History" {
		t.Error("lookup by language broken")
	}
}
