package referrer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wfetch/wfetch/weburl"
)

func mustParse(t *testing.T, s string) *weburl.URL {
	t.Helper()
	u, err := weburl.Parse(s, nil)
	if err != nil {
		t.Fatalf("weburl.Parse(%q): %v", s, err)
	}
	return u
}

func href(u *weburl.URL) string {
	if u == nil {
		return "<no referrer>"
	}
	return u.Href()
}

func TestDetermineReferrer(t *testing.T) {
	const (
		secureRef   = "https://user:pass@a.example/path/page.html?q=1#frag"
		secureFull  = "https://a.example/path/page.html?q=1"
		secureOrig  = "https://a.example/"
		plainRef    = "http://a.example/path/page.html?q=1#frag"
		plainFull   = "http://a.example/path/page.html?q=1"
		plainOrig   = "http://a.example/"
		none        = "<no referrer>"
		sameTarget  = "https://a.example/other?x"
		crossTarget = "https://b.example/x"
		downTarget  = "http://b.example/x"
		upTarget    = "https://b.example/x"
		plainTarget = "http://b.example/x"
	)
	type scenario struct {
		name, referrer, target string
	}
	scenarios := []scenario{
		{"same-origin", secureRef, sameTarget},
		{"cross-origin", secureRef, crossTarget},
		{"downgrade https→http", secureRef, downTarget},
		{"upgrade http→https", plainRef, upTarget},
		{"http→http cross-origin", plainRef, plainTarget},
	}
	// Expected Referer per policy, in the order of scenarios.
	want := map[Policy][]string{
		NoReferrer:                  {none, none, none, none, none},
		NoReferrerWhenDowngrade:     {secureFull, secureFull, none, plainFull, plainFull},
		SameOrigin:                  {secureFull, none, none, none, none},
		Origin:                      {secureOrig, secureOrig, secureOrig, plainOrig, plainOrig},
		StrictOrigin:                {secureOrig, secureOrig, none, plainOrig, plainOrig},
		OriginWhenCrossOrigin:       {secureFull, secureOrig, secureOrig, plainOrig, plainOrig},
		StrictOriginWhenCrossOrigin: {secureFull, secureOrig, none, plainOrig, plainOrig},
		UnsafeURL:                   {secureFull, secureFull, secureFull, plainFull, plainFull},
		Empty:                       {secureFull, secureOrig, none, plainOrig, plainOrig}, // the default
	}
	count := 0
	for _, policy := range Policies {
		for i, sc := range scenarios {
			ref, target := mustParse(t, sc.referrer), mustParse(t, sc.target)
			refBefore, targetBefore := ref.Href(), target.Href()
			got := href(DetermineReferrer(policy, ref, target))
			if got != want[policy][i] {
				t.Errorf("policy %q, %s (%s → %s): got %s, want %s", policy, sc.name, sc.referrer, sc.target, got, want[policy][i])
			}
			if ref.Href() != refBefore || target.Href() != targetBefore {
				t.Errorf("policy %q, %s: inputs were modified", policy, sc.name)
			}
			count++
		}
	}
	t.Logf("%d policy × scenario cases", count)
}

