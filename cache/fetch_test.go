package cache_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/cache"
	"github.com/wfetch/wfetch/fetch"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// cacheServer answers /r with an ETag, the Cache-Control its cc query
// parameter asks for and a body naming the hit, 304 to a matching
// If-None-Match, and records each request's validation headers.
type cacheServer struct {
	mu   sync.Mutex
	seen []string // per request: "If-None-Match|Cache-Control|Pragma"
}

func (s *cacheServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, r.Method+" "+r.Header.Get("If-None-Match")+"|"+r.Header.Get("Cache-Control")+"|"+r.Header.Get("Pragma"))
	n := len(s.seen)
	s.mu.Unlock()
	if cc := r.URL.Query().Get("cc"); cc != "" {
		w.Header().Set("Cache-Control", cc)
	}
	w.Header().Set("ETag", `"v"`)
	w.Header().Set("Hit", strconv.Itoa(n))
	if r.Header.Get("If-None-Match") == `"v"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprintf(w, "body %d", n)
}

func (s *cacheServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

type step struct {
	mode   request.Cache
	method string
	creds  request.Credentials
}

type outcome struct {
	Status     int
	Body       string
	CacheState response.CacheState
	HasAge     bool
	Err        bool
}

func TestFetchCacheModes(t *testing.T) {
	get := func(m request.Cache) step { return step{mode: m} }
	tests := []struct {
		name     string
		cc       string
		noCache  bool // a client without a cache
		steps    []step
		want     []outcome
		wantSeen []string
	}{
		{"default reuses a fresh response", "max-age=3600", false,
			[]step{get("default"), get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "local", true, false}},
			[]string{"GET ||"}},
		{"default validates a stale response", "max-age=0", false,
			[]step{get("default"), get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "validated", true, false}},
			[]string{"GET ||", `GET "v"||`}},
		{"no cache in the client", "max-age=3600", true,
			[]step{get("default"), get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 2", "", false, false}},
			[]string{"GET ||", "GET ||"}},
		{"no-store neither reads nor writes", "max-age=3600", false,
			[]step{get("no-store"), get("default"), get("no-store")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 2", "", false, false}, {200, "body 3", "", false, false}},
			[]string{"GET |no-cache|no-cache", "GET ||", "GET |no-cache|no-cache"}},
		{"reload stores", "max-age=3600", false,
			[]step{get("default"), get("reload"), get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 2", "", false, false}, {200, "body 2", "local", true, false}},
			[]string{"GET ||", "GET |no-cache|no-cache"}},
		{"no-cache validates a fresh response", "max-age=3600", false,
			[]step{get("default"), get("no-cache")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "validated", true, false}},
			[]string{"GET ||", `GET "v"|max-age=0|`}},
		{"force-cache uses a stale response", "max-age=0", false,
			[]step{get("default"), get("force-cache")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "local", true, false}},
			[]string{"GET ||"}},
		{"force-cache goes to the network and stores", "max-age=3600", false,
			[]step{get("force-cache"), get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "local", true, false}},
			[]string{"GET ||"}},
		{"only-if-cached without a stored response", "max-age=3600", false,
			[]step{get("only-if-cached")},
			[]outcome{{Err: true}},
			nil},
		{"only-if-cached uses a stale response", "max-age=0", false,
			[]step{get("default"), get("only-if-cached")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 1", "local", true, false}},
			[]string{"GET ||"}},
		{"POST invalidates", "max-age=3600", false,
			[]step{get("default"), {mode: "default", method: "POST"}, get("default")},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 2", "", false, false}, {200, "body 3", "", false, false}},
			[]string{"GET ||", "POST ||", "GET ||"}},
		{"credentialed and anonymous are kept apart", "max-age=3600", false,
			[]step{{mode: "default", creds: "omit"}, {mode: "default", creds: "include"}, {mode: "default", creds: "omit"}},
			[]outcome{{200, "body 1", "", false, false}, {200, "body 2", "", false, false}, {200, "body 1", "local", true, false}},
			[]string{"GET ||", "GET ||"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &cacheServer{}
			srv := httptest.NewServer(s)
			defer srv.Close()
			opts := []fetch.Option{fetch.WithOrigin(srv.URL), fetch.WithCookieJar(fetch.NewCookieJar())}
			if !tc.noCache {
				opts = append(opts, fetch.WithHTTPCache(cache.New()))
			}
			client := fetch.NewClient(opts...)
			var got []outcome
			for _, st := range tc.steps {
				got = append(got, doFetch(t, client, srv.URL+"/r?cc="+tc.cc, st))
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("responses (-want +got)\n%s", d)
			}
			if d := cmp.Diff(tc.wantSeen, s.requests()); d != "" {
				t.Errorf("server saw (-want +got)\n%s", d)
			}
		})
	}
}

func doFetch(t *testing.T, client *fetch.Client, u string, st step) outcome {
	t.Helper()
	mode := st.mode
	init := &request.Init{Cache: &mode}
	if st.method != "" {
		init.Method = &st.method
	}
	if st.creds != "" {
		init.Credentials = &st.creds
	}
	if mode == request.CacheOnlyIfCached {
		m := request.ModeSameOrigin
		init.Mode = &m
	}
	resp, err := client.Fetch(context.Background(), u, init)
	if err != nil {
		return outcome{Err: true}
	}
	text, err := resp.Text()
	if err != nil {
		t.Fatal(err)
	}
	_, hasAge, _ := resp.Headers().Get("Age")
	return outcome{Status: resp.Status(), Body: text, CacheState: resp.Internal().Unfiltered().CacheState, HasAge: hasAge}
}

func TestFetchStaleWhileRevalidate(t *testing.T) {
	s := &cacheServer{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := fetch.NewClient(fetch.WithHTTPCache(cache.New()))
	u := srv.URL + "/r?cc=max-age%3D0,%20stale-while-revalidate%3D60"
	first := doFetch(t, client, u, step{mode: "default"})
	second := doFetch(t, client, u, step{mode: "default"})
	want := []outcome{{200, "body 1", "", false, false}, {200, "body 1", "local", true, false}}
	if d := cmp.Diff(want, []outcome{first, second}); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	// The background revalidation reaches the server (briefly polled).
	deadline := time.Now().Add(5 * time.Second)
	for len(s.requests()) < 2 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if d := cmp.Diff([]string{"GET ||", `GET "v"||`}, s.requests()); d != "" {
		t.Errorf("server saw (-want +got)\n%s", d)
	}
}

func TestFetchRangeFromCache(t *testing.T) {
	s := &cacheServer{}
	srv := httptest.NewServer(s)
	defer srv.Close()
	client := fetch.NewClient(fetch.WithHTTPCache(cache.New()))
	u := srv.URL + "/r?cc=max-age%3D3600"
	doFetch(t, client, u, step{mode: "default"})
	m := request.CacheDefault
	resp, err := client.Fetch(context.Background(), u, &request.Init{Cache: &m, Headers: headers.Pairs{{"Range", "bytes=2-5"}}})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := resp.Text()
	cr, _, _ := resp.Headers().Get("Content-Range")
	got := []string{strconv.Itoa(resp.Status()), text, cr}
	if d := cmp.Diff([]string{"206", "dy 1", "bytes 2-5/6"}, got); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	if n := len(s.requests()); n != 1 {
		t.Errorf("server saw %d requests, want 1", n)
	}
}
