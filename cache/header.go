package cache

import (
	"net/http"
	"slices"
	"strings"
)

// Header field names are case-insensitive (RFC 9110 §5.1), but an
// http.Header only finds a name with Get and Values when its key is in
// canonical form, and fetch keeps the caller's casing of request header
// names on purpose (wire fidelity): a request may well carry
// "authorization" or "cache-control". The cache therefore looks every
// field up through canonicalHeader, a view of the header whose keys are
// canonical.

// canonicalHeader returns h with canonical keys: h itself when every key
// already is (the common case, no allocation), else a copy in which the
// values of names that differ only in case are merged, in the sorted order
// of their original keys (so the result does not depend on map order).
func canonicalHeader(h http.Header) http.Header {
	n, _ := canonicalize(h)
	return n
}

// canonicalize is canonicalHeader that also says whether it made a copy.
func canonicalize(h http.Header) (http.Header, bool) {
	ok := true
	for k := range h {
		if http.CanonicalHeaderKey(k) != k {
			ok = false
			break
		}
	}
	if ok {
		return h, false
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n := make(http.Header, len(h))
	for _, k := range keys {
		ck := http.CanonicalHeaderKey(k)
		n[ck] = append(n[ck], h[k]...)
	}
	return n, true
}

// connectionNames returns the canonical field names listed in h's
// Connection header (lower-cased options such as "close" included).
func connectionNames(h http.Header) map[string]bool {
	var names map[string]bool
	for _, v := range h.Values("Connection") {
		for _, name := range splitList(v) {
			if names == nil {
				names = map[string]bool{}
			}
			names[http.CanonicalHeaderKey(strings.TrimSpace(name))] = true
		}
	}
	return names
}