func TestDetermineReferrerEdges(t *testing.T) {
	tests := []struct {
		name             string
		policy           Policy
		referrer, target string
		want             string
	}{
		{"https to localhost is no downgrade", StrictOrigin, "https://a.example/p", "http://localhost:8080/", "https://a.example/"},
		{"https to 127.0.0.1 is no downgrade", NoReferrerWhenDowngrade, "https://a.example/p", "http://127.0.0.1/", "https://a.example/p"},
		{"https to wss is no downgrade", StrictOrigin, "https://a.example/p", "wss://b.example/", "https://a.example/"},
		{"https to ws is a downgrade", StrictOrigin, "https://a.example/p", "ws://b.example/", "<no referrer>"},
		{"different port is cross-origin", SameOrigin, "https://a.example/p", "https://a.example:8443/p", "<no referrer>"},
		{"default port is same-origin", SameOrigin, "https://a.example:443/p", "https://a.example/q", "https://a.example/p"},
		{"port kept in origin", Origin, "http://a.example:8080/p?q", "http://b.example/", "http://a.example:8080/"},
		{"data: referrer", UnsafeURL, "data:text/plain,x", "https://b.example/", "<no referrer>"},
		{"blob: referrer", UnsafeURL, "blob:https://a.example/1234", "https://b.example/", "<no referrer>"},
		{"about: referrer", UnsafeURL, "about:blank", "https://b.example/", "<no referrer>"},
		{"IPv6 host", Origin, "http://[::1]:81/x", "http://b.example/", "http://[::1]:81/"},
		{"file referrer is never same-origin", SameOrigin, "file:///tmp/a.html", "file:///tmp/b.html", "<no referrer>"},
		{"unknown policy sends nothing", Policy("bogus"), "https://a.example/p", "https://a.example/q", "<no referrer>"},
	}
	for _, tt := range tests {
		got := href(DetermineReferrer(tt.policy, mustParse(t, tt.referrer), mustParse(t, tt.target)))
		if got != tt.want {
			t.Errorf("%s: policy %q %s → %s: got %s, want %s", tt.name, tt.policy, tt.referrer, tt.target, got, tt.want)
		}
	}
	if got := DetermineReferrer(UnsafeURL, nil, mustParse(t, "https://a.example/")); got != nil {
		t.Errorf("nil referrer source: got %s, want no referrer", got.Href())
	}
}

func TestDetermineReferrerLongURL(t *testing.T) {
	target := mustParse(t, "https://a.example/")
	base := "https://a.example/"
	for _, tt := range []struct {
		pathLen int
		want    string
	}{
		{4096 - len(base), base + strings.Repeat("a", 4096-len(base))}, // exactly 4096: kept
		{4097 - len(base), base}, // 4097: cut to the origin
	} {
		ref := mustParse(t, base+strings.Repeat("a", tt.pathLen)+"#a-fragment-does-not-count")
		if got := href(DetermineReferrer(UnsafeURL, ref, target)); got != tt.want {
			t.Errorf("referrer of %d bytes: got %d bytes, want %d", len(base)+tt.pathLen, len(got), len(tt.want))
		}
	}
}

func TestStripURL(t *testing.T) {
	tests := []struct {
		in         string
		originOnly bool
		want       string
	}{
		{"https://user:pass@example.com:8443/a/b?c=d#e", false, "https://example.com:8443/a/b?c=d"},
		{"https://user:pass@example.com:8443/a/b?c=d#e", true, "https://example.com:8443/"},
		{"https://user@example.com/", false, "https://example.com/"},
		{"https://:pass@example.com/x#", false, "https://example.com/x"},
		{"http://example.com", true, "http://example.com/"},
		{"http://example.com/?q", true, "http://example.com/"},
		{"http://[::1]/p#f", false, "http://[::1]/p"},
		{"ws://example.com/chat?room=1#x", true, "ws://example.com/"},
		{"foo://user@host/path?q#f", false, "foo://host/path?q"},
		{"foo://host/path?q#f", true, "foo://host/"},
		{"file:///etc/passwd#x", false, "file:///etc/passwd"},
		{"file:///etc/passwd", true, "file:///"},
		{"mailto:someone@example.com?subject=x#f", false, "mailto:someone@example.com?subject=x"},
		{"data:text/plain,hi", false, "<no referrer>"},
		{"data:text/plain,hi", true, "<no referrer>"},
		{"blob:https://example.com/uuid", false, "<no referrer>"},
		{"about:blank", true, "<no referrer>"},
	}
	for _, tt := range tests {
		in := mustParse(t, tt.in)
		before := in.Href()
		if got := href(StripURL(in, tt.originOnly)); got != tt.want {
			t.Errorf("StripURL(%q, originOnly=%v) = %s, want %s", tt.in, tt.originOnly, got, tt.want)
		}
		if in.Href() != before {
			t.Errorf("StripURL(%q) modified its input to %q", tt.in, in.Href())
		}
	}
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		in   string
		want Policy
	}{
		{"", Empty},
		{"no-referrer", NoReferrer},
		{"  origin\t", Origin},
		{"unsafe-url, origin", Origin},
		{"origin, unsafe-url", UnsafeURL},
		{"no-referrer, not-a-policy", NoReferrer},
		{"not-a-policy, strict-origin", StrictOrigin},
		{"strict-origin,,", StrictOrigin},
		{"Origin", Empty}, // case-sensitive
		{`"origin"`, Empty},
		{`same-origin, "a,b", x`, SameOrigin},
		{"no-referrer-when-downgrade, origin-when-cross-origin, strict-origin-when-cross-origin", StrictOriginWhenCrossOrigin},
		{"foo bar", Empty},
	}
	for _, tt := range tests {
		if got := ParseHeader(tt.in); got != tt.want {
			t.Errorf("ParseHeader(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := PolicyOnRedirect(UnsafeURL, "bogus"); got != UnsafeURL {
		t.Errorf("PolicyOnRedirect(unsafe-url, bogus) = %q, want unsafe-url", got)
	}
	if got := PolicyOnRedirect(UnsafeURL, "no-referrer"); got != NoReferrer {
		t.Errorf("PolicyOnRedirect(unsafe-url, no-referrer) = %q, want no-referrer", got)
	}
}

func TestPolicies(t *testing.T) {
	var got []string
	for _, p := range Policies {
		if !p.Valid() {
			t.Errorf("%q.Valid() = false", p)
		}
		got = append(got, string(p))
	}
	want := []string{"", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin",
		"strict-origin", "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Policies mismatch (-want +got):\n%s", diff)
	}
	for _, s := range []string{"NO-REFERRER", "never", "always", "default", " origin"} {
		if _, ok := ParsePolicy(s); ok {
			t.Errorf("ParsePolicy(%q) ok, want not a policy", s)
		}
	}
	if Default != StrictOriginWhenCrossOrigin {
		t.Errorf("Default = %q", Default)
	}
}

