package body

import (
	"bytes"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/unicode"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// utf8Decode drops a leading UTF-8 BOM and decodes the rest, each maximal
// invalid subsequence becoming one U+FFFD.
// https://encoding.spec.whatwg.org/#utf-8-decode
func utf8Decode(b []byte) string {
	// 1-2. Skip a BOM.
	b = bytes.TrimPrefix(b, utf8BOM)
	// 3. Decode the rest.
	return utf8DecodeWithoutBOM(b)
}

// utf8DecodeWithoutBOM decodes b as UTF-8, keeping a leading BOM as
// U+FEFF. The replacement of invalid bytes follows the Encoding Standard's
// UTF-8 decoder (x/text implements its "maximal subpart" rule).
// https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
func utf8DecodeWithoutBOM(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out, err := unicode.UTF8.NewDecoder().Bytes(b)
	if err != nil { // cannot happen: the decoder replaces, never fails
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(out)
}

// utf8DecodeOwned is utf8Decode for a buffer nobody else references and
// that is never written again: valid input becomes the string without a
// copy.
func utf8DecodeOwned(b []byte) string {
	b = bytes.TrimPrefix(b, utf8BOM)
	if len(b) > 0 && utf8.Valid(b) {
		return unsafe.String(&b[0], len(b))
	}
	return utf8DecodeWithoutBOM(b)
}

// toScalarValues converts s to a scalar value string: invalid UTF-8
// becomes U+FFFD (the Go counterpart of replacing lone surrogates).
// https://infra.spec.whatwg.org/#javascript-string-convert
func toScalarValues(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return utf8DecodeWithoutBOM([]byte(s))
}
