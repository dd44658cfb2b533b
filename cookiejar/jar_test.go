package cookiejar

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newTestJar(o *Options) (*Jar, *clock) {
	ck := &clock{t: t0}
	if o == nil {
		o = &Options{}
	}
	o.Now = ck.now
	return New(o), ck
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// parse parses Set-Cookie lines as net/http does for a response.
func parse(t testing.TB, lines ...string) []*http.Cookie {
	t.Helper()
	h := http.Header{}
	for _, l := range lines {
		h.Add("Set-Cookie", l)
	}
	return (&http.Response{Header: h}).Cookies()
}

// header is the Cookie header a request to u from site would carry.
func header(j *Jar, u *url.URL, site string, via ...*url.URL) string {
	var parts []string
	for _, c := range j.CookiesForRequest(u, site, via) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; ")
}

// TestStorageRules: one case per storage rule. Each sets cookies from
// from (with the client site) and checks the Cookie header sent to check
// (from no site, so SameSite does not hide anything).
func TestStorageRules(t *testing.T) {
	big := strings.Repeat("v", 1<<20)
	for _, tt := range []struct {
		name    string
		from    string
		site    string
		cookies []*http.Cookie // set directly when lines is empty
		lines   []string
		check   string
		want    string
	}{
		{name: "plain", from: "http://a.test/", lines: []string{"a=1"}, check: "http://a.test/", want: "a=1"},
		{name: "1 MiB cookie refused", from: "http://a.test/", cookies: []*http.Cookie{{Name: "big", Value: big}}, check: "http://a.test/", want: ""},
		{name: "1 MiB cookie through a header refused", from: "http://a.test/", lines: []string{"big=" + big}, check: "http://a.test/", want: ""},
		{name: "name+value of 4096 bytes kept", from: "http://a.test/", cookies: []*http.Cookie{{Name: "n", Value: strings.Repeat("v", 4095)}}, check: "http://a.test/", want: "n=" + strings.Repeat("v", 4095)},
		{name: "name+value of 4097 bytes refused", from: "http://a.test/", cookies: []*http.Cookie{{Name: "n", Value: strings.Repeat("v", 4096)}}, check: "http://a.test/", want: ""},
		{name: "control byte in value refused", from: "http://a.test/", cookies: []*http.Cookie{{Name: "n", Value: "a\x01b"}}, check: "http://a.test/", want: ""},
		{name: "control byte in name refused", from: "http://a.test/", cookies: []*http.Cookie{{Name: "n\x7f", Value: "v"}}, check: "http://a.test/", want: ""},
		{name: "empty name refused", from: "http://a.test/", cookies: []*http.Cookie{{Name: "", Value: "v"}}, check: "http://a.test/", want: ""},
		{name: "quoted value keeps its quotes", from: "http://a.test/", lines: []string{`q="x"`}, check: "http://a.test/", want: `q="x"`},

		{name: "Secure from http refused", from: "http://a.test/", lines: []string{"s=1; Secure"}, check: "https://a.test/", want: ""},
		{name: "Secure from https kept", from: "https://a.test/", lines: []string{"s=1; Secure"}, check: "https://a.test/", want: "s=1"},
		{name: "Secure from http://localhost kept (trustworthy)", from: "http://localhost/", lines: []string{"s=1; Secure"}, check: "http://localhost/", want: "s=1"},
		{name: "Secure from http://127.0.0.1 kept (trustworthy)", from: "http://127.0.0.1/", lines: []string{"s=1; Secure"}, check: "http://127.0.0.1/", want: "s=1"},

		{name: "__Secure- over http refused", from: "http://a.test/", lines: []string{"__Secure-x=1; Secure"}, check: "https://a.test/", want: ""},
		{name: "__Secure- without Secure refused", from: "https://a.test/", lines: []string{"__Secure-x=1"}, check: "https://a.test/", want: ""},
		{name: "__Secure- over https with Secure kept", from: "https://a.test/", lines: []string{"__Secure-x=1; Secure; Domain=a.test"}, check: "https://a.test/", want: "__Secure-x=1"},
		{name: "__secure- (any case) without Secure refused", from: "https://a.test/", lines: []string{"__secure-x=1"}, check: "https://a.test/", want: ""},
		{name: "__Host- over http refused", from: "http://a.test/", lines: []string{"__Host-x=1; Secure; Path=/"}, check: "https://a.test/", want: ""},
		{name: "__Host- with Domain refused", from: "https://a.test/", lines: []string{"__Host-x=1; Secure; Path=/; Domain=a.test"}, check: "https://a.test/", want: ""},
		{name: "__Host- with Path=/p refused", from: "https://a.test/", lines: []string{"__Host-x=1; Secure; Path=/p"}, check: "https://a.test/p", want: ""},
		{name: "__Host- without Path from /dir/page refused", from: "https://a.test/dir/page", lines: []string{"__Host-x=1; Secure"}, check: "https://a.test/dir/page", want: ""},
		{name: "__Host- done right kept", from: "https://a.test/", lines: []string{"__Host-x=1; Secure; Path=/"}, check: "https://a.test/", want: "__Host-x=1"},
		{name: "__HOST- (any case) over http refused", from: "http://a.test/", lines: []string{"__HOST-x=1; Secure; Path=/"}, check: "https://a.test/", want: ""},
		{name: "__Http- without HttpOnly refused", from: "https://a.test/", lines: []string{"__Http-x=1; Secure"}, check: "https://a.test/", want: ""},
		{name: "__Http- with HttpOnly kept", from: "https://a.test/", lines: []string{"__Http-x=1; Secure; HttpOnly"}, check: "https://a.test/", want: "__Http-x=1"},
		{name: "__Host-Http- needs HttpOnly", from: "https://a.test/", lines: []string{"__Host-Http-x=1; Secure; Path=/"}, check: "https://a.test/", want: ""},

		{name: "Domain=public suffix refused", from: "http://www.example.co.uk/", lines: []string{"d=1; Domain=co.uk"}, check: "http://www.example.co.uk/", want: ""},
		{name: "Domain=public suffix that is the host: host-only", from: "http://github.io/", lines: []string{"d=1; Domain=github.io"}, check: "http://x.github.io/", want: ""},
		{name: "Domain=public suffix that is the host: kept for the host", from: "http://github.io/", lines: []string{"d=1; Domain=github.io"}, check: "http://github.io/", want: "d=1"},
		{name: "Domain=parent sent to siblings", from: "http://www.example.com/", lines: []string{"d=1; Domain=.example.com"}, check: "http://api.example.com/", want: "d=1"},
		{name: "host-only not sent to subdomains", from: "http://example.com/", lines: []string{"d=1"}, check: "http://api.example.com/", want: ""},
		{name: "Domain that does not match refused", from: "http://a.test/", lines: []string{"d=1; Domain=b.test"}, check: "http://b.test/", want: ""},
		{name: "Domain on an IP must be the IP", from: "http://127.0.0.1/", lines: []string{"d=1; Domain=0.0.1"}, check: "http://127.0.0.1/", want: ""},
		{name: "Domain longer than 1024 bytes ignored", from: "http://a.test/", cookies: []*http.Cookie{{Name: "d", Value: "1", Domain: strings.Repeat("x", 1025)}}, check: "http://a.test/", want: "d=1"},

		{name: "default path", from: "http://a.test/dir/page", lines: []string{"p=1"}, check: "http://a.test/other", want: ""},
		{name: "default path matches below", from: "http://a.test/dir/page", lines: []string{"p=1"}, check: "http://a.test/dir/x/y", want: "p=1"},
		{name: "Path not a prefix on a segment", from: "http://a.test/", lines: []string{"p=1; Path=/dir"}, check: "http://a.test/directory", want: ""},
		{name: "Path longer than 1024 bytes ignored", from: "http://a.test/", cookies: []*http.Cookie{{Name: "p", Value: "1", Path: "/" + strings.Repeat("x", 1024)}}, check: "http://a.test/", want: "p=1"},

		{name: "SameSite=None without Secure refused", from: "https://a.test/", lines: []string{"n=1; SameSite=None"}, check: "https://a.test/", want: ""},
		{name: "SameSite=None with Secure kept", from: "https://a.test/", lines: []string{"n=1; SameSite=None; Secure"}, check: "https://a.test/", want: "n=1"},
		{name: "cross-site response cannot set Strict", from: "https://api.other/", site: "https://app.example", lines: []string{"s=1; SameSite=Strict; Secure"}, check: "https://api.other/", want: ""},
		{name: "cross-site response cannot set Lax", from: "https://api.other/", site: "https://app.example", lines: []string{"s=1; SameSite=Lax; Secure"}, check: "https://api.other/", want: ""},
		{name: "cross-site response sets None", from: "https://api.other/", site: "https://app.example", lines: []string{"s=1; SameSite=None; Secure"}, check: "https://api.other/", want: "s=1"},
		{name: "cross-site response sets Default (treated as None)", from: "https://api.other/", site: "https://app.example", lines: []string{"s=1"}, check: "https://api.other/", want: "s=1"},
		{name: "same-site response sets Strict", from: "https://api.example/", site: "https://app.example", lines: []string{"s=1; SameSite=Strict"}, check: "https://api.example/", want: ""},
		{name: "same-site (registrable domain) response sets Strict", from: "https://api.app.example/", site: "https://www.app.example", lines: []string{"s=1; SameSite=Strict"}, check: "https://api.app.example/", want: "s=1"},
		{name: "schemeful: http is another site than https", from: "http://app.example/", site: "https://app.example", lines: []string{"s=1; SameSite=Lax"}, check: "http://app.example/", want: ""},

		{name: "Max-Age=0 deletes", from: "http://a.test/", lines: []string{"a=1", "a=2; Max-Age=0"}, check: "http://a.test/", want: ""},
		{name: "Expires in the past deletes", from: "http://a.test/", lines: []string{"a=1", "a=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}, check: "http://a.test/", want: ""},
		{name: "a later cookie replaces one of the same name, domain and path", from: "http://a.test/", lines: []string{"a=1", "a=2"}, check: "http://a.test/", want: "a=2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j, _ := newTestJar(nil)
			cs := tt.cookies
			if len(tt.lines) > 0 {
				cs = parse(t, tt.lines...)
			}
			j.SetCookiesFromResponse(mustURL(t, tt.from), tt.site, nil, cs)
			if got := header(j, mustURL(t, tt.check), ""); got != tt.want {
				if len(got) > 100 {
					got = got[:100] + "..."
				}
				t.Errorf("Cookie %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLeaveSecureCookiesAlone: http cannot overwrite or shadow a Secure
// cookie of the same name.
func TestLeaveSecureCookiesAlone(t *testing.T) {
	j, _ := newTestJar(nil)
	j.SetCookies(mustURL(t, "https://a.test/"), parse(t, "k=secure; Secure; Path=/"))
	j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "k=plain; Path=/"))
	j.SetCookies(mustURL(t, "http://a.test/sub/"), parse(t, "k=shadow; Path=/sub"))
	j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "other=1"))
	if got := header(j, mustURL(t, "https://a.test/sub/x"), ""); got != "k=secure; other=1" {
		t.Errorf("Cookie %q", got)
	}
}

// TestRetrievalRules: one case per sending rule.
func TestRetrievalRules(t *testing.T) {
	setup := func(t *testing.T) *Jar {
		j, ck := newTestJar(nil)
		set := func(u, line string) {
			j.SetCookies(mustURL(t, u), parse(t, line))
			ck.add(time.Second)
		}
		set("https://app.example/", "strict=1; SameSite=Strict; Secure")
		set("https://app.example/", "lax=1; SameSite=Lax; Secure")
		set("https://app.example/", "none=1; SameSite=None; Secure")
		set("https://app.example/", "dflt=1")
		set("https://app.example/", "sec=1; Secure; SameSite=None")
		return j
	}
	u := func(s string) *url.URL { return mustURL(t, s) }
	for _, tt := range []struct {
		name string
		to   string
		site string
		via  []*url.URL
		want string
	}{
		{name: "same-site request gets every cookie", to: "https://app.example/", site: "https://app.example", want: "strict=1; lax=1; none=1; dflt=1; sec=1"},
		{name: "subdomain site is same-site", to: "https://app.example/", site: "https://www.app.example", want: "strict=1; lax=1; none=1; dflt=1; sec=1"},
		{name: "cross-site request: no Strict, no Lax", to: "https://app.example/", site: "https://evil.test", want: "none=1; dflt=1; sec=1"},
		{name: "opaque site: cross-site", to: "https://app.example/", site: "null", want: "none=1; dflt=1; sec=1"},
		{name: "redirected through another site: cross-site", to: "https://app.example/", site: "https://app.example", via: []*url.URL{u("https://app.example/"), u("https://evil.test/")}, want: "none=1; dflt=1; sec=1"},
		{name: "no site (server runtime): same-site", to: "https://app.example/", want: "strict=1; lax=1; none=1; dflt=1; sec=1"},
		{name: "http: no Secure cookies", to: "http://app.example/", want: "dflt=1"},
		{name: "other host: nothing", to: "https://b.example/", want: ""},
		{name: "non-HTTP scheme: nothing", to: "ftp://app.example/", want: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			j := setup(t)
			if got := header(j, mustURL(t, tt.to), tt.site, tt.via...); got != tt.want {
				t.Errorf("Cookie %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLaxByDefault(t *testing.T) {
	j, _ := newTestJar(&Options{LaxByDefault: true})
	j.SetCookies(mustURL(t, "https://app.example/"), parse(t, "dflt=1", "none=1; SameSite=None; Secure"))
	if got := header(j, mustURL(t, "https://app.example/"), "https://evil.test"); got != "none=1" {
		t.Errorf("cross-site Cookie %q", got)
	}
	j.SetCookiesFromResponse(mustURL(t, "https://app.example/"), "https://evil.test", nil, parse(t, "x=1"))
	if got := header(j, mustURL(t, "https://app.example/"), ""); got != "dflt=1; none=1" {
		t.Errorf("Cookie %q (a cross-site Default cookie must be refused)", got)
	}
}

func TestOrder(t *testing.T) {
	j, ck := newTestJar(nil)
	for _, l := range []string{"a=1; Path=/", "b=1; Path=/x/y", "c=1; Path=/x", "d=1; Path=/"} {
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, l))
		ck.add(time.Second)
	}
	if got := header(j, mustURL(t, "http://a.test/x/y/z"), ""); got != "b=1; c=1; a=1; d=1" {
		t.Errorf("Cookie %q", got)
	}
	// Replacing a cookie keeps its creation time (and so its place).
	j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "a=2; Path=/"))
	if got := header(j, mustURL(t, "http://a.test/"), ""); got != "a=2; d=1" {
		t.Errorf("Cookie %q", got)
	}
}

func TestExpiry(t *testing.T) {
	j, ck := newTestJar(nil)
	j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "m=1; Max-Age=60", "e=1; Expires=Wed, 01 Jan 2200 00:00:00 GMT",
		"both=1; Max-Age=60; Expires=Wed, 01 Jan 2200 00:00:00 GMT", "s=1"))
	got := map[string]time.Time{}
	for _, c := range j.All() {
		got[c.Name] = c.Expires
	}
	want := map[string]time.Time{"m": t0.Add(time.Minute), "e": t0.Add(MaxAge), "both": t0.Add(time.Minute), "s": {}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("expiry (-want +got)\n%s", diff)
	}
	ck.add(2 * time.Minute)
	if got := header(j, mustURL(t, "http://a.test/"), ""); got != "e=1; s=1" {
		t.Errorf("after 2 minutes: %q", got)
	}
	j.RemoveSessionCookies()
	if got := header(j, mustURL(t, "http://a.test/"), ""); got != "e=1" {
		t.Errorf("after RemoveSessionCookies: %q", got)
	}
}

// TestLimits: per-site and total limits evict the least recently used.
func TestLimits(t *testing.T) {
	t.Run("per site", func(t *testing.T) {
		j, ck := newTestJar(nil)
		for i := range DefaultMaxCookiesPerSite {
			j.SetCookies(mustURL(t, "http://a.test/"), parse(t, fmt.Sprintf("c%d=1", i)))
			ck.add(time.Second)
		}
		// Using c0 makes c1 the least recently used.
		j.Cookies(mustURL(t, "http://a.test/"))
		ck.add(time.Second)
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "c0=2"))
		ck.add(time.Second)
		j.SetCookies(mustURL(t, "http://www.a.test/"), parse(t, "new=1; Domain=a.test"))
		if n := j.Len(); n != DefaultMaxCookiesPerSite {
			t.Errorf("Len %d, want %d", n, DefaultMaxCookiesPerSite)
		}
		names := map[string]bool{}
		for _, c := range j.All() {
			names[c.Name] = true
		}
		if !names["new"] || !names["c0"] || names["c1"] {
			t.Errorf("want new and c0 kept and c1 evicted: %v %v %v", names["new"], names["c0"], names["c1"])
		}
	})
	t.Run("Set-Cookie flood", func(t *testing.T) {
		j, _ := newTestJar(nil)
		// (net/http parses at most 3000 Set-Cookie lines per response.)
		var lines []string
		for i := range 3000 {
			lines = append(lines, fmt.Sprintf("f%d=%s", i, strings.Repeat("x", 100)))
		}
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, lines...))
		if n := j.Len(); n != DefaultMaxCookiesPerSite {
			t.Errorf("Len %d, want %d", n, DefaultMaxCookiesPerSite)
		}
		if got := j.Cookies(mustURL(t, "http://a.test/")); len(got) != DefaultMaxCookiesPerSite || got[len(got)-1].Name != "f2999" {
			t.Errorf("%d cookies sent, want the last %d", len(got), DefaultMaxCookiesPerSite)
		}
	})
	t.Run("total", func(t *testing.T) {
		j, ck := newTestJar(&Options{MaxCookies: 5})
		for i := range 7 {
			j.SetCookies(mustURL(t, fmt.Sprintf("http://s%d.test/", i)), parse(t, "c=1"))
			ck.add(time.Second)
		}
		var got []string
		for _, c := range j.All() {
			got = append(got, c.Domain)
		}
		if diff := cmp.Diff([]string{"s2.test", "s3.test", "s4.test", "s5.test", "s6.test"}, got); diff != "" {
			t.Errorf("(-want +got)\n%s", diff)
		}
	})
	t.Run("expired go first", func(t *testing.T) {
		j, ck := newTestJar(&Options{MaxCookiesPerSite: 2})
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "old=1"))
		ck.add(time.Second)
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "short=1; Max-Age=1"))
		ck.add(2 * time.Second)
		j.SetCookies(mustURL(t, "http://a.test/"), parse(t, "new=1"))
		if got := header(j, mustURL(t, "http://a.test/"), ""); got != "old=1; new=1" {
			t.Errorf("Cookie %q", got)
		}
	})
}

