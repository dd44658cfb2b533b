package weburl

import (
	"strings"
	"unicode/utf8"

	"github.com/wfetch/wfetch/internal/ascii"
)

// EncodeSet is a percent-encode set
// (https://url.spec.whatwg.org/#percent-encode-set). Every set includes all
// code points above U+007E; the set records which ASCII code points it holds.
type EncodeSet struct{ ascii [2]uint64 }

// Contains reports whether the code point c is in the set.
func (s *EncodeSet) Contains(c rune) bool {
	if c >= 0x7F || c < 0 {
		return true
	}
	return s.ascii[c>>6]&(1<<(uint(c)&63)) != 0
}

func (s *EncodeSet) hasByte(b byte) bool {
	if b >= 0x7F {
		return true
	}
	return s.ascii[b>>6]&(1<<(b&63)) != 0
}

func (s EncodeSet) with(chars string) EncodeSet {
	for i := 0; i < len(chars); i++ {
		c := chars[i]
		s.ascii[c>>6] |= 1 << (c & 63)
	}
	return s
}

func (s EncodeSet) withRange(lo, hi byte) EncodeSet {
	for c := lo; c <= hi; c++ {
		s.ascii[c>>6] |= 1 << (c & 63)
	}
	return s
}

// The percent-encode sets of the URL Standard.
var (
	// C0ControlSet: https://url.spec.whatwg.org/#c0-control-percent-encode-set
	C0ControlSet = EncodeSet{}.withRange(0, 0x1F)
	// FragmentSet: https://url.spec.whatwg.org/#fragment-percent-encode-set
	FragmentSet = C0ControlSet.with(" \"<>`")
	// QuerySet: https://url.spec.whatwg.org/#query-percent-encode-set
	QuerySet = C0ControlSet.with(" \"#<>")
	// SpecialQuerySet: https://url.spec.whatwg.org/#special-query-percent-encode-set
	SpecialQuerySet = QuerySet.with("'")
	// PathSet: https://url.spec.whatwg.org/#path-percent-encode-set
	PathSet = QuerySet.with("?^`{}")
	// UserinfoSet: https://url.spec.whatwg.org/#userinfo-percent-encode-set
	UserinfoSet = PathSet.with("/:;=@[\\]|")
	// ComponentSet: https://url.spec.whatwg.org/#component-percent-encode-set
	ComponentSet = UserinfoSet.with("$%&+,")
	// FormURLEncodedSet: https://url.spec.whatwg.org/#application-x-www-form-urlencoded-percent-encode-set
	FormURLEncodedSet = ComponentSet.with("!'()~")
)

const upperHex = "0123456789ABCDEF"

// appendPercentEncoded appends s to b, UTF-8 percent-encoding every byte
// whose code point is in set; with spaceAsPlus, a space becomes "+".
// Bytes that are not valid UTF-8 are first replaced by U+FFFD, as the
// scalar-value-string conversion would do.
// https://url.spec.whatwg.org/#string-percent-encode-after-encoding (UTF-8 only)
func appendPercentEncoded(b *strings.Builder, s string, set *EncodeSet, spaceAsPlus bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 && c < 0xC2 || c >= 0xF5 {
			// Never the start of a valid sequence.
			b.WriteString("%EF%BF%BD")
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n <= 1 {
				b.WriteString("%EF%BF%BD")
				continue
			}
			for j := 0; j < n; j++ {
				x := s[i+j]
				b.WriteByte('%')
				b.WriteByte(upperHex[x>>4])
				b.WriteByte(upperHex[x&15])
			}
			i += n - 1
			continue
		}
		if spaceAsPlus && c == ' ' {
			b.WriteByte('+')
			continue
		}
		if set.hasByte(c) {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
			continue
		}
		b.WriteByte(c)
	}
}

// PercentEncode UTF-8 percent-encodes s with the given set; when set is
// &FormURLEncodedSet itself (not a copy), spaces become "+". Invalid UTF-8
// is encoded as U+FFFD.
// https://url.spec.whatwg.org/#string-utf-8-percent-encode
func PercentEncode(s string, set *EncodeSet) string {
	if !needsEncoding(s, set) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	appendPercentEncoded(&b, s, set, set == &FormURLEncodedSet)
	return b.String()
}

func needsEncoding(s string, set *EncodeSet) bool {
	for i := 0; i < len(s); i++ {
		if set.hasByte(s[i]) {
			return true
		}
	}
	return false
}

// PercentDecode percent-decodes s: every "%XX" with two hex digits becomes
// the byte XX; everything else is kept as is.
// https://url.spec.whatwg.org/#percent-decode
func PercentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			h, ok1 := ascii.Unhex(s[i+1])
			l, ok2 := ascii.Unhex(s[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|l)
				i += 2
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// utf8DecodeWithoutBOM decodes b as UTF-8 the way the Encoding Standard does:
// each maximal ill-formed subsequence becomes one U+FFFD.
// https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
func utf8DecodeWithoutBOM(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b) + 8)
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			sb.WriteByte(c)
			i++
			continue
		}
		// 1. Work out how many continuation bytes the lead byte needs and
		// the allowed range of the first one.
		var need int
		lo, hi := byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		default:
			sb.WriteRune(utf8.RuneError)
			i++
			continue
		}
		// 2. Consume continuation bytes while they are in range; a bad one
		// ends the subpart without being consumed.
		j := i + 1
		ok := true
		for k := 0; k < need; k++ {
			if j >= len(b) || b[j] < lo || b[j] > hi {
				ok = false
				break
			}
			lo, hi = 0x80, 0xBF
			j++
		}
		if ok {
			sb.Write(b[i:j])
		} else {
			sb.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return sb.String()
}
