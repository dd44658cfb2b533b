package weburl

import (
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/internal/ascii"

	"golang.org/x/net/idna"
)

// HostKind says what a URL's host is.
// https://url.spec.whatwg.org/#concept-host
type HostKind uint8

// The kinds of host. HostNull means the URL has no host at all.
const (
	HostNull   HostKind = iota // no host (null)
	HostDomain                 // a domain such as "example.com"
	HostIPv4                   // an IPv4 address
	HostIPv6                   // an IPv6 address, serialized in brackets
	HostOpaque                 // an opaque host of a non-special URL
	HostEmpty                  // the empty host ("file:///", "sc://")
)

func (k HostKind) String() string {
	switch k {
	case HostDomain:
		return "domain"
	case HostIPv4:
		return "IPv4"
	case HostIPv6:
		return "IPv6"
	case HostOpaque:
		return "opaque"
	case HostEmpty:
		return "empty"
	}
	return "null"
}

// forbiddenHost marks the forbidden host code points; forbiddenDomain adds
// the C0 controls, "%" and DEL.
// https://url.spec.whatwg.org/#forbidden-host-code-point
// https://url.spec.whatwg.org/#forbidden-domain-code-point
var forbiddenHost, forbiddenDomain [256]bool

func init() {
	for _, c := range []byte("\x00\t\n\r #/:<>?@[\\]^|") {
		forbiddenHost[c] = true
		forbiddenDomain[c] = true
	}
	for c := 0; c <= 0x1F; c++ {
		forbiddenDomain[c] = true
	}
	forbiddenDomain['%'] = true
	forbiddenDomain[0x7F] = true
}

// parseHost parses input as a host; isOpaque is set for non-special URLs.
// It returns the serialized host and its kind, or ok=false on failure.
// https://url.spec.whatwg.org/#concept-host-parser
func parseHost(input string, isOpaque bool) (host string, kind HostKind, ok bool) {
	// 1. Bracketed input is an IPv6 address.
	if strings.HasPrefix(input, "[") {
		if !strings.HasSuffix(input, "]") || len(input) < 2 {
			return "", HostNull, false
		}
		addr, ok := parseIPv6(input[1 : len(input)-1])
		if !ok {
			return "", HostNull, false
		}
		return "[" + serializeIPv6(addr) + "]", HostIPv6, true
	}
	// 2. Non-special URLs get an opaque host.
	if isOpaque {
		h, ok := parseOpaqueHost(input)
		if !ok {
			return "", HostNull, false
		}
		if h == "" {
			return "", HostEmpty, true
		}
		return h, HostOpaque, true
	}
	// 3. (input is not empty: callers check.)
	// Fast path: lowercase ASCII without "%" or forbidden code points is
	// its own domain to ASCII.
	if plainDomain(input) {
		if endsInNumber(input) {
			v4, ok := parseIPv4(input)
			if !ok {
				return "", HostNull, false
			}
			return serializeIPv4Of(v4, input), HostIPv4, true
		}
		return input, HostDomain, true
	}
	// 4-5. Percent-decode and UTF-8 decode.
	domain := input
	if strings.IndexByte(input, '%') >= 0 {
		domain = utf8DecodeWithoutBOM(PercentDecode(input))
	}
	// 6-7. Domain to ASCII, not strict.
	ascii, err := domainToASCII(domain, false)
	if err != nil {
		return "", HostNull, false
	}
	// 8. A domain ending in a number must be an IPv4 address.
	if endsInNumber(ascii) {
		v4, ok := parseIPv4(ascii)
		if !ok {
			return "", HostNull, false
		}
		return serializeIPv4(v4), HostIPv4, true
	}
	// 9. A domain.
	return ascii, HostDomain, true
}

