package headers

import (
	"slices"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/wfetch/wfetch/internal/mime"
)

// matchesAny reports whether name is a byte-case-insensitive match for one
// of names.
func matchesAny(name string, names []string) bool {
	for _, n := range names {
		if ascii.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// IsValidName reports whether name is a header name: a non-empty token
// (RFC 9110 field-name).
// https://fetch.spec.whatwg.org/#header-name
func IsValidName(name string) bool { return mime.IsToken(name) }

// IsMethod reports whether m is a method: a non-empty token.
// https://fetch.spec.whatwg.org/#concept-method
func IsMethod(m string) bool { return mime.IsToken(m) }

// IsCORSSafelistedMethod reports whether m is `GET`, `HEAD` or `POST`
// (case-sensitive).
// https://fetch.spec.whatwg.org/#cors-safelisted-method
func IsCORSSafelistedMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "POST" }

// IsForbiddenMethod reports whether m is a byte-case-insensitive match for
// `CONNECT`, `TRACE` or `TRACK`.
// https://fetch.spec.whatwg.org/#forbidden-method
func IsForbiddenMethod(m string) bool {
	return ascii.EqualFold(m, "CONNECT") || ascii.EqualFold(m, "TRACE") || ascii.EqualFold(m, "TRACK")
}

var normalizedMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"}

// NormalizeMethod uppercases m when it is a byte-case-insensitive match for
// DELETE, GET, HEAD, OPTIONS, POST or PUT, and returns it unchanged
// otherwise.
// https://fetch.spec.whatwg.org/#concept-method-normalize
func NormalizeMethod(m string) string {
	for _, n := range normalizedMethods {
		if ascii.EqualFold(m, n) {
			return n
		}
	}
	return m
}

var forbiddenRequestHeaderNames = []string{
	"Accept-Charset", "Accept-Encoding", "Access-Control-Request-Headers",
	"Access-Control-Request-Method", "Connection", "Content-Length", "Cookie", "Cookie2",
	"Date", "DNT", "Expect", "Host", "Keep-Alive", "Origin", "Referer", "Set-Cookie", "TE",
	"Trailer", "Transfer-Encoding", "Upgrade", "Via",
}

var methodOverrideHeaderNames = []string{"X-HTTP-Method", "X-HTTP-Method-Override", "X-Method-Override"}

// IsForbiddenRequestHeader reports whether the header (name, value) is a
// forbidden request-header. The value matters only for the
// X-HTTP-Method, X-HTTP-Method-Override and X-Method-Override names, which
// are forbidden when one of the listed methods is a forbidden method.
// https://fetch.spec.whatwg.org/#forbidden-request-header
func IsForbiddenRequestHeader(name, value string) bool {
	// 1. The fixed list of names.
	if matchesAny(name, forbiddenRequestHeaderNames) {
		return true
	}
	// 2. The `proxy-` and `sec-` prefixes.
	if ascii.HasPrefixFold(name, "proxy-") || ascii.HasPrefixFold(name, "sec-") {
		return true
	}
	// 3. Method-override names carrying a forbidden method.
	if matchesAny(name, methodOverrideHeaderNames) {
		// 3.1-3.2 Split the value; each item's bytes are the method.
		for _, m := range getDecodeSplitBytes(value) {
			if IsForbiddenMethod(m) {
				return true
			}
		}
	}
	// 4. Otherwise allowed.
	return false
}

// IsForbiddenResponseHeaderName reports whether name is `Set-Cookie` or
// `Set-Cookie2` (byte-case-insensitive).
// https://fetch.spec.whatwg.org/#forbidden-response-header-name
func IsForbiddenResponseHeaderName(name string) bool {
	return ascii.EqualFold(name, "Set-Cookie") || ascii.EqualFold(name, "Set-Cookie2")
}

// IsRequestBodyHeaderName reports whether name is Content-Encoding,
// Content-Language, Content-Location or Content-Type.
// https://fetch.spec.whatwg.org/#request-body-header-name
func IsRequestBodyHeaderName(name string) bool {
	return matchesAny(name, []string{"Content-Encoding", "Content-Language", "Content-Location", "Content-Type"})
}

// IsCORSNonWildcardRequestHeaderName reports whether name is
// `Authorization` (byte-case-insensitive).
// https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name
func IsCORSNonWildcardRequestHeaderName(name string) bool {
	return ascii.EqualFold(name, "Authorization")
}

// PrivilegedNoCORSRequestHeaderNames lists the privileged no-CORS
// request-header names.
// https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name
var PrivilegedNoCORSRequestHeaderNames = []string{"Range"}

// IsPrivilegedNoCORSRequestHeaderName reports whether name is `Range`
// (byte-case-insensitive).
// https://fetch.spec.whatwg.org/#privileged-no-cors-request-header-name
func IsPrivilegedNoCORSRequestHeaderName(name string) bool {
	return matchesAny(name, PrivilegedNoCORSRequestHeaderNames)
}

var corsSafelistedResponseHeaderNames = []string{
	"Cache-Control", "Content-Language", "Content-Length", "Content-Type", "Expires",
	"Last-Modified", "Pragma",
}

// IsCORSSafelistedResponseHeaderName reports whether name is one of the
// CORS-safelisted response-header names, or matches an item of exposed
// (the Access-Control-Expose-Headers list) that is not a forbidden
// response-header name.
// https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
func IsCORSSafelistedResponseHeaderName(name string, exposed []string) bool {
	if matchesAny(name, corsSafelistedResponseHeaderNames) {
		return true
	}
	for _, e := range exposed {
		if ascii.EqualFold(name, e) && !IsForbiddenResponseHeaderName(e) {
			return true
		}
	}
	return false
}

var noCORSSafelistedNames = []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"}

// IsNoCORSSafelistedRequestHeaderName reports whether name is Accept,
// Accept-Language, Content-Language or Content-Type.
// https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name
func IsNoCORSSafelistedRequestHeaderName(name string) bool {
	return matchesAny(name, noCORSSafelistedNames)
}

// IsNoCORSSafelistedRequestHeader reports whether (name, value) has a
// no-CORS-safelisted name and is a CORS-safelisted request-header.
// https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header
func IsNoCORSSafelistedRequestHeader(name, value string) bool {
	// 1. The name must be on the no-CORS list.
	if !IsNoCORSSafelistedRequestHeaderName(name) {
		return false
	}
	// 2. And the header CORS-safelisted.
	return IsCORSSafelistedRequestHeader(name, value)
}

// IsCORSUnsafeRequestHeaderByte reports whether b is a control byte other
// than HT, DEL, or one of "():<>?@[\]{}.
// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
func IsCORSUnsafeRequestHeaderByte(b byte) bool {
	if b < 0x20 && b != '\t' {
		return true
	}
	switch b {
	case '"', '(', ')', ':', '<', '>', '?', '@', '[', '\\', ']', '{', '}', 0x7F:
		return true
	}
	return false
}

func hasCORSUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		if IsCORSUnsafeRequestHeaderByte(v[i]) {
			return true
		}
	}
	return false
}

