package fetch

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wfetch/wfetch/abort"
	"github.com/wfetch/wfetch/body"
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/coding"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/referrer"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// httpNetworkOrCacheFetch runs HTTP-network-or-cache fetch.
// https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
func (c *Client) httpNetworkOrCacheFetch(fp *fetchParams, isAuthenticationFetch, isNewConnectionFetch bool) *response.Internal {
	// 1. The request.
	req := fp.req
	// 2-7. httpRequest, response, storedResponse, httpCache, revalidating.
	var httpReq *request.Internal
	var resp *response.Internal
	var stored *http.Response
	var storedReq *http.Request
	var httpCache HTTPCache
	revalidating := false

	// 8. Prepare the request (an abort is noticed at step 9).
	{
		// 8.1. Work on a copy of the request unless nothing could need the
		// original again. The copy shares the body: whoever needs the body
		// again re-extracts it from its source, as the standard does.
		if req.Window == request.WindowNoTraversable && req.Redirect == request.RedirectError && fp.loginHook() == nil {
			httpReq = req
		} else {
			httpReq = shallowCloneRequest(req)
		}
		// 8.2. Whether credentials (cookies, HTTP auth) go along.
		includeCredentials := req.Credentials == request.CredentialsInclude ||
			(req.Credentials == request.CredentialsSameOrigin && req.ResponseTainting == request.TaintingBasic)
		// 8.3. Cross-Origin-Embedder-Policy: not modelled.
		// 8.4. The body's length, -1 for null.
		contentLength := int64(-1)
		if httpReq.Body != nil {
			contentLength = httpReq.Body.Length
		}
		// 8.5-8.7. The Content-Length value: 0 for body-less POST and PUT.
		clValue := ""
		if httpReq.Body == nil && (httpReq.Method == "POST" || httpReq.Method == "PUT") {
			clValue = "0"
		}
		if contentLength >= 0 {
			clValue = strconv.FormatInt(contentLength, 10)
		}
		// 8.8. Append it.
		if clValue != "" {
			httpReq.Header.Append("Content-Length", clValue)
		}
		// 8.9. Keepalive bodies are limited to 64 KiB (in-flight keepalive
		// requests of the same group are not counted).
		if contentLength >= 0 && httpReq.Keepalive && contentLength > 64<<10 {
			return netErr(errs.ReasonBlocked, nil, "keepalive request body of %d bytes exceeds 64 KiB", contentLength)
		}
		// 8.10. Referer.
		if httpReq.Referrer.URL != nil {
			httpReq.Header.Append("Referer", httpReq.Referrer.URL.Serialize(false))
		}
		// 8.11. Origin.
		appendOriginHeader(httpReq)
		// 8.12. Fetch metadata headers (browser environments only).
		appendFetchMetadata(httpReq)
		// 8.13. Prefetches say so.
		if httpReq.Initiator == "prefetch" {
			httpReq.Header.Set("Sec-Purpose", "prefetch")
		}
		// 8.14. User-Agent.
		if !httpReq.Header.Contains("User-Agent") && c.userAgent != "" {
			httpReq.Header.Append("User-Agent", c.userAgent)
		}
		// 8.15. Conditional requests bypass the cache.
		if httpReq.Cache == request.CacheDefault && (httpReq.Header.Contains("If-Modified-Since") ||
			httpReq.Header.Contains("If-None-Match") || httpReq.Header.Contains("If-Unmodified-Since") ||
			httpReq.Header.Contains("If-Match") || httpReq.Header.Contains("If-Range")) {
			httpReq.Cache = request.CacheNoStore
		}
		// 8.16. no-cache asks for revalidation.
		if httpReq.Cache == request.CacheNoCache && !httpReq.PreventNoCacheCacheControlHeaderModification &&
			!httpReq.Header.Contains("Cache-Control") {
			httpReq.Header.Append("Cache-Control", "max-age=0")
		}
		// 8.17. no-store and reload bypass caches on the way.
		if httpReq.Cache == request.CacheNoStore || httpReq.Cache == request.CacheReload {
			if !httpReq.Header.Contains("Pragma") {
				httpReq.Header.Append("Pragma", "no-cache")
			}
			if !httpReq.Header.Contains("Cache-Control") {
				httpReq.Header.Append("Cache-Control", "no-cache")
			}
		}
		// 8.18. Range requests ask for the identity coding.
		if httpReq.Header.Contains("Range") {
			httpReq.Header.Append("Accept-Encoding", "identity")
		}
		// 8.19. Headers HTTP wants: Accept-Encoding (net/http's own
		// compression is off; we decode every coding we announce).
		if !httpReq.Header.Contains("Accept-Encoding") {
			httpReq.Header.Append("Accept-Encoding", DefaultAcceptEncoding)
		}
		// 8.20. Credentials: cookies and Authorization.
		if includeCredentials {
			// 8.20.1. Cookies from the jar.
			c.appendCookieHeader(httpReq)
			// 8.20.2. Authorization, unless the request has one.
			if !httpReq.Header.Contains("Authorization") {
				authValue := ""
				if isAuthenticationFetch && fp.hasAuth {
					// The credentials the login hook gave.
					authValue = basicAuth(fp.authUser, fp.authPass)
				} else if c.hasAuthEntries.Load() {
					if v, ok := c.authEntries.Load(httpReq.CurrentURL().Origin().Serialize()); ok {
						authValue = v.(string)
					}
				}
				if authValue != "" {
					httpReq.Header.Append("Authorization", authValue)
				}
			}
		}
		// 8.21-8.22. Proxy authentication entries and WebDriver: not modelled.
		// 8.23. The HTTP cache.
		httpCache = c.cache
		// 8.24. No cache: no-store.
		if httpCache == nil {
			httpReq.Cache = request.CacheNoStore
		}
		// 8.25. Look for a stored response.
		if httpReq.Cache != request.CacheNoStore && httpReq.Cache != request.CacheReload {
			storedReq = c.newHTTPRequest(c.cacheContext(fp, httpReq, includeCredentials), httpReq)
			var stale bool
			stored, stale = httpCache.Lookup(storedReq)
			if stored != nil {
				// 8.25.2.1. A stale-while-revalidate response is used as
				// is while a copy of the request revalidates it.
				outcome := response.CacheHit
				if stale && httpReq.Cache == request.CacheDefault && c.staleWhileRevalidate(storedReq, stored) {
					c.revalidateInBackground(fp, revalidationKey(storedReq))
					stale, outcome = false, response.CacheStale
				}
				// 8.25.2.2. A stale response needs validation.
				revalidating = stale
				if revalidating && httpReq.Cache != request.CacheForceCache && httpReq.Cache != request.CacheOnlyIfCached {
					if v := stored.Header.Get("ETag"); v != "" {
						httpReq.Header.Append("If-None-Match", v)
					}
					if v := stored.Header.Get("Last-Modified"); v != "" {
						httpReq.Header.Append("If-Modified-Since", v)
					}
				} else {
					resp = c.responseFromHTTP(fp, stored, nil)
					resp.CacheState = response.CacheStateLocal
					if stale {
						outcome = response.CacheStale
					}
					resp.CacheOutcome = outcome
				}
			}
		}

		// 9. Aborted: the appropriate network error.
		if fp.canceled() {
			if resp != nil {
				discardBody(resp)
			}
			return fp.appropriateNetworkError()
		}
		// 10. WebDriver: not modelled.
		// 11. Go to the network.
		if resp == nil {
			// 11.1. only-if-cached without a stored response fails (also
			// with no cache at all, which step 8.24 turned into no-store).
			if httpReq.Cache == request.CacheOnlyIfCached || req.Cache == request.CacheOnlyIfCached {
				return netErr(errs.ReasonCache, nil, "cache mode only-if-cached and no cached response for %s", httpReq.CurrentURL().Href())
			}
			// 11.2. HTTP-network fetch.
			var forward *response.Internal
			var forwardHTTP *http.Response
			forward, forwardHTTP = c.httpNetworkFetch(fp, httpReq, includeCredentials, isNewConnectionFetch)
			if forward.IsNetworkError() {
				return forward
			}
			if httpCache != nil {
				hr := storedReq
				if hr == nil {
					hr = c.newHTTPRequest(c.cacheContext(fp, httpReq, includeCredentials), httpReq)
				}
				// 11.3. Unsafe methods that succeeded invalidate.
				if !isSafeMethod(httpReq.Method) && forward.Status >= 200 && forward.Status <= 399 {
					httpCache.Invalidate(hr)
					stored = nil
				}
				// 11.4. A 304 to a revalidation freshens the stored response.
				if revalidating && forward.Status == 304 && stored != nil {
					discardBody(forward)
					fp.live = nil
					fresh := httpCache.Freshen(hr, stored, forwardHTTP)
					resp = c.responseFromHTTP(fp, fresh, nil)
					resp.CacheState = response.CacheStateValidated
					resp.CacheOutcome = response.CacheRevalidated
				}
				// 11.5. Otherwise the network response, offered for storing.
				if resp == nil && httpReq.Cache != request.CacheNoStore {
					origBody := forwardHTTP.Body
					first := forward
					if kept := httpCache.Store(hr, forwardHTTP); kept != nil && (kept != forwardHTTP || kept.Body != origBody) {
						// The cache replaced the body (to tee it): the live
						// network body reads the new one instead.
						forward = c.responseFromHTTP(fp, kept, fp.live)
					}
					// The first response's stream stays reachable until the
					// network body is attached to the new one: collected
					// earlier, its cleanup would close the network body
					// that the cache's tee reads.
					runtime.KeepAlive(first)
				}
			}
			if resp == nil {
				resp = forward
				if httpCache != nil && httpReq.Cache != request.CacheNoStore {
					resp.CacheOutcome = response.CacheMiss
				}
			}
		}
		// 12. The URL list.
		resp.URLList = cloneURLs(httpReq.URLList)
		// 13. Range requested.
		if httpReq.Header.Contains("Range") {
			resp.RangeRequested = true
		}
		// 14. Whether credentials were included.
		resp.RequestIncludesCredentials = includeCredentials
		// 15. 401 with a way to ask for credentials (the login hook).
		if resp.Status == 401 && httpReq.ResponseTainting != request.TaintingCORS && includeCredentials &&
			fp.loginHook() != nil && resp.Header.Contains("WWW-Authenticate") && fp.loginAttempts < maxLoginAttempts {
			// 15.1. The body must be sent again.
			if req.Body != nil {
				if req.Body.Source == nil {
					c.discard(fp, resp)
					return netErr(errs.ReasonOther, nil, "authentication needed, but the request body was a stream and cannot be sent again")
				}
				nb, err := req.Body.Reextract()
				if err != nil {
					c.discard(fp, resp)
					return response.NetworkError(errs.Network(errs.ReasonOther, err, "cannot send the request body again"))
				}
				req.Body = nb
			}
			// 15.2. Ask for credentials.
			if !req.UseURLCredentials || isAuthenticationFetch {
				if fp.canceled() {
					c.discard(fp, resp)
					return fp.appropriateNetworkError()
				}
				ch := AuthChallenge{URL: httpReq.CurrentURL().Href(), Status: 401, Challenges: resp.Header.Values("WWW-Authenticate")}
				ch.Realm = challengeRealm(ch.Challenges)
				fp.loginAttempts++
				user, pass, ok := fp.loginHook()(fp.ctx, ch)
				if !ok {
					// The user declined: the 401 is the response.
					return resp
				}
				fp.authUser, fp.authPass, fp.hasAuth = user, pass, true
			}
			// 15.3. Try again with them.
			c.discard(fp, resp)
			resp = c.httpNetworkOrCacheFetch(fp, true, false)
		}
		// 16. 407: with no way to prompt for proxy credentials, a network
		// error.
		if resp.Status == 407 {
			c.discard(fp, resp)
			return netErr(errs.ReasonOther, nil, "proxy authentication required")
		}
		// 17. 421: retry once on a new connection when the body allows.
		if resp.Status == 421 && !isNewConnectionFetch && (req.Body == nil || req.Body.Source != nil) {
			if fp.canceled() {
				c.discard(fp, resp)
				return fp.appropriateNetworkError()
			}
			if req.Body != nil {
				if nb, err := req.Body.Reextract(); err == nil {
					req.Body = nb
				}
			}
			// Close the 421's connection rather than reuse it.
			if fp.live != nil {
				fp.live.Close()
				fp.live = nil
			}
			resp.Body = nil
			resp = c.httpNetworkOrCacheFetch(fp, isAuthenticationFetch, true)
		}
		// 18. A successful authentication fetch creates an authentication
		// entry for the origin.
		if isAuthenticationFetch && fp.hasAuth && resp.Status != 401 && !resp.IsNetworkError() {
			c.authEntries.Store(httpReq.CurrentURL().Origin().Serialize(), basicAuth(fp.authUser, fp.authPass))
			c.hasAuthEntries.Store(true)
		}
	}
	// 19. The response; its body keeps streaming.
	return resp
}

