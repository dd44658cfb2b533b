package ascii

import "testing"

func TestLower(t *testing.T) {
	for in, want := range map[string]string{"": "", "abc": "abc", "Content-TYPE": "content-type", "ÄB\xff": "Äb\xff", "X-1": "x-1"} {
		if got := Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Content-Type", "content-type", true},
		{"", "", true},
		{"a", "ab", false},
		{"@", "`", false}, // differ only in bit 0x20 but are not letters
		{"[", "{", false},
		{"ß", "SS", false},
		{"\xc4", "\xe4", false}, // Latin-1 Ä/ä are not ASCII
	}
	for _, tc := range tests {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !HasPrefixFold("Sec-Fetch-Mode", "sec-") || HasPrefixFold("Se", "sec-") {
		t.Error("HasPrefixFold")
	}
}

func TestHex(t *testing.T) {
	for c := 0; c < 256; c++ {
		v, ok := Unhex(byte(c))
		var want byte
		wantOK := true
		switch {
		case c >= '0' && c <= '9':
			want = byte(c - '0')
		case c >= 'a' && c <= 'f':
			want = byte(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			want = byte(c - 'A' + 10)
		default:
			wantOK = false
		}
		if ok != wantOK || v != want || IsHex(byte(c)) != wantOK {
			t.Errorf("byte %#x: Unhex = %d,%v IsHex = %v", c, v, ok, IsHex(byte(c)))
		}
	}
}
