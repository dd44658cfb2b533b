package weburl

import "strings"

// Pair is one name-value tuple of an application/x-www-form-urlencoded list.
type Pair struct{ Name, Value string }

// ParseURLEncoded parses input (taken as its UTF-8 bytes) as
// application/x-www-form-urlencoded: "&"-separated "name=value" entries,
// "+" meaning space, percent-escapes decoded, invalid UTF-8 replaced by
// U+FFFD. Empty entries are skipped.
// https://url.spec.whatwg.org/#concept-urlencoded-parser
func ParseURLEncoded(input string) []Pair {
	// 1-2. Split on "&" and collect the tuples.
	var out []Pair
	for len(input) > 0 {
		var seq string
		if i := strings.IndexByte(input, '&'); i >= 0 {
			seq, input = input[:i], input[i+1:]
		} else {
			seq, input = input, ""
		}
		// 3.1. Skip empty sequences.
		if seq == "" {
			continue
		}
		// 3.2-3.3. Name up to the first "=", value after it.
		name, value, _ := strings.Cut(seq, "=")
		// 3.4-3.5. "+" to space, percent-decode, UTF-8 decode.
		out = append(out, Pair{Name: decodeFormComponent(name), Value: decodeFormComponent(value)})
	}
	return out
}

// decodeFormComponent replaces "+" by space, percent-decodes and decodes as
// UTF-8 without BOM.
func decodeFormComponent(s string) string {
	if strings.IndexByte(s, '+') < 0 && strings.IndexByte(s, '%') < 0 {
		return utf8DecodeWithoutBOM([]byte(s))
	}
	b := PercentDecode(strings.ReplaceAll(s, "+", " "))
	return utf8DecodeWithoutBOM(b)
}

// SerializeURLEncoded serializes pairs as application/x-www-form-urlencoded,
// UTF-8 only: "name=value" joined by "&", with every byte outside
// [A-Za-z0-9*-._] percent-encoded and space written as "+".
// https://url.spec.whatwg.org/#concept-urlencoded-serializer
func SerializeURLEncoded(pairs []Pair) string {
	// 1. The encoding is always UTF-8 here (the legacy encoding argument is
	// left out).
	var b strings.Builder
	n := 0
	for _, p := range pairs {
		n += len(p.Name) + len(p.Value) + 2
	}
	b.Grow(n + n/4)
	// 3. Encode each tuple and join with "&".
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		appendPercentEncoded(&b, p.Name, &FormURLEncodedSet, true)
		b.WriteByte('=')
		appendPercentEncoded(&b, p.Value, &FormURLEncodedSet, true)
	}
	return b.String()
}