const maxLoginAttempts = 5

// shallowCloneRequest copies a request with its own header list, sharing
// the body and the URL list. The header list has room for the headers
// HTTP-network-or-cache fetch appends. The URL list is capped at its length
// so an append to either request's list copies it instead of writing into
// the other's (nothing appends to the copy's, and the URLs themselves are
// never modified).
func shallowCloneRequest(r *request.Internal) *request.Internal {
	// One allocation for the copy and its header list, when the list
	// (with its room) fits the space kept for it.
	a := &struct {
		n      request.Internal
		l      headers.List
		fields [6]headers.Field
	}{n: *r}
	if need := len(*r.Header) + 4; need <= len(a.fields) {
		a.l = a.fields[:len(*r.Header):len(a.fields)]
	} else {
		a.l = make(headers.List, len(*r.Header), need)
	}
	copy(a.l, *r.Header)
	a.n.Header = &a.l
	a.n.URLList = r.URLList[:len(r.URLList):len(r.URLList)]
	return &a.n
}

func isSafeMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return false
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// challengeRealm returns the realm parameter of the first challenge.
func challengeRealm(challenges []string) string {
	for _, ch := range challenges {
		i := strings.Index(strings.ToLower(ch), "realm=")
		if i < 0 {
			continue
		}
		v := ch[i+len("realm="):]
		if strings.HasPrefix(v, `"`) {
			if j := strings.IndexByte(v[1:], '"'); j >= 0 {
				return v[1 : j+1]
			}
			return v[1:]
		}
		if j := strings.IndexAny(v, ", "); j >= 0 {
			return v[:j]
		}
		return v
	}
	return ""
}

