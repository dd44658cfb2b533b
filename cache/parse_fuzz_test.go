package cache

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wfetch/wfetch/headers"
)

// fuzzHeader builds a header from "\n"-separated "Name: value" lines.
func fuzzHeader(lines string) http.Header {
	h := http.Header{}
	for _, line := range strings.Split(lines, "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	return h
}

// FuzzCacheHeaders feeds a response's and a request's caching headers
// (Cache-Control, Age, Expires, Date, Last-Modified, Vary and any other)
// through the parsers and through Store and Lookup on a cache with a fixed
// clock. Directive names are lowercase and non-empty, delta-seconds are
// within [0, 2^31] s, list members are trimmed and non-empty; a response
// with no-store (or a request with no-store) is never served; a served
// response has the stored body and an Age of whole seconds no smaller than
// the stored Age; two lookups in a row agree.
func FuzzCacheHeaders(f *testing.F) {
	f.Add("Cache-Control: max-age=60, public\nAge: 5\nDate: Fri, 02 Jan 2026 03:04:05 GMT\nVary: Accept", "Accept: text/html", uint16(10))
	f.Add("Cache-Control: no-cache=\"Set-Cookie, X\", max-age=\"30\"\nExpires: Sat, 03 Jan 2026 03:04:05 GMT", "Cache-Control: max-stale, min-fresh=5", uint16(0))
	f.Add("Cache-Control: no-store\nCache-Control: max-age=9999999999999", "", uint16(1))
	f.Add("Expires: 0\nAge: 1, 2\nLast-Modified: Thu, 01 Jan 2026 00:00:00 GMT", "Cache-Control: only-if-cached", uint16(3600))
	f.Add("Cache-Control: s-maxage=10, stale-while-revalidate=60, immutable\nVary: *", "Pragma: no-cache", uint16(20))
	f.Add("Cache-Control: max-age=100\nVary: accept-encoding, ACCEPT\nAge: 4294967296", "Accept-Encoding: gzip\nAccept: */*", uint16(50))
	f.Fuzz(func(t *testing.T, respLines, reqLines string, wait uint16) {
		rh, qh := fuzzHeader(respLines), fuzzHeader(reqLines)
		for _, h := range []http.Header{rh, qh} {
			d := parseDirectives(h)
			for name, arg := range d {
				if name == "" || name != strings.ToLower(name) {
					t.Fatalf("directive name %q", name)
				}
				if s, ok := d.seconds(name); !ok || s < 0 || s > (1<<31)*time.Second {
					t.Fatalf("directive %s=%q: seconds %v, %v", name, arg, s, ok)
				}
			}
			for _, v := range h.Values("Vary") {
				for _, m := range splitList(v) {
					if m == "" || m != strings.TrimSpace(m) {
						t.Fatalf("Vary member %q of %q", m, v)
					}
				}
			}
			if a := ageHeaderValue(h); a < 0 || a > (1<<31)*time.Second || a%time.Second != 0 {
				t.Fatalf("Age %q parsed as %v", h.Values("Age"), a)
			}
		}

		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		clock := func() time.Time { return now }
		c := New(WithClock(clock), WithHeuristic(0.1))
		u, _ := url.Parse("http://example.test/r?x=1")
		req := (&http.Request{Method: "GET", URL: u, Header: qh, Host: u.Host}).WithContext(context.Background())
		resp := &http.Response{Status: "200 OK", StatusCode: 200, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: rh, Body: io.NopCloser(strings.NewReader("body")), ContentLength: 4}
		kept := c.Store(req, resp)
		if kept.Body != nil {
			io.ReadAll(kept.Body)
			kept.Body.Close()
		}
		now = now.Add(time.Duration(wait) * time.Second)
		got, stale := c.Lookup(req.Clone(context.Background()))
		got2, stale2 := c.Lookup(req.Clone(context.Background()))
		if (got == nil) != (got2 == nil) || stale != stale2 {
			t.Fatalf("two lookups disagree: %v/%v and %v/%v", got != nil, stale, got2 != nil, stale2)
		}
		if got == nil || got.StatusCode == http.StatusGatewayTimeout {
			return
		}
		if parseDirectives(rh).has("no-store") || parseDirectives(qh).has("no-store") {
			t.Fatalf("served a response although no-store was given (response %q, request %q)", rh, qh)
		}
		b, err := io.ReadAll(got.Body)
		if err != nil || string(b) != "body" {
			t.Fatalf("served body %q, %v", b, err)
		}
		age := got.Header.Values("Age")
		if len(age) != 1 {
			t.Fatalf("served Age %q", age)
		}
		n, err := strconv.ParseInt(age[0], 10, 64)
		if err != nil || n < 0 || time.Duration(n)*time.Second < ageHeaderValue(rh) {
			t.Fatalf("served Age %q for a stored Age %q", age[0], rh.Values("Age"))
		}
	})
}

// FuzzHTTPDate checks the HTTP-date parser used for Expires, Date and
// Last-Modified: a parsed date is UTC, and it is what the same instant
// formatted as IMF-fixdate, rfc850-date (when the two-digit year maps back)
// and asctime-date parses to; a date Go's http.ParseTime reads that is
// already in canonical IMF-fixdate form (Go also takes other casings of
// the day and month names, which RFC 9110 makes case-sensitive) parses the
// same here.
func FuzzHTTPDate(f *testing.F) {
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
		"Mon, 29 Feb 2021 00:00:00 GMT", "Tue, 31 Dec 9999 23:59:60 gmt", "0", "-1", "Thu, 01 Jan 1970 00:00:00 UTC", " Wed, 01 Jan 2025 1:00:00 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, ok := parseHTTPDate(s)
		if ok {
			if tm.Location() != time.UTC {
				t.Fatalf("parseHTTPDate(%q) not UTC: %v", s, tm)
			}
			for _, layout := range []string{http.TimeFormat, time.ANSIC, "Monday, 02-Jan-06 15:04:05 GMT"} {
				form := tm.Format(layout)
				back, ok := parseHTTPDate(form)
				if layout == "Monday, 02-Jan-06 15:04:05 GMT" {
					// Two-digit years map to within 50 years of now.
					if ok && back.Year()%100 != tm.Year()%100 {
						t.Fatalf("%q (from %q) reparses to %v", form, s, back)
					}
					continue
				}
				if tm.Year() < 0 || tm.Year() > 9999 || tm.Second() == 60 {
					continue
				}
				if !ok || !back.Equal(tm) {
					t.Fatalf("%q (from %q = %v) reparses to %v, %v", form, s, tm, back, ok)
				}
			}
		}
		if g, err := http.ParseTime(s); err == nil && g.Format(http.TimeFormat) == s {
			if !ok || !g.Equal(tm) {
				t.Fatalf("http.ParseTime(%q) = %v; parseHTTPDate = %v, %v", s, g, tm, ok)
			}
		}
	})
}

