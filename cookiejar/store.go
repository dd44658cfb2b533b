package cookiejar

import (
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// SetCookiesFromResponse stores the cookies of a response from u to a
// request made by a client whose site for cookies is siteForCookies (see
// CookiesForRequest), redirected through via. Each cookie goes through the
// storage model of RFC 6265bis; a cookie that breaks a rule is ignored.
func (j *Jar) SetCookiesFromResponse(u *url.URL, siteForCookies string, via []*url.URL, cookies []*http.Cookie) {
	if u == nil || len(cookies) == 0 || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
		return
	}
	crossSite := j.crossSite(u, siteForCookies, via)
	now := j.now()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cookies {
		if e := j.newEntry(u, c, crossSite, now); e != nil {
			j.insert(e, now)
		}
	}
}

// newEntry runs the storage model's steps up to the insertion for one
// cookie from u, returning the cookie to insert or nil to ignore it.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-storage-model
func (j *Jar) newEntry(u *url.URL, c *http.Cookie, crossSite bool, now time.Time) *entry {
	if c == nil {
		return nil
	}
	host := canonicalHost(u.Hostname())
	if host == "" {
		return nil
	}
	name, value := c.Name, c.Value
	if c.Quoted {
		value = `"` + value + `"`
	}
	// 2. A cookie needs a name or a value (net/http never yields an empty
	// name; one given directly is refused, see the package doc).
	if name == "" {
		return nil
	}
	// 3. No control characters in the name or the value.
	if hasCTL(name) || hasCTL(value) {
		return nil
	}
	// 4. Name and value together within the size limit.
	if len(name)+len(value) > j.maxSize {
		return nil
	}
	// 5. Creation and last-access times.
	e := &entry{Name: name, Value: value, Creation: now, LastAccess: now}
	// 6. Expiry: Max-Age, else Expires, else a session cookie; capped at
	// 400 days.
	switch {
	case c.MaxAge < 0:
		e.Persistent, e.Expires = true, time.Unix(0, 0)
	case c.MaxAge > 0:
		e.Persistent = true
		d := time.Duration(c.MaxAge) * time.Second
		if d > MaxAge || d < 0 {
			d = MaxAge
		}
		e.Expires = now.Add(d)
	case !c.Expires.IsZero():
		e.Persistent = true
		e.Expires = c.Expires
		if e.Expires.After(now.Add(MaxAge)) {
			e.Expires = now.Add(MaxAge)
		}
	}
	// 7. The Domain attribute (a too long one is ignored).
	domain := c.Domain
	if len(domain) > DefaultMaxAttributeSize {
		domain = ""
	}
	domain = canonicalHost(strings.TrimPrefix(domain, "."))
	// 8. A public suffix as Domain: allowed only as the host itself (then
	// host-only).
	if domain != "" && j.isPublicSuffix(domain) {
		if domain != host {
			return nil
		}
		domain = ""
	}
	// 9. The domain must match the host; without one the cookie is
	// host-only. An IP address only takes itself.
	if domain != "" {
		if !domainMatch(host, domain) || (isIP(host) && domain != host) {
			return nil
		}
		e.HostOnly, e.Domain = false, domain
		if isIP(host) {
			e.HostOnly = true
		}
	} else {
		e.HostOnly, e.Domain = true, host
	}
	// 10. The Path attribute, else the default path.
	if p := c.Path; p != "" && p[0] == '/' && len(p) <= DefaultMaxAttributeSize {
		e.Path = p
	} else {
		e.Path = defaultPath(u)
	}
	// 11. Secure cookies only from secure origins.
	secure := isSecure(u)
	if c.Secure {
		if !secure {
			return nil
		}
		e.Secure = true
	}
	// 12. HttpOnly. (13: every caller is an HTTP API.)
	e.HTTPOnly = c.HttpOnly
	// 14. A non-secure origin leaves Secure cookies of the same name alone.
	if !secure && j.shadowsSecure(e) {
		return nil
	}
	// 15. The same-site flag.
	switch c.SameSite {
	case http.SameSiteStrictMode:
		e.SameSite = "strict"
	case http.SameSiteLaxMode:
		e.SameSite = "lax"
	case http.SameSiteNoneMode:
		e.SameSite = "none"
	default:
		e.SameSite = "default"
	}
	// 16. A cross-site response (never a top-level navigation for fetch)
	// cannot set a cookie that would not be sent cross-site.
	if crossSite && !j.sameSiteNone(e) {
		return nil
	}
	// 17. SameSite=None needs Secure.
	if e.SameSite == "none" && !e.Secure {
		return nil
	}
	// 18. The name prefixes.
	if !prefixesAllow(e, c.Domain != "") {
		return nil
	}
	return e
}

