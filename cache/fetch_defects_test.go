package cache_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// fetchWith fetches u with the given request header pairs (names kept as
// written) and returns status, body and cache outcome.
func fetchWith(t *testing.T, client *fetch.Client, u string, mode request.Cache, pairs ...string) (int, string, response.CacheOutcome) {
	t.Helper()
	var h headers.Pairs
	for i := 0; i+1 < len(pairs); i += 2 {
		h = append(h, []string{pairs[i], pairs[i+1]})
	}
	resp, err := client.Fetch(context.Background(), u, &request.Init{Cache: &mode, Headers: h})
	if err != nil {
		t.Fatal(err)
	}
	text, err := resp.Text()
	if err != nil {
		t.Fatal(err)
	}
	return resp.Status(), text, resp.CacheOutcome()
}

// Defect 1 through fetch: a lowercase authorization header keeps the
// response out of the cache, so a later anonymous request never sees it;
// lowercase cache-control and range work.
func TestFetchLowercaseRequestHeaders(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("ETag", `"v"`)
		if r.Header.Get("If-None-Match") == `"v"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if r.Header.Get("Authorization") != "" {
			fmt.Fprint(w, "secret")
			return
		}
		fmt.Fprintf(w, "public %d", i)
	}))
	defer srv.Close()
	client := fetch.NewClient(fetch.WithHTTPCache(cache.New()))
	defer client.Close()

	_, body, _ := fetchWith(t, client, srv.URL+"/a", "default", "authorization", "Basic dTpw")
	if body != "secret" {
		t.Fatalf("authorized fetch got %q", body)
	}
	_, body, outcome := fetchWith(t, client, srv.URL+"/a", "default")
	if body == "secret" || outcome != response.CacheMiss {
		t.Errorf("anonymous fetch after an authorized one: %q (%s), want a network response", body, outcome)
	}

	type res struct {
		Status  int
		Body    string
		Outcome response.CacheOutcome
	}
	var got []res
	add := func(s int, b string, o response.CacheOutcome) { got = append(got, res{s, b, o}) }
	add(fetchWith(t, client, srv.URL+"/b", "default"))
	add(fetchWith(t, client, srv.URL+"/b", "default"))
	add(fetchWith(t, client, srv.URL+"/b", "default", "cache-control", "max-age=0"))
	add(fetchWith(t, client, srv.URL+"/b", "default", "range", "bytes=0-3"))
	want := []res{{200, "public 3", response.CacheMiss}, {200, "public 3", response.CacheHit},
		{200, "public 3", response.CacheRevalidated}, {206, "publ", response.CacheHit}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

// Defect 2: net/http's invented Cache-Control is gone: the user and the
// cache see the header list the server sent, so a response with Pragma:
// no-cache and a future Expires is fresh.
func TestFetchPragmaNoInventedCacheControl(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Pragma", "no-cache")
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		w.Header().Set("Expires", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
		if r.URL.Path == "/cc" {
			w.Header().Set("Cache-Control", "no-cache")
		}
		fmt.Fprint(w, "x")
	}))
	defer srv.Close()
	client := fetch.NewClient(fetch.WithHTTPCache(cache.New()))
	defer client.Close()
	resp, err := client.Fetch(context.Background(), srv.URL+"/p", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := resp.Headers().Get("Cache-Control"); ok {
		t.Errorf("response has a Cache-Control the server did not send")
	}
	resp.Text()
	if _, _, o := fetchWith(t, client, srv.URL+"/p", "default"); o != response.CacheHit {
		t.Errorf("second fetch: %s, want hit", o)
	}
	// A Cache-Control the server did send stays.
	resp, err = client.Fetch(context.Background(), srv.URL+"/cc", nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := resp.Headers().Get("Cache-Control"); v != "no-cache" {
		t.Errorf("Cache-Control = %q, want no-cache", v)
	}
	resp.Text()
}

// Defect 6: a cached Set-Cookie is never applied to the jar again, and
// browser-mode filtering hides it.
func TestFetchSetCookieFromCache(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Add("Set-Cookie", "a=1; Path=/")
		fmt.Fprint(w, "x")
	}))
	defer srv.Close()
	su, _ := url.Parse(srv.URL + "/")
	cookieOf := func(jar http.CookieJar) string {
		for _, c := range jar.Cookies(su) {
			if c.Name == "a" {
				return c.Value
			}
		}
		return ""
	}
	for _, browser := range []bool{false, true} {
		t.Run(fmt.Sprintf("browser=%v", browser), func(t *testing.T) {
			jar := fetch.NewCookieJar()
			opts := []fetch.Option{fetch.WithHTTPCache(cache.New()), fetch.WithCookieJar(jar)}
			if browser {
				opts = append(opts, fetch.WithOrigin(srv.URL))
			}
			client := fetch.NewClient(opts...)
			defer client.Close()
			fetchWith(t, client, srv.URL+"/c", "default")
			if v := cookieOf(jar); v != "1" {
				t.Fatalf("after the network response the jar has a=%q", v)
			}
			jar.SetCookies(su, []*http.Cookie{{Name: "a", Value: "2", Path: "/"}})
			resp, err := client.Fetch(context.Background(), srv.URL+"/c", nil)
			if err != nil {
				t.Fatal(err)
			}
			resp.Text()
			if resp.CacheOutcome() != response.CacheHit {
				t.Fatalf("second fetch: %s, want hit", resp.CacheOutcome())
			}
			if v := cookieOf(jar); v != "2" {
				t.Errorf("the cached Set-Cookie was applied: jar has a=%q", v)
			}
			_, has, _ := resp.Headers().Get("Set-Cookie")
			if has == browser {
				t.Errorf("Set-Cookie visible = %v in browser mode %v", has, browser)
			}
		})
	}
}

// stuckOrigin answers its first connection (and the next one after
// answer is set again) with a stale-while-revalidate
// response and holds every later one open without answering, reporting
// each accept and each close by the client.
type stuckOrigin struct {
	ln       net.Listener
	accepted chan struct{}
	closed   chan struct{}
	conns    atomic.Int32
	answer   atomic.Bool // answer the next connection
	wg       sync.WaitGroup
}

func newStuckOrigin(t *testing.T) *stuckOrigin {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	o := &stuckOrigin{ln: ln, accepted: make(chan struct{}, 1000), closed: make(chan struct{}, 1000)}
	o.answer.Store(true)
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			o.conns.Add(1)
			answer := o.answer.CompareAndSwap(true, false)
			o.wg.Add(1)
			go func() {
				defer o.wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				if answer {
					http.ReadRequest(br)
					io.WriteString(c, "HTTP/1.1 200 OK\r\nCache-Control: max-age=0, stale-while-revalidate=3600\r\n"+
						"Content-Length: 2\r\nConnection: close\r\n\r\nok")
					return
				}
				o.accepted <- struct{}{}
				io.Copy(io.Discard, br) // until the client closes
				o.closed <- struct{}{}
			}()
		}
	}()
	return o
}

func (o *stuckOrigin) Close() { o.ln.Close(); o.wg.Wait() }

func wait(t *testing.T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second): // a failsafe, not a timing assertion
		t.Fatalf("gave up waiting for %s", what)
	}
}

// Defect 7: stale-while-revalidate revalidations are deduplicated, bounded
// by a timeout and end with the client.
func TestFetchStaleWhileRevalidateBounded(t *testing.T) {
	o := newStuckOrigin(t)
	defer o.Close()
	u := "http://" + o.ln.Addr().String() + "/swr"

	client := fetch.NewClient(fetch.WithHTTPCache(cache.New()))
	if _, body, outcome := fetchWith(t, client, u, "default"); body != "ok" || outcome != response.CacheMiss {
		t.Fatalf("first fetch: %q %s", body, outcome)
	}
	for range 100 {
		if _, body, outcome := fetchWith(t, client, u, "default"); body != "ok" || outcome != response.CacheStale {
			t.Fatalf("stale fetch: %q %s", body, outcome)
		}
	}
	wait(t, o.accepted, "the revalidation's connection")
	if n := o.conns.Load(); n != 2 {
		t.Errorf("%d connections for 100 stale hits, want 2 (the first fetch and one revalidation)", n)
	}
	// Close cancels the revalidation: its connection is closed.
	client.Close()
	wait(t, o.closed, "the revalidation's connection to close")

	// A timeout ends a revalidation too; the next stale hit starts another.
	o.answer.Store(true)
	client = fetch.NewClient(fetch.WithHTTPCache(cache.New()), fetch.WithRevalidateTimeout(500*time.Millisecond))
	defer client.Close()
	if _, body, outcome := fetchWith(t, client, u, "default"); body != "ok" || outcome != response.CacheMiss {
		t.Fatalf("first fetch: %q %s", body, outcome)
	}
	fetchWith(t, client, u, "default")
	wait(t, o.accepted, "the second client's revalidation")
	wait(t, o.closed, "the revalidation to time out")
	// (The ended revalidation leaves its slot just after its connection
	// closes: stale hits until one starts anew.)
	for deadline := time.Now().Add(30 * time.Second); ; {
		fetchWith(t, client, u, "default")
		select {
		case <-o.accepted:
			return
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no new revalidation after the timeout")
		}
	}
}