func TestIsPotentiallyTrustworthyURL(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"https://example.com/", true},
		{"wss://example.com/", true},
		{"http://example.com/", false},
		{"ws://example.com/", false},
		{"ftp://example.com/", false},
		{"http://127.0.0.1/", true},
		{"http://127.255.0.9:8080/", true},
		{"http://0x7f.1/", true}, // parses to 127.0.0.1
		{"http://128.0.0.1/", false},
		{"http://[::1]/", true},
		{"http://[::2]/", false},
		{"http://[::ffff:127.0.0.1]/", false}, // only ::1/128
		{"http://localhost/", true},
		{"http://LOCALHOST./", true},
		{"http://foo.localhost/", true},
		{"http://a.b.localhost./", true},
		{"http://localhost.example/", false},
		{"http://notlocalhost/", false},
		{"file:///tmp/x", true},
		{"data:text/plain,x", true},
		{"about:blank", true},
		{"about:srcdoc", true},
		{"about:blank?x", false},
		{"about:config", false},
		{"blob:https://example.com/uuid", true},
		{"blob:http://example.com/uuid", false},
		{"blob:http://localhost/uuid", true},
		{"foo://example.com/", false},
		{"javascript:alert(1)", false},
	}
	for _, tt := range tests {
		if got := IsPotentiallyTrustworthyURL(mustParse(t, tt.in)); got != tt.want {
			t.Errorf("IsPotentiallyTrustworthyURL(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if IsPotentiallyTrustworthyURL(nil) {
		t.Error("IsPotentiallyTrustworthyURL(nil) = true")
	}
}

func TestIsOriginPotentiallyTrustworthy(t *testing.T) {
	tests := []struct {
		origin weburl.Origin
		want   bool
	}{
		{weburl.NewOpaqueOrigin(), false},
		{weburl.TupleOrigin("https", "example.com", -1), true},
		{weburl.TupleOrigin("http", "example.com", 80), false},
		{weburl.TupleOrigin("http", "127.0.0.1", -1), true},
		{weburl.TupleOrigin("http", "[::1]", -1), true},
		{weburl.TupleOrigin("http", "localhost", 3000), true},
		{weburl.TupleOrigin("file", "", -1), true},
	}
	for _, tt := range tests {
		if got := IsOriginPotentiallyTrustworthy(tt.origin); got != tt.want {
			t.Errorf("IsOriginPotentiallyTrustworthy(%s) = %v, want %v", tt.origin, got, tt.want)
		}
	}
}