// FuzzRange checks the Range and Content-Range parsers: the cache's Range
// parser accepts every value the Fetch Standard's single range parser
// accepts (but a zero-length suffix) with the same bounds; resolved ranges
// lie within the representation; a Content-Range built by fetch's "build a
// content range" parses back to its numbers; and a parsed Content-Range is
// consistent and survives reserialization.
func FuzzRange(f *testing.F) {
	for _, s := range []string{"bytes=0-499", "bytes=-500", "bytes=9500-", "bytes = 1 - 2", "BYTES=1-2", "bytes=1-2,3-4", "bytes=5-1", "bytes=-0", "bytes=99999999999999999999-", "bytes 0-1/2", "bytes 0-0/*", "bytes */10", "bytes 5-4/10"} {
		f.Add(s, int64(10000))
	}
	f.Fuzz(func(t *testing.T, v string, total int64) {
		start, end, fetchOK := headers.ParseSingleRangeHeaderValue(v, false)
		r, ok := parseRange(v)
		if fetchOK && !(start < 0 && end == 0) {
			want := byteRange{start, end}
			if start < 0 {
				want = byteRange{-1, end}
			}
			if !ok || r != want {
				t.Fatalf("parseRange(%q) = %v, %v; fetch parses %d-%d", v, r, ok, start, end)
			}
		}
		if ok {
			if s, e, ok := r.resolve(total); ok {
				if s < 0 || s > e || e >= total {
					t.Fatalf("%v resolved within %d to %d-%d", r, total, s, e)
				}
				cr := headers.BuildContentRange(s, e, total)
				got, ok := parseContentRange(cr)
				if !ok || got != (contentRange{s, e, total}) {
					t.Fatalf("Content-Range %q parses to %v, %v", cr, got, ok)
				}
			}
		}
		if cr, ok := parseContentRange(v); ok {
			if cr.first < 0 || cr.first > cr.last || (cr.complete != -1 && cr.complete <= cr.last) {
				t.Fatalf("parseContentRange(%q) = %+v", v, cr)
			}
			total := "*"
			if cr.complete >= 0 {
				total = strconv.FormatInt(cr.complete, 10)
			}
			again := "bytes " + strconv.FormatInt(cr.first, 10) + "-" + strconv.FormatInt(cr.last, 10) + "/" + total
			if back, ok := parseContentRange(again); !ok || back != cr {
				t.Fatalf("%q → %+v → %q → %+v, %v", v, cr, again, back, ok)
			}
		}
	})
}
