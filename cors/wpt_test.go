package cors

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/google/go-cmp/cmp"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/wptdata"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// preflightPy emulates fetch/api/resources/preflight.py answering an
// OPTIONS request: it reads its query, checks the preflight's
// Access-Control-Request-Method and Accept headers, and records the
// Access-Control-Request-Headers it got (nil when absent) in *acrh.
func preflightPy(t *testing.T, acrh **string) NetworkFunc {
	return func(ctx context.Context, p *request.Internal) *response.Internal {
		q := p.CurrentURL().SearchParams()
		pairs := []string{"Content-Type", "text/plain"}
		if o, ok := q.Get("origin"); ok {
			for _, v := range strings.Split(o, ", ") {
				pairs = append(pairs, "Access-Control-Allow-Origin", v)
			}
		} else {
			pairs = append(pairs, "Access-Control-Allow-Origin", "*")
		}
		if _, ok := q.Get("credentials"); ok {
			pairs = append(pairs, "Access-Control-Allow-Credentials", "true")
		}
		if p.Method != "OPTIONS" {
			t.Errorf("preflight method %q", p.Method)
		}
		if _, ok := p.Header.Get("Access-Control-Request-Method"); !ok {
			return newResp(400, pairs...)
		}
		if v, _ := p.Header.Get("Accept"); v != "*/*" {
			return newResp(400, pairs...)
		}
		if v, ok := p.Header.Get("Access-Control-Request-Headers"); ok {
			*acrh = &v
		}
		for _, k := range []struct{ param, header string }{
			{"max_age", "Access-Control-Max-Age"},
			{"allow_headers", "Access-Control-Allow-Headers"},
			{"allow_methods", "Access-Control-Allow-Methods"},
		} {
			if v, ok := q.Get(k.param); ok {
				pairs = append(pairs, k.header, v)
			}
		}
		return newResp(200, pairs...)
	}
}

// TestPreflightWPTData runs the corsPreflight calls of
// fetch/api/cors/cors-preflight.any.js (resources/corspreflight.js) against
// an emulation of preflight.py: the preflight must carry the right
// Access-Control-Request-Method and -Headers, and succeed exactly when the
// server allows.
func TestPreflightWPTData(t *testing.T) {
	var data struct {
		Calls map[string][][]json.RawMessage `json:"calls"`
	}
	wptdata.JSON(t, "derived/fetch/api/cors/cors-preflight.any.extracted.json", &data)
	calls := data.Calls["corsPreflight"]
	if len(calls) == 0 {
		t.Fatal("no corsPreflight calls")
	}
	pass, fail := 0, 0
	for _, call := range calls {
		var desc, corsURL, method string
		var allowed bool
		var hdrs, safe [][2]string
		for i, dst := range []any{&desc, &corsURL, &method, &allowed, &hdrs, &safe} {
			if i < len(call) {
				if err := json.Unmarshal(call[i], dst); err != nil {
					t.Fatalf("%s: argument %d: %v", call, i, err)
				}
			}
		}
		ok := t.Run(desc, func(t *testing.T) {
			runCORSPreflightCase(t, corsURL, method, allowed, hdrs, safe)
		})
		if ok {
			pass++
		} else {
			fail++
		}
	}
	t.Logf("%d passed, %d failed", pass, fail)
}