// endsInNumber reports whether the last non-empty-trailing label of input
// is all digits or a hex number with 0x prefix.
// https://url.spec.whatwg.org/#ends-in-a-number-checker
func endsInNumber(input string) bool {
	// 2-3. Drop one trailing empty label.
	s := strings.TrimSuffix(input, ".")
	// 4. The last label.
	last := s[strings.LastIndexByte(s, '.')+1:]
	// 5. All ASCII digits.
	if last != "" && allDigits(last) {
		return true
	}
	// 6. Parses as an IPv4 number (only "0x" + hex digits can get here).
	if _, _, ok := parseIPv4Number(last); ok {
		return true
	}
	// 7.
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseIPv4Number parses one dotted part: decimal, octal ("0" prefix) or
// hexadecimal ("0x" prefix). Values too large for uint32 saturate above it.
// https://url.spec.whatwg.org/#ipv4-number-parser
func parseIPv4Number(input string) (n uint64, nonDecimal, ok bool) {
	// 1. Empty input fails.
	if input == "" {
		return 0, false, false
	}
	// 2-5. Pick the radix from the prefix.
	radix := uint64(10)
	if len(input) >= 2 && (input[:2] == "0x" || input[:2] == "0X") {
		input, radix, nonDecimal = input[2:], 16, true
	} else if len(input) >= 2 && input[0] == '0' {
		input, radix, nonDecimal = input[1:], 8, true
	}
	// 6. "0x" alone (or "0" prefix with nothing) is zero.
	if input == "" {
		return 0, true, true
	}
	// 7-8. Every code point must be a digit of the radix.
	const limit = 1 << 40
	for i := 0; i < len(input); i++ {
		d, isHex := ascii.Unhex(input[i])
		if !isHex || uint64(d) >= radix {
			return 0, false, false
		}
		if n < limit {
			n = n*radix + uint64(d)
		}
	}
	// 9.
	return n, nonDecimal, true
}

// parseIPv4 parses an IPv4 address in any of its legacy forms.
// https://url.spec.whatwg.org/#concept-ipv4-parser
func parseIPv4(input string) (uint32, bool) {
	// 1-2. Split on dots; one trailing empty part is allowed.
	var parts [5]string
	n := 0
	rest := input
	for {
		i := strings.IndexByte(rest, '.')
		if n == len(parts) {
			return 0, false // 4. more than four parts
		}
		if i < 0 {
			parts[n] = rest
			n++
			break
		}
		parts[n] = rest[:i]
		n++
		rest = rest[i+1:]
	}
	if parts[n-1] == "" && n > 1 {
		n--
	}
	// 4. Too many parts fail.
	if n > 4 {
		return 0, false
	}
	// 5-6. Parse each number.
	var numbers [4]uint64
	for i := 0; i < n; i++ {
		v, _, ok := parseIPv4Number(parts[i])
		if !ok {
			return 0, false
		}
		numbers[i] = v
	}
	// 8. All but the last must fit a byte.
	for i := 0; i < n-1; i++ {
		if numbers[i] > 255 {
			return 0, false
		}
	}
	// 9. The last fills the remaining bytes.
	if numbers[n-1] >= 1<<(8*(5-n)) {
		return 0, false
	}
	// 10-14. Combine.
	ipv4 := numbers[n-1]
	for i := 0; i < n-1; i++ {
		ipv4 += numbers[i] << (8 * (3 - i))
	}
	return uint32(ipv4), true
}

// serializeIPv4Of is serializeIPv4, returning in itself (no copy) when it
// already is the serialization (the common case: "127.0.0.1").
func serializeIPv4Of(a uint32, in string) string {
	var buf [15]byte
	b := appendIPv4(buf[:0], a)
	if string(b) == in {
		return in
	}
	return string(b)
}

// appendIPv4 appends the dotted-decimal form of a to b.
func appendIPv4(b []byte, a uint32) []byte {
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(a>>(8*i)&0xFF), 10)
		if i != 0 {
			b = append(b, '.')
		}
	}
	return b
}

// serializeIPv4 writes the dotted-decimal form.
// https://url.spec.whatwg.org/#concept-ipv4-serializer
func serializeIPv4(a uint32) string {
	b := make([]byte, 0, 15)
	for i := 3; i >= 0; i-- {
		b = strconv.AppendUint(b, uint64(a>>(8*i)&0xFF), 10)
		if i != 0 {
			b = append(b, '.')
		}
	}
	return string(b)
}