// appendOriginHeader appends a request `Origin` header. A request with no
// origin (a server runtime) sends none: there is no origin to tell.
// https://fetch.spec.whatwg.org/#append-a-request-origin-header
func appendOriginHeader(req *request.Internal) {
	if req.Origin.Origin == nil {
		return
	}
	// 1. (Assert: the origin is resolved.)
	// 2. The serialized origin.
	serialized := req.ByteSerializeOrigin()
	// 3. CORS and WebSocket requests always say where they come from.
	if req.ResponseTainting == request.TaintingCORS || req.Mode == request.ModeWebSocket {
		req.Header.Append("Origin", serialized)
		return
	}
	// 4. Other non-GET/HEAD requests too, unless the referrer policy hides it.
	if req.Method != "GET" && req.Method != "HEAD" {
		// 4.1. By referrer policy.
		if req.Mode != request.ModeCORS {
			o := *req.Origin.Origin
			switch req.ReferrerPolicy {
			case request.ReferrerPolicyNoReferrer:
				serialized = "null"
			case request.ReferrerPolicyNoReferrerWhenDowngrade, request.ReferrerPolicyStrictOrigin,
				request.ReferrerPolicyStrictOriginWhenCrossOrigin:
				if !o.IsOpaque() && o.Scheme() == "https" && req.CurrentURL().Scheme() != "https" {
					serialized = "null"
				}
			case request.ReferrerPolicySameOrigin:
				if !weburl.SameOrigin(o, req.CurrentURL().Origin()) {
					serialized = "null"
				}
			}
		}
		// 4.2. Append it.
		req.Header.Append("Origin", serialized)
	}
}

