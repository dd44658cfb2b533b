package headers

import (
	"errors"
	"iter"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/internal/errs"
)

func isTypeError(err error) bool {
	var te *errs.TypeError
	return errors.As(err, &te)
}

// TestGuardOperations runs every operation under every guard.
func TestGuardOperations(t *testing.T) {
	type op func(h *Headers) error
	appendOp := func(n, v string) op { return func(h *Headers) error { return h.Append(n, v) } }
	setOp := func(n, v string) op { return func(h *Headers) error { return h.Set(n, v) } }
	deleteOp := func(n string) op { return func(h *Headers) error { return h.Delete(n) } }
	getOp := func(n string) op { return func(h *Headers) error { _, _, err := h.Get(n); return err } }
	hasOp := func(n string) op { return func(h *Headers) error { _, err := h.Has(n); return err } }

	start := List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}
	tests := []struct {
		name    string
		guard   Guard
		op      op
		wantErr bool
		want    List // nil: unchanged
	}{
		// none: anything valid.
		{"none append", GuardNone, appendOp("x-a", " 2 "), false, append(start.Clone(), Field{"X-A", "2"})},
		{"none append forbidden", GuardNone, appendOp("Host", "h"), false, append(start.Clone(), Field{"Host", "h"})},
		{"none set", GuardNone, setOp("Cookie", "c=2"), false, List{{"X-A", "1"}, {"Cookie", "c=2"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"none delete", GuardNone, deleteOp("set-cookie"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"none get", GuardNone, getOp("x-a"), false, nil},
		{"none has", GuardNone, hasOp("x-a"), false, nil},

		// request: forbidden request-headers are ignored.
		{"request append ok", GuardRequest, appendOp("X-B", "2"), false, append(start.Clone(), Field{"X-B", "2"})},
		{"request append forbidden", GuardRequest, appendOp("Cookie", "c=2"), false, nil},
		{"request append sec-", GuardRequest, appendOp("Sec-Fetch-Mode", "cors"), false, nil},
		{"request append proxy-", GuardRequest, appendOp("proxy-authorization", "x"), false, nil},
		{"request append override forbidden", GuardRequest, appendOp("X-Method-Override", "get, Track"), false, nil},
		{"request append override ok", GuardRequest, appendOp("X-Method-Override", "PATCH"), false, append(start.Clone(), Field{"X-Method-Override", "PATCH"})},
		{"request set forbidden", GuardRequest, setOp("Set-Cookie", "s=2"), false, nil},
		{"request set ok", GuardRequest, setOp("x-a", "9"), false, List{{"X-A", "9"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"request delete forbidden", GuardRequest, deleteOp("cookie"), false, nil},
		// delete validates with an empty value, so a method-override name
		// holding a forbidden method can still be deleted.
		{"request delete override", GuardRequest, deleteOp("x-http-method"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"Accept", "*/*"}}},
		{"request delete ok", GuardRequest, deleteOp("X-A"), false, List{{"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"request get", GuardRequest, getOp("cookie"), false, nil},
		{"request has", GuardRequest, hasOp("cookie"), false, nil},

		// request-no-cors: only no-CORS-safelisted headers; privileged
		// headers go after any change.
		{"no-cors append ok", GuardRequestNoCORS, appendOp("Accept-Language", "en"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}, {"Accept-Language", "en"}}},
		{"no-cors append combined too unsafe", GuardRequestNoCORS, appendOp("Accept", "a\"b"), false, nil},
		{"no-cors append not safelisted name", GuardRequestNoCORS, appendOp("X-B", "1"), false, nil},
		{"no-cors append range", GuardRequestNoCORS, appendOp("Range", "bytes=0-"), false, nil},
		{"no-cors append forbidden", GuardRequestNoCORS, appendOp("Cookie", "x"), false, nil},
		{"no-cors set ok", GuardRequestNoCORS, setOp("content-type", "text/plain"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}, {"content-type", "text/plain"}}},
		{"no-cors set json", GuardRequestNoCORS, setOp("content-type", "application/json"), false, nil},
		{"no-cors delete not safelisted", GuardRequestNoCORS, deleteOp("X-A"), false, nil},
		{"no-cors delete privileged", GuardRequestNoCORS, deleteOp("range"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"no-cors delete safelisted", GuardRequestNoCORS, deleteOp("accept"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"X-HTTP-Method", "TRACE"}}},
		{"no-cors delete absent keeps range", GuardRequestNoCORS, deleteOp("content-type"), false, nil},
		{"no-cors get", GuardRequestNoCORS, getOp("x-a"), false, nil},
		{"no-cors has", GuardRequestNoCORS, hasOp("x-a"), false, nil},

		// response: Set-Cookie and Set-Cookie2 are ignored.
		{"response append set-cookie", GuardResponse, appendOp("Set-Cookie", "s=2"), false, nil},
		{"response append set-cookie2", GuardResponse, appendOp("set-cookie2", "s=2"), false, nil},
		{"response append other forbidden request", GuardResponse, appendOp("Cookie", "c=2"), false, List{{"X-A", "1"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}, {"Cookie", "c=2"}}},
		{"response set set-cookie", GuardResponse, setOp("SET-COOKIE", "s=2"), false, nil},
		{"response set ok", GuardResponse, setOp("X-A", "2"), false, List{{"X-A", "2"}, {"Cookie", "c=1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"response delete set-cookie", GuardResponse, deleteOp("set-cookie"), false, nil},
		{"response delete ok", GuardResponse, deleteOp("cookie"), false, List{{"X-A", "1"}, {"Set-Cookie", "s=1"}, {"Range", "bytes=0-1"}, {"X-HTTP-Method", "TRACE"}, {"Accept", "*/*"}}},
		{"response get", GuardResponse, getOp("set-cookie"), false, nil},
		{"response has", GuardResponse, hasOp("set-cookie"), false, nil},

		// immutable: every change throws, reads work.
		{"immutable append", GuardImmutable, appendOp("X-B", "1"), true, nil},
		{"immutable append forbidden", GuardImmutable, appendOp("Cookie", "1"), true, nil},
		{"immutable set", GuardImmutable, setOp("X-A", "1"), true, nil},
		{"immutable delete", GuardImmutable, deleteOp("X-A"), true, nil},
		{"immutable delete absent", GuardImmutable, deleteOp("X-Z"), true, nil},
		{"immutable get", GuardImmutable, getOp("X-A"), false, nil},
		{"immutable has", GuardImmutable, hasOp("X-A"), false, nil},
	}
	// Invalid names and values throw under every guard.
	for _, g := range []Guard{GuardNone, GuardRequest, GuardRequestNoCORS, GuardResponse, GuardImmutable} {
		for _, bad := range []struct {
			name string
			op   op
		}{
			{"append bad name", appendOp("a b", "1")},
			{"append empty name", appendOp("", "1")},
			{"append bad value", appendOp("X-A", "a\x00b")},
			{"append LF value", appendOp("X-A", "a\nb")},
			{"set bad name", setOp("é", "1")},
			{"set CR value", setOp("Accept", "a\rb")},
			{"delete bad name", deleteOp("a:b")},
			{"get bad name", getOp("a\x00")},
			{"has bad name", hasOp("")},
		} {
			tests = append(tests, struct {
				name    string
				guard   Guard
				op      op
				wantErr bool
				want    List
			}{g.String() + " " + bad.name, g, bad.op, true, nil})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := start.Clone()
			h := Wrap(&l, tt.guard)
			err := tt.op(h)
			if tt.wantErr != (err != nil) || (err != nil && !isTypeError(err)) {
				t.Fatalf("err = %v, want TypeError: %v", err, tt.wantErr)
			}
			want := tt.want
			if want == nil {
				want = start
			}
			if d := cmp.Diff(want, l); d != "" {
				t.Errorf("list (-want +got):\n%s", d)
			}
		})
	}
	t.Logf("%d guard × operation cases", len(tests))
}

func TestTypeErrorNamesHeader(t *testing.T) {
	h := New(GuardNone)
	err := h.Append("X-Thing", "a\nb")
	if err == nil || !strings.Contains(err.Error(), "X-Thing") || !strings.Contains(err.Error(), "TypeError") {
		t.Errorf("err = %v", err)
	}
	err = New(GuardImmutable).Set("X-Other", "1")
	if err == nil || !strings.Contains(err.Error(), "X-Other") || !strings.Contains(err.Error(), "immutable") {
		t.Errorf("err = %v", err)
	}
}

func entries(h *Headers) [][2]string {
	out := [][2]string{}
	for k, v := range h.All() {
		out = append(out, [2]string{k, v})
	}
	return out
}

func newH(t *testing.T, init Init, g Guard) *Headers {
	t.Helper()
	h, err := NewFrom(init, g)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// Ports of headers-basic.any.js, headers-combine.any.js and
// header-setcookie.any.js iteration checks.
func TestIterationOrder(t *testing.T) {
	h := newH(t, Record{{"name1", "value1"}, {"Name2", "value2"}, {"name", "value3"}, {"content-Type", "value4"}, {"Content-Typ", "value5"}, {"Content-Types", "value6"}}, GuardNone)
	want := [][2]string{{"content-typ", "value5"}, {"content-type", "value4"}, {"content-types", "value6"}, {"name", "value3"}, {"name1", "value1"}, {"name2", "value2"}}
	if d := cmp.Diff(want, entries(h)); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	var keys, values []string
	for k := range h.Keys() {
		keys = append(keys, k)
	}
	for v := range h.Values() {
		values = append(values, v)
	}
	if d := cmp.Diff([]string{"content-typ", "content-type", "content-types", "name", "name1", "name2"}, keys); d != "" {
		t.Error(d)
	}
	if d := cmp.Diff([]string{"value5", "value4", "value6", "value3", "value1", "value2"}, values); d != "" {
		t.Error(d)
	}

	h = newH(t, Pairs{{"2", "a"}, {"1", "b"}, {"2", "b"}}, GuardNone)
	if d := cmp.Diff([][2]string{{"1", "b"}, {"2", "a, b"}}, entries(h)); d != "" {
		t.Error(d)
	}

	h = newH(t, Pairs{{"xylophone-header", "1"}, {"best-header", "2"}, {"set-cookie", "3"}, {"a-cool-header", "4"}, {"set-cookie", "5"}, {"a-cool-header", "6"}, {"best-header", "7"}}, GuardNone)
	if d := cmp.Diff([][2]string{{"a-cool-header", "4, 6"}, {"best-header", "2, 7"}, {"set-cookie", "3"}, {"set-cookie", "5"}, {"xylophone-header", "1"}}, entries(h)); d != "" {
		t.Error(d)
	}

	h = newH(t, Pairs{{"set-cookie", "foo=bar"}, {"Set-Cookie", "fizz=buzz; domain=example.com"}, {"set-cookie2", "foo2=bar2"}, {"Set-Cookie2", "fizz2=buzz2; domain=example2.com"}}, GuardNone)
	if d := cmp.Diff([][2]string{{"set-cookie", "foo=bar"}, {"set-cookie", "fizz=buzz; domain=example.com"}, {"set-cookie2", "foo2=bar2, fizz2=buzz2; domain=example2.com"}}, entries(h)); d != "" {
		t.Error(d)
	}

	// Entries is a fresh slice each time.
	e := h.Entries()
	e[0].Value = "changed"
	if h.Entries()[0].Value != "foo=bar" {
		t.Error("Entries shares storage")
	}
	if got := entries(New(GuardNone)); len(got) != 0 {
		t.Errorf("empty headers iterate %v", got)
	}
	var zero Headers
	if got := entries(&zero); len(got) != 0 {
		t.Errorf("zero headers iterate %v", got)
	}
}

func TestIterationWithMutation(t *testing.T) {
	collect := func(h *Headers, body func(k string)) (keys, values []string) {
		for k, v := range h.All() {
			keys = append(keys, k)
			values = append(values, v)
			body(k)
		}
		return
	}
	init := Record{{"foo", "2"}, {"baz", "1"}, {"BAR", "0"}}
	tests := []struct {
		name       string
		init       Record
		body       func(h *Headers, k string)
		keys, vals []string
	}{
		{"skips elements removed while iterating", init,
			func(h *Headers, k string) { _ = h.Delete("foo") },
			[]string{"bar", "baz"}, []string{"0", "1"}},
		{"removing an element already iterated over skips one", append(init.clone(), Field{"quux", "3"}),
			func(h *Headers, k string) {
				if k == "baz" {
					_ = h.Delete("bar")
				}
			},
			[]string{"bar", "baz", "quux"}, []string{"0", "1", "3"}},
		{"appending ahead is reached", append(init.clone(), Field{"quux", "3"}),
			func(h *Headers, k string) {
				if k == "baz" {
					_ = h.Append("X-yZ", "4")
				}
			},
			[]string{"bar", "baz", "foo", "quux", "x-yz"}, []string{"0", "1", "2", "3", "4"}},
		{"prepending repeats the current element", append(init.clone(), Field{"quux", "3"}),
			func(h *Headers, k string) {
				if k == "baz" {
					_ = h.Append("abc", "-1")
				}
			},
			[]string{"bar", "baz", "baz", "foo", "quux"}, []string{"0", "1", "1", "2", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newH(t, tt.init, GuardNone)
			keys, vals := collect(h, func(k string) { tt.body(h, k) })
			if d := cmp.Diff(tt.keys, keys); d != "" {
				t.Errorf("keys (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.vals, vals); d != "" {
				t.Errorf("values (-want +got):\n%s", d)
			}
		})
	}

	// header-setcookie.any.js: a pulled iterator sees set-cookie changes.
	h := newH(t, Pairs{{"fizz", "buzz"}, {"X-Header", "test"}}, GuardNone)
	next, stop := iter.Pull2(h.All())
	defer stop()
	step := func(wantK, wantV string) {
		t.Helper()
		k, v, ok := next()
		if !ok || k != wantK || v != wantV {
			t.Errorf("next() = %q, %q, %v; want %q, %q", k, v, ok, wantK, wantV)
		}
	}
	step("fizz", "buzz")
	_ = h.Append("Set-Cookie", "a=b")
	step("set-cookie", "a=b")
	_ = h.Append("Accept", "text/html")
	step("set-cookie", "a=b")
	step("x-header", "test")
	_ = h.Append("set-cookie", "c=d")
	step("x-header", "test")
	if _, _, ok := next(); ok {
		t.Error("iterator not done")
	}

	h = newH(t, Pairs{{"set-cookie", "a"}, {"set-cookie", "b"}, {"set-cookie", "c"}}, GuardNone)
	next2, stop2 := iter.Pull2(h.All())
	defer stop2()
	next = next2
	step("set-cookie", "a")
	_ = h.Delete("set-cookie")
	_ = h.Append("set-cookie", "d")
	_ = h.Append("set-cookie", "e")
	_ = h.Append("set-cookie", "f")
	step("set-cookie", "e")
	step("set-cookie", "f")
	if _, _, ok := next(); ok {
		t.Error("iterator not done")
	}

	// Changing the list directly (not through Headers) is seen too.
	h = newH(t, Pairs{{"a", "1"}, {"c", "3"}}, GuardNone)
	var keys []string
	for k := range h.All() {
		keys = append(keys, k)
		if k == "a" {
			h.List().Append("b", "2")
		}
	}
	if d := cmp.Diff([]string{"a", "b", "c"}, keys); d != "" {
		t.Error(d)
	}
}

func (r Record) clone() Record { return append(Record(nil), r...) }

func TestSetCookie(t *testing.T) {
	list := Pairs{{"set-cookie", "foo=bar"}, {"Set-Cookie", "fizz=buzz; domain=example.com"}}
	h := newH(t, list, GuardNone)
	if v, _, _ := h.Get("set-cookie"); v != "foo=bar, fizz=buzz; domain=example.com" {
		t.Errorf("Get = %q", v)
	}
	if has, _ := h.Has("sEt-cOoKiE"); !has {
		t.Error("Has(sEt-cOoKiE) false")
	}
	if d := cmp.Diff([]string{"foo=bar", "fizz=buzz; domain=example.com"}, h.GetSetCookie()); d != "" {
		t.Error(d)
	}
	_ = h.Set("set-cookie", "foo2=bar2")
	if d := cmp.Diff([][2]string{{"set-cookie", "foo2=bar2"}}, entries(h)); d != "" {
		t.Error(d)
	}
	_ = h.Delete("set-Cookie")
	if got := entries(h); len(got) != 0 {
		t.Errorf("after delete: %v", got)
	}

	tests := []struct {
		name string
		init Pairs
		want []string
	}{
		{"none", nil, []string{}},
		{"one", Pairs{{"set-cookie", "foo=bar"}}, []string{"foo=bar"}},
		{"empty value", Pairs{{"set-cookie", ""}}, []string{""}},
		{"two equal", Pairs{{"set-cookie", "x"}, {"set-cookie", "x"}}, []string{"x", "x"}},
		{"ignores set-cookie2", Pairs{{"set-cookie2", "x"}, {"set-cookie", "y"}, {"set-cookie2", "z"}}, []string{"y"}},
		{"keeps order", Pairs{{"set-cookie", "z=z"}, {"set-cookie", "a=a"}, {"set-cookie", "n=n"}}, []string{"z=z", "a=a", "n=n"}},
	}
	for _, tt := range tests {
		h := newH(t, tt.init, GuardNone)
		if d := cmp.Diff(tt.want, h.GetSetCookie()); d != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, d)
		}
	}

	// Values are normalized.
	h = newH(t, Map{"Set-Cookie": "  a=b\n"}, GuardNone)
	_ = h.Append("set-cookie", "\n\rc=d  ")
	if d := cmp.Diff([][2]string{{"set-cookie", "a=b"}, {"set-cookie", "c=d"}}, entries(h)); d != "" {
		t.Error(d)
	}
	_ = h.Set("set-cookie", "\te=f ")
	if d := cmp.Diff([][2]string{{"set-cookie", "e=f"}}, entries(h)); d != "" {
		t.Error(d)
	}
	// Invalid values throw.
	if _, err := NewFrom(Map{"set-cookie": "\x00"}, GuardNone); !isTypeError(err) {
		t.Errorf("NUL: %v", err)
	}
	if err := New(GuardNone).Append("Set-Cookie", "a\nb"); !isTypeError(err) {
		t.Errorf("LF: %v", err)
	}
	// Forbidden on a response.
	h = New(GuardResponse)
	_ = h.Append("Set-Cookie", "foo=bar")
	_ = h.Append("sEt-cOokIe", "bar=baz")
	if d := cmp.Diff([]string{}, h.GetSetCookie()); d != "" {
		t.Error(d)
	}
}

// Ports of headers-casing, headers-combine, headers-normalize and
// headers-basic checks.
func TestBasicBehaviour(t *testing.T) {
	// Casing: any casing finds the header; the first casing is kept.
	h := New(GuardNone)
	for _, f := range []Field{{"UPPERCASE", "value1"}, {"lowercase", "value2"}, {"mixedCase", "value3"}, {"Content-TYPE", "value4"}} {
		_ = h.Append(f.Name, f.Value)
		for _, n := range []string{f.Name, strings.ToLower(f.Name), strings.ToUpper(f.Name)} {
			if v, ok, _ := h.Get(n); !ok || v != f.Value {
				t.Errorf("Get(%q) = %q, %v", n, v, ok)
			}
		}
	}
	_ = h.Append("content-type", "value5")
	if d := cmp.Diff(List{{"UPPERCASE", "value1"}, {"lowercase", "value2"}, {"mixedCase", "value3"}, {"Content-TYPE", "value4"}, {"Content-TYPE", "value5"}}, *h.List()); d != "" {
		t.Error(d)
	}
	for _, n := range []string{"uppercase", "LOWERCASE", "MIXEDCASE", "content-type"} {
		_ = h.Delete(n)
		if has, _ := h.Has(n); has {
			t.Errorf("%s not deleted", n)
		}
	}

	// Combine.
	h = newH(t, Pairs{{"single", "singleValue"}, {"double", "doubleValue1"}, {"double", "doubleValue2"}, {"triple", "tripleValue1"}, {"triple", "tripleValue2"}, {"triple", "tripleValue3"}}, GuardNone)
	want := map[string]string{"single": "singleValue", "double": "doubleValue1, doubleValue2", "triple": "tripleValue1, tripleValue2, tripleValue3"}
	for n, v := range want {
		if got, _, _ := h.Get(n); got != v {
			t.Errorf("Get(%q) = %q, want %q", n, got, v)
		}
		_ = h.Append(n, "newSingleValue")
		if got, _, _ := h.Get(n); got != v+", newSingleValue" {
			t.Errorf("after append Get(%q) = %q", n, got)
		}
		_ = h.Set(n, "newSingleValue")
		if got, _, _ := h.Get(n); got != "newSingleValue" {
			t.Errorf("after set Get(%q) = %q", n, got)
		}
	}

	// Normalize.
	norm := []struct{ in, want string }{
		{" space ", "space"}, {"\ttab\t", "tab"}, {" spaceAndTab\t", "spaceAndTab"},
		{"\r\n newLine", "newLine"}, {"newLine\r\n ", "newLine"}, {"\r\n\tnewLine", "newLine"},
		{"\t\f\tnewLine\n", "\f\tnewLine"}, {"newLine\xa0", "newLine\xa0"},
	}
	for i, n := range norm {
		name := "name" + string(rune('1'+i))
		for _, h := range []*Headers{
			newH(t, Record{{name, n.in}}, GuardNone),
			func() *Headers { h := New(GuardNone); _ = h.Append(name, n.in); return h }(),
			func() *Headers { h := New(GuardNone); _ = h.Set(name, n.in); return h }(),
		} {
			if got, _, _ := h.Get(name); got != n.want {
				t.Errorf("%q normalized to %q, want %q", n.in, got, n.want)
			}
		}
	}

	// Get of a missing name is null; of an empty value is "" and found.
	h = newH(t, Pairs{{"empty", ""}}, GuardNone)
	if v, ok, err := h.Get("missing"); ok || v != "" || err != nil {
		t.Errorf("Get(missing) = %q, %v, %v", v, ok, err)
	}
	if v, ok, _ := h.Get("empty"); !ok || v != "" {
		t.Errorf("Get(empty) = %q, %v", v, ok)
	}
	if h.Value("empty") != "" || h.Value("nope") != "" {
		t.Error("Value")
	}

	// All byte values except NUL, LF, CR are valid inside a value.
	h = New(GuardNone)
	for i := 0; i < 256; i++ {
		v := "x" + string([]byte{byte(i)}) + "x"
		err := h.Append("v", v)
		if bad := i == 0 || i == '\n' || i == '\r'; bad != (err != nil) {
			t.Errorf("byte %#x: err = %v", i, err)
		}
	}
}

func TestFill(t *testing.T) {
	// Pairs with the wrong length are a TypeError.
	for _, p := range []Pairs{{{"name"}}, {{"invalid", "v1", "v2"}}, {{}}} {
		if _, err := NewFrom(p, GuardNone); !isTypeError(err) {
			t.Errorf("%q: err = %v", p, err)
		}
	}
	// Bad names or values in init are a TypeError.
	for _, init := range []Init{Pairs{{"invalid\x80", "v"}}, Map{"name": "a\x00"}, Record{{"", "x"}}} {
		if _, err := NewFrom(init, GuardNone); !isTypeError(err) {
			t.Errorf("%v: err = %v", init, err)
		}
	}
	// Map fills in key order; Record keeps its order.
	h := newH(t, Map{"b": "2", "B": "1", "a": "0"}, GuardNone)
	if d := cmp.Diff(List{{"B", "1"}, {"a", "0"}, {"B", "2"}}, *h.List()); d != "" {
		t.Error(d)
	}
	h = newH(t, Record{{"b", "2"}, {"B", "1"}}, GuardNone)
	if v, _, _ := h.Get("b"); v != "2, 1" {
		t.Errorf("record order: %q", v)
	}
	// Another Headers fills with its sorted and combined pairs.
	src := newH(t, Pairs{{"X-B", "1"}, {"x-a", "2"}, {"X-B", "3"}, {"Set-Cookie", "a"}, {"set-cookie", "b"}}, GuardNone)
	h = newH(t, src, GuardNone)
	if d := cmp.Diff(List{{"set-cookie", "a"}, {"set-cookie", "b"}, {"x-a", "2"}, {"x-b", "1, 3"}}, *h.List()); d != "" {
		t.Error(d)
	}
	// A header list fills header by header, casing kept.
	h = newH(t, *src.List(), GuardNone)
	if d := cmp.Diff(*src.List(), *h.List()); d != "" {
		t.Error(d)
	}
	// nil init is no headers.
	h = newH(t, nil, GuardNone)
	if h.List().Len() != 0 {
		t.Error("nil init")
	}
	// The guard applies while filling; immutable throws.
	if _, err := NewFrom(Pairs{{"a", "b"}}, GuardImmutable); !isTypeError(err) {
		t.Errorf("immutable fill: %v", err)
	}
	h = newH(t, Record{{"Cookie", "x"}, {"X-A", "y"}}, GuardRequest)
	if d := cmp.Diff(List{{"X-A", "y"}}, *h.List()); d != "" {
		t.Error(d)
	}
}

func TestWrapCloneGuard(t *testing.T) {
	var l List
	h := Wrap(&l, GuardRequest)
	_ = h.Append("X-A", "1")
	if d := cmp.Diff(List{{"X-A", "1"}}, l); d != "" {
		t.Errorf("Wrap does not share the list: %s", d)
	}
	l.Append("X-B", "2")
	if has, _ := h.Has("x-b"); !has {
		t.Error("Headers does not see the owner's change")
	}
	c := h.Clone()
	_ = c.Append("X-C", "3")
	if l.Contains("X-C") {
		t.Error("Clone shares the list")
	}
	if c.Guard() != GuardRequest {
		t.Errorf("clone guard = %v", c.Guard())
	}
	h.SetGuard(GuardImmutable)
	if err := h.Append("X-D", "4"); !isTypeError(err) {
		t.Errorf("after SetGuard(immutable): %v", err)
	}
	if Wrap(nil, GuardNone).List() == nil {
		t.Error("Wrap(nil) has no list")
	}
	names := map[Guard]string{GuardNone: "none", GuardRequest: "request", GuardRequestNoCORS: "request-no-cors", GuardResponse: "response", GuardImmutable: "immutable", Guard(9): "Guard(9)"}
	for g, n := range names {
		if g.String() != n {
			t.Errorf("%d.String() = %q", g, g.String())
		}
	}
	// The zero Headers works.
	var z Headers
	if err := z.Append("a", "b"); err != nil || z.Value("a") != "b" {
		t.Errorf("zero Headers: %v", err)
	}
}
