package sri

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Digests of the body "top" (fetch/api/resources/top.txt in WPT), taken from
// fetch/api/basic/integrity.sub.any.js.
const (
	topSha256                   = "sha256-KHIDZcXnR2oBHk9DrAA+5fFiR6JjudYjqoXtMR1zvzk="
	topSha384                   = "sha384-MgZYnnAzPM/MjhqfOIMfQK5qcFvGZsGLzx4Phd7/A8fHTqqLqXqKo8cNzY3xEPTL"
	topSha512                   = "sha512-D6yns0qxG0E7+TwkevZ4Jt5t7Iy3ugmAajG/dlf6Pado1JqTyneKXICDiqFIkLMRExgtvg8PlxbKTkYfRejSOg=="
	topSha512wrongpadding       = "sha512-D6yns0qxG0E7+TwkevZ4Jt5t7Iy3ugmAajG/dlf6Pado1JqTyneKXICDiqFIkLMRExgtvg8PlxbKTkYfRejSOg"
	topSha512base64url          = "sha512-D6yns0qxG0E7-TwkevZ4Jt5t7Iy3ugmAajG_dlf6Pado1JqTyneKXICDiqFIkLMRExgtvg8PlxbKTkYfRejSOg=="
	topSha512base64urlNoPadding = "sha512-D6yns0qxG0E7-TwkevZ4Jt5t7Iy3ugmAajG_dlf6Pado1JqTyneKXICDiqFIkLMRExgtvg8PlxbKTkYfRejSOg"
	invalidSha256               = "sha256-dKUcPOn/AlUjWIwcHeHNqYXPlvyGiq+2dWOdFcE+24I="
	invalidSha512               = "sha512-oUceBRNxPxnY60g/VtPCj2syT4wo4EZh2CgYdWy9veW8+OsReTXoh7dizMGZafvx9+QhMS39L/gIkxnPIn41Zg=="
	topBody                     = "top"
	topSha256Val                = "KHIDZcXnR2oBHk9DrAA+5fFiR6JjudYjqoXtMR1zvzk="
	topSha384Val                = "MgZYnnAzPM/MjhqfOIMfQK5qcFvGZsGLzx4Phd7/A8fHTqqLqXqKo8cNzY3xEPTL"
	topSha512Val                = "D6yns0qxG0E7+TwkevZ4Jt5t7Iy3ugmAajG/dlf6Pado1JqTyneKXICDiqFIkLMRExgtvg8PlxbKTkYfRejSOg=="
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want []Metadata
	}{
		{"", nil},
		{"   \t\n ", nil},
		{topSha256, []Metadata{{"sha256", topSha256Val}}},
		{"SHA256-abc", []Metadata{{"sha256", "abc"}}},
		{"sha256-abc?foo", []Metadata{{"sha256", "abc"}}},
		{"sha256-abc?foo?bar sha384-def?", []Metadata{{"sha256", "abc"}, {"sha384", "def"}}},
		{"sha256", []Metadata{{"sha256", ""}}},
		{"sha256-", []Metadata{{"sha256", ""}}},
		{"md5-abc sha1-def sha-256-x sha256abc sha512-xyz", []Metadata{{"sha512", "xyz"}}},
		{"  sha256-a \n\tsha384-b  ", []Metadata{{"sha256", "a"}, {"sha384", "b"}}},
		{"sha512-a-b_c", []Metadata{{"sha512", "a-b_c"}}},
		{"-abc", nil},
		{"?sha256-abc", nil},
	}
	for _, tt := range tests {
		got := Parse(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestStrongestMetadata(t *testing.T) {
	a256, b256 := Metadata{"sha256", "a"}, Metadata{"sha256", "b"}
	a384, b384 := Metadata{"sha384", "a"}, Metadata{"sha384", "b"}
	a512 := Metadata{"sha512", "a"}
	tests := []struct {
		in, want []Metadata
	}{
		{nil, nil},
		{[]Metadata{a256}, []Metadata{a256}},
		{[]Metadata{a256, b256}, []Metadata{a256, b256}},
		{[]Metadata{a256, a384, b256}, []Metadata{a384}},
		{[]Metadata{a384, a256, b384}, []Metadata{a384, b384}},
		{[]Metadata{a256, a384, a512}, []Metadata{a512}},
		{[]Metadata{a512, a384, a256}, []Metadata{a512}},
		{[]Metadata{{"md5", "x"}, a256}, []Metadata{a256}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, StrongestMetadata(tt.in)); diff != "" {
			t.Errorf("StrongestMetadata(%v) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestApplyAlgorithm(t *testing.T) {
	for _, tt := range []struct{ alg, want string }{
		{"sha256", topSha256Val}, {"sha384", topSha384Val}, {"SHA512", topSha512Val}, {"md5", ""},
	} {
		if got := ApplyAlgorithm(tt.alg, []byte(topBody)); got != tt.want {
			t.Errorf("ApplyAlgorithm(%q) = %q, want %q", tt.alg, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		name     string
		metadata string
		body     string
		want     bool
	}{
		// The cases of fetch/api/basic/integrity.sub.any.js.
		{"empty string integrity", "", topBody, true},
		{"SHA-256", topSha256, topBody, true},
		{"SHA-384", topSha384, topBody, true},
		{"SHA-512", topSha512, topBody, true},
		{"SHA-512 missing padding", topSha512wrongpadding, topBody, true},
		{"SHA-512 base64url", topSha512base64url, topBody, true},
		{"SHA-512 base64url missing padding", topSha512base64urlNoPadding, topBody, true},
		{"invalid", invalidSha256, topBody, false},
		{"valid stronger than invalid", invalidSha256 + " " + topSha384, topBody, true},
		{"invalid stronger than valid", invalidSha512 + " " + topSha384, topBody, false},
		{"invalid as strong as valid", invalidSha512 + " " + topSha512, topBody, true},
		{"both valid", topSha384 + " " + topSha512, topBody, true},
		{"both invalid", invalidSha256 + " " + invalidSha512, topBody, false},
		// More.
		{"wrong body", topSha256, "tops", false},
		{"empty body", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "", true},
		{"only unknown algorithms", "md5-abc sha1-def", topBody, true},
		{"unknown plus valid", "md5-abc " + topSha256, topBody, true},
		{"unknown plus invalid", "md5-abc " + invalidSha256, topBody, false},
		{"options ignored", topSha256 + "?foo", topBody, true},
		{"options on a wrong digest", invalidSha256 + "?foo", topBody, false},
		{"whitespace around", "\t\n " + topSha384 + " \r\n", topBody, true},
		{"newline separated", invalidSha384() + "\n" + topSha384, topBody, true},
		{"uppercase algorithm", "SHA256-" + topSha256Val, topBody, true},
		{"invalid base64", "sha256-!!!!", topBody, false},
		{"no digest", "sha256", topBody, false},
		{"empty digest", "sha256-", topBody, false},
		{"digest is case-sensitive", "sha256-" + strings.ToLower(topSha256Val), topBody, false},
		{"truncated digest", topSha256[:len(topSha256)-4], topBody, false},
		{"whitespace only", "   ", topBody, true},
	}
	for _, tt := range tests {
		if got := Match(tt.metadata, []byte(tt.body)); got != tt.want {
			t.Errorf("%s: Match(%q, %q) = %v, want %v", tt.name, tt.metadata, tt.body, got, tt.want)
		}
	}
}

func invalidSha384() string {
	return "sha384-" + ApplyAlgorithm("sha384", []byte("other"))
}

func TestVerifierStreaming(t *testing.T) {
	body := strings.Repeat("streamed body ", 10000)
	meta := "sha384-" + ApplyAlgorithm("sha384", []byte(body)) + " sha256-bogus"
	v, ok := NewVerifier(meta)
	if !ok {
		t.Fatal("NewVerifier: ok = false, want true")
	}
	if got := v.Algorithm(); got != "sha384" {
		t.Errorf("Algorithm() = %q, want sha384", got)
	}
	var w io.Writer = v
	if _, err := io.Copy(w, io.LimitReader(strings.NewReader(body), int64(len(body)))); err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Error("OK() = false after streaming the matching body")
	}
	if !v.OK() {
		t.Error("second OK() = false")
	}

	v2, _ := NewVerifier(meta)
	io.WriteString(v2, body[:len(body)-1])
	if v2.OK() {
		t.Error("OK() = true for a truncated body")
	}

	v3, ok := NewVerifier("md5-xyz")
	if ok {
		t.Error("NewVerifier(unknown only): ok = true, want false")
	}
	io.WriteString(v3, "anything")
	if !v3.OK() || v3.Algorithm() != "" {
		t.Errorf("verifier without metadata: OK()=%v Algorithm()=%q, want true, \"\"", v3.OK(), v3.Algorithm())
	}
}

func BenchmarkVerifier1MiB(b *testing.B) {
	buf := make([]byte, 1<<20)
	meta := "sha512-" + ApplyAlgorithm("sha512", buf)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		v, _ := NewVerifier(meta)
		v.Write(buf)
		if !v.OK() {
			b.Fatal("mismatch")
		}
	}
}
