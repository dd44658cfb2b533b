package weburl

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/internal/errs"
)

func TestParseErrorIsTypeError(t *testing.T) {
	for _, in := range []string{"", "foo", "http://", "https://exa mple.com/", "http://[::1/", "http://a:99999/"} {
		_, err := Parse(in, nil)
		var te *errs.TypeError
		if !errors.As(err, &te) {
			t.Errorf("Parse(%q) error = %v, want *errs.TypeError", in, err)
			continue
		}
		if !strings.Contains(te.Message, "Invalid URL") || !strings.Contains(te.Message, in) {
			t.Errorf("Parse(%q) message %q does not name the input", in, te.Message)
		}
	}
	if _, err := ParseWithBase("a", "not a base"); err == nil {
		t.Error("ParseWithBase with a bad base succeeded")
	}
}

func TestParseBasics(t *testing.T) {
	u, err := ParseWithBase("../x/../y?q=a b#f g", "https://User:P%40ss@EXAMPLE.com:443/a/b/c")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{
		"href": u.Href(), "scheme": u.Scheme(), "special": u.IsSpecial(), "creds": u.HasCredentials(),
		"opaque": u.HasOpaquePath(), "kind": u.HostKind().String(), "effectivePort": u.EffectivePort(),
		"segments": u.PathSegments(),
	}
	q, hasQ := u.Query()
	f, hasF := u.Fragment()
	got["query"], got["hasQuery"], got["fragment"], got["hasFragment"] = q, hasQ, f, hasF
	want := map[string]any{
		"href": "https://User:P%40ss@example.com/a/y?q=a%20b#f%20g", "scheme": "https", "special": true,
		"creds": true, "opaque": false, "kind": "domain", "effectivePort": 443,
		"segments": []string{"a", "y"}, "query": "q=a%20b", "hasQuery": true, "fragment": "f%20g", "hasFragment": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if !CanParse("mailto:x@y", nil) || CanParse("//x", nil) {
		t.Error("CanParse wrong")
	}
	m := MustParse("mailto:someone@example.com?subject=hi")
	if !m.HasOpaquePath() || m.Pathname() != "someone@example.com" || m.HostKind() != HostNull {
		t.Errorf("mailto: %+v", m)
	}
}

func TestInvalidUTF8Input(t *testing.T) {
	u, err := Parse("http://a/\xff?\xfe#\xfd", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.Href(), "http://a/%EF%BF%BD?%EF%BF%BD#%EF%BF%BD"; got != want {
		t.Errorf("href = %q, want %q", got, want)
	}
}

func TestCloneIsIndependent(t *testing.T) {
	u := MustParse("https://example.com/a?b=c")
	c := u.Clone()
	c.SetPathname("/changed")
	c.SearchParams().Append("d", "e")
	if u.Href() != "https://example.com/a?b=c" {
		t.Errorf("original changed: %s", u.Href())
	}
	if c.Href() != "https://example.com/changed?b=c&d=e" {
		t.Errorf("clone = %s", c.Href())
	}
}

func TestSetHref(t *testing.T) {
	u := MustParse("https://example.com/?a=1")
	sp := u.SearchParams()
	if err := u.SetHref("not a url"); err == nil {
		t.Fatal("SetHref accepted an invalid URL")
	} else if te := (*errs.TypeError)(nil); !errors.As(err, &te) {
		t.Fatalf("error %v is not a TypeError", err)
	}
	if u.Href() != "https://example.com/?a=1" {
		t.Errorf("failed SetHref changed the URL: %s", u.Href())
	}
	if err := u.SetHref("http://other.test/?x=2&y=3"); err != nil {
		t.Fatal(err)
	}
	if sp != u.SearchParams() || sp.String() != "x=2&y=3" {
		t.Errorf("query object not refilled: %q", sp.String())
	}
}

func TestSearchParamsAttached(t *testing.T) {
	u := MustParse("https://example.com/path?b=2&a=1&a=3#frag")
	sp := u.SearchParams()
	steps := []struct {
		do   func()
		href string
	}{
		{func() { sp.Append("c", "x y") }, "https://example.com/path?b=2&a=1&a=3&c=x+y#frag"},
		{func() { sp.Sort() }, "https://example.com/path?a=1&a=3&b=2&c=x+y#frag"},
		{func() { v := "3"; sp.Delete("a", &v) }, "https://example.com/path?a=1&b=2&c=x+y#frag"},
		{func() { sp.Set("b", "~") }, "https://example.com/path?a=1&b=%7E&c=x+y#frag"},
		{func() { sp.Delete("a", nil); sp.Delete("b", nil); sp.Delete("c", nil) }, "https://example.com/path#frag"},
		{func() { u.SetSearch("?q=1&q=2") }, "https://example.com/path?q=1&q=2#frag"},
	}
	for i, s := range steps {
		s.do()
		if got := u.Href(); got != s.href {
			t.Errorf("step %d: href = %q, want %q", i, got, s.href)
		}
	}
	if got := sp.GetAll("q"); !slices.Equal(got, []string{"1", "2"}) {
		t.Errorf("GetAll after SetSearch = %q", got)
	}
	u.SetSearch("")
	if sp.Size() != 0 || u.Href() != "https://example.com/path#frag" {
		t.Errorf("SetSearch(\"\") left %d pairs, href %s", sp.Size(), u.Href())
	}
}

func TestSearchParams(t *testing.T) {
	sp := NewSearchParams("?a=1&b=2&a=3&%F0%9F%8C%88=r&%EF%AC%83=f")
	if v, ok := sp.Get("a"); !ok || v != "1" {
		t.Errorf("Get(a) = %q, %v", v, ok)
	}
	if _, ok := sp.Get("zzz"); ok {
		t.Error("Get(zzz) found something")
	}
	three, four := "3", "4"
	if !sp.Has("a", nil) || !sp.Has("a", &three) || sp.Has("a", &four) {
		t.Error("Has wrong")
	}
	if sp.Size() != 5 {
		t.Errorf("Size = %d", sp.Size())
	}
	sp.Sort()
	// UTF-16 order: "a" < "b" < U+1F308 (D83C DF08) < U+FB03.
	var names []string
	for n := range sp.Keys() {
		names = append(names, n)
	}
	if want := []string{"a", "a", "b", "🌈", "ﬃ"}; !slices.Equal(names, want) {
		t.Errorf("sorted names = %q, want %q", names, want)
	}
	var vals []string
	for _, v := range sp.All() {
		vals = append(vals, v)
	}
	if want := []string{"1", "3", "2", "r", "f"}; !slices.Equal(vals, want) {
		t.Errorf("values = %q, want %q", vals, want)
	}
	if got := sp.String(); got != "a=1&a=3&b=2&%F0%9F%8C%88=r&%EF%AC%83=f" {
		t.Errorf("String = %q", got)
	}
	sp.Set("a", "only")
	if diff := cmp.Diff([]Pair{{"a", "only"}, {"b", "2"}, {"🌈", "r"}, {"ﬃ", "f"}}, sp.Entries()); diff != "" {
		t.Errorf("after Set (-want +got):\n%s", diff)
	}
	p := SearchParamsFromPairs([]Pair{{"x", "1 2"}, {"y", "&"}})
	if p.String() != "x=1+2&y=%26" {
		t.Errorf("FromPairs String = %q", p.String())
	}
	// Breaking out of the iterator stops it.
	n := 0
	for range p.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("iterated %d times after break", n)
	}
}

func TestCompareUTF16(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "b", -1}, {"b", "a", 1}, {"a", "ab", -1},
		{"\U0001F308", "\uFB03", -1}, // surrogates sort before U+E000..U+FFFF
		{"\uFB03", "\U0001F308", 1},
		{"\U0001F308", "\U0001F309", -1},
		{"\u00e9", "\U00010000", -1},
	}
	for _, tt := range tests {
		if got := compareUTF16(tt.a, tt.b); got != tt.want {
			t.Errorf("compareUTF16(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com:443/x", "https://example.com"},
		{"http://example.com:8080/", "http://example.com:8080"},
		{"ws://[::1]:80/", "ws://[::1]"},
		{"ftp://1.2.3.4/", "ftp://1.2.3.4"},
		{"blob:https://whatwg.org/d0360e2f-caee-469f-9a2f-87d5b0456f6f", "https://whatwg.org"},
		{"blob:ftp://whatwg.org/x", "null"},
		{"blob:blob:https://whatwg.org/x", "null"},
		{"blob:not a url", "null"},
		{"file:///etc/passwd", "null"},
		{"data:text/plain,x", "null"},
		{"sc://host/", "null"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.in).Origin().Serialize(); got != tt.want {
			t.Errorf("origin of %q = %q, want %q", tt.in, got, tt.want)
		}
	}
	a := MustParse("https://example.com/a").Origin()
	b := MustParse("https://example.com:443/b").Origin()
	c := MustParse("http://example.com/").Origin()
	if !SameOrigin(a, b) || SameOrigin(a, c) || a != b {
		t.Error("tuple origin comparison wrong")
	}
	o1 := MustParse("data:,x").Origin()
	o2 := MustParse("data:,x").Origin()
	if !o1.IsOpaque() || SameOrigin(o1, o2) || !SameOrigin(o1, o1) || SameOrigin(o1, a) {
		t.Error("opaque origins must be equal only to themselves")
	}
	if p, ok := MustParse("http://x:81/").Origin().Port(); !ok || p != 81 {
		t.Errorf("Port = %d, %v", p, ok)
	}
	if TupleOrigin("https", "a.test", -1) != MustParse("https://a.test/").Origin() {
		t.Error("TupleOrigin differs from the parsed origin")
	}
}

