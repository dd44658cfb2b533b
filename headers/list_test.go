package headers

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rawList builds a list from "Name: value" lines, like a response on the
// network.
func rawList(lines ...string) List {
	var l List
	for _, line := range lines {
		n, v, _ := strings.Cut(line, ":")
		l = append(l, Field{n, NormalizeValue(v)})
	}
	return l
}

// The examples under #concept-header-list-get-decode-split.
func TestGetDecodeSplit(t *testing.T) {
	tests := []struct {
		list  List
		want  []string
		found bool
	}{
		{rawList("A: nosniff,"), []string{"nosniff", ""}, true},
		{rawList("A: nosniff", "B: sniff", "A:"), []string{"nosniff", ""}, true},
		{rawList("A:", "B: sniff"), []string{""}, true},
		{rawList("B: sniff"), nil, false},
		{rawList(`A: text/html;", x/x`), []string{`text/html;", x/x`}, true},
		{rawList(`A: text/html;"`, "A: x/x"), []string{`text/html;", x/x`}, true},
		{rawList(`A: x/x;test="hi",y/y`), []string{`x/x;test="hi"`, "y/y"}, true},
		{rawList(`A: x/x;test="hi"`, "C: **bingo**", "A: y/y"), []string{`x/x;test="hi"`, "y/y"}, true},
		{rawList("A: x / x,,,1"), []string{"x / x", "", "", "1"}, true},
		{rawList("A: x / x", "A: ,", "A: 1"), []string{"x / x", "", "", "1"}, true},
		{rawList(`A: "1,2", 3`), []string{`"1,2"`, "3"}, true},
		{rawList(`A: "1,2"`, "D: 4", "A: 3"), []string{`"1,2"`, "3"}, true},
		{rawList("A: \xe9, b"), []string{"é", "b"}, true},
		{rawList(`A: a"b\"c",d`), []string{`a"b\"c"`, "d"}, true},
	}
	for _, tt := range tests {
		got, found := tt.list.GetDecodeSplit("a")
		if found != tt.found {
			t.Errorf("%q: found = %v", tt.list, found)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%q (-want +got):\n%s", tt.list, d)
		}
	}
}

// The examples under #concept-header-extract-mime-type.
func TestExtractMIMEType(t *testing.T) {
	tests := []struct {
		list List
		want string // "" for failure
	}{
		{rawList("Content-Type: text/plain;charset=gbk, text/html"), "text/html"},
		{rawList("Content-Type: text/html;charset=gbk;a=b, text/html;x=y"), "text/html;x=y;charset=gbk"},
		{rawList("Content-Type: text/html;charset=gbk;a=b", "Content-Type: text/html;x=y"), "text/html;x=y;charset=gbk"},
		{rawList("Content-Type: text/html;charset=gbk", "Content-Type: x/x", "Content-Type: text/html;x=y"), "text/html;x=y"},
		{rawList("Content-Type: text/html", "Content-Type: cannot-parse"), "text/html"},
		{rawList("Content-Type: text/html", "Content-Type: */*"), "text/html"},
		{rawList("Content-Type: text/html", "Content-Type:"), "text/html"},
		{rawList("Content-Type: nope"), ""},
		{rawList("X: text/html"), ""},
		{rawList("content-type: TEXT/PLAIN;CHARSET=\xe9"), "text/plain;charset=\"é\""},
	}
	for _, tt := range tests {
		got := ""
		if mt, ok := tt.list.ExtractMIMEType(); ok {
			got = mt.String()
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.list, got, tt.want)
		}
	}
}

func TestExtractLength(t *testing.T) {
	tests := []struct {
		list  List
		n     int64
		found bool
		fail  bool
	}{
		{nil, 0, false, false},
		{rawList("Content-Length: 12"), 12, true, false},
		{rawList("content-length: 12, 12"), 12, true, false},
		{rawList("Content-Length: 12", "Content-Length: 13"), 0, false, true},
		{rawList("Content-Length: x"), 0, false, false},
		{rawList("Content-Length: 99999999999999999999999"), 0, false, true},
		{rawList("Content-Length: 9223372036854775807"), 9223372036854775807, true, false},
	}
	for _, tt := range tests {
		n, found, err := tt.list.ExtractLength()
		if n != tt.n || found != tt.found || (err != nil) != tt.fail || (err != nil && !errors.Is(err, ErrConflictingLength)) {
			t.Errorf("%q: got %d, %v, %v", tt.list, n, found, err)
		}
	}
}