func TestSaveLoad(t *testing.T) {
	j, _ := newTestJar(nil)
	j.SetCookies(mustURL(t, "https://www.example.com/dir/p"), parse(t,
		"a=1; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600",
		"b=2", "__Host-c=3; Secure; Path=/", `q="v"`))
	var buf bytes.Buffer
	if err := j.Save(&buf); err != nil {
		t.Fatal(err)
	}
	k, _ := newTestJar(nil)
	if err := k.Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(j.All(), k.All()); diff != "" {
		t.Errorf("round trip (-saved +loaded)\n%s", diff)
	}
	if err := k.Load(strings.NewReader(`{"format":"other"}`)); err == nil {
		t.Error("Load of another format: no error")
	}
	if err := k.Load(strings.NewReader(`not json`)); err == nil {
		t.Error("Load of bad JSON: no error")
	}
	// Rules hold for loaded cookies too.
	bad := `{"format":"wfetch-cookiejar/1","cookies":[
	 {"name":"__Host-x","value":"1","domain":"a.test","path":"/","sameSite":"default","hostOnly":true},
	 {"name":"big","value":"` + strings.Repeat("v", 5000) + `","domain":"a.test","path":"/","sameSite":"default","hostOnly":true},
	 {"name":"psl","value":"1","domain":"co.uk","path":"/","sameSite":"default"},
	 {"name":"ok","value":"1","domain":"a.test","path":"/","sameSite":"default","hostOnly":true}]}`
	l, _ := newTestJar(nil)
	if err := l.Load(strings.NewReader(bad)); err != nil {
		t.Fatal(err)
	}
	if got := header(l, mustURL(t, "https://a.test/"), ""); got != "ok=1" {
		t.Errorf("loaded %q, want only ok=1", got)
	}
}

