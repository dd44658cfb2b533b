package response

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

type attrs struct {
	Type       Type
	URL        string
	Redirected bool
	Status     int
	OK         bool
	StatusText string
	NullBody   bool
	Headers    []headers.Field
}

func attrsOf(r *Response) attrs {
	return attrs{r.Type(), r.URL(), r.Redirected(), r.Status(), r.OK(), r.StatusText(), r.Body() == nil, r.Headers().Entries()}
}

func errKind(err error) string {
	var te *errs.TypeError
	var re *errs.RangeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &re):
		return "RangeError"
	case errors.As(err, &te):
		return "TypeError"
	}
	return "other"
}

// TestConstructorErrors mirrors response-error.any.js and the null-body
// cases of response-static-json.any.js.
func TestConstructorErrors(t *testing.T) {
	tests := []struct {
		name string
		body body.Init
		init *Init
		want string
	}{
		{"Throws RangeError when responseInit's status is -1 (0 in JavaScript)", "", &Init{Status: -1}, "RangeError"},
		{"Throws RangeError when responseInit's status is 100", "", &Init{Status: 100}, "RangeError"},
		{"Throws RangeError when responseInit's status is 199", "", &Init{Status: 199}, "RangeError"},
		{"Throws RangeError when responseInit's status is 600", "", &Init{Status: 600}, "RangeError"},
		{"Throws RangeError when responseInit's status is 1000", "", &Init{Status: 1000}, "RangeError"},
		{"Throws TypeError when responseInit's statusText is \\n", "", &Init{StatusText: "\n"}, "TypeError"},
		{"Throws TypeError when responseInit's statusText has a NUL", "", &Init{StatusText: "a\x00"}, "TypeError"},
		{"Throws TypeError when responseInit's statusText has DEL", "", &Init{StatusText: "\x7f"}, "TypeError"},
		{"Throws TypeError when building a response with body and a body status of 204", "body", &Init{Status: 204}, "TypeError"},
		{"Throws TypeError when building a response with body and a body status of 205", "body", &Init{Status: 205}, "TypeError"},
		{"Throws TypeError when building a response with body and a body status of 304", "body", &Init{Status: 304}, "TypeError"},
		{"empty string body with status 204 is still a body", "", &Init{Status: 204}, "TypeError"},
		{"bad header name", nil, &Init{Headers: headers.Pairs{{"a b", "c"}}}, "TypeError"},
		{"bad header pair", nil, &Init{Headers: headers.Pairs{{"a"}}}, "TypeError"},
		{"unsupported body type", 3.5, nil, "TypeError"},
		{"locked stream body", func() *body.Stream {
			s := body.NewBytesStream(nil)
			s.GetReader()
			return s
		}(), nil, "TypeError"},
		{"status 200 is fine", "x", &Init{Status: 200}, ""},
		{"status 599 is fine", "x", &Init{Status: 599}, ""},
		{"null body with status 204 is fine (Testing null Response body)", nil, &Init{Status: 204}, ""},
		{"status 0 means the default 200", "x", &Init{Status: 0}, ""},
	}
	for _, tt := range tests {
		_, err := New(tt.body, tt.init)
		if got := errKind(err); got != tt.want {
			t.Errorf("%s: got %q (%v), want %q", tt.name, got, err, tt.want)
		}
	}
}

