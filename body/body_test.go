package body

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/weburl"
)

type fakeParams struct{ s string }

func (f fakeParams) String() string { return f.s }

func (f fakeParams) Entries() []weburl.Pair { return weburl.ParseURLEncoded(f.s) }

func TestExtract(t *testing.T) {
	blob, _ := NewBlob([]any{"hi"}, BlobOptions{Type: "Text/Plain"})
	untyped, _ := NewBlob([]any{"hey"}, BlobOptions{})
	file, _ := NewFile([]any{"file!"}, "a.txt", FileOptions{Type: "text/x-a"})
	tests := []struct {
		name      string
		in        Init
		wantType  string
		wantLen   int64
		wantBody  string
		hasSource bool
	}{
		{"string", "héllo", "text/plain;charset=UTF-8", 6, "héllo", true},
		{"invalid utf-8 string", "a\xffb", "text/plain;charset=UTF-8", 5, "a\uFFFDb", true},
		{"empty string", "", "text/plain;charset=UTF-8", 0, "", true},
		{"bytes", []byte{0, 1, 2}, "", 3, "\x00\x01\x02", true},
		{"blob", blob, "text/plain", 2, "hi", true},
		{"blob without type", untyped, "", 3, "hey", true},
		{"file", file, "text/x-a", 5, "file!", true},
		{"weburl.SearchParams", weburl.NewSearchParams("?x=1&y=%20"), "application/x-www-form-urlencoded;charset=UTF-8", 7, "x=1&y=+", true},
		{"url search params", fakeParams{"a=b&c=d"}, "application/x-www-form-urlencoded;charset=UTF-8", 7, "a=b&c=d", true},
		{"pairs", []weburl.Pair{{Name: "a b", Value: "é"}}, "application/x-www-form-urlencoded;charset=UTF-8", 10, "a+b=%C3%A9", true},
		{"url.Values", url.Values{"z": {"1"}, "a": {"2", "3"}}, "application/x-www-form-urlencoded;charset=UTF-8", 11, "a=2&a=3&z=1", true},
		{"io.Reader", strings.NewReader("streamed"), "", -1, "streamed", false},
		{"bytes.Buffer is a reader", bytes.NewBufferString("buf"), "", -1, "buf", false},
		{"stream", NewBytesStream([]byte("s")), "", -1, "s", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, ct, err := Extract(tc.in, false)
			if err != nil {
				t.Fatal(err)
			}
			if ct != tc.wantType {
				t.Errorf("type %q, want %q", ct, tc.wantType)
			}
			if b.Length != tc.wantLen {
				t.Errorf("length %d, want %d", b.Length, tc.wantLen)
			}
			if (b.Source != nil) != tc.hasSource {
				t.Errorf("source %T", b.Source)
			}
			got, err := b.FullyRead()
			if err != nil || string(got) != tc.wantBody {
				t.Errorf("body %q (%v), want %q", got, err, tc.wantBody)
			}
		})
	}
}

func TestExtractCopiesBytes(t *testing.T) {
	in := []byte("abc")
	b, _, _ := Extract(in, false)
	in[0] = 'X'
	got, _ := b.FullyRead()
	if string(got) != "abc" {
		t.Errorf("extracted body changed with its input: %q", got)
	}
}

func TestExtractErrors(t *testing.T) {
	used := NewBytesStream([]byte("x"))
	used.Cancel(nil)
	locked := NewBytesStream([]byte("x"))
	locked.GetReader()
	tests := []struct {
		name      string
		in        Init
		keepalive bool
	}{
		{"nil", nil, false},
		{"unsupported", 42, false},
		{"a Stringer is not URLSearchParams", time.Second, false},
		{"nil blob", (*Blob)(nil), false},
		{"disturbed stream", used, false},
		{"locked stream", locked, false},
		{"stream with keepalive", NewBytesStream(nil), true},
		{"reader with keepalive", strings.NewReader(""), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Extract(tc.in, tc.keepalive)
			if !isTypeError(err) {
				t.Errorf("got %v, want TypeError", err)
			}
		})
	}
	// keepalive is fine for non-stream bodies.
	if _, _, err := Extract("x", true); err != nil {
		t.Errorf("keepalive string: %v", err)
	}
}