func TestNetscape(t *testing.T) {
	j, _ := newTestJar(nil)
	j.SetCookies(mustURL(t, "https://www.example.com/"), parse(t,
		"a=1; Domain=example.com; Path=/; Secure; HttpOnly; Max-Age=3600",
		"b=2; Path=/x"))
	var buf bytes.Buffer
	if err := j.SaveNetscape(&buf); err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(time.Hour).Unix()
	want := netscapeHeader +
		fmt.Sprintf("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t%d\ta\t1\n", exp) +
		"www.example.com\tFALSE\t/x\tFALSE\t0\tb\t2\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("SaveNetscape (-want +got)\n%s", diff)
	}
	k, _ := newTestJar(nil)
	if err := k.LoadNetscape(&buf); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ url, want string }{
		{"https://www.example.com/x", "b=2; a=1"},
		{"https://api.example.com/x", "a=1"},
		{"http://www.example.com/x", "b=2"},
	} {
		if got := header(k, mustURL(t, tt.url), ""); got != tt.want {
			t.Errorf("%s: Cookie %q, want %q", tt.url, got, tt.want)
		}
	}
}

// TestLoadNetscapeCurl reads a file as curl writes it, with lines curl
// skips.
func TestLoadNetscapeCurl(t *testing.T) {
	file := "# Netscape HTTP Cookie File\n" +
		"# https://curl.se/docs/http-cookies.html\n" +
		"# This file was generated by libcurl! Edit at your own risk.\n\n" +
		".a.test\tTRUE\t/\tFALSE\t0\tsess\tv1\r\n" +
		"#HttpOnly_b.test\tFALSE\t/p\tTRUE\t4102444800\tho\tv2\n" +
		"a.test\tFALSE\t/\tFALSE\t0\tempty\n" + // missing value: curl accepts
		"a.test\tFALSE\t/\tFALSE\tnotanumber\tbad\tv\n" + // skipped
		"a.test\tFALSE\t/\tFALSE\t1\texpired\tv\n" + // skipped
		"a.test\tFALSE\t/\tFALSE\t0\t__Host-x\tv\n" + // breaks the prefix rule
		"co.uk\tTRUE\t/\tFALSE\t0\tpsl\tv\n" + // a public suffix
		"too\tfew\tfields\n"
	j, _ := newTestJar(nil)
	if err := j.LoadNetscape(strings.NewReader(file)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range j.All() {
		got = append(got, fmt.Sprintf("%s %s %s host-only=%v secure=%v httponly=%v persistent=%v", c.Domain, c.Path, c.Name, c.HostOnly, c.Secure, c.HTTPOnly, c.Persistent))
	}
	want := []string{
		"a.test / empty host-only=true secure=false httponly=false persistent=false",
		"a.test / sess host-only=false secure=false httponly=false persistent=false",
		"b.test /p ho host-only=true secure=true httponly=true persistent=true",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestConcurrent(t *testing.T) {
	j := New(nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			u := mustURL(t, fmt.Sprintf("http://s%d.test/", g%3))
			for i := range 200 {
				j.SetCookies(u, parse(t, fmt.Sprintf("c%d=%d", i%50, i)))
				j.Cookies(u)
			}
		})
	}
	wg.Wait()
	if n := j.Len(); n != 150 {
		t.Errorf("Len %d, want 150", n)
	}
}
