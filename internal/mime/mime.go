package mime

import (
	"strings"
	"unicode/utf8"

	"github.com/wfetch/wfetch/internal/ascii"
)

// Param is one MIME type parameter. Name is ASCII lowercase; Value holds
// only HTTP quoted-string token code points when it came from Parse.
type Param struct{ Name, Value string }

// Type is a MIME type record.
// https://mimesniff.spec.whatwg.org/#mime-type
//
// Type and Subtype are ASCII lowercase HTTP tokens. Params is the ordered
// parameter map: names are unique and lowercase, in the order they were
// first seen.
type Type struct {
	Type, Subtype string
	Params        []Param
}

// tokenTable marks the HTTP token code points.
// https://mimesniff.spec.whatwg.org/#http-token-code-point
var tokenTable = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// IsTokenCodePoint reports whether c is an HTTP token code point.
// https://mimesniff.spec.whatwg.org/#http-token-code-point
func IsTokenCodePoint(c rune) bool { return c >= 0 && c < 256 && tokenTable[c] }

// IsQuotedStringTokenCodePoint reports whether c is an HTTP quoted-string
// token code point (TAB, U+0020 to U+007E, or U+0080 to U+00FF).
// https://mimesniff.spec.whatwg.org/#http-quoted-string-token-code-point
func IsQuotedStringTokenCodePoint(c rune) bool {
	return c == '\t' || (c >= 0x20 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF)
}

// IsToken reports whether s is non-empty and made only of HTTP token code
// points (the value space of RFC 9110's token production).
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenTable[s[i]] {
			return false
		}
	}
	return true
}

// IsHTTPWhitespace reports whether b is HTTP whitespace (TAB, LF, CR, SP).
// https://fetch.spec.whatwg.org/#http-whitespace
func IsHTTPWhitespace(b byte) bool { return b == '\t' || b == '\n' || b == '\r' || b == ' ' }

// TrimHTTPWhitespace removes leading and trailing HTTP whitespace from s.
func TrimHTTPWhitespace(s string) string {
	i, j := 0, len(s)
	for i < j && IsHTTPWhitespace(s[i]) {
		i++
	}
	for j > i && IsHTTPWhitespace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func trimTrailingHTTPWhitespace(s string) string {
	j := len(s)
	for j > 0 && IsHTTPWhitespace(s[j-1]) {
		j--
	}
	return s[:j]
}

// Parse parses s as a MIME type; it returns nil, false on failure. s is
// text: each UTF-8 encoded code point is one code point of the spec's input
// (a byte that is not valid UTF-8 counts as U+FFFD, so it can never be part
// of a type, subtype or kept parameter). For a header value, which is
// bytes, use ParseBytes.
// https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func Parse(s string) (*Type, bool) {
	if isASCII(s) {
		return parseIsomorphic(s)
	}
	// Map the text to one byte per code point. Code points above U+00FF
	// (and invalid UTF-8) become NUL: like them, NUL is neither a token
	// nor a quoted-string token code point and is not whitespace or a
	// delimiter, so every accept/reject decision is unchanged, and values
	// holding them are always dropped.
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r > 0xFF {
			r = 0
		}
		b.WriteByte(byte(r))
	}
	return parseIsomorphic(b.String())
}

// ParseBytes parses a byte sequence (a header value, say) as a MIME type:
// each byte is one code point (isomorphic decode).
// https://mimesniff.spec.whatwg.org/#parse-a-mime-type-from-bytes
func ParseBytes(b string) (*Type, bool) { return parseIsomorphic(b) }

