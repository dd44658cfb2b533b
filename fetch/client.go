package fetch

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wfetch/wfetch/cors"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/referrer"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/weburl"
)

// DefaultMaxRedirects is the Fetch Standard's redirect limit: a request's
// redirect count may reach 20, the 21st redirect is a network error.
// https://fetch.spec.whatwg.org/#http-redirect-fetch (step 7)
const DefaultMaxRedirects = 20

// DefaultUserAgent is the User-Agent value a Client sends when the request
// has none and no WithUserAgent option was given.
const DefaultUserAgent = "wfetch"

// DefaultAcceptEncoding is the Accept-Encoding value fetch sends: every
// content coding package coding decodes.
const DefaultAcceptEncoding = "gzip, deflate, br, zstd"

// Client is the environment fetches run in: the user agent's state that the
// Fetch Standard takes from a request's client (origin, base URL, default
// referrer policy) plus the network stack (cookie jar, transport, proxy, TLS,
// timeouts) and the hooks an embedder needs (redirects, logins,
// interceptors).
//
// A Client with no origin (the default) has server semantics: requests have
// an opaque origin that is never sent, no CORS check applies, and forbidden
// request-header names may be set. A Client with an origin (WithOrigin)
// behaves like a browser document of that origin: mode and response tainting
// apply, cross-origin responses are CORS-checked and filtered, and an Origin
// header is sent as the standard says.
//
// A Client is safe for concurrent use. Build one with NewClient; the zero
// Client is not usable.
type Client struct {
	origin         *weburl.Origin // nil: no client origin (server runtime)
	baseURL        *weburl.URL
	referrerPolicy referrer.Policy
	jar            http.CookieJar
	cache          HTTPCache
	revalidator    revalidator // background stale-while-revalidate fetches (httpcache.go)
	userAgent      string
	maxRedirects   int
	redirectHook   func(RedirectInfo) error
	loginHook      func(context.Context, AuthChallenge) (user, pass string, ok bool)
	fileRoot       string // "" : file: URLs are a network error
	blobs          *BlobStore
	acceptLanguage string

	// network stack
	transport      http.RoundTripper // after interceptors
	ownTransport   *http.Transport   // the transport we built, if any
	dial           func(ctx context.Context, network, addr string) (net.Conn, error)
	tlsConfig      *tls.Config
	proxy          func(*http.Request) (*url.URL, error)
	proxySet       bool
	headerTimeout  time.Duration
	bodyTimeout    time.Duration
	dialTimeout    time.Duration
	maxIdlePerHost int   // 0: the default (DefaultMaxIdleConnsPerHost)
	maxBodySize    int64 // decoded body limit; 0: DefaultMaxBodySize, <0: none
	interceptors   []Interceptor
	userTransport  http.RoundTripper

	// timeouts and limits (WithTLSHandshakeTimeout and the options after it)
	tlsHandshakeTimeout time.Duration
	sendTimeout         time.Duration
	totalTimeout        time.Duration
	maxHeaderBytes      int64

	env         *request.Environment
	envOpt      request.Option // request.WithEnvironment(env), made once
	preflight   *cors.Cache
	authEntries sync.Map // serialized origin → Authorization value
	// hasAuthEntries is set once authEntries has an entry.
	hasAuthEntries atomic.Bool

	err error // a bad option, reported by every fetch

	// Go-client features beyond the standard (retry.go, middleware.go,
	// defaults.go).
	retry          *RetryPolicy
	middleware     []Middleware
	handler        Handler // the middleware chain; nil without middleware
	defaultHeaders []headers.Field
}

// Option configures a Client.
type Option func(*Client)

// Interceptor is middleware around HTTP-network fetch: it receives the next
// round tripper (eventually the transport) and returns one that may inspect
// or change the outgoing *http.Request and the incoming *http.Response, or
// answer without touching the network. Interceptors run in the order given:
// the first one is outermost.
type Interceptor func(next http.RoundTripper) http.RoundTripper

