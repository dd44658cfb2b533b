package body

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/mime"
)

// entryView is a comparable view of an entry.
type entryView struct {
	Name, String   string
	File           bool
	FileName, Type string
	Data           string
}

func view(entries []FormDataEntry) []entryView {
	var out []entryView
	for _, e := range entries {
		v := entryView{Name: e.Name, String: e.Value.String}
		if f := e.Value.File; f != nil {
			v.File, v.FileName, v.Type, v.Data = true, f.Name(), f.Type(), string(f.data)
		}
		out = append(out, v)
	}
	return out
}

func TestFormDataMethods(t *testing.T) {
	fd := NewFormData()
	blob, _ := NewBlob([]any{"blobdata"}, BlobOptions{Type: "text/x"})
	file, _ := NewFile([]any{"filedata"}, "orig.txt", FileOptions{Type: "text/y", LastModified: time.UnixMilli(42)})
	fd.Append("a", "1")
	fd.AppendBlob("b", blob)
	fd.Append("a", "2")
	fd.AppendFile("c", file)
	fd.AppendFile("d", file, "renamed.txt")
	fd.AppendBlob("e", blob, "named.bin")
	fd.Append("bad\xff", "v\xfe")

	want := []entryView{
		{Name: "a", String: "1"},
		{Name: "b", File: true, FileName: "blob", Type: "text/x", Data: "blobdata"},
		{Name: "a", String: "2"},
		{Name: "c", File: true, FileName: "orig.txt", Type: "text/y", Data: "filedata"},
		{Name: "d", File: true, FileName: "renamed.txt", Type: "text/y", Data: "filedata"},
		{Name: "e", File: true, FileName: "named.bin", Type: "text/x", Data: "blobdata"},
		{Name: "bad\uFFFD", String: "v\uFFFD"},
	}
	if diff := cmp.Diff(want, view(fd.Entries())); diff != "" {
		t.Fatalf("entries (-want +got):\n%s", diff)
	}
	if v, _ := fd.Get("c"); v.File != file {
		t.Error("AppendFile without filename did not keep the File")
	}
	if v, _ := fd.Get("d"); v.File.LastModified() != 42 {
		t.Error("renamed file lost lastModified")
	}
	if v, ok := fd.Get("a"); !ok || v.String != "1" || v.IsFile() {
		t.Errorf("Get(a) = %+v %v", v, ok)
	}
	if _, ok := fd.Get("zzz"); ok {
		t.Error("Get of missing name")
	}
	if got := fd.GetAll("a"); len(got) != 2 || got[1].String != "2" {
		t.Errorf("GetAll(a) = %+v", got)
	}
	if got := fd.GetAll("none"); got == nil || len(got) != 0 {
		t.Errorf("GetAll(none) = %#v, want empty", got)
	}
	if !fd.Has("e") || fd.Has("f") || !fd.Has("bad\xff") {
		t.Error("Has")
	}
	fd.Set("a", "3")
	fd.Set("new", "n")
	fd.Delete("b")
	fd.Delete("missing")
	fd.SetBlob("e", blob, "x")
	fd.SetFile("c", file)
	var names []string
	for name, v := range fd.All() {
		names = append(names, name+"="+v.String)
	}
	if diff := cmp.Diff([]string{"a=3", "c=", "d=", "e=", "bad\uFFFD=v\uFFFD", "new=n"}, names); diff != "" {
		t.Errorf("after set/delete (-want +got):\n%s", diff)
	}
	if v, _ := fd.Get("e"); v.File.Name() != "x" {
		t.Errorf("SetBlob name %q", v.File.Name())
	}
	if fd.Len() != 6 {
		t.Errorf("Len %d", fd.Len())
	}
}

// roundTrip extracts fd and parses the body back through a Mixin.
func roundTrip(t *testing.T, fd *FormData) (*FormData, []byte) {
	t.Helper()
	b, ct, err := Extract(fd, false)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := b.FullyRead()
	if err != nil {
		t.Fatal(err)
	}
	m := NewMixin(FromBytes(raw), func() *mime.Type { mt, _ := mime.Parse(ct); return mt })
	back, err := m.FormData()
	if err != nil {
		t.Fatalf("parse: %v\n%q", err, raw)
	}
	return back, raw
}