// parseIsomorphic runs the parser over a string in which each byte is one
// code point (U+0000 to U+00FF).
// https://mimesniff.spec.whatwg.org/#parse-a-mime-type
func parseIsomorphic(input string) (*Type, bool) {
	// 1. Trim HTTP whitespace at both ends.
	input = TrimHTTPWhitespace(input)
	// 2-3. Type runs up to the first slash.
	pos := strings.IndexByte(input, '/')
	if pos < 0 {
		// 5. No slash at all.
		return nil, false
	}
	typ := input[:pos]
	// 4. Type must be a non-empty token.
	if !IsToken(typ) {
		return nil, false
	}
	// 6. Skip the slash.
	pos++
	// 7. Subtype runs up to the first semicolon.
	end := strings.IndexByte(input[pos:], ';')
	if end < 0 {
		end = len(input)
	} else {
		end += pos
	}
	// 8. Drop trailing whitespace from it.
	sub := trimTrailingHTTPWhitespace(input[pos:end])
	pos = end
	// 9. Subtype must be a non-empty token.
	if !IsToken(sub) {
		return nil, false
	}
	// 10. Lowercase both into a new record.
	t := &Type{Type: ascii.Lower(typ), Subtype: ascii.Lower(sub)}
	// 11. Parameters.
	for pos < len(input) {
		// 11.1 Skip the semicolon.
		pos++
		// 11.2 Skip HTTP whitespace.
		for pos < len(input) && IsHTTPWhitespace(input[pos]) {
			pos++
		}
		// 11.3 Name runs up to ';' or '='.
		start := pos
		for pos < len(input) && input[pos] != ';' && input[pos] != '=' {
			pos++
		}
		// 11.4 Lowercase it.
		name := input[start:pos]
		// 11.5 A ';' ends a parameter without value; else skip the '='.
		if pos < len(input) {
			if input[pos] == ';' {
				continue
			}
			pos++
		}
		// 11.6 Nothing left: done.
		if pos >= len(input) {
			break
		}
		// 11.7-11.9 The value: quoted or not.
		var value string
		if input[pos] == '"' {
			// 11.8.1 Collect the quoted string, unescaping it.
			value, pos = CollectHTTPQuotedString(input, pos, true)
			// 11.8.2 Ignore anything up to the next ';'.
			for pos < len(input) && input[pos] != ';' {
				pos++
			}
		} else {
			// 11.9.1 Value runs up to ';'.
			start := pos
			for pos < len(input) && input[pos] != ';' {
				pos++
			}
			// 11.9.2 Drop trailing whitespace.
			value = trimTrailingHTTPWhitespace(input[start:pos])
			// 11.9.3 An empty value drops the parameter.
			if value == "" {
				continue
			}
		}
		// 11.10 Keep it if the name is a token, the value is made of
		// quoted-string token code points and the name is new.
		if IsToken(name) && isQuotedStringTokens(value) {
			name = ascii.Lower(name)
			if _, dup := t.Param(name); !dup {
				t.Params = append(t.Params, Param{Name: name, Value: isomorphicDecode(value)})
			}
		}
	}
	// 12. Done.
	return t, true
}

// CollectHTTPQuotedString collects an HTTP quoted string from input
// starting at pos, which must index a '"'. Each byte of input is one code
// point. It returns the value (unescaped and without the quotes when
// extractValue is true, else the raw text consumed) and the position after
// it.
// https://fetch.spec.whatwg.org/#collect-an-http-quoted-string
func CollectHTTPQuotedString(input string, pos int, extractValue bool) (string, int) {
	// 1-2. Remember the start; the value starts empty.
	start := pos
	var value []byte
	// 3-4. Skip the opening quote (the caller guarantees it).
	pos++
	// 5. Loop over runs between quotes and backslashes.
	for {
		// 5.1 Take everything that is not '"' or '\'.
		run := pos
		for pos < len(input) && input[pos] != '"' && input[pos] != '\\' {
			pos++
		}
		value = append(value, input[run:pos]...)
		// 5.2 End of input: stop.
		if pos >= len(input) {
			break
		}
		// 5.3-5.4 Take the quote or backslash.
		c := input[pos]
		pos++
		if c == '\\' {
			// 5.5.1 A trailing backslash stands for itself.
			if pos >= len(input) {
				value = append(value, '\\')
				break
			}
			// 5.5.2-3 Otherwise the next code point is literal.
			value = append(value, input[pos])
			pos++
		} else {
			// 5.6 A closing quote ends the string.
			break
		}
	}
	// 6-7. Return the value or the raw span.
	if extractValue {
		return string(value), pos
	}
	return input[start:pos], pos
}