// RoundTripperFunc adapts a function to http.RoundTripper, for writing
// interceptors.
type RoundTripperFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f(r).
func (f RoundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// RedirectInfo describes a redirect fetch is about to follow; a redirect hook
// (WithRedirectHook) sees it before the next request is made.
type RedirectInfo struct {
	// Status is the redirect response's status (301, 302, 303, 307, 308).
	Status int
	// Method is the method the next request will use (after a 301/302 POST
	// or 303 rewrite to GET).
	Method string
	// URL is the serialized location URL the request goes to next.
	URL string
	// From is the serialized URL that answered with the redirect.
	From string
	// Header is a copy of the redirect response's headers.
	Header http.Header
	// Count is the request's redirect count once this redirect is taken (1
	// for the first).
	Count int
}

// AuthChallenge describes a 401 response with a WWW-Authenticate header; a
// login hook (WithLoginHook) may answer it with a user name and password.
type AuthChallenge struct {
	// URL is the serialized URL that asked for authentication.
	URL string
	// Status is 401.
	Status int
	// Challenges are the WWW-Authenticate header values.
	Challenges []string
	// Realm is the realm parameter of the first challenge, if any.
	Realm string
}

// HTTPCache is the HTTP cache a Client consults for cache modes other than
// no-store. Package cache provides one; nil (the default) means no cache, in
// which case every request behaves as cache mode "no-store" without its
// Pragma/Cache-Control headers being added for that reason.
type HTTPCache interface {
	// Lookup returns a stored response for the request, and whether it is
	// stale (needs validation). A nil response means none is stored.
	Lookup(req *http.Request) (resp *http.Response, stale bool)
	// Store offers a network response for storing. It returns the response
	// to use in its place (which may be resp itself), so that a cache can tee
	// the body.
	Store(req *http.Request, resp *http.Response) *http.Response
	// Freshen updates a stored response with the headers of a 304 answer to
	// its revalidation and returns the updated stored response.
	Freshen(req *http.Request, stored, notModified *http.Response) *http.Response
	// Invalidate drops stored responses for req's URL after an unsafe method
	// succeeded.
	Invalidate(req *http.Request)
}

// NewClient returns a Client configured by opts. Without options it behaves
// like a server runtime (Node.js, Deno): no origin, no cookies, no cache,
// http(s), data:, blob: and about: URLs, and up to 20 redirects.
func NewClient(opts ...Option) *Client {
	c := &Client{
		maxRedirects: DefaultMaxRedirects,
		userAgent:    DefaultUserAgent,
		blobs:        NewBlobStore(),
		preflight:    cors.NewCache(),
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	c.buildTransport()
	c.buildHandler()
	c.env = &request.Environment{
		BaseURL:        c.baseURL,
		Origin:         c.origin,
		ReferrerPolicy: request.ReferrerPolicy(c.referrerPolicy),
	}
	c.envOpt = request.WithEnvironment(c.env)
	return c
}

var (
	defaultClientOnce sync.Once
	defaultClient     *Client
)

// DefaultClient returns the Client that Fetch uses: NewClient() without
// options.
func DefaultClient() *Client {
	defaultClientOnce.Do(func() { defaultClient = NewClient() })
	return defaultClient
}

// WithOrigin gives the client an origin, turning on browser-document
// semantics (see Client). origin is a URL whose origin is taken
// ("https://example.com", "http://127.0.0.1:8080/page"); a URL that does not
// parse makes every fetch fail with its TypeError.
func WithOrigin(origin string) Option {
	return func(c *Client) {
		u, err := weburl.Parse(origin, nil)
		if err != nil {
			c.err = err
			return
		}
		o := u.Origin()
		c.origin = &o
		if c.baseURL == nil {
			c.baseURL = u
		}
	}
}

// WithBaseURL sets the URL relative request URLs are parsed against
// (fetch("/path")). Without it (and without WithOrigin), relative URLs are a
// TypeError, as in a server runtime.
func WithBaseURL(base string) Option {
	return func(c *Client) {
		u, err := weburl.Parse(base, nil)
		if err != nil {
			c.err = err
			return
		}
		c.baseURL = u
	}
}

// WithReferrerPolicy sets the client's referrer policy (the policy
// container's), used when a request has none. An unknown policy makes every
// fetch fail with a TypeError.
func WithReferrerPolicy(policy string) Option {
	return func(c *Client) {
		p, ok := referrer.ParsePolicy(policy)
		if !ok {
			c.err = errTypef("WithReferrerPolicy: %q is not a referrer policy", policy)
			return
		}
		c.referrerPolicy = p
	}
}

// WithCookieJar makes the client send cookies from jar and store Set-Cookie
// headers in it, when a request's credentials mode allows (see
// NewCookieJar). nil means no cookies.
func WithCookieJar(jar http.CookieJar) Option {
	return func(c *Client) { c.jar = jar }
}

// WithHTTPCache makes the client consult cache according to each request's
// cache mode.
func WithHTTPCache(cache HTTPCache) Option {
	return func(c *Client) { c.cache = cache }
}

// WithTransport replaces the network transport. The transport must not
// follow redirects, add cookies or decompress bodies: fetch does those
// itself. WithDialContext, WithTLSConfig, WithProxy, the dial, TLS, send
// and header timeouts and WithMaxResponseHeaderBytes then have no effect
// (WithBodyTimeout and WithTotalTimeout still apply).
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) { c.userTransport = rt }
}