// appendFetchMetadata appends the Sec-Fetch-Dest, Sec-Fetch-Mode and
// Sec-Fetch-Site headers for requests from a browser environment to
// potentially trustworthy URLs. Server runtimes send none.
// https://w3c.github.io/webappsec-fetch-metadata/#abstract-opdef-append-the-fetch-metadata-headers-for-a-request
func appendFetchMetadata(req *request.Internal) {
	if req.Origin.Origin == nil {
		return
	}
	// 1. Only potentially trustworthy URLs.
	if !referrer.IsPotentiallyTrustworthyURL(req.CurrentURL()) {
		return
	}
	// 2. Sec-Fetch-Dest: the destination, or "empty".
	dest := string(req.Destination)
	if dest == "" {
		dest = "empty"
	}
	req.Header.Set("Sec-Fetch-Dest", dest)
	// 3. Sec-Fetch-Mode: the mode.
	req.Header.Set("Sec-Fetch-Mode", string(req.Mode))
	// 4. Sec-Fetch-Site: how far the URL list strayed from the origin.
	o := *req.Origin.Origin
	site := "same-origin"
	for _, u := range req.URLList {
		if !weburl.SameOrigin(o, u.Origin()) {
			site = "same-site"
		}
	}
	for _, u := range req.URLList {
		if !weburl.SameSite(o, u.Origin()) {
			site = "cross-site"
			break
		}
	}
	req.Header.Set("Sec-Fetch-Site", site)
	// 5. Sec-Fetch-User: navigations only, which do not happen here.
}