func TestSameSite(t *testing.T) {
	o := func(s string) Origin { return MustParse(s).Origin() }
	tests := []struct {
		a, b               string
		sameSite, schemely bool
	}{
		{"https://a.example.com", "https://b.example.com", true, true},
		{"https://example.com", "https://www.example.com:8443", true, true},
		{"http://example.com", "https://example.com", false, true},
		{"https://a.github.io", "https://b.github.io", false, false},
		{"https://github.io", "https://github.io", true, true},
		{"https://example.com", "https://example.org", false, false},
		{"https://127.0.0.1", "https://127.0.0.1:8080", true, true},
		{"https://127.0.0.1", "https://127.0.0.2", false, false},
		{"https://[::1]", "https://[::1]", true, true},
		{"https://example.com.", "https://www.example.com.", true, true},
		{"https://example.com.", "https://example.com", false, false},
		{"https://localhost", "https://localhost:1", true, true},
	}
	for _, tt := range tests {
		if got := SameSite(o(tt.a), o(tt.b)); got != tt.sameSite {
			t.Errorf("SameSite(%s, %s) = %v", tt.a, tt.b, got)
		}
		if got := SchemelesslySameSite(o(tt.a), o(tt.b)); got != tt.schemely {
			t.Errorf("SchemelesslySameSite(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
	op := NewOpaqueOrigin()
	if !SameSite(op, op) || SameSite(op, NewOpaqueOrigin()) || SameSite(op, o("https://a.test")) {
		t.Error("opaque same site wrong")
	}
}

func TestRegistrableDomain(t *testing.T) {
	tests := []struct{ host, suffix, reg string }{
		{"com", "com", ""},
		{"example.com", "com", "example.com"},
		{"sub.www.example.com", "com", "example.com"},
		{"example.com.", "com.", "example.com."},
		{"github.io", "github.io", ""},
		{"whatwg.github.io", "github.io", "whatwg.github.io"},
		{"xn--kgbechtv", "xn--kgbechtv", ""},
		{"example.xn--kgbechtv", "xn--kgbechtv", "example.xn--kgbechtv"},
		{"[2001:db8::1]", "", ""},
		{"192.168.0.1", "", ""},
	}
	for _, tt := range tests {
		if got := PublicSuffix(tt.host); got != tt.suffix {
			t.Errorf("PublicSuffix(%q) = %q, want %q", tt.host, got, tt.suffix)
		}
		if got := RegistrableDomain(tt.host); got != tt.reg {
			t.Errorf("RegistrableDomain(%q) = %q, want %q", tt.host, got, tt.reg)
		}
	}
}

// requestLine writes an HTTP request for u through net/http and returns
// its request line and Host header.
func requestLine(t *testing.T, u *URL) (line, host string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://placeholder/", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL = u.NetURL()
	req.Host = ""
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatalf("writing %s: %v", u, err)
	}
	r := bufio.NewReader(&buf)
	line, _ = r.ReadString('\n')
	for {
		h, err := r.ReadString('\n')
		if err != nil || h == "\r\n" {
			break
		}
		if v, ok := strings.CutPrefix(h, "Host: "); ok {
			host = strings.TrimSpace(v)
		}
	}
	return strings.TrimSuffix(line, "\r\n"), host
}

func TestNetURLRequestTarget(t *testing.T) {
	tests := []struct{ in, line, host string }{
		{"https://example.com", "GET / HTTP/1.1", "example.com"},
		{"https://example.com/a%20b/c?x=1&y=%zz", "GET /a%20b/c?x=1&y=%zz HTTP/1.1", "example.com"},
		{"http://example.com/ä?ö", "GET /%C3%A4?%C3%B6 HTTP/1.1", "example.com"},
		{"http://example.com/?", "GET /? HTTP/1.1", "example.com"},
		{"http://example.com//double//slash", "GET //double//slash HTTP/1.1", "example.com"},
		{"http://example.com/a;b=c/[x]/!$&'()*+,:@~", "GET /a;b=c/[x]/!$&'()*+,:@~ HTTP/1.1", "example.com"},
		{"http://example.com/%2F%2e%41", "GET /%2F%2e%41 HTTP/1.1", "example.com"},
		{"http://[::1]:8080/x", "GET /x HTTP/1.1", "[::1]:8080"},
		{"http://user:pw@bücher.example/x#frag", "GET /x HTTP/1.1", "xn--bcher-kva.example"},
		// net/url would re-escape these paths: the absolute form keeps the bytes.
		{"http://example.com/a|b", "GET http://example.com/a|b HTTP/1.1", "example.com"},
		{"http://example.com/%zz?q", "GET http://example.com/%zz?q HTTP/1.1", "example.com"},
	}
	for _, tt := range tests {
		u := MustParse(tt.in)
		line, host := requestLine(t, u)
		if line != tt.line || host != tt.host {
			t.Errorf("%s: request line %q host %q, want %q host %q", tt.in, line, host, tt.line, tt.host)
		}
	}
	n := MustParse("https://u:p%40@example.com:8443/p?q#f").NetURL()
	pw, _ := n.User.Password()
	if n.User.Username() != "u" || pw != "p@" || n.Host != "example.com:8443" || n.RawFragment != "f" {
		t.Errorf("NetURL = %#v", n)
	}
	if d := MustParse("data:text/plain,hi there").NetURL(); d.Opaque != "text/plain,hi there" || d.String() != "data:text/plain,hi there" {
		t.Errorf("data: NetURL = %#v (%s)", d, d)
	}
}

func TestDomainToASCIIStrict(t *testing.T) {
	cases := loadObjects[struct {
		Input   string `json:"input"`
		Failure bool   `json:"failure"`
	}](t, "url/resources/verifydnslength_tests.json")
	passed, failed := 0, 0
	for _, c := range cases {
		// The URL parser itself is never strict: all of these parse.
		u, err := Parse(c.Input, nil)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.Input, err)
			failed++
			continue
		}
		_, err = DomainToASCII(u.Hostname(), true)
		if (err != nil) != c.Failure {
			t.Errorf("DomainToASCII(%q, true) error = %v, want failure %v", u.Hostname(), err, c.Failure)
			failed++
			continue
		}
		passed++
	}
	t.Logf("verifydnslength_tests.json: %d passed, %d failed", passed, failed)
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"EXAMPLE.com", "example.com", true},
		{"a_b.com", "", false}, // STD3 rules
		{"-x.com", "", false},  // CheckHyphens
		{"bücher.de", "xn--bcher-kva.de", true},
	} {
		got, err := DomainToASCII(tt.in, true)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("DomainToASCII(%q, true) = %q, %v", tt.in, got, err)
		}
	}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"EXAMPLE.com", "example.com", true},
		{"a_b.com", "a_b.com", true},
		{"xn--a", "xn--a", true}, // ASCII input is only lowercased
		{"exa%mple", "", false},
		{"", "", false},
		{"faß.de", "xn--fa-hia.de", true},
	} {
		got, err := DomainToASCII(tt.in, false)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("DomainToASCII(%q, false) = %q, %v", tt.in, got, err)
		}
	}
}

