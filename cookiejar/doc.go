// Package cookiejar is a browser-grade cookie store for fetch clients,
// following RFC 6265bis (draft-ietf-httpbis-rfc6265bis, "Cookies: HTTP State
// Management Mechanism"): the storage model, the retrieval algorithm,
// same-site enforcement, the cookie name prefixes and the limits a browser
// applies.
//
//	jar := cookiejar.New(nil)
//	c := fetch.NewClient(fetch.WithCookieJar(jar))
//
// A *Jar is an http.CookieJar, and it also has the richer methods
// CookiesForRequest and SetCookiesFromResponse, which take the request's
// "site for cookies" so SameSite can be enforced; package fetch calls them
// when the jar has them (see fetch.SiteCookieJar).
//
// # Rules
//
//   - Size: a cookie whose name and value together exceed 4096 bytes is
//     refused; a Domain or Path attribute longer than 1024 bytes is ignored
//     (RFC 6265bis section 5.6 and 5.7).
//   - Count: at most 180 cookies per site (registrable domain, or host for
//     IP addresses and public suffixes) and 3000 in total, as Chrome and
//     Firefox do (RFC 6265bis section 6.1 asks for at least 50 and 3000).
//     Past a limit, expired cookies go first, then the least recently used
//     ones. Options change the numbers.
//   - Domain: a Domain attribute must domain-match the request host and must
//     not be a public suffix (golang.org/x/net/publicsuffix), unless it is
//     the host itself (then the cookie is host-only). An IP address host
//     only takes a Domain equal to itself.
//   - Secure: a Secure cookie is set only from a secure origin and sent only
//     to one. Secure means https or wss, or a loopback host (localhost,
//     127.0.0.0/8, ::1), which browsers treat as potentially trustworthy.
//     A non-secure origin cannot overwrite or shadow a Secure cookie of the
//     same name ("leave secure cookies alone").
//   - Prefixes (matched case-insensitively): __Secure- needs Secure (so a
//     secure origin); __Host- also needs no Domain attribute and Path=/;
//     __Http- and __Host-Http- additionally need HttpOnly.
//   - SameSite: the request is cross-site when its URL, or any URL it was
//     redirected through, is not schemefully same-site with the client's
//     site for cookies. A fetch is never a top-level navigation, so on a
//     cross-site request Strict and Lax cookies are neither sent nor stored.
//     SameSite=None needs Secure. A cookie without SameSite ("Default") is
//     treated as None, as Firefox and Safari do and RFC 6265bis allows;
//     Options.LaxByDefault treats it as Lax, as Chrome does.
//   - No site: a client without an origin (a server runtime, or the plain
//     http.CookieJar methods) has no site for cookies. RFC 6265bis (section
//     5.2) counts a request with no client as same-site, so such clients
//     send and store every cookie the other rules allow.
//   - Expiry: Max-Age wins over Expires; both are capped at 400 days.
//   - Order: cookies are returned longest path first, then oldest first
//     (RFC 6265bis section 5.8.3).
//
// # Persistence
//
// Save and Load write and read the whole jar as JSON (every attribute kept).
// SaveNetscape and LoadNetscape use the Netscape cookies.txt format that
// curl's -b and -c read and write (SameSite is not part of that format:
// loaded cookies get Default).
//
// # Deviations
//
//   - Cookies arrive already parsed by net/http (http.Response.Cookies),
//     whose Set-Cookie parser is stricter than a browser's: cookies with an
//     empty name, a name that is not a token or a value with a space, a
//     comma, a backslash or a double quote inside are dropped. A quoted
//     value keeps its quotes, as in browsers.
//   - Partitioned cookies (CHIPS) are stored unpartitioned.
//   - HttpOnly is recorded (and saved) but every caller is an HTTP API, so it
//     never hides a cookie.
package cookiejar
