package cache

import (
	"strconv"
	"strings"
)

// byteRange is a single requested byte range: first-last, first- (last
// is -1) or -suffix (first is -1, last is the suffix length).
// https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2
type byteRange struct{ first, last int64 }

// parseRange parses a Range header holding exactly one bytes range. ok is
// false for anything else (other units, several ranges, bad syntax), which
// the cache leaves to the network.
func parseRange(v string) (byteRange, bool) {
	unit, spec, ok := strings.Cut(strings.TrimSpace(v), "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "bytes") || strings.Contains(spec, ",") {
		return byteRange{}, false
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return byteRange{}, false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "" && b == "":
		return byteRange{}, false
	case a == "":
		n, ok := digits(b)
		if !ok || n == 0 {
			return byteRange{}, false
		}
		return byteRange{-1, n}, true
	}
	first, ok := digits(a)
	if !ok {
		return byteRange{}, false
	}
	if b == "" {
		return byteRange{first, -1}, true
	}
	last, ok := digits(b)
	if !ok || last < first {
		return byteRange{}, false
	}
	return byteRange{first, last}, true
}

// resolve turns the range into absolute [start, end] offsets within a
// representation of length total. ok is false when it is unsatisfiable.
func (r byteRange) resolve(total int64) (start, end int64, ok bool) {
	switch {
	case r.first < 0:
		start = max(total-r.last, 0)
		end = total - 1
	case r.last < 0:
		start, end = r.first, total-1
	default:
		start, end = r.first, min(r.last, total-1)
	}
	if total <= 0 || start >= total || start > end {
		return 0, 0, false
	}
	return start, end, true
}

// contentRange is a parsed Content-Range of a 206 response: bytes
// first-last/complete (complete is -1 for "*").
// https://www.rfc-editor.org/rfc/rfc9110#section-14.4
type contentRange struct{ first, last, complete int64 }

func parseContentRange(v string) (contentRange, bool) {
	unit, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(unit, "bytes") {
		return contentRange{}, false
	}
	rng, total, ok := strings.Cut(strings.TrimSpace(rest), "/")
	if !ok {
		return contentRange{}, false
	}
	a, b, ok := strings.Cut(rng, "-")
	if !ok {
		return contentRange{}, false
	}
	first, ok1 := digits(a)
	last, ok2 := digits(b)
	if !ok1 || !ok2 || last < first {
		return contentRange{}, false
	}
	cr := contentRange{first, last, -1}
	if total != "*" {
		n, ok := digits(total)
		if !ok || n <= last {
			return contentRange{}, false
		}
		cr.complete = n
	}
	return cr, true
}

func digits(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
