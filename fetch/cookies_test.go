package fetch

import (
	"context"
	"io"
	"net/http"
	stdcookiejar "net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/request"
)

// cookieServer sets a cookie named after the host on /set, echoes the
// Cookie header on /echo, and on /hop sets a cookie then redirects to "to".
type cookieServer struct {
	mu   sync.Mutex
	seen []string // host path cookie
}

func (s *cookieServer) handler(w http.ResponseWriter, r *http.Request) {
	host, _, _ := strings.Cut(r.Host, ":")
	s.mu.Lock()
	s.seen = append(s.seen, host+" "+r.URL.Path+" ["+r.Header.Get("Cookie")+"]")
	s.mu.Unlock()
	if o := r.Header.Get("Origin"); o != "" {
		w.Header().Set("Access-Control-Allow-Origin", o)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
	}
	switch r.URL.Path {
	case "/set":
		http.SetCookie(w, &http.Cookie{Name: host, Value: "1", Path: "/"})
	case "/hop":
		http.SetCookie(w, &http.Cookie{Name: "hop_" + host, Value: "1", Path: "/"})
		w.Header().Set("Location", r.URL.Query().Get("to"))
		w.WriteHeader(302)
		return
	}
	io.WriteString(w, r.Header.Get("Cookie"))
}

func (s *cookieServer) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.seen
	s.seen = nil
	return v
}

func TestCookiesCredentialsModes(t *testing.T) {
	cs := &cookieServer{}
	srv := newServer(t, cs.handler)
	for _, tt := range []struct {
		mode       request.Credentials
		wantStored bool
		wantSent   string
	}{
		{request.CredentialsOmit, false, ""},
		{request.CredentialsSameOrigin, true, "127.0.0.1=1"},
		{request.CredentialsInclude, true, "127.0.0.1=1"},
	} {
		t.Run(string(tt.mode), func(t *testing.T) {
			jar := NewCookieJar()
			c := newTestClient(t, WithCookieJar(jar))
			_ = text(t, mustFetch(t, c, srv.URL+"/set", &request.Init{Credentials: ptr(tt.mode)}))
			u, _ := url.Parse(srv.URL)
			if stored := len(jar.Cookies(u)) > 0; stored != tt.wantStored {
				t.Errorf("stored = %v, want %v", stored, tt.wantStored)
			}
			// Seed the jar so sending can be checked for every mode.
			jar.SetCookies(u, []*http.Cookie{{Name: "127.0.0.1", Value: "1", Path: "/"}})
			got := text(t, mustFetch(t, c, srv.URL+"/echo", &request.Init{Credentials: ptr(tt.mode)}))
			if got != tt.wantSent {
				t.Errorf("sent %q, want %q", got, tt.wantSent)
			}
		})
	}
}

