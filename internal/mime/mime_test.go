package mime

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/wfetch/wfetch/internal/wptdata"
)

// mimeCase is one entry of mime-types.json / generated-mime-types.json;
// bare strings in those files are section comments.
type mimeCase struct {
	Input  string  `json:"input"`
	Output *string `json:"output"`
}

func loadCases(t *testing.T, rel string) []mimeCase {
	t.Helper()
	var raw []json.RawMessage
	wptdata.JSON(t, rel, &raw)
	var cases []mimeCase
	for _, r := range raw {
		if len(r) > 0 && r[0] == '"' {
			continue // section comment
		}
		var c mimeCase
		if err := json.Unmarshal(r, &c); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		cases = append(cases, c)
	}
	return cases
}

func TestWPTMIMETypes(t *testing.T) {
	for _, file := range []string{
		"mimesniff/mime-types/resources/mime-types.json",
		"mimesniff/mime-types/resources/generated-mime-types.json",
	} {
		t.Run(file, func(t *testing.T) {
			cases := loadCases(t, file)
			passed, failed := 0, 0
			for _, c := range cases {
				got, ok := Parse(c.Input)
				switch {
				case c.Output == nil && !ok:
					passed++
				case c.Output == nil:
					failed++
					t.Errorf("Parse(%q) = %q, want failure", c.Input, got.String())
				case !ok:
					failed++
					t.Errorf("Parse(%q) failed, want %q", c.Input, *c.Output)
				case got.String() != *c.Output:
					failed++
					t.Errorf("Parse(%q) = %q, want %q", c.Input, got.String(), *c.Output)
				default:
					passed++
				}
			}
			t.Logf("%s: %d passed, %d failed", file, passed, failed)
		})
	}
}

func TestWPTMIMEGroups(t *testing.T) {
	var raw []json.RawMessage
	wptdata.JSON(t, "mimesniff/mime-types/resources/mime-groups.json", &raw)
	groups := map[string]func(*Type) bool{
		"image": (*Type).IsImage, "audio or video": (*Type).IsAudioOrVideo,
		"font": (*Type).IsFont, "ZIP-based": (*Type).IsZIPBased, "archive": (*Type).IsArchive,
		"XML": (*Type).IsXML, "HTML": (*Type).IsHTML, "scriptable": (*Type).IsScriptable,
		"JavaScript": (*Type).IsJavaScript, "JSON": (*Type).IsJSON,
	}
	// The WPT file lists "application/font-off" as a font MIME type; the
	// standard's list has "application/font-otf" (a typo in the test data).
	// We follow the standard and count these as skipped.
	specDiffers := map[string]bool{"application/font-off": true, "application/font-off;x=x": true}
	passed, failed, skipped := 0, 0, 0
	for _, r := range raw {
		if r[0] == '"' {
			continue
		}
		var c struct {
			Input  string   `json:"input"`
			Groups []string `json:"groups"`
		}
		if err := json.Unmarshal(r, &c); err != nil {
			t.Fatal(err)
		}
		if specDiffers[c.Input] {
			skipped++
			continue
		}
		mt, ok := Parse(c.Input)
		if !ok {
			failed++
			t.Errorf("Parse(%q) failed", c.Input)
			continue
		}
		got := []string{}
		for name, f := range groups {
			if f(mt) {
				got = append(got, name)
			}
		}
		want := append([]string{}, c.Groups...)
		sort.Strings(got)
		sort.Strings(want)
		if d := cmp.Diff(want, got); d != "" {
			failed++
			t.Errorf("groups of %q (-want +got):\n%s", c.Input, d)
			continue
		}
		passed++
	}
	t.Logf("mime-groups.json: %d passed, %d failed, %d skipped (test data differs from the standard)", passed, failed, skipped)
}

func TestParseRecord(t *testing.T) {
	tests := []struct {
		in   string
		want *Type
	}{
		{"Text/HTML; Charset=\"utf-8\"", &Type{"text", "html", []Param{{"charset", "utf-8"}}}},
		{"a/b;x=1;X=2;y", &Type{"a", "b", []Param{{"x", "1"}}}},
		{"a/b;x=\"\xc3\xa9\"", &Type{"a", "b", []Param{{"x", "é"}}}},
		{"a/b;x=\"\u0100\";y=z", &Type{"a", "b", []Param{{"y", "z"}}}},
		{"a/b;x=\xff", &Type{"a", "b", nil}}, // invalid UTF-8 is not a code point ≤ U+00FF
		{"a/b;x=\"a\\", &Type{"a", "b", []Param{{"x", "a\\"}}}},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.in)
		if !ok {
			t.Errorf("Parse(%q) failed", tt.in)
			continue
		}
		if d := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, d)
		}
	}
}