func TestMultipartRoundTrip(t *testing.T) {
	binary := make([]byte, 300)
	for i := range binary {
		binary[i] = byte(i)
	}
	binFile, _ := NewFile([]any{binary}, "bin.dat", FileOptions{Type: "application/octet-stream"})
	empty, _ := NewFile(nil, "empty.txt", FileOptions{Type: "text/plain"})
	untyped, _ := NewFile([]any{"u"}, "untyped", FileOptions{})
	quoted, _ := NewFile([]any{"q"}, "a \"quoted\"\nname\r.txt", FileOptions{Type: "text/plain"})
	tricky, _ := NewFile([]any{"\r\n--not-a-boundary\r\n"}, "ünï.txt", FileOptions{Type: "text/plain"})

	fd := NewFormData()
	fd.Append("plain", "value")
	fd.Append("multi\nline\rname\r\n", "v1\nv2\rv3\r\nv4")
	fd.Append(`quo"te`, `a "quoted" value`)
	fd.Append("empty", "")
	fd.Append("unicode é", "ünïcödé ✓")
	fd.AppendFile("bin", binFile)
	fd.AppendFile("empty file", empty)
	fd.AppendFile("untyped", untyped)
	fd.AppendFile("quoted", quoted)
	fd.AppendFile("tricky", tricky)

	back, raw := roundTrip(t, fd)
	want := []entryView{
		{Name: "plain", String: "value"},
		{Name: "multi\r\nline\r\nname\r\n", String: "v1\r\nv2\r\nv3\r\nv4"},
		{Name: `quo"te`, String: `a "quoted" value`},
		{Name: "empty", String: ""},
		{Name: "unicode é", String: "ünïcödé ✓"},
		{Name: "bin", File: true, FileName: "bin.dat", Type: "application/octet-stream", Data: string(binary)},
		{Name: "empty file", File: true, FileName: "empty.txt", Type: "text/plain", Data: ""},
		{Name: "untyped", File: true, FileName: "untyped", Type: "application/octet-stream", Data: "u"},
		{Name: "quoted", File: true, FileName: "a \"quoted\"\nname\r.txt", Type: "text/plain", Data: "q"},
		{Name: "tricky", File: true, FileName: "ünï.txt", Type: "text/plain", Data: "\r\n--not-a-boundary\r\n"},
	}
	if diff := cmp.Diff(want, view(back.Entries())); diff != "" {
		t.Errorf("round trip (-want +got):\n%s\nbody:\n%q", diff, raw)
	}
	// The serialization escapes names and filenames.
	for _, frag := range []string{
		`name="multi%0D%0Aline%0D%0Aname%0D%0A"`,
		`name="quo%22te"`,
		`filename="a %22quoted%22%0Aname%0D.txt"`,
		"Content-Type: application/octet-stream\r\n\r\nu\r\n",
		"\r\n\r\nv1\r\nv2\r\nv3\r\nv4\r\n",
	} {
		if !bytes.Contains(raw, []byte(frag)) {
			t.Errorf("body lacks %q", frag)
		}
	}
}

func TestMultipartParse(t *testing.T) {
	const ct = "multipart/form-data; boundary=BOUND"
	tests := []struct {
		name string
		ct   string
		body string
		want []entryView
	}{
		{"empty form", ct, "--BOUND--\r\n", nil},
		{"no trailing CRLF", ct, "--BOUND--", nil},
		{"preamble and epilogue", ct, "preamble\r\n--BOUND\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--BOUND--\r\nepilogue",
			[]entryView{{Name: "a", String: "1"}}},
		{"case-insensitive headers", "multipart/form-data; boundary=bound", "--bound\r\ncontent-disposition: FORM-DATA; NAME=\"foo\"; Filename=\"blob\"\r\ncontent-type: application/json\r\n\r\n{}\r\n--bound--\r\n",
			[]entryView{{Name: "foo", File: true, FileName: "blob", Type: "application/json", Data: "{}"}}},
		{"file without type is text/plain", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\r\n\r\nabc\r\n--BOUND--\r\n",
			[]entryView{{Name: "f", File: true, FileName: "x", Type: "text/plain", Data: "abc"}}},
		{"string part ignores content type and charset", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"s\"\r\nContent-Type: text/plain; charset=latin1\r\n\r\n\xef\xbb\xbf\xe9\r\n--BOUND--\r\n",
			[]entryView{{Name: "s", String: "\ufeff\ufffd"}}},
		{"unquoted name", ct, "--BOUND\r\nContent-Disposition: form-data; name=plain\r\n\r\nv\r\n--BOUND--\r\n",
			[]entryView{{Name: "plain", String: "v"}}},
		{"whitespace after boundary", ct, "--BOUND  \r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--BOUND--\r\n",
			[]entryView{{Name: "a", String: "v"}}},
		{"quoted boundary", `multipart/form-data; boundary="a:b"`, "--a:b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--a:b--\r\n",
			[]entryView{{Name: "a", String: "v"}}},
		{"percent escapes", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"a%22b%0Ac\"; filename=\"%0D%25\"\r\n\r\n\r\n--BOUND--\r\n",
			[]entryView{{Name: "a\"b\nc", File: true, FileName: "\r%25", Type: "text/plain"}}},
		{"other headers ignored", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Other: 1\r\n\r\nv\r\n--BOUND--\r\n",
			[]entryView{{Name: "a", String: "v"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMixin(FromBytes([]byte(tc.body)), func() *mime.Type { mt, _ := mime.Parse(tc.ct); return mt })
			fd, err := m.FormData()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, view(fd.Entries())); diff != "" {
				t.Error(diff)
			}
		})
	}
}