// appendCookieHeader appends a request `Cookie` header with the jar's
// cookies for the current URL. A Cookie header the request already has (a
// server runtime may set one) is kept, and the jar's cookies are added to it.
// https://fetch.spec.whatwg.org/#append-a-request-cookie-header
func (c *Client) appendCookieHeader(req *request.Internal) {
	// 1. No jar: cookies are disabled.
	if c.jar == nil {
		return
	}
	// 2-5. Retrieve the cookies for the URL (the jar applies the secure,
	// path and, given the client's site (cookies.go), SameSite rules).
	nu := req.CurrentURL().NetURL()
	cookies := c.jarCookies(req, nu)
	// 6. None: nothing to do.
	if len(cookies) == 0 {
		return
	}
	// 7. Serialize them.
	parts := make([]string, 0, len(cookies))
	for _, ck := range cookies {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	value := strings.Join(parts, "; ")
	// 8. Append.
	if v, ok := req.Header.Get("Cookie"); ok {
		req.Header.Set("Cookie", v+"; "+value)
		return
	}
	req.Header.Append("Cookie", value)
}

// storeSetCookies runs "parse and store response `Set-Cookie` headers".
// https://fetch.spec.whatwg.org/#parse-and-store-response-set-cookie-headers
func (c *Client) storeSetCookies(req *request.Internal, hresp *http.Response) {
	// 1. No jar: cookies are disabled.
	if c.jar == nil {
		return
	}
	// 2-6. Each Set-Cookie header, parsed and stored by the jar.
	if cookies := hresp.Cookies(); len(cookies) > 0 {
		c.jarSetCookies(req, req.CurrentURL().NetURL(), cookies)
	}
}

// newHTTPRequest turns a request into the *http.Request net/http sends:
// Host and Content-Length from the header list go to their fields, the URL
// carries no credentials (net/http would turn them into Authorization) and
// no fragment.
func (c *Client) newHTTPRequest(ctx context.Context, req *request.Internal) *http.Request {
	if ctx == nil {
		ctx = context.Background()
	}
	u := req.CurrentURL().NetURL()
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	hreq := (&http.Request{
		Method:     req.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     make(http.Header, len(*req.Header)),
		Host:       u.Host,
	}).WithContext(ctx)
	// Headers go out combined, one line per name (values joined with ", ",
	// as the header list's get does), under the name as the caller cased
	// it; names net/http itself looks at are canonicalized so it sees them.
	// The one-value slices share one backing array (capacity 1 each, so an
	// append by the transport copies instead of overwriting a neighbour).
	vals := make([]string, len(*req.Header)+1)
	for i, f := range *req.Header {
		switch {
		case strings.EqualFold(f.Name, "Host"):
			hreq.Host = f.Value
			continue
		case strings.EqualFold(f.Name, "Content-Length"):
			continue
		}
		seen := false
		for _, g := range (*req.Header)[:i] {
			if strings.EqualFold(g.Name, f.Name) {
				seen = true
				break
			}
		}
		if seen {
			continue
		}
		k := f.Name
		if ck := http.CanonicalHeaderKey(k); netHTTPHeaders[ck] {
			k = ck
		}
		v, _ := req.Header.Get(f.Name)
		vals[i] = v
		hreq.Header[k] = vals[i : i+1 : i+1]
	}
	if _, ok := hreq.Header["User-Agent"]; !ok {
		// An empty User-Agent makes net/http send none (instead of its own).
		n := len(vals) - 1
		hreq.Header["User-Agent"] = vals[n : n+1 : n+1]
	}
	return hreq
}

// netHTTPHeaders are the request header names net/http reads from
// http.Header under their canonical spelling.
var netHTTPHeaders = map[string]bool{
	"User-Agent": true, "Transfer-Encoding": true, "Trailer": true, "Connection": true,
	"Keep-Alive": true, "Proxy-Connection": true, "Upgrade": true, "Te": true, "Cookie": true,
	"Expect": true,
}

// httpNetworkFetch runs HTTP-network fetch for httpReq. It returns the
// response with its body streaming from the connection, and the
// *http.Response it came from (for the cache), or a network error and nil.
// https://fetch.spec.whatwg.org/#http-network-fetch
func (c *Client) httpNetworkFetch(fp *fetchParams, httpReq *request.Internal, includeCredentials, forceNewConnection bool) (*response.Internal, *http.Response) {
	// 1. The request.
	req := httpReq
	// 2. Offline clients: not modelled.
	// 3-4. The response and the timing info.
	timing := fp.timing
	// 5-7. The connection: net/http's transport pools connections per
	// host (there are no network partitions); forceNewConnection cannot be
	// honoured through http.RoundTripper and is ignored.
	_ = forceNewConnection
	// 8. Make the request, abort when canceled.
	parent := fp.ctx
	if parent == nil {
		parent = context.Background()
	}
	nb := fp.newNetBody(c.bodyLimit(parent))
	ctx := parent
	if fp.signal != nil {
		// The request runs under its own context, cancelled when the fetch
		// aborts (with the reason as cause) and when the body is done, so
		// the connection is released either way. (Without a signal nothing
		// can abort the fetch and parent is never done: the request runs
		// under parent itself, and a body that ends, is cancelled or fails
		// closes the transport's body, which releases the connection.)
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(context.WithoutCancel(parent))
		nb.mu.Lock()
		nb.cancelReq = cancel
		nb.mu.Unlock()
		remove := fp.signal.AddAlgorithm(nb.abort)
		nb.mu.Lock()
		if nb.ended {
			nb.mu.Unlock()
			remove() // aborted while registering
		} else {
			nb.removeAlg = remove
			nb.mu.Unlock()
		}
	}
	ctx = nb.trace.start(ctx, nb)
	hreq := c.newHTTPRequest(ctx, req)
	var reqBodyReader io.ReadCloser
	if req.Body != nil && req.Body.Stream != nil {
		// 8.3. (HTTP/1.x with a stream body is allowed here: net/http sends
		// it chunked. See the package documentation.)
		rd, err := req.Body.Stream.GetReader()
		if err != nil {
			nb.finish()
			return netErr(errs.ReasonOther, err, "request body cannot be read"), nil
		}
		reqBodyReader = rd
		switch {
		case req.Body.Length == 0:
			_ = rd.Close()
			hreq.Body, hreq.ContentLength = http.NoBody, 0
		default:
			hreq.Body, hreq.ContentLength = rd, req.Body.Length
		}
		if req.Body.Source != nil {
			b := req.Body
			hreq.GetBody = func() (io.ReadCloser, error) {
				nb, err := b.Reextract()
				if err != nil {
					return nil, err
				}
				return nb.Stream.GetReader()
			}
		}
	} else if req.Method == "POST" || req.Method == "PUT" {
		hreq.Body, hreq.ContentLength = http.NoBody, 0
	}
	if fp.obs != nil {
		fp.obs.observeUpload(hreq) // upload progress (events.go)
	}

	if fp.canceled() {
		nb.finish()
		if reqBodyReader != nil {
			_ = reqBodyReader.Close()
		}
		return fp.appropriateNetworkError(), nil
	}

	// 8.4. The network-request start time (refined when a connection is
	// got, see netBody.gotConn).
	sent := now()
	hresp, err := c.transport.RoundTrip(hreq)
	if err != nil {
		nb.finish()
		// 9. Aborted: the appropriate network error.
		if fp.canceled() {
			return fp.appropriateNetworkError(), nil
		}
		// 8.2. No connection, or the exchange failed.
		return response.NetworkError(networkError(err, req.Method+" "+req.CurrentURL().Href())), nil
	}
	nb.recordTiming(timing, sent, hresp)
	if fp.canceled() {
		hresp.Body.Close()
		nb.finish()
		return fp.appropriateNetworkError(), nil
	}
	// A 101 the request did not ask for (fetch only asks for WebSocket
	// upgrades): the connection now speaks another protocol, so it is
	// closed unread and the response has an empty body. (WPT's
	// fetch/security/1xx-response expects the 101 with an empty body; see
	// whatwg/fetch#1397.)
	if hresp.StatusCode == http.StatusSwitchingProtocols && req.Mode != request.ModeWebSocket {
		_ = hresp.Body.Close()
		hresp.Body = http.NoBody
	}
	// 10-16. The response's body: a stream whose pull reads the network
	// (netBody, with content codings undone) and whose cancel closes it.
	resp := c.responseFromHTTP(fp, hresp, nb)
	if resp.IsNetworkError() {
		return resp, nil
	}
	fp.live = nb
	// 17. Cookies.
	if includeCredentials {
		c.storeSetCookies(req, hresp)
	}
	// 18. (Reading the message body happens as the stream is pulled; an
	// abort errors the stream with the reason, see netBody.abort.)
	// 19. The response; its body keeps streaming.
	return resp, hresp
}

// responseFromHTTP builds a response from an *http.Response: status,
// status message (empty for HTTP/2 and later, which have none), headers,
// and a body stream fed from hresp.Body with content codings undone, through
// nb (a new netBody when nil). Too many content codings make it a network
// error (and close hresp.Body).
func (c *Client) responseFromHTTP(fp *fetchParams, hresp *http.Response, nb *netBody) *response.Internal {
	if nb == nil {
		nb = fp.newNetBody(c.bodyLimit(fp.ctx))
	}
	r := response.NewInternal()
	r.Status = hresp.StatusCode
	if hresp.ProtoMajor < 2 {
		if _, msg, ok := strings.Cut(hresp.Status, " "); ok {
			r.StatusMessage = msg
		}
	}
	*r.Header = headers.AppendHTTP((*r.Header)[:0], hresp.Header)
	rc := io.ReadCloser(hresp.Body)
	if rc == nil {
		rc = http.NoBody
	}
	// Download progress and chunks for an observer (events.go); not for a
	// redirect that is about to be followed.
	var dp *downloadProgress
	if fp.obs != nil && (fp.req.Redirect != request.RedirectFollow || !response.IsRedirectStatus(hresp.StatusCode)) {
		if dp = fp.obs.observeDownload(hresp); dp != nil {
			rc = dp.wire(rc)
		}
	}
	// Content codings, from the Content-Encoding header.
	coded := false
	if v, ok := r.Header.Get("Content-Encoding"); ok {
		codings := coding.ParseCodings(v)
		r.BodyInfo.ContentEncoding = filteredCoding(codings)
		dec, err := coding.NewDecoder(codings, rc)
		if err != nil {
			_ = rc.Close()
			nb.finish()
			return response.NetworkError(err)
		}
		coded = dec != rc
		rc = dec
	}
	if !coded && hresp.ContentLength >= 0 {
		nb.hint = hresp.ContentLength
	}
	if nb.limit == 0 { // the default: only coded bodies are capped
		nb.limit = -1
		if coded {
			nb.limit = DefaultMaxDecodedBodySize
		}
	}
	if dp != nil {
		rc = dp.wrap(rc)
	}
	// (The body is not allocated with nb: nb must not hold the stream.)
	r.Body = nb.attach(rc)
	return r
}

// filteredCoding is the content encoding recorded in the body info.
// https://fetch.spec.whatwg.org/#http-network-fetch
func filteredCoding(codings []string) string {
	switch {
	case len(codings) == 0:
		return ""
	case len(codings) > 1:
		return "multiple"
	}
	c := strings.ToLower(codings[0])
	switch c {
	case "", "gzip", "deflate", "br", "zstd", "identity":
		return c
	}
	return "@unknown"
}

// fetchTrace is the client trace of one HTTP-network fetch (kept in its
// netBody, to save an allocation). It has one hook, GotConn: the
// connection's own times (wireConn) give the rest of the timing info, so
// net/http adds no dial trace of its own.
type fetchTrace struct {
	httptrace.ClientTrace
	wire wireSlot // arms the request's connection (wire.go)
}

// start returns ctx carrying the trace, whose GotConn reports to nb.
func (ft *fetchTrace) start(ctx context.Context, nb *netBody) context.Context {
	ft.GotConn = nb.gotConn
	// The trace also arms the wire conn (wire.go).
	return ft.wire.withSlotAndTrace(ctx, &ft.ClientTrace)
}

// gotConn is the trace's GotConn hook: it arms a wire connection and
// notes which connection serves the request and when.
func (b *netBody) gotConn(info httptrace.GotConnInfo) {
	b.trace.wire.gotConn(info.Conn)
	t := now()
	wc := connOf(info.Conn)
	b.mu.Lock()
	b.gotConnAt, b.reused, b.conn = t, info.Reused, wc
	b.mu.Unlock()
}

// connOf returns the wireConn under conn (a TLS connection's included), or
// nil.
func connOf(conn net.Conn) *wireConn {
	for conn != nil {
		switch c := conn.(type) {
		case *wireConn:
			return c
		case interface{ NetConn() net.Conn }:
			conn = c.NetConn()
		default:
			return nil
		}
	}
	return nil
}

// recordTiming fills the timing info's connection, request and response
// start times once the response headers are in: from the connection's own
// record of its dial and of the response's first byte (HTTP/1 over a
// connection the client dialled), else from when the connection was handed
// out and when the round trip returned. A reused connection's times are all
// the time it was handed out.
func (b *netBody) recordTiming(timing *timingRecorder, sent time.Time, hresp *http.Response) {
	b.mu.Lock()
	got, reused, wc := b.gotConnAt, b.reused, b.conn
	b.mu.Unlock()
	back := now()
	if got.IsZero() {
		got = sent
	}
	var dialStart, dialEnd, firstByte time.Time
	if wc != nil {
		dialStart, dialEnd = wc.dialStart, wc.dialEnd
		if hresp.ProtoMajor == 1 {
			firstByte = wc.lastResponseStart()
		}
	}
	if firstByte.IsZero() || firstByte.Before(got) {
		firstByte = back
	}
	tls := hresp.TLS != nil
	timing.set(func(t *response.TimingInfo) {
		if reused || dialStart.IsZero() || dialStart.Before(t.PostRedirectStart) {
			t.ConnectStart = got
			if tls {
				t.SecureConnectionStart = got
			}
		} else {
			t.ConnectStart = dialStart
			if tls {
				t.SecureConnectionStart = dialEnd
			}
		}
		t.ConnectEnd = got
		t.RequestStart = got
		t.ResponseStart = firstByte
	})
}

// netBody is a response body as it comes off the network: the transport's
// body with content codings undone, as the underlying byte source of the
// response's body stream. Its errors are fetch's: the abort reason when the
// fetch was aborted, a TypeError wrapping a network error (bad-encoding,
// reset, too-large, ...) otherwise. An abort errors the stream at once,
// even with no read pending. When the body ends (EOF, error, cancel or
// abort) the request is released: the connection goes back to the pool
// after a complete read, and is closed otherwise.
//
// Reads run on the reader's goroutine, straight from the transport's body
// into the reader's buffer (ReadInto), with no goroutine, channel or timer
// in between. The netBody does not hold its stream, and the stream has
// a cleanup that closes the netBody: a response dropped unread releases its
// connection once the garbage collector finds its body stream unreachable,
// as a JavaScript engine does when it collects an unread response.
// https://fetch.spec.whatwg.org/#http-network-fetch (steps 12-16)
type netBody struct {
	sig *abort.Signal
	url *weburl.URL // serialized only for an error message

	mu        sync.Mutex
	rc        io.ReadCloser
	cleanup   runtime.Cleanup
	hasClean  bool
	gen       uint32                  // the current stream's generation (attach)
	cancelReq context.CancelCauseFunc // cancels the request's context; nil when it has none
	removeAlg func()                  // removes the abort algorithm
	ended     bool
	aborted   error // the abort reason, once aborted
	endTime   atomic.Int64

	// Read by one reader at a time (the stream never runs two pulls).
	limit int64 // most decoded bytes; < 0: none
	n     int64 // decoded bytes read
	hint  int64 // the expected decoded length, -1 when unknown

	// The connection (set by gotConn).
	gotConnAt time.Time
	reused    bool
	conn      *wireConn

	trace fetchTrace // the request's client trace
}

// newNetBody returns a network body for the fetch's current URL with
// the given size limit: the one allocated with fp the first time, a new one
// afterwards (redirects, revalidations).
func (fp *fetchParams) newNetBody(limit int64) *netBody {
	nb := &fp.nb0
	if fp.nb0Used {
		nb = new(netBody)
	}
	fp.nb0Used = true
	nb.sig, nb.url, nb.limit, nb.hint = fp.signal, fp.req.CurrentURL(), limit, -1
	return nb
}

// attach makes rc the body's bytes and returns a new body (of null
// length) streaming them, with a cleanup that closes b when the stream
// becomes unreachable (one attached before is no longer b's).
func (b *netBody) attach(rc io.ReadCloser) *body.Body {
	bd := body.NewStreamBody(b, -1)
	s := bd.Stream
	b.mu.Lock()
	b.rc = rc
	if b.hasClean {
		b.cleanup.Stop()
	}
	// The cleanup names the stream's generation: a stream replaced by a
	// later attach (the cache's tee) may be collected before Stop above
	// runs, and its cleanup must then leave the new stream's bytes alone.
	b.gen++
	b.cleanup, b.hasClean = runtime.AddCleanup(s, collectedStream, streamGen{b, b.gen}), true
	b.mu.Unlock()
	return bd
}

// streamGen names one stream attached to a netBody.
type streamGen struct {
	b   *netBody
	gen uint32
}

// collectedStream runs once a body stream was collected unread: if it is
// still its netBody's current stream, the body is closed (on a goroutine of
// its own, so a slow close never holds up other cleanups).
func collectedStream(g streamGen) {
	b := g.b
	b.mu.Lock()
	current := !b.ended && b.gen == g.gen
	b.mu.Unlock()
	if current {
		go b.Close()
	}
}

// LengthHint is the expected decoded length: the Content-Length of a body
// without content codings, else -1 (body.LengthHinter).
func (b *netBody) LengthHint() int64 {
	if b.limit >= 0 && b.hint > b.limit {
		return b.limit
	}
	return b.hint
}

// ReadInto reads decoded body bytes straight into p.
func (b *netBody) ReadInto(ctx context.Context, p []byte) (int, error) {
	b.mu.Lock()
	rc, reason := b.rc, b.aborted
	b.mu.Unlock()
	if reason != nil {
		return 0, reason
	}
	if b.limit >= 0 && int64(len(p)) > b.limit-b.n {
		// One byte more than the limit allows tells an overflow.
		p = p[:b.limit-b.n+1]
	}
	n, err := rc.Read(p)
	b.n += int64(n)
	if b.limit >= 0 && b.n > b.limit {
		n -= int(b.n - b.limit)
		b.n = b.limit
		err = errs.Network(errs.ReasonTooLarge, nil, "the response body of %s exceeds the limit of %d bytes (see fetch.WithMaxBodySize)", b.url.Href(), b.limit)
	}
	if err == nil {
		return n, nil
	}
	if err == io.EOF {
		b.finish()
		// Closing an ended body is harmless, and releases the connection
		// when a decoder stopped before the transport's body did.
		_ = rc.Close()
		return n, io.EOF
	}
	if b.sig.Aborted() {
		err = b.sig.Reason()
	} else if !isFetchError(err) {
		err = networkError(err, "reading the response body of "+b.url.Href())
	}
	b.finish()
	_ = rc.Close()
	return n, err
}

// Pull reads a chunk into the stream's queue (for readers that take
// chunks rather than fill their own buffer).
func (b *netBody) Pull(ctx context.Context, c *body.Controller) error {
	size := 32 << 10
	if h := b.LengthHint(); h >= 0 && h-b.n < int64(size) {
		size = int(max(h-b.n, 0)) + 1 // the rest, and room to see the end
	}
	buf := make([]byte, size)
	n, err := b.ReadInto(ctx, buf)
	if n > 0 {
		_ = c.Enqueue(buf[:n:n])
	}
	if err == io.EOF {
		_ = c.Close()
		return nil
	}
	return err
}

// Cancel is the stream's cancel algorithm: the body is not wanted any more,
// so the connection is closed.
func (b *netBody) Cancel(reason error) error {
	b.finish()
	b.mu.Lock()
	rc := b.rc
	b.mu.Unlock()
	if rc != nil {
		return rc.Close()
	}
	return nil
}

// Close stops the body early (used when fetch itself discards a body, and
// when the stream was collected unread).
func (b *netBody) Close() error { return b.Cancel(nil) }

// abort is the abort algorithm fetch adds to the request's signal: it
// cancels the request and closes the body, whose stream then errors with
// the abort reason: a read in progress fails at once, and the next read
// otherwise. (Deviation: the standard errors the stream at once even with
// no read pending. Doing so would need a reference from the signal, which
// may live long, to the stream, and would keep a response dropped unread
// from being collected and its connection released.)
// https://fetch.spec.whatwg.org/#http-network-fetch (step 16, "if aborted")
func (b *netBody) abort(reason error) {
	b.mu.Lock()
	if b.aborted != nil {
		b.mu.Unlock()
		return
	}
	b.aborted = reason
	cancel := b.cancelReq
	b.mu.Unlock()
	if cancel != nil {
		cancel(reason)
	}
	_ = b.Cancel(reason)
}

// finish marks the body ended, once: it records the end time and releases
// the request (its context and its abort algorithm).
func (b *netBody) finish() {
	b.mu.Lock()
	if b.ended {
		b.mu.Unlock()
		return
	}
	b.ended = true
	cancel, remove := b.cancelReq, b.removeAlg
	b.removeAlg = nil
	b.mu.Unlock()
	b.endTime.Store(now().UnixNano())
	if remove != nil {
		remove()
	}
	if cancel != nil {
		cancel(nil)
	}
}

// BodyEndTime is when the body ended, or the zero time while it streams
// (response.BodyEndTimer).
func (b *netBody) BodyEndTime() time.Time {
	if t := b.endTime.Load(); t != 0 {
		return time.Unix(0, t)
	}
	return time.Time{}
}

// isFetchError reports whether err is already one of fetch's error kinds.
func isFetchError(err error) bool {
	switch err.(type) {
	case *errs.TypeError, *errs.DOMException, *errs.RangeError:
		return true
	}
	return false
}