// TestCookiesAcrossRedirects: Set-Cookie on redirect hops is stored, and
// each hop gets only its own host's cookies.
func TestCookiesAcrossRedirects(t *testing.T) {
	cs := &cookieServer{}
	srv := newServer(t, cs.handler)
	jar := NewCookieJar()
	c := newTestClient(t, WithCookieJar(jar), WithDialContext(testDial))
	a, b := hostURL(srv, "a.test"), hostURL(srv, "b.test")
	_ = text(t, mustFetch(t, c, a+"/set", nil))
	_ = text(t, mustFetch(t, c, b+"/set", nil))
	cs.take()
	start := a + "/hop?to=" + url.QueryEscape(b+"/hop?to="+url.QueryEscape(a+"/echo"))
	got := text(t, mustFetch(t, c, start, nil))
	want := []string{
		"a.test /hop [a.test=1]",
		"b.test /hop [b.test=1]",
		"a.test /echo [a.test=1; hop_a.test=1]",
	}
	if diff := cmp.Diff(want, cs.take()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if got != "a.test=1; hop_a.test=1" {
		t.Errorf("final Cookie %q", got)
	}
	bu, _ := url.Parse(b)
	if names := cookieNames(jar.Cookies(bu)); !cmp.Equal(names, []string{"b.test", "hop_b.test"}) {
		t.Errorf("b.test cookies %v", names)
	}
}

// TestCookiesBrowserMode: with an origin, cross-origin requests carry
// cookies only with credentials "include".
func TestCookiesBrowserMode(t *testing.T) {
	cs := &cookieServer{}
	srv := newServer(t, cs.handler)
	jar := NewCookieJar()
	a, b := hostURL(srv, "a.test"), hostURL(srv, "b.test")
	c := newTestClient(t, WithCookieJar(jar), WithDialContext(testDial), WithOrigin(a))
	bu, _ := url.Parse(b)
	jar.SetCookies(bu, []*http.Cookie{{Name: "bc", Value: "1", Path: "/"}})
	au, _ := url.Parse(a)
	jar.SetCookies(au, []*http.Cookie{{Name: "ac", Value: "1", Path: "/"}})
	for _, tt := range []struct {
		url  string
		mode request.Credentials
		want string
	}{
		{a + "/echo", request.CredentialsSameOrigin, "ac=1"},
		{b + "/echo", request.CredentialsSameOrigin, ""},
		{b + "/echo", request.CredentialsInclude, "bc=1"},
		{a + "/echo", request.CredentialsOmit, ""},
	} {
		r, err := c.Fetch(context.Background(), tt.url, &request.Init{Credentials: ptr(tt.mode)})
		if err != nil {
			t.Fatalf("%s %s: %v", tt.url, tt.mode, err)
		}
		if got := text(t, r); got != tt.want {
			t.Errorf("%s %s: Cookie %q, want %q", tt.url, tt.mode, got, tt.want)
		}
	}
}

func cookieNames(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

// TestCookieJarRulesThroughFetch: the three jar defects, seen
// through a Client (fetch.NewCookieJar is the RFC 6265bis jar).
func TestCookieJarRulesThroughFetch(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			w.Header().Set("Access-Control-Allow-Origin", o)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
		}
		switch r.URL.Path {
		case "/big":
			w.Header().Add("Set-Cookie", "big="+strings.Repeat("x", 1<<20))
			w.Header().Add("Set-Cookie", "small=1")
		case "/prefixes":
			w.Header().Add("Set-Cookie", "__Host-h=1; Secure; Path=/")
			w.Header().Add("Set-Cookie", "__Secure-s=1; Secure")
			w.Header().Add("Set-Cookie", "sec=1; Secure")
			w.Header().Add("Set-Cookie", "plain=1")
		case "/samesite":
			w.Header().Add("Set-Cookie", "strict=1; SameSite=Strict; Path=/")
			w.Header().Add("Set-Cookie", "lax=1; SameSite=Lax; Path=/")
			w.Header().Add("Set-Cookie", "dflt=1; Path=/")
		case "/hop":
			w.Header().Set("Location", r.URL.Query().Get("to"))
			w.WriteHeader(302)
			return
		}
		io.WriteString(w, r.Header.Get("Cookie"))
	})
	a, b := hostURL(srv, "a.test"), hostURL(srv, "b.test")
	include := &request.Init{Credentials: ptr(request.CredentialsInclude)}

	t.Run("1 MiB cookie refused", func(t *testing.T) {
		// (A header section this large needs a limit above the default.)
		c := newTestClient(t, WithCookieJar(NewCookieJar()), WithDialContext(testDial), WithMaxResponseHeaderBytes(4<<20))
		_ = text(t, mustFetch(t, c, a+"/big", nil))
		if got := text(t, mustFetch(t, c, a+"/echo", nil)); got != "small=1" {
			t.Errorf("Cookie %.40q, want small=1", got)
		}
	})
	t.Run("prefixes and Secure over http refused", func(t *testing.T) {
		c := newTestClient(t, WithCookieJar(NewCookieJar()), WithDialContext(testDial))
		_ = text(t, mustFetch(t, c, a+"/prefixes", nil))
		if got := text(t, mustFetch(t, c, a+"/echo", nil)); got != "plain=1" {
			t.Errorf("Cookie %q, want plain=1", got)
		}
	})
	for _, tt := range []struct {
		name   string
		origin string // "" : server runtime
		url    string
		want   string
	}{
		{"same-site fetch sends Strict and Lax", a, a + "/echo", "strict=1; lax=1; dflt=1"},
		{"cross-site fetch sends neither Strict nor Lax", b, a + "/echo", "dflt=1"},
		{"cross-site redirect back: neither Strict nor Lax", a, b + "/hop?to=" + url.QueryEscape(a+"/echo"), "dflt=1"},
		{"server runtime (no site) sends all", "", a + "/echo", "strict=1; lax=1; dflt=1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			jar := NewCookieJar()
			seed := newTestClient(t, WithCookieJar(jar), WithDialContext(testDial))
			_ = text(t, mustFetch(t, seed, a+"/samesite", nil))
			opts := []Option{WithCookieJar(jar), WithDialContext(testDial)}
			if tt.origin != "" {
				opts = append(opts, WithOrigin(tt.origin))
			}
			c := newTestClient(t, opts...)
			if got := text(t, mustFetch(t, c, tt.url, include)); got != tt.want {
				t.Errorf("Cookie %q, want %q", got, tt.want)
			}
		})
	}
	t.Run("cross-site response cannot set Strict or Lax", func(t *testing.T) {
		jar := NewCookieJar()
		c := newTestClient(t, WithCookieJar(jar), WithDialContext(testDial), WithOrigin(b))
		_ = text(t, mustFetch(t, c, a+"/samesite", include))
		au, _ := url.Parse(a)
		if names := cookieNames(jar.Cookies(au)); !cmp.Equal(names, []string{"dflt"}) {
			t.Errorf("stored %v, want [dflt]", names)
		}
	})
}

// TestPlainCookieJar: a jar that is only an http.CookieJar is used through
// Cookies and SetCookies.
func TestPlainCookieJar(t *testing.T) {
	cs := &cookieServer{}
	srv := newServer(t, cs.handler)
	jar, _ := stdcookiejar.New(nil)
	c := newTestClient(t, WithCookieJar(jar), WithOrigin(srv.URL))
	_ = text(t, mustFetch(t, c, srv.URL+"/set", nil))
	if got := text(t, mustFetch(t, c, srv.URL+"/echo", nil)); got != "127.0.0.1=1" {
		t.Errorf("Cookie %q", got)
	}
}