// Essence returns "type/subtype".
// https://mimesniff.spec.whatwg.org/#mime-type-essence
func (t *Type) Essence() string { return t.Type + "/" + t.Subtype }

// String serializes the MIME type: parameter values that are empty or not
// tokens are quoted, with '"' and '\' escaped.
// https://mimesniff.spec.whatwg.org/#serialize-a-mime-type
func (t *Type) String() string {
	var b strings.Builder
	// 1. type "/" subtype.
	b.WriteString(t.Type)
	b.WriteByte('/')
	b.WriteString(t.Subtype)
	// 2. Each parameter as ;name=value.
	for _, p := range t.Params {
		b.WriteByte(';')
		b.WriteString(p.Name)
		b.WriteByte('=')
		// 2.4 Quote values that are empty or not tokens.
		if IsToken(p.Value) {
			b.WriteString(p.Value)
			continue
		}
		b.WriteByte('"')
		for i := 0; i < len(p.Value); i++ {
			if c := p.Value[i]; c == '"' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(p.Value[i])
		}
		b.WriteByte('"')
	}
	// 3. Done.
	return b.String()
}

// Bytes serializes the MIME type to bytes, as for a header value: each code
// point becomes one byte (isomorphic encode). Code points above U+00FF,
// which only SetParam can introduce, are written as '?'.
// https://mimesniff.spec.whatwg.org/#serialize-a-mime-type-to-bytes
func (t *Type) Bytes() string {
	s := t.String()
	if isASCII(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			r = '?'
		}
		b = append(b, byte(r))
	}
	return string(b)
}

// Param returns the value of the parameter named name (matched ASCII
// case-insensitively) and whether it exists.
func (t *Type) Param(name string) (string, bool) {
	for _, p := range t.Params {
		if EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return "", false
}

// SetParam sets the parameter name (lowercased) to value, replacing an
// existing one in place or appending a new one at the end (an ordered map's
// set). Callers should keep value within HTTP quoted-string token code
// points and name a token, as the spec requires of a MIME type record.
func (t *Type) SetParam(name, value string) {
	name = ascii.Lower(name)
	for i := range t.Params {
		if t.Params[i].Name == name {
			t.Params[i].Value = value
			return
		}
	}
	t.Params = append(t.Params, Param{Name: name, Value: value})
}

// DeleteParam removes the parameter named name, if any.
func (t *Type) DeleteParam(name string) {
	for i := range t.Params {
		if EqualFold(t.Params[i].Name, name) {
			t.Params = append(t.Params[:i:i], t.Params[i+1:]...)
			return
		}
	}
}

// Clone returns a deep copy of t.
func (t *Type) Clone() *Type {
	if t == nil {
		return nil
	}
	c := *t
	if t.Params != nil {
		c.Params = append([]Param(nil), t.Params...)
	}
	return &c
}

// EqualFold reports whether a and b are equal under ASCII case-insensitive
// comparison (unlike strings.EqualFold, no Unicode folding).
func EqualFold(a, b string) bool {
	return ascii.EqualFold(a, b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isQuotedStringTokens(s string) bool {
	for i := 0; i < len(s); i++ {
		if !IsQuotedStringTokenCodePoint(rune(s[i])) {
			return false
		}
	}
	return true
}

// isomorphicDecode turns a byte-per-code-point string into UTF-8 text.
// https://infra.spec.whatwg.org/#isomorphic-decode
func isomorphicDecode(s string) string {
	if isASCII(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); i++ {
		b = utf8.AppendRune(b, rune(s[i]))
	}
	return string(b)
}
