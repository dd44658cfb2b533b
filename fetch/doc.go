// Package fetch implements the fetch algorithm and the Client that runs it:
// fetch, main fetch, scheme fetch, HTTP fetch, HTTP-redirect fetch,
// HTTP-network-or-cache fetch and HTTP-network fetch, each a function named
// after its algorithm with the standard's step numbers in comments.
//
// Spec: https://fetch.spec.whatwg.org/#fetching (and #fetch-method for
// Fetch itself).
//
// # Use
//
//	resp, err := fetch.Fetch(ctx, "https://example.com/", nil)
//	if err != nil { ... }          // a TypeError, or the abort reason
//	text, err := resp.Text()       // the body streams from the network
//
// Fetch uses DefaultClient. A Client (NewClient with options) is the
// environment requests are made from and the network stack they use:
// WithOrigin and WithBaseURL (whose document the fetch comes from),
// WithReferrerPolicy, WithCookieJar (NewCookieJar), WithHTTPCache,
// WithTransport or WithDialContext / WithTLSConfig / WithProxy /
// WithHeaderTimeout / WithDialTimeout / WithTLSHandshakeTimeout /
// WithSendTimeout / WithMaxResponseHeaderBytes, WithBodyTimeout,
// WithTotalTimeout, WithUserAgent,
// WithAcceptLanguage,
// WithMaxRedirects (20 by default), WithRedirectHook, WithLoginHook,
// WithFileAccess, WithBlobStore and WithInterceptor; WithMaxBodySize and
// WithMaxIdleConnsPerHost; WithRevalidateTimeout for stale-while-revalidate
// revalidations, which Client.Close cancels and waits for; and the Go
// client options WithRetry, WithMiddleware and WithDefaultHeaders (see
// below).
//
// Fetch returns once the response headers are in; the body is a stream
// (response.Response's Body mixin) fed from the connection as it is read.
// Read it to the end, cancel it, or call Response.Close to release the
// connection (a response dropped unread is released once collected).
//
// # Environments
//
// A Client without an origin has server semantics (like Node.js and Deno):
// requests have no origin, every URL counts as same origin (responses are
// "basic", there is no CORS check and no Origin header), the Request
// constructor lets forbidden request-header names through, and responses
// keep their Set-Cookie headers (a "basic" response that is not filtered,
// as undici and Deno do). A Client with an
// origin behaves as a document of that origin: mode, response tainting,
// the CORS check and CORS-preflight fetch (package cors), filtered responses
// (basic, cors, opaque, opaqueredirect), Origin and Sec-Fetch-* headers,
// and referrers from the document URL.
//
// # Errors
//
// A fetch that fails rejects, as fetch() does, with a *TypeError ("fetch
// failed") whose cause is a *NetworkError; its Reason says what failed: dns,
// connect, tls, reset, protocol, bad-encoding, cors, redirect (mode error,
// limit, bad Location, a stream body that cannot be re-sent, the redirect
// hook), integrity, blocked (bad port, local-URLs-only), scheme,
// content-length, cache, timeout, header-too-large (past
// WithMaxResponseHeaderBytes), bad-chunk (malformed chunked framing),
// transfer-coding (a Transfer-Encoding other than chunked), too-large (a
// decoded body past WithMaxBodySize), and other for what fits none (the
// Reason* constants). A timeout option that runs out gives reason timeout
// with a *TimeoutError cause naming the phase (dial, tls, send, headers,
// body), and errors.Is(err, ErrTimeout) holds; WithTotalTimeout aborts the
// fetch with a "TimeoutError" DOMException whose cause is a *TimeoutError
// of phase total. An aborted fetch (the request's signal, or ctx) rejects
// with the signal's reason itself: an "AbortError" DOMException by
// default, a "TimeoutError" for a ctx deadline, or the cause given to
// context.WithCancelCause. Body reads fail the same ways.
//
// # Deviations from the standard
//
//   - Everything runs synchronously on the caller's goroutine; there are no
//     tasks, task destinations or fetch groups. Keepalive requests are limited
//     to 64 KiB of body each, without counting other in-flight ones.
//   - Not modelled: service workers, preloads, CSP, mixed content, HSTS and
//     HTTPS-RR upgrades, Integrity Policy, COEP, MIME type and nosniff
//     blocking (which only apply to destinations fetch() does not use), ORB,
//     WebDriver BiDi, network partition keys, proxy authentication prompts
//     (a 407 is a network error, as with no traversable), Server-Timing,
//     early hints, resource timing reports, and the response body info
//     sizes. The HTTP cache itself is package cache (WithHTTPCache).
//   - about:blank is the only about: URL; blob: URLs are resolved in the
//     client's blob store when fetched (not when the request is made);
//     file: URLs (left to implementations) are off unless WithFileAccess
//     gives a root, then read-only with a Content-Type from the extension.
//   - Request bodies without a source (streams) are sent over HTTP/1.1 too
//     (chunked), where the standard makes that a network error.
//   - The response header list comes from net/http: names are canonicalized
//     (Content-Type, not content-type) and ordered bytewise; values of one
//     name keep their order and duplicates; identical duplicate
//     Content-Length headers are folded into one. net/http's parser is
//     stricter than browsers' (bare header blocks without a blank line,
//     control characters in values), and request header values with control
//     characters other than tab cannot be sent.
//   - Request headers go out one line per name, values combined with ", ",
//     under the caller's casing (canonical for the few names net/http
//     reads itself).
//   - A cross-origin redirect removes Cookie and Proxy-Authorization as well
//     as Authorization (only a server runtime can set them); cookies come
//     from the jar for every hop.
//   - The login hook stands in for prompting the user: the credentials are
//     kept by the fetch (and, once they work, in an authentication entry per
//     origin) instead of being written into the request's current URL, so
//     response URLs never carry them; at most 5 attempts per fetch.
//   - forceNewConnection (421 retries) closes the 421's connection instead
//     of asking the pool for a fresh one.
//   - Body bytes are read from the network when the body is read (the
//     standard reads ahead in parallel), straight into the reader's buffer on
//     the reader's goroutine. An abort closes the connection at once: a read
//     in progress fails with the abort reason at once, but a stream with no
//     read pending errors only at its next read (the standard errors it at
//     once; that would need a reference from the signal, which may live
//     long, to the stream, keeping a response dropped unread from being
//     collected). A network error after the last read is likewise only seen
//     by the next read.
//   - A 101 response to a request that did not ask for an upgrade is
//     returned at once with an empty body, its connection closed unread (as
//     WPT's fetch/security/1xx-response expects; whatwg/fetch#1397).
//   - A response header section cut off by a clean close (EOF) is completed
//     and returned, as browsers do; one cut off by a reset or another read
//     error is a network error (reason reset).
//   - Go additions for robustness: Response.Close releases a body early; a
//     body stream that becomes unreachable unread is closed by the garbage
//     collector (runtime.AddCleanup) so its connection is released; at most
//     8 content codings per response (more is a network
//     error, reason bad-encoding), their decoders made on the first read;
//     decoded bodies are capped by WithMaxBodySize / ContextWithMaxBodySize
//     (reason too-large), by default only bodies with a content coding, at
//     DefaultMaxDecodedBodySize (1 GiB).
//   - The transport keeps DefaultMaxIdleConnsPerHost (64) idle connections
//     per host, not net/http's 2 (WithMaxIdleConnsPerHost).
//   - With no HTTP cache, only-if-cached is a network error (the standard
//     would turn the mode into no-store and go to the network).
//   - Timing info is not coarsened; its end time is set when the body ends.
//     Connection times come from the connection itself (when it was dialled,
//     when the response's first bytes arrived) and from net/http's GotConn
//     trace hook; with WithTransport, or over HTTP/2, the response start is
//     when the round trip returned.
//   - Server-runtime deviation: in a Client without an origin, redirect
//     mode "manual" returns the real redirect response (status, Location,
//     body; type "basic"), as undici and Deno do and as code ported from
//     Node expects, not an opaque-redirect filtered response. A Client
//     with an origin returns opaqueredirect as the standard says.
//
// # Go client features (beyond the standard)
//
// These add what Go users of dio, Electron's net, Taro's RequestTask,
// resty and req expect; unused, they cost a fetch nothing:
//
//   - Observer, carried by a context (WithObserver): upload and download
//     progress (throttled, for streamed bodies too), headers received
//     before the body (an error aborts), chunks as they arrive, a
//     per-request redirect decision (ErrStopRedirect keeps the 3xx) and
//     login.
//   - RetryPolicy (WithRetry, or WithRetryPolicy per context): idempotent
//     methods only unless told, exponential backoff with jitter,
//     Retry-After, a predicate, never a stream body twice, stops on abort;
//     Attempts and RetryError show the count.
//   - Middleware over fetch's Request and Response (WithMiddleware,
//     OnRequest, OnResponse, OnError) and RequestLock for token refresh;
//     Interceptor still wraps each HTTP exchange.
//   - Client.Download: atomic, resumable (Range/If-Range), with progress.
//   - WithDefaultHeaders, AddQuery; in package body, JSON, SizedReader and
//     OpenFile (bodies of known length are sent with Content-Length); in
//     package response, ContentLength and DecodedText.
package fetch
