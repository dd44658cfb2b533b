package headers

import (
	"net/http"
	"slices"
)

// FromHTTP returns a header list holding the headers of an http.Header.
// http.Header keeps no order between names, so names are taken in bytewise
// order; the values of each name keep their order. Values are used as
// given (not normalized or validated).
func FromHTTP(h http.Header) List {
	return AppendHTTP(nil, h)
}

// AppendHTTP appends the fields of h to l, in FromHTTP's order, and
// returns the extended list (reusing l's room when the fields fit).
func AppendHTTP(l List, h http.Header) List {
	var buf [16]string
	names := buf[:0]
	n := 0
	for k, vs := range h {
		if !IsValidName(k) {
			// A field name that is no token (net/http lets "Bad Name"
			// through) is dropped, as browsers drop such lines: a header
			// list only holds valid names.
			continue
		}
		names = append(names, k)
		n += len(vs)
	}
	slices.Sort(names)
	l = slices.Grow(l, n)
	for _, k := range names {
		for _, v := range h[k] {
			l = append(l, Field{k, v})
		}
	}
	return l
}

// HTTP returns the list as an http.Header (names canonicalized by
// http.Header's rules, values in list order under each name), for handing
// a request to net/http.
func (l List) HTTP() http.Header {
	h := make(http.Header, len(l))
	for _, f := range l {
		h.Add(f.Name, f.Value)
	}
	return h
}
