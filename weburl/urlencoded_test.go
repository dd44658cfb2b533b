package weburl

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfetch/wfetch/internal/wptdata"
)

func TestURLEncodedParserWPT(t *testing.T) {
	var cases []struct {
		Input  string     `json:"input"`
		Output [][]string `json:"output"`
	}
	wptdata.JSON(t, "url/resources/urlencoded-parser-data.json", &cases)
	passed, failed := 0, 0
	for _, c := range cases {
		want := make([]Pair, 0, len(c.Output))
		for _, p := range c.Output {
			want = append(want, Pair{p[0], p[1]})
		}
		got := ParseURLEncoded(c.Input)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			failed++
			t.Errorf("ParseURLEncoded(%q) mismatch (-want +got):\n%s", c.Input, diff)
			continue
		}
		// Serializing and parsing again must give the same list.
		if again := ParseURLEncoded(SerializeURLEncoded(got)); !cmp.Equal(got, again, cmpopts.EquateEmpty()) {
			failed++
			t.Errorf("round trip of %q: got %q", c.Input, again)
			continue
		}
		passed++
	}
	t.Logf("urlencoded-parser-data.json: %d passed, %d failed", passed, failed)
}

func TestSerializeURLEncoded(t *testing.T) {
	tests := []struct {
		pairs []Pair
		want  string
	}{
		{nil, ""},
		{[]Pair{{"a", "b"}}, "a=b"},
		{[]Pair{{"a", ""}, {"", "b"}}, "a=&=b"},
		{[]Pair{{"a b", "c+d"}}, "a+b=c%2Bd"},
		{[]Pair{{"*-._", "!'()~"}}, "*-._=%21%27%28%29%7E"},
		{[]Pair{{"†", "\uFEFF"}}, "%E2%80%A0=%EF%BB%BF"},
		{[]Pair{{"&=", "%20"}}, "%26%3D=%2520"},
		{[]Pair{{"\x00\x7f", "a\xffb"}}, "%00%7F=a%EF%BF%BDb"},
		{[]Pair{{"😀", "\n"}}, "%F0%9F%98%80=%0A"},
	}
	for _, tt := range tests {
		if got := SerializeURLEncoded(tt.pairs); got != tt.want {
			t.Errorf("SerializeURLEncoded(%q) = %q, want %q", tt.pairs, got, tt.want)
		}
	}
}

func TestUTF8DecodeWithoutBOM(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "abc"},
		{"\xef\xbb\xbfa", "\uFEFFa"},
		{"\xe2\x80", "\uFFFD"},
		{"\xe2\x80A", "\uFFFDA"},
		{"\xf0\x9f\x98", "\uFFFD"},
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xc0\xaf", "\uFFFD\uFFFD"},
		{"\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"\xe0\x80", "\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		if got := utf8DecodeWithoutBOM([]byte(tt.in)); got != tt.want {
			t.Errorf("utf8DecodeWithoutBOM(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPercentDecode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"%25%s%1G", "%%s%1G"},
		{"‽%25%2E", "‽%."},
		{"%", "%"},
		{"%4", "%4"},
		{"%41", "A"},
		{"%4a%4A", "JJ"},
	}
	for _, tt := range tests {
		if got := string(PercentDecode(tt.in)); got != tt.want {
			t.Errorf("PercentDecode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEncodeSets(t *testing.T) {
	// The form set leaves exactly ASCII alphanumerics and *-._ unencoded.
	for c := rune(0); c < 0x80; c++ {
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		want := !(alnum || c == '*' || c == '-' || c == '.' || c == '_')
		if got := FormURLEncodedSet.Contains(c); got != want {
			t.Errorf("FormURLEncodedSet.Contains(%q) = %v", c, got)
		}
	}
	if !C0ControlSet.Contains(0x7F) || !C0ControlSet.Contains('é') || C0ControlSet.Contains('~') {
		t.Error("C0ControlSet wrong")
	}
	if got := PercentEncode("a b\"#<>`{}?^'", &PathSet); got != "a%20b%22%23%3C%3E%60%7B%7D%3F%5E'" {
		t.Errorf("PathSet encode: %s", got)
	}
}
