package cache

import (
	"context"
	"errors"
	"io"
	"net/http"
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

// combinePartial combines a new partial response e (its body committed)
// with a stored partial response of the same representation, as RFC 9111
// §3.4 allows, and returns the combined entry (with a body of its own), or
// nil when there is nothing to combine. A combination that covers the
// whole representation is a complete 200 response: later requests for
// everything are answered from it.
// https://www.rfc-editor.org/rfc/rfc9111#section-3.4
func (c *Cache) combinePartial(ctx context.Context, e *Entry, reqHeader http.Header) *Entry {
	// 1. The new response needs a strong validator and a known complete
	// length, and must hold at least one byte.
	etag, p := e.Header.Get("ETag"), e.partial
	if etag == "" || strings.HasPrefix(etag, "W/") || p.complete < 0 || e.BodySize <= 0 {
		return nil
	}
	newLast := min(p.first+e.BodySize-1, p.last)
	// 2. A stored partial response for the same request with the same
	// strong validator and complete length.
	ents, err := c.store.Get(ctx, bucketOf(e))
	c.report(err)
	var old *Entry
	for i := len(ents) - 1; i >= 0 && old == nil; i-- {
		o := ents[i]
		o.derive()
		if o.Key == e.Key && o.varyMatches(reqHeader) && o.partial != nil && o.BodySize > 0 &&
			o.partial.complete == p.complete && o.Header.Get("ETag") == etag {
			old = o
		}
	}
	if old == nil {
		return nil
	}
	op := old.partial
	oldLast := min(op.first+old.BodySize-1, op.last)
	// 3. Their bytes must overlap or touch.
	if op.first > newLast+1 || p.first > oldLast+1 {
		return nil
	}
	lo, hi := min(op.first, p.first), max(oldLast, newLast)
	// 4. The combined body: all of the part that starts first, then what
	// the other adds after it.
	type span struct {
		e           *Entry
		first, last int64
	}
	a, b := span{old, op.first, oldLast}, span{e, p.first, newLast}
	if b.first < a.first {
		a, b = b, a
	}
	w, err := c.store.NewBody(ctx)
	if err != nil {
		c.report(err)
		return nil
	}
	copyPart := func(s span, from, to int64) error {
		body, err := c.store.OpenBody(ctx, s.e)
		if err != nil {
			return err
		}
		defer body.Close()
		_, err = io.Copy(w, io.NewSectionReader(body, from-s.first, to-from+1))
		return err
	}
	err = copyPart(a, a.first, a.last)
	if err == nil && b.last > a.last {
		err = copyPart(b, a.last+1, b.last)
	}
	if err != nil {
		w.Abort()
		if !errors.Is(err, ErrTooLarge) {
			c.report(err)
		}
		return nil
	}
	id, err := w.Commit()
	if err != nil {
		c.report(err)
		return nil
	}
	// 5. The combined entry has the newer response's header fields; it is
	// a complete 200 once it holds every byte.
	m := e.clone()
	m.Body, m.BodySize, m.mem = id, hi-lo+1, nil
	if lo == 0 && hi == p.complete-1 {
		m.Status, m.StatusLine = http.StatusOK, "200 OK"
		m.Header.Del("Content-Range")
	} else {
		m.Header.Set("Content-Range", "bytes "+strconv.FormatInt(lo, 10)+"-"+strconv.FormatInt(hi, 10)+"/"+strconv.FormatInt(p.complete, 10))
	}
	m.Header.Set("Content-Length", strconv.FormatInt(m.BodySize, 10))
	m.derive()
	return m
}