// parseIPv6 parses the text between the brackets of an IPv6 host.
// https://url.spec.whatwg.org/#concept-ipv6-parser
func parseIPv6(input string) (addr [8]uint16, ok bool) {
	// 1-4. Start with zeros, no compression, pointer at 0.
	pieceIndex := 0
	compress := -1
	p := 0
	c := func() int {
		if p < len(input) {
			return int(input[p])
		}
		return -1
	}
	// 5. A leading "::".
	if c() == ':' {
		if p+1 >= len(input) || input[p+1] != ':' {
			return addr, false
		}
		p += 2
		pieceIndex++
		compress = pieceIndex
	}
	// 6. Read pieces.
	for c() != -1 {
		// 6.1. Too many pieces.
		if pieceIndex == 8 {
			return addr, false
		}
		// 6.2. A compression.
		if c() == ':' {
			if compress != -1 {
				return addr, false
			}
			p++
			pieceIndex++
			compress = pieceIndex
			continue
		}
		// 6.3-6.4. Up to four hex digits.
		value, length := 0, 0
		for length < 4 {
			d, isHex := ascii.Unhex(byte(c()))
			if c() == -1 || !isHex {
				break
			}
			value = value*16 + int(d)
			p++
			length++
		}
		// 6.5. An embedded IPv4 address.
		if c() == '.' {
			if length == 0 {
				return addr, false
			}
			p -= length
			if pieceIndex > 6 {
				return addr, false
			}
			numbersSeen := 0
			for c() != -1 {
				ipv4Piece := -1
				if numbersSeen > 0 {
					if c() == '.' && numbersSeen < 4 {
						p++
					} else {
						return addr, false
					}
				}
				if c() < '0' || c() > '9' {
					return addr, false
				}
				for c() >= '0' && c() <= '9' {
					number := c() - '0'
					if ipv4Piece == -1 {
						ipv4Piece = number
					} else if ipv4Piece == 0 {
						return addr, false
					} else {
						ipv4Piece = ipv4Piece*10 + number
					}
					if ipv4Piece > 255 {
						return addr, false
					}
					p++
				}
				addr[pieceIndex] = addr[pieceIndex]*0x100 + uint16(ipv4Piece)
				numbersSeen++
				if numbersSeen == 2 || numbersSeen == 4 {
					pieceIndex++
				}
			}
			if numbersSeen != 4 {
				return addr, false
			}
			break
		}
		// 6.6. A separator must not end the input.
		if c() == ':' {
			p++
			if c() == -1 {
				return addr, false
			}
		} else if c() != -1 {
			// 6.7. Anything else is invalid.
			return addr, false
		}
		// 6.9-6.10. Store the piece.
		addr[pieceIndex] = uint16(value)
		pieceIndex++
	}
	// 7. Move the pieces after the compression to the end.
	if compress != -1 {
		swaps := pieceIndex - compress
		pieceIndex = 7
		for pieceIndex != 0 && swaps > 0 {
			addr[pieceIndex], addr[compress+swaps-1] = addr[compress+swaps-1], addr[pieceIndex]
			pieceIndex--
			swaps--
		}
	} else if pieceIndex != 8 {
		// 8. Without compression all eight pieces are needed.
		return addr, false
	}
	// 9.
	return addr, true
}

// serializeIPv6 writes the RFC 5952 form without brackets.
// https://url.spec.whatwg.org/#concept-ipv6-serializer
func serializeIPv6(addr [8]uint16) string {
	b := make([]byte, 0, 39)
	// 2. Find the longest run of zeros to compress.
	compress := ipv6CompressedPieceIndex(addr)
	// 3-4. Write the pieces.
	ignore0 := false
	for i := 0; i < 8; i++ {
		if ignore0 && addr[i] == 0 {
			continue
		}
		ignore0 = false
		if compress == i {
			if i == 0 {
				b = append(b, "::"...)
			} else {
				b = append(b, ':')
			}
			ignore0 = true
			continue
		}
		b = strconv.AppendUint(b, uint64(addr[i]), 16)
		if i != 7 {
			b = append(b, ':')
		}
	}
	return string(b)
}

