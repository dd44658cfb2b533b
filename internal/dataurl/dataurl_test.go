package dataurl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/wptdata"
)

// serializeDataURL stands in for what fetch does before the data: URL
// processor runs: parse the URL with the URL parser, then serialize it with
// "exclude fragment". For data: URLs, which have opaque paths (or, written
// as "data://host/...", a non-special host), that comes down to:
//   - strip leading and trailing C0 controls and spaces, remove tabs and
//     newlines;
//   - fail when an authority ("//host:port") has a port that is not digits;
//   - drop the fragment;
//   - percent-encode C0 controls and bytes above 0x7E (the C0 control
//     percent-encode set), and a space just before "?" or "#".
//
// Only this much of the URL parser is needed for the WPT vectors; the real
// caller uses weburl. (Queries would use the query percent-encode
// set, which adds space, '"', '<' and '>'; no vector has a query.)
func serializeDataURL(input string) (string, bool) {
	isC0OrSpace := func(c byte) bool { return c <= 0x20 }
	i, j := 0, len(input)
	for i < j && isC0OrSpace(input[i]) {
		i++
	}
	for j > i && isC0OrSpace(input[j-1]) {
		j--
	}
	input = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(input[i:j])
	if len(input) < 5 || !strings.EqualFold(input[:5], "data:") {
		return "", false
	}
	rest := input[5:]
	// Fragment and the space-before-"#" rule.
	if k := strings.IndexByte(rest, '#'); k >= 0 {
		if k > 0 && rest[k-1] == ' ' {
			rest = rest[:k-1] + "%20"
		} else {
			rest = rest[:k]
		}
	}
	if strings.HasPrefix(rest, "//") {
		end := strings.IndexAny(rest[2:], "/?")
		authority := rest[2:]
		if end >= 0 {
			authority = rest[2 : 2+end]
		}
		if _, hostPort, found := strings.Cut(authority, "@"); found {
			authority = hostPort
		}
		if k := strings.LastIndexByte(authority, ':'); k >= 0 {
			for _, c := range []byte(authority[k+1:]) {
				if c < '0' || c > '9' {
					return "", false // invalid port: the URL parser fails
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("data:")
	for k := 0; k < len(rest); k++ {
		c := rest[k]
		switch {
		case c < 0x20 || c > 0x7E:
			fmt.Fprintf(&b, "%%%02X", c)
		case c == ' ' && k+1 < len(rest) && rest[k+1] == '?':
			b.WriteString("%20")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// TestWPTDataURLs runs fetch/data-urls/resources/data-urls.json the way
// fetch/data-urls/processing.any.js does: a null MIME type means fetch
// rejects; otherwise the body bytes and the Content-Type must match.
func TestWPTDataURLs(t *testing.T) {
	var cases [][]any
	wptdata.JSON(t, "fetch/data-urls/resources/data-urls.json", &cases)
	passed, failed := 0, 0
	for _, c := range cases {
		input := c[0].(string)
		var wantType *string
		var wantBody []byte
		if s, ok := c[1].(string); ok {
			wantType = &s
			for _, v := range c[2].([]any) {
				wantBody = append(wantBody, byte(v.(float64)))
			}
		}
		ok := func() bool {
			serialized, parsed := serializeDataURL(input)
			var res *Result
			var err error
			if parsed {
				res, err = Process(serialized)
			} else {
				err = errors.New("URL parser failure")
			}
			if wantType == nil {
				if err == nil {
					t.Errorf("%q: got %q %v, want failure", input, res.MIMEType.Bytes(), res.Body)
					return false
				}
				return true
			}
			if err != nil {
				t.Errorf("%q: %v, want %q", input, err, *wantType)
				return false
			}
			got := res.MIMEType.Bytes()
			if got != *wantType || !cmp.Equal(res.Body, wantBody, cmpBytes) {
				t.Errorf("%q: got %q %v, want %q %v", input, got, res.Body, *wantType, wantBody)
				return false
			}
			return true
		}()
		if ok {
			passed++
		} else {
			failed++
		}
	}
	t.Logf("data-urls.json: %d passed, %d failed", passed, failed)
}

// cmpBytes treats nil and empty byte slices alike.
var cmpBytes = cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })

// TestWPTBase64 runs fetch/data-urls/resources/base64.json the way
// fetch/data-urls/base64.any.js does: each input becomes
// "data:;base64," + input; null output means fetch rejects.
func TestWPTBase64(t *testing.T) {
	var cases [][]any
	wptdata.JSON(t, "fetch/data-urls/resources/base64.json", &cases)
	passed, failed := 0, 0
	for _, c := range cases {
		input := c[0].(string)
		var want []byte
		wantOK := c[1] != nil
		if wantOK {
			for _, v := range c[1].([]any) {
				want = append(want, byte(v.(float64)))
			}
		}
		ok := true
		// Through the data: URL processor, as the WPT test does.
		serialized, parsed := serializeDataURL("data:;base64," + input)
		var res *Result
		var err error = errors.New("URL parser failure")
		if parsed {
			res, err = Process(serialized)
		}
		if wantOK != (err == nil) || (err == nil && !cmp.Equal(res.Body, want, cmpBytes)) {
			ok = false
			t.Errorf("data:;base64,%q: got %v, %v; want %v (ok=%v)", input, bodyOf(res), err, want, wantOK)
		}
		// And directly.
		got, gotOK := ForgivingBase64Decode(input)
		if gotOK != wantOK || (gotOK && !cmp.Equal(got, want, cmpBytes)) {
			ok = false
			t.Errorf("ForgivingBase64Decode(%q) = %v, %v; want %v, %v", input, got, gotOK, want, wantOK)
		}
		if ok {
			passed++
		} else {
			failed++
		}
	}
	t.Logf("base64.json: %d passed, %d failed", passed, failed)
}

func bodyOf(r *Result) []byte {
	if r == nil {
		return nil
	}
	return r.Body
}

func TestProcess(t *testing.T) {
	tests := []struct {
		in       string
		wantType string
		wantBody string
		wantErr  bool
	}{
		{"data:,Hello%2C%20World%21", "text/plain;charset=US-ASCII", "Hello, World!", false},
		{"data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==", "text/plain", "Hello, World!", false},
		{"data:text/html,%3Ch1%3EHi%3C%2Fh1%3E", "text/html", "<h1>Hi</h1>", false},
		{"DATA:,x", "text/plain;charset=US-ASCII", "x", false},
		{"data:;base64,", "text/plain;charset=US-ASCII", "", false},
		{"data:;BASE64 ,SGk", "text/plain;charset=US-ASCII", "Hi", false},
		{"data:image/png;base64,iVBORw0KGgo=", "image/png", "\x89PNG\r\n\x1a\n", false},
		{"data:text/plain;charset=utf-8;base64,4pyT", "text/plain;charset=utf-8", "✓", false},
		{"data:,%zz%4", "text/plain;charset=US-ASCII", "%zz%4", false},
		{"data:;base64,%3D%3D", "", "", true},
		{"data:;base64,A", "", "", true},
		{"data:text/plain", "", "", true},
		{"http://example.com/,x", "", "", true},
		{"", "", "", true},
	}
	for _, tt := range tests {
		res, err := Process(tt.in)
		if tt.wantErr {
			var te *errs.TypeError
			if err == nil || !errors.As(err, &te) || !errors.Is(err, errs.ErrNetwork) {
				t.Errorf("Process(%q) error = %v, want a network error in a TypeError", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Process(%q): %v", tt.in, err)
			continue
		}
		if got := res.MIMEType.Bytes(); got != tt.wantType || string(res.Body) != tt.wantBody {
			t.Errorf("Process(%q) = %q %q, want %q %q", tt.in, got, res.Body, tt.wantType, tt.wantBody)
		}
	}
}

func TestPercentDecode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"%41%42%43", "ABC"},
		{"%4a%4A", "JJ"},
		{"%", "%"},
		{"%4", "%4"},
		{"%%41", "%A"},
		{"%g1", "%g1"},
		{"%FF%00", "\xff\x00"},
		{"é%C3%A9", "éé"},
	}
	for _, tt := range tests {
		if got := string(PercentDecode(tt.in)); got != tt.want {
			t.Errorf("PercentDecode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestForgivingBase64Decode(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"YQ", "a", true},
		{"YQ==", "a", true},
		{"YR==", "a", true}, // non-zero trailing bits are allowed
		{"YWI=", "ab", true},
		{"YWJj", "abc", true},
		{" Y W\tJ\nj\f\r", "abc", true},
		{"YQ=", "", false},
		{"YQ===", "", false},
		{"Y", "", false},
		{"YWJjZ", "", false},
		{"YW=I", "", false},
		{"YQ-_", "", false},
		{"YQ\v=", "", false},
	}
	for _, tt := range tests {
		got, ok := ForgivingBase64Decode(tt.in)
		if ok != tt.ok || string(got) != tt.want {
			t.Errorf("ForgivingBase64Decode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func BenchmarkProcessBase64(b *testing.B) {
	url := "data:application/octet-stream;base64," + strings.Repeat("QUJD", 1<<16)
	b.SetBytes(int64(len(url)))
	for b.Loop() {
		if _, err := Process(url); err != nil {
			b.Fatal(err)
		}
	}
}