// WithDialContext sets how connections are dialed (for example to resolve
// test host names to 127.0.0.1).
func WithDialContext(dial func(ctx context.Context, network, addr string) (net.Conn, error)) Option {
	return func(c *Client) { c.dial = dial }
}

// WithTLSConfig sets the TLS configuration (root CAs, client certificates).
// It is cloned.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *Client) {
		if cfg != nil {
			cfg = cfg.Clone()
		}
		c.tlsConfig = cfg
	}
}

// WithProxy sets how a proxy is chosen for a request, as
// http.Transport.Proxy does. The default is http.ProxyFromEnvironment; pass
// nil for no proxy.
func WithProxy(proxy func(*http.Request) (*url.URL, error)) Option {
	return func(c *Client) { c.proxy, c.proxySet = proxy, true }
}

// WithUserAgent sets the User-Agent value sent when a request has none. The
// empty string sends no User-Agent header at all.
func WithUserAgent(ua string) Option {
	return func(c *Client) { c.userAgent = ua }
}

// WithAcceptLanguage sets an Accept-Language value sent when a request has
// none. By default none is sent.
func WithAcceptLanguage(lang string) Option {
	return func(c *Client) { c.acceptLanguage = lang }
}

// WithMaxRedirects sets how many redirects a request may follow (default
// 20). A negative n is treated as 0.
func WithMaxRedirects(n int) Option {
	return func(c *Client) { c.maxRedirects = max(n, 0) }
}

// Timeouts and limits. A timeout that runs out fails the fetch with a
// network error of reason "timeout" whose cause is a *TimeoutError naming
// the phase (errors.Is(err, ErrTimeout) holds); see TimeoutPhase.

// WithDialTimeout limits how long a TCP connect (not TLS) may take, phase
// "dial". It also applies to a WithDialContext function. 0 means
// DefaultDialTimeout (30 s) for the built-in dialer and no limit for a
// WithDialContext one.
func WithDialTimeout(d time.Duration) Option {
	return func(c *Client) { c.dialTimeout = d }
}

// WithTLSHandshakeTimeout limits how long a TLS handshake may take, phase
// "tls". 0 means DefaultTLSHandshakeTimeout (10 s).
func WithTLSHandshakeTimeout(d time.Duration) Option {
	return func(c *Client) { c.tlsHandshakeTimeout = d }
}

// WithSendTimeout limits how long each write of the request (header
// section, body chunks) may stall, phase "send": a server that stops
// reading a large upload fails the fetch after d instead of holding it
// until the caller's context ends. 0 (the default) means no limit.
func WithSendTimeout(d time.Duration) Option {
	return func(c *Client) { c.sendTimeout = d }
}

