package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
)

// hop is one request a redirect test server saw.
type hop struct {
	Host, Path, Method, Body, ContentType, Auth, Cookie string
}

// recorder is a test server that records the requests it sees and answers
// /r/<status>?to=<url> with a redirect.
type recorder struct {
	mu   sync.Mutex
	hops []hop
}

func (rec *recorder) handler(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.hops = append(rec.hops, hop{Host: r.Host, Path: r.URL.Path, Method: r.Method, Body: string(b),
		ContentType: r.Header.Get("Content-Type"), Auth: r.Header.Get("Authorization"), Cookie: r.Header.Get("Cookie")})
	rec.mu.Unlock()
	if code, ok := strings.CutPrefix(r.URL.Path, "/r/"); ok && r.URL.RawQuery != "only" {
		status, err := strconv.Atoi(code)
		if err != nil {
			status = 200
		}
		if to := r.URL.Query().Get("to"); to != "" {
			w.Header().Set("Location", to)
		}
		w.WriteHeader(status)
		io.WriteString(w, "redirect body")
		return
	}
	if n, ok := strings.CutPrefix(r.URL.Path, "/loop/"); ok {
		i, _ := strconv.Atoi(n)
		if i > 0 {
			w.Header().Set("Location", "/loop/"+strconv.Itoa(i-1))
			w.WriteHeader(302)
			return
		}
	}
	fmt.Fprintf(w, "%s %s", r.Method, b)
}

func (rec *recorder) take() []hop {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	h := rec.hops
	rec.hops = nil
	return h
}

func redirURL(base string, status int, to string) string {
	return fmt.Sprintf("%s/r/%d?to=%s", base, status, urlQueryEscape(to))
}

func urlQueryEscape(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "#", "%23", "+", "%2B", " ", "%20")
	return r.Replace(s)
}

func TestRedirectMethodRewrite(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	c := newTestClient(t)
	tests := []struct {
		status         int
		method         string
		wantMethod     string
		wantBody       string
		wantCType      string
		wantFinalReply string
	}{
		{301, "POST", "GET", "", "", "GET "},
		{302, "POST", "GET", "", "", "GET "},
		{303, "POST", "GET", "", "", "GET "},
		{303, "PUT", "GET", "", "", "GET "},
		{303, "DELETE", "GET", "", "", "GET "},
		{301, "PUT", "PUT", "data", "text/plain;charset=UTF-8", "PUT data"},
		{302, "PATCH", "PATCH", "data", "text/plain;charset=UTF-8", "PATCH data"},
		{307, "POST", "POST", "data", "text/plain;charset=UTF-8", "POST data"},
		{308, "POST", "POST", "data", "text/plain;charset=UTF-8", "POST data"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.method), func(t *testing.T) {
			r := mustFetch(t, c, redirURL(srv.URL, tt.status, "/final"), &request.Init{Method: ptr(tt.method), Body: "data"})
			if got := text(t, r); got != tt.wantFinalReply {
				t.Errorf("reply %q, want %q", got, tt.wantFinalReply)
			}
			hops := rec.take()
			last := hops[len(hops)-1]
			if diff := cmp.Diff(hop{Host: last.Host, Path: "/final", Method: tt.wantMethod, Body: tt.wantBody, ContentType: tt.wantCType}, last); diff != "" {
				t.Errorf("final hop (-want +got)\n%s", diff)
			}
			if !r.Redirected() {
				t.Errorf("not redirected")
			}
		})
	}
	// HEAD stays HEAD on 303.
	r := mustFetch(t, c, redirURL(srv.URL, 303, "/final"), &request.Init{Method: ptr("HEAD")})
	if r.Status() != 200 {
		t.Errorf("HEAD 303: status %d", r.Status())
	}
	if hops := rec.take(); hops[len(hops)-1].Method != "HEAD" {
		t.Errorf("HEAD 303 became %s", hops[len(hops)-1].Method)
	}
}

func TestRedirectStreamBody(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	c := newTestClient(t)
	half := ptr(request.DuplexHalf)
	// 307 needs the body again: a stream cannot be re-sent.
	_, err := c.Fetch(context.Background(), redirURL(srv.URL, 307, "/final"),
		&request.Init{Method: ptr("POST"), Body: strings.NewReader("streamed"), Duplex: half})
	if got := networkReason(err); got != errs.ReasonRedirect {
		t.Errorf("307 with stream body: reason %q (%v)", got, err)
	}
	// 303 drops the body: fine.
	r, err := c.Fetch(context.Background(), redirURL(srv.URL, 303, "/final"),
		&request.Init{Method: ptr("POST"), Body: strings.NewReader("streamed"), Duplex: half})
	if err != nil {
		t.Fatalf("303 with stream body: %v", err)
	}
	if got := text(t, r); got != "GET " {
		t.Errorf("303 reply %q", got)
	}
	// The first hop got the streamed body.
	rec.take()
	r = mustFetch(t, c, srv.URL+"/final", &request.Init{Method: ptr("POST"), Body: strings.NewReader("streamed"), Duplex: half})
	if got := text(t, r); got != "POST streamed" {
		t.Errorf("stream upload reply %q", got)
	}
}

