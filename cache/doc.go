// Package cache implements the HTTP cache that fetch's cache modes consult
// (default, no-store, reload, no-cache, force-cache, only-if-cached).
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-cache-mode and
// RFC 9111 (HTTP Caching)
//
// A Cache is an in-memory private (browser) cache: it implements
// fetch.HTTPCache, so a fetch.Client built with
// fetch.WithHTTPCache(cache.New()) consults it from HTTP-network-or-cache
// fetch (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch). The
// default fetch client has no cache, as a server runtime.
//
// What it does, by RFC 9111 section:
//
//   - §3 Storing: GET and HEAD responses (and POST/PATCH responses with
//     explicit freshness whose Content-Location is the request URL) that
//     have explicit freshness, a public or private directive, or a status
//     cacheable by default; never with no-store (request or response),
//     Vary: *, or a request Authorization header unless the response
//     allows it. Set-Cookie and hop-by-hop fields are not stored. Bodies are
//     copied while the caller reads them and stored once complete.
//   - §3.3/§3.4 Partial content: a 206 is stored with its Content-Range;
//     Range requests are answered (as 206) from a stored complete response
//     or a stored partial one that holds the bytes. Partial responses are
//     not combined, and a request for the whole representation does not
//     complete a partial entry (it goes to the network).
//   - §4.1 Vary: the request header values Vary names select the variant.
//   - §4.2 Freshness: max-age (s-maxage is ignored: private cache), then
//     Expires minus Date (an invalid Expires is stale), then heuristic
//     freshness (10% of the time since Last-Modified, at most a week) for
//     statuses cacheable by default or public responses. Age follows
//     §4.2.3 (Age, Date, request and response time).
//   - §5.2 Directives: request max-age (0 always validates), max-stale,
//     min-fresh, no-cache, no-store (bypasses the cache), only-if-cached
//     (504 when nothing is stored); Pragma: no-cache when the request has no
//     Cache-Control; response no-cache, must-revalidate (no max-stale),
//     public, private; immutable has no effect beyond freshness.
//   - §4.3.4 Freshening: Freshen applies a 304's header fields (not
//     Content-Length/Content-Encoding/Content-Range) to the stored response.
//   - §4.4 Invalidation: unsafe methods answered 2xx/3xx invalidate the
//     request URL and same-origin Location and Content-Location URLs.
//   - No-Vary-Search (https://wicg.github.io/nav-speculation/no-vary-search.html):
//     a stored response answers requests whose URL is equivalent modulo its
//     search variance (ignored parameters, key order).
//   - RFC 5861 stale-while-revalidate: StaleWhileRevalidate tells fetch
//     whether a stale response may be used while it revalidates.
//
// Responses served from the cache carry an Age header with their current
// age in seconds. Entries are keyed by partition key, credentials flag
// (credentialed and anonymous requests never share entries, as browsers
// do), method and URL without fragment; fetch passes the partition key,
// credentials flag and cache mode in the request context (WithRequestInfo).
// The cache is bounded by the bytes of stored bodies and headers (64 MiB by
// default) and evicts least recently used entries.
package cache
