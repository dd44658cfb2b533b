package response

import (
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// ContentLength returns the response's Content-Length as a number, or -1
// when it has none, or one that is not a single non-negative decimal (as
// "extract a length" says). It reads the headers the response exposes, so
// a CORS response shows it only when the server exposes it (Content-Length
// is CORS-safelisted). The length is that of the body as sent: with a
// content coding, the decoded body is longer.
// https://fetch.spec.whatwg.org/#header-list-extract-a-length
func (r *Response) ContentLength() int64 {
	if r == nil {
		return -1
	}
	v, ok, _ := r.Headers().Get("Content-Length")
	if !ok {
		return -1
	}
	// Values combined from several headers must all be equal.
	first := ""
	for i, part := range strings.Split(v, ",") {
		part = strings.Trim(part, " \t")
		if i == 0 {
			first = part
		} else if part != first {
			return -1
		}
	}
	if first == "" || strings.TrimLeft(first, "0123456789") != "" {
		return -1
	}
	n, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// DecodedText reads the body as text in the charset its Content-Type names
// (charset=iso-8859-1, shift_jis, windows-1252, utf-16le, ...), decoded with
// golang.org/x/text under the WHATWG Encoding Standard's labels. It is
// beyond the Fetch Standard, whose Text always decodes UTF-8 (and which
// Text still does): use it for legacy servers. Without a charset, or with
// one the Encoding Standard does not know, it decodes UTF-8 as Text does.
// A leading byte order mark wins over the label, as in the standard's
// "decode".
func (r *Response) DecodedText() (string, error) {
	b, err := r.Bytes()
	if err != nil {
		return "", err
	}
	enc := charsetOf(r.Headers().Value("Content-Type"))
	switch {
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		enc = unicode.UTF8
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	}
	if enc == nil {
		enc = unicode.UTF8
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", err
	}
	if enc == unicode.UTF8 && len(out) >= 3 && string(out[:3]) == "\uFEFF" {
		out = out[3:]
	}
	return string(out), nil
}

// charsetOf returns the encoding named by a Content-Type's charset
// parameter, or nil.
func charsetOf(contentType string) encoding.Encoding {
	for _, p := range strings.Split(contentType, ";")[1:] {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "charset") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if e, err := htmlindex.Get(v); err == nil {
			return e
		}
		return nil
	}
	return nil
}
