package cors

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/weburl"
)

func TestCacheExpiry(t *testing.T) {
	clk := newFakeClock()
	c := NewCache(WithClock(clk.Now))
	req := newReq(t, testURL, "PUT", request.CredentialsOmit)
	c.CreateEntry(req, 10*time.Second, "PUT", "")
	c.CreateEntry(req, 20*time.Second, "", "X-Test")

	type state struct{ Method, Header bool }
	check := func(step string, want state) {
		t.Helper()
		got := state{c.MethodMatch(req, "PUT"), c.HeaderNameMatch(req, "x-test")}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", step, diff)
		}
	}
	check("fresh", state{true, true})
	clk.Advance(9 * time.Second)
	check("after 9s", state{true, true})
	clk.Advance(time.Second)
	check("after 10s (method max-age passed)", state{false, true})
	if got := c.Len(); got != 1 {
		t.Errorf("Len after the method entry expired = %d, want 1", got)
	}
	clk.Advance(10 * time.Second)
	check("after 20s", state{false, false})
	if got := c.Len(); got != 0 {
		t.Errorf("Len after all expired = %d, want 0", got)
	}
}

func TestCacheZeroMaxAgeStoresNothing(t *testing.T) {
	c := NewCache(WithClock(newFakeClock().Now))
	req := newReq(t, testURL, "PUT", request.CredentialsOmit)
	c.CreateEntry(req, 0, "PUT", "")
	if c.MethodMatch(req, "PUT") || c.Len() != 0 {
		t.Errorf("max-age 0 entry matched or stored (Len %d)", c.Len())
	}
}

func TestCacheMaxAgeLimit(t *testing.T) {
	clk := newFakeClock()
	c := NewCache(WithClock(clk.Now), WithMaxAgeLimit(time.Hour))
	if got := c.MaxAgeLimit(); got != time.Hour {
		t.Fatalf("MaxAgeLimit = %v", got)
	}
	req := newReq(t, testURL, "PUT", request.CredentialsOmit)
	c.CreateEntry(req, 10*time.Hour, "PUT", "")
	clk.Advance(time.Hour - time.Second)
	if !c.MethodMatch(req, "PUT") {
		t.Fatal("entry gone before the limit")
	}
	clk.Advance(time.Second)
	if c.MethodMatch(req, "PUT") {
		t.Error("entry outlived the imposed limit")
	}
	if got := NewCache().MaxAgeLimit(); got != DefaultMaxAgeLimit {
		t.Errorf("default MaxAgeLimit = %v, want %v", got, DefaultMaxAgeLimit)
	}
}