// runCORSPreflightCase is corsPreflight from corspreflight.js.
func runCORSPreflightCase(t *testing.T, corsURL, method string, allowed bool, hdrs, safe [][2]string) {
	corsURL = strings.NewReplacer("{{host}}", "api.example", "{{ports[http][1]}}", "8001").Replace(corsURL)
	sep := "?"
	if strings.Contains(corsURL, "?") {
		sep = "&"
	}
	params := "token=t&max_age=0"
	var names []string
	for _, h := range hdrs {
		names = append(names, ascii.Lower(h[0]))
	}
	if allowed {
		params += "&allow_methods=" + method + "&control_request_headers"
		if len(hdrs) > 0 {
			params += "&allow_headers=" + strings.Join(names, "%20%2C")
		}
	}
	var pairs []string
	for _, h := range append(append([][2]string{}, hdrs...), safe...) {
		pairs = append(pairs, h[0], h[1])
	}
	req := newReq(t, corsURL+sep+params, headers.NormalizeMethod(method), request.CredentialsSameOrigin, pairs...)
	req.UnsafeRequest = true

	cache := NewCache()
	if !IsCORSWithPreflight(req) || !NeedsPreflight(req, cache) {
		t.Fatal("no preflight needed")
	}
	var acrh *string
	_, err := PreflightFetch(context.Background(), req, cache, preflightPy(t, &acrh))
	if !allowed {
		if err == nil {
			t.Fatal("preflight succeeded, want a TypeError")
		}
		corsMessage(t, err)
		return
	}
	if err != nil {
		t.Fatalf("preflight failed: %v", err)
	}
	if len(hdrs) == 0 {
		if acrh != nil {
			t.Errorf("Access-Control-Request-Headers %q, want none", *acrh)
		}
		return
	}
	if acrh == nil {
		t.Fatal("no Access-Control-Request-Headers")
	}
	slices.Sort(names)
	if diff := cmp.Diff(strings.Join(slices.Compact(names), ","), *acrh); diff != "" {
		t.Errorf("Access-Control-Request-Headers (-want +got):\n%s", diff)
	}
	// max_age=0: nothing stays cached.
	if !NeedsPreflight(req, cache) {
		t.Error("max_age=0 preflight left a usable cache entry")
	}
}

// TestPreflightNotSafelistedWPT follows
// fetch/api/cors/cors-preflight-not-cors-safelisted.any.js: each header of
// resources/not-cors-safelisted.json needs a preflight naming it, and the
// request goes through when the server allows it.
func TestPreflightNotSafelistedWPT(t *testing.T) {
	var cases [][2]string
	b, err := os.ReadFile(wptdata.Path(t, "fetch/api/cors/resources/not-cors-safelisted.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	pass, fail := 0, 0
	for _, c := range cases {
		ok := t.Run(c[0]+"/"+c[1], func(t *testing.T) {
			runCORSPreflightCase(t, "http://{{host}}:{{ports[http][1]}}/fetch/api/resources/preflight.py",
				"GET", true, [][2]string{c}, nil)
		})
		if ok {
			pass++
		} else {
			fail++
		}
	}
	t.Logf("%d passed, %d failed", pass, fail)
}

// TestPreflightCacheWPT follows fetch/api/cors/cors-preflight-cache.any.js:
// after a preflight with max_age=12000 the same request needs none.
func TestPreflightCacheWPT(t *testing.T) {
	clk := newFakeClock()
	cache := NewCache(WithClock(clk.Now))
	u := "http://api.example:8001/fetch/api/resources/preflight.py?token=t&max_age=12000&allow_methods=POST&allow_headers=x-test-header"
	req := newReq(t, u, "POST", request.CredentialsSameOrigin, "x-test-header", "test1")
	req.UnsafeRequest = true
	if !NeedsPreflight(req, cache) {
		t.Fatal("first request needs no preflight")
	}
	var acrh *string
	if _, err := PreflightFetch(context.Background(), req, cache, preflightPy(t, &acrh)); err != nil {
		t.Fatal(err)
	}
	again := newReq(t, u, "POST", request.CredentialsSameOrigin, "x-test-header", "test2")
	if NeedsPreflight(again, cache) {
		t.Error("second request needs a preflight despite the cache")
	}
	// 12000 s is capped at 2 h.
	clk.Advance(DefaultMaxAgeLimit)
	if !NeedsPreflight(again, cache) {
		t.Error("cache entry outlived the 2 h cap")
	}
	t.Logf("1 passed, 0 failed")
}
