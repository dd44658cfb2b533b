package body

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/weburl"
)

// chunkReader returns data in pieces of at most n bytes.
type chunkReader struct {
	data []byte
	n    int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.data)
	c.data = c.data[k:]
	return k, nil
}

// fuzzMixin returns a Mixin over b whose MIME type is typ (nil when typ does
// not parse).
func fuzzMixin(b *Body, typ string) *Mixin {
	mt, ok := mime.Parse(typ)
	m := NewMixin(b, func() *mime.Type {
		if !ok {
			return nil
		}
		return mt
	})
	return &m
}

// FuzzJSON consumes a body as JSON and checks that a body from bytes and a
// body streamed in small pieces (through a one-byte reader) give the same
// value or the same kind of error, that the value is what encoding/json
// makes of the UTF-8-decoded text, and that malformed JSON is a
// SyntaxError.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5e3,"x\u00e9"],"b":null}`, "\xef\xbb\xbf[true]", "", " ", `"\ud800"`, "[1,]", "\xff\"", `{"a":1}{"b":2}`, "1e999", `"` + strings.Repeat("é", 50) + `"`} {
		f.Add([]byte(s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, piece uint8) {
		m1 := fuzzMixin(FromBytes(bytes.Clone(data)), "application/json")
		v1, err1 := m1.JSONValue()
		r := iotest.OneByteReader(&chunkReader{data: bytes.Clone(data), n: int(piece%7) + 1})
		m2 := fuzzMixin(FromReader(r, -1), "application/json")
		v2, err2 := m2.JSONValue()
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("bytes: %v, %v; reader: %v, %v", v1, err1, v2, err2)
		}
		if err1 != nil {
			var se1, se2 *errs.SyntaxError
			if errors.As(err1, &se1) != errors.As(err2, &se2) {
				t.Fatalf("error kinds differ: %v vs %v", err1, err2)
			}
			var te *errs.TypeError
			if se1 == nil && !errors.As(err1, &te) {
				// (A number out of float64's range, 1e999, is a
				// TypeError: JavaScript would make it Infinity.)
				t.Fatalf("JSON of %q failed with %T %v, want a SyntaxError or TypeError", data, err1, err1)
			}
		}
		if diff := cmp.Diff(v1, v2); diff != "" {
			t.Fatalf("bytes and reader values differ (-bytes +reader)\n%s", diff)
		}
		// The same as encoding/json on the decoded text.
		m3 := fuzzMixin(FromBytes(bytes.Clone(data)), "")
		text, err := m3.Text()
		if err != nil {
			t.Fatal(err)
		}
		var want any
		errJSON := json.Unmarshal([]byte(text), &want)
		if (errJSON == nil) != (err1 == nil) || !cmp.Equal(want, v1) {
			t.Fatalf("JSON of %q: got %v, %v; encoding/json on the text: %v, %v", data, v1, err1, want, errJSON)
		}
	})
}

// entrySummary is what survives a multipart round trip of an entry.
type entrySummary struct {
	Name, Value, Filename, Type string
	Content                     string
	IsFile                      bool
}

func summarize(fd *FormData) []entrySummary {
	var out []entrySummary
	for _, e := range fd.Entries() {
		s := entrySummary{Name: e.Name, Value: e.Value.String, IsFile: e.Value.IsFile()}
		if s.IsFile {
			s.Filename, s.Type, s.Content = e.Value.File.Name(), e.Value.File.Type(), string(e.Value.File.Bytes())
		}
		out = append(out, s)
	}
	return out
}

// reencode serializes fd as the body of a request does and parses it back.
func reencode(t *testing.T, fd *FormData) *FormData {
	t.Helper()
	b, ctype, err := Extract(fd, false)
	if err != nil {
		t.Fatalf("Extract(FormData): %v", err)
	}
	m := fuzzMixin(b, ctype)
	back, err := m.FormData()
	if err != nil {
		t.Fatalf("FormData of our own encoding (%s) failed: %v", ctype, err)
	}
	return back
}

// FuzzFormData parses a body as multipart/form-data (with the given
// boundary) and as application/x-www-form-urlencoded. Parsed entries
// re-encoded and parsed again keep their count and reach a fixed point (the
// encoder normalizes newlines and escapes names, as HTML says), the
// urlencoded path agrees with the URL Standard's parser, and a body read
// in pieces gives the same entries as one read from bytes.
func FuzzFormData(f *testing.F) {
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a%22.txt\"\r\nContent-Type: text/plain\r\n\r\nfile\rbody\n\r\n--b--\r\n"), "b", uint8(3))
	f.Add([]byte("preamble\r\n--xyz \r\ncontent-disposition: form-data; name=n%0A\r\n\r\n\xef\xbb\xbf\xff\r\n--xyz--"), "xyz", uint8(1))
	f.Add([]byte("a=b&c=%20d+e&&=&%zz"), "", uint8(2))
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"\"; filename=\"\"\r\nContent-Type: IMAGE/PNG\r\n\r\n\r\n--b--"), "b", uint8(9))
	f.Fuzz(func(t *testing.T, data []byte, boundary string, piece uint8) {
		for _, typ := range []string{"multipart/form-data; boundary=" + strings.ReplaceAll(strings.ReplaceAll(boundary, `\`, `\\`), `"`, `\"`), "application/x-www-form-urlencoded"} {
			typ = strings.Replace(typ, "boundary=", `boundary="`, 1)
			if strings.Contains(typ, `boundary="`) {
				typ += `"`
			}
			fd, err := fuzzMixin(FromBytes(bytes.Clone(data)), typ).FormData()
			r := &chunkReader{data: bytes.Clone(data), n: int(piece%9) + 1}
			fd2, err2 := fuzzMixin(FromReader(r, -1), typ).FormData()
			if (err == nil) != (err2 == nil) {
				t.Fatalf("%s: bytes err %v, reader err %v", typ, err, err2)
			}
			if err != nil {
				var te *errs.TypeError
				if !errors.As(err, &te) {
					t.Fatalf("%s: error %T %v is not a TypeError", typ, err, err)
				}
				continue
			}
			first := summarize(fd)
			if diff := cmp.Diff(first, summarize(fd2)); diff != "" {
				t.Fatalf("%s: bytes and reader entries differ (-bytes +reader)\n%s", typ, diff)
			}
			if strings.HasPrefix(typ, "application/") {
				var want []entrySummary
				for _, p := range weburl.ParseURLEncoded(string(data)) {
					want = append(want, entrySummary{Name: p.Name, Value: p.Value})
				}
				if diff := cmp.Diff(want, first); diff != "" {
					t.Fatalf("urlencoded FormData differs from the URL parser (-parser +formdata)\n%s", diff)
				}
			}
			// HTML's name escaping is lossy (a literal "%0A" in a name is
			// not escaped and reads back as LF, which the next round
			// turns into CRLF), so the fixed point is reached after two
			// rounds.
			again := reencode(t, fd)
			second := summarize(again)
			third := summarize(reencode(t, reencode(t, again)))
			fourth := summarize(reencode(t, reencode(t, reencode(t, again))))
			if diff := cmp.Diff(third, fourth); diff != "" {
				t.Fatalf("%s: re-encoding is not stable after two rounds (-third +fourth)\n%s", typ, diff)
			}
			if len(second) != len(first) {
				t.Fatalf("%s: re-encoding changed the entry count from %d to %d", typ, len(first), len(second))
			}
		}
	})
}
