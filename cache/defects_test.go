package cache

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// rawHdr builds a header keeping the names exactly as given (no
// canonicalization), as fetch hands the cache a request.
func rawHdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = append(h[kv[i]], kv[i+1])
	}
	return h
}

// lookupState stores resp for a GET of testURL with request header
// storeHdr, then looks testURL up with lookHdr and says "miss", "fresh" or
// "stale".
func lookupState(t *testing.T, c *Cache, storeHdr http.Header, resp *http.Response, lookHdr http.Header) string {
	t.Helper()
	store(t, c, newReq("GET", testURL, storeHdr), resp)
	r, stale := c.Lookup(newReq("GET", testURL, lookHdr))
	switch {
	case r == nil:
		return "miss"
	case stale:
		return "stale"
	}
	return "fresh"
}

// Defect 1: header names are matched case-insensitively, in requests and in
// responses.
func TestCaseInsensitiveHeaders(t *testing.T) {
	tests := []struct {
		name     string
		storeHdr http.Header
		resp     http.Header
		lookHdr  http.Header
		want     string
	}{
		{"lowercase cache-control max-age=0 validates", nil, hdr("Cache-Control", "max-age=3600"),
			rawHdr("cache-control", "max-age=0"), "stale"},
		{"lowercase pragma no-cache validates", nil, hdr("Cache-Control", "max-age=3600"),
			rawHdr("pragma", "no-cache"), "stale"},
		{"lowercase cache-control no-store bypasses", nil, hdr("Cache-Control", "max-age=3600"),
			rawHdr("cache-control", "no-store"), "miss"},
		{"lowercase authorization is not stored", rawHdr("authorization", "Basic dTpw"), hdr("Cache-Control", "max-age=3600"),
			nil, "miss"},
		{"AUTHORIZATION is not stored", rawHdr("AUTHORIZATION", "Basic dTpw"), hdr("Cache-Control", "max-age=3600"),
			nil, "miss"},
		{"lowercase authorization with public is stored", rawHdr("authorization", "Basic dTpw"), hdr("Cache-Control", "max-age=3600, public"),
			nil, "fresh"},
		{"lowercase response cache-control", nil, rawHdr("cache-control", "max-age=3600"), nil, "fresh"},
		{"lowercase response cache-control no-store", nil, rawHdr("cache-control", "no-store"), nil, "miss"},
		{"lowercase response vary matches lowercase request", rawHdr("accept-language", "fr"), rawHdr("cache-control", "max-age=3600", "vary", "Accept-Language"),
			rawHdr("Accept-Language", "fr"), "fresh"},
		{"lowercase response vary tells variants apart", rawHdr("accept-language", "fr"), rawHdr("cache-control", "max-age=3600", "vary", "accept-language"),
			rawHdr("accept-language", "de"), "miss"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			if got := lookupState(t, c, tc.storeHdr, newResp(200, tc.resp, "hello"), tc.lookHdr); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	// A lowercase range gets a 206 from a stored complete response.
	c := New()
	store(t, c, newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=3600"), "hello world"))
	r, _ := c.Lookup(newReq("GET", testURL, rawHdr("range", "bytes=0-3")))
	if r == nil {
		t.Fatal("range: miss")
	}
	got := []string{r.Status, readBody(t, r), r.Header.Get("Content-Range")}
	if d := cmp.Diff([]string{"206 Partial Content", "hell", "bytes 0-3/11"}, got); d != "" {
		t.Errorf("lowercase range (-want +got)\n%s", d)
	}
}

// Defect 3: Age per RFC 9111 §5.1 and §1.2.2.
func TestAgeParsing(t *testing.T) {
	tests := []struct {
		age  []string
		want time.Duration
	}{
		{nil, 0},
		{[]string{"7200"}, 7200 * time.Second},
		{[]string{"7200, 0"}, 7200 * time.Second},
		{[]string{"7200,0"}, 7200 * time.Second},
		{[]string{"0, 7200"}, 0},
		{[]string{"7200", "0"}, 7200 * time.Second},
		{[]string{" 60 "}, 60 * time.Second},
		{[]string{"abc"}, 0},
		{[]string{"-7200"}, 0},
		{[]string{"7200.0"}, 0},
		{[]string{"7200a"}, 0},
		{[]string{""}, 0},
		{[]string{"99999999999999999999"}, 1 << 31 * time.Second},
	}
	for _, tc := range tests {
		h := http.Header{}
		for _, v := range tc.age {
			h.Add("Age", v)
		}
		if got := ageHeaderValue(h); got != tc.want {
			t.Errorf("Age %q: got %v, want %v", tc.age, got, tc.want)
		}
	}
	// Through the cache: Age: 7200, 0 with max-age=3600 is stale.
	c := New()
	if got := lookupState(t, c, nil, newResp(200, hdr("Cache-Control", "max-age=3600", "Age", "7200, 0"), "x"), nil); got != "stale" {
		t.Errorf("Age: 7200, 0 with max-age=3600: got %s, want stale", got)
	}
}

// Defect 4: Expires per RFC 9110 §5.6.7.
func TestHTTPDate(t *testing.T) {
	want := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	tests := []struct {
		in string
		ok bool
	}{
		{"Sun, 06 Nov 1994 08:49:37 GMT", true},
		{"Sun, 06 Nov 1994 08:49:37 gmt", true},
		{"Sun, 06 Nov 1994 08:49:37 Gmt", true},
		{"  Sun, 06 Nov 1994 08:49:37 GMT ", true},
		{"Sunday, 06-Nov-94 08:49:37 GMT", true},
		{"Sunday, 06-Nov-94 08:49:37 gmt", true},
		{"Sun Nov  6 08:49:37 1994", true},
		{"Sun Nov 06 08:49:37 1994", true},
		{"Sun, 06 Nov 1994 8:49:37 GMT", false},   // one-digit hour
		{"Sun,  06 Nov 1994 08:49:37 GMT", false}, // double space
		{"Sun, 06 Nov 1994  08:49:37 GMT", false},
		{"Sun, 6 Nov 1994 08:49:37 GMT", false},
		{"Sun, 06 Nov 94 08:49:37 GMT", false},
		{"Sun, 06 Nov 1994 08:49:37 UTC", false},
		{"Sun, 06 Nov 1994 08:49:37 +0000", false},
		{"Sun, 06 Nov 1994 08:49:37", false},
		{"Sun, 06 Nov 1994 08:49:37 GMT x", false},
		{"Sun, 06 nov 1994 08:49:37 GMT", false},
		{"Sun, 31 Nov 1994 08:49:37 GMT", false},
		{"Sun, 06 Nov 1994 24:49:37 GMT", false},
		{"Sun Nov 6 08:49:37 1994", false},
		{"Sun Nov  6 08:49:37 1994 GMT", false},
		{"0", false},
		{"", false},
		{"-1", false},
	}
	for _, tc := range tests {
		got, ok := parseHTTPDate(tc.in)
		if ok != tc.ok || (ok && !got.Equal(want)) {
			t.Errorf("%q: got %v %v, want ok=%v", tc.in, got, ok, tc.ok)
		}
	}
	// Several Expires lines make the response stale.
	clk := newClock()
	c := New(WithClock(clk.Now))
	future := httpDate(clk.Now().Add(time.Hour))
	if got := lookupState(t, c, nil, newResp(200, hdr("Expires", future, "Expires", future, "Date", httpDate(clk.Now())), "x"), nil); got != "stale" {
		t.Errorf("two Expires lines: got %s, want stale", got)
	}
	c = New(WithClock(clk.Now))
	lower := clk.Now().Add(time.Hour).UTC().Format("Mon, 02 Jan 2006 15:04:05") + " gmt"
	if got := lookupState(t, c, nil, newResp(200, hdr("Expires", lower, "Date", httpDate(clk.Now())), "x"), nil); got != "fresh" {
		t.Errorf("Expires with gmt: got %s, want fresh", got)
	}
}

// Defect 5: fields named in Connection are not stored; defect 6: Set-Cookie
// is.
func TestStoredFields(t *testing.T) {
	c := New()
	h := hdr("Cache-Control", "max-age=3600", "Connection", "X-Hop, close", "X-Hop", "1", "X-Keep", "2",
		"Keep-Alive", "timeout=5", "Set-Cookie", "a=1")
	store(t, c, newReq("GET", testURL, nil), newResp(200, h, "x"))
	r, _ := c.Lookup(newReq("GET", testURL, nil))
	if r == nil {
		t.Fatal("miss")
	}
	got := map[string]bool{}
	for k := range r.Header {
		got[k] = true
	}
	want := map[string]bool{"Cache-Control": true, "X-Keep": true, "Set-Cookie": true, "Age": true}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("stored fields (-want +got)\n%s", d)
	}
	// A 304 does not bring Connection-named fields in either.
	fresh := c.Freshen(newReq("GET", testURL, nil), r, newResp(304, hdr("Connection", "X-Hop2", "X-Hop2", "1", "X-New", "3"), ""))
	if fresh.Header.Get("X-Hop2") != "" || fresh.Header.Get("X-New") != "3" {
		t.Errorf("freshened header %v", fresh.Header)
	}
}

// Defect 8: must-understand (RFC 9111 §5.2.2.3) and immutable (RFC 8246).
func TestMustUnderstandAndImmutable(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		resp    http.Header
		lookHdr http.Header
		mode    string
		want    string
	}{
		{"must-understand overrides no-store for 200", 200, hdr("Cache-Control", "max-age=3600, no-store, must-understand"), nil, "", "fresh"},
		{"must-understand with an unknown status is not stored", 299, hdr("Cache-Control", "max-age=3600, must-understand"), nil, "", "miss"},
		{"no-store alone is not stored", 200, hdr("Cache-Control", "max-age=3600, no-store"), nil, "", "miss"},
		{"immutable skips a reload's max-age=0", 200, hdr("Cache-Control", "max-age=3600, immutable"), hdr("Cache-Control", "max-age=0"), "default", "fresh"},
		{"immutable skips Pragma: no-cache", 200, hdr("Cache-Control", "max-age=3600, immutable"), hdr("Pragma", "no-cache"), "default", "fresh"},
		{"immutable in force-cache", 200, hdr("Cache-Control", "max-age=3600, immutable"), hdr("Cache-Control", "max-age=0"), "force-cache", "fresh"},
		{"immutable does not skip request no-cache", 200, hdr("Cache-Control", "max-age=3600, immutable"), hdr("Cache-Control", "no-cache"), "default", "stale"},
		{"immutable does not skip cache mode no-cache", 200, hdr("Cache-Control", "max-age=3600, immutable"), hdr("Cache-Control", "max-age=0"), "no-cache", "stale"},
		{"immutable stale is stale", 200, hdr("Cache-Control", "max-age=0, immutable"), nil, "default", "stale"},
		{"without immutable max-age=0 validates", 200, hdr("Cache-Control", "max-age=3600"), hdr("Cache-Control", "max-age=0"), "default", "stale"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			store(t, c, newReq("GET", testURL, nil), newResp(tc.status, tc.resp, "x"))
			req := newReq("GET", testURL, tc.lookHdr)
			req = req.WithContext(WithRequestInfo(req.Context(), RequestInfo{Mode: tc.mode}))
			r, stale := c.Lookup(req)
			got := "fresh"
			if r == nil {
				got = "miss"
			} else if stale {
				got = "stale"
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}
