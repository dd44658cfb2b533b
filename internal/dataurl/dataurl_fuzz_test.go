package dataurl

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/internal/mime"
	"github.com/wfetch/wfetch/weburl"
)

// FuzzForgivingBase64 checks forgiving-base64 decode against
// encoding/base64: any bytes encoded (padded or not, with ASCII whitespace
// sprinkled in) decode back to themselves, and on arbitrary input the
// decoder agrees with the lenient RawStdEncoding decoder applied after the
// spec's whitespace and padding steps.
func FuzzForgivingBase64(f *testing.F) {
	for _, s := range []string{"", "YQ", "YQ==", "YR", "YQ=", "Y", "ab=c", " Y Q = = ", "\fYWJj\r\n", "=", "====", "YQ===", "-_", "AAA/+", "\x00"} {
		f.Add(s, []byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, raw []byte, step uint8) {
		// 1. Round trip of real data.
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			e := enc.EncodeToString(raw)
			if step > 0 {
				e = sprinkle(e, int(step))
			}
			got, ok := ForgivingBase64Decode(e)
			if !ok || !bytes.Equal(got, raw) {
				t.Fatalf("decode(%q) = %q, %v; want %q", e, got, ok, raw)
			}
		}
		// 2. Agreement on arbitrary input.
		got, ok := ForgivingBase64Decode(s)
		data := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
				return -1
			}
			return r
		}, s)
		if len(data)%4 == 0 {
			data = strings.TrimSuffix(data, "=")
			if len(data)%4 == 3 {
				data = strings.TrimSuffix(data, "=")
			}
		}
		want, err := base64.RawStdEncoding.DecodeString(data)
		if ok != (err == nil) || (ok && !bytes.Equal(got, want)) {
			t.Fatalf("decode(%q) = %q, %v; encoding/base64 says %q, %v", s, got, ok, want, err)
		}
	})
}

// sprinkle inserts ASCII whitespace into s every step bytes.
func sprinkle(s string, step int) string {
	var b strings.Builder
	ws := " \t\n\f\r"
	for i := 0; i < len(s); i++ {
		if i%step == 0 {
			b.WriteByte(ws[i%len(ws)])
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FuzzDataURL checks the data: URL processor: a URL built from a MIME type
// and a payload (percent-encoded, or base64 then percent-encoded) yields
// that payload and the type as parsed directly; an arbitrary URL,
// serialized by the URL parser as fetch does, never panics, and a non-base64
// body equals the percent-decoded text after the comma.
func FuzzDataURL(f *testing.F) {
	f.Add("text/plain;charset=utf-8", []byte("hello"), false, "data:,hi")
	f.Add("", []byte{0, 1, 2, 0xff}, true, "data:;base64,AAE=")
	f.Add(" image/png ", []byte("\x89PNG"), true, "DATA:text/html;BASE64 ,%3Cb%3E")
	f.Add(";charset=x", []byte("%41 b"), false, "data:text/plain;base64;x=y,YQ")
	f.Add("a/b;base64", []byte("x"), true, "data:text/plain ; base64,Y Q%3D%3D#frag")
	f.Fuzz(func(t *testing.T, typ string, payload []byte, b64 bool, raw string) {
		typ = strings.ReplaceAll(typ, ",", "")
		// The URL parser would percent-encode or strip some bytes of the
		// type; keep it to what a serialized URL holds.
		typ = strings.Map(func(r rune) rune {
			if r <= 0x20 && r != ' ' || r >= 0x7f || r == '#' || r == '%' || r == '?' {
				return -1
			}
			return r
		}, typ)
		trimmed := strings.Trim(typ, " ")
		if _, typeSaysBase64 := cutBase64Suffix(trimmed); !typeSaysBase64 || b64 {
			body := string(payload)
			suffix := ""
			if b64 {
				body = base64.StdEncoding.EncodeToString(payload)
				suffix = ";base64"
			}
			u := "data:" + typ + suffix + "," + percentEncodeBytes(body)
			res, err := Process(u)
			if err != nil {
				t.Fatalf("Process(%q): %v", u, err)
			}
			if !bytes.Equal(res.Body, payload) {
				t.Fatalf("Process(%q) body %q, want %q", u, res.Body, payload)
			}
			mt := trimmed
			if strings.HasPrefix(mt, ";") {
				mt = "text/plain" + mt
			}
			want, ok := mime.Parse(mt)
			if !ok {
				want, _ = mime.Parse(defaultMIMEType)
			}
			if diff := cmp.Diff(want, res.MIMEType); diff != "" {
				t.Fatalf("Process(%q) MIME type (-want +got)\n%s", u, diff)
			}
		}

		// Arbitrary input, through the URL parser as fetch does.
		pu, err := weburl.Parse(raw, nil)
		if err != nil || pu.Scheme() != "data" {
			return
		}
		ser := pu.Serialize(true)
		res, err := Process(ser)
		if err != nil {
			return
		}
		_, after, _ := strings.Cut(ser[len("data:"):], ",")
		before, _, _ := strings.Cut(ser[len("data:"):], ",")
		if _, isB64 := cutBase64Suffix(strings.Trim(before, " \t\n\f\r")); !isB64 {
			if got := PercentDecode(after); !bytes.Equal(res.Body, got) {
				t.Fatalf("Process(%q) body %q, percent-decoded %q", ser, res.Body, got)
			}
		} else if direct, ok := ForgivingBase64Decode(string(PercentDecode(after))); !ok || !bytes.Equal(direct, res.Body) {
			t.Fatalf("Process(%q) body %q, direct decode %q, %v", ser, res.Body, direct, ok)
		}
	})
}

// percentEncodeBytes percent-encodes every byte of s that is not an ASCII
// letter or digit (the URL serializer's own encoder would take s as UTF-8).
func percentEncodeBytes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&15])
	}
	return b.String()
}