func TestMultipartMalformed(t *testing.T) {
	const ct = "multipart/form-data; boundary=BOUND"
	part := "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n"
	tests := []struct{ name, ct, body string }{
		{"empty body", ct, ""},
		{"no boundary param", "multipart/form-data", "--BOUND--\r\n"},
		{"wrong boundary", ct, "--OTHER\r\n" + part + "--OTHER--\r\n"},
		{"unterminated part", ct, "--BOUND\r\n" + part},
		{"headers not terminated", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"a\""},
		{"no content-disposition", ct, "--BOUND\r\nContent-Type: text/plain\r\n\r\nv\r\n--BOUND--\r\n"},
		{"no name", ct, "--BOUND\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nv\r\n--BOUND--\r\n"},
		{"not form-data", ct, "--BOUND\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--BOUND--\r\n"},
		{"unterminated quote", ct, "--BOUND\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--BOUND--\r\n"},
		{"garbage after boundary", ct, "--BOUNDxyz\r\n" + part + "--BOUND--\r\n"},
		{"header without colon", ct, "--BOUND\r\nbogus\r\n\r\nv\r\n--BOUND--\r\n"},
		{"parameter without value", ct, "--BOUND\r\nContent-Disposition: form-data; name\r\n\r\nv\r\n--BOUND--\r\n"},
		{"LF only", ct, "--BOUND\nContent-Disposition: form-data; name=\"a\"\n\nv\n--BOUND--\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMixin(FromBytes([]byte(tc.body)), func() *mime.Type { mt, _ := mime.Parse(tc.ct); return mt })
			if _, err := m.FormData(); !isTypeError(err) {
				t.Errorf("got %v, want TypeError", err)
			}
		})
	}
}

func TestMultipartLowercasedWPT(t *testing.T) {
	// formdata.any.js: "Consume multipart/form-data headers case-insensitively".
	fd := NewFormData()
	blob, _ := NewBlob([]any{`{"bar":"baz"}`}, BlobOptions{Type: "application/json"})
	fd.AppendBlob("foo", blob)
	b, ct, _ := Extract(fd, false)
	raw, _ := b.FullyRead()
	lower := strings.ToLower(string(raw))
	m := NewMixin(FromBytes([]byte(lower)), func() *mime.Type { mt, _ := mime.Parse(strings.ToLower(ct)); return mt })
	back, err := m.FormData()
	if err != nil {
		t.Fatal(err)
	}
	v, ok := back.Get("foo")
	if !ok || !v.IsFile() || v.File.Type() != "application/json" {
		t.Errorf("got %+v %v", v, ok)
	}
}

func TestFormDataBodyLengthMatches(t *testing.T) {
	fd := NewFormData()
	big := bytes.Repeat([]byte("x"), 300<<10)
	f, _ := NewFile([]any{big}, "big", FileOptions{})
	fd.AppendFile("f", f)
	fd.Append("s", "after")
	b, _, _ := Extract(fd, false)
	r, _ := b.Stream.GetReader()
	var n int64
	for {
		c, err := r.ReadChunk()
		n += int64(len(c))
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
	}
	if n != b.Length {
		t.Errorf("streamed %d bytes, length says %d", n, b.Length)
	}
}
