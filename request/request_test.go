package request

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/weburl"
)

const pageURL = "http://web-platform.test:8000/fetch/api/request/request-init-001.sub.html"

// browserEnv is a document at pageURL: full browser semantics.
func browserEnv() *Environment {
	base := weburl.MustParse(pageURL)
	o := base.Origin()
	return &Environment{BaseURL: base, Origin: &o}
}

// serverEnv has the same base URL but no origin (a server runtime).
func serverEnv() *Environment {
	return &Environment{BaseURL: weburl.MustParse(pageURL)}
}

func ptr[T any](v T) *T { return &v }

func newReq(t *testing.T, input any, init *Init) *Request {
	t.Helper()
	r, err := New(input, init, WithEnvironment(browserEnv()))
	if err != nil {
		t.Fatalf("New(%v): %v", input, err)
	}
	return r
}

func readAll(t *testing.T, s *body.Stream) string {
	t.Helper()
	rd, err := s.GetReader()
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lockedStream returns a stream with a reader attached.
func lockedStream(t *testing.T) *body.Stream {
	s := body.NewBytesStream([]byte("x"))
	if _, err := s.GetReader(); err != nil {
		t.Fatal(err)
	}
	return s
}

// disturbedStream returns an unlocked stream that has been read from.
func disturbedStream(t *testing.T) *body.Stream {
	s := body.NewBytesStream([]byte("xy"))
	rd, err := s.GetReader()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	rd.ReleaseLock()
	return s
}

// TestConstructorErrors mirrors request-error.any.js (with
// request-error.js), forbidden-method.any.js, request-init-002.any.js,
// request-init-stream.any.js, request-keepalive.any.js and
// request-init-priority.any.js: every way the constructor throws.
func TestConstructorErrors(t *testing.T) {
	used := newReq(t, "", &Init{Method: ptr("POST"), Body: "used"})
	if _, err := used.Text(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input any
		init  func(t *testing.T) *Init
		kind  string // "type" (TypeError) is the only kind the constructor throws
	}{
		// request-error.js
		{"RequestInit's window is not null", "", func(*testing.T) *Init { return &Init{Window: "http://test.url"} }, "type"},
		{"Input URL is not valid", "http://:not a valid URL", nil, "type"},
		{"Input URL has credentials", "http://user:pass@test.url", nil, "type"},
		{"Input URL has a username only", "http://user@test.url", nil, "type"},
		{"RequestInit's mode is navigate", "", func(*testing.T) *Init { return &Init{Mode: ptr(ModeNavigate)} }, "type"},
		{"RequestInit's referrer is invalid", "", func(*testing.T) *Init { return &Init{Referrer: ptr("http://:not a valid URL")} }, "type"},
		{"RequestInit's method is invalid", "", func(*testing.T) *Init { return &Init{Method: ptr("IN VALID")} }, "type"},
		{"RequestInit's method is empty", "", func(*testing.T) *Init { return &Init{Method: ptr("")} }, "type"},
		{"RequestInit's method is forbidden", "", func(*testing.T) *Init { return &Init{Method: ptr("TRACE")} }, "type"},
		{"RequestInit's mode is no-cors and method is not simple", "", func(*testing.T) *Init {
			return &Init{Mode: ptr(ModeNoCORS), Method: ptr("PUT")}
		}, "type"},
		{"RequestInit's cache mode is only-if-cached and mode is not same-origin", "", func(*testing.T) *Init {
			return &Init{Mode: ptr(ModeCORS), Cache: ptr(CacheOnlyIfCached)}
		}, "type"},
		{"Request with cache mode: only-if-cached and fetch mode cors (default)", "test", func(*testing.T) *Init {
			return &Init{Cache: ptr(CacheOnlyIfCached)}
		}, "type"},
		{"Request with cache mode: only-if-cached and fetch mode no-cors", "test", func(*testing.T) *Init {
			return &Init{Cache: ptr(CacheOnlyIfCached), Mode: ptr(ModeNoCORS)}
		}, "type"},
		{"Bad referrerPolicy init parameter value", "", func(*testing.T) *Init { return &Init{ReferrerPolicy: ptr(ReferrerPolicy("BAD"))} }, "type"},
		{"Bad mode init parameter value", "", func(*testing.T) *Init { return &Init{Mode: ptr(Mode("BAD"))} }, "type"},
		{"Bad mode websocket (not a RequestMode)", "", func(*testing.T) *Init { return &Init{Mode: ptr(ModeWebSocket)} }, "type"},
		{"Bad credentials init parameter value", "", func(*testing.T) *Init { return &Init{Credentials: ptr(Credentials("BAD"))} }, "type"},
		{"Bad cache init parameter value", "", func(*testing.T) *Init { return &Init{Cache: ptr(Cache("BAD"))} }, "type"},
		{"Bad redirect init parameter value", "", func(*testing.T) *Init { return &Init{Redirect: ptr(Redirect("BAD"))} }, "type"},
		// request-init-priority.any.js
		{"Bad priority init parameter value", "", func(*testing.T) *Init { return &Init{Priority: ptr(Priority("invalid"))} }, "type"},
		// forbidden-method.any.js
		{"forbidden method CONNECT", "./", func(*testing.T) *Init { return &Init{Method: ptr("CONNECT")} }, "type"},
		{"forbidden method TRACK", "./", func(*testing.T) *Init { return &Init{Method: ptr("TRACK")} }, "type"},
		{"forbidden method connect", "./", func(*testing.T) *Init { return &Init{Method: ptr("connect")} }, "type"},
		{"forbidden method trace", "./", func(*testing.T) *Init { return &Init{Method: ptr("trace")} }, "type"},
		{"forbidden method track", "./", func(*testing.T) *Init { return &Init{Method: ptr("track")} }, "type"},
		// request-init-002.any.js
		{"GET with a body", "", func(*testing.T) *Init { return &Init{Method: ptr("GET"), Body: "x"} }, "type"},
		{"HEAD with a body", "", func(*testing.T) *Init { return &Init{Method: ptr("HEAD"), Body: "x"} }, "type"},
		{"default method GET with a body", "", func(*testing.T) *Init { return &Init{Body: []byte("x")} }, "type"},
		// request-init-stream.any.js
		{"stream on which getReader() is called", "...", func(t *testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: lockedStream(t), Duplex: ptr(DuplexHalf)}
		}, "type"},
		{"stream on which read() and releaseLock() are called", "...", func(t *testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: disturbedStream(t), Duplex: ptr(DuplexHalf)}
		}, "type"},
		{"omit .duplex when the body is a ReadableStream", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: body.NewBytesStream(nil)}
		}, "type"},
		{"omit .duplex when the body is an io.Reader", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: strings.NewReader("x")}
		}, "type"},
		{"duplex full with a null body", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), BodySet: true, Duplex: ptr(Duplex("full"))}
		}, "type"},
		{"duplex full with a string body", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: "...", Duplex: ptr(Duplex("full"))}
		}, "type"},
		{"duplex full with a stream body", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Body: body.NewBytesStream(nil), Duplex: ptr(Duplex("full"))}
		}, "type"},
		{"stream body in no-cors mode", "...", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Mode: ptr(ModeNoCORS), Body: body.NewBytesStream(nil), Duplex: ptr(DuplexHalf)}
		}, "type"},
		// request-keepalive.any.js
		{"keepalive flag with stream body", "/", func(*testing.T) *Init {
			return &Init{Method: ptr("POST"), Keepalive: ptr(true), Body: body.NewBytesStream(nil), Duplex: ptr(DuplexHalf)}
		}, "type"},
		// request-disturbed.any.js
		{"creating a new request from a disturbed request", used, nil, "type"},
		// headers
		{"bad header pair", "", func(*testing.T) *Init { return &Init{Headers: headers.Pairs{{"a", "b", "c"}}} }, "type"},
		{"bad header name", "", func(*testing.T) *Init { return &Init{Headers: headers.Pairs{{"a b", "c"}}} }, "type"},
		{"bad header value", "", func(*testing.T) *Init { return &Init{Headers: headers.Pairs{{"a", "b\x00"}}} }, "type"},
		// Go inputs
		{"unsupported input type", 42, nil, "type"},
		{"nil *Request", (*Request)(nil), nil, "type"},
		{"nil *weburl.URL", (*weburl.URL)(nil), nil, "type"},
		{"unsupported body type", "", func(*testing.T) *Init { return &Init{Method: ptr("POST"), Body: 42} }, "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var init *Init
			if tt.init != nil {
				init = tt.init(t)
			}
			r, err := New(tt.input, init, WithEnvironment(browserEnv()))
			if err == nil {
				t.Fatalf("New succeeded: %+v", r.Internal())
			}
			var te *errs.TypeError
			if !errors.As(err, &te) {
				t.Fatalf("error %T %v, want a TypeError", err, err)
			}
		})
	}
}

