package cache

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseNoVarySearch(t *testing.T) {
	tests := []struct {
		in   string
		want *searchVariance
	}{
		{"key-order", &searchVariance{keyOrder: true}},
		{"key-order=?0", nil},
		{`params`, &searchVariance{varyOnly: true}},
		{`params=("a" "b")`, &searchVariance{noVary: []string{"a", "b"}}},
		{`params, except=("dispatch" "uuid")`, &searchVariance{varyOnly: true, vary: []string{"dispatch", "uuid"}}},
		{`params, except=("x"), key-order`, &searchVariance{varyOnly: true, vary: []string{"x"}, keyOrder: true}},
		{`except=("x")`, nil},            // except without params
		{`params=?0, except=("x")`, nil}, // except with params false
		{`params=1`, nil},                // not a boolean or inner list
		{`key-order=("a")`, nil},
		{`params=("a" b)`, nil}, // a token in the list
		{`params,`, nil},        // trailing comma
		{`unknown, key-order`, &searchVariance{keyOrder: true}},
		{`key-order;p=1`, &searchVariance{keyOrder: true}},
		{``, nil},
	}
	for _, tc := range tests {
		h := http.Header{}
		if tc.in != "" {
			h.Set("No-Vary-Search", tc.in)
		}
		got := parseNoVarySearch(h)
		if d := cmp.Diff(tc.want, got, cmp.AllowUnexported(searchVariance{})); d != "" {
			t.Errorf("%q: (-want +got)\n%s", tc.in, d)
		}
	}
}

func TestEquivalentModuloSearchVariance(t *testing.T) {
	tests := []struct {
		nvs  string
		a, b string
		want bool
	}{
		{"key-order", "http://x/p?a=1&b=2", "http://x/p?b=2&a=1", true},
		{"key-order", "http://x/p?a=1&b=2", "http://x/p?b=2", false},
		{"key-order", "http://x/p?a=1&b=2", "http://x/p?a=2&b=2", false},
		{"key-order", "http://x/p?a=1&a=2", "http://x/p?a=2&a=1", false}, // same-name order kept
		{"key-order", "http://x/p?a=1", "http://x/q?a=1", false},
		{`params=("b")`, "http://x/p?a=1&b=2", "http://x/p?a=1", true},
		{`params=("b")`, "http://x/p?a=1&b=2", "http://x/p?a=2", false},
		{`params, except=("uuid")`, "http://x/p?uuid=1&a=1", "http://x/p?uuid=1", true},
		{`params, except=("uuid")`, "http://x/p?uuid=1&a=1", "http://x/p?uuid=2", false},
		{`params=("a b")`, "http://x/p?a+b=1&c=1", "http://x/p?c=1", true}, // names are decoded
	}
	for _, tc := range tests {
		h := http.Header{"No-Vary-Search": {tc.nvs}}
		v := parseNoVarySearch(h)
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := v.equivalent(a, b); got != tc.want {
			t.Errorf("%s: %s ~ %s = %v, want %v", tc.nvs, tc.a, tc.b, got, tc.want)
		}
	}
}

func TestNoVarySearchLookup(t *testing.T) {
	c := New()
	store(t, c, newReq("GET", "http://example.test/p?a=1&b=2", nil),
		newResp(200, hdr("Cache-Control", "max-age=60", "No-Vary-Search", "key-order"), "x"))
	for _, tc := range []struct {
		u   string
		hit bool
	}{
		{"http://example.test/p?a=1&b=2", true},
		{"http://example.test/p?b=2&a=1", true},
		{"http://example.test/p?b=2", false},
	} {
		if r, _ := c.Lookup(newReq("GET", tc.u, nil)); (r != nil) != tc.hit {
			t.Errorf("%s: hit = %v, want %v", tc.u, r != nil, tc.hit)
		}
	}
	c.Invalidate(newReq("POST", "http://example.test/p?a=1&b=2", nil))
	if r, _ := c.Lookup(newReq("GET", "http://example.test/p?b=2&a=1", nil)); r != nil || c.Len() != 0 {
		t.Errorf("invalidated entry still found")
	}
}