// TestDefaultsAndInit mirrors response-init-001.any.js.
func TestDefaultsAndInit(t *testing.T) {
	r, err := New(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := attrs{Type: TypeDefault, Status: 200, OK: true, NullBody: true, Headers: []headers.Field{}}
	if diff := cmp.Diff(want, attrsOf(r)); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	for _, s := range []int{200, 300, 400, 500, 599} {
		r, err := New("", &Init{Status: s})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status() != s || r.OK() != (s >= 200 && s < 300) {
			t.Errorf("status %d: got %d ok %v", s, r.Status(), r.OK())
		}
	}
	for _, st := range []string{"", "OK", "with space", "\x80", "tab\there", "caf\xc3\xa9"} {
		r, err := New("", &Init{StatusText: st})
		if err != nil {
			t.Fatalf("statusText %q: %v", st, err)
		}
		if r.StatusText() != st {
			t.Errorf("statusText %q: got %q", st, r.StatusText())
		}
	}
	// [SameObject] headers, guard "response".
	r, _ = New("", &Init{Headers: headers.Map{"X-Foo": "bar"}})
	h := r.Headers()
	if h != r.Headers() || h.Guard() != headers.GuardResponse {
		t.Error("headers not the same object, or wrong guard")
	}
	h.Set("X-Foo", "quux")
	h.Set("Set-Cookie", "dropped")
	if v, _, _ := r.Headers().Get("x-foo"); v != "quux" {
		t.Errorf("x-foo %q", v)
	}
	if ok, _ := r.Headers().Has("Set-Cookie"); ok {
		t.Error("response guard kept Set-Cookie")
	}
}

// TestBodyInit mirrors response-init-002.any.js and
// response-init-contenttype.any.js.
func TestBodyInit(t *testing.T) {
	blob, _ := body.NewBlob([]any{"This is a blob"}, body.BlobOptions{Type: "application/octet-binary"})
	fd := body.NewFormData()
	fd.Append("name", "value")
	tests := []struct {
		name     string
		body     body.Init
		init     *Init
		ctype    string
		contains string
	}{
		{"Blob", blob, nil, "application/octet-binary", "This is a blob"},
		{"FormData", fd, nil, "multipart/form-data", "name=\"name\"\r\n\r\nvalue"},
		{"URLSearchParams", weburl.NewSearchParams("name=value"), nil, "application/x-www-form-urlencoded;charset=UTF-8", "name=value"},
		{"USVString", "This is a USVString", nil, "text/plain;charset=UTF-8", "This is a USVString"},
		{"BufferSource has no type", []byte("bytes"), nil, "", "bytes"},
		{"io.Reader", strings.NewReader("streamed"), nil, "", "streamed"},
		{"explicit Content-Type wins", "text", &Init{Headers: headers.Pairs{{"Content-Type", "foo/bar"}}}, "foo/bar", "text"},
	}
	for _, tt := range tests {
		r, err := New(tt.body, tt.init)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		ct, _, _ := r.Headers().Get("Content-Type")
		if !strings.Contains(ct, tt.ctype) || (tt.ctype == "" && ct != "") {
			t.Errorf("%s: Content-Type %q, want %q", tt.name, ct, tt.ctype)
		}
		text, err := r.Text()
		if err != nil || !strings.Contains(text, tt.contains) {
			t.Errorf("%s: text %q %v", tt.name, text, err)
		}
	}
	// Testing empty Response Content-Type header.
	r, _ := New("This is my fork", &Init{Headers: headers.Pairs{{"Content-Type", ""}}})
	b, err := r.Blob()
	if err != nil || b.Type() != "" {
		t.Errorf("blob type %q %v", b.Type(), err)
	}
	// Read Response's body as a stream.
	r, _ = New("This is response body", nil)
	rd, _ := r.Body().GetReader()
	got, _ := io.ReadAll(rd)
	if string(got) != "This is response body" {
		t.Errorf("stream %q", got)
	}
}

// TestError mirrors response-static-error.any.js.
func TestError(t *testing.T) {
	r := Error()
	want := attrs{Type: TypeError, Status: 0, NullBody: true, Headers: []headers.Field{}}
	if diff := cmp.Diff(want, attrsOf(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if err := r.Headers().Append("name", "value"); errKind(err) != "TypeError" {
		t.Errorf("immutable headers: %v", err)
	}
	if !r.Internal().IsNetworkError() {
		t.Error("not a network error")
	}
}

// TestRedirect mirrors response-static-redirect.any.js.
func TestRedirect(t *testing.T) {
	const u = "http://test.url:1234/"
	for _, s := range []int{0, 301, 302, 303, 307, 308} {
		r, err := Redirect(u, s)
		if err != nil {
			t.Fatalf("status %d: %v", s, err)
		}
		want := s
		if s == 0 {
			want = 302
		}
		loc, _, _ := r.Headers().Get("Location")
		got := []any{r.Type(), r.Redirected(), r.OK(), r.Status(), loc, r.StatusText(), r.Headers().Guard()}
		if diff := cmp.Diff([]any{TypeDefault, false, false, want, u, "", headers.GuardImmutable}, got); diff != "" {
			t.Errorf("status %d (-want +got):\n%s", s, diff)
		}
	}
	if _, err := Redirect("http://:This is not an url", 302); errKind(err) != "TypeError" {
		t.Errorf("invalid URL: %v", err)
	}
	for _, s := range []int{200, 309, 400, 500} {
		if _, err := Redirect(u, s); errKind(err) != "RangeError" {
			t.Errorf("status %d: %v", s, err)
		}
	}
	// Relative URLs need a base URL; the URL is serialized.
	if _, err := Redirect("/next", 302); err == nil {
		t.Error("relative URL without a base")
	}
	r, err := Redirect("../next?a b", 307, WithBaseURL(weburl.MustParse("https://a.example/dir/page")))
	if err != nil {
		t.Fatal(err)
	}
	if loc, _, _ := r.Headers().Get("Location"); loc != "https://a.example/next?a%20b" {
		t.Errorf("Location %q", loc)
	}
}

// TestJSON mirrors response-static-json.any.js.
func TestJSON(t *testing.T) {
	tests := []struct {
		name       string
		init       *Init
		status     int
		statusText string
		ctype      string
		headers    map[string]string
	}{
		{"undefined", nil, 200, "", "application/json", nil},
		{"{status: 400}", &Init{Status: 400}, 400, "", "application/json", nil},
		{"{statusText: foo}", &Init{StatusText: "foo"}, 200, "foo", "application/json", nil},
		{"{headers: {}}", &Init{Headers: headers.Map{}}, 200, "", "application/json", nil},
		{"{headers: content-type}", &Init{Headers: headers.Map{"content-type": "foo/bar"}}, 200, "", "foo/bar", nil},
		{"{headers: x-foo}", &Init{Headers: headers.Map{"x-foo": "bar"}}, 200, "", "application/json", map[string]string{"x-foo": "bar"}},
	}
	for _, tt := range tests {
		r, err := JSON("hello world", tt.init)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		ct, _, _ := r.Headers().Get("content-type")
		if r.Type() != TypeDefault || r.Status() != tt.status || r.StatusText() != tt.statusText || ct != tt.ctype {
			t.Errorf("%s: %+v content-type %q", tt.name, attrsOf(r), ct)
		}
		for k, v := range tt.headers {
			if got, _, _ := r.Headers().Get(k); got != v {
				t.Errorf("%s: header %s %q", tt.name, k, got)
			}
		}
		if r.Headers().Guard() != headers.GuardResponse {
			t.Errorf("%s: guard %v", tt.name, r.Headers().Guard())
		}
		v, err := r.JSONValue()
		if err != nil || v != "hello world" {
			t.Errorf("%s: body %v %v", tt.name, v, err)
		}
	}
	for _, s := range []int{204, 205, 304} {
		if _, err := JSON("hello world", &Init{Status: s}); errKind(err) != "TypeError" {
			t.Errorf("status %d: %v", s, err)
		}
	}
	// Objects encode; values encoding/json rejects are TypeErrors.
	r, _ := JSON(map[string]string{"foo": "bar"}, nil)
	var obj struct{ Foo string }
	if err := r.JSON(&obj); err != nil || obj.Foo != "bar" {
		t.Errorf("object: %+v %v", obj, err)
	}
	type cyclic struct{ Self *cyclic }
	c := &cyclic{}
	c.Self = c
	for name, bad := range map[string]any{"channel": make(chan int), "func": func() {}, "NaN": math.NaN(), "cycle": c} {
		if _, err := JSON(bad, nil); errKind(err) != "TypeError" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Encoding checks: UTF-8 output, no HTML escaping, RawMessage as is.
	enc := []struct {
		in   any
		want string
	}{
		{"𝌆", "\"𝌆\""},
		{"<a&b>", "\"<a&b>\""},
		{[]int{1, 2}, "[1,2]"},
		{nil, "null"},
	}
	for _, e := range enc {
		r, err := JSON(e.in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := r.Bytes(); string(b) != e.want {
			t.Errorf("JSON(%v) = %q, want %q", e.in, b, e.want)
		}
	}
}

// TestClone mirrors response-clone.any.js: clone values, independent
// bodies (tee), and no clone of a disturbed response.
func TestClone(t *testing.T) {
	r, _ := New(nil, nil)
	c, err := r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(attrsOf(r), attrsOf(c)); diff != "" {
		t.Errorf("clone without body (-want +got):\n%s", diff)
	}

	const body0 = "This is response body"
	r, _ = New(body0, &Init{Status: 200, StatusText: "GOOD", Headers: headers.Map{"name": "value"}})
	c, err = r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(attrsOf(r), attrsOf(c)); diff != "" {
		t.Errorf("clone (-want +got):\n%s", diff)
	}
	if c.Headers() == r.Headers() || c.Headers().Guard() != headers.GuardResponse {
		t.Error("headers shared or guard changed")
	}
	c2, _ := r.Clone()
	if s, err := r.Text(); s != body0 || err != nil {
		t.Errorf("original body after cloning: %q %v", s, err)
	}
	if s, err := c.Text(); s != body0 || err != nil {
		t.Errorf("cloned body: %q %v", s, err)
	}
	// Cancelling a stream should not affect the cloned one.
	r, _ = New(strings.NewReader(strings.Repeat("x", 26)), nil)
	c, _ = r.Clone()
	if err := r.Body().Cancel(nil); err != nil {
		t.Fatal(err)
	}
	if !r.BodyUsed() || c.BodyUsed() {
		t.Error("cancel affected the clone")
	}
	if b, err := c.Bytes(); len(b) != 26 || err != nil || !c.BodyUsed() {
		t.Errorf("clone after cancel: %d %v", len(b), err)
	}
	_ = c2
	// Cannot clone a disturbed response.
	d, _ := New("data", nil)
	d.Text()
	if _, err := d.Clone(); errKind(err) != "TypeError" {
		t.Errorf("clone of disturbed: %v", err)
	}
	// Nor a locked one.
	l, _ := New("data", nil)
	l.Body().GetReader()
	if _, err := l.Clone(); errKind(err) != "TypeError" {
		t.Errorf("clone of locked: %v", err)
	}
	// Clones of Error and Redirect keep immutable headers.
	e, _ := Error().Clone()
	if e.Headers().Guard() != headers.GuardImmutable || e.Type() != TypeError {
		t.Error("clone of error")
	}
}

// TestFromInternal covers what fetch hands out: filtered responses with
// immutable headers (response-headers-guard.any.js).
func TestFromInternal(t *testing.T) {
	in := sampleInternal()
	in.Status, in.StatusMessage = 201, "Created"
	tests := []struct {
		name    string
		filter  func(*Internal) *Internal
		want    attrs
		hasBody bool
	}{
		{"basic", BasicFilter, attrs{Type: TypeBasic, URL: "https://a.example/2", Redirected: true, Status: 201, OK: true,
			StatusText: "Created", Headers: []headers.Field{{Name: "cache-control", Value: "no-cache"},
				{Name: "content-type", Value: "text/plain"}, {Name: "x-exposed", Value: "2"}, {Name: "x-secret", Value: "1"}}}, true},
		{"cors", CORSFilter, attrs{Type: TypeCORS, URL: "https://a.example/2", Redirected: true, Status: 201, OK: true,
			StatusText: "Created", Headers: []headers.Field{{Name: "cache-control", Value: "no-cache"},
				{Name: "content-type", Value: "text/plain"}, {Name: "x-exposed", Value: "2"}}}, true},
		{"opaque", OpaqueFilter, attrs{Type: TypeOpaque, NullBody: true, Headers: []headers.Field{}}, false},
		{"opaqueredirect", OpaqueRedirectFilter, attrs{Type: TypeOpaqueRedirect, URL: "https://a.example/2", Redirected: true,
			NullBody: true, Headers: []headers.Field{}}, false},
		{"unfiltered", func(i *Internal) *Internal { return i }, attrs{Type: TypeDefault, URL: "https://a.example/2", Redirected: true,
			Status: 201, OK: true, StatusText: "Created", Headers: []headers.Field{{Name: "cache-control", Value: "no-cache"},
				{Name: "content-type", Value: "text/plain"}, {Name: "set-cookie", Value: "a=b"},
				{Name: "x-exposed", Value: "2"}, {Name: "x-secret", Value: "1"}}}, true},
	}
	for _, tt := range tests {
		in := sampleInternal()
		in.Status, in.StatusMessage = 201, "Created"
		in.URLList[1].SetHash("frag")
		r := FromInternal(tt.filter(in))
		if diff := cmp.Diff(tt.want, attrsOf(r)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if err := r.Headers().Append("name", "value"); errKind(err) != "TypeError" {
			t.Errorf("%s: headers not immutable: %v", tt.name, err)
		}
		if tt.hasBody {
			c, err := r.Clone()
			if err != nil {
				t.Fatal(err)
			}
			if c.Type() != r.Type() || c.Headers().Guard() != headers.GuardImmutable {
				t.Errorf("%s: clone type %q guard %v", tt.name, c.Type(), c.Headers().Guard())
			}
			s1, _ := r.Text()
			s2, _ := c.Text()
			if s1 != "body" || s2 != "body" {
				t.Errorf("%s: bodies %q %q", tt.name, s1, s2)
			}
		}
	}
	// Changes made to the internal response after filtering show in the
	// Response (main fetch sets the URL list and may null the body).
	in2 := NewInternal()
	in2.Body = body.FromBytes([]byte("x"))
	f := BasicFilter(in2)
	in2.URLList = []*weburl.URL{weburl.MustParse("https://late.example/")}
	in2.Body = nil
	r := FromInternal(f)
	if r.URL() != "https://late.example/" || r.Body() != nil {
		t.Errorf("late changes not seen: %q %v", r.URL(), r.Body())
	}
	// A network error from fetch keeps its Err.
	ne := FromInternal(NetworkError(errors.New("dns")))
	if ne.Type() != TypeError || ne.Internal().Err == nil {
		t.Error("network error Response")
	}
}

func TestRedirectWithBase(t *testing.T) {
	r, err := Redirect("next", 303, WithBase("http://h.example/a/b"))
	if err != nil {
		t.Fatal(err)
	}
	if loc, _, _ := r.Headers().Get("Location"); loc != "http://h.example/a/next" {
		t.Errorf("Location %q", loc)
	}
	if _, err := Redirect("next", 303, WithBase("::bad")); errKind(err) != "TypeError" {
		t.Errorf("bad base: %v", err)
	}
}

func TestInternalCloneLockedBody(t *testing.T) {
	in := sampleInternal()
	in.Body.Stream.GetReader()
	if _, err := in.Clone(); err == nil {
		t.Error("clone of a locked body")
	}
	if _, err := BasicFilter(in).Clone(); err == nil {
		t.Error("clone of a filtered response with a locked body")
	}
}