func TestRedirectModes(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	c := newTestClient(t)
	start := redirURL(srv.URL, 302, "/final")
	// error
	_, err := c.Fetch(context.Background(), start, &request.Init{Redirect: ptr(request.RedirectError)})
	if got := networkReason(err); got != errs.ReasonRedirect {
		t.Errorf("redirect error: reason %q", got)
	}
	// manual in a server runtime: the real 3xx, as undici and Deno.
	r := mustFetch(t, c, start, &request.Init{Redirect: ptr(request.RedirectManual)})
	got := []any{string(r.Type()), r.Status(), r.StatusText(), r.Headers().Value("Location"), r.URL(), text(t, r)}
	want := []any{"basic", 302, "Found", "/final", start, "redirect body"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manual, server runtime (-want +got)\n%s", diff)
	}
	// manual with an origin: an opaque-redirect filtered response.
	bc := newTestClient(t, WithOrigin(srv.URL))
	r = mustFetch(t, bc, start, &request.Init{Redirect: ptr(request.RedirectManual)})
	got = []any{string(r.Type()), r.Status(), r.StatusText(), r.Headers().Value("Location"), r.URL(), r.Body() == nil}
	want = []any{"opaqueredirect", 0, "", "", start, true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manual, origin (-want +got)\n%s", diff)
	}
	// The internal response still knows the redirect.
	if in := r.Internal().Unfiltered(); in.Status != 302 {
		t.Errorf("internal status %d", in.Status)
	}
	// follow, and no Location: the 3xx itself.
	r = mustFetch(t, c, srv.URL+"/r/302", nil)
	if r.Status() != 302 || r.Redirected() || text(t, r) != "redirect body" {
		t.Errorf("302 without Location: status %d", r.Status())
	}
	// A Location that does not parse, and one that is not HTTP(S).
	for _, loc := range []string{"http://[bad", "data:,x", "about:blank", "ftp://127.0.0.1/"} {
		_, err := c.Fetch(context.Background(), redirURL(srv.URL, 302, loc), nil)
		if got := networkReason(err); got != errs.ReasonRedirect {
			t.Errorf("Location %q: reason %q (%v)", loc, got, err)
		}
	}
	rec.take()
}

func TestRedirectLimit(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	c := newTestClient(t)
	// 20 redirects are fine.
	r := mustFetch(t, c, srv.URL+"/loop/20", nil)
	if got := len(r.Internal().URLList); got != 21 {
		t.Errorf("URL list has %d entries, want 21", got)
	}
	_ = text(t, r)
	// 21 are not.
	_, err := c.Fetch(context.Background(), srv.URL+"/loop/21", nil)
	if got := networkReason(err); got != errs.ReasonRedirect {
		t.Errorf("21 redirects: reason %q", got)
	}
	// A lower limit.
	c2 := newTestClient(t, WithMaxRedirects(2))
	if _, err := c2.Fetch(context.Background(), srv.URL+"/loop/2", nil); err != nil {
		t.Errorf("2 redirects with limit 2: %v", err)
	}
	if _, err := c2.Fetch(context.Background(), srv.URL+"/loop/3", nil); networkReason(err) != errs.ReasonRedirect {
		t.Errorf("3 redirects with limit 2: %v", err)
	}
	rec.take()
}

func TestRedirectLocationResolution(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	c := newTestClient(t)
	tests := []struct {
		start, loc, wantFinal string
	}{
		{"/a/b", "c", "/r/c"},
		{"/a/b", "../x", "/x"},
		{"/a/b", "/abs?q=1", "/abs?q=1"},
		{"/a/b", "?only", "/r/302?only"},
		{"/a/b", `\back\slash`, "/back/slash"},
		{"/a/b", "/sp ace", "/sp%20ace"},
	}
	for _, tt := range tests {
		u := srv.URL + "/r/302?to=" + urlQueryEscape(tt.loc)
		r := mustFetch(t, c, u, nil)
		if got := r.URL(); got != srv.URL+tt.wantFinal {
			t.Errorf("Location %q: final URL %q, want %q", tt.loc, got, srv.URL+tt.wantFinal)
		}
		_ = text(t, r)
	}
	// The request's fragment carries over; a Location fragment wins.
	r := mustFetch(t, c, redirURL(srv.URL, 302, "/x")+"#keep", nil)
	if got := r.Internal().URLList[len(r.Internal().URLList)-1].Href(); got != srv.URL+"/x#keep" {
		t.Errorf("fragment not kept: %s", got)
	}
	r = mustFetch(t, c, redirURL(srv.URL, 302, "/x#theirs")+"#mine", nil)
	if got := r.Internal().URLList[len(r.Internal().URLList)-1].Href(); got != srv.URL+"/x#theirs" {
		t.Errorf("Location fragment lost: %s", got)
	}
	rec.take()
}

