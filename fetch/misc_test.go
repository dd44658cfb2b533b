package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

func TestIntegrity(t *testing.T) {
	const content = "integrity body"
	s256 := sha256.Sum256([]byte(content))
	s384 := sha512.Sum384([]byte(content))
	s512 := sha512.Sum512([]byte(content))
	h256 := "sha256-" + base64.StdEncoding.EncodeToString(s256[:])
	h384 := "sha384-" + base64.StdEncoding.EncodeToString(s384[:])
	h512 := "sha512-" + base64.StdEncoding.EncodeToString(s512[:])
	wrong := func(alg string) string { return alg + "-" + base64.StdEncoding.EncodeToString(make([]byte, 32)) }
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/empty" {
			w.WriteHeader(204)
			return
		}
		io.WriteString(w, content)
	})
	c := newTestClient(t)
	tests := []struct {
		name, meta, path string
		ok               bool
	}{
		{"sha256", h256, "/", true},
		{"sha384", h384, "/", true},
		{"sha512", h512, "/", true},
		{"mismatch", wrong("sha256"), "/", false},
		{"strongest wins (right)", wrong("sha256") + " " + h512, "/", true},
		{"strongest wins (wrong)", h256 + " " + wrong("sha512"), "/", false},
		{"any strongest matches", wrong("sha384") + " " + h384, "/", true},
		{"unknown algorithm only", "md5-abc", "/", true},
		{"options ignored", h256 + "?foo=bar", "/", true},
		{"no body", h256, "/empty", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.Fetch(context.Background(), srv.URL+tt.path, &request.Init{Integrity: ptr(tt.meta)})
			if tt.ok {
				if err != nil {
					t.Fatalf("err %v", err)
				}
				if got := text(t, r); got != content {
					t.Errorf("body %q", got)
				}
				return
			}
			if networkReason(err) != errs.ReasonIntegrity {
				t.Errorf("err %v, want an integrity network error", err)
			}
		})
	}
	// Opaque responses can never pass integrity.
	bc := newTestClient(t, WithDialContext(testDial), WithOrigin("http://a.test/"))
	_, err := bc.Fetch(context.Background(), hostURL(srv, "b.test"), &request.Init{Mode: ptr(request.ModeNoCORS), Integrity: ptr(h256)})
	if networkReason(err) != errs.ReasonIntegrity {
		t.Errorf("opaque with integrity: %v", err)
	}
}

func TestLoginHook(t *testing.T) {
	var mu sync.Mutex
	var auths []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		if u, p, ok := r.BasicAuth(); ok && u == "alice" && p == "secret" {
			io.WriteString(w, "welcome "+r.Method)
			return
		}
		w.Header().Set("WWW-Authenticate", `Basic realm="test realm"`)
		w.WriteHeader(401)
		io.WriteString(w, "denied")
	})
	var challenges []AuthChallenge
	answer := true
	c := newTestClient(t, WithLoginHook(func(ctx context.Context, ch AuthChallenge) (string, string, bool) {
		challenges = append(challenges, ch)
		return "alice", "secret", answer
	}))
	r := mustFetch(t, c, srv.URL+"/private", &request.Init{Method: ptr("POST"), Body: "payload"})
	if got := text(t, r); got != "welcome POST" || r.Status() != 200 {
		t.Errorf("status %d body %q", r.Status(), got)
	}
	want := []AuthChallenge{{URL: srv.URL + "/private", Status: 401, Challenges: []string{`Basic realm="test realm"`}, Realm: "test realm"}}
	if diff := cmp.Diff(want, challenges); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// The URL the response reports carries no credentials.
	if strings.Contains(r.URL(), "alice") {
		t.Errorf("credentials leaked into the response URL: %s", r.URL())
	}
	// The authentication entry is reused without asking again.
	_ = text(t, mustFetch(t, c, srv.URL+"/again", nil))
	if len(challenges) != 1 {
		t.Errorf("hook asked again: %d", len(challenges))
	}
	// credentials "omit": no hook, the 401 is the response.
	c2 := newTestClient(t, WithLoginHook(func(context.Context, AuthChallenge) (string, string, bool) {
		t.Errorf("hook called for credentials omit")
		return "", "", false
	}))
	r = mustFetch(t, c2, srv.URL, &request.Init{Credentials: ptr(request.CredentialsOmit)})
	if r.Status() != 401 {
		t.Errorf("status %d", r.Status())
	}
	_ = text(t, r)
	// Declining returns the 401.
	answer = false
	c3 := newTestClient(t, WithLoginHook(func(context.Context, AuthChallenge) (string, string, bool) { return "", "", false }))
	r = mustFetch(t, c3, srv.URL, nil)
	if r.Status() != 401 || text(t, r) != "denied" {
		t.Errorf("declined: status %d", r.Status())
	}
	// A stream body cannot be sent again: network error.
	_, err := newTestClient(t, WithLoginHook(func(context.Context, AuthChallenge) (string, string, bool) { return "alice", "secret", true })).
		Fetch(context.Background(), srv.URL, &request.Init{Method: ptr("POST"), Body: strings.NewReader("s"), Duplex: ptr(request.DuplexHalf)})
	if networkReason(err) == "" {
		t.Errorf("stream body auth retry: %v", err)
	}
	// Wrong credentials stop after a few attempts.
	n := 0
	c4 := newTestClient(t, WithLoginHook(func(context.Context, AuthChallenge) (string, string, bool) { n++; return "bob", "x", true }))
	r = mustFetch(t, c4, srv.URL, nil)
	if r.Status() != 401 || n != maxLoginAttempts {
		t.Errorf("wrong credentials: status %d after %d attempts", r.Status(), n)
	}
	_ = text(t, r)
}