func TestHostKinds(t *testing.T) {
	tests := []struct {
		in   string
		kind HostKind
		host string
	}{
		{"http://0x7f.1/", HostIPv4, "127.0.0.1"},
		{"http://4294967295/", HostIPv4, "255.255.255.255"},
		{"http://[1:0:0:2::3:0]/", HostIPv6, "[1::2:0:0:3:0]"},
		{"http://[::ffff:192.168.0.1]/", HostIPv6, "[::ffff:c0a8:1]"},
		{"sc://Ex%41mple/", HostOpaque, "Ex%41mple"},
		{"sc:///x", HostEmpty, ""},
		{"file://localhost/x", HostEmpty, ""},
		{"sc:x", HostNull, ""},
	}
	for _, tt := range tests {
		u := MustParse(tt.in)
		h, _ := u.HostString()
		if u.HostKind() != tt.kind || h != tt.host {
			t.Errorf("%s: host %q kind %v, want %q %v", tt.in, h, u.HostKind(), tt.host, tt.kind)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range append(typicalURLs, "sc:/.//x", "file:///C|/x/../..", "http://[::1.2.3.4]", "a:\t b#\x00", "http://ü.example/%zz", "//x") {
		f.Add(s, "https://base.example/dir/file?q#h")
	}
	f.Fuzz(func(t *testing.T, in, base string) {
		b, err := Parse(base, nil)
		if err != nil {
			b = nil
		}
		u, err := Parse(in, b)
		if err != nil {
			return
		}
		href := u.Href()
		again, err := Parse(href, nil)
		if err != nil {
			t.Fatalf("href %q of %q does not parse: %v", href, in, err)
		}
		if again.Href() != href {
			t.Fatalf("href %q re-parses as %q", href, again.Href())
		}
		_ = u.Origin().Serialize()
		_ = u.NetURL().String()
	})
}

func TestCloneList(t *testing.T) {
	for _, hrefs := range [][]string{{}, {"https://a.example/x?q#f"}, {"https://a.example/", "http://b.example:8080/y"}} {
		var list []*URL
		for _, h := range hrefs {
			list = append(list, MustParse(h))
		}
		got := CloneList(list)
		if len(got) != len(list) || cap(got) != len(list) {
			t.Fatalf("CloneList(%q): len %d cap %d", hrefs, len(got), cap(got))
		}
		for i := range got {
			if got[i] == list[i] || got[i].Href() != list[i].Href() {
				t.Errorf("CloneList(%q)[%d] = %p %q, want a copy of %p %q", hrefs, i, got[i], got[i].Href(), list[i], list[i].Href())
			}
		}
	}
}
