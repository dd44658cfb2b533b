package cookiejar

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fuzzHosts and fuzzSites are the request URLs and sites for cookies the
// fuzz target picks from.
var (
	fuzzURLs  = []string{"http://example.com/a/b", "https://www.example.com/", "https://sub.example.co.uk/x/y?q", "http://127.0.0.1:8080/p", "https://github.io/", "http://localhost/", "https://[::1]/v6"}
	fuzzSites = []string{"", "https://example.com", "https://other.test", "http://example.com"}
)

// FuzzSetCookie parses Set-Cookie lines as fetch does (net/http's parser,
// via a response's Cookies) and stores them through SetCookiesFromResponse.
// Every stored cookie keeps the jar's rules: size, prefixes, Secure only
// from a secure origin, Domain not a public suffix unless it is the host,
// a host-only __Host- cookie with Path "/", no Strict or Lax cookie stored
// from a cross-site response. Retrieval never sends a Secure cookie over
// http or a Strict or Lax cookie cross-site. Save then Load gives the same
// jar, and SaveNetscape then LoadNetscape keeps each cookie's name, value,
// domain, path and flags.
func FuzzSetCookie(f *testing.F) {
	f.Add("a=b; Path=/; Max-Age=60\n__Host-x=1; Secure; Path=/\n__Secure-y=2\nz=3; Domain=example.com; SameSite=Strict", uint8(1), uint8(0))
	f.Add("s=1; Secure; SameSite=None\nl=2; SameSite=Lax; HttpOnly\nd=3; Domain=co.uk\ne=4; Expires=Wed, 21 Oct 2015 07:28:00 GMT", uint8(2), uint8(2))
	f.Add("big="+strings.Repeat("v", 5000)+"\n=novalue\nname\n\"q\"=\"v\"; Path=rel", uint8(0), uint8(1))
	f.Add("__HOST-a=1; secure; path=/; domain=example.com\n__Http-b=2; Secure; HttpOnly", uint8(5), uint8(3))
	f.Fuzz(func(t *testing.T, lines string, which, site uint8) {
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		opts := &Options{Now: func() time.Time { return now }, MaxCookiesPerSite: 20, MaxCookies: 40}
		j := New(opts)
		u, _ := url.Parse(fuzzURLs[int(which)%len(fuzzURLs)])
		siteForCookies := fuzzSites[int(site)%len(fuzzSites)]
		h := http.Header{}
		for _, l := range strings.Split(lines, "\n") {
			h.Add("Set-Cookie", l)
		}
		cookies := (&http.Response{Header: h}).Cookies()
		j.SetCookiesFromResponse(u, siteForCookies, nil, cookies)
		secureOrigin := u.Scheme == "https" || u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1"
		// Same-site pairs among fuzzURLs and fuzzSites (same scheme and
		// registrable domain); no site is same-site with everything.
		sameSite := siteForCookies == "" ||
			siteForCookies == "https://example.com" && u.Scheme == "https" && strings.HasSuffix(u.Hostname(), "example.com") ||
			siteForCookies == "http://example.com" && u.Scheme == "http" && strings.HasSuffix(u.Hostname(), "example.com")
		crossSite := !sameSite
		all := j.All()
		if len(all) > 20 {
			t.Fatalf("%d cookies stored for one site, limit 20", len(all))
		}
		for _, c := range all {
			lname := strings.ToLower(c.Name)
			switch {
			case len(c.Name)+len(c.Value) > DefaultMaxCookieSize:
				t.Fatalf("cookie %q stored with %d bytes", c.Name, len(c.Name)+len(c.Value))
			case c.Secure && !secureOrigin:
				t.Fatalf("Secure cookie %q stored from %s", c.Name, u)
			case strings.HasPrefix(lname, "__secure-") && !c.Secure:
				t.Fatalf("__Secure- cookie %q stored without Secure", c.Name)
			case strings.HasPrefix(lname, "__host-") && (!c.Secure || !c.HostOnly || c.Path != "/"):
				t.Fatalf("__Host- cookie stored as %+v", c)
			case c.HostOnly && c.Domain != strings.ToLower(u.Hostname()):
				t.Fatalf("host-only cookie %q for domain %q from %s", c.Name, c.Domain, u)
			case !c.HostOnly && !strings.HasSuffix(strings.ToLower(u.Hostname()), c.Domain):
				t.Fatalf("cookie %q for domain %q from %s", c.Name, c.Domain, u)
			case !c.HostOnly && (c.Domain == "co.uk" || c.Domain == "github.io" || c.Domain == "com"):
				t.Fatalf("cookie %q for public suffix %q", c.Name, c.Domain)
			case crossSite && (c.SameSite == "strict" || c.SameSite == "lax"):
				t.Fatalf("SameSite=%s cookie %q stored from a cross-site response (%s, site %q)", c.SameSite, c.Name, u, siteForCookies)
			case c.Persistent && c.Expires.After(now.Add(MaxAge)):
				t.Fatalf("cookie %q expires %v, past the 400-day cap", c.Name, c.Expires)
			}
		}
		// Retrieval.
		plain, _ := url.Parse("http://" + u.Host + u.Path)
		for _, c := range j.CookiesForRequest(plain, "", nil) {
			if strings.HasPrefix(strings.ToLower(c.Name), "__secure-") || strings.HasPrefix(strings.ToLower(c.Name), "__host-") {
				if !(plain.Hostname() == "localhost" || plain.Hostname() == "127.0.0.1" || plain.Hostname() == "::1") {
					t.Fatalf("prefixed cookie %q sent over http to %s", c.Name, plain)
				}
			}
		}
		// Cross-site, each cookie sent is a stored cookie that is not
		// Strict or Lax (several cookies may share a name and value).
		sendable := map[[2]string]int{}
		for _, s := range all {
			if s.SameSite != "strict" && s.SameSite != "lax" {
				sendable[[2]string{s.Name, s.Value}]++
			}
		}
		for _, c := range j.CookiesForRequest(u, "https://unrelated.test", nil) {
			k := [2]string{c.Name, c.Value}
			if sendable[k] == 0 {
				t.Fatalf("cookie %q sent cross-site is not a stored None/Default cookie: %+v", c.Name, all)
			}
			sendable[k]--
		}
		// JSON persistence.
		var buf bytes.Buffer
		if err := j.Save(&buf); err != nil {
			t.Fatal(err)
		}
		j2 := New(opts)
		if err := j2.Load(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatalf("Load of our own Save: %v\n%s", err, buf.String())
		}
		if diff := cmp.Diff(all, j2.All()); diff != "" {
			t.Fatalf("Save then Load changed the jar (-saved +loaded)\n%s", diff)
		}
		// Netscape persistence.
		buf.Reset()
		if err := j.SaveNetscape(&buf); err != nil {
			t.Fatal(err)
		}
		j3 := New(opts)
		if err := j3.LoadNetscape(bytes.NewReader(buf.Bytes())); err != nil {
			t.Fatal(err)
		}
		type key struct {
			Name, Value, Domain, Path  string
			Secure, HTTPOnly, HostOnly bool
			Persistent                 bool
			ExpiresUnix                int64
		}
		keys := func(cs []Cookie) []key {
			var out []key
			for _, c := range cs {
				k := key{c.Name, c.Value, c.Domain, c.Path, c.Secure, c.HTTPOnly, c.HostOnly, c.Persistent, 0}
				if c.Persistent {
					k.ExpiresUnix = c.Expires.Unix()
				}
				out = append(out, k)
			}
			return out
		}
		if diff := cmp.Diff(keys(all), keys(j3.All())); diff != "" {
			t.Fatalf("SaveNetscape then LoadNetscape changed the jar (-saved +loaded)\n%s\n%s", diff, buf.String())
		}
	})
}
