package fetch

import (
	"net/http"
	"net/url"

	"github.com/wfetch/wfetch/cookiejar"
	"github.com/wfetch/wfetch/request"
)

// NewCookieJar returns an empty in-memory, browser-grade cookie jar
// (cookiejar.New(nil): RFC 6265bis with size and count limits, the name
// prefixes, Secure only from secure origins, SameSite and the public suffix
// list), ready for WithCookieJar.
func NewCookieJar() http.CookieJar {
	return cookiejar.New(nil)
}

// SiteCookieJar is a cookie jar that also takes a request's site for
// cookies, so it can enforce SameSite; *cookiejar.Jar is one. When the
// jar given to WithCookieJar is a SiteCookieJar, fetch calls these methods
// instead of Cookies and SetCookies.
//
// siteForCookies is the client's serialized origin ("https://app.example"),
// or "" for a client without an origin (a server runtime), which has no
// site: RFC 6265bis counts such requests as same-site. via lists the URLs
// the request went through before u when it was redirected (only given
// when the client has an origin). fetch() is never a top-level navigation,
// so a cross-site request carries no SameSite=Strict or Lax cookie.
// https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-same-site-and-cross-site-requests
type SiteCookieJar interface {
	http.CookieJar
	// CookiesForRequest returns the cookies to send with a request to u, in
	// Cookie header order.
	CookiesForRequest(u *url.URL, siteForCookies string, via []*url.URL) []*http.Cookie
	// SetCookiesFromResponse stores the cookies of a response from u.
	SetCookiesFromResponse(u *url.URL, siteForCookies string, via []*url.URL, cookies []*http.Cookie)
}

var _ SiteCookieJar = (*cookiejar.Jar)(nil)

// jarCookies returns the jar's cookies for a request to u (req's current
// URL), with the client's site when the jar takes one.
func (c *Client) jarCookies(req *request.Internal, u *url.URL) []*http.Cookie {
	if sj, ok := c.jar.(SiteCookieJar); ok {
		site, via := c.cookieSite(req)
		return sj.CookiesForRequest(u, site, via)
	}
	return c.jar.Cookies(u)
}

// jarSetCookies stores a response's cookies for a request to u (req's
// current URL).
func (c *Client) jarSetCookies(req *request.Internal, u *url.URL, cookies []*http.Cookie) {
	if sj, ok := c.jar.(SiteCookieJar); ok {
		site, via := c.cookieSite(req)
		sj.SetCookiesFromResponse(u, site, via, cookies)
		return
	}
	c.jar.SetCookies(u, cookies)
}

// cookieSite returns the client's site for cookies (its origin, "" when it
// has none) and the URLs req was redirected through.
func (c *Client) cookieSite(req *request.Internal) (string, []*url.URL) {
	if c.origin == nil {
		return "", nil
	}
	var via []*url.URL
	if n := len(req.URLList); n > 1 {
		via = make([]*url.URL, n-1)
		for i, u := range req.URLList[:n-1] {
			via[i] = u.NetURL()
		}
	}
	return c.origin.Serialize(), via
}
