package cache

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// hdr builds a header from name, value pairs.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func newReq(method, u string, h http.Header) *http.Request {
	pu, err := url.Parse(u)
	if err != nil {
		panic(err)
	}
	if h == nil {
		h = http.Header{}
	}
	return (&http.Request{Method: method, URL: pu, Header: h, Host: pu.Host}).WithContext(context.Background())
}

func newResp(status int, h http.Header, body string) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
	}
}

// store offers resp and reads its body to the end so it is committed.
func store(t *testing.T, c *Cache, req *http.Request, resp *http.Response) {
	t.Helper()
	kept := c.Store(req, resp)
	if kept.Body != nil {
		if _, err := io.ReadAll(kept.Body); err != nil {
			t.Fatal(err)
		}
		kept.Body.Close()
	}
}

func readBody(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const testURL = "http://example.test/r?x=1"

func TestFreshness(t *testing.T) {
	clk := newClock()
	now := clk.Now()
	tests := []struct {
		name    string
		status  int
		header  http.Header
		advance time.Duration
		reqHdr  http.Header
		want    string // "fresh", "stale", "miss"
	}{
		{"max-age fresh", 200, hdr("Cache-Control", "max-age=60"), 59 * time.Second, nil, "fresh"},
		{"max-age expired", 200, hdr("Cache-Control", "max-age=60"), 60 * time.Second, nil, "stale"},
		{"max-age=0", 200, hdr("Cache-Control", "max-age=0"), 0, nil, "stale"},
		{"max-age wins over past Expires", 200, hdr("Cache-Control", "max-age=60", "Expires", httpDate(now.Add(-time.Hour))), 0, nil, "fresh"},
		{"max-age=0 wins over future Expires", 200, hdr("Cache-Control", "max-age=0", "Expires", httpDate(now.Add(time.Hour))), 0, nil, "stale"},
		{"future Expires", 200, hdr("Expires", httpDate(now.Add(time.Hour)), "Date", httpDate(now)), 0, nil, "fresh"},
		{"past Expires", 200, hdr("Expires", httpDate(now.Add(-time.Hour))), 0, nil, "stale"},
		{"present Expires", 200, hdr("Expires", httpDate(now), "Date", httpDate(now)), 0, nil, "stale"},
		{"invalid Expires", 200, hdr("Expires", "0", "Last-Modified", httpDate(now.Add(-100*time.Hour))), 0, nil, "stale"},
		{"Expires relative to Date", 200, hdr("Date", httpDate(now.Add(-2*time.Hour)), "Expires", httpDate(now.Add(-time.Hour))), 0, nil, "stale"},
		{"s-maxage ignored", 200, hdr("Cache-Control", "s-maxage=3600"), 0, nil, "stale"},
		{"invalid max-age", 200, hdr("Cache-Control", "max-age=abc"), 0, nil, "stale"},
		{"first max-age wins", 200, hdr("Cache-Control", "max-age=60, max-age=0"), 0, nil, "fresh"},
		{"Age header counts", 200, hdr("Cache-Control", "max-age=60", "Age", "61"), 0, nil, "stale"},
		{"heuristic 200", 200, hdr("Last-Modified", httpDate(now.Add(-1000*time.Second)), "Date", httpDate(now)), 99 * time.Second, nil, "fresh"},
		{"heuristic 200 expires", 200, hdr("Last-Modified", httpDate(now.Add(-1000*time.Second)), "Date", httpDate(now)), 100 * time.Second, nil, "stale"},
		{"heuristic 404", 404, hdr("Last-Modified", httpDate(now.Add(-300*time.Second))), 0, nil, "fresh"},
		{"no heuristic for 299", 299, hdr("Last-Modified", httpDate(now.Add(-300*time.Second))), 0, nil, "miss"},
		{"heuristic for public 299", 299, hdr("Last-Modified", httpDate(now.Add(-300*time.Second)), "Cache-Control", "public"), 0, nil, "fresh"},
		{"no heuristic for 201", 201, hdr("Last-Modified", httpDate(now.Add(-300*time.Second))), 0, nil, "miss"},
		{"explicit 500", 500, hdr("Cache-Control", "max-age=60"), 0, nil, "fresh"},
		{"response no-cache", 200, hdr("Cache-Control", "no-cache, max-age=3600"), 0, nil, "stale"},
		{"response no-store", 200, hdr("Cache-Control", "no-store, max-age=3600"), 0, nil, "miss"},
		{"private is stored", 200, hdr("Cache-Control", "private, max-age=60"), 0, nil, "fresh"},
		{"request no-cache", 200, hdr("Cache-Control", "max-age=3600"), 0, hdr("Cache-Control", "no-cache"), "stale"},
		{"request Pragma no-cache", 200, hdr("Cache-Control", "max-age=3600"), 0, hdr("Pragma", "no-cache"), "stale"},
		{"Pragma ignored with Cache-Control", 200, hdr("Cache-Control", "max-age=3600"), 0, hdr("Pragma", "no-cache", "Cache-Control", "max-stale"), "fresh"},
		{"request no-store", 200, hdr("Cache-Control", "max-age=3600"), 0, hdr("Cache-Control", "no-store"), "miss"},
		{"request max-age=0", 200, hdr("Cache-Control", "max-age=3600"), 0, hdr("Cache-Control", "max-age=0"), "stale"},
		{"request max-age older", 200, hdr("Cache-Control", "max-age=3600", "Age", "1800"), 0, hdr("Cache-Control", "max-age=600"), "stale"},
		{"request max-age younger", 200, hdr("Cache-Control", "max-age=3600", "Age", "100"), 0, hdr("Cache-Control", "max-age=600"), "fresh"},
		{"max-stale allows", 200, hdr("Cache-Control", "max-age=1500", "Age", "2000"), 0, hdr("Cache-Control", "max-stale=1000"), "fresh"},
		{"max-stale too old", 200, hdr("Cache-Control", "max-age=1500", "Age", "3000"), 0, hdr("Cache-Control", "max-stale=1000"), "stale"},
		{"max-stale no value", 200, hdr("Cache-Control", "max-age=1", "Age", "30000"), 0, hdr("Cache-Control", "max-stale"), "fresh"},
		{"max-stale vs must-revalidate", 200, hdr("Cache-Control", "max-age=1, must-revalidate", "Age", "3"), 0, hdr("Cache-Control", "max-stale"), "stale"},
		{"min-fresh", 200, hdr("Cache-Control", "max-age=1500"), 0, hdr("Cache-Control", "min-fresh=2000"), "stale"},
		{"min-fresh with Age", 200, hdr("Cache-Control", "max-age=1500", "Age", "1000"), 0, hdr("Cache-Control", "min-fresh=1000"), "stale"},
		{"min-fresh satisfied", 200, hdr("Cache-Control", "max-age=1500"), 0, hdr("Cache-Control", "min-fresh=1000"), "fresh"},
		{"Vary star", 200, hdr("Cache-Control", "max-age=60", "Vary", "*"), 0, nil, "miss"},
		{"301 private without freshness", 301, hdr("Cache-Control", "private", "Location", "/x"), 0, nil, "stale"},
		{"201 without anything", 201, nil, 0, nil, "miss"},
		{"206 without Content-Range", 206, hdr("Cache-Control", "max-age=60"), 0, nil, "miss"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := &fakeClock{t: now}
			c := New(WithClock(clk.Now))
			store(t, c, newReq("GET", testURL, nil), newResp(tc.status, tc.header, "body"))
			clk.Advance(tc.advance)
			resp, stale := c.Lookup(newReq("GET", testURL, tc.reqHdr))
			got := "miss"
			if resp != nil {
				got = "fresh"
				if stale {
					got = "stale"
				}
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCurrentAge(t *testing.T) {
	base := newClock().Now()
	tests := []struct {
		name     string
		date     time.Time
		age      time.Duration
		reqTime  time.Time
		respTime time.Time
		now      time.Time
		want     time.Duration
	}{
		{"fresh off the wire", base, 0, base, base, base, 0},
		{"resident", base, 0, base, base, base.Add(10 * time.Second), 10 * time.Second},
		{"Age header", base, 30 * time.Second, base, base, base.Add(10 * time.Second), 40 * time.Second},
		{"round trip added to Age", base, 30 * time.Second, base.Add(-2 * time.Second), base, base, 32 * time.Second},
		{"apparent age from Date", base.Add(-20 * time.Second), 5 * time.Second, base, base, base, 20 * time.Second},
		{"Date in the future", base.Add(time.Hour), 0, base, base, base.Add(time.Second), time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := &Entry{dateValue: tc.date, ageValue: tc.age, RequestTime: tc.reqTime, ResponseTime: tc.respTime, derived: true}
			if got := currentAge(e, tc.now); got != tc.want {
				t.Errorf("currentAge = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAgeHeaderAndBody(t *testing.T) {
	clk := newClock()
	c := New(WithClock(clk.Now))
	store(t, c, newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=600", "Age", "5", "Set-Cookie", "a=b", "X-A", "1"), "hello"))
	clk.Advance(10 * time.Second)
	resp, stale := c.Lookup(newReq("GET", testURL+"#frag", nil))
	if resp == nil || stale {
		t.Fatalf("Lookup = %v, %v; want a fresh response", resp, stale)
	}
	got := map[string]string{"Age": resp.Header.Get("Age"), "Set-Cookie": resp.Header.Get("Set-Cookie"), "X-A": resp.Header.Get("X-A"), "body": readBody(t, resp), "status": resp.Status}
	// Set-Cookie is stored (RFC 9111 §7.3); fetch never re-applies it.
	want := map[string]string{"Age": "15", "Set-Cookie": "a=b", "X-A": "1", "body": "hello", "status": "200 OK"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	// HEAD is answered from the GET entry, without a body.
	head, _ := c.Lookup(newReq("HEAD", testURL, nil))
	if head == nil || readBody(t, head) != "" || head.StatusCode != 200 {
		t.Errorf("HEAD lookup = %v", head)
	}
	// Other methods never hit.
	if r, _ := c.Lookup(newReq("POST", testURL, nil)); r != nil {
		t.Errorf("POST lookup hit")
	}
}

func TestStorability(t *testing.T) {
	tests := []struct {
		name   string
		method string
		reqHdr http.Header
		status int
		header http.Header
		want   bool
	}{
		{"GET 200", "GET", nil, 200, nil, true},
		{"HEAD 200", "HEAD", nil, 200, hdr("Cache-Control", "max-age=60"), true},
		{"PUT", "PUT", nil, 200, hdr("Cache-Control", "max-age=60"), false},
		{"304", "GET", nil, 304, hdr("Cache-Control", "max-age=60"), false},
		{"100", "GET", nil, 100, nil, false},
		{"request no-store", "GET", hdr("Cache-Control", "no-store"), 200, hdr("Cache-Control", "max-age=60"), false},
		{"Authorization without permission", "GET", hdr("Authorization", "Basic x"), 200, hdr("Cache-Control", "max-age=60"), false},
		{"Authorization with public", "GET", hdr("Authorization", "Basic x"), 200, hdr("Cache-Control", "public, max-age=60"), true},
		{"Authorization with must-revalidate", "GET", hdr("Authorization", "Basic x"), 200, hdr("Cache-Control", "must-revalidate, max-age=60"), true},
		{"202 with Expires", "GET", nil, 202, hdr("Expires", "0"), true},
		{"202 private", "GET", nil, 202, hdr("Cache-Control", "private"), true},
		{"403", "GET", nil, 403, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			store(t, c, newReq(tc.method, testURL, tc.reqHdr), newResp(tc.status, tc.header, "x"))
			if got := c.Len() == 1; got != tc.want {
				t.Errorf("stored = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVary(t *testing.T) {
	vary := hdr("Cache-Control", "max-age=60", "Vary", "Foo, Bar")
	tests := []struct {
		name   string
		stored http.Header
		lookup http.Header
		hit    bool
	}{
		{"same values", hdr("Foo", "1", "Bar", "a"), hdr("Foo", "1", "Bar", "a"), true},
		{"other value", hdr("Foo", "1", "Bar", "a"), hdr("Foo", "2", "Bar", "a"), false},
		{"missing header", hdr("Foo", "1", "Bar", "a"), hdr("Foo", "1"), false},
		{"both missing", hdr("Foo", "1"), hdr("Foo", "1"), true},
		{"unlisted header ignored", hdr("Foo", "1", "Other", "2"), hdr("Foo", "1", "Other", "3"), true},
		{"whitespace normalized", hdr("Foo", "a,b"), hdr("Foo", "a, b"), true},
		{"lower-case names", http.Header{"foo": {"1"}}, hdr("Foo", "1"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			store(t, c, newReq("GET", testURL, tc.stored), newResp(200, vary.Clone(), "v"))
			r, _ := c.Lookup(newReq("GET", testURL, tc.lookup))
			if (r != nil) != tc.hit {
				t.Errorf("hit = %v, want %v", r != nil, tc.hit)
			}
		})
	}
	// Two variants live side by side.
	c := New()
	store(t, c, newReq("GET", testURL, hdr("Foo", "1")), newResp(200, vary.Clone(), "one"))
	store(t, c, newReq("GET", testURL, hdr("Foo", "2")), newResp(200, vary.Clone(), "two"))
	store(t, c, newReq("GET", testURL, hdr("Foo", "2")), newResp(200, vary.Clone(), "two again"))
	got := []string{}
	for _, v := range []string{"1", "2"} {
		r, _ := c.Lookup(newReq("GET", testURL, hdr("Foo", v)))
		got = append(got, readBody(t, r))
	}
	if d := cmp.Diff([]string{"one", "two again"}, got); d != "" || c.Len() != 2 {
		t.Errorf("variants (-want +got)\n%s (len %d)", d, c.Len())
	}
}

func TestKeys(t *testing.T) {
	c := New()
	ctx := func(info RequestInfo) *http.Request {
		return newReq("GET", testURL, nil).WithContext(WithRequestInfo(context.Background(), info))
	}
	store(t, c, ctx(RequestInfo{Credentials: true}), newResp(200, hdr("Cache-Control", "max-age=60"), "cred"))
	tests := []struct {
		name string
		info RequestInfo
		want string
	}{
		{"credentialed hits", RequestInfo{Credentials: true}, "cred"},
		{"anonymous misses", RequestInfo{}, ""},
		{"other partition misses", RequestInfo{Credentials: true, PartitionKey: "https://other.test"}, ""},
	}
	for _, tc := range tests {
		r, _ := c.Lookup(ctx(tc.info))
		got := ""
		if r != nil {
			got = readBody(t, r)
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	// Cache mode no-cache always validates.
	if r, stale := c.Lookup(ctx(RequestInfo{Credentials: true, Mode: "no-cache"})); r == nil || !stale {
		t.Errorf("no-cache mode: %v %v", r, stale)
	}
}

func TestOnlyIfCached504(t *testing.T) {
	c := New()
	r, stale := c.Lookup(newReq("GET", testURL, hdr("Cache-Control", "only-if-cached")))
	if r == nil || r.StatusCode != 504 || stale {
		t.Fatalf("got %v %v, want a 504", r, stale)
	}
	// Not for fetch's own only-if-cached mode (fetch makes that a network
	// error).
	req := newReq("GET", testURL, hdr("Cache-Control", "only-if-cached"))
	req = req.WithContext(WithRequestInfo(req.Context(), RequestInfo{Mode: "only-if-cached"}))
	if r, _ := c.Lookup(req); r != nil {
		t.Errorf("only-if-cached mode: got %v", r.Status)
	}
}

func TestInvalidate(t *testing.T) {
	const loc = "http://example.test/loc"
	const cl = "http://example.test/cl"
	const other = "http://other.test/x"
	tests := []struct {
		name   string
		method string
		status int
		header http.Header
		want   []string // URLs still stored
	}{
		{"POST 200", "POST", 200, nil, []string{loc, cl, other}},
		{"POST 500 keeps", "POST", 500, hdr("Location", loc), []string{testURL, loc, cl, other}},
		{"PUT Location", "PUT", 201, hdr("Location", "/loc"), []string{cl, other}},
		{"DELETE Content-Location", "DELETE", 204, hdr("Content-Location", cl), []string{loc, other}},
		{"FOO both", "FOO", 302, hdr("Location", loc, "Content-Location", "cl"), []string{other}},
		{"cross-origin Location kept", "POST", 200, hdr("Location", other), []string{loc, cl, other}},
		{"GET never invalidates", "GET", 200, hdr("Location", loc), []string{testURL, loc, cl, other}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			all := []string{testURL, loc, cl, other}
			for _, u := range all {
				store(t, c, newReq("GET", u, nil), newResp(200, hdr("Cache-Control", "max-age=60"), u))
			}
			store(t, c, newReq(tc.method, testURL, nil), newResp(tc.status, tc.header, ""))
			var got []string
			for _, u := range all {
				if r, _ := c.Lookup(newReq("GET", u, nil)); r != nil {
					got = append(got, u)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
	c := New()
	store(t, c, newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "x"))
	c.Invalidate(newReq("POST", testURL, nil))
	if c.Len() != 0 {
		t.Errorf("Invalidate left %d entries", c.Len())
	}
}

func TestPostWithContentLocation(t *testing.T) {
	tests := []struct {
		name   string
		header http.Header
		hit    bool
	}{
		{"self Content-Location with max-age", hdr("Cache-Control", "private, max-age=1000", "Content-Location", testURL), true},
		{"relative self Content-Location", hdr("Cache-Control", "max-age=1000", "Content-Location", "/r?x=1"), true},
		{"no freshness", hdr("Content-Location", testURL), false},
		{"no Content-Location", hdr("Cache-Control", "max-age=1000"), false},
		{"other Content-Location", hdr("Cache-Control", "max-age=1000", "Content-Location", "/other"), false},
	}
	for _, tc := range tests {
		for _, m := range []string{"POST", "PATCH"} {
			c := New()
			store(t, c, newReq(m, testURL, nil), newResp(200, tc.header, "abc"))
			r, _ := c.Lookup(newReq("GET", testURL, nil))
			if (r != nil) != tc.hit {
				t.Errorf("%s %s: hit = %v, want %v", m, tc.name, r != nil, tc.hit)
			}
		}
	}
}

func TestFreshen(t *testing.T) {
	clk := newClock()
	now := clk.Now()
	c := New(WithClock(clk.Now))
	req := newReq("GET", testURL, nil)
	store(t, c, req, newResp(200, hdr("Expires", httpDate(now.Add(-5000*time.Second)), "ETag", `"e"`,
		"Test-Header", "A", "Content-Test", "A", "Content-Length", "4", "Content-Encoding", "identity"), "body"))
	stored, stale := c.Lookup(req)
	if stored == nil || !stale {
		t.Fatalf("want a stale stored response, got %v %v", stored, stale)
	}
	clk.Advance(2 * time.Second)
	nm := newResp(304, hdr("Expires", httpDate(now.Add(3000*time.Second)), "ETag", `"e"`, "Test-Header", "B",
		"Content-Test", "B", "Content-Length", "0", "Content-Encoding", "gzip", "X-New", "1", "Set-Cookie", "a=b"), "")
	fresh := c.Freshen(req, stored, nm)
	got := map[string]string{}
	for _, k := range []string{"Test-Header", "Content-Test", "Content-Length", "Content-Encoding", "X-New", "Set-Cookie", "Age"} {
		got[k] = fresh.Header.Get(k)
	}
	got["body"] = readBody(t, fresh)
	got["status"] = fresh.Status
	want := map[string]string{"Test-Header": "B", "Content-Test": "B", "Content-Length": "4", "Content-Encoding": "identity",
		"X-New": "1", "Set-Cookie": "a=b", "Age": "0", "body": "body", "status": "200 OK"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("freshened (-want +got)\n%s", d)
	}
	// The stored response was updated too: it is fresh now.
	again, stale := c.Lookup(req)
	if again == nil || stale || again.Header.Get("Test-Header") != "B" {
		t.Errorf("after Freshen: %v stale=%v", again, stale)
	}
	// A response that did not come from the cache is returned as is.
	other := newResp(200, nil, "x")
	if c.Freshen(req, other, nm) != other {
		t.Errorf("Freshen of a foreign response changed it")
	}
}

func TestRanges(t *testing.T) {
	full := func(c *Cache) {
		store(t, c, newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=3600"), "0123456789A"))
	}
	partial := func(c *Cache) {
		store(t, c, newReq("GET", testURL, hdr("Range", "bytes=4-8")),
			newResp(206, hdr("Cache-Control", "max-age=3600", "Content-Range", "bytes 4-8/11"), "45678"))
	}
	// A 206 whose body is shorter than its Content-Range says (as in the
	// WPT partial tests).
	short := func(c *Cache) {
		store(t, c, newReq("GET", testURL, hdr("Range", "bytes=-5")),
			newResp(206, hdr("Cache-Control", "max-age=3600", "Content-Range", "bytes 4-9/10"), "01234"))
	}
	tests := []struct {
		name      string
		fill      func(*Cache)
		rng       string
		wantBody  string // "" : miss
		wantRange string
	}{
		{"full, first-last", full, "bytes=0-1", "01", "bytes 0-1/11"},
		{"full, first-", full, "bytes=1-", "123456789A", "bytes 1-10/11"},
		{"full, suffix", full, "bytes=-1", "A", "bytes 10-10/11"},
		{"full, last beyond end", full, "bytes=9-100", "9A", "bytes 9-10/11"},
		{"full, unsatisfiable", full, "bytes=20-", "", ""},
		{"full, two ranges", full, "bytes=0-1,3-4", "", ""},
		{"full, no range", full, "", "0123456789A", ""},
		{"partial, same range", partial, "bytes=4-8", "45678", "bytes 4-8/11"},
		{"partial, inner range", partial, "bytes=5-6", "56", "bytes 5-6/11"},
		{"partial, suffix inside", partial, "bytes=-3", "", ""},
		{"partial, outside", partial, "bytes=0-4", "", ""},
		{"partial, whole", partial, "", "", ""},
		{"short partial, same range", short, "bytes=-5", "01234", "bytes 4-8/9"},
		{"short partial, inner", short, "bytes=6-8", "234", "bytes 6-8/9"},
		{"short partial, open end", short, "bytes=6-", "234", "bytes 6-8/9"},
		{"short partial, suffix", short, "bytes=-1", "4", "bytes 8-8/9"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := New()
			tc.fill(c)
			h := http.Header{}
			if tc.rng != "" {
				h.Set("Range", tc.rng)
			}
			r, _ := c.Lookup(newReq("GET", testURL, h))
			var got [2]string
			if r != nil {
				got = [2]string{readBody(t, r), r.Header.Get("Content-Range")}
				if tc.rng != "" && r.StatusCode != 206 {
					t.Errorf("status %d, want 206", r.StatusCode)
				}
			}
			if d := cmp.Diff([2]string{tc.wantBody, tc.wantRange}, got); d != "" {
				t.Errorf("(-want +got)\n%s", d)
			}
		})
	}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in   string
		want byteRange
		ok   bool
	}{
		{"bytes=0-1", byteRange{0, 1}, true},
		{"bytes=5-", byteRange{5, -1}, true},
		{"bytes=-5", byteRange{-1, 5}, true},
		{"Bytes = 1-2", byteRange{1, 2}, true},
		{"bytes=-0", byteRange{}, false},
		{"bytes=2-1", byteRange{}, false},
		{"bytes=-", byteRange{}, false},
		{"items=0-1", byteRange{}, false},
		{"bytes=a-b", byteRange{}, false},
	}
	for _, tc := range tests {
		got, ok := parseRange(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseRange(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	crs := []struct {
		in   string
		want contentRange
		ok   bool
	}{
		{"bytes 0-4/10", contentRange{0, 4, 10}, true},
		{"bytes 0-4/*", contentRange{0, 4, -1}, true},
		{"bytes 4-9/9", contentRange{}, false},
		{"bytes */10", contentRange{}, false},
	}
	for _, tc := range crs {
		got, ok := parseContentRange(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseContentRange(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTeeBody(t *testing.T) {
	t.Run("stored only at the end", func(t *testing.T) {
		c := New()
		kept := c.Store(newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "hello world"))
		buf := make([]byte, 5)
		if _, err := io.ReadFull(kept.Body, buf); err != nil {
			t.Fatal(err)
		}
		if c.Len() != 0 {
			t.Fatalf("stored before the body ended")
		}
		rest, _ := io.ReadAll(kept.Body)
		if string(buf)+string(rest) != "hello world" || c.Len() != 1 {
			t.Fatalf("caller read %q, stored %d", string(buf)+string(rest), c.Len())
		}
	})
	t.Run("closed early", func(t *testing.T) {
		c := New()
		kept := c.Store(newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=60"), "hello world"))
		buf := make([]byte, 5)
		io.ReadFull(kept.Body, buf)
		kept.Body.Close()
		io.ReadAll(kept.Body)
		if c.Len() != 0 {
			t.Errorf("a body closed early was stored")
		}
	})
	t.Run("short body", func(t *testing.T) {
		c := New()
		resp := newResp(200, hdr("Cache-Control", "max-age=60"), "short")
		resp.ContentLength = 10
		store(t, c, newReq("GET", testURL, nil), resp)
		if c.Len() != 0 {
			t.Errorf("a truncated body was stored")
		}
	})
	t.Run("too large", func(t *testing.T) {
		c := New(WithMaxBytes(100))
		body := strings.Repeat("x", 200)
		kept := c.Store(newReq("GET", testURL, nil), newResp(200, hdr("Cache-Control", "max-age=60"), body))
		got, _ := io.ReadAll(kept.Body)
		if string(got) != body || c.Len() != 0 {
			t.Errorf("caller got %d bytes, stored %d", len(got), c.Len())
		}
	})
}

func TestLRU(t *testing.T) {
	c := New(WithMaxBytes(1200))
	body := strings.Repeat("x", 300)
	u := func(i int) string { return fmt.Sprintf("http://example.test/%d", i) }
	for i := range 3 {
		store(t, c, newReq("GET", u(i), nil), newResp(200, hdr("Cache-Control", "max-age=60"), body))
	}
	// Touch 0 so 1 is the least recently used.
	c.Lookup(newReq("GET", u(0), nil))
	store(t, c, newReq("GET", u(3), nil), newResp(200, hdr("Cache-Control", "max-age=60"), body))
	var got []int
	for i := range 4 {
		if r, _ := c.Lookup(newReq("GET", u(i), nil)); r != nil {
			got = append(got, i)
		}
	}
	if d := cmp.Diff([]int{0, 2, 3}, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if c.Size() > 1200 {
		t.Errorf("size %d over the bound", c.Size())
	}
	c.Clear()
	if c.Len() != 0 || c.Size() != 0 {
		t.Errorf("Clear left %d entries, %d bytes", c.Len(), c.Size())
	}
}

func TestStaleWhileRevalidate(t *testing.T) {
	clk := newClock()
	c := New(WithClock(clk.Now))
	req := newReq("GET", testURL, nil)
	store(t, c, req, newResp(200, hdr("Cache-Control", "max-age=10, stale-while-revalidate=60"), "x"))
	tests := []struct {
		advance time.Duration
		reqHdr  http.Header
		want    bool
	}{
		{5 * time.Second, nil, false}, // still fresh: nothing to revalidate
		{20 * time.Second, nil, true},
		{20 * time.Second, hdr("Cache-Control", "no-cache"), false},
		{100 * time.Second, nil, false},
	}
	start := clk.Now()
	for _, tc := range tests {
		clk.mu.Lock()
		clk.t = start.Add(tc.advance)
		clk.mu.Unlock()
		r := newReq("GET", testURL, tc.reqHdr)
		stored, _ := c.Lookup(r)
		if got := c.StaleWhileRevalidate(r, stored); got != tc.want {
			t.Errorf("after %v %v: got %v, want %v", tc.advance, tc.reqHdr, got, tc.want)
		}
	}
}

func TestConcurrent(t *testing.T) {
	c := New(WithMaxBytes(4096))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				u := fmt.Sprintf("http://example.test/%d", (g*7+i)%13)
				req := newReq("GET", u, nil)
				if r, stale := c.Lookup(req); r != nil {
					io.ReadAll(r.Body)
					if stale {
						c.Freshen(req, r, newResp(304, hdr("Cache-Control", "max-age=60"), ""))
					}
				} else {
					store(t, c, req, newResp(200, hdr("Cache-Control", "max-age=0"), strings.Repeat("y", i)))
				}
				if i%50 == 0 {
					c.Invalidate(req)
				}
			}
		}()
	}
	wg.Wait()
	if c.Size() > 4096 {
		t.Errorf("size %d over the bound", c.Size())
	}
}