func TestParseBytes(t *testing.T) {
	// Byte 0xE9 is U+00E9 when isomorphic decoded.
	got, ok := ParseBytes("text/plain;charset=\xe9")
	if !ok {
		t.Fatal("ParseBytes failed")
	}
	if v, _ := got.Param("charset"); v != "é" {
		t.Errorf("charset = %q, want %q", v, "é")
	}
	if b := got.Bytes(); b != "text/plain;charset=\"\xe9\"" {
		t.Errorf("Bytes() = %q", b)
	}
	if s := got.String(); s != "text/plain;charset=\"é\"" {
		t.Errorf("String() = %q", s)
	}
}

func TestParamsAndClone(t *testing.T) {
	mt, _ := Parse("text/plain;a=1;b=2")
	if v, ok := mt.Param("A"); !ok || v != "1" {
		t.Errorf("Param(A) = %q, %v", v, ok)
	}
	if _, ok := mt.Param("c"); ok {
		t.Error("Param(c) exists")
	}
	c := mt.Clone()
	c.SetParam("A", "x y")
	c.SetParam("C", "")
	c.DeleteParam("b")
	if got, want := c.String(), `text/plain;a="x y";c=""`; got != want {
		t.Errorf("clone = %q, want %q", got, want)
	}
	if got, want := mt.String(), "text/plain;a=1;b=2"; got != want {
		t.Errorf("original changed: %q", got)
	}
	if mt.Essence() != "text/plain" {
		t.Errorf("Essence = %q", mt.Essence())
	}
	var nilType *Type
	if nilType.Clone() != nil {
		t.Error("nil Clone")
	}
}

func TestCollectHTTPQuotedString(t *testing.T) {
	tests := []struct {
		in       string
		extract  bool
		want     string
		wantNext int
	}{
		{`"\`, false, `"\`, 2},
		{`"Hello" World`, false, `"Hello"`, 7},
		{`"Hello \\ World\""`, false, `"Hello \\ World\""`, 18},
		{`"\`, true, `\`, 2},
		{`"Hello \\ World\""`, true, `Hello \ World"`, 18},
		{`"abc`, true, `abc`, 4},
	}
	for _, tt := range tests {
		got, next := CollectHTTPQuotedString(tt.in, 0, tt.extract)
		if got != tt.want || next != tt.wantNext {
			t.Errorf("Collect(%q, %v) = %q, %d; want %q, %d", tt.in, tt.extract, got, next, tt.want, tt.wantNext)
		}
	}
}

func TestGroupHelpers(t *testing.T) {
	js, _ := Parse("Text/JavaScript;x=y")
	if !IsJavaScript(js) || IsJSON(js) || IsXML(js) || IsHTML(js) || IsScriptable(js) {
		t.Error("text/javascript groups wrong")
	}
	if IsJavaScript(nil) || IsJSON(nil) {
		t.Error("nil is in a group")
	}
	if !IsJavaScriptEssenceMatch("TEXT/ECMAScript") || IsJavaScriptEssenceMatch("text/javascript;x") {
		t.Error("essence match wrong")
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Parse("text/html; charset=\"utf-8\"; foo=bar")
	}
}

func BenchmarkString(b *testing.B) {
	mt, _ := Parse("text/html; charset=\"utf-8\"; foo=\"a b\"")
	b.ReportAllocs()
	for b.Loop() {
		_ = mt.String()
	}
}

func TestEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"", "", true}, {"abc", "ABC", true}, {"aBc", "AbC", true}, {"a", "b", false},
		{"@", "`", false}, {"[", "{", false}, {"k", "\u212a", false}, {"ab", "a", false},
		{"Z", "z", true}, {"\xc0", "\xe0", false},
	}
	for _, tt := range tests {
		if got := EqualFold(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualFold(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}