// WithHeaderTimeout limits the time from sending a request to receiving its
// response headers, phase "headers". The clock starts once the request,
// body included, is written: a server that never reads the upload is
// WithSendTimeout's. 0 (the default) means no limit. The response body is
// not covered (see WithBodyTimeout and WithTotalTimeout).
func WithHeaderTimeout(d time.Duration) Option {
	return func(c *Client) { c.headerTimeout = d }
}

// WithBodyTimeout limits how long a response body may go without data,
// phase "body": when a read waits longer than d for the next bytes, the
// connection is closed and the read fails. 0 (the default) means no limit.
// It applies to any transport, WithTransport's included.
func WithBodyTimeout(d time.Duration) Option {
	return func(c *Client) { c.bodyTimeout = d }
}

// WithTotalTimeout limits a whole fetch, from the call to the end of its
// body, phase "total". Past it the fetch is aborted as by a signal: Fetch or
// the body read fails with a "TimeoutError" DOMException whose cause is the
// *TimeoutError. 0 (the default) means no limit (the caller's context or
// signal may still set one). Like AbortSignal.timeout's, the timer lives
// until it fires, also when the fetch ended earlier (a few hundred bytes,
// no goroutine).
func WithTotalTimeout(d time.Duration) Option {
	return func(c *Client) { c.totalTimeout = d }
}

// WithMaxResponseHeaderBytes limits the size of a response header section
// (interim responses' included); a larger one fails the fetch with reason
// "header-too-large". 0 means DefaultMaxResponseHeaderBytes (256 KiB, as
// Chrome). Only the transport a Client builds applies it.
func WithMaxResponseHeaderBytes(n int64) Option {
	return func(c *Client) { c.maxHeaderBytes = n }
}

// WithRedirectHook calls hook before every redirect fetch follows, like
// Electron's 'redirect' event. Returning nil follows the redirect; returning
// an error stops it and the fetch fails with a network error (reason
// "redirect") wrapping that error.
func WithRedirectHook(hook func(RedirectInfo) error) Option {
	return func(c *Client) { c.redirectHook = hook }
}

// WithLoginHook calls hook when a response is a 401 with a WWW-Authenticate
// header and the request includes credentials, like Electron's 'login'
// event. When hook returns ok, the request is repeated once with those
// credentials (HTTP Basic); otherwise the 401 response is returned.
func WithLoginHook(hook func(ctx context.Context, challenge AuthChallenge) (user, pass string, ok bool)) Option {
	return func(c *Client) { c.loginHook = hook }
}

// WithFileAccess lets the client fetch file: URLs, read-only, for files
// under root (a directory path; "/" allows every file). Without it file: URLs
// are a network error. Responses carry a Content-Type guessed from the file
// name's extension.
func WithFileAccess(root string) Option {
	return func(c *Client) { c.fileRoot = root }
}

// WithInterceptor adds middleware around HTTP-network fetch (see
// Interceptor).
func WithInterceptor(ic ...Interceptor) Option {
	return func(c *Client) { c.interceptors = append(c.interceptors, ic...) }
}

// WithBlobStore makes the client resolve blob: URLs in store, so several
// clients can share one store. Each client has its own store by default.
func WithBlobStore(store *BlobStore) Option {
	return func(c *Client) {
		if store != nil {
			c.blobs = store
		}
	}
}

// Blobs returns the client's blob URL store, where CreateObjectURL registers
// blobs that the client's fetches can read through blob: URLs.
func (c *Client) Blobs() *BlobStore { return c.blobs }

// Origin returns the serialized origin of the client, or "" when it has none.
func (c *Client) Origin() string {
	if c.origin == nil {
		return ""
	}
	return c.origin.Serialize()
}

// CloseIdleConnections closes the idle connections of the client's transport.
func (c *Client) CloseIdleConnections() {
	type closeIdler interface{ CloseIdleConnections() }
	if ci, ok := c.baseTransport().(closeIdler); ok {
		ci.CloseIdleConnections()
	}
}

func (c *Client) baseTransport() http.RoundTripper {
	if c.userTransport != nil {
		return c.userTransport
	}
	return c.ownTransport
}
