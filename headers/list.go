package headers

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/wfetch/wfetch/internal/mime"
)

// Field is one header: a name and a value, both byte sequences.
// https://fetch.spec.whatwg.org/#concept-header
type Field struct{ Name, Value string }

// List is a header list: an ordered multimap of headers whose names keep
// the casing they were given. Its methods are the header list algorithms;
// they do not validate their input (Headers does).
// https://fetch.spec.whatwg.org/#concept-header-list
type List []Field

// Len returns the number of headers in the list.
func (l List) Len() int { return len(l) }

// Clone returns a copy of the list.
func (l List) Clone() List {
	if l == nil {
		return nil
	}
	return slices.Clone(l)
}

// Contains reports whether the list has a header whose name is a
// byte-case-insensitive match for name.
// https://fetch.spec.whatwg.org/#header-list-contains
func (l List) Contains(name string) bool {
	for i := range l {
		if ascii.EqualFold(l[i].Name, name) {
			return true
		}
	}
	return false
}

// Get returns the values of all headers named name (byte-case-insensitive),
// joined by ", " in order, and false when there is none (the standard's
// null).
// https://fetch.spec.whatwg.org/#concept-header-list-get
func (l List) Get(name string) (string, bool) {
	// 1. None: null.
	first := -1
	n := 0
	size := 0
	for i := range l {
		if ascii.EqualFold(l[i].Name, name) {
			if first < 0 {
				first = i
			}
			n++
			size += len(l[i].Value)
		}
	}
	if first < 0 {
		return "", false
	}
	// 2. Join the values with ", ".
	if n == 1 {
		return l[first].Value, true
	}
	var b strings.Builder
	b.Grow(size + 2*(n-1))
	for i := first; i < len(l); i++ {
		if ascii.EqualFold(l[i].Name, name) {
			if i != first {
				b.WriteString(", ")
			}
			b.WriteString(l[i].Value)
		}
	}
	return b.String(), true
}

// Values returns the values of all headers named name, in order, without
// combining them (nil when there is none). GetSetCookie uses it.
func (l List) Values(name string) []string {
	var out []string
	for i := range l {
		if ascii.EqualFold(l[i].Name, name) {
			out = append(out, l[i].Value)
		}
	}
	return out
}

// GetDecodeSplit gets name's combined value and splits it on commas that
// are not inside quoted strings, trimming HT and SP from each item. ok is
// false when the list has no such header (the standard's null). Items are
// isomorphic decoded (bytes 0x80-0xFF become U+0080-U+00FF in UTF-8).
// https://fetch.spec.whatwg.org/#concept-header-list-get-decode-split
func (l List) GetDecodeSplit(name string) (values []string, ok bool) {
	// 1-2. Get; null stays null.
	v, ok := l.Get(name)
	if !ok {
		return nil, false
	}
	// 3. Split the value.
	return GetDecodeSplitValue(v), true
}

// getDecodeSplitBytes is GetDecodeSplit with the items kept as bytes.
func (l List) getDecodeSplitBytes(name string) ([]string, bool) {
	v, ok := l.Get(name)
	if !ok {
		return nil, false
	}
	return getDecodeSplitBytes(v), true
}

// Append adds (name, value) at the end, reusing the casing of the name of
// the first header already present under that name, if any.
// https://fetch.spec.whatwg.org/#concept-header-list-append
func (l *List) Append(name, value string) {
	// 1. Reuse an existing name's casing.
	for i := range *l {
		if f := (*l)[i]; ascii.EqualFold(f.Name, name) {
			name = f.Name
			break
		}
	}
	// 2. Append.
	*l = append(*l, Field{name, value})
}

// Delete removes every header named name (byte-case-insensitive).
// https://fetch.spec.whatwg.org/#concept-header-list-delete
func (l *List) Delete(name string) {
	*l = slices.DeleteFunc(*l, func(f Field) bool { return ascii.EqualFold(f.Name, name) })
}

// Set replaces the value of the first header named name with value and
// removes the others, or appends (name, value) when there is none.
// https://fetch.spec.whatwg.org/#concept-header-list-set
func (l *List) Set(name, value string) {
	// 1. Replace the first, drop the rest.
	s := *l
	for i := range s {
		if ascii.EqualFold(s[i].Name, name) {
			s[i].Value = value
			rest := slices.DeleteFunc(s[i+1:], func(f Field) bool { return ascii.EqualFold(f.Name, name) })
			*l = s[:i+1+len(rest)]
			return
		}
	}
	// 2. Otherwise append.
	*l = append(s, Field{name, value})
}

// Combine appends ", " and value to the first header named name, or
// appends (name, value) when there is none.
// https://fetch.spec.whatwg.org/#concept-header-list-combine
func (l *List) Combine(name, value string) {
	// 1. Extend the first match.
	for i := range *l {
		if ascii.EqualFold((*l)[i].Name, name) {
			(*l)[i].Value += ", " + value
			return
		}
	}
	// 2. Otherwise append.
	*l = append(*l, Field{name, value})
}

