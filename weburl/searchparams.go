package weburl

import (
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// SearchParams is the URLSearchParams class: an ordered list of name-value
// pairs serialized as application/x-www-form-urlencoded. When it belongs
// to a URL (URL.SearchParams), every mutation rewrites that URL's query.
// https://url.spec.whatwg.org/#interface-urlsearchparams
type SearchParams struct {
	list []Pair
	url  *URL
}

// NewSearchParams parses init as application/x-www-form-urlencoded, after
// removing one leading "?" (new URLSearchParams(string)).
// https://url.spec.whatwg.org/#dom-urlsearchparams-urlsearchparams
func NewSearchParams(init string) *SearchParams {
	// 1. Drop a leading "?".
	init = strings.TrimPrefix(init, "?")
	// 2. Initialize from the string.
	return &SearchParams{list: ParseURLEncoded(init)}
}

// SearchParamsFromPairs builds a list from pairs, in order (the sequence
// and record forms of the constructor). Invalid UTF-8 is replaced by
// U+FFFD when serialized.
func SearchParamsFromPairs(pairs []Pair) *SearchParams {
	return &SearchParams{list: slices.Clone(pairs)}
}

// SearchParams returns the URL's query object, creating it from the query
// on first use. Mutating it updates the URL's query.
// https://url.spec.whatwg.org/#dom-url-searchparams
func (u *URL) SearchParams() *SearchParams {
	if u.searchParams == nil {
		u.searchParams = &SearchParams{url: u}
		if u.hasQuery {
			u.searchParams.list = ParseURLEncoded(u.query)
		}
	}
	return u.searchParams
}

// update writes the serialized list back to the owning URL's query.
// https://url.spec.whatwg.org/#concept-urlsearchparams-update
func (s *SearchParams) update() {
	// 1. Nothing to do without a URL.
	if s.url == nil {
		return
	}
	// 2-4. Serialize; an empty serialization makes the query null.
	q := SerializeURLEncoded(s.list)
	s.url.query, s.url.hasQuery = q, q != ""
}

// Size returns the number of pairs.
// https://url.spec.whatwg.org/#dom-urlsearchparams-size
func (s *SearchParams) Size() int { return len(s.list) }

// Append adds a pair at the end.
// https://url.spec.whatwg.org/#dom-urlsearchparams-append
func (s *SearchParams) Append(name, value string) {
	s.list = append(s.list, Pair{name, value})
	s.update()
}

// Delete removes every pair named name, or, when value is non-nil, every
// pair with that name and value.
// https://url.spec.whatwg.org/#dom-urlsearchparams-delete
func (s *SearchParams) Delete(name string, value *string) {
	s.list = slices.DeleteFunc(s.list, func(p Pair) bool {
		return p.Name == name && (value == nil || p.Value == *value)
	})
	s.update()
}

// Get returns the value of the first pair named name.
// https://url.spec.whatwg.org/#dom-urlsearchparams-get
func (s *SearchParams) Get(name string) (string, bool) {
	for _, p := range s.list {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// GetAll returns the values of all pairs named name, in order.
// https://url.spec.whatwg.org/#dom-urlsearchparams-getall
func (s *SearchParams) GetAll(name string) []string {
	var out []string
	for _, p := range s.list {
		if p.Name == name {
			out = append(out, p.Value)
		}
	}
	return out
}

// Has reports whether a pair named name (and, when value is non-nil, with
// that value) exists.
// https://url.spec.whatwg.org/#dom-urlsearchparams-has
func (s *SearchParams) Has(name string, value *string) bool {
	for _, p := range s.list {
		if p.Name == name && (value == nil || p.Value == *value) {
			return true
		}
	}
	return false
}

// Set gives the first pair named name the value and removes the others, or
// appends the pair when there is none.
// https://url.spec.whatwg.org/#dom-urlsearchparams-set
func (s *SearchParams) Set(name, value string) {
	// 1. Replace the first, drop the rest.
	found := false
	out := s.list[:0]
	for _, p := range s.list {
		if p.Name == name {
			if found {
				continue
			}
			found = true
			p.Value = value
		}
		out = append(out, p)
	}
	clear(s.list[len(out):])
	s.list = out
	// 2. Otherwise append.
	if !found {
		s.list = append(s.list, Pair{name, value})
	}
	// 3.
	s.update()
}

// Sort orders the pairs by name, comparing UTF-16 code units as
// JavaScript does; pairs with equal names keep their order.
// https://url.spec.whatwg.org/#dom-urlsearchparams-sort
func (s *SearchParams) Sort() {
	slices.SortStableFunc(s.list, func(a, b Pair) int { return compareUTF16(a.Name, b.Name) })
	s.update()
}

// compareUTF16 compares a and b by their UTF-16 code units.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ua, ub := firstUTF16Unit(ra), firstUTF16Unit(rb)
			if ua != ub {
				if ua < ub {
					return -1
				}
				return 1
			}
			// Same high surrogate: the low surrogates order as the runes do.
			if ra < rb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

func firstUTF16Unit(r rune) rune {
	if r < 0x10000 {
		return r
	}
	return 0xD800 + (r-0x10000)>>10
}

// String serializes the pairs as application/x-www-form-urlencoded.
// https://url.spec.whatwg.org/#urlsearchparams-stringification-behavior
func (s *SearchParams) String() string { return SerializeURLEncoded(s.list) }

// Entries returns a copy of the pairs.
func (s *SearchParams) Entries() []Pair { return slices.Clone(s.list) }

// All iterates over the pairs as (name, value). Like the JavaScript
// iterator it sees mutations made during iteration.
// https://url.spec.whatwg.org/#interface-urlsearchparams (iterable)
func (s *SearchParams) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := 0; i < len(s.list); i++ {
			if !yield(s.list[i].Name, s.list[i].Value) {
				return
			}
		}
	}
}

// Keys iterates over the names.
func (s *SearchParams) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(s.list); i++ {
			if !yield(s.list[i].Name) {
				return
			}
		}
	}
}

// Values iterates over the values.
func (s *SearchParams) Values() iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; i < len(s.list); i++ {
			if !yield(s.list[i].Value) {
				return
			}
		}
	}
}
