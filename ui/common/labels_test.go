package common

import "testing"

func TestGroupDigits(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "999": "999", "1000": "1 000", "1500000": "1 500 000",
		"-4000000": "-4 000 000", "10.5": "10.5", "12345.25": "12 345.25", "abc": "abc", "": "",
	} {
		if got := GroupDigits(in); got != want {
			t.Errorf("GroupDigits(%q) = %q, want %q", in, got, want)
		}
	}
}