func TestExtractFormData(t *testing.T) {
	fd := NewFormData()
	fd.Append("a", "1")
	b, ct, err := Extract(fd, false)
	if err != nil {
		t.Fatal(err)
	}
	mt, ok := mime.Parse(ct)
	if !ok || mt.Essence() != "multipart/form-data" {
		t.Fatalf("content type %q", ct)
	}
	boundary, _ := mt.Param("boundary")
	if boundary == "" || len(boundary) > 70 {
		t.Fatalf("boundary %q", boundary)
	}
	got, _ := b.FullyRead()
	if int64(len(got)) != b.Length {
		t.Errorf("length %d but %d bytes", b.Length, len(got))
	}
	want := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" + boundary + "--\r\n"
	if string(got) != want {
		t.Errorf("body\n%q\nwant\n%q", got, want)
	}
	// A second extraction has a fresh boundary; Reextract keeps it.
	_, ct2, _ := Extract(fd, false)
	if ct2 == ct {
		t.Error("boundary reused across extractions")
	}
	again, err := b.Reextract()
	if err != nil {
		t.Fatal(err)
	}
	got2, _ := again.FullyRead()
	if string(got2) != want {
		t.Errorf("re-extracted body differs:\n%q", got2)
	}
}

func TestReextract(t *testing.T) {
	b, _, _ := Extract("hello", false)
	b.FullyRead()
	nb, err := b.Reextract()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := nb.FullyRead(); string(got) != "hello" {
		t.Errorf("got %q", got)
	}
	sb, _, _ := Extract(strings.NewReader("x"), false)
	if _, err := sb.Reextract(); !isTypeError(err) {
		t.Errorf("stream body: %v", err)
	}
}

func TestClone(t *testing.T) {
	b, _, _ := Extract("clone me", false)
	orig := b.Stream
	c, err := b.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if b.Stream == orig || c.Stream == orig || !orig.Locked() {
		t.Error("clone did not tee the stream")
	}
	if c.Length != b.Length || !cmp.Equal(c.Source, b.Source) {
		t.Errorf("clone members differ: %d %v", c.Length, c.Source)
	}
	g1, err1 := b.FullyRead()
	g2, err2 := c.FullyRead()
	if string(g1) != "clone me" || string(g2) != "clone me" || err1 != nil || err2 != nil {
		t.Errorf("got %q %v / %q %v", g1, err1, g2, err2)
	}
	locked, _, _ := Extract("x", false)
	locked.Stream.GetReader()
	if _, err := locked.Clone(); !isTypeError(err) {
		t.Errorf("clone of locked body: %v", err)
	}
}

func mixinOf(t *testing.T, init Init, contentType string) *Mixin {
	t.Helper()
	var b *Body
	if init != nil {
		var err error
		var ct string
		b, ct, err = Extract(init, false)
		if err != nil {
			t.Fatal(err)
		}
		if contentType == "" {
			contentType = ct
		}
	}
	m := NewMixin(b, func() *mime.Type {
		mt, ok := mime.Parse(contentType)
		if !ok {
			return nil
		}
		return mt
	})
	return &m
}

func TestOneShot(t *testing.T) {
	consumers := map[string]func(m *Mixin) error{
		"Text":        func(m *Mixin) error { _, err := m.Text(); return err },
		"Bytes":       func(m *Mixin) error { _, err := m.Bytes(); return err },
		"ArrayBuffer": func(m *Mixin) error { _, err := m.ArrayBuffer(); return err },
		"JSON":        func(m *Mixin) error { var v any; return m.JSON(&v) },
		"Blob":        func(m *Mixin) error { _, err := m.Blob(); return err },
		"FormData":    func(m *Mixin) error { _, err := m.FormData(); return err },
		"TextStream":  func(m *Mixin) error { _, err := m.TextStream(); return err },
	}
	for first, f1 := range consumers {
		for second, f2 := range consumers {
			t.Run(first+"/"+second, func(t *testing.T) {
				m := mixinOf(t, `{"a":1}`, "application/x-www-form-urlencoded")
				if m.BodyUsed() {
					t.Fatal("used before reading")
				}
				if err := f1(m); err != nil {
					t.Fatalf("first %s: %v", first, err)
				}
				if first != "TextStream" && !m.BodyUsed() {
					t.Error("not used after reading")
				}
				if err := f2(m); !isTypeError(err) {
					t.Errorf("second %s: %v, want TypeError", second, err)
				}
			})
		}
	}
}