func TestListAlgorithms(t *testing.T) {
	l := List{{"A", "1"}, {"b", "2"}, {"a", "3"}}
	if v, ok := l.Get("A"); !ok || v != "1, 3" {
		t.Errorf("Get = %q", v)
	}
	if _, ok := l.Get("c"); ok {
		t.Error("Get(c) found")
	}
	if !l.Contains("B") || l.Contains("c") {
		t.Error("Contains")
	}
	if d := cmp.Diff([]string{"1", "3"}, l.Values("a")); d != "" {
		t.Error(d)
	}

	c := l.Clone()
	c.Append("a", "4")
	if d := cmp.Diff(List{{"A", "1"}, {"b", "2"}, {"a", "3"}, {"A", "4"}}, c); d != "" {
		t.Errorf("Append reuses the first casing: %s", d)
	}
	c.Set("a", "5")
	if d := cmp.Diff(List{{"A", "5"}, {"b", "2"}}, c); d != "" {
		t.Errorf("Set: %s", d)
	}
	c.Set("C", "6")
	c.Combine("c", "7")
	c.Combine("D", "8")
	if d := cmp.Diff(List{{"A", "5"}, {"b", "2"}, {"C", "6, 7"}, {"D", "8"}}, c); d != "" {
		t.Errorf("Combine: %s", d)
	}
	c.Delete("B")
	if d := cmp.Diff(List{{"A", "5"}, {"C", "6, 7"}, {"D", "8"}}, c); d != "" {
		t.Errorf("Delete: %s", d)
	}
	if d := cmp.Diff(List{{"A", "1"}, {"b", "2"}, {"a", "3"}}, l); d != "" {
		t.Errorf("Clone shared storage: %s", d)
	}
	if List(nil).Clone() != nil || l.Len() != 3 {
		t.Error("Clone(nil)/Len")
	}

	sc := List{{"Z", "1"}, {"Set-Cookie", "a"}, {"b", "2"}, {"set-cookie", "b"}, {"z", "3"}, {"SET-COOKIE2", "x"}}.SortAndCombine()
	if d := cmp.Diff(List{{"b", "2"}, {"set-cookie", "a"}, {"set-cookie", "b"}, {"set-cookie2", "x"}, {"z", "1, 3"}}, sc); d != "" {
		t.Errorf("SortAndCombine: %s", d)
	}
	if got := List(nil).SortAndCombine(); len(got) != 0 {
		t.Error("empty SortAndCombine")
	}

	// extract header list values
	split := func(v string) ([]string, bool) {
		if v == "bad" {
			return nil, false
		}
		return strings.Split(v, ","), true
	}
	l2 := List{{"X", "a,b"}, {"Y", "q"}, {"x", "c"}}
	vals, found, ok := l2.ExtractValues("x", false, split)
	if d := cmp.Diff([]string{"a", "b", "c"}, vals); d != "" || !found || !ok {
		t.Errorf("ExtractValues: %v %v %s", found, ok, d)
	}
	if _, found, ok = l2.ExtractValues("x", true, split); !found || ok {
		t.Error("single ABNF with two headers is not a failure")
	}
	if _, found, ok = l2.ExtractValues("z", false, split); found || !ok {
		t.Error("missing name is not null")
	}
	if _, found, ok = (List{{"x", "bad"}}).ExtractValues("x", false, split); !found || ok {
		t.Error("parse failure is not a failure")
	}
}

func TestCORSUnsafeRequestHeaderNames(t *testing.T) {
	l := List{{"Accept", "*/*"}, {"X-B", "1"}, {"x-a", "2"}, {"X-A", "3"}, {"Content-Type", "application/json"}}
	if d := cmp.Diff([]string{"content-type", "x-a", "x-b"}, l.CORSUnsafeRequestHeaderNames()); d != "" {
		t.Error(d)
	}
	// Over 1024 bytes of safelisted values makes all of them unsafe.
	var big List
	for i := 0; i < 9; i++ {
		big = append(big, Field{"Accept", strings.Repeat("a", 120)})
	}
	if d := cmp.Diff([]string{"accept"}, big.CORSUnsafeRequestHeaderNames()); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff([]string{}, big[:8].CORSUnsafeRequestHeaderNames()); d != "" {
		t.Error(d)
	}
}