// TestRelativeURLWithoutBase: the default environment has no base URL.
func TestRelativeURLWithoutBase(t *testing.T) {
	if _, err := New("/relative", nil); err == nil {
		t.Fatal("relative URL parsed without a base URL")
	}
	r, err := New("https://example.com/a?b#c", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.URL() != "https://example.com/a?b#c" || r.Internal().Client != DefaultEnvironment() {
		t.Fatalf("URL %q client %v", r.URL(), r.Internal().Client)
	}
}

type attrs struct {
	Method, URL, Referrer                string
	ReferrerPolicy                       ReferrerPolicy
	Mode                                 Mode
	Credentials                          Credentials
	Cache                                Cache
	Redirect                             Redirect
	Integrity                            string
	Destination                          Destination
	Keepalive, Reload, History, BodyUsed bool
	Duplex                               Duplex
	Headers                              []headers.Field
}

func attrsOf(r *Request) attrs {
	return attrs{
		Method: r.Method(), URL: r.URL(), Referrer: r.Referrer(), ReferrerPolicy: r.ReferrerPolicy(),
		Mode: r.Mode(), Credentials: r.Credentials(), Cache: r.Cache(), Redirect: r.Redirect(),
		Integrity: r.Integrity(), Destination: r.Destination(), Keepalive: r.Keepalive(),
		Reload: r.IsReloadNavigation(), History: r.IsHistoryNavigation(), BodyUsed: r.BodyUsed(),
		Duplex: r.Duplex(), Headers: r.Headers().Entries(),
	}
}

// TestDefaultsAndInitValues mirrors request-init-003.sub.html and
// request-structure.any.js.
func TestDefaultsAndInitValues(t *testing.T) {
	const u = "http://url.test:1234/path/subpath?query=true#fragment"
	initValues := func() *Init {
		return &Init{
			Method: ptr("POST"), Referrer: ptr("http://web-platform.test:8000/"),
			ReferrerPolicy: ptr(ReferrerPolicyOrigin), Mode: ptr(ModeSameOrigin),
			Credentials: ptr(CredentialsInclude), Cache: ptr(CacheNoCache), Redirect: ptr(RedirectError),
			Integrity: ptr("Request's Integrity"), Headers: headers.Map{"name": "value"},
			Body: "Request's body",
		}
	}
	expectedDefault := attrs{
		Method: "GET", URL: u, Referrer: "about:client", Mode: ModeCORS,
		Credentials: CredentialsSameOrigin, Cache: CacheDefault, Redirect: RedirectFollow, Duplex: DuplexHalf,
		Headers: []headers.Field{},
	}
	expectedInit := attrs{
		Method: "POST", URL: pageURL, Referrer: "http://web-platform.test:8000/", ReferrerPolicy: ReferrerPolicyOrigin,
		Mode: ModeSameOrigin, Credentials: CredentialsInclude, Cache: CacheNoCache, Redirect: RedirectError,
		Integrity: "Request's Integrity", Duplex: DuplexHalf,
		Headers: []headers.Field{{Name: "content-type", Value: "text/plain;charset=UTF-8"}, {Name: "name", Value: "value"}},
	}
	requestDefault := newReq(t, "", nil)
	tests := []struct {
		name string
		make func(t *testing.T) *Request
		want attrs
	}{
		{"Check request values when initialized from url string", func(t *testing.T) *Request {
			return newReq(t, u, nil)
		}, expectedDefault},
		{"Check request values when initialized from Request", func(t *testing.T) *Request {
			return newReq(t, newReq(t, "", initValues()), nil)
		}, expectedInit},
		{"Check request values when initialized from Request and init values", func(t *testing.T) *Request {
			return newReq(t, requestDefault, initValues())
		}, expectedInit},
		{"Check request values when initialized from url and init values", func(t *testing.T) *Request {
			return newReq(t, u, initValues())
		}, func() attrs { a := expectedInit; a.URL = u; return a }()},
		{"*weburl.URL input", func(t *testing.T) *Request {
			return newReq(t, weburl.MustParse(u), nil)
		}, expectedDefault},
		{"*net/url.URL input", func(t *testing.T) *Request {
			nu, err := url.Parse(u)
			if err != nil {
				t.Fatal(err)
			}
			return newReq(t, nu, nil)
		}, expectedDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := attrsOf(tt.make(t))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if requestDefault.Body() != nil || requestDefault.Signal() == nil || requestDefault.Priority() != PriorityAuto {
		t.Error("default body, signal or priority")
	}
}

// TestInitMembers mirrors request-init-001.sub.html: each member alone and
// its getter.
func TestInitMembers(t *testing.T) {
	methods := []struct{ given, want string }{
		{"GET", "GET"}, {"HEAD", "HEAD"}, {"POST", "POST"}, {"PUT", "PUT"}, {"DELETE", "DELETE"}, {"OPTIONS", "OPTIONS"},
		{"get", "GET"}, {"head", "HEAD"}, {"post", "POST"}, {"put", "PUT"}, {"delete", "DELETE"}, {"options", "OPTIONS"},
		{"Get", "GET"}, {"hEad", "HEAD"}, {"poSt", "POST"}, {"Put", "PUT"}, {"deleTe", "DELETE"}, {"optionS", "OPTIONS"},
		{"PATCH", "PATCH"}, {"patch", "patch"}, {"patCh", "patCh"},
	}
	for _, m := range methods {
		if got := newReq(t, "", &Init{Method: ptr(m.given)}).Method(); got != m.want {
			t.Errorf("method %q: got %q, want %q", m.given, got, m.want)
		}
	}
	referrers := []struct {
		given, browser, server string
	}{
		{"/relative/ressource", "http://web-platform.test:8000/relative/ressource", "http://web-platform.test:8000/relative/ressource"},
		{"http://web-platform.test:8000/relative/ressource?query=true#fragment", "http://web-platform.test:8000/relative/ressource?query=true#fragment", "http://web-platform.test:8000/relative/ressource?query=true#fragment"},
		{"http://web-platform.test:8000/", "http://web-platform.test:8000/", "http://web-platform.test:8000/"},
		// Cross-origin: "client" in a browser, kept in a server runtime.
		{"http://test.url", "about:client", "http://test.url/"},
		{"about:client", "about:client", "about:client"},
		{"", "", ""},
	}
	for _, rf := range referrers {
		if got := newReq(t, "", &Init{Referrer: ptr(rf.given)}).Referrer(); got != rf.browser {
			t.Errorf("browser referrer %q: got %q, want %q", rf.given, got, rf.browser)
		}
		r, err := New("", &Init{Referrer: ptr(rf.given)}, WithEnvironment(serverEnv()))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Referrer(); got != rf.server {
			t.Errorf("server referrer %q: got %q, want %q", rf.given, got, rf.server)
		}
	}
	for _, p := range []ReferrerPolicy{"", "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
		"unsafe-url", "same-origin", "strict-origin", "strict-origin-when-cross-origin"} {
		if got := newReq(t, "", &Init{ReferrerPolicy: ptr(p)}).ReferrerPolicy(); got != p {
			t.Errorf("referrerPolicy %q: got %q", p, got)
		}
	}
	for _, m := range []Mode{ModeSameOrigin, ModeNoCORS, ModeCORS} {
		if got := newReq(t, "", &Init{Mode: ptr(m)}).Mode(); got != m {
			t.Errorf("mode %q: got %q", m, got)
		}
	}
	for _, c := range []Credentials{CredentialsOmit, CredentialsSameOrigin, CredentialsInclude} {
		if got := newReq(t, "", &Init{Credentials: ptr(c)}).Credentials(); got != c {
			t.Errorf("credentials %q: got %q", c, got)
		}
	}
	for _, c := range []Cache{CacheDefault, CacheNoStore, CacheReload, CacheNoCache, CacheForceCache} {
		if got := newReq(t, "", &Init{Cache: ptr(c)}).Cache(); got != c {
			t.Errorf("cache %q: got %q", c, got)
		}
	}
	// request-error.any.js: only-if-cached with same-origin is fine.
	if got := newReq(t, "test", &Init{Cache: ptr(CacheOnlyIfCached), Mode: ptr(ModeSameOrigin)}).Cache(); got != CacheOnlyIfCached {
		t.Errorf("only-if-cached: %q", got)
	}
	for _, rd := range []Redirect{RedirectFollow, RedirectError, RedirectManual} {
		if got := newReq(t, "", &Init{Redirect: ptr(rd)}).Redirect(); got != rd {
			t.Errorf("redirect %q: got %q", rd, got)
		}
	}
	for _, i := range []string{"", "AZERTYUIOP1234567890"} {
		if got := newReq(t, "", &Init{Integrity: ptr(i)}).Integrity(); got != i {
			t.Errorf("integrity %q: got %q", i, got)
		}
	}
	// window: null is allowed and sets "no-traversable".
	if got := newReq(t, "", &Init{WindowSet: true}).Internal().Window; got != WindowNoTraversable {
		t.Errorf("window null: %q", got)
	}
	if got := newReq(t, "", nil).Internal().Window; got != WindowClient {
		t.Errorf("window absent: %q", got)
	}
	// request-keepalive.any.js
	for _, k := range []bool{true, false} {
		if got := newReq(t, "/", &Init{Keepalive: ptr(k)}).Keepalive(); got != k {
			t.Errorf("keepalive %v: got %v", k, got)
		}
	}
	// request-init-priority.any.js
	for _, p := range []Priority{PriorityHigh, PriorityLow, PriorityAuto} {
		if got := newReq(t, "", &Init{Priority: ptr(p)}).Priority(); got != p {
			t.Errorf("priority %q: got %q", p, got)
		}
	}
}

// TestInternalFields checks the request concept the constructor builds.
func TestInternalFields(t *testing.T) {
	env := browserEnv()
	r, err := New("/x", &Init{Method: ptr("POST"), Body: "b"}, WithEnvironment(env))
	if err != nil {
		t.Fatal(err)
	}
	in := r.Internal()
	got := []any{in.UnsafeRequest, in.Client == env, in.InitiatorType, in.Origin.Client, in.Referrer.IsClient(),
		in.Signal == r.Signal(), in.Body == body.InnerBody(&r.Mixin), in.UseCORSPreflight, len(in.URLList)}
	want := []any{true, true, "fetch", true, true, true, true, false, 1}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A stream body sets the use-CORS-preflight flag.
	r, err = New("/x", &Init{Method: ptr("POST"), Body: strings.NewReader("s"), Duplex: ptr(DuplexHalf)}, WithEnvironment(env))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Internal().UseCORSPreflight {
		t.Error("stream body without use-CORS-preflight")
	}
	// It is OK to omit duplex when init.body is not given and input.body
	// is a stream (request-init-stream.any.js).
	r2, err := New(r, nil, WithEnvironment(env))
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, r2.Body()); got != "s" {
		t.Errorf("stream body through a new request: %q", got)
	}
}

// TestNonEmptyInitResets covers step 13: a non-empty init (even one whose
// only member is null) resets navigation flags, origin, referrer,
// referrer policy and the URL list; an empty one keeps them.
func TestNonEmptyInitResets(t *testing.T) {
	u1, u2 := weburl.MustParse("http://web-platform.test:8000/a"), weburl.MustParse("http://web-platform.test:8000/b")
	mk := func() *Request {
		in := NewInternal(u1)
		in.URLList = append(in.URLList, u2)
		in.Mode = ModeNavigate
		in.ReloadNavigation, in.HistoryNavigation = true, true
		in.Referrer = Referrer{URL: weburl.MustParse("http://web-platform.test:8000/ref")}
		in.ReferrerPolicy = ReferrerPolicyUnsafeURL
		in.Destination = DestinationDocument
		in.Priority = PriorityHigh
		return Create(in, headers.GuardRequest, nil)
	}
	type view struct {
		Mode            Mode
		Reload, History bool
		Referrer        string
		Policy          ReferrerPolicy
		URL             string
		URLs            int
		Destination     Destination
		Priority        Priority
	}
	viewOf := func(r *Request) view {
		return view{r.Mode(), r.IsReloadNavigation(), r.IsHistoryNavigation(), r.Referrer(), r.ReferrerPolicy(),
			r.URL(), len(r.Internal().URLList), r.Destination(), r.Priority()}
	}
	kept := view{ModeNavigate, true, true, "http://web-platform.test:8000/ref", ReferrerPolicyUnsafeURL, u1.Href(), 2, "", PriorityAuto}
	reset := view{ModeSameOrigin, false, false, "about:client", "", u2.Href(), 1, "", PriorityAuto}
	tests := []struct {
		name string
		init *Init
		want view
	}{
		{"nil init", nil, kept},
		{"empty init", &Init{}, kept},
		{"{body: null}", &Init{BodySet: true}, reset},
		{"{signal: null}", &Init{SignalSet: true}, reset},
		{"{window: null}", &Init{WindowSet: true}, reset},
		{"{referrerPolicy: \"\"}", &Init{ReferrerPolicy: ptr(ReferrerPolicyNone)}, reset},
		{"{integrity: \"\"}", &Init{Integrity: ptr("")}, reset},
	}
	for _, tt := range tests {
		r, err := New(mk(), tt.init, WithEnvironment(browserEnv()))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, viewOf(r)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	// {referrer: ""} differs from absent: no referrer.
	r, err := New(mk(), &Init{Referrer: ptr("")}, WithEnvironment(browserEnv()))
	if err != nil {
		t.Fatal(err)
	}
	if !r.Internal().Referrer.NoReferrer || r.Referrer() != "" {
		t.Errorf("{referrer: \"\"}: %+v", r.Internal().Referrer)
	}
}

// TestHeadersGuard mirrors request-headers.any.js, in a browser
// environment and in a server runtime.
func TestHeadersGuard(t *testing.T) {
	valid := [][2]string{{"Content-Type", "OK"}, {"Potato", "OK"}, {"proxy", "OK"}, {"proxya", "OK"},
		{"sec", "OK"}, {"secb", "OK"}, {"Set-Cookie2", "OK"}, {"User-Agent", "OK"}}
	forbidden := [][2]string{{"Accept-Charset", "KO"}, {"accept-charset", "KO"}, {"ACCEPT-ENCODING", "KO"},
		{"Accept-Encoding", "KO"}, {"Access-Control-Request-Headers", "KO"}, {"Access-Control-Request-Method", "KO"},
		{"Connection", "KO"}, {"Content-Length", "KO"}, {"Cookie", "KO"}, {"Cookie2", "KO"}, {"Date", "KO"},
		{"DNT", "KO"}, {"Expect", "KO"}, {"Host", "KO"}, {"Keep-Alive", "KO"}, {"Origin", "KO"}, {"Referer", "KO"},
		{"Set-Cookie", "KO"}, {"TE", "KO"}, {"Trailer", "KO"}, {"Transfer-Encoding", "KO"}, {"Upgrade", "KO"},
		{"Via", "KO"}, {"Proxy-", "KO"}, {"proxy-a", "KO"}, {"Sec-", "KO"}, {"sec-b", "KO"}}
	validNoCORS := [][2]string{{"Accept", "OK"}, {"Accept-Language", "OK"}, {"content-language", "OK"},
		{"content-type", "application/x-www-form-urlencoded"}, {"content-type", "application/x-www-form-urlencoded;charset=UTF-8"},
		{"content-type", "multipart/form-data"}, {"content-type", "multipart/form-data;charset=UTF-8"},
		{"content-TYPE", "text/plain"}, {"CONTENT-type", "text/plain;charset=UTF-8"}}
	invalidNoCORS := [][2]string{{"Content-Type", "KO"}, {"Potato", "KO"}, {"proxy", "KO"}, {"proxya", "KO"},
		{"sec", "KO"}, {"secb", "KO"}, {"Empty-Value", ""}, {"Range", "bytes=0-1"}}
	type check struct {
		env          *Environment
		mode         *Mode
		pairs        [][2]string
		kept         bool
		name         string
		wantGuardStr string
	}
	checks := []check{
		{browserEnv(), nil, valid, true, "browser valid", "request"},
		{browserEnv(), nil, forbidden, false, "browser forbidden", "request"},
		{serverEnv(), nil, valid, true, "server valid", "none"},
		{serverEnv(), nil, forbidden, true, "server forbidden allowed", "none"},
		{browserEnv(), ptr(ModeNoCORS), validNoCORS, true, "browser no-cors valid", "request-no-cors"},
		{browserEnv(), ptr(ModeNoCORS), invalidNoCORS, false, "browser no-cors invalid", "request-no-cors"},
		{serverEnv(), ptr(ModeNoCORS), validNoCORS, true, "server no-cors valid", "request-no-cors"},
		{serverEnv(), ptr(ModeNoCORS), invalidNoCORS, false, "server no-cors invalid", "request-no-cors"},
	}
	for _, c := range checks {
		for _, p := range c.pairs {
			r, err := New("", &Init{Mode: c.mode}, WithEnvironment(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if g := r.Headers().Guard().String(); g != c.wantGuardStr {
				t.Errorf("%s: guard %q", c.name, g)
			}
			if err := r.Headers().Set(p[0], p[1]); err != nil {
				t.Fatalf("%s: Set(%q): %v", c.name, p[0], err)
			}
			v, ok, _ := r.Headers().Get(p[0])
			if ok != c.kept || (ok && v != p[1]) {
				t.Errorf("%s: header %q: got %q %v", c.name, p[0], v, ok)
			}
		}
	}
}

// TestHeadersFromInit mirrors the init-header tests of
// request-headers.any.js and request-error.any.js.
func TestHeadersFromInit(t *testing.T) {
	get := func(r *Request, name string) (string, bool) {
		v, ok, _ := r.Headers().Get(name)
		return v, ok
	}
	type result struct {
		V  string
		OK bool
	}
	tests := []struct {
		name   string
		make   func(t *testing.T) *Request
		header string
		want   result
	}{
		{"request constructor is filtering headers provided as init parameter", func(t *testing.T) *Request {
			return newReq(t, "", &Init{Headers: headers.Pairs{{"Cookie2", "potato"}}})
		}, "Cookie2", result{}},
		{"no-cors request constructor is filtering headers provided as init parameter", func(t *testing.T) *Request {
			return newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", "potato"}}, Mode: ptr(ModeNoCORS)})
		}, "Content-Type", result{}},
		{"no-cors request constructor is filtering headers provided as part of request parameter", func(t *testing.T) *Request {
			return newReq(t, newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", "potato"}}}), &Init{Mode: ptr(ModeNoCORS)})
		}, "Content-Type", result{}},
		{"Request should get its content-type from the init request", func(t *testing.T) *Request {
			return newReq(t, newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", "potato"}}}), nil)
		}, "Content-Type", result{"potato", true}},
		{"Request should not get its content-type from the init request if init headers are provided", func(t *testing.T) *Request {
			h := headers.New(headers.GuardNone)
			return newReq(t, newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", "potato"}}}), &Init{Headers: h})
		}, "Content-Type", result{}},
		{"Request should get its content-type from the body if none is provided", func(t *testing.T) *Request {
			return newReq(t, newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type-Extra", "potato"}},
				Body: "this is my plate", Method: ptr("POST")}), nil)
		}, "Content-Type", result{"text/plain;charset=UTF-8", true}},
		{"Request should get its content-type from init headers if one is provided", func(t *testing.T) *Request {
			return newReq(t, newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", "potato"}},
				Body: "this is my plate", Method: ptr("POST")}), nil)
		}, "Content-Type", result{"potato", true}},
		{"headers from a Headers object", func(t *testing.T) *Request {
			h, _ := headers.NewFrom(headers.Pairs{{"hello", "worldAHH"}}, headers.GuardNone)
			return newReq(t, "", &Init{Headers: h})
		}, "hello", result{"worldAHH", true}},
		{"headers from a record", func(t *testing.T) *Request {
			return newReq(t, "", &Init{Headers: headers.Map{"hello": "worldOOH"}})
		}, "hello", result{"worldOOH", true}},
		{"a Headers object's guard-forbidden header is dropped", func(t *testing.T) *Request {
			h, _ := headers.NewFrom(headers.Pairs{{"Host", "x"}}, headers.GuardNone)
			return newReq(t, "", &Init{Headers: h})
		}, "Host", result{}},
		{"server runtime keeps forbidden init headers", func(t *testing.T) *Request {
			r, err := New("", &Init{Headers: headers.Pairs{{"Cookie", "a=b"}, {"Host", "h"}}}, WithEnvironment(serverEnv()))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, "Cookie", result{"a=b", true}},
		{"empty init keeps unfiltered headers of the input (no refill)", func(t *testing.T) *Request {
			in := NewInternal(weburl.MustParse(pageURL))
			in.Header.Append("Cookie", "privileged")
			return newReq(t, Create(in, headers.GuardRequest, nil), nil)
		}, "Cookie", result{"privileged", true}},
		{"non-empty init refills and filters the input's headers", func(t *testing.T) *Request {
			in := NewInternal(weburl.MustParse(pageURL))
			in.Header.Append("Cookie", "privileged")
			return newReq(t, Create(in, headers.GuardRequest, nil), &Init{Cache: ptr(CacheReload)})
		}, "Cookie", result{}},
		{"no-cors guard drops a body's non-safelisted Content-Type", func(t *testing.T) *Request {
			b, _ := body.NewBlob([]any{"x"}, body.BlobOptions{Type: "application/octet-binary"})
			return newReq(t, "", &Init{Mode: ptr(ModeNoCORS), Method: ptr("POST"), Body: b})
		}, "Content-Type", result{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := get(tt.make(t), tt.header)
			if diff := cmp.Diff(tt.want, result{v, ok}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// [SameObject]
	r := newReq(t, "", &Init{Headers: headers.Map{"X-Foo": "bar"}})
	if r.Headers() != r.Headers() {
		t.Error("Headers is not the same object")
	}
}

// TestBodyInit mirrors request-init-002.any.js and
// request-init-contenttype.any.js.
func TestBodyInit(t *testing.T) {
	blob, _ := body.NewBlob([]any{"This is a blob"}, body.BlobOptions{Type: "application/octet-binary"})
	fd := body.NewFormData()
	fd.Append("name", "value")
	tests := []struct {
		name     string
		body     body.Init
		set      bool
		ctype    string
		contains string
	}{
		{"undefined", nil, false, "", ""},
		{"null", nil, true, "", ""},
		{"Blob", blob, true, "application/octet-binary", "This is a blob"},
		{"FormData", fd, true, "multipart/form-data", "name=\"name\"\r\n\r\nvalue"},
		{"USVString", "This is a USVString", true, "text/plain;charset=UTF-8", "This is a USVString"},
		{"URLSearchParams", weburl.NewSearchParams("name=value"), true, "application/x-www-form-urlencoded;charset=UTF-8", "name=value"},
		{"BufferSource", []byte{1, 2}, true, "", "\x01\x02"},
		{"empty Blob type", func() *body.Blob { b, _ := body.NewBlob(nil, body.BlobOptions{}); return b }(), true, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReq(t, "", &Init{Method: ptr("POST"), Body: tt.body, BodySet: tt.set})
			if tt.body == nil {
				// A null body is fine with GET.
				newReq(t, "", &Init{Method: ptr("GET"), Body: nil, BodySet: tt.set})
			}
			ct, _, _ := r.Headers().Get("Content-Type")
			if !strings.Contains(ct, tt.ctype) || (tt.ctype == "" && ct != "") {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			text, err := r.Text()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, tt.contains) {
				t.Errorf("body %q does not contain %q", text, tt.contains)
			}
		})
	}
	// An explicit Content-Type wins; an empty one gives a Blob of type "".
	r := newReq(t, "", &Init{Headers: headers.Pairs{{"Content-Type", ""}}, Body: "this is my plate", Method: ptr("POST")})
	b, err := r.Blob()
	if err != nil {
		t.Fatal(err)
	}
	if b.Type() != "" {
		t.Errorf("blob type %q", b.Type())
	}
}

// TestDisturbed mirrors request-disturbed.any.js and
// request-constructor-init-body-override.any.js.
func TestDisturbed(t *testing.T) {
	post := func() *Init { return &Init{Method: ptr("POST"), Body: "Request's body"} }
	noBody := newReq(t, "", nil)
	if noBody.Body() != nil || noBody.BodyUsed() {
		t.Fatal("initial state of a request without body")
	}
	if _, err := noBody.Blob(); err != nil {
		t.Fatal(err)
	}
	if noBody.BodyUsed() {
		t.Error("Request without body cannot be disturbed")
	}
	if _, err := noBody.Clone(); err != nil {
		t.Errorf("cloning a request without body: %v", err)
	}

	consumed := newReq(t, "", post())
	if consumed.Body() == nil || consumed.BodyUsed() {
		t.Fatal("initial state")
	}
	if _, err := consumed.Blob(); err != nil {
		t.Fatal(err)
	}
	if !consumed.BodyUsed() {
		t.Fatal("bodyUsed false after blob()")
	}
	if _, err := consumed.Clone(); err == nil {
		t.Error("Check cloning a disturbed request: no error")
	}
	if _, err := New(consumed, nil); err == nil {
		t.Error("Check creating a new request from a disturbed request: no error")
	}
	if _, err := consumed.Blob(); err == nil {
		t.Error("Check consuming a disturbed request: no error")
	}
	// Check creating a new request with a new body from a disturbed request.
	replaced, err := New(consumed, &Init{Body: "Replaced body"})
	if err != nil {
		t.Fatal(err)
	}
	if replaced.BodyUsed() || replaced.Body() == consumed.Body() {
		t.Error("replaced body used or same stream")
	}
	if s, _ := replaced.Text(); s != "Replaced body" {
		t.Errorf("replaced text %q", s)
	}

	// Input request used for creating new request became disturbed.
	src := newReq(t, "", post())
	orig := src.Body()
	fromReq, err := New(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !src.BodyUsed() || src.Body() != orig || fromReq.Body() == orig {
		t.Error("input request not disturbed, or body changed")
	}
	if s, err := fromReq.Text(); s != "Request's body" || err != nil {
		t.Errorf("text %q %v", s, err)
	}
	if _, err := src.Text(); err == nil {
		t.Error("reading the proxied input succeeded")
	}

	// Deviation from the WPT test "... became disturbed even if body is
	// not used": the standard leaves the input alone when init has a body.
	src = newReq(t, "", post())
	withInit, err := New(src, &Init{Body: "init body"})
	if err != nil {
		t.Fatal(err)
	}
	if src.BodyUsed() {
		t.Error("input with init body disturbed")
	}
	if s, _ := withInit.Text(); s != "init body" {
		t.Errorf("text %q", s)
	}

	// Request construction failure should not set "bodyUsed".
	req := newReq(t, "", post())
	if _, err := New(req, &Init{Method: ptr("GET")}); err == nil {
		t.Error("GET with inherited body accepted")
	}
	if _, err := New(req, &Init{Method: ptr("CONNECT")}); err == nil {
		t.Error("CONNECT accepted")
	}
	if req.BodyUsed() {
		t.Error("failed construction set bodyUsed")
	}
	if _, err := New(req, nil); err != nil || !req.BodyUsed() {
		t.Errorf("construction: %v, used %v", err, req.BodyUsed())
	}

	// request-init-stream.any.js: a Request whose body has a reader, or was
	// read and released, cannot be the input, but init.body may replace it.
	locked := newReq(t, "...", &Init{Method: ptr("POST"), Body: "..."})
	if _, err := locked.Body().GetReader(); err != nil {
		t.Fatal(err)
	}
	if _, err := New(locked, nil); err == nil {
		t.Error("locked input body accepted")
	}
	if _, err := New(locked, &Init{Body: "..."}); err != nil {
		t.Errorf("init body over locked input: %v", err)
	}
	read := newReq(t, "...", &Init{Method: ptr("POST"), Body: "..."})
	rd, _ := read.Body().GetReader()
	if _, err := rd.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	rd.ReleaseLock()
	if _, err := New(read, nil); err == nil {
		t.Error("read-and-released input body accepted")
	}

	// Constructing a Request with a stream holds the original object.
	st := body.NewBytesStream([]byte("stream"))
	sr := newReq(t, "...", &Init{Method: ptr("POST"), Body: st, Duplex: ptr(DuplexHalf)})
	if sr.Body() != st {
		t.Error("stream body is not the given stream")
	}

	// Body override (request-constructor-init-body-override.any.js).
	req1 := newReq(t, "https://example.com/", &Init{Method: ptr("POST"), Body: "req1"})
	if s, _ := req1.Text(); s != "req1" {
		t.Fatal(s)
	}
	req2, err := New(req1, &Init{Body: "req2"})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := req2.Text(); s != "req2" {
		t.Errorf("override text %q", s)
	}
}

// TestClone mirrors request-clone.sub.html: the clone has the same values,
// and its body is an independent branch of a tee.
func TestClone(t *testing.T) {
	ac := abort.NewController()
	r := newReq(t, "/path?q#f", &Init{
		Method: ptr("POST"), Body: "Request's body", Headers: headers.Map{"X-A": "1"},
		Referrer: ptr("/ref"), ReferrerPolicy: ptr(ReferrerPolicyOrigin), Mode: ptr(ModeSameOrigin),
		Credentials: ptr(CredentialsInclude), Cache: ptr(CacheNoCache), Redirect: ptr(RedirectManual),
		Integrity: ptr("sha256-x"), Signal: ac.Signal(),
	})
	c, err := r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(attrsOf(r), attrsOf(c)); diff != "" {
		t.Errorf("clone differs (-orig +clone):\n%s", diff)
	}
	if c.Headers() == r.Headers() || c.Headers().Guard() != r.Headers().Guard() {
		t.Error("clone shares Headers, or has another guard")
	}
	c.Headers().Set("X-B", "2")
	if has, _ := r.Headers().Has("X-B"); has {
		t.Error("clone's header list is shared")
	}
	// Independent bodies: cancelling the original's stream does not affect
	// the clone, and both read the same bytes.
	c2, err := r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, c.Body()); got != "Request's body" {
		t.Errorf("clone body %q", got)
	}
	if err := r.Body().Cancel(nil); err != nil {
		t.Fatal(err)
	}
	if !r.BodyUsed() || c2.BodyUsed() {
		t.Error("cancel affected the wrong branch")
	}
	if s, err := c2.Text(); s != "Request's body" || err != nil {
		t.Errorf("second clone text %q %v", s, err)
	}
	// The clone's signal follows the original's.
	if c.Signal() == r.Signal() || c.Signal().Aborted() {
		t.Fatal("clone signal")
	}
	ac.Abort(errors.New("stop"))
	if !r.Signal().Aborted() || !c.Signal().Aborted() || c.Signal().Reason().Error() != "stop" {
		t.Error("signals did not follow")
	}
	// A used body cannot be cloned.
	if _, err := r.Clone(); err == nil {
		t.Error("clone of a cancelled body")
	}
}

// TestCloneLargeBody reads two tee branches concurrently.
func TestCloneLargeBody(t *testing.T) {
	data := strings.Repeat("0123456789", 100000)
	r := newReq(t, "", &Init{Method: ptr("PUT"), Body: data})
	c, err := r.Clone()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		s, _ := c.Text()
		done <- s
	}()
	s1, err := r.Text()
	if err != nil {
		t.Fatal(err)
	}
	if s2 := <-done; s1 != data || s2 != data {
		t.Errorf("lengths %d %d", len(s1), len(s2))
	}
}

// TestSignal covers the signal steps of the constructor: the request's
// signal follows init's signal, else the input request's; {signal: null}
// follows neither.
func TestSignal(t *testing.T) {
	t.Run("follows init signal", func(t *testing.T) {
		ac := abort.NewController()
		r := newReq(t, "", &Init{Signal: ac.Signal()})
		if r.Signal() == ac.Signal() {
			t.Error("request signal is init's signal itself, not a dependent one")
		}
		reason := errors.New("why")
		ac.Abort(reason)
		if !r.Signal().Aborted() || r.Signal().Reason() != reason || r.Internal().Signal != r.Signal() {
			t.Error("did not follow")
		}
	})
	t.Run("already aborted", func(t *testing.T) {
		r := newReq(t, "", &Init{Signal: abort.Abort(nil)})
		if !r.Signal().Aborted() || !errors.Is(r.Signal().Reason(), abort.ErrAbort) {
			t.Error("not aborted")
		}
	})
	t.Run("follows input request's signal", func(t *testing.T) {
		ac := abort.NewController()
		r1 := newReq(t, "", &Init{Signal: ac.Signal()})
		r2 := newReq(t, r1, nil)
		r3 := newReq(t, r1, &Init{Method: ptr("PUT")})
		ac.Abort(nil)
		if !r2.Signal().Aborted() || !r3.Signal().Aborted() {
			t.Error("did not follow the input's signal")
		}
	})
	t.Run("init signal replaces input's", func(t *testing.T) {
		ac1, ac2 := abort.NewController(), abort.NewController()
		r1 := newReq(t, "", &Init{Signal: ac1.Signal()})
		r2 := newReq(t, r1, &Init{Signal: ac2.Signal()})
		ac1.Abort(nil)
		if r2.Signal().Aborted() {
			t.Error("followed the input's signal")
		}
		ac2.Abort(nil)
		if !r2.Signal().Aborted() {
			t.Error("did not follow init's signal")
		}
	})
	t.Run("{signal: null} follows none", func(t *testing.T) {
		ac := abort.NewController()
		r1 := newReq(t, "", &Init{Signal: ac.Signal()})
		r2 := newReq(t, r1, &Init{SignalSet: true})
		ac.Abort(nil)
		if r2.Signal() == nil || r2.Signal().Aborted() {
			t.Error("null signal followed the input's")
		}
	})
	t.Run("no signal", func(t *testing.T) {
		r := newReq(t, "", nil)
		if r.Signal() == nil || r.Signal().Aborted() {
			t.Error("default signal")
		}
	})
}