func TestProxyAuthRequired(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(407) })
	_, err := newTestClient(t).Fetch(context.Background(), srv.URL, nil)
	if networkReason(err) != errs.ReasonOther {
		t.Errorf("407: %v", err)
	}
}

func TestHeaderTimeout(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := newTestClient(t, WithHeaderTimeout(20*time.Millisecond))
	_, err := c.Fetch(context.Background(), srv.URL, nil)
	var ne *NetworkError
	if !errorsAs(err, &ne) || ne.Reason != errs.ReasonTimeout || !strings.Contains(ne.Message, "timed out") {
		t.Errorf("err %v", err)
	}
}

func TestTLSConfig(t *testing.T) {
	srv := newTLSServer(t)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c := newTestClient(t, WithTLSConfig(&tls.Config{RootCAs: pool}), WithDialContext(testDial))
	r := mustFetch(t, c, srv.URL, nil)
	if got := text(t, r); got != "secure" {
		t.Errorf("body %q", got)
	}
	if ti := Timing(r); ti.SecureConnectionStart.IsZero() {
		t.Errorf("no TLS timing")
	}
	// The httptest certificate is for example.com too.
	r = mustFetch(t, c, strings.Replace(srv.URL, "127.0.0.1", "example.com", 1), nil)
	_ = text(t, r)
}

// TestHTTPSDowngradeRedirect: credentials set on an https request do not
// follow a redirect to http on the same host.
func TestHTTPSDowngradeRedirect(t *testing.T) {
	var got http.Header
	plain := newServer(t, func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() })
	// One host name (not loopback, which cookie jars treat as secure) for
	// both servers: the certificate covers *.example.com.
	plainURL := hostURL(plain, "www.example.com")
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plainURL, 302)
	}))
	defer secure.Close()
	pool := x509.NewCertPool()
	pool.AddCert(secure.Certificate())
	secureURL := strings.Replace(secure.URL, "127.0.0.1", "www.example.com", 1)
	jar := NewCookieJar()
	su, _ := url.Parse(secureURL)
	jar.SetCookies(su, []*http.Cookie{{Name: "s", Value: "1", Path: "/", Secure: true}, {Name: "p", Value: "2", Path: "/"}})
	c := newTestClient(t, WithTLSConfig(&tls.Config{RootCAs: pool}), WithCookieJar(jar), WithDialContext(testDial))
	_ = text(t, mustFetch(t, c, secureURL, &request.Init{Headers: headers.Map{"Authorization": "Bearer x"}}))
	if got.Get("Authorization") != "" {
		t.Errorf("Authorization reached the http URL")
	}
	// The jar keeps the Secure cookie off http (same host, other port).
	if ck := got.Get("Cookie"); ck != "p=2" {
		t.Errorf("Cookie on the http hop: %q, want p=2", ck)
	}
}

func TestProxy(t *testing.T) {
	var seen []string
	proxy := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.String())
		io.WriteString(w, "via proxy")
	})
	pu, _ := url.Parse(proxy.URL)
	c := newTestClient(t, WithProxy(http.ProxyURL(pu)))
	r := mustFetch(t, c, "http://target.test/x?y", nil)
	if got := text(t, r); got != "via proxy" {
		t.Errorf("body %q", got)
	}
	if diff := cmp.Diff([]string{"GET http://target.test/x?y"}, seen); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

// memCache is a minimal HTTPCache for tests: one entry per URL, with a
// staleness switch.
type memCache struct {
	mu      sync.Mutex
	entries map[string]*cached
	stale   bool
}

