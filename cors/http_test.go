package cors

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// preflightServer is a Go version of fetch/api/resources/preflight.py
// (without the stash token: one server per test).
type preflightServer struct {
	mu         sync.Mutex
	preflights int
	acrh       *string
	preflightU string
}

func (s *preflightServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	h := w.Header()
	h.Set("Content-Type", "text/plain")
	if o := q.Get("origin"); q.Has("origin") {
		for _, v := range strings.Split(o, ", ") {
			h.Add("Access-Control-Allow-Origin", v)
		}
	} else {
		h.Set("Access-Control-Allow-Origin", "*")
	}
	if q.Has("credentials") {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodOptions {
		if r.Header.Get("Access-Control-Request-Method") == "" || r.Header.Get("Accept") != "*/*" {
			w.WriteHeader(400)
			return
		}
		if v, ok := r.Header["Access-Control-Request-Headers"]; ok {
			j := strings.Join(v, ", ")
			s.acrh = &j
		}
		for _, k := range [][2]string{{"max_age", "Access-Control-Max-Age"}, {"allow_headers", "Access-Control-Allow-Headers"}, {"allow_methods", "Access-Control-Allow-Methods"}} {
			if q.Has(k[0]) {
				h.Set(k[1], q.Get(k[0]))
			}
		}
		s.preflights++
		s.preflightU = r.Header.Get("User-Agent")
		return
	}
	if q.Has("checkUserAgentHeaderInPreflight") && r.Header.Get("User-Agent") != s.preflightU {
		w.WriteHeader(400)
		return
	}
	h.Set("Access-Control-Expose-Headers", "x-did-preflight, x-control-request-headers, x-origin")
	did := "0"
	if s.preflights > 0 {
		did = "1"
	}
	h.Set("x-did-preflight", did)
	if s.acrh != nil {
		h.Set("x-control-request-headers", *s.acrh)
	}
	h.Set("x-origin", r.Header.Get("Origin"))
	h.Set("x-secret", "not exposed")
}

// httpNetwork sends a request.Internal with net/http, adding the headers
// HTTP-network-or-cache fetch adds (Origin for cors mode, User-Agent) and
// not following redirects: the adapter the fetch pipeline provides.
func httpNetwork(client *http.Client) NetworkFunc {
	return func(ctx context.Context, p *request.Internal) *response.Internal {
		hr, err := http.NewRequestWithContext(ctx, p.Method, p.CurrentURL().Serialize(true), nil)
		if err != nil {
			return response.NetworkError(errs.Network(errs.ReasonOther, err, "bad request"))
		}
		hr.Header = p.Header.HTTP()
		if p.Mode == request.ModeCORS || p.Method != "GET" && p.Method != "HEAD" {
			hr.Header.Set("Origin", p.SerializeOrigin())
		}
		hr.Header.Set("User-Agent", "wfetch-test")
		res, err := client.Do(hr)
		if err != nil {
			return response.NetworkError(errs.Network(errs.ReasonConnect, err, "request failed"))
		}
		res.Body.Close()
		l := headers.FromHTTP(res.Header)
		return &response.Internal{Type: response.TypeDefault, Status: res.StatusCode, Header: &l, URLList: p.URLList}
	}
}

// fetchCORS is the CORS part of main fetch and HTTP fetch, for the test.
func fetchCORS(ctx context.Context, req *request.Internal, cache *Cache, network NetworkFunc) (*response.Internal, error) {
	if IsCORSWithPreflight(req) {
		req.ResponseTainting = request.TaintingCORS
		if NeedsPreflight(req, cache) {
			if _, err := PreflightFetch(ctx, req, cache, network); err != nil {
				cache.Clear(req)
				return nil, err
			}
		}
	}
	resp := network(ctx, req)
	if resp.IsNetworkError() {
		return nil, &errs.TypeError{Message: "fetch failed", Err: resp.Err}
	}
	if err := CheckResponse(req, resp); err != nil {
		cache.Clear(req)
		return nil, err
	}
	SetExposedHeaderNames(req, resp)
	return response.CORSFilter(resp), nil
}

func TestHTTPPreflight(t *testing.T) {
	srv := &preflightServer{}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	network := httpNetwork(client)
	cache := NewCache()
	ctx := context.Background()

	newPut := func(query string) *request.Internal {
		r := newReq(t, ts.URL+"/preflight.py?"+query, "PUT", request.CredentialsSameOrigin, "X-Test", "1", "Accept", "*")
		r.UnsafeRequest = true
		return r
	}

	// Refused: no allow_methods.
	if _, err := fetchCORS(ctx, newPut("allow_headers=x-test"), cache, network); err == nil {
		t.Fatal("refused preflight succeeded")
	} else if got := corsMessage(t, err); !strings.Contains(got, "does not allow method 'PUT'") {
		t.Errorf("message %q", got)
	}

	// Allowed, cached for 600 s.
	q := "allow_methods=PUT&allow_headers=X-Test&max_age=600&checkUserAgentHeaderInPreflight"
	resp, err := fetchCORS(ctx, newPut(q), cache, network)
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) string { v, _ := resp.Header.Get(name); return v }
	if get("x-did-preflight") != "1" || get("x-control-request-headers") != "x-test" || get("x-origin") != testOrigin {
		t.Errorf("response headers %v", *resp.Header)
	}
	if _, ok := resp.Header.Get("x-secret"); ok {
		t.Error("unexposed header visible through the CORS filter")
	}
	srv.mu.Lock()
	before := srv.preflights
	srv.mu.Unlock()

	// The second request uses the cache.
	if _, err := fetchCORS(ctx, newPut(q), cache, network); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	after := srv.preflights
	srv.mu.Unlock()
	if after != before {
		t.Errorf("preflights %d -> %d, want the cache to be used", before, after)
	}

	// A credentialed request with the wildcard origin fails the preflight.
	r := newPut("allow_methods=PUT&allow_headers=X-Test&credentials")
	r.Credentials = request.CredentialsInclude
	if _, err := fetchCORS(ctx, r, cache, network); err == nil ||
		!strings.Contains(corsMessage(t, err), "the wildcard does not work with credentials mode include") {
		t.Errorf("credentialed wildcard: %v", err)
	}
	// With the origin echoed it works.
	r = newPut("allow_methods=PUT&allow_headers=X-Test&credentials&origin=" + testOrigin)
	r.Credentials = request.CredentialsInclude
	if _, err := fetchCORS(ctx, r, cache, network); err != nil {
		t.Errorf("credentialed with origin: %v", err)
	}
}
