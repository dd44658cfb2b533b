package weburl

import (
	"strings"
)

// premapUTS46 brings x/net/idna's Unicode 15.0 IDNA mapping table up to
// date for the code points whose status changed in later UTS 46 versions
// (15.1 and 16.0), which the WPT IDNA data expects: they are mapped here
// to what the newer table maps them to, before x/net/idna runs. Only
// mapped-to targets that are valid in the 15.0 table are used.
func premapUTS46(s string) string {
	needs := false
	for _, r := range s {
		if _, ok := uts46Update(r); ok {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if m, ok := uts46Update(r); ok {
			b.WriteString(m)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// uts46Update returns the newer mapping of r ("" for ignored) when it
// differs from the Unicode 15.0 IDNA table.
func uts46Update(r rune) (string, bool) {
	if r < 0x4C0 {
		return "", false
	}
	switch {
	case r >= 0x10A0 && r <= 0x10C5, r == 0x10C7, r == 0x10CD:
		// Georgian capital letters: mapped to Nuskhuri (since 15.1/16.0).
		return string(rune(0x2D00 + r - 0x10A0)), true
	case r == 0x1E9E: // LATIN CAPITAL LETTER SHARP S -> ß (15.1)
		return "ß", true
	case r == 0x04C0: // CYRILLIC LETTER PALOCHKA -> small palochka
		return "\u04CF", true
	case r == 0x2132: // TURNED CAPITAL F -> small turned f
		return "\u214E", true
	case r == 0x2183: // ROMAN NUMERAL REVERSED ONE HUNDRED -> small
		return "\u2184", true
	case r == 0x1C89: // CYRILLIC CAPITAL LETTER TJE (16.0) -> small
		return "\u1C8A", true
	// CJK compatibility ideographs whose mappings were corrected.
	case r == 0x2F868:
		return "\u36FC", true
	case r == 0x2F874:
		return "\u5F53", true
	case r == 0x2F91F:
		return "\U000243AB", true
	case r == 0x2F95F:
		return "\u7AEE", true
	case r == 0x2F9BF:
		return "\u45D7", true
	// Default-ignorable code points that became "ignored".
	case r == 0x115F, r == 0x1160, r == 0x17B4, r == 0x17B5, r == 0x180E,
		r >= 0x206A && r <= 0x206F, r == 0x3164, r == 0xFFA0, r >= 0x1D173 && r <= 0x1D17A:
		return "", true
	}
	return "", false
}
