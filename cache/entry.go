package cache

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Entry is one stored response without its body: what a Store keeps
// under a bucket. Its exported fields are what a Store persists (they
// encode as JSON); the cache derives the rest from them. A Store must not
// change an Entry it was given or returned: updates replace entries.
type Entry struct {
	// ID identifies the entry (random, unique).
	ID string `json:"id"`
	// Key is the primary cache key: partition, credentials flag, method
	// and URL without fragment.
	Key string `json:"key"`
	// URL is the request URL without fragment.
	URL string `json:"url"`
	// Status, StatusLine ("200 OK"), Proto, ProtoMajor and ProtoMinor
	// are the response's.
	Status     int    `json:"status"`
	StatusLine string `json:"line"`
	Proto      string `json:"proto"`
	ProtoMajor int    `json:"major"`
	ProtoMinor int    `json:"minor"`
	// Header is the stored response header (canonical keys).
	Header http.Header `json:"header"`
	// VaryNames are the canonical names the response's Vary lists;
	// VaryValues the request's values for them ("\x00" when absent).
	VaryNames  []string `json:"varyNames,omitempty"`
	VaryValues []string `json:"varyValues,omitempty"`
	// RequestTime and ResponseTime are RFC 9111's request_time and
	// response_time (by the cache's clock).
	RequestTime  time.Time `json:"requestTime"`
	ResponseTime time.Time `json:"responseTime"`
	// Body names the stored body (see BodyWriter); BodySize is its length.
	Body     string `json:"body"`
	BodySize int64  `json:"bodySize"`
	// Useful is how long after ResponseTime the entry can still serve or
	// be revalidated: its freshness lifetime, its stale-while-revalidate
	// and stale-if-error windows, and the cache's validation grace when it
	// has a validator. Stores that expire entries (Redis) use it as the
	// time to live; others may ignore it.
	Useful time.Duration `json:"useful"`

	// Derived from the fields above (derive).
	derived   bool
	cc        directives
	dateValue time.Time
	ageValue  time.Duration
	partial   *contentRange   // for a stored 206: which bytes the body holds
	nvs       *searchVariance // No-Vary-Search, nil for none
	reqURL    *url.URL        // the request URL (with nvs)

	mem []byte // the body, for entries of a Memory store
}

// derive computes the fields the cache works with from the stored ones.
func (e *Entry) derive() {
	if e.derived {
		return
	}
	e.derived = true
	e.cc = parseDirectives(e.Header)
	e.dateValue = e.ResponseTime
	if d, ok := parseHTTPDate(e.Header.Get("Date")); ok && len(e.Header.Values("Date")) == 1 {
		e.dateValue = d
	}
	e.ageValue = ageHeaderValue(e.Header)
	e.partial = nil
	if e.Status == http.StatusPartialContent {
		if cr, ok := parseContentRange(e.Header.Get("Content-Range")); ok {
			e.partial = &cr
		}
	}
	e.nvs, e.reqURL = nil, nil
	if nvs := parseNoVarySearch(e.Header); nvs != nil {
		if u, err := url.Parse(e.URL); err == nil {
			e.nvs, e.reqURL = nvs, u
		}
	}
}

// clone returns a copy of e's stored fields (and its body bytes, for a
// Memory entry), not derived, with a new ID.
func (e *Entry) clone() *Entry {
	return &Entry{
		ID: newID(), Key: e.Key, URL: e.URL, Status: e.Status, StatusLine: e.StatusLine,
		Proto: e.Proto, ProtoMajor: e.ProtoMajor, ProtoMinor: e.ProtoMinor,
		Header: e.Header.Clone(), VaryNames: e.VaryNames, VaryValues: e.VaryValues,
		RequestTime: e.RequestTime, ResponseTime: e.ResponseTime,
		Body: e.Body, BodySize: e.BodySize, Useful: e.Useful,
		mem: e.mem,
	}
}

// size is what the entry costs a store, roughly: body, header and key.
func (e *Entry) size() int64 {
	return e.BodySize + headerSize(e.Header) + int64(len(e.Key))
}

func headerSize(h http.Header) int64 {
	n := int64(0)
	for k, v := range h {
		for _, s := range v {
			n += int64(len(k) + len(s) + 4)
		}
	}
	return n
}

// newID returns 128 random bits in hex.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// varyMatches compares the request headers Vary selects (h canonical).
// https://www.rfc-editor.org/rfc/rfc9111#section-4.1
func (e *Entry) varyMatches(h http.Header) bool {
	if len(e.VaryNames) != len(e.VaryValues) {
		return false
	}
	for i, name := range e.VaryNames {
		if varyValue(h, name) != e.VaryValues[i] {
			return false
		}
	}
	return true
}

// varyValue is a request header's value as Vary compares it: all lines
// combined, whitespace around commas normalized; "\x00" when absent.
func varyValue(h http.Header, name string) string {
	vals := h.Values(name) // h is canonical (canonicalRequest)
	if len(vals) == 0 {
		return "\x00"
	}
	parts := make([]string, 0, len(vals))
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			parts = append(parts, strings.TrimSpace(p))
		}
	}
	return strings.Join(parts, ", ")
}
