package cookiejar

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"
)

// The default limits (see the package documentation).
const (
	// DefaultMaxCookieSize is the most bytes a cookie's name and value may
	// hold together.
	DefaultMaxCookieSize = 4096
	// DefaultMaxAttributeSize is the most bytes a Domain or Path attribute
	// may hold; a longer one is ignored.
	DefaultMaxAttributeSize = 1024
	// DefaultMaxCookiesPerSite is the most cookies kept for one site.
	DefaultMaxCookiesPerSite = 180
	// DefaultMaxCookies is the most cookies kept in all.
	DefaultMaxCookies = 3000
	// MaxAge is the longest a cookie is kept (400 days).
	MaxAge = 400 * 24 * time.Hour
)

// PublicSuffixList tells the public suffix of a domain, as
// golang.org/x/net/publicsuffix.List does.
type PublicSuffixList interface {
	// PublicSuffix returns the public suffix of domain.
	PublicSuffix(domain string) string
	// String names the list's source and version.
	String() string
}

// Options configure a Jar. The zero value gives the documented defaults.
type Options struct {
	// PublicSuffixList is the list used for Domain attributes and sites;
	// nil means golang.org/x/net/publicsuffix.List.
	PublicSuffixList PublicSuffixList
	// MaxCookieSize, MaxCookiesPerSite and MaxCookies override the limits;
	// 0 means the default.
	MaxCookieSize     int
	MaxCookiesPerSite int
	MaxCookies        int
	// LaxByDefault treats a cookie without a SameSite attribute as Lax (as
	// Chrome does) instead of None.
	LaxByDefault bool
	// Now returns the current time; nil means time.Now. (For tests.)
	Now func() time.Time
}

// Jar is an in-memory cookie store following RFC 6265bis. It is safe for
// concurrent use. The zero Jar is not usable: make one with New.
type Jar struct {
	psl          PublicSuffixList
	maxSize      int
	maxPerSite   int
	maxTotal     int
	laxByDefault bool
	now          func() time.Time

	mu      sync.Mutex
	entries map[string]map[string]*entry // site → id → cookie
	total   int
	seq     uint64 // breaks creation-time ties
}

// entry is a stored cookie (RFC 6265bis section 5.7's fields).
type entry struct {
	Name       string
	Value      string
	Domain     string
	Path       string
	SameSite   string // "strict", "lax", "none" or "default"
	Secure     bool
	HTTPOnly   bool
	Persistent bool
	HostOnly   bool
	Expires    time.Time // zero for session cookies
	Creation   time.Time
	LastAccess time.Time
	seq        uint64
}

func (e *entry) id() string { return e.Domain + ";" + e.Path + ";" + e.Name }

func (e *entry) expired(now time.Time) bool {
	return e.Persistent && !e.Expires.After(now)
}

// New returns an empty jar. o may be nil.
func New(o *Options) *Jar {
	if o == nil {
		o = &Options{}
	}
	j := &Jar{
		psl:          o.PublicSuffixList,
		maxSize:      o.MaxCookieSize,
		maxPerSite:   o.MaxCookiesPerSite,
		maxTotal:     o.MaxCookies,
		laxByDefault: o.LaxByDefault,
		now:          o.Now,
		entries:      map[string]map[string]*entry{},
	}
	if j.psl == nil {
		j.psl = publicsuffix.List
	}
	if j.maxSize <= 0 {
		j.maxSize = DefaultMaxCookieSize
	}
	if j.maxPerSite <= 0 {
		j.maxPerSite = DefaultMaxCookiesPerSite
	}
	if j.maxTotal <= 0 {
		j.maxTotal = DefaultMaxCookies
	}
	now := j.now
	if now == nil {
		now = time.Now
	}
	// Times are kept without their monotonic reading, so a saved and
	// loaded jar compares equal.
	j.now = func() time.Time { return now().Round(0) }
	return j
}

// Cookies returns the cookies to send with a request to u, for a client
// with no site for cookies (every request is same-site). It implements
// http.CookieJar.
func (j *Jar) Cookies(u *url.URL) []*http.Cookie {
	return j.CookiesForRequest(u, "", nil)
}

// SetCookies stores the cookies of a response from u, for a client with no
// site for cookies. It implements http.CookieJar.
func (j *Jar) SetCookies(u *url.URL, cookies []*http.Cookie) {
	j.SetCookiesFromResponse(u, "", nil, cookies)
}