func TestUsedAfterPartialRead(t *testing.T) {
	m := mixinOf(t, "some longer body", "")
	r, err := m.Body().GetReader()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Text(); !isTypeError(err) {
		t.Errorf("Text while locked: %v", err)
	}
	if m.BodyUsed() {
		t.Error("locking alone marked the body used")
	}
	buf := make([]byte, 4)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	if !m.BodyUsed() {
		t.Error("body not used after a partial read")
	}
	r.ReleaseLock()
	if !Unusable(m) {
		t.Error("body still usable")
	}
	if _, err := m.Text(); !isTypeError(err) {
		t.Errorf("Text after partial read: %v", err)
	}
	if _, err := m.Body().GetReader(); err != nil {
		t.Errorf("the stream itself can still be read: %v", err)
	}
}

func TestCancelMarksUsed(t *testing.T) {
	m := mixinOf(t, "x", "")
	m.Body().Cancel(nil)
	if !m.BodyUsed() {
		t.Error("cancel did not mark the body used")
	}
	if _, err := m.Bytes(); !isTypeError(err) {
		t.Errorf("Bytes after cancel: %v", err)
	}
}

func TestStreamErrorsSurface(t *testing.T) {
	boom := errs.Network(errs.ReasonReset, nil, "connection reset")
	consumers := map[string]func(m *Mixin) error{
		"Text":     func(m *Mixin) error { _, err := m.Text(); return err },
		"Bytes":    func(m *Mixin) error { _, err := m.Bytes(); return err },
		"JSON":     func(m *Mixin) error { var v any; return m.JSON(&v) },
		"Blob":     func(m *Mixin) error { _, err := m.Blob(); return err },
		"FormData": func(m *Mixin) error { _, err := m.FormData(); return err },
	}
	for name, f := range consumers {
		t.Run(name, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader(`{"a":`), &errReader{boom})
			m := mixinOf(t, r, "application/x-www-form-urlencoded")
			err := f(m)
			if !errors.Is(err, errs.ErrNetwork) {
				t.Errorf("got %v, want the stream's network error", err)
			}
			if !m.BodyUsed() {
				t.Error("not used")
			}
		})
	}
}

func TestNullBody(t *testing.T) {
	m := mixinOf(t, nil, "")
	if m.Body() != nil || m.BodyUsed() {
		t.Fatal("null body has a stream")
	}
	if s, err := m.Text(); s != "" || err != nil {
		t.Errorf("Text: %q %v", s, err)
	}
	if b, err := m.Bytes(); b == nil || len(b) != 0 || err != nil {
		t.Errorf("Bytes: %v %v", b, err)
	}
	if b, err := m.Blob(); err != nil || b.Size() != 0 || b.Type() != "" {
		t.Errorf("Blob: %v %v", b, err)
	}
	var v any
	var se *errs.SyntaxError
	if err := m.JSON(&v); !errors.As(err, &se) {
		t.Errorf("JSON of empty: %v, want SyntaxError", err)
	}
	// Reading a null body never makes it used.
	if m.BodyUsed() {
		t.Error("null body used")
	}
	if _, err := m.FormData(); !isTypeError(err) {
		t.Errorf("FormData without type: %v", err)
	}
	mp := mixinOf(t, nil, `multipart/form-data; boundary="boundary"`)
	if _, err := mp.FormData(); !isTypeError(err) {
		t.Errorf("FormData multipart of empty: %v", err)
	}
	mu := mixinOf(t, nil, "application/x-www-form-urlencoded;charset=UTF-8")
	if fd, err := mu.FormData(); err != nil || fd.Len() != 0 {
		t.Errorf("FormData urlencoded of empty: %v %v", fd, err)
	}
	ms := mixinOf(t, nil, "")
	st, err := ms.TextStream()
	if err != nil {
		t.Fatal(err)
	}
	r, _ := st.GetReader()
	if b, err := io.ReadAll(r); len(b) != 0 || err != nil {
		t.Errorf("TextStream of null: %q %v", b, err)
	}
}