func TestCacheMatch(t *testing.T) {
	type entry struct {
		cred           request.Credentials
		method, header string
	}
	type query struct {
		url    string
		cred   request.Credentials
		method string // method match when set
		header string // header-name match otherwise
	}
	tests := []struct {
		name    string
		entries []entry
		q       query
		want    bool
	}{
		{"method exact", []entry{{request.CredentialsOmit, "PUT", ""}}, query{testURL, request.CredentialsOmit, "PUT", ""}, true},
		{"method case-sensitive", []entry{{request.CredentialsOmit, "patch", ""}}, query{testURL, request.CredentialsOmit, "PATCH", ""}, false},
		{"method other", []entry{{request.CredentialsOmit, "PUT", ""}}, query{testURL, request.CredentialsOmit, "DELETE", ""}, false},
		{"method other URL", []entry{{request.CredentialsOmit, "PUT", ""}}, query{testURL + "?x", request.CredentialsOmit, "PUT", ""}, false},
		{"method wildcard without credentials", []entry{{request.CredentialsOmit, "*", ""}}, query{testURL, request.CredentialsSameOrigin, "PUT", ""}, true},
		{"method wildcard, credentialed entry, uncredentialed request", []entry{{request.CredentialsInclude, "*", ""}}, query{testURL, request.CredentialsOmit, "PUT", ""}, true},
		{"method wildcard is literal with credentials", []entry{{request.CredentialsInclude, "*", ""}}, query{testURL, request.CredentialsInclude, "PUT", ""}, false},
		{"method literal star with credentials", []entry{{request.CredentialsInclude, "*", ""}}, query{testURL, request.CredentialsInclude, "*", ""}, true},
		{"credentialed entry serves omit", []entry{{request.CredentialsInclude, "PUT", ""}}, query{testURL, request.CredentialsOmit, "PUT", ""}, true},
		{"credentialed entry serves include", []entry{{request.CredentialsInclude, "PUT", ""}}, query{testURL, request.CredentialsInclude, "PUT", ""}, true},
		{"uncredentialed entry does not serve include", []entry{{request.CredentialsOmit, "PUT", ""}}, query{testURL, request.CredentialsInclude, "PUT", ""}, false},
		{"same-origin entry serves omit", []entry{{request.CredentialsSameOrigin, "PUT", ""}}, query{testURL, request.CredentialsOmit, "PUT", ""}, true},
		{"header case-insensitive", []entry{{request.CredentialsOmit, "", "X-Test"}}, query{testURL, request.CredentialsOmit, "", "x-TEST"}, true},
		{"header other", []entry{{request.CredentialsOmit, "", "X-Test"}}, query{testURL, request.CredentialsOmit, "", "x-other"}, false},
		{"header wildcard", []entry{{request.CredentialsOmit, "", "*"}}, query{testURL, request.CredentialsOmit, "", "x-other"}, true},
		{"header wildcard never covers Authorization", []entry{{request.CredentialsOmit, "", "*"}}, query{testURL, request.CredentialsOmit, "", "Authorization"}, false},
		{"header Authorization by name", []entry{{request.CredentialsOmit, "", "authorization"}}, query{testURL, request.CredentialsOmit, "", "Authorization"}, true},
		{"header wildcard is literal with credentials", []entry{{request.CredentialsInclude, "", "*"}}, query{testURL, request.CredentialsInclude, "", "x-test"}, false},
		{"header entry is not a method entry", []entry{{request.CredentialsOmit, "", "PUT"}}, query{testURL, request.CredentialsOmit, "PUT", ""}, false},
		{"method entry is not a header entry", []entry{{request.CredentialsOmit, "X", ""}}, query{testURL, request.CredentialsOmit, "", "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCache(WithClock(newFakeClock().Now))
			for _, e := range tt.entries {
				c.CreateEntry(newReq(t, testURL, "GET", e.cred), time.Minute, e.method, e.header)
			}
			req := newReq(t, tt.q.url, "GET", tt.q.cred)
			var got bool
			if tt.q.method != "" {
				got = c.MethodMatch(req, tt.q.method)
			} else {
				got = c.HeaderNameMatch(req, tt.q.header)
			}
			if got != tt.want {
				t.Errorf("match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCacheKeyParts(t *testing.T) {
	c := NewCache(WithClock(newFakeClock().Now))
	base := newReq(t, testURL, "PUT", request.CredentialsOmit)
	c.CreateEntry(base, time.Minute, "PUT", "")

	otherClient := newReq(t, testURL, "PUT", request.CredentialsOmit)
	otherClient.Client = &request.Environment{Origin: mustOrigin(t, "https://elsewhere.example")}

	reserved := newReq(t, testURL, "PUT", request.CredentialsOmit)
	reserved.ReservedClient = &request.Environment{Origin: mustOrigin(t, "https://elsewhere.example")}

	otherOrigin := newReq(t, testURL, "PUT", request.CredentialsOmit)
	otherOrigin.Origin = request.Origin{Origin: mustOrigin(t, "https://elsewhere.example")}

	redirected := newReq(t, testURL, "PUT", request.CredentialsOmit)
	redirected.URLList = append([]*weburl.URL{mustURL(t, "https://first.example/")}, redirected.URLList...)

	noClient := newReq(t, testURL, "PUT", request.CredentialsOmit)
	noClient.Client = nil

	tests := []struct {
		name string
		req  *request.Internal
		want bool
	}{
		{"same request", base, true},
		{"other client origin (partition key)", otherClient, false},
		{"reserved client wins", reserved, false},
		{"other request origin", otherOrigin, false},
		{"redirected: current URL same, origin tainted to null", redirected, false},
		{"no client", noClient, false},
	}
	for _, tt := range tests {
		if got := c.MethodMatch(tt.req, "PUT"); got != tt.want {
			t.Errorf("%s: match = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got, want := NetworkPartitionKey(noClient), ""; got != want {
		t.Errorf("NetworkPartitionKey(no client) = %q, want %q", got, want)
	}
	if got, want := NetworkPartitionKey(base), testOrigin; got != want {
		t.Errorf("NetworkPartitionKey = %q, want %q", got, want)
	}
}

func TestCacheClear(t *testing.T) {
	c := NewCache(WithClock(newFakeClock().Now))
	a := newReq(t, testURL, "PUT", request.CredentialsOmit)
	aInc := newReq(t, testURL, "PUT", request.CredentialsInclude)
	b := newReq(t, testURL+"/other", "PUT", request.CredentialsOmit)
	c.CreateEntry(a, time.Minute, "PUT", "")
	c.CreateEntry(a, time.Minute, "", "x-test")
	c.CreateEntry(aInc, time.Minute, "DELETE", "")
	c.CreateEntry(b, time.Minute, "PUT", "")
	c.Clear(a)
	got := []bool{c.MethodMatch(a, "PUT"), c.HeaderNameMatch(a, "x-test"), c.MethodMatch(aInc, "DELETE"), c.MethodMatch(b, "PUT")}
	if diff := cmp.Diff([]bool{false, false, false, true}, got); diff != "" {
		t.Errorf("after Clear (-want +got):\n%s", diff)
	}
	if c.Len() != 1 {
		t.Errorf("Len = %d, want 1", c.Len())
	}
}

func TestCacheBounded(t *testing.T) {
	clk := newFakeClock()
	c := NewCache(WithClock(clk.Now), WithMaxEntries(3))
	req := newReq(t, testURL, "GET", request.CredentialsOmit)
	for _, m := range []string{"A", "B", "C", "D"} {
		c.CreateEntry(req, time.Minute, m, "")
	}
	got := []bool{c.MethodMatch(req, "A"), c.MethodMatch(req, "B"), c.MethodMatch(req, "C"), c.MethodMatch(req, "D")}
	if diff := cmp.Diff([]bool{false, true, true, true}, got); diff != "" {
		t.Errorf("oldest not evicted (-want +got):\n%s", diff)
	}
	// Expired entries go before live ones: B expires, C and D live.
	c2 := NewCache(WithClock(clk.Now), WithMaxEntries(3))
	c2.CreateEntry(req, time.Minute, "B", "")
	c2.CreateEntry(req, time.Second, "C", "")
	c2.CreateEntry(req, time.Minute, "D", "")
	clk.Advance(2 * time.Second)
	c2.CreateEntry(req, time.Minute, "E", "")
	got = []bool{c2.MethodMatch(req, "B"), c2.MethodMatch(req, "C"), c2.MethodMatch(req, "D"), c2.MethodMatch(req, "E")}
	if diff := cmp.Diff([]bool{true, false, true, true}, got); diff != "" {
		t.Errorf("expired entry not swept first (-want +got):\n%s", diff)
	}
	// Re-storing an entry does not grow the cache.
	for range 10 {
		c2.CreateEntry(req, time.Minute, "E", "")
	}
	if c2.Len() != 3 {
		t.Errorf("Len = %d, want 3", c2.Len())
	}
	clk.Advance(time.Hour)
	c2.Sweep()
	if c2.Len() != 0 {
		t.Errorf("Len after Sweep = %d, want 0", c2.Len())
	}
}

func TestNilCache(t *testing.T) {
	var c *Cache
	req := newReq(t, testURL, "PUT", request.CredentialsOmit)
	c.CreateEntry(req, time.Minute, "PUT", "")
	c.Clear(req)
	c.Sweep()
	if c.MethodMatch(req, "PUT") || c.HeaderNameMatch(req, "x") || c.Len() != 0 || c.MaxAgeLimit() != 0 {
		t.Error("nil cache matched or stored")
	}
}

func TestCacheConcurrent(t *testing.T) {
	clk := newFakeClock()
	c := NewCache(WithClock(clk.Now), WithMaxEntries(50))
	reqs := make([]*request.Internal, 3)
	for i := range reqs {
		reqs[i] = newReq(t, fmt.Sprintf("%s/%d", testURL, i), "PUT", request.CredentialsOmit)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := reqs[g%3]
			for i := range 200 {
				m := fmt.Sprintf("M%d", i%20)
				c.CreateEntry(req, time.Minute, m, "")
				c.CreateEntry(req, time.Minute, "", "x-"+m)
				c.MethodMatch(req, m)
				c.HeaderNameMatch(req, "X-"+m)
				if i%50 == 0 {
					c.Clear(req)
					clk.Advance(time.Millisecond)
				}
				if i%70 == 0 {
					c.Sweep()
				}
				_ = c.Len()
			}
		}()
	}
	wg.Wait()
	if n := c.Len(); n > 50 {
		t.Errorf("Len = %d, above the bound 50", n)
	}
}