// SortAndCombine returns a new list with lowercased names in bytewise
// order, the values of each name combined with ", ", except `set-cookie`
// whose headers stay separate, in order. This is what Headers iterates.
// https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine
//
// The steps are implemented as one stable sort of lowercased copies
// followed by a merge of equal neighbours, which yields the same list as
// the standard's per-name loop.
func (l List) SortAndCombine() List {
	// 1-2. Lowercase the names; a stable sort keeps each name's values in
	// list order.
	sorted := make(List, len(l))
	for i, f := range l {
		sorted[i] = Field{ascii.Lower(f.Name), f.Value}
	}
	slices.SortStableFunc(sorted, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
	// 3. Combine neighbours with the same name, except set-cookie.
	out := sorted[:0]
	for i := 0; i < len(sorted); {
		f := sorted[i]
		j := i + 1
		if f.Name != "set-cookie" {
			for j < len(sorted) && sorted[j].Name == f.Name {
				j++
			}
			if j-i > 1 {
				var b strings.Builder
				for k := i; k < j; k++ {
					if k > i {
						b.WriteString(", ")
					}
					b.WriteString(sorted[k].Value)
				}
				f.Value = b.String()
			}
		}
		out = append(out, f)
		i = j
	}
	// 4. Done.
	return out
}

// CORSUnsafeRequestHeaderNames returns the sorted, lowercased, unique names
// of the headers that are not CORS-safelisted request-headers, plus all
// the safelisted ones when their values total more than 1024 bytes.
// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names
func (l List) CORSUnsafeRequestHeaderNames() []string {
	// 1-3. Two name lists and a size.
	var unsafe, maybe []string
	size := 0
	// 4. Sort each header.
	for _, f := range l {
		if !IsCORSSafelistedRequestHeader(f.Name, f.Value) {
			unsafe = append(unsafe, f.Name)
		} else {
			maybe = append(maybe, f.Name)
			size += len(f.Value)
		}
	}
	// 5. Over budget: all are unsafe.
	if size > 1024 {
		unsafe = append(unsafe, maybe...)
	}
	// 6. Lowercase, dedupe, sort.
	return ConvertToSortedLowercaseSet(unsafe)
}

// ExtractMIMEType returns the MIME type of the list's Content-Type
// headers, the way browsers read them: the last value that parses (and is
// not */*) wins, and it inherits the charset of an earlier value with the
// same essence when it has none of its own. ok is false on failure (no
// header or no usable value).
// https://fetch.spec.whatwg.org/#concept-header-extract-mime-type
func (l List) ExtractMIMEType() (mt *MIMEType, ok bool) {
	// 1-3. No charset, essence or MIME type yet.
	var charset, essence string
	hasCharset, hasEssence := false, false
	// 4-5. Split the Content-Type values; none is failure.
	values, found := l.getDecodeSplitBytes("Content-Type")
	if !found {
		return nil, false
	}
	// 6. Walk the values.
	for _, v := range values {
		// 6.1-6.2 Skip what does not parse and */*.
		tmp, ok := mime.ParseBytes(v)
		if !ok || tmp.Essence() == "*/*" {
			continue
		}
		// 6.3 Take it.
		mt = tmp
		if e := mt.Essence(); !hasEssence || e != essence {
			// 6.4 A new essence: remember its charset, if any.
			charset, hasCharset = mt.Param("charset")
			essence, hasEssence = e, true
		} else if _, has := mt.Param("charset"); !has && hasCharset {
			// 6.5 Same essence without charset: inherit the earlier one.
			mt.SetParam("charset", charset)
		}
	}
	// 7-8. Failure if nothing was usable.
	if mt == nil {
		return nil, false
	}
	return mt, true
}

// ErrConflictingLength is the failure ExtractLength reports when the
// Content-Length values disagree (or do not fit an int64).
var ErrConflictingLength = errors.New("headers: conflicting Content-Length values")

// ExtractLength reads the Content-Length headers. It returns found false
// when there is no usable length (no header, an empty value or a non-digit;
// the standard's null), and ErrConflictingLength when the values differ
// (the standard's failure). A length that does not fit in an int64 is
// also reported as ErrConflictingLength (the standard's numbers are
// unbounded).
// https://fetch.spec.whatwg.org/#header-list-extract-a-length
func (l List) ExtractLength() (length int64, found bool, err error) {
	// 1-2. Split the values; none is null.
	values, ok := l.getDecodeSplitBytes("Content-Length")
	if !ok {
		return 0, false, nil
	}
	// 3-4. All values must be identical.
	candidate := ""
	for i, v := range values {
		if i == 0 {
			candidate = v
		} else if v != candidate {
			return 0, false, ErrConflictingLength
		}
	}
	// 5. Empty or a non-digit: null.
	if candidate == "" {
		return 0, false, nil
	}
	for i := 0; i < len(candidate); i++ {
		if c := candidate[i]; c < '0' || c > '9' {
			return 0, false, nil
		}
	}
	// 6. Decimal.
	n, perr := strconv.ParseInt(candidate, 10, 64)
	if perr != nil {
		return 0, false, ErrConflictingLength
	}
	return n, true, nil
}

// ExtractValues is "extract header list values": it returns found false
// when the list has no header named name; otherwise it runs parse (the
// name's ABNF, returning ok false on a parse failure) on each such header's
// value and concatenates the results. When single is true (the ABNF allows
// one header) more than one such header is a failure. ok is false on any
// failure.
// https://fetch.spec.whatwg.org/#extract-header-list-values
func (l List) ExtractValues(name string, single bool, parse func(value string) ([]string, bool)) (values []string, found, ok bool) {
	// 1. None: null.
	n := 0
	for i := range l {
		if ascii.EqualFold(l[i].Name, name) {
			n++
		}
	}
	if n == 0 {
		return nil, false, true
	}
	// 2. Too many for a single-header ABNF.
	if single && n > 1 {
		return nil, true, false
	}
	// 3-4. Parse each, in order.
	values = []string{}
	for i := range l {
		if ascii.EqualFold(l[i].Name, name) {
			ext, ok := parse(l[i].Value)
			if !ok {
				return nil, true, false
			}
			values = append(values, ext...)
		}
	}
	// 5. Done.
	return values, true, true
}