// prefixesAllow checks the cookie name prefixes (case-insensitively).
// hadDomain says the Set-Cookie had a Domain attribute.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-cookie-name-prefixes
func prefixesAllow(e *entry, hadDomain bool) bool {
	n := strings.ToLower(e.Name)
	switch {
	case strings.HasPrefix(n, "__secure-"):
		return e.Secure
	case strings.HasPrefix(n, "__host-http-"):
		return e.Secure && e.HTTPOnly && !hadDomain && e.HostOnly && e.Path == "/"
	case strings.HasPrefix(n, "__http-"):
		return e.Secure && e.HTTPOnly
	case strings.HasPrefix(n, "__host-"):
		return e.Secure && !hadDomain && e.HostOnly && e.Path == "/"
	}
	return true
}

// shadowsSecure reports whether e (from a non-secure origin) would
// overwrite or shadow a Secure cookie: one of the same name whose domain
// and e's domain-match either way and whose path e's path matches.
func (j *Jar) shadowsSecure(e *entry) bool {
	for _, old := range j.entries[j.site(e.Domain)] {
		if old.Secure && old.Name == e.Name &&
			(domainMatch(old.Domain, e.Domain) || domainMatch(e.Domain, old.Domain)) &&
			pathMatch(e.Path, old.Path) {
			return true
		}
	}
	return false
}

// insert runs the storage model's last steps: replace the old cookie of
// the same name, domain, host-only flag and path (keeping its creation
// time), drop expired cookies, and evict past the limits. The caller holds
// j.mu.
func (j *Jar) insert(e *entry, now time.Time) {
	site := j.site(e.Domain)
	m := j.entries[site]
	if m == nil {
		m = map[string]*entry{}
		j.entries[site] = m
	}
	id := e.id()
	// 19. Replace the old cookie.
	if old, ok := m[id]; ok {
		e.Creation = old.Creation
		e.seq = old.seq
		delete(m, id)
		j.total--
	} else {
		j.seq++
		e.seq = j.seq
	}
	// An already expired cookie only deletes.
	if e.expired(now) {
		if len(m) == 0 {
			delete(j.entries, site)
		}
		return
	}
	// 20. Insert.
	m[id] = e
	j.total++
	// 21. Limits: expired cookies first, then the least recently used.
	if len(m) > j.maxPerSite {
		j.evict(m, len(m)-j.maxPerSite, now)
	}
	if j.total > j.maxTotal {
		j.evictAll(j.total-j.maxTotal, now)
	}
}

// evict removes n cookies of one site: expired ones, then the least
// recently accessed.
func (j *Jar) evict(m map[string]*entry, n int, now time.Time) {
	if n == 1 {
		// The common case (one cookie over): a scan, no sort.
		var victim *entry
		for _, e := range m {
			if victim == nil || evictsBefore(e, victim, now) {
				victim = e
			}
		}
		delete(m, victim.id())
		j.total--
		return
	}
	list := make([]*entry, 0, len(m))
	for _, e := range m {
		list = append(list, e)
	}
	for _, e := range evictionOrder(list, now)[:n] {
		delete(m, e.id())
		j.total--
	}
}

// evictAll removes n cookies across sites, in eviction order.
func (j *Jar) evictAll(n int, now time.Time) {
	list := make([]*entry, 0, j.total)
	for _, m := range j.entries {
		for _, e := range m {
			list = append(list, e)
		}
	}
	for _, e := range evictionOrder(list, now)[:n] {
		site := j.site(e.Domain)
		delete(j.entries[site], e.id())
		if len(j.entries[site]) == 0 {
			delete(j.entries, site)
		}
		j.total--
	}
}

// evictionOrder sorts list: expired first, then by last access, then by
// insertion.
func evictionOrder(list []*entry, now time.Time) []*entry {
	sort.Slice(list, func(a, b int) bool { return evictsBefore(list[a], list[b], now) })
	return list
}

// evictsBefore reports whether a goes before b when evicting.
func evictsBefore(a, b *entry, now time.Time) bool {
	ea, eb := a.expired(now), b.expired(now)
	if ea != eb {
		return ea
	}
	if !a.LastAccess.Equal(b.LastAccess) {
		return a.LastAccess.Before(b.LastAccess)
	}
	return a.seq < b.seq
}

// hasCTL reports whether s holds a control character other than tab.
func hasCTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}

// canonicalHost lowercases host and drops a trailing dot and IPv6
// brackets.
func canonicalHost(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

func isIP(host string) bool { return net.ParseIP(host) != nil }

// domainMatch reports whether host domain-matches domain.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-domain-matching
func domainMatch(host, domain string) bool {
	if host == domain {
		return true
	}
	return !isIP(host) && strings.HasSuffix(host, domain) && host[len(host)-len(domain)-1] == '.'
}

// defaultPath is the cookie default-path of u.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-paths-and-path-match
func defaultPath(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" || p[0] != '/' {
		return "/"
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// pathMatch reports whether the request path reqPath path-matches the
// cookie path.
func pathMatch(reqPath, cookiePath string) bool {
	if reqPath == cookiePath {
		return true
	}
	if strings.HasPrefix(reqPath, cookiePath) {
		return cookiePath[len(cookiePath)-1] == '/' || reqPath[len(cookiePath)] == '/'
	}
	return false
}

// isSecure reports whether u is a secure origin for cookies: https or wss,
// or a loopback host.
func isSecure(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return true
	}
	h := canonicalHost(u.Hostname())
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