// CookiesForRequest returns the cookies to send with a request to u, made
// by a client whose site for cookies is the origin siteForCookies (a
// serialized origin such as "https://app.example"; "" when the client has
// none, "null" for an opaque origin). via lists the URLs the request was
// redirected through before u (oldest first). The cookies carry only Name
// and Value, in the order they go into the Cookie header. It runs the
// retrieval algorithm of RFC 6265bis.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-retrieval-algorithm
func (j *Jar) CookiesForRequest(u *url.URL, siteForCookies string, via []*url.URL) []*http.Cookie {
	if u == nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
		return nil
	}
	host := canonicalHost(u.Hostname())
	if host == "" {
		return nil
	}
	secure := isSecure(u)
	crossSite := j.crossSite(u, siteForCookies, via)
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	now := j.now()

	j.mu.Lock()
	defer j.mu.Unlock()
	m := j.entries[j.site(host)]
	if len(m) == 0 {
		return nil
	}
	// 1. The cookies that match the request.
	var list []*entry
	for id, e := range m {
		if e.expired(now) {
			delete(m, id)
			j.total--
			continue
		}
		// 1.1. The host matches (exactly for host-only cookies).
		if e.HostOnly {
			if host != e.Domain {
				continue
			}
		} else if !domainMatch(host, e.Domain) {
			continue
		}
		// 1.2. The path matches.
		if !pathMatch(path, e.Path) {
			continue
		}
		// 1.3. Secure cookies go to secure origins only.
		if e.Secure && !secure {
			continue
		}
		// 1.4. (http-only: every caller is an HTTP API.)
		// 1.5. Cross-site requests carry only SameSite=None cookies (a
		// fetch is never a top-level navigation, so Lax is excluded too).
		if crossSite && !j.sameSiteNone(e) {
			continue
		}
		list = append(list, e)
	}
	// 2. Longest path first, then earliest creation.
	sort.Slice(list, func(a, b int) bool {
		if len(list[a].Path) != len(list[b].Path) {
			return len(list[a].Path) > len(list[b].Path)
		}
		if !list[a].Creation.Equal(list[b].Creation) {
			return list[a].Creation.Before(list[b].Creation)
		}
		return list[a].seq < list[b].seq
	})
	// 3. Update the last-access time.
	out := make([]*http.Cookie, len(list))
	for i, e := range list {
		e.LastAccess = now
		out[i] = &http.Cookie{Name: e.Name, Value: e.Value}
	}
	return out
}

// sameSiteNone reports whether e may travel on a cross-site request.
func (j *Jar) sameSiteNone(e *entry) bool {
	return e.SameSite == "none" || (e.SameSite == "default" && !j.laxByDefault)
}

// crossSite reports whether a request to u (redirected through via) from
// a client whose site for cookies is siteForCookies is cross-site. A
// request with no client is same-site.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-same-site-and-cross-site-requests
func (j *Jar) crossSite(u *url.URL, siteForCookies string, via []*url.URL) bool {
	if siteForCookies == "" {
		return false
	}
	if siteForCookies == "null" {
		return true
	}
	so, err := url.Parse(siteForCookies)
	if err != nil || so.Host == "" {
		return true
	}
	if !j.sameSite(so, u) {
		return true
	}
	// A request redirected through another site is cross-site.
	for _, v := range via {
		if v != nil && !j.sameSite(so, v) {
			return true
		}
	}
	return false
}

// sameSite reports whether a and b are schemefully same-site: same scheme
// and same registrable domain (or the same host, when it has none).
// https://html.spec.whatwg.org/multipage/browsers.html#same-site
func (j *Jar) sameSite(a, b *url.URL) bool {
	sa, sb := strings.ToLower(a.Scheme), strings.ToLower(b.Scheme)
	if sa == "wss" {
		sa = "https"
	}
	if sb == "wss" {
		sb = "https"
	}
	if sa == "ws" {
		sa = "http"
	}
	if sb == "ws" {
		sb = "http"
	}
	return sa == sb && j.site(canonicalHost(a.Hostname())) == j.site(canonicalHost(b.Hostname()))
}

// site returns the key cookies of host are stored under: its registrable
// domain, or the host itself for IP addresses, single labels and public
// suffixes.
func (j *Jar) site(host string) string {
	if isIP(host) {
		return host
	}
	ps := j.psl.PublicSuffix(host)
	if ps == host || len(ps) >= len(host) {
		return host
	}
	rest := host[:len(host)-len(ps)-1]
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest + "." + ps
}

// isPublicSuffix reports whether domain is a public suffix.
func (j *Jar) isPublicSuffix(domain string) bool {
	return !isIP(domain) && j.psl.PublicSuffix(domain) == domain
}

// Len returns how many cookies the jar holds (expired ones not yet removed
// included).
func (j *Jar) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.total
}

// Clear removes every cookie.
func (j *Jar) Clear() {
	j.mu.Lock()
	j.entries = map[string]map[string]*entry{}
	j.total = 0
	j.mu.Unlock()
}

// RemoveSessionCookies removes the cookies that have no expiry, as a browser
// does when it restarts.
func (j *Jar) RemoveSessionCookies() {
	j.mu.Lock()
	defer j.mu.Unlock()
	for site, m := range j.entries {
		for id, e := range m {
			if !e.Persistent {
				delete(m, id)
				j.total--
			}
		}
		if len(m) == 0 {
			delete(j.entries, site)
		}
	}
}
