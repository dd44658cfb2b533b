package cors

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

func TestIsCORSWithPreflight(t *testing.T) {
	tests := []struct {
		name         string
		method       string
		unsafe, flag bool
		hdrs         []string
		want         bool
	}{
		{"simple GET", "GET", true, false, nil, false},
		{"simple POST with form content type", "POST", true, false, []string{"Content-Type", "text/plain"}, false},
		{"PUT", "PUT", true, false, nil, true},
		{"unsafe header", "GET", true, false, []string{"X-Test", "1"}, true},
		{"json content type", "POST", true, false, []string{"Content-Type", "application/json"}, true},
		{"flag", "GET", false, true, nil, true},
		{"not unsafe-request: no preflight", "PUT", false, false, []string{"X-Test", "1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, testURL, tt.method, request.CredentialsOmit, tt.hdrs...)
			req.UnsafeRequest, req.UseCORSPreflight = tt.unsafe, tt.flag
			if got := IsCORSWithPreflight(req); got != tt.want {
				t.Errorf("IsCORSWithPreflight = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNeedsPreflight(t *testing.T) {
	type entry struct{ method, header string }
	tests := []struct {
		name    string
		method  string
		flag    bool
		cred    request.Credentials
		hdrs    []string
		entries []entry
		want    bool
	}{
		{"safelisted, no headers", "GET", false, request.CredentialsOmit, nil, nil, false},
		{"PUT, empty cache", "PUT", false, request.CredentialsOmit, nil, nil, true},
		{"PUT cached", "PUT", false, request.CredentialsOmit, nil, []entry{{"PUT", ""}}, false},
		{"PUT cached by wildcard", "PUT", false, request.CredentialsOmit, nil, []entry{{"*", ""}}, false},
		{"PUT, include, wildcard is literal", "PUT", false, request.CredentialsInclude, nil, []entry{{"*", ""}}, true},
		{"flag forces the method check", "GET", true, request.CredentialsOmit, nil, nil, true},
		{"flag satisfied by cache", "GET", true, request.CredentialsOmit, nil, []entry{{"GET", ""}}, false},
		{"header not cached", "GET", false, request.CredentialsOmit, []string{"X-A", "1"}, nil, true},
		{"header cached", "GET", false, request.CredentialsOmit, []string{"X-A", "1"}, []entry{{"", "x-a"}}, false},
		{"one of two headers cached", "GET", false, request.CredentialsOmit, []string{"X-A", "1", "X-B", "1"}, []entry{{"", "x-a"}}, true},
		{"headers by wildcard", "GET", false, request.CredentialsOmit, []string{"X-A", "1", "X-B", "1"}, []entry{{"", "*"}}, false},
		{"authorization not by wildcard", "GET", false, request.CredentialsOmit, []string{"Authorization", "x"}, []entry{{"", "*"}}, true},
		{"method and headers cached", "DELETE", false, request.CredentialsOmit, []string{"X-A", "1"}, []entry{{"DELETE", ""}, {"", "X-A"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache(WithClock(newFakeClock().Now))
			req := newReq(t, testURL, tt.method, tt.cred, tt.hdrs...)
			req.UseCORSPreflight = tt.flag
			for _, e := range tt.entries {
				c.CreateEntry(req, time.Minute, e.method, e.header)
			}
			if got := NeedsPreflight(req, c); got != tt.want {
				t.Errorf("NeedsPreflight = %v, want %v", got, tt.want)
			}
		})
	}
	// A nil cache: only the request decides.
	if !NeedsPreflight(newReq(t, testURL, "PUT", request.CredentialsOmit), nil) ||
		NeedsPreflight(newReq(t, testURL, "GET", request.CredentialsOmit), nil) {
		t.Error("nil cache")
	}
}

func TestExposedHeaderNames(t *testing.T) {
	tests := []struct {
		name   string
		cred   request.Credentials
		resp   []string
		want   []string
		wantOK bool
	}{
		{"absent", request.CredentialsOmit, []string{"X-A", "1"}, nil, false},
		{"list", request.CredentialsOmit, []string{"Access-Control-Expose-Headers", "X-A, x-b", "X-A", "1"}, []string{"X-A", "x-b"}, true},
		{"two headers", request.CredentialsOmit, []string{"Access-Control-Expose-Headers", "X-A", "Access-Control-Expose-Headers", "X-B"}, []string{"X-A", "X-B"}, true},
		{"empty", request.CredentialsOmit, []string{"Access-Control-Expose-Headers", ""}, []string{}, true},
		{"invalid", request.CredentialsOmit, []string{"Access-Control-Expose-Headers", "X-A, bad value"}, nil, false},
		{"wildcard: all names", request.CredentialsSameOrigin,
			[]string{"Access-Control-Expose-Headers", "*", "X-A", "1", "x-a", "2", "Set-Cookie", "c", "Content-Type", "text/plain"},
			[]string{"Access-Control-Expose-Headers", "X-A", "Set-Cookie", "Content-Type"}, true},
		{"wildcard with credentials is literal", request.CredentialsInclude,
			[]string{"Access-Control-Expose-Headers", "*, X-B", "X-A", "1"}, []string{"*", "X-B"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ExposedHeaderNames(tt.cred, hl(tt.resp...))
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSetExposedHeaderNamesFilter checks the names feed response.CORSFilter
// as main fetch uses them (cors-expose-star, cors-filtering).
func TestSetExposedHeaderNamesFilter(t *testing.T) {
	tests := []struct {
		name string
		cred request.Credentials
		resp []string
		want headers.List
	}{
		{"safelisted only", request.CredentialsOmit,
			[]string{"Content-Type", "text/plain", "X-A", "1", "Cache-Control", "no-cache"},
			headers.List{{Name: "Content-Type", Value: "text/plain"}, {Name: "Cache-Control", Value: "no-cache"}}},
		{"exposed", request.CredentialsOmit,
			[]string{"Access-Control-Expose-Headers", "x-a", "X-A", "1", "X-B", "2"},
			headers.List{{Name: "X-A", Value: "1"}}},
		{"star exposes all but forbidden", request.CredentialsOmit,
			[]string{"Access-Control-Expose-Headers", "*", "X-A", "1", "Set-Cookie", "c"},
			headers.List{{Name: "Access-Control-Expose-Headers", Value: "*"}, {Name: "X-A", Value: "1"}}},
		{"star with credentials exposes nothing extra", request.CredentialsInclude,
			[]string{"Access-Control-Expose-Headers", "*", "X-A", "1", "Content-Length", "0"},
			headers.List{{Name: "Content-Length", Value: "0"}}},
		{"set-cookie never", request.CredentialsOmit,
			[]string{"Access-Control-Expose-Headers", "Set-Cookie", "Set-Cookie", "c"}, headers.List{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newReq(t, testURL, "GET", tt.cred)
			resp := newResp(200, tt.resp...)
			SetExposedHeaderNames(req, resp)
			got := *response.CORSFilter(resp).Header
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("filtered headers (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if !IsSafelistedResponseHeaderName(f.Name, resp.CORSExposedHeaderNames) {
					t.Errorf("%s kept but not safelisted", f.Name)
				}
			}
		})
	}
	// Not for basic tainting, network errors, or filtered responses.
	req := newReq(t, testURL, "GET", request.CredentialsOmit)
	req.ResponseTainting = request.TaintingBasic
	resp := newResp(200, "Access-Control-Expose-Headers", "x-a")
	SetExposedHeaderNames(req, resp)
	if resp.CORSExposedHeaderNames != nil {
		t.Error("set for basic tainting")
	}
	req.ResponseTainting = request.TaintingCORS
	filtered := response.CORSFilter(newResp(200, "Access-Control-Expose-Headers", "x-a"))
	SetExposedHeaderNames(req, filtered)
	SetExposedHeaderNames(req, response.NetworkError(nil))
	SetExposedHeaderNames(req, nil)
	if filtered.CORSExposedHeaderNames != nil {
		t.Error("set on a filtered response")
	}
}

var cmpEmpty = cmp.Comparer(func(a, b headers.List) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
})
