package fetch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

// corsServer answers with CORS headers taken from the query:
// acao, acac, aceh, acam, acah, and records request headers.
type corsServer struct {
	mu   sync.Mutex
	reqs []string // method host path origin
	last http.Header
}

func (s *corsServer) handler(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	host, _, _ := strings.Cut(r.Host, ":")
	s.mu.Lock()
	s.reqs = append(s.reqs, r.Method+" "+host+" "+r.URL.Path+" origin="+r.Header.Get("Origin"))
	s.last = r.Header.Clone()
	s.mu.Unlock()
	set := func(h, k string) {
		if v := q.Get(k); v != "" {
			if v == "ORIGIN" {
				v = r.Header.Get("Origin")
			}
			w.Header().Set(h, v)
		}
	}
	set("Access-Control-Allow-Origin", "acao")
	set("Access-Control-Allow-Credentials", "acac")
	set("Access-Control-Expose-Headers", "aceh")
	if r.Method == "OPTIONS" {
		set("Access-Control-Allow-Methods", "acam")
		set("Access-Control-Allow-Headers", "acah")
		set("Access-Control-Max-Age", "maxage")
		if q.Get("preflight") == "fail" {
			w.WriteHeader(500)
		}
		return
	}
	if to := q.Get("to"); to != "" {
		w.Header().Set("Location", to)
		w.WriteHeader(302)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("X-Secret", "s")
	w.Header().Set("X-Exposed", "e")
	io.WriteString(w, "cors body")
}

func (s *corsServer) take() ([]string, http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, h := s.reqs, s.last
	s.reqs = nil
	return r, h
}

func browserClient(t *testing.T, srvURL string, opts ...Option) (*Client, string, string) {
	a := strings.Replace(srvURL, "127.0.0.1", "a.test", 1)
	b := strings.Replace(srvURL, "127.0.0.1", "b.test", 1)
	opts = append([]Option{WithDialContext(testDial), WithOrigin(a + "/page.html")}, opts...)
	return newTestClient(t, opts...), a, b
}

func TestCORS(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, a, b := browserClient(t, srv.URL)
	aOrigin := a
	type res struct {
		Type, Body, Secret, Exposed, CType string
		Status                             int
		Reason                             errs.NetworkReason
	}
	tests := []struct {
		name string
		url  string
		init *request.Init
		want res
	}{
		{"same origin", a + "/x", nil, res{Type: "basic", Body: "cors body", Secret: "s", Exposed: "e", CType: "text/plain", Status: 200}},
		{"cross origin without ACAO", b + "/x", nil, res{Reason: errs.ReasonCORS}},
		{"cross origin ACAO *", b + "/x?acao=*", nil, res{Type: "cors", Body: "cors body", CType: "text/plain", Status: 200}},
		{"cross origin ACAO origin", b + "/x?acao=ORIGIN", nil, res{Type: "cors", Body: "cors body", CType: "text/plain", Status: 200}},
		{"cross origin wrong ACAO", b + "/x?acao=http://c.test", nil, res{Reason: errs.ReasonCORS}},
		{"expose headers", b + "/x?acao=*&aceh=X-Exposed", nil, res{Type: "cors", Body: "cors body", Exposed: "e", CType: "text/plain", Status: 200}},
		{"expose *", b + "/x?acao=*&aceh=*", nil, res{Type: "cors", Body: "cors body", Secret: "s", Exposed: "e", CType: "text/plain", Status: 200}},
		{"include with ACAO *", b + "/x?acao=*", &request.Init{Credentials: ptr(request.CredentialsInclude)}, res{Reason: errs.ReasonCORS}},
		{"include without ACAC", b + "/x?acao=ORIGIN", &request.Init{Credentials: ptr(request.CredentialsInclude)}, res{Reason: errs.ReasonCORS}},
		{"include with ACAC", b + "/x?acao=ORIGIN&acac=true", &request.Init{Credentials: ptr(request.CredentialsInclude)}, res{Type: "cors", Body: "cors body", CType: "text/plain", Status: 200}},
		{"include expose * is literal", b + "/x?acao=ORIGIN&acac=true&aceh=*", &request.Init{Credentials: ptr(request.CredentialsInclude)}, res{Type: "cors", Body: "cors body", CType: "text/plain", Status: 200}},
		{"no-cors", b + "/x", &request.Init{Mode: ptr(request.ModeNoCORS)}, res{Type: "opaque"}},
		{"no-cors manual", b + "/x", &request.Init{Mode: ptr(request.ModeNoCORS), Redirect: ptr(request.RedirectManual)}, res{Reason: errs.ReasonCORS}},
		{"same-origin mode cross origin", b + "/x?acao=*", &request.Init{Mode: ptr(request.ModeSameOrigin)}, res{Reason: errs.ReasonCORS}},
		{"same-origin mode", a + "/x", &request.Init{Mode: ptr(request.ModeSameOrigin)}, res{Type: "basic", Body: "cors body", Secret: "s", Exposed: "e", CType: "text/plain", Status: 200}},
		{"data in cors mode", "data:,d", nil, res{Type: "basic", Body: "d", CType: "text/plain;charset=US-ASCII", Status: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.Fetch(context.Background(), tt.url, tt.init)
			var got res
			if err != nil {
				got.Reason = networkReason(err)
				if got.Reason == "" {
					t.Fatalf("unexpected error %v", err)
				}
			} else {
				got = res{Type: string(r.Type()), Secret: r.Headers().Value("X-Secret"), Exposed: r.Headers().Value("X-Exposed"),
					CType: r.Headers().Value("Content-Type"), Status: r.Status()}
				if r.Body() != nil {
					got.Body = text(t, r)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	cs.take()
	_ = aOrigin
}

func TestOriginHeader(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, a, b := browserClient(t, srv.URL)
	tests := []struct {
		url  string
		init *request.Init
		want string
	}{
		{a + "/x", nil, ""},
		{a + "/x", &request.Init{Method: ptr("POST")}, a},
		{a + "/x", &request.Init{Method: ptr("POST"), ReferrerPolicy: ptr(request.ReferrerPolicyNoReferrer)}, a}, // cors mode: policy not consulted
		{a + "/x", &request.Init{Method: ptr("POST"), Mode: ptr(request.ModeSameOrigin), ReferrerPolicy: ptr(request.ReferrerPolicyNoReferrer)}, "null"},
		{b + "/x?acao=*", nil, a},
		{b + "/x", &request.Init{Mode: ptr(request.ModeNoCORS)}, ""},
		{b + "/x", &request.Init{Mode: ptr(request.ModeNoCORS), Method: ptr("POST")}, a},
		{b + "/x", &request.Init{Mode: ptr(request.ModeNoCORS), Method: ptr("POST"), ReferrerPolicy: ptr(request.ReferrerPolicySameOrigin)}, "null"},
	}
	for _, tt := range tests {
		r, err := c.Fetch(context.Background(), tt.url, tt.init)
		if err != nil {
			t.Fatalf("%s: %v", tt.url, err)
		}
		if r.Body() != nil {
			_ = text(t, r)
		}
		_, h := cs.take()
		if got := h.Get("Origin"); got != tt.want {
			t.Errorf("%s %+v: Origin %q, want %q", tt.url, tt.init, got, tt.want)
		}
	}
	// A server runtime sends no Origin.
	plain := newTestClient(t)
	_ = text(t, mustFetch(t, plain, srv.URL+"/x", &request.Init{Method: ptr("POST")}))
	if _, h := cs.take(); h.Get("Origin") != "" {
		t.Errorf("server runtime sent Origin %q", h.Get("Origin"))
	}
}

// TestCORSRedirectTaint: after a cross-origin redirect of a CORS request
// to yet another origin, the Origin header becomes "null".
func TestCORSRedirectTaint(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, a, b := browserClient(t, srv.URL)
	cc := strings.Replace(a, "a.test", "c.test", 1)
	final := cc + "/final?acao=*"
	r, err := c.Fetch(context.Background(), b+"/hop?acao=*&to="+url.QueryEscape(final), nil)
	if err != nil {
		t.Fatal(err)
	}
	_ = text(t, r)
	reqs, _ := cs.take()
	want := []string{"GET b.test /hop origin=" + a, "GET c.test /final origin=null"}
	if diff := cmp.Diff(want, reqs); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// The final response must allow the "null" origin: a specific origin
	// no longer matches.
	_, err = c.Fetch(context.Background(), b+"/hop?acao=*&to="+url.QueryEscape(cc+"/final?acao="+url.QueryEscape(a)), nil)
	if networkReason(err) != errs.ReasonCORS {
		t.Errorf("tainted origin matched: %v", err)
	}
	cs.take()
}

func TestCORSPreflight(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, _, b := browserClient(t, srv.URL)
	good := b + "/p?acao=*&acam=PUT&acah=X-Custom&maxage=60"
	init := func() *request.Init {
		return &request.Init{Method: ptr("PUT"), Headers: headers.Map{"X-Custom": "1"}}
	}
	r, err := c.Fetch(context.Background(), good, init())
	if err != nil {
		t.Fatal(err)
	}
	_ = text(t, r)
	reqs, _ := cs.take()
	a := c.Origin()
	want := []string{"OPTIONS b.test /p origin=" + a, "PUT b.test /p origin=" + a}
	if diff := cmp.Diff(want, reqs); diff != "" {
		t.Errorf("first (-want +got)\n%s", diff)
	}
	// Cached: no second preflight.
	r, err = c.Fetch(context.Background(), good, init())
	if err != nil {
		t.Fatal(err)
	}
	_ = text(t, r)
	reqs, _ = cs.take()
	if diff := cmp.Diff([]string{"PUT b.test /p origin=" + a}, reqs); diff != "" {
		t.Errorf("cached (-want +got)\n%s", diff)
	}
	// Failures: method not allowed, header not allowed, bad status, no ACAO.
	for _, u := range []string{
		b + "/p?acao=*&acam=POST&acah=X-Custom",
		b + "/p?acao=*&acam=PUT",
		b + "/p?acao=*&acam=PUT&acah=X-Custom&preflight=fail",
		b + "/p?acam=PUT&acah=X-Custom",
		b + "/p?acao=*&acam=PUT,bad%20value&acah=X-Custom",
		b + "/p?acao=*&acam=PUT&acah=X-Custom,bad%20value",
	} {
		_, err := c.Fetch(context.Background(), u, init())
		if networkReason(err) != errs.ReasonCORS {
			t.Errorf("%s: err %v, want a CORS network error", u, err)
		}
		reqs, _ := cs.take()
		if len(reqs) != 1 || !strings.HasPrefix(reqs[0], "OPTIONS") {
			t.Errorf("%s: requests %v, want the preflight only", u, reqs)
		}
	}
	// The preflight carries the request's method and unsafe header names.
	_, _ = c.Fetch(context.Background(), b+"/q?acao=*", &request.Init{Method: ptr("DELETE"), Headers: headers.Map{"X-B": "1", "X-A": "2", "Content-Type": "application/json"}})
	_, h := cs.take()
	if got := []string{h.Get("Access-Control-Request-Method"), h.Get("Access-Control-Request-Headers")}; !cmp.Equal(got, []string{"DELETE", "content-type,x-a,x-b"}) {
		t.Errorf("preflight headers %v", got)
	}
}

func TestReferrer(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c, a, b := browserClient(t, srv.URL)
	page := a + "/page.html"
	tests := []struct {
		url    string
		policy request.ReferrerPolicy
		ref    *string
		want   string
	}{
		{a + "/x", "", nil, page},
		{b + "/x?acao=*", "", nil, a + "/"},
		{a + "/x", request.ReferrerPolicyNoReferrer, nil, ""},
		{b + "/x?acao=*", request.ReferrerPolicyUnsafeURL, nil, page},
		{b + "/x?acao=*", request.ReferrerPolicyOrigin, nil, a + "/"},
		{b + "/x?acao=*", request.ReferrerPolicySameOrigin, nil, ""},
		{a + "/x", request.ReferrerPolicySameOrigin, nil, page},
		{a + "/x", request.ReferrerPolicyNoReferrerWhenDowngrade, nil, page},
		{a + "/x", request.ReferrerPolicyStrictOrigin, nil, a + "/"},
		{a + "/x", request.ReferrerPolicyOriginWhenCrossOrigin, nil, page},
		{a + "/x", "", ptr(a + "/other?q#f"), a + "/other?q"},
		{a + "/x", "", ptr(""), ""},
	}
	for _, tt := range tests {
		init := &request.Init{Referrer: tt.ref}
		if tt.policy != "" {
			init.ReferrerPolicy = ptr(tt.policy)
		}
		r, err := c.Fetch(context.Background(), tt.url, init)
		if err != nil {
			t.Fatalf("%s: %v", tt.url, err)
		}
		_ = text(t, r)
		_, h := cs.take()
		if got := h.Get("Referer"); got != tt.want {
			t.Errorf("%s policy %q: Referer %q, want %q", tt.url, tt.policy, got, tt.want)
		}
	}
	// The client's default policy applies when the request has none.
	c2, a2, _ := browserClient(t, srv.URL, WithReferrerPolicy("no-referrer"))
	_ = text(t, mustFetch(t, c2, a2+"/x", nil))
	if _, h := cs.take(); h.Get("Referer") != "" {
		t.Errorf("client policy ignored: %q", h.Get("Referer"))
	}
	// A redirect's Referrer-Policy header changes the policy.
	plain := newTestClient(t, WithDialContext(testDial))
	_ = plain
}

func TestFetchMetadata(t *testing.T) {
	cs := &corsServer{}
	srv := newServer(t, cs.handler)
	c := newTestClient(t, WithOrigin(srv.URL))
	_ = text(t, mustFetch(t, c, srv.URL+"/x", nil))
	_, h := cs.take()
	got := []string{h.Get("Sec-Fetch-Dest"), h.Get("Sec-Fetch-Mode"), h.Get("Sec-Fetch-Site")}
	if diff := cmp.Diff([]string{"empty", "cors", "same-origin"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	// Server runtimes send none.
	_ = text(t, mustFetch(t, newTestClient(t), srv.URL+"/x", nil))
	if _, h := cs.take(); h.Get("Sec-Fetch-Mode") != "" {
		t.Errorf("server runtime sent fetch metadata")
	}
}
