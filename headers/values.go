package headers

import (
	"strconv"
	"unicode/utf8"

	"github.com/wfetch/wfetch/internal/mime"
)

func isHTTPWhitespaceByte(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || b == ' ' }

func isHTTPTabOrSpace(b byte) bool { return b == '\t' || b == ' ' }

// NormalizeValue removes leading and trailing HTTP whitespace bytes (HT,
// LF, CR, SP) from a potential header value.
// https://fetch.spec.whatwg.org/#concept-header-value-normalize
func NormalizeValue(v string) string {
	i, j := 0, len(v)
	for i < j && isHTTPWhitespaceByte(v[i]) {
		i++
	}
	for j > i && isHTTPWhitespaceByte(v[j-1]) {
		j--
	}
	return v[i:j]
}

// IsValidValue reports whether v is a header value: no leading or trailing
// HT or SP, and no NUL, LF or CR anywhere.
// https://fetch.spec.whatwg.org/#header-value
func IsValidValue(v string) bool {
	if v == "" {
		return true
	}
	if isHTTPTabOrSpace(v[0]) || isHTTPTabOrSpace(v[len(v)-1]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == 0 || c == '\n' || c == '\r' {
			return false
		}
	}
	return true
}

// GetDecodeSplitValue splits a header value on commas outside quoted
// strings, trimming HT and SP around each item. Each byte of value is one
// code point (isomorphic decode); the items are returned as UTF-8.
// Most callers want (List).GetDecodeSplit instead.
// https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
func GetDecodeSplitValue(value string) []string {
	vals := getDecodeSplitBytes(value)
	for i, v := range vals {
		vals[i] = isomorphicDecode(v)
	}
	return vals
}

// getDecodeSplitBytes is get, decode, and split with the items left as
// bytes (one byte per code point), which is what the byte-level callers
// (forbidden methods, MIME types from bytes, lengths) need.
// https://fetch.spec.whatwg.org/#header-value-get-decode-and-split
func getDecodeSplitBytes(input string) []string {
	// 1-4. Position at the start; no values; empty temporary value.
	pos := 0
	var values []string
	var temp []byte
	// 5. Loop.
	for {
		// 5.1 Collect up to a quote or a comma.
		start := pos
		for pos < len(input) && input[pos] != '"' && input[pos] != ',' {
			pos++
		}
		if temp == nil && (pos >= len(input) || input[pos] == ',') {
			// Fast path: the item is a plain slice of input, no copy.
			values = append(values, trimTabSpace(input[start:pos]))
		} else {
			temp = append(temp, input[start:pos]...)
			// 5.2 A quoted string is taken whole (raw); keep going unless
			// that was the end.
			if pos < len(input) && input[pos] == '"' {
				var q string
				q, pos = mime.CollectHTTPQuotedString(input, pos, false)
				temp = append(temp, q...)
				if pos < len(input) {
					continue
				}
			}
			// 5.3-5.5 Trim tabs and spaces, append, reset.
			values = append(values, trimTabSpace(string(temp)))
			temp = nil
		}
		// 5.6 End of input: done.
		if pos >= len(input) {
			return values
		}
		// 5.7-5.8 Skip the comma.
		pos++
	}
}

func trimTabSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isHTTPTabOrSpace(s[i]) {
		i++
	}
	for j > i && isHTTPTabOrSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isomorphicDecode turns bytes into UTF-8 text, one code point per byte.
// https://infra.spec.whatwg.org/#isomorphic-decode
func isomorphicDecode(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b := make([]byte, 0, len(s)+8)
			b = append(b, s[:i]...)
			for ; i < len(s); i++ {
				b = utf8.AppendRune(b, rune(s[i]))
			}
			return string(b)
		}
	}
	return s
}

// ParseSingleRangeHeaderValue parses a `bytes=start-end` Range value.
// start or end is -1 when omitted (the standard's null); ok is false on
// failure. With allowWhitespace, HT and SP may surround '=' and '-'.
// Numbers too large for an int64 are treated as failure (the standard's
// numbers are unbounded).
// https://fetch.spec.whatwg.org/#simple-range-header-value
func ParseSingleRangeHeaderValue(value string, allowWhitespace bool) (start, end int64, ok bool) {
	// 1. The bytes are the code points.
	data := value
	// 2. Must start with "bytes".
	if len(data) < 5 || data[:5] != "bytes" {
		return 0, 0, false
	}
	// 3. Position after "bytes".
	pos := 5
	skipWS := func() {
		if allowWhitespace {
			for pos < len(data) && isHTTPTabOrSpace(data[pos]) {
				pos++
			}
		}
	}
	digits := func() (int64, bool, bool) {
		s := pos
		for pos < len(data) && '0' <= data[pos] && data[pos] <= '9' {
			pos++
		}
		if s == pos {
			return -1, true, true
		}
		n, err := strconv.ParseInt(data[s:pos], 10, 64)
		return n, false, err == nil
	}
	// 4. Optional whitespace.
	skipWS()
	// 5-6. An '='.
	if pos >= len(data) || data[pos] != '=' {
		return 0, 0, false
	}
	pos++
	// 7. Optional whitespace.
	skipWS()
	// 8-9. The start, if any.
	start, _, okStart := digits()
	if !okStart {
		return 0, 0, false
	}
	// 10. Optional whitespace.
	skipWS()
	// 11-12. A '-'.
	if pos >= len(data) || data[pos] != '-' {
		return 0, 0, false
	}
	pos++
	// 13. Optional whitespace.
	skipWS()
	// 14-15. The end, if any.
	end, _, okEnd := digits()
	if !okEnd {
		return 0, 0, false
	}
	// 16. Nothing may follow.
	if pos < len(data) {
		return 0, 0, false
	}
	// 17. At least one of the two.
	if start < 0 && end < 0 {
		return 0, 0, false
	}
	// 18. Start may not exceed end.
	if start >= 0 && end >= 0 && start > end {
		return 0, 0, false
	}
	// 19. Done.
	return start, end, true
}

// BuildContentRange returns `bytes start-end/fullLength`.
// https://fetch.spec.whatwg.org/#build-a-content-range
func BuildContentRange(rangeStart, rangeEnd, fullLength int64) string {
	b := make([]byte, 0, 32)
	b = append(b, "bytes "...)
	b = strconv.AppendInt(b, rangeStart, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, rangeEnd, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, fullLength, 10)
	return string(b)
}