type cached struct {
	status int
	header http.Header
	body   []byte
}

func (m *memCache) Lookup(req *http.Request) (*http.Response, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[req.URL.String()]
	if e == nil {
		return nil, false
	}
	return &http.Response{StatusCode: e.status, Status: http.StatusText(e.status), ProtoMajor: 1, Header: e.header.Clone(), Body: io.NopCloser(bytes.NewReader(e.body))}, m.stale
}

func (m *memCache) Store(req *http.Request, resp *http.Response) *http.Response {
	if req.Method != "GET" {
		return resp
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m.mu.Lock()
	m.entries[req.URL.String()] = &cached{resp.StatusCode, resp.Header.Clone(), b}
	m.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

func (m *memCache) Freshen(req *http.Request, stored, notModified *http.Response) *http.Response {
	for k, v := range notModified.Header {
		stored.Header[k] = v
	}
	return stored
}

func (m *memCache) Invalidate(req *http.Request) {
	m.mu.Lock()
	delete(m.entries, req.URL.String())
	m.mu.Unlock()
}

func TestHTTPCache(t *testing.T) {
	var mu sync.Mutex
	var hits []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, r.Method+" inm="+r.Header.Get("If-None-Match"))
		mu.Unlock()
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("X-Fresh", "yes")
			w.WriteHeader(304)
			return
		}
		io.WriteString(w, "cached body")
	})
	take := func() []string { mu.Lock(); defer mu.Unlock(); h := hits; hits = nil; return h }
	mc := &memCache{entries: map[string]*cached{}}
	c := newTestClient(t, WithHTTPCache(mc))
	// Miss: from the network, stored.
	r := mustFetch(t, c, srv.URL, nil)
	if text(t, r) != "cached body" || r.Internal().CacheState != response.CacheStateNone {
		t.Errorf("miss wrong")
	}
	// Fresh hit: no network.
	r = mustFetch(t, c, srv.URL, nil)
	if text(t, r) != "cached body" {
		t.Errorf("fresh hit body wrong")
	}
	// Stale: revalidated with If-None-Match, 304 freshens.
	mc.stale = true
	r = mustFetch(t, c, srv.URL, nil)
	if got := text(t, r); got != "cached body" || r.Status() != 200 || r.Headers().Value("X-Fresh") != "yes" {
		t.Errorf("revalidated: status %d body %q", r.Status(), got)
	}
	// force-cache takes the stale response as is.
	r = mustFetch(t, c, srv.URL, &request.Init{Cache: ptr(request.CacheForceCache)})
	_ = text(t, r)
	// no-store skips the cache.
	r = mustFetch(t, c, srv.URL, &request.Init{Cache: ptr(request.CacheNoStore)})
	_ = text(t, r)
	want := []string{"GET inm=", `GET inm="v1"`, "GET inm="}
	if diff := cmp.Diff(want, take()); diff != "" {
		t.Errorf("network hits (-want +got)\n%s", diff)
	}
	// A POST invalidates.
	_ = text(t, mustFetch(t, c, srv.URL, &request.Init{Method: ptr("POST")}))
	if len(mc.entries) != 0 {
		t.Errorf("POST did not invalidate")
	}
	// only-if-cached with nothing stored.
	_, err := c.Fetch(context.Background(), srv.URL+"/nothing", &request.Init{Cache: ptr(request.CacheOnlyIfCached), Mode: ptr(request.ModeSameOrigin)})
	if networkReason(err) != errs.ReasonCache {
		t.Errorf("only-if-cached: %v", err)
	}
	take()
}

func TestOnlyIfCachedWithoutCache(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("network used") })
	_, err := newTestClient(t).Fetch(context.Background(), srv.URL, &request.Init{Cache: ptr(request.CacheOnlyIfCached), Mode: ptr(request.ModeSameOrigin)})
	if networkReason(err) != errs.ReasonCache {
		t.Errorf("err %v", err)
	}
}

