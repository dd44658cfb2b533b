package weburl

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// components returns the URL API getters of u.
func components(u *URL) []string {
	return []string{u.Href(), u.Protocol(), u.Username(), u.Password(), u.Host(), u.Hostname(), u.Port(), u.Pathname(), u.Search(), u.Hash()}
}

// checkReparse fails unless u's href parses (without a base) to a URL with
// the same href and getters: the URL Standard's serializer output is a
// fixed point of the parser.
func checkReparse(t *testing.T, what string, u *URL) {
	t.Helper()
	href := u.Href()
	again, err := Parse(href, nil)
	if err != nil {
		t.Fatalf("%s: href %q does not reparse: %v", what, href, err)
	}
	if diff := cmp.Diff(components(u), components(again)); diff != "" {
		t.Fatalf("%s: href %q reparses differently (-first +again)\n%s", what, href, diff)
	}
	if !u.Equal(again, false) {
		t.Fatalf("%s: %q not Equal to its reparse", what, href)
	}
	if nu := u.NetURL(); nu == nil {
		t.Fatalf("%s: NetURL of %q is nil", what, href)
	}
	_ = u.Origin().Serialize()
}

// FuzzURLParse parses input against an optional base and checks that the
// href reparses to the same URL, and that the search params serialize to
// a query that parses to the same list.
func FuzzURLParse(f *testing.F) {
	for _, s := range [][2]string{
		{"https://user:pa ss@EXAMPLE.com:443/a/./b/../c?q=1 2#f", ""},
		{"../x?y#z", "http://h/a/b/c"},
		{"web+demo:/.//not-a-host/", ""},
		{"http://[::ffff:1.2.3.4]/", ""},
		{"http://0x7f.1/", ""},
		{"file:///C:/x/../y", ""},
		{"//x", "file:///a"},
		{"javascript:alert(1) ", ""},
		{"http://xn--nxasmq6b.com/", ""},
		{"http://ÉXAMPLE.ß/", ""},
		{"non-spec:/..//p", ""},
		{"?a=b&c=%zz&+=+", "about:blank"},
		{"\t\nhttp://a\tb/ c\n", ""},
		{"blob:https://a.test/uuid", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, input, base string) {
		var b *URL
		if base != "" {
			var err error
			if b, err = Parse(base, nil); err != nil {
				return
			}
			checkReparse(t, "base "+base, b)
		}
		u, err := Parse(input, b)
		if err != nil {
			if CanParse(input, b) {
				t.Fatalf("CanParse(%q) true but Parse failed: %v", input, err)
			}
			return
		}
		checkReparse(t, "input "+input, u)
		sp := u.SearchParams()
		entries := sp.Entries()
		again := NewSearchParams(sp.String()).Entries()
		if diff := cmp.Diff(entries, again); diff != "" {
			t.Fatalf("search params of %q do not survive serialize+parse (-first +again)\n%s", u.Href(), diff)
		}
	})
}

// FuzzURLSetters applies one URL API setter to a parsed URL and checks that
// the result reparses to itself and that applying the setter again changes
// nothing.
func FuzzURLSetters(f *testing.F) {
	for i, s := range [][2]string{
		{"https://example.com/a?b#c", "http"},
		{"foo://host/path", "https"},
		{"http://h/", "user@name:x"},
		{"http://h/", "p@ss:w/rd"},
		{"http://h:81/", "example.net:8080"},
		{"non-spec:/p", ""},
		{"http://h/", "[::1]"},
		{"http://h/", "65536"},
		{"non-spec:/", "//path"},
		{"data:text/plain,x", "?q"},
		{"http://h/", "#\x00\x7f é"},
		{"file:///tmp", "localhost"},
		{"sc://h/p", "sc://h2/p2"},
		{"sc:opaque path?q", ""},
	} {
		f.Add(s[0], uint8(i), s[1])
	}
	f.Fuzz(func(t *testing.T, href string, which uint8, value string) {
		u, err := Parse(href, nil)
		if err != nil {
			return
		}
		set := []struct {
			name string
			fn   func(*URL, string)
		}{
			{"href", func(u *URL, v string) { _ = u.SetHref(v) }},
			{"protocol", (*URL).SetProtocol},
			{"username", (*URL).SetUsername},
			{"password", (*URL).SetPassword},
			{"host", (*URL).SetHost},
			{"hostname", (*URL).SetHostname},
			{"port", (*URL).SetPort},
			{"pathname", (*URL).SetPathname},
			{"search", (*URL).SetSearch},
			{"hash", (*URL).SetHash},
		}[int(which)%10]
		set.fn(u, value)
		what := "after " + set.name + "=" + value + " on " + href
		checkReparse(t, what, u)
		once := u.Href()
		set.fn(u, value)
		if twice := u.Href(); twice != once {
			t.Fatalf("%s: setting it again changed %q to %q", what, once, twice)
		}
	})
}

// FuzzURLEncoded checks application/x-www-form-urlencoded: parsing any
// input gives pairs that serialize and parse back to themselves, and any
// list of valid UTF-8 pairs survives serialize then parse.
func FuzzURLEncoded(f *testing.F) {
	for _, s := range []string{"a=b&c=d", "a+b=%20c%2", "&&=&x", "%zz=%f0%9f%98%80", "é=\xff", "a=b=c", "\x00=+%2B"} {
		f.Add(s, "name "+s, s+"!*'()~")
	}
	f.Fuzz(func(t *testing.T, input, name, value string) {
		pairs := ParseURLEncoded(input)
		ser := SerializeURLEncoded(pairs)
		if diff := cmp.Diff(pairs, ParseURLEncoded(ser)); diff != "" {
			t.Fatalf("parse(%q) → %q does not parse back (-first +again)\n%s", input, ser, diff)
		}
		if SerializeURLEncoded(ParseURLEncoded(ser)) != ser {
			t.Fatalf("serialization of %q not stable", input)
		}
		// Arbitrary pairs: the serializer encodes UTF-8, so invalid bytes
		// come back as U+FFFD, as a browser's TextEncoder would make them.
		want := []Pair{{toUSV(name), toUSV(value)}, {"x", toUSV(input)}}
		got := ParseURLEncoded(SerializeURLEncoded([]Pair{{name, value}, {"x", input}}))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("pairs do not survive serialize+parse (-want +got)\n%s", diff)
		}
		sp := NewSearchParams(input)
		sp.Sort()
		if diff := cmp.Diff(sp.Entries(), NewSearchParams(sp.String()).Entries()); diff != "" {
			t.Fatalf("sorted params of %q do not survive (-first +again)\n%s", input, diff)
		}
	})
}

// toUSV replaces invalid UTF-8 with U+FFFD, as converting to a USVString
// does.
func toUSV(s string) string {
	return string([]rune(s))
}