func TestEmptyBodiesWPT(t *testing.T) {
	// response-consume-empty.any.js: empty bodies of each type.
	emptyBlob, _ := NewBlob(nil, BlobOptions{Type: "text/plain"})
	for _, init := range []Init{emptyBlob, "", fakeParams{""}, NewFormData(), []byte{}} {
		m := mixinOf(t, init, "")
		if _, err := m.Text(); err != nil {
			t.Errorf("%T: %v", init, err)
		}
		if !m.BodyUsed() {
			t.Errorf("%T: not used after consuming", init)
		}
	}
	// formdata.any.js: an empty FormData body parses back to an empty FormData.
	m := mixinOf(t, NewFormData(), "")
	fd, err := m.FormData()
	if err != nil || fd.Len() != 0 {
		t.Errorf("empty FormData round trip: %v %v", fd, err)
	}
}

func TestTextUTF8WPT(t *testing.T) {
	// Vectors of fetch/api/basic/text-utf8.any.js (bytes written as Latin-1
	// code points there).
	tests := []struct {
		name, in, want string
	}{
		{"UTF-8 with BOM", "\xef\xbb\xbf\xe4\xb8\x89\xe6\x9d\x91\xe3\x81\x8b\xe3\x81\xaa\xe5\xad\x90", "三村かな子"},
		{"UTF-8 without BOM", "\xe4\xb8\x89\xe6\x9d\x91\xe3\x81\x8b\xe3\x81\xaa\xe5\xad\x90", "三村かな子"},
		{"UTF-16BE with BOM", "\xfe\xff\x4e\x09\x67\x51\x30\x4b\x30\x6a\x5b\x50", "\ufffd\ufffdN\tgQ0K0j[P"},
		{"UTF-16LE with BOM", "\xff\xfe\x09\x4e\x51\x67\x4b\x30\x6a\x30\x50\x5b", "\ufffd\ufffd\tNQgK0j0P["},
		{"UTF-16 without BOM", "\xe6\x00\xf8\x00\xe5\x00\x0a\x00\xc6\x30\xb9\x30\xc8\x30\x0a\x00", "\ufffd\u0000\ufffd\u0000\ufffd\u0000\u000a\u0000\ufffd\u0030\ufffd\u0030\ufffd\u0030\u000a\u0000"},
		// Encoding Standard: one U+FFFD per maximal subpart.
		{"truncated sequence", "a\xe2\x82b", "a\ufffdb"},
		{"only one BOM dropped", "\xef\xbb\xbf\xef\xbb\xbfx", "\ufeffx"},
		{"surrogate encoded", "\xed\xa0\x80", "\ufffd\ufffd\ufffd"},
	}
	pass := 0
	for _, tc := range tests {
		m := mixinOf(t, []byte(tc.in), "")
		got, err := m.Text()
		if err != nil || got != tc.want {
			t.Errorf("%s: %+q (%v), want %+q", tc.name, got, err, tc.want)
			continue
		}
		// TextStream decodes the same way.
		m2 := mixinOf(t, []byte(tc.in), "")
		st, _ := m2.TextStream()
		r, _ := st.GetReader()
		b, err := io.ReadAll(r)
		if err != nil || string(b) != tc.want {
			t.Errorf("%s TextStream: %+q (%v)", tc.name, b, err)
			continue
		}
		pass++
	}
	t.Logf("%d passed, %d failed", pass, len(tests)-pass)
}

func TestJSON(t *testing.T) {
	m := mixinOf(t, "\ufeff{\"a\": [1, \"x\", null, true]}", "")
	v, err := m.JSONValue()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"a": []any{1.0, "x", nil, true}}, v); diff != "" {
		t.Error(diff)
	}
	type T struct{ A []int }
	var into T
	if err := mixinOf(t, `{"A":[1,2]}`, "").JSON(&into); err != nil || !cmp.Equal(into, T{A: []int{1, 2}}) {
		t.Errorf("into struct: %+v %v", into, err)
	}
	var se *errs.SyntaxError
	for _, bad := range []string{"", "{", "[1,]", "{'a':1}", "1 2", "NaN", "\x00"} {
		var v any
		if err := mixinOf(t, bad, "").JSON(&v); !errors.As(err, &se) {
			t.Errorf("JSON(%q): %v, want SyntaxError", bad, err)
		}
	}
	var str string
	if err := mixinOf(t, []byte("\"a\xe2\x82b\""), "").JSON(&str); err != nil || str != "a\ufffdb" {
		t.Errorf("invalid UTF-8 in JSON: %+q %v", str, err)
	}
	var n int
	if err := mixinOf(t, `"str"`, "").JSON(&n); !isTypeError(err) {
		t.Errorf("mismatched type: %v, want TypeError", err)
	}
	if err := mixinOf(t, `1`, "").JSON(nil); !isTypeError(err) {
		t.Errorf("nil target: %v, want TypeError", err)
	}
}

