package mime

import (
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzMIME checks parse and serialize: a parsed type serializes to a
// string that parses back to the same type and serializes to itself
// (serialize→parse idempotence), through both the text and the bytes
// parser; the essence is lowercase and made of tokens.
func FuzzMIME(f *testing.F) {
	for _, s := range []string{"text/html", "TEXT/HTML; Charset=UTF-8", ` text/plain ; a="b\"c" ;; a=d`,
		`multipart/form-data; boundary="--x y"`, "a/b;c=;d", "x/y;\xe9=\xe9", "x/y;k=\"\xff\"", "image/svg+xml;q",
		"text/html;charset=\"utf-8", "/", "a/", "\x00/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, parse := range []struct {
			name string
			fn   func(string) (*Type, bool)
		}{{"Parse", Parse}, {"ParseBytes", ParseBytes}} {
			mt, ok := parse.fn(s)
			if !ok {
				continue
			}
			if !IsToken(mt.Type) || !IsToken(mt.Subtype) || lowerASCII(mt.Essence()) != mt.Essence() {
				t.Fatalf("%s(%q): bad essence %q", parse.name, s, mt.Essence())
			}
			seen := map[string]bool{}
			for _, p := range mt.Params {
				if !IsToken(p.Name) || seen[p.Name] || lowerASCII(p.Name) != p.Name {
					t.Fatalf("%s(%q): bad or duplicate parameter name %q", parse.name, s, p.Name)
				}
				seen[p.Name] = true
			}
			ser := mt.String()
			if parse.name == "ParseBytes" {
				ser = mt.Bytes()
			}
			again, ok := parse.fn(ser)
			if !ok {
				t.Fatalf("%s(%q) serializes to %q, which does not parse", parse.name, s, ser)
			}
			if diff := cmp.Diff(mt, again); diff != "" {
				t.Fatalf("%s(%q) → %q reparses differently (-first +second)\n%s", parse.name, s, ser, diff)
			}
			if parse.name == "Parse" && utf8.ValidString(s) {
				if ser2 := again.String(); ser2 != ser {
					t.Fatalf("serialization not stable: %q then %q", ser, ser2)
				}
			}
			if c := mt.Clone(); !cmp.Equal(c, mt) {
				t.Fatalf("Clone differs: %v vs %v", c, mt)
			}
		}
	})
}

// lowerASCII lowercases ASCII letters.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
