package cors

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// replyWith returns a NetworkFunc answering every preflight with resp and
// recording the preflight requests it saw.
func replyWith(resp *response.Internal, seen *[]*request.Internal) NetworkFunc {
	return func(ctx context.Context, p *request.Internal) *response.Internal {
		if seen != nil {
			*seen = append(*seen, p)
		}
		return resp
	}
}

func TestNewPreflightRequest(t *testing.T) {
	req := newReq(t, testURL+"?q#frag", "PUT", request.CredentialsInclude,
		"X-B", "2", "x-a", "1", "Content-Type", "application/json", "Accept", "text/html", "X-B", "3")
	req.Initiator = "prefetch"
	req.Destination = request.DestinationScript
	req.Referrer = request.Referrer{URL: mustURL(t, testOrigin+"/page")}
	req.ReferrerPolicy = request.ReferrerPolicyUnsafeURL
	req.URLList = append(req.URLList, mustURL(t, "https://api.example/moved"))
	req.UseCORSPreflight = true
	req.Keepalive = true

	p := NewPreflightRequest(req)

	type summary struct {
		Method, Initiator, Origin, Referrer string
		Destination                         request.Destination
		ReferrerPolicy                      request.ReferrerPolicy
		Mode                                request.Mode
		Tainting                            request.ResponseTainting
		Credentials                         request.Credentials
		URLs                                []string
		Header                              headers.List
		HasClient, HasBody, Preflight, Keep bool
	}
	got := summary{
		Method: p.Method, Initiator: p.Initiator, Origin: p.Origin.Origin.Serialize(), Referrer: p.Referrer.String(),
		Destination: p.Destination, ReferrerPolicy: p.ReferrerPolicy, Mode: p.Mode, Tainting: p.ResponseTainting,
		Credentials: p.Credentials, Header: *p.Header,
		HasClient: p.Client != nil, HasBody: p.Body != nil, Preflight: p.UseCORSPreflight, Keep: p.Keepalive,
	}
	for _, u := range p.URLList {
		got.URLs = append(got.URLs, u.Href())
	}
	want := summary{
		Method: "OPTIONS", Initiator: "prefetch", Origin: testOrigin, Referrer: testOrigin + "/page",
		Destination: request.DestinationScript, ReferrerPolicy: request.ReferrerPolicyUnsafeURL,
		Mode: request.ModeCORS, Tainting: request.TaintingCORS, Credentials: request.CredentialsSameOrigin,
		URLs: []string{testURL + "?q#frag", "https://api.example/moved"},
		Header: headers.List{
			{Name: "Accept", Value: "*/*"},
			{Name: "Access-Control-Request-Method", Value: "PUT"},
			{Name: "Access-Control-Request-Headers", Value: "content-type,x-a,x-b"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("preflight (-want +got):\n%s", diff)
	}
	// The URL list is a copy.
	if p.URLList[0] == req.URLList[0] || p.Referrer.URL == req.Referrer.URL {
		t.Error("preflight shares URLs with the request")
	}
	p.URLList[0].SetHash("changed")
	if req.URLList[0].Href() != testURL+"?q#frag" {
		t.Error("changing the preflight URL changed the request")
	}
	// The request is untouched.
	if req.Method != "PUT" || req.Header.Len() != 5 {
		t.Errorf("request changed: %s %v", req.Method, *req.Header)
	}
}

func TestNewPreflightRequestHeaders(t *testing.T) {
	long := make([]byte, 1000)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name string
		hdrs []string
		want string // "" for no Access-Control-Request-Headers
	}{
		{"none", nil, ""},
		{"only safelisted", []string{"Accept", "*", "Accept-Language", "bzh", "Content-Language", "eu", "Content-Type", "text/plain"}, ""},
		{"one", []string{"X-Test", "1"}, "x-test"},
		{"sorted lowercase set", []string{"X-Test-Header-D", "1", "x-test-header-a", "1", "X-TEST-HEADER-A", "2"}, "x-test-header-a,x-test-header-d"},
		{"unsafe content-type", []string{"Content-Type", "application/json"}, "content-type"},
		{"authorization", []string{"Authorization", "Basic x"}, "authorization"},
		{"safelisted too long together", []string{"Accept", string(long[:100]), "Accept-Language", string(long[:100]),
			"Content-Language", string(long[:100]), "Accept", string(long[:100]), "Accept", string(long[:100]),
			"Accept", string(long[:100]), "Accept", string(long[:100]), "Accept", string(long[:100]),
			"Accept", string(long[:100]), "Accept", string(long[:100]), "Accept", string(long[:100])}, "accept,accept-language,content-language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPreflightRequest(newReq(t, testURL, "GET", request.CredentialsOmit, tt.hdrs...))
			got, ok := p.Header.Get("Access-Control-Request-Headers")
			if tt.want == "" && ok {
				t.Errorf("unexpected Access-Control-Request-Headers %q", got)
			}
			if tt.want != "" && got != tt.want {
				t.Errorf("Access-Control-Request-Headers = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPreflightFetch(t *testing.T) {
	const o = testOrigin
	allowAll := []string{"Access-Control-Allow-Origin", "*"}
	withCreds := []string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Credentials", "true"}
	join := func(a []string, b ...string) []string { return append(append([]string{}, a...), b...) }
	type cached struct{ Methods, Headers []string }
	tests := []struct {
		name    string
		method  string
		cred    request.Credentials
		flag    bool // use-CORS-preflight flag
		hdrs    []string
		status  int
		resp    []string
		want    string // failure message, "" for success
		methods []string
		names   []string
	}{
		{"method allowed", "PUT", request.CredentialsOmit, false, nil, 200, join(allowAll, "Access-Control-Allow-Methods", "PUT"), "", []string{"PUT"}, nil},
		{"status 204 ok", "PUT", request.CredentialsOmit, false, nil, 204, join(allowAll, "Access-Control-Allow-Methods", "PUT"), "", []string{"PUT"}, nil},
		{"status 299 ok", "PUT", request.CredentialsOmit, false, nil, 299, join(allowAll, "Access-Control-Allow-Methods", "PUT"), "", []string{"PUT"}, nil},
		{"status 300", "PUT", request.CredentialsOmit, false, nil, 300, join(allowAll, "Access-Control-Allow-Methods", "PUT"),
			"CORS-preflight response status is 300, expected an ok status (200-299)", nil, nil},
		{"status 404", "PUT", request.CredentialsOmit, false, nil, 404, join(allowAll, "Access-Control-Allow-Methods", "PUT"),
			"CORS-preflight response status is 404, expected an ok status (200-299)", nil, nil},
		{"no allow-origin", "PUT", request.CredentialsOmit, false, nil, 200, []string{"Access-Control-Allow-Methods", "PUT"},
			"CORS-preflight response: Access-Control-Allow-Origin missing", nil, nil},
		{"wrong allow-origin", "PUT", request.CredentialsOmit, false, nil, 200, []string{"Access-Control-Allow-Origin", "https://x.example", "Access-Control-Allow-Methods", "PUT"},
			"CORS-preflight response: Access-Control-Allow-Origin is 'https://x.example', expected 'https://app.example'", nil, nil},
		{"credentials need allow-credentials", "PUT", request.CredentialsInclude, false, nil, 200, []string{"Access-Control-Allow-Origin", o, "Access-Control-Allow-Methods", "PUT"},
			"CORS-preflight response: credentials mode include needs Access-Control-Allow-Credentials: true, the header is missing", nil, nil},
		{"method missing", "PUT", request.CredentialsOmit, false, nil, 200, allowAll,
			"CORS-preflight response does not allow method 'PUT': Access-Control-Allow-Methods missing", nil, nil},
		{"method not listed", "PUT", request.CredentialsOmit, false, nil, 200, join(allowAll, "Access-Control-Allow-Methods", "GET, DELETE"),
			"CORS-preflight response does not allow method 'PUT': Access-Control-Allow-Methods is 'GET, DELETE'", nil, nil},
		{"method case-sensitive", "PATCH", request.CredentialsOmit, false, nil, 200, join(allowAll, "Access-Control-Allow-Methods", "patch"),
			"CORS-preflight response does not allow method 'PATCH': Access-Control-Allow-Methods is 'patch'", nil, nil},
		{"method in second header", "PUT", request.CredentialsOmit, false, nil, 200,
			join(allowAll, "Access-Control-Allow-Methods", "GET", "Access-Control-Allow-Methods", "PUT"), "", []string{"GET", "PUT"}, nil},
		{"method list with spaces and empty items", "PUT", request.CredentialsOmit, false, nil, 200,
			join(allowAll, "Access-Control-Allow-Methods", " GET ,, PUT ,"), "", []string{"GET", "PUT"}, nil},
		{"safelisted method needs no listing", "GET", request.CredentialsInclude, false, []string{"X-Test", "1"}, 200,
			join(withCreds, "Access-Control-Allow-Headers", "x-test", "Access-Control-Allow-Methods", "get"), "", []string{"get"}, []string{"x-test"}},
		{"method wildcard without credentials", "SUPER", request.CredentialsOmit, false, nil, 200,
			join(allowAll, "Access-Control-Allow-Methods", "*"), "", []string{"*"}, nil},
		{"method wildcard with credentials", "PUT", request.CredentialsInclude, false, nil, 200,
			join(withCreds, "Access-Control-Allow-Methods", "*"),
			"CORS-preflight response does not allow method 'PUT': Access-Control-Allow-Methods is '*' (the wildcard does not work with credentials mode include)", nil, nil},
		{"literal * method with credentials", "*", request.CredentialsInclude, false, nil, 200,
			join(withCreds, "Access-Control-Allow-Methods", "*"), "", []string{"*"}, nil},
		{"bad methods", "PUT", request.CredentialsOmit, false, nil, 200, join(allowAll, "Access-Control-Allow-Methods", "Bad value"),
			"CORS-preflight response has an invalid Access-Control-Allow-Methods 'Bad value'", nil, nil},
		{"bad methods in a second header", "PUT", request.CredentialsOmit, false, nil, 200,
			join(allowAll, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Methods", "P(T"),
			"CORS-preflight response has an invalid Access-Control-Allow-Methods 'PUT, P(T'", nil, nil},
		{"bad headers", "GET", request.CredentialsOmit, false, []string{"X-Test", "1"}, 200,
			join(allowAll, "Access-Control-Allow-Headers", "x-test, Bad value"),
			"CORS-preflight response has an invalid Access-Control-Allow-Headers 'x-test, Bad value'", nil, nil},
		{"bad headers fail even when not needed", "PUT", request.CredentialsOmit, false, nil, 200,
			join(allowAll, "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "a/b"),
			"CORS-preflight response has an invalid Access-Control-Allow-Headers 'a/b'", nil, nil},
		{"flag caches the method without allow-methods", "POST", request.CredentialsOmit, true, nil, 200, allowAll, "", []string{"POST"}, nil},
		{"flag with non-safelisted method still needs it", "PUT", request.CredentialsOmit, true, nil, 200, join(allowAll, "Access-Control-Allow-Methods", "DELETE"),
			"CORS-preflight response does not allow method 'PUT': Access-Control-Allow-Methods is 'DELETE'", nil, nil},
		{"header listed case-insensitively", "GET", request.CredentialsOmit, false, []string{"X-Test", "1"}, 200,
			join(allowAll, "Access-Control-Allow-Headers", "X-TEST"), "", nil, []string{"X-TEST"}},
		{"header missing", "GET", request.CredentialsOmit, false, []string{"X-Test", "1"}, 200, allowAll,
			"CORS-preflight response does not allow header 'x-test': Access-Control-Allow-Headers missing", nil, nil},
		{"second header not listed", "GET", request.CredentialsOmit, false, []string{"X-A", "1", "X-B", "2"}, 200,
			join(allowAll, "Access-Control-Allow-Headers", "x-a"),
			"CORS-preflight response does not allow header 'x-b': Access-Control-Allow-Headers is 'x-a'", nil, nil},
		{"header wildcard without credentials", "GET", request.CredentialsOmit, false, []string{"X-Test", "1"}, 200,
			join(allowAll, "Access-Control-Allow-Headers", "*"), "", nil, []string{"*"}},
		{"header wildcard with credentials", "GET", request.CredentialsInclude, false, []string{"X-Test", "1"}, 200,
			join(withCreds, "Access-Control-Allow-Headers", "*"),
			"CORS-preflight response does not allow header 'x-test': Access-Control-Allow-Headers is '*' (the wildcard does not work with credentials mode include)", nil, nil},
		{"literal * header with credentials", "GET", request.CredentialsInclude, false, []string{"*", "1"}, 200,
			join(withCreds, "Access-Control-Allow-Headers", "*"), "", nil, []string{"*"}},
		{"authorization not covered by wildcard", "POST", request.CredentialsOmit, false, []string{"Authorization", "123"}, 200,
			join(allowAll, "Access-Control-Allow-Methods", "*", "Access-Control-Allow-Headers", "*"),
			"CORS-preflight response does not allow header 'authorization': it must be listed in Access-Control-Allow-Headers by name, the wildcard does not cover it (Access-Control-Allow-Headers is '*')", nil, nil},
		{"authorization listed", "POST", request.CredentialsOmit, false, []string{"Authorization", "123"}, 200,
			join(allowAll, "Access-Control-Allow-Methods", "*", "Access-Control-Allow-Headers", "*, Authorization"), "", []string{"*"}, []string{"*", "Authorization"}},
		{"authorization with credentials listed", "GET", request.CredentialsInclude, false, []string{"authorization", "123"}, 200,
			join(withCreds, "Access-Control-Allow-Headers", "Authorization"), "", nil, []string{"Authorization"}},
		{"safelisted headers need nothing", "PUT", request.CredentialsOmit, false, []string{"Accept", "*", "Content-Language", "eu"}, 200,
			join(allowAll, "Access-Control-Allow-Methods", "PUT"), "", []string{"PUT"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache(WithClock(newFakeClock().Now))
			req := newReq(t, testURL, tt.method, tt.cred, tt.hdrs...)
			req.UseCORSPreflight = tt.flag
			resp := newResp(tt.status, tt.resp...)
			var seen []*request.Internal
			got, err := PreflightFetch(context.Background(), req, c, replyWith(resp, &seen))
			if len(seen) != 1 {
				t.Fatalf("network called %d times", len(seen))
			}
			if diff := cmp.Diff(tt.want, corsMessage(t, err)); diff != "" {
				t.Fatalf("failure message (-want +got):\n%s", diff)
			}
			if err != nil {
				if !got.IsNetworkError() || !errors.Is(got.Err, &errs.NetworkError{Reason: errs.ReasonCORS}) {
					t.Errorf("failure response = %+v, want a cors network error", got)
				}
				if c.Len() != 0 {
					t.Errorf("failure cached %d entries", c.Len())
				}
				return
			}
			if got != resp {
				t.Errorf("success returned %p, want the preflight response %p", got, resp)
			}
			// What was cached: each allowed method and header name.
			wantCached := cached{tt.methods, tt.names}
			var gotCached cached
			for _, m := range tt.methods {
				if c.MethodMatch(req, m) {
					gotCached.Methods = append(gotCached.Methods, m)
				}
			}
			for _, h := range tt.names {
				if c.HeaderNameMatch(req, h) {
					gotCached.Headers = append(gotCached.Headers, h)
				}
			}
			if diff := cmp.Diff(wantCached, gotCached); diff != "" {
				t.Errorf("cached (-want +got):\n%s", diff)
			}
			if c.Len() != len(tt.methods)+len(tt.names) {
				t.Errorf("Len = %d, want %d", c.Len(), len(tt.methods)+len(tt.names))
			}
			if NeedsPreflight(req, c) {
				t.Error("request still needs a preflight after a successful one")
			}
		})
	}
}

func TestPreflightMaxAge(t *testing.T) {
	tests := []struct {
		name  string
		ages  []string // Access-Control-Max-Age values
		limit time.Duration
		want  time.Duration // 0: not cached
	}{
		{"absent: 5s", nil, 0, 5 * time.Second},
		{"600", []string{"600"}, 0, 600 * time.Second},
		{"0: not cached", []string{"0"}, 0, 0},
		{"leading zeros", []string{"007"}, 0, 7 * time.Second},
		{"negative: 5s", []string{"-1"}, 0, 5 * time.Second},
		{"fraction: 5s", []string{"1.5"}, 0, 5 * time.Second},
		{"empty: 5s", []string{""}, 0, 5 * time.Second},
		{"list: 5s", []string{"10, 20"}, 0, 5 * time.Second},
		{"two headers: 5s", []string{"10", "10"}, 0, 5 * time.Second},
		{"capped at 2h", []string{"86400"}, 0, 2 * time.Hour},
		{"huge capped", []string{"99999999999999999999999999"}, 0, 2 * time.Hour},
		{"custom limit", []string{"600"}, time.Minute, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			c := NewCache(WithClock(clk.Now), WithMaxAgeLimit(tt.limit))
			pairs := []string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"}
			for _, a := range tt.ages {
				pairs = append(pairs, "Access-Control-Max-Age", a)
			}
			req := newReq(t, testURL, "PUT", request.CredentialsOmit)
			if _, err := PreflightFetch(context.Background(), req, c, replyWith(newResp(200, pairs...), nil)); err != nil {
				t.Fatal(err)
			}
			if tt.want == 0 {
				if c.MethodMatch(req, "PUT") {
					t.Error("cached with max-age 0")
				}
				return
			}
			clk.Advance(tt.want - time.Nanosecond)
			if !c.MethodMatch(req, "PUT") {
				t.Errorf("expired before %v", tt.want)
			}
			clk.Advance(time.Nanosecond)
			if c.MethodMatch(req, "PUT") {
				t.Errorf("still cached at %v", tt.want)
			}
		})
	}
	// The parts on their own.
	_, _, age, err := CheckPreflightResponse(newReq(t, testURL, "GET", request.CredentialsOmit),
		newResp(200, "Access-Control-Allow-Origin", "*", "Access-Control-Max-Age", "86400"))
	if err != nil || age != 24*time.Hour {
		t.Errorf("CheckPreflightResponse max-age = %v, %v; want 24h uncapped", age, err)
	}
}

func TestPreflightCacheUpdate(t *testing.T) {
	clk := newFakeClock()
	c := NewCache(WithClock(clk.Now))
	req := newReq(t, testURL, "PUT", request.CredentialsOmit, "X-Test", "1")
	run := func(pairs ...string) {
		t.Helper()
		if _, err := PreflightFetch(context.Background(), req, c, replyWith(newResp(200, pairs...), nil)); err != nil {
			t.Fatal(err)
		}
	}
	run("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-test", "Access-Control-Max-Age", "10")
	if c.Len() != 2 {
		t.Fatalf("Len = %d, want 2", c.Len())
	}
	clk.Advance(8 * time.Second)
	// A second preflight refreshes the matching entries instead of adding.
	run("Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "X-TEST", "Access-Control-Max-Age", "10")
	if c.Len() != 2 {
		t.Fatalf("Len after refresh = %d, want 2", c.Len())
	}
	clk.Advance(8 * time.Second)
	if !c.MethodMatch(req, "PUT") || !c.HeaderNameMatch(req, "x-test") {
		t.Error("refreshed entries expired with their old max-age")
	}
	// A wildcard entry matches PUT, so a later PUT refreshes it, not adds.
	c2 := NewCache(WithClock(clk.Now))
	req2 := newReq(t, testURL, "PUT", request.CredentialsOmit)
	if _, err := PreflightFetch(context.Background(), req2, c2, replyWith(newResp(200, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "*"), nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := PreflightFetch(context.Background(), req2, c2, replyWith(newResp(200, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT"), nil)); err != nil {
		t.Fatal(err)
	}
	if c2.Len() != 1 {
		t.Errorf("Len = %d, want 1 (the wildcard entry refreshed)", c2.Len())
	}
	// A nil cache is fine.
	if _, err := PreflightFetch(context.Background(), req, nil, replyWith(newResp(200, "Access-Control-Allow-Origin", "*", "Access-Control-Allow-Methods", "PUT", "Access-Control-Allow-Headers", "x-test"), nil)); err != nil {
		t.Errorf("nil cache: %v", err)
	}
}

func TestPreflightNetworkFailures(t *testing.T) {
	req := newReq(t, testURL, "PUT", request.CredentialsOmit)
	ctx := context.Background()

	// A network error passes through with its reason.
	netErr := response.NetworkError(&errs.NetworkError{Reason: errs.ReasonConnect, Message: "refused"})
	got, err := PreflightFetch(ctx, req, nil, replyWith(netErr, nil))
	if got != netErr || !errors.Is(err, &errs.NetworkError{Reason: errs.ReasonConnect}) {
		t.Errorf("network error: got %v, %v", got, err)
	}
	var te *errs.TypeError
	if !errors.As(err, &te) {
		t.Errorf("network error not a TypeError: %T", err)
	}
	// An aborted network error stays aborted.
	aborted := response.AbortedNetworkError(errs.NewAbortError(""))
	got, err = PreflightFetch(ctx, req, nil, replyWith(aborted, nil))
	if !got.IsAbortedNetworkError() || !errors.Is(err, errs.ErrAbort) {
		t.Errorf("aborted: got %+v, %v", got, err)
	}
	// A network error without an Err still fails.
	bare := &response.Internal{Type: response.TypeError}
	got, err = PreflightFetch(ctx, req, nil, replyWith(bare, nil))
	if err == nil || !got.IsNetworkError() {
		t.Errorf("bare network error: got %+v, %v", got, err)
	}
	// No response, no network function.
	for name, nf := range map[string]NetworkFunc{"nil response": replyWith(nil, nil), "nil func": nil} {
		got, err = PreflightFetch(ctx, req, nil, nf)
		if err == nil || got == nil || !got.IsNetworkError() {
			t.Errorf("%s: got %+v, %v", name, got, err)
		}
	}
	// The context reaches the network function.
	type key struct{}
	var sawCtx context.Context
	PreflightFetch(context.WithValue(ctx, key{}, 1), req, nil, func(c context.Context, p *request.Internal) *response.Internal {
		sawCtx = c
		return newResp(200)
	})
	if sawCtx == nil || sawCtx.Value(key{}) != 1 {
		t.Error("context not passed to the network function")
	}
}

// TestPreflightStatusWPT follows fetch/api/cors/cors-preflight-status.any.js:
// a preflight succeeds only with an ok status.
func TestPreflightStatusWPT(t *testing.T) {
	statuses := []int{200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 306, 307, 308,
		400, 401, 402, 403, 404, 405, 501, 502, 503, 504, 505}
	pass := 0
	for _, s := range statuses {
		req := newReq(t, testURL, "GET", request.CredentialsOmit, "x-force-preflight", "")
		_, err := PreflightFetch(context.Background(), req, nil, replyWith(newResp(s,
			"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Headers", "x-force-preflight", "Access-Control-Max-Age", "0"), nil))
		if ok := s >= 200 && s <= 299; (err == nil) != ok {
			t.Errorf("status %d: err %v", s, err)
			continue
		}
		pass++
	}
	t.Logf("%d passed, %d failed", pass, len(statuses)-pass)
}

// TestPreflightStarWPT follows fetch/api/cors/cors-preflight-star.any.js.
func TestPreflightStarWPT(t *testing.T) {
	type tc struct {
		succeeds, creds                  bool
		allowMethod, allowHeader, method string
		header                           []string
	}
	tests := []tc{
		{true, false, "get", "x-test", "GET", []string{"X-Test", "1"}},
		{true, false, "*", "x-test", "SUPER", []string{"X-Test", "1"}},
		{true, false, "*", "*", "OK", []string{"X-Test", "1"}},
		{false, true, "*", "*", "OK", []string{"X-Test", "1"}},
		{false, true, "*", "", "PUT", nil},
		{false, true, "get", "*", "GET", []string{"X-Test", "1"}},
		{false, true, "*", "*", "GET", []string{"X-Test", "1"}},
		{true, true, "*", "*", "*", []string{"*", "1"}},
		{true, true, "PATCH", "*", "PATCH", nil},
		{false, true, "PATCH", "*", "patch", nil},
		{false, true, "patch", "*", "PATCH", nil},
		{true, true, "patch", "*", "patch", nil},
		{false, false, "*", "*", "POST", []string{"Authorization", "123"}},
		{true, false, "*", "*, Authorization", "POST", []string{"Authorization", "123"}},
	}
	for _, m := range []string{"GET", "HEAD", "POST"} {
		lower := ascii.Lower(m)
		for _, am := range []string{m, lower} {
			for _, um := range []string{m, lower} {
				tests = append(tests, tc{true, true, am, "*", um, nil})
			}
		}
	}
	for _, m := range []string{"DELETE", "PUT"} {
		lower := ascii.Lower(m)
		tests = append(tests, tc{true, true, m, "*", m, nil}, tc{true, true, m, "*", lower, nil},
			tc{false, true, lower, "*", m, nil}, tc{false, true, lower, "*", lower, nil})
	}
	pass := 0
	for _, tt := range tests {
		name := fmt.Sprintf("creds=%v method=%s(allowed %s) header=%v(allowed %s)", tt.creds, tt.method, tt.allowMethod, tt.header, tt.allowHeader)
		cred := request.CredentialsSameOrigin
		pairs := []string{"Access-Control-Allow-Origin", "*"}
		if tt.creds {
			cred = request.CredentialsInclude
			pairs = []string{"Access-Control-Allow-Origin", testOrigin, "Access-Control-Allow-Credentials", "true"}
		}
		pairs = append(pairs, "Access-Control-Allow-Methods", tt.allowMethod, "Access-Control-Allow-Headers", tt.allowHeader)
		// The Request constructor normalizes the method.
		req := newReq(t, testURL, headers.NormalizeMethod(tt.method), cred, tt.header...)
		ok := true
		if IsCORSWithPreflight(withUnsafe(req)) && NeedsPreflight(req, nil) {
			_, err := PreflightFetch(context.Background(), req, nil, replyWith(newResp(200, pairs...), nil))
			ok = err == nil
		}
		if ok != tt.succeeds {
			t.Errorf("%s: succeeded %v, want %v", name, ok, tt.succeeds)
			continue
		}
		pass++
	}
	t.Logf("%d passed, %d failed", pass, len(tests)-pass)
}

// withUnsafe sets req's unsafe-request flag, as fetch() does, and
// returns req.
func withUnsafe(req *request.Internal) *request.Internal {
	req.UnsafeRequest = true
	return req
}

// TestPreflightResponseValidationWPT follows
// fetch/api/cors/cors-preflight-response-validation.any.js.
func TestPreflightResponseValidationWPT(t *testing.T) {
	tests := []struct{ allowHeaders, allowMethods string }{
		{"x-force-preflight,Bad value", ""},
		{"x-force-preflight", "Bad value"},
	}
	pass := 0
	for _, tt := range tests {
		pairs := []string{"Access-Control-Allow-Origin", "*", "Access-Control-Allow-Headers", tt.allowHeaders}
		if tt.allowMethods != "" {
			pairs = append(pairs, "Access-Control-Allow-Methods", tt.allowMethods)
		}
		req := newReq(t, testURL, "GET", request.CredentialsSameOrigin, "x-force-preflight", "")
		if _, err := PreflightFetch(context.Background(), req, nil, replyWith(newResp(200, pairs...), nil)); err == nil {
			t.Errorf("%v: preflight succeeded, want failure", tt)
			continue
		}
		pass++
	}
	t.Logf("%d passed, %d failed", pass, len(tests)-pass)
}