func TestBlobFromBody(t *testing.T) {
	// mime-type.any.js: the Blob's type is the MIME type from the headers.
	tests := []struct {
		init        Init
		contentType string
		want        string
	}{
		{"", "Mytext/Plain", "mytext/plain"},
		{"", "text/html; charset=\"utf-8\"", "text/html;charset=utf-8"},
		{"", "", "text/plain;charset=UTF-8"},
		{[]byte{}, "", ""},
		{"", "not a mime type", ""},
	}
	for _, tc := range tests {
		b, err := mixinOf(t, tc.init, tc.contentType).Blob()
		if err != nil || b.Type() != tc.want {
			t.Errorf("%q: %q %v, want %q", tc.contentType, b.Type(), err, tc.want)
		}
	}
}

func TestFormDataFromURLEncoded(t *testing.T) {
	m := mixinOf(t, "a=1&b=%C3%A9+x&a=2&&c", "application/x-www-form-urlencoded;charset=UTF-8")
	fd, err := m.FormData()
	if err != nil {
		t.Fatal(err)
	}
	want := []FormDataEntry{
		{Name: "a", Value: FormDataValue{String: "1"}},
		{Name: "b", Value: FormDataValue{String: "é x"}},
		{Name: "a", Value: FormDataValue{String: "2"}},
		{Name: "c", Value: FormDataValue{String: ""}},
	}
	if diff := cmp.Diff(want, fd.Entries()); diff != "" {
		t.Error(diff)
	}
	if _, err := mixinOf(t, "a=1", "text/plain").FormData(); !isTypeError(err) {
		t.Errorf("text/plain as FormData: %v", err)
	}
}

func TestExtractSnapshotsFormData(t *testing.T) {
	// cloned-any.js: changing a FormData after extraction does not change
	// the body.
	fd := NewFormData()
	fd.Set("a", "1")
	m := mixinOf(t, fd, "")
	fd.Set("a", "2")
	got, err := m.FormData()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := got.Get("a"); v.String != "1" {
		t.Errorf("got %q, want 1", v.String)
	}
}

func TestProxy(t *testing.T) {
	b, _, _ := Extract("proxied", false)
	p, err := b.Proxy()
	if err != nil {
		t.Fatal(err)
	}
	if !b.Stream.Locked() || !b.Stream.Disturbed() {
		t.Error("original not locked and disturbed")
	}
	if p.Length != 7 || p.Source == nil {
		t.Errorf("proxy members: %d %v", p.Length, p.Source)
	}
	got, err := p.FullyRead()
	if err != nil || string(got) != "proxied" {
		t.Errorf("got %q %v", got, err)
	}
	if _, err := p.Proxy(); !isTypeError(err) {
		t.Errorf("proxy of a fully read body: %v, want TypeError", err)
	}

	src := &chunkSource{chunks: chunksOf("a", "b")}
	s, _ := NewStream(src)
	b2 := &Body{Stream: s, Length: -1}
	p2, _ := b2.Proxy()
	stop := errors.New("stop")
	p2.Stream.Cancel(stop)
	if !src.canceled || src.reason != stop {
		t.Error("cancelling the proxy did not cancel the source")
	}
	if _, err := (&Body{Stream: s}).Proxy(); err != nil && !isTypeError(err) {
		t.Errorf("%v", err)
	}
}

func TestConsumedBodyStaysLocked(t *testing.T) {
	m := mixinOf(t, "data", "")
	if _, err := m.Text(); err != nil {
		t.Fatal(err)
	}
	if !m.Body().Locked() || !m.Body().Disturbed() {
		t.Error("consumed body should stay locked and disturbed")
	}
	if _, err := m.Body().GetReader(); !isTypeError(err) {
		t.Errorf("GetReader after Text: %v, want TypeError", err)
	}
	if _, err := InnerBody(m).Clone(); !isTypeError(err) {
		t.Errorf("Clone after Text: %v, want TypeError", err)
	}
}