func TestCORSSafelistedRequestHeader(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Accept", "text/html, */*;q=0.8", true},
		{"accept", "a\tb", true},
		{"accept", "a\"b", false},
		{"accept", "a\x7fb", false},
		{"accept", "a\x01b", false},
		{"accept", "é", true},
		{"Accept", strings.Repeat("a", 128), true},
		{"Accept", strings.Repeat("a", 129), false},
		{"Accept-Language", "en-US, fr;q=0.5, *", true},
		{"accept-language", "en_US", false},
		{"content-language", "de", true},
		{"content-language", "é", false},
		{"Content-Type", "text/plain;charset=UTF-8", true},
		{"content-type", "MULTIPART/FORM-DATA; boundary=x", true},
		{"content-type", "application/x-www-form-urlencoded", true},
		{"content-type", "application/json", false},
		{"content-type", "text/plain; x=\"y\"", false},
		{"content-type", "text/plain nope", false},
		{"range", "bytes=0-", true},
		{"Range", "bytes=10-20", true},
		{"range", "bytes=-500", false},
		{"range", "bytes = 0-", false},
		{"range", "bytes=0-1,3-4", false},
		{"range", "bytes=5-1", false},
		{"authorization", "x", false},
		{"X-Anything", "x", false},
	}
	for _, tt := range tests {
		if got := IsCORSSafelistedRequestHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("IsCORSSafelistedRequestHeader(%q, %q) = %v", tt.name, tt.value, got)
		}
	}
	if IsNoCORSSafelistedRequestHeader("range", "bytes=0-") {
		t.Error("range is not a no-CORS-safelisted name")
	}
	if !IsNoCORSSafelistedRequestHeader("Accept", "x") {
		t.Error("Accept: x")
	}
}

func TestPredicates(t *testing.T) {
	check := func(name string, f func(string) bool, yes, no []string) {
		t.Helper()
		for _, s := range yes {
			if !f(s) {
				t.Errorf("%s(%q) = false", name, s)
			}
		}
		for _, s := range no {
			if f(s) {
				t.Errorf("%s(%q) = true", name, s)
			}
		}
	}
	check("IsValidName", IsValidName, []string{"a", "X-Custom!#$%&'*+-.^_`|~09"}, []string{"", "a b", "a:b", "é", "a\x00", "(x)"})
	check("IsValidValue", IsValidValue, []string{"", "a", "a b", "\x01", "a\tb", "\xff"}, []string{" a", "a ", "\ta", "a\x00", "a\nb", "a\rb"})
	check("IsForbiddenMethod", IsForbiddenMethod, []string{"CONNECT", "trace", "TrAcK"}, []string{"GET", "TRACES", ""})
	check("IsMethod", IsMethod, []string{"GET", "patch", "CHICKEN"}, []string{"", "G T", "GÉT"})
	check("IsCORSSafelistedMethod", IsCORSSafelistedMethod, []string{"GET", "HEAD", "POST"}, []string{"get", "PUT"})
	check("IsForbiddenResponseHeaderName", IsForbiddenResponseHeaderName, []string{"set-cookie", "SET-COOKIE2"}, []string{"cookie", "set-cookie3"})
	check("IsRequestBodyHeaderName", IsRequestBodyHeaderName, []string{"content-encoding", "Content-Language", "CONTENT-LOCATION", "content-type"}, []string{"content-length"})
	check("IsCORSNonWildcardRequestHeaderName", IsCORSNonWildcardRequestHeaderName, []string{"authorization", "AUTHORIZATION"}, []string{"auth"})
	check("IsPrivilegedNoCORSRequestHeaderName", IsPrivilegedNoCORSRequestHeaderName, []string{"range", "Range"}, []string{"accept"})
	check("IsNoCORSSafelistedRequestHeaderName", IsNoCORSSafelistedRequestHeaderName, []string{"accept", "Accept-Language", "content-language", "CONTENT-TYPE"}, []string{"range", "x"})

	forbidden := func(s string) bool { n, v, _ := strings.Cut(s, ":"); return IsForbiddenRequestHeader(n, v) }
	check("IsForbiddenRequestHeader", forbidden,
		[]string{"accept-charset:", "Sec-:", "proxy-x:", "Host:x", "x-http-method:GET, trace", "X-METHOD-OVERRIDE:connect", "x-http-method-override: track ,GET"},
		[]string{"proxy:", "sec:", "x-http-method:GETTRACE", `x-http-method:",TRACE",`, "User-Agent:x", "Set-Cookie2:x", "x-http-method:"})

	for in, want := range map[string]string{"get": "GET", "Delete": "DELETE", "options": "OPTIONS", "patch": "patch", "PoSt": "POST", "put": "PUT", "head": "HEAD", "CHICKEN": "CHICKEN"} {
		if got := NormalizeMethod(in); got != want {
			t.Errorf("NormalizeMethod(%q) = %q", in, got)
		}
	}

	resp := func(s string) bool { return IsCORSSafelistedResponseHeaderName(s, []string{"X-Exposed", "Set-Cookie"}) }
	check("IsCORSSafelistedResponseHeaderName", resp, []string{"cache-control", "Content-Length", "EXPIRES", "x-exposed", "pragma", "last-modified", "content-type", "content-language"}, []string{"set-cookie", "x-other", "date"})

	for b := 0; b < 256; b++ {
		want := (b < 0x20 && b != 9) || strings.IndexByte("\"():<>?@[\\]{}\x7f", byte(b)) >= 0
		if IsCORSUnsafeRequestHeaderByte(byte(b)) != want {
			t.Errorf("IsCORSUnsafeRequestHeaderByte(%#x) != %v", b, want)
		}
	}

	if d := cmp.Diff([]string{"a", "b", "c"}, ConvertToSortedLowercaseSet([]string{"C", "a", "B", "c", "A"})); d != "" {
		t.Error(d)
	}
	if got := NormalizeValue("\r\n\t x \t\r\n"); got != "x" {
		t.Errorf("NormalizeValue = %q", got)
	}
	if d := cmp.Diff([]string{"a", "", "\"b,c\""}, GetDecodeSplitValue(` a ,,"b,c"`)); d != "" {
		t.Error(d)
	}
}

func TestRange(t *testing.T) {
	tests := []struct {
		in         string
		ws         bool
		start, end int64
		ok         bool
	}{
		{"bytes=0-", false, 0, -1, true},
		{"bytes=0-10", false, 0, 10, true},
		{"bytes=-500", false, -1, 500, true},
		{"bytes=5-5", false, 5, 5, true},
		{"bytes=6-5", false, 0, 0, false},
		{"bytes=-", false, 0, 0, false},
		{"bytes 0-", false, 0, 0, false},
		{"bytes = 1 - 2", false, 0, 0, false},
		{"bytes = 1 - 2", true, 1, 2, true},
		{"bytes=\t1\t-", true, 1, -1, true},
		{"bytes=1-2 ", false, 0, 0, false},
		{"Bytes=1-2", false, 0, 0, false},
		{"bytes=1-2,3-4", false, 0, 0, false},
		{"bytes", false, 0, 0, false},
		{"bytes=99999999999999999999-", false, 0, 0, false},
	}
	for _, tt := range tests {
		s, e, ok := ParseSingleRangeHeaderValue(tt.in, tt.ws)
		if ok != tt.ok || (ok && (s != tt.start || e != tt.end)) {
			t.Errorf("ParseSingleRangeHeaderValue(%q, %v) = %d, %d, %v", tt.in, tt.ws, s, e, ok)
		}
	}
	if got := BuildContentRange(0, 9, 100); got != "bytes 0-9/100" {
		t.Errorf("BuildContentRange = %q", got)
	}
}

func TestHTTPConversion(t *testing.T) {
	h := http.Header{"B": {"1", "2"}, "A": {"0"}}
	l := FromHTTP(h)
	if d := cmp.Diff(List{{"A", "0"}, {"B", "1"}, {"B", "2"}}, l); d != "" {
		t.Error(d)
	}
	back := List{{"x-a", "1"}, {"X-A", "2"}, {"b", "3"}}.HTTP()
	if d := cmp.Diff(http.Header{"X-A": {"1", "2"}, "B": {"3"}}, back); d != "" {
		t.Error(d)
	}
	var nilList *List
	var nilHeaders *Headers
	hh := New(GuardNone)
	if err := hh.Fill(nilList); err != nil || hh.List().Len() != 0 {
		t.Error("nil *List")
	}
	if err := hh.Fill(nilHeaders); err != nil || hh.List().Len() != 0 {
		t.Error("nil *Headers")
	}
}