func isLanguageByte(c byte) bool {
	switch {
	case '0' <= c && c <= '9', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		return true
	}
	switch c {
	case ' ', '*', ',', '-', '.', ';', '=':
		return true
	}
	return false
}

// IsCORSSafelistedRequestHeader reports whether (name, value) is a
// CORS-safelisted request-header: a value of at most 128 bytes under one
// of the names accept, accept-language, content-language, content-type or
// range, meeting that name's value rule.
// https://fetch.spec.whatwg.org/#cors-safelisted-request-header
func IsCORSSafelistedRequestHeader(name, value string) bool {
	// 1. Long values are never safelisted.
	if len(value) > 128 {
		return false
	}
	// 2. Per-name value rules.
	switch {
	case ascii.EqualFold(name, "accept"):
		if hasCORSUnsafeByte(value) {
			return false
		}
	case ascii.EqualFold(name, "accept-language"), ascii.EqualFold(name, "content-language"):
		for i := 0; i < len(value); i++ {
			if !isLanguageByte(value[i]) {
				return false
			}
		}
	case ascii.EqualFold(name, "content-type"):
		// 2.1 No unsafe bytes.
		if hasCORSUnsafeByte(value) {
			return false
		}
		// 2.2-2.3 Must parse as a MIME type (bytes, isomorphic decoded).
		mt, ok := mime.ParseBytes(value)
		if !ok {
			return false
		}
		// 2.4 With one of the three form essences.
		switch mt.Essence() {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		default:
			return false
		}
	case ascii.EqualFold(name, "range"):
		// 2.1-2.3 A single byte range with a start.
		start, _, ok := ParseSingleRangeHeaderValue(value, false)
		if !ok || start < 0 {
			return false
		}
	default:
		return false
	}
	// 3. Safelisted.
	return true
}

// ConvertToSortedLowercaseSet byte-lowercases names, removes duplicates
// and sorts the result bytewise.
// https://fetch.spec.whatwg.org/#convert-header-names-to-a-sorted-lowercase-set
func ConvertToSortedLowercaseSet(names []string) []string {
	// 1-2. Lowercase into a set.
	set := make([]string, 0, len(names))
	for _, n := range names {
		l := ascii.Lower(n)
		if !slices.Contains(set, l) {
			set = append(set, l)
		}
	}
	// 3. Sort by bytes.
	slices.Sort(set)
	return set
}
