// Package dataurl implements the Fetch Standard's data: URL processor, which
// turns a data: URL into a MIME type and a body, and the Infra Standard's
// forgiving-base64 decode it relies on.
//
// Spec: https://fetch.spec.whatwg.org/#data-urls,
// https://infra.spec.whatwg.org/#forgiving-base64-decode and
// https://url.spec.whatwg.org/#percent-decode.
//
// The processor takes the URL already serialized with "exclude fragment"
// (the caller parses and serializes it with weburl), so this
// package does not depend on the URL parser.
package dataurl

import (
	"strings"

	"github.com/wfetch/wfetch/weburl"

	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/mime"
)

// Result is the Fetch Standard's data: URL struct.
type Result struct {
	// MIMEType is the parsed MIME type, text/plain;charset=US-ASCII when
	// the URL's type does not parse. Serialize it with Bytes() for the
	// response's Content-Type.
	MIMEType *mime.Type
	// Body is the decoded payload.
	Body []byte
}

// defaultMIMEType is the type used when the URL's type does not parse.
const defaultMIMEType = "text/plain;charset=US-ASCII"

// Process runs the data: URL processor on a data: URL serialized with its
// fragment excluded (for example "data:text/plain;base64,SGk="). It fails,
// with a *errs.TypeError wrapping a network error as fetch reports it, when
// the URL is not a data: URL, has no comma, or holds invalid base64.
//
// https://fetch.spec.whatwg.org/#data-url-processor
func Process(serializedURL string) (*Result, error) {
	// 1-2. The caller hands us the URL serialized without its fragment;
	// check that it is a data: URL (the spec asserts this).
	if len(serializedURL) < 5 || !strings.EqualFold(serializedURL[:5], "data:") {
		return nil, errs.Network(errs.ReasonScheme, nil, "%q is not a data: URL", serializedURL)
	}
	// 3. Drop the "data:" prefix.
	input := serializedURL[5:]
	// 4-5. The MIME type is everything up to the first comma.
	comma := strings.IndexByte(input, ',')
	// 7. Without a comma there is no body: failure.
	if comma < 0 {
		return nil, errs.Network(errs.ReasonOther, nil, "data: URL %q has no comma", serializedURL)
	}
	// 6. Trim ASCII whitespace around the MIME type.
	mimeType := trimASCIIWhitespace(input[:comma])
	// 8-9. The encoded body follows the comma.
	encodedBody := input[comma+1:]
	// 10. Percent-decode it.
	body := PercentDecode(encodedBody)
	// 11. A type ending in ";base64" (spaces allowed before "base64",
	// any case) means the body is base64.
	if rest, ok := cutBase64Suffix(mimeType); ok {
		// 11.1-11.3. Decode the body's bytes (isomorphic decode: each byte
		// is one code point) as forgiving base64.
		decoded, ok := ForgivingBase64Decode(string(body))
		if !ok {
			return nil, errs.Network(errs.ReasonOther, nil, "data: URL %q has an invalid base64 body", serializedURL)
		}
		body = decoded
		// 11.4-11.6. Drop ";base64" and the spaces before it from the type.
		mimeType = rest
	}
	// 12. A type that starts with ";" gets "text/plain" in front.
	if strings.HasPrefix(mimeType, ";") {
		mimeType = "text/plain" + mimeType
	}
	// 13-14. Parse the type, falling back to text/plain;charset=US-ASCII.
	mt, ok := mime.Parse(mimeType)
	if !ok {
		mt, _ = mime.Parse(defaultMIMEType)
	}
	// 15. Done.
	return &Result{MIMEType: mt, Body: body}, nil
}

// cutBase64Suffix reports whether s ends with ";", zero or more spaces and
// "base64" (ASCII case-insensitive), and returns s without that suffix.
func cutBase64Suffix(s string) (string, bool) {
	if len(s) < 6 || !strings.EqualFold(s[len(s)-6:], "base64") {
		return s, false
	}
	rest := strings.TrimRight(s[:len(s)-6], " ")
	if !strings.HasSuffix(rest, ";") {
		return s, false
	}
	return rest[:len(rest)-1], true
}

// PercentDecode percent-decodes a string (its UTF-8 bytes, each "%XX" with
// two hex digits replaced by that byte; other "%" signs kept). It is the URL
// Standard's, shared with the URL parser.
// https://url.spec.whatwg.org/#string-percent-decode
func PercentDecode(s string) []byte { return weburl.PercentDecode(s) }

// ForgivingBase64Decode decodes base64 the way the web does: ASCII
// whitespace anywhere is ignored, padding is optional, and non-zero bits
// left over at the end are allowed. It reports false for anything else that
// is not base64 (stray "=", a length leaving one extra character, characters
// outside A-Z a-z 0-9 + /).
//
// https://infra.spec.whatwg.org/#forgiving-base64-decode
func ForgivingBase64Decode(s string) ([]byte, bool) {
	// 1. Drop ASCII whitespace.
	data := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !isASCIIWhitespace(s[i]) {
			data = append(data, s[i])
		}
	}
	// 2. With a length divisible by 4, up to two trailing "=" are padding.
	if len(data)%4 == 0 {
		for k := 0; k < 2 && len(data) > 0 && data[len(data)-1] == '='; k++ {
			data = data[:len(data)-1]
		}
	}
	// 3. One character left over cannot encode a byte.
	if len(data)%4 == 1 {
		return nil, false
	}
	// 4. Only the base64 alphabet may remain.
	for _, c := range data {
		if base64Value(c) < 0 {
			return nil, false
		}
	}
	// 5-7. Gather 6 bits per character into a 24-bit buffer, emitting three
	// bytes each time it fills.
	out := make([]byte, 0, len(data)*3/4)
	var buffer uint32
	n := 0
	for _, c := range data {
		buffer = buffer<<6 | uint32(base64Value(c))
		n++
		if n == 4 {
			out = append(out, byte(buffer>>16), byte(buffer>>8), byte(buffer))
			buffer, n = 0, 0
		}
	}
	// 8. A partial buffer: 12 bits give one byte, 18 bits give two; the
	// leftover low bits are dropped whatever their value.
	switch n {
	case 2:
		out = append(out, byte(buffer>>4))
	case 3:
		out = append(out, byte(buffer>>10), byte(buffer>>2))
	}
	// 9. Done.
	return out, true
}

// base64Value returns the 6-bit value of a base64 alphabet character, or -1.
func base64Value(c byte) int {
	switch {
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 26
	case '0' <= c && c <= '9':
		return int(c-'0') + 52
	case c == '+':
		return 62
	case c == '/':
		return 63
	}
	return -1
}

// isASCIIWhitespace reports whether c is TAB, LF, FF, CR or SPACE.
// https://infra.spec.whatwg.org/#ascii-whitespace
func isASCIIWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func trimASCIIWhitespace(s string) string {
	i, j := 0, len(s)
	for i < j && isASCIIWhitespace(s[i]) {
		i++
	}
	for j > i && isASCIIWhitespace(s[j-1]) {
		j--
	}
	return s[i:j]
}
