// Package ascii holds the byte-level ASCII helpers that the Fetch, URL and
// MIME Sniffing algorithms share: ASCII lowercase, ASCII case-insensitive
// match and hex digits (https://infra.spec.whatwg.org/#ascii-lowercase,
// #ascii-case-insensitive, #ascii-hex-digit). They work on bytes, leave
// every non-ASCII byte alone and never allocate unless they must.
package ascii

// Lower returns s with A–Z lowercased, allocating only when s has an
// uppercase ASCII letter.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// EqualFold reports whether a and b are equal when A–Z and a–z are taken
// as the same; every other byte must match exactly.
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if x, y := a[i], b[i]; x != y {
			// Equal only if they differ in the case bit of a letter.
			if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
				return false
			}
		}
	}
	return true
}

// HasPrefixFold reports whether s starts with prefix, ASCII
// case-insensitively.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && EqualFold(s[:len(prefix)], prefix)
}

// IsHex reports whether c is an ASCII hex digit.
func IsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Unhex returns the value of the ASCII hex digit c, and false when c is
// not one.
func Unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