// TestRedirectChainOrigins follows a chain that mixes origins and statuses
// and checks where Authorization went: it must never reach another origin,
// nor come back after a cross-origin hop (the CVE-2024-45336 class:
// a.test → b.test/1 → b.test/2 must not send it to b.test/2, and a → b → a
// must not restore it on a).
func TestRedirectChainOrigins(t *testing.T) {
	rec := &recorder{}
	srvA := newServer(t, rec.handler)
	srvB := newServer(t, rec.handler)
	c := newTestClient(t, WithDialContext(testDial))
	a, b := hostURL(srvA, "a.test"), hostURL(srvB, "b.test")
	aTLS := strings.Replace(a, "http://", "http://", 1)

	chain := redirURL(a, 301, redirURL(a, 302, redirURL(b, 307, redirURL(b, 308, redirURL(aTLS, 303, a+"/final")))))
	r := mustFetch(t, c, chain, &request.Init{Method: ptr("POST"), Body: "x",
		Headers: headers.Map{"Authorization": "Bearer secret"}})
	_ = text(t, r)
	hops := rec.take()
	var got []string
	for _, h := range hops {
		got = append(got, fmt.Sprintf("%s %s %s auth=%q", h.Host[:6], h.Method, h.Path, h.Auth))
	}
	want := []string{
		`a.test POST /r/301 auth="Bearer secret"`,
		`a.test GET /r/302 auth="Bearer secret"`, // 301 POST → GET, same origin keeps auth
		`b.test GET /r/307 auth=""`,              // cross-origin: dropped
		`b.test GET /r/308 auth=""`,              // same origin again: still dropped
		`a.test GET /r/303 auth=""`,              // back to a: not restored
		`a.test GET /final auth=""`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hops (-want +got)\n%s", diff)
	}
	if n := len(r.Internal().URLList); n != 6 || !r.Redirected() {
		t.Errorf("URL list length %d", n)
	}
}

// TestRedirectCrossOriginHeaders checks that Cookie and Proxy-Authorization
// set by a server-runtime caller are dropped too on a cross-origin hop,
// while other headers stay.
func TestRedirectCrossOriginHeaders(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]http.Header{}
	srvB := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Host] = r.Header.Clone()
		mu.Unlock()
	})
	srvA := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, srvB.URL+"/", http.StatusFound)
	})
	c := newTestClient(t)
	r := mustFetch(t, c, srvA.URL, &request.Init{Headers: headers.Map{
		"Authorization": "Basic x", "Cookie": "sid=1", "Proxy-Authorization": "Basic y", "X-Custom": "kept"}})
	_ = text(t, r)
	h := seen[strings.TrimPrefix(srvB.URL, "http://")]
	got := []string{h.Get("Authorization"), h.Get("Cookie"), h.Get("Proxy-Authorization"), h.Get("X-Custom")}
	if diff := cmp.Diff([]string{"", "", "", "kept"}, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestRedirectHook(t *testing.T) {
	rec := &recorder{}
	srv := newServer(t, rec.handler)
	var infos []RedirectInfo
	stop := errors.New("stop here")
	c := newTestClient(t, WithRedirectHook(func(ri RedirectInfo) error {
		ri.Header = nil
		infos = append(infos, ri)
		if strings.Contains(ri.URL, "forbidden") {
			return stop
		}
		return nil
	}))
	r := mustFetch(t, c, redirURL(srv.URL, 303, redirURL(srv.URL, 307, "/final")), &request.Init{Method: ptr("POST"), Body: "b"})
	_ = text(t, r)
	want := []RedirectInfo{
		{Status: 303, Method: "GET", URL: redirURL(srv.URL, 307, "/final"), From: redirURL(srv.URL, 303, redirURL(srv.URL, 307, "/final")), Count: 1},
		{Status: 307, Method: "GET", URL: srv.URL + "/final", From: redirURL(srv.URL, 307, "/final"), Count: 2},
	}
	if diff := cmp.Diff(want, infos); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	_, err := c.Fetch(context.Background(), redirURL(srv.URL, 302, "/forbidden"), nil)
	if !errors.Is(err, stop) || networkReason(err) != errs.ReasonRedirect {
		t.Errorf("hook error not surfaced: %v", err)
	}
	rec.take()
}