// ipv6CompressedPieceIndex returns the start of the first longest run of
// two or more zero pieces, or -1.
// https://url.spec.whatwg.org/#find-the-ipv6-address-compressed-piece-index
func ipv6CompressedPieceIndex(addr [8]uint16) int {
	longestIndex, longestSize := -1, 1
	foundIndex, foundSize := -1, 0
	for i := 0; i < 8; i++ {
		if addr[i] != 0 {
			if foundSize > longestSize {
				longestIndex, longestSize = foundIndex, foundSize
			}
			foundIndex, foundSize = -1, 0
			continue
		}
		if foundIndex == -1 {
			foundIndex = i
		}
		foundSize++
	}
	if foundSize > longestSize {
		return foundIndex
	}
	return longestIndex
}

// parseOpaqueHost checks and percent-encodes the host of a non-special URL.
// https://url.spec.whatwg.org/#concept-opaque-host-parser
func parseOpaqueHost(input string) (string, bool) {
	// 1. Forbidden host code points fail.
	for i := 0; i < len(input); i++ {
		if forbiddenHost[input[i]] {
			return "", false
		}
	}
	// 2-3. (Validation errors only.)
	// 4. Encode C0 controls and non-ASCII.
	return PercentEncode(input, &C0ControlSet), true
}

// The UTS 46 profiles of the domain parser: beStrict false and true.
var (
	idnaLax = idna.New(
		idna.MapForLookup(),
		idna.BidiRule(),
		idna.Transitional(false),
		idna.CheckHyphens(false),
		idna.CheckJoiners(true),
		idna.StrictDomainName(false),
		idna.VerifyDNSLength(false),
	)
	idnaStrict = idna.New(
		idna.MapForLookup(),
		idna.BidiRule(),
		idna.Transitional(false),
		idna.CheckHyphens(true),
		idna.CheckJoiners(true),
		idna.StrictDomainName(true),
		idna.VerifyDNSLength(true),
	)
)

// DomainToASCII runs the URL Standard's domain parser (formerly "domain to
// ASCII") on domain: UTS 46 ToASCII, non-transitional, then the forbidden
// domain code point check. With beStrict, hyphen, STD3 and DNS length
// rules apply too. Failure is a *fetch.TypeError naming the domain.
// https://url.spec.whatwg.org/#concept-domain-to-ascii
func DomainToASCII(domain string, beStrict bool) (string, error) {
	return domainToASCII(domain, beStrict)
}

func domainToASCII(domain string, beStrict bool) (string, error) {
	// 1-3. Strict mode returns the strict ToASCII result as is.
	if beStrict {
		r, err := idnaStrict.ToASCII(premapUTS46(domain))
		if err != nil {
			return "", invalidDomain(domain)
		}
		// x/net/idna's VerifyDNSLength misses an empty label right before
		// a trailing empty one ("a.b.."): only the root label may be empty.
		if t := strings.TrimSuffix(r, "."); t == "" || strings.HasPrefix(t, ".") || strings.HasSuffix(t, ".") || strings.Contains(t, "..") {
			return "", invalidDomain(domain)
		}
		return r, nil
	}
	// 4-6. ASCII input is only lowercased; anything else runs ToASCII.
	var result string
	if isASCIIString(domain) {
		result = ascii.Lower(domain)
	} else {
		r, err := idnaLax.ToASCII(premapUTS46(domain))
		if err != nil {
			return "", invalidDomain(domain)
		}
		result = r
	}
	// 7. Empty fails.
	if result == "" {
		return "", invalidDomain(domain)
	}
	// 8. Forbidden domain code points fail.
	for i := 0; i < len(result); i++ {
		if forbiddenDomain[result[i]] {
			return "", invalidDomain(domain)
		}
	}
	// 9.
	return result, nil
}

// plainDomainByte marks the ASCII bytes that domain to ASCII keeps as is
// and that are not forbidden domain code points.
var plainDomainByte [256]bool

func init() {
	for c := 0x21; c < 0x7F; c++ {
		if !forbiddenDomain[c] && !('A' <= c && c <= 'Z') {
			plainDomainByte[c] = true
		}
	}
}

func plainDomain(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !plainDomainByte[s[i]] {
			return false
		}
	}
	return true
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
