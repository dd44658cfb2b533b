package cache

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/wfetch/wfetch/weburl"
)

// searchVariance is a parsed No-Vary-Search header: which query parameters
// do not tell stored responses apart, and whether their order does.
// https://wicg.github.io/nav-speculation/no-vary-search.html#url-search-variance
type searchVariance struct {
	// noVary lists the names to ignore, unless varyOnly is set, in which
	// case only the names in vary count.
	noVary   []string
	varyOnly bool
	vary     []string
	keyOrder bool // parameter order does not matter
}

// parseNoVarySearch obtains a URL search variance from a response's
// No-Vary-Search header (a structured-field dictionary). It returns nil when
// the header is absent or invalid, or says nothing (the default variance).
// https://wicg.github.io/nav-speculation/no-vary-search.html#obtain-a-url-search-variance
func parseNoVarySearch(h http.Header) *searchVariance {
	vals := h.Values("No-Vary-Search")
	if len(vals) == 0 {
		return nil
	}
	dict, ok := parseSFDictionary(strings.Join(vals, ", "))
	if !ok {
		return nil
	}
	v := &searchVariance{}
	for _, m := range dict {
		switch m.key {
		case "key-order":
			if m.list != nil || !m.isBool {
				return nil
			}
			v.keyOrder = m.b
		case "params":
			switch {
			case m.list != nil:
				v.noVary = m.list
			case m.isBool:
				v.varyOnly = m.b
			default:
				return nil
			}
		}
	}
	for _, m := range dict {
		if m.key == "except" {
			if m.list == nil || !v.varyOnly {
				return nil
			}
			v.vary = m.list
		}
	}
	if !v.keyOrder && !v.varyOnly && len(v.noVary) == 0 {
		return nil
	}
	return v
}

// equivalent reports whether two URLs are equivalent modulo search
// variance: equal apart from the query, whose parameters compare after the
// variance drops the ones that do not count (and sorts them when order
// does not matter).
// https://wicg.github.io/nav-speculation/no-vary-search.html#equivalent-modulo-search-variance
func (v *searchVariance) equivalent(a, b *url.URL) bool {
	if withoutQuery(a) != withoutQuery(b) {
		return false
	}
	pa, pb := v.reduce(a.RawQuery), v.reduce(b.RawQuery)
	return slices.Equal(pa, pb)
}

func (v *searchVariance) reduce(query string) []weburl.Pair {
	pairs := weburl.ParseURLEncoded(query)
	out := pairs[:0:0]
	for _, p := range pairs {
		switch {
		case v.varyOnly && !slices.Contains(v.vary, p.Name):
		case !v.varyOnly && slices.Contains(v.noVary, p.Name):
		default:
			out = append(out, p)
		}
	}
	if v.keyOrder {
		slices.SortStableFunc(out, func(x, y weburl.Pair) int { return compareUTF16(x.Name, y.Name) })
	}
	return out
}

// compareUTF16 orders strings by UTF-16 code units, as the standard sorts.
func compareUTF16(a, b string) int {
	ua, ub := []rune(a), []rune(b)
	units := func(rs []rune) []uint16 {
		var u []uint16
		for _, r := range rs {
			if r >= 0x10000 {
				r -= 0x10000
				u = append(u, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			} else {
				u = append(u, uint16(r))
			}
		}
		return u
	}
	return slices.Compare(units(ua), units(ub))
}

// withoutQuery is a URL without its query and fragment.
func withoutQuery(u *url.URL) string {
	n := *u
	n.RawQuery, n.ForceQuery, n.Fragment, n.RawFragment = "", false, "", ""
	return n.String()
}

// sfMember is a dictionary member: a boolean, or an inner list of strings.
type sfMember struct {
	key    string
	isBool bool
	b      bool
	list   []string // non-nil for an inner list
}

// parseSFDictionary parses the structured-field dictionaries
// No-Vary-Search uses (RFC 8941 §4.2.2): members that are booleans (bare
// keys are true) or inner lists of strings. Parameters are skipped; any
// other value makes the whole header invalid. A later duplicate key
// overrides an earlier one.
func parseSFDictionary(s string) ([]sfMember, bool) {
	var out []sfMember
	i := 0
	skipSP := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	skipSP()
	for i < len(s) {
		// key
		start := i
		if !(s[i] >= 'a' && s[i] <= 'z') && s[i] != '*' {
			return nil, false
		}
		for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9' || strings.IndexByte("_-.*", s[i]) >= 0) {
			i++
		}
		m := sfMember{key: s[start:i], isBool: true, b: true}
		if i < len(s) && s[i] == '=' {
			i++
			switch {
			case i < len(s) && s[i] == '?':
				if i+1 >= len(s) || (s[i+1] != '0' && s[i+1] != '1') {
					return nil, false
				}
				m.b = s[i+1] == '1'
				i += 2
			case i < len(s) && s[i] == '(':
				i++
				m.isBool, m.list = false, []string{}
				for {
					skipSP()
					if i >= len(s) {
						return nil, false
					}
					if s[i] == ')' {
						i++
						break
					}
					str, n, ok := parseSFString(s[i:])
					if !ok {
						return nil, false
					}
					i += n
					m.list = append(m.list, str)
					if i < len(s) && s[i] != ' ' && s[i] != ')' {
						return nil, false
					}
				}
			default:
				return nil, false
			}
		}
		// parameters: skipped
		for i < len(s) && s[i] == ';' {
			i++
			for i < len(s) && s[i] != ';' && s[i] != ',' {
				i++
			}
		}
		out = slices.DeleteFunc(out, func(o sfMember) bool { return o.key == m.key })
		out = append(out, m)
		skipSP()
		if i >= len(s) {
			break
		}
		if s[i] != ',' {
			return nil, false
		}
		i++
		skipSP()
		if i >= len(s) {
			return nil, false // trailing comma
		}
	}
	return out, true
}

// parseSFString parses a structured-field string at the start of s and
// returns it and the bytes consumed.
func parseSFString(s string) (string, int, bool) {
	if len(s) == 0 || s[0] != '"' {
		return "", 0, false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) || (s[i+1] != '"' && s[i+1] != '\\') {
				return "", 0, false
			}
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), i + 1, true
		case c < 0x20 || c > 0x7e:
			return "", 0, false
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}