func TestHTTP2(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Proto", r.Proto)
		io.WriteString(w, r.Method+" "+string(b))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c := newTestClient(t, WithTLSConfig(&tls.Config{RootCAs: pool}))
	r := mustFetch(t, c, srv.URL, &request.Init{Method: ptr("POST"), Body: strings.NewReader("streamed"), Duplex: ptr(request.DuplexHalf)})
	got := []string{r.Headers().Value("X-Proto"), r.StatusText(), text(t, r)}
	if diff := cmp.Diff([]string{"HTTP/2.0", "", "POST streamed"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestBadOption(t *testing.T) {
	for _, opt := range []Option{WithOrigin("not a url"), WithBaseURL("::"), WithReferrerPolicy("sometimes")} {
		_, err := NewClient(opt).Fetch(context.Background(), "data:,x", nil)
		var te *errs.TypeError
		if !errorsAs(err, &te) {
			t.Errorf("bad option: err %v, want a TypeError", err)
		}
	}
}

func TestBaseURL(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.URL.Path) })
	c := newTestClient(t, WithBaseURL(srv.URL+"/dir/page"))
	if got := text(t, mustFetch(t, c, "other", nil)); got != "/dir/other" {
		t.Errorf("relative URL resolved to %q", got)
	}
	if got := c.Environment().BaseURL.Href(); got != srv.URL+"/dir/page" {
		t.Errorf("environment base %q", got)
	}
}

// TestLoginCredentialsStayOnOrigin: credentials a login hook gave for one
// origin are not sent to another origin a redirect leads to.
func TestLoginCredentialsStayOnOrigin(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]string{}
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen["other"+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
	})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen["main"+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
		if _, _, ok := r.BasicAuth(); !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="x"`)
			w.WriteHeader(401)
			return
		}
		http.Redirect(w, r, other.URL+"/landing", 302)
	})
	c := newTestClient(t, WithLoginHook(func(context.Context, AuthChallenge) (string, string, bool) { return "u", "p", true }))
	_ = text(t, mustFetch(t, c, srv.URL+"/start", nil))
	// A later fetch to the other origin, and to the first one.
	_ = text(t, mustFetch(t, c, other.URL+"/later", nil))
	if seen["main/start"] == "" {
		t.Errorf("credentials never sent to the origin that asked")
	}
	if seen["other/landing"] != "" || seen["other/later"] != "" {
		t.Errorf("credentials leaked to another origin: %v", seen)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n > 0 {
		f.n--
		return copy(p, "chunk"), nil
	}
	return 0, errUpload
}

var errUpload = errors.New("upload source broke")

func TestUploadStreamError(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	c := newTestClient(t)
	checkNoLeak(t, c)
	_, err := c.Fetch(context.Background(), srv.URL, &request.Init{Method: ptr("POST"), Body: &failingReader{n: 3}, Duplex: ptr(request.DuplexHalf)})
	if networkReason(err) == "" || !errors.Is(err, errUpload) {
		t.Errorf("err %v, want a network error caused by the upload source", err)
	}
}

// TestConcurrentFetches runs many fetches on one client at once (redirects,
// cookies, CORS preflights) for the race detector.
func TestConcurrentFetches(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, a, b := browserClient(t, srv.URL, WithCookieJar(NewCookieJar()))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var u string
			var init *request.Init
			switch i % 3 {
			case 0:
				u = a + "/x"
			case 1:
				u = b + "/hop?acao=*&to=" + url.QueryEscape(b+"/y?acao=*")
			case 2:
				u = b + "/p?acao=*&acam=PUT&acah=X-Custom"
				init = &request.Init{Method: ptr("PUT"), Headers: headers.Map{"X-Custom": "1"}}
			}
			r, err := c.Fetch(context.Background(), u, init)
			if err != nil {
				t.Errorf("%s: %v", u, err)
				return
			}
			_, _ = r.Text()
		}()
	}
	wg.Wait()
	cs.take()
}

func TestFetchInternalAndRequest(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.Method) })
	c := newTestClient(t)
	// A request made by the caller, with the client's environment.
	req, err := request.New(srv.URL, &request.Init{Method: ptr("PUT")}, request.WithEnvironment(c.Environment()))
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.FetchRequest(context.Background(), req)
	if err != nil || text(t, r) != "PUT" {
		t.Fatalf("FetchRequest: %v", err)
	}
	// The concept level.
	in := request.NewInternal(weburlMust(srv.URL))
	resp := c.FetchInternal(context.Background(), in)
	if resp.IsNetworkError() || resp.Status != 200 {
		t.Fatalf("FetchInternal: %+v", resp.Err)
	}
	discardBody(resp)
	// Bad input is an error, not a panic.
	if _, err := c.FetchRequest(context.Background(), nil); err == nil {
		t.Errorf("nil request accepted")
	}
	if r := c.FetchInternal(context.Background(), &request.Internal{}); !r.IsNetworkError() {
		t.Errorf("request without URL accepted")
	}
	if r := c.FetchInternal(context.Background(), nil); !r.IsNetworkError() {
		t.Errorf("nil internal accepted")
	}
}

func weburlMust(s string) *weburl.URL { return weburl.MustParse(s) }
