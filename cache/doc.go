// Package cache implements the HTTP cache that fetch's cache modes consult
// (default, no-store, reload, no-cache, force-cache, only-if-cached).
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-cache-mode and
// RFC 9111 (HTTP Caching)
//
// A Cache is a private (browser) cache: it implements fetch.HTTPCache, so
// a fetch.Client built with fetch.WithHTTPCache(cache.New()) consults it
// from HTTP-network-or-cache fetch
// (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch). The
// default fetch client has no cache, as a server runtime.
//
// # Stores
//
// The Cache holds the caching logic; a Store keeps the entries:
//
//   - Memory (the default, NewMemory): bounded by the bytes of stored
//     bodies and headers (64 MiB by default), least recently used first
//     out.
//   - Disk (NewDisk): a directory that survives restarts, shared safely by
//     goroutines and processes (flock), crash-safe (temporary file, then
//     rename), bounded with eviction of the least recently used bodies;
//     bodies stream to and from their files.
//   - Redis (NewRedis, github.com/redis/go-redis/v9): shared by a fleet;
//     entries expire with their useful life (freshness lifetime, the
//     stale-while-revalidate and stale-if-error windows and a validation
//     grace), bodies above a per-entry limit are not stored, and updates
//     are optimistic transactions so racing writers lose nothing.
//
// Store errors never fail a fetch: a lookup misses, a response goes
// unstored (WithErrorHandler reports them).
//
// # What it does, by RFC 9111 section
//
//   - Header field names are matched case-insensitively everywhere, in
//     requests (fetch keeps the caller's casing) and in responses.
//   - §3 Storing: GET and HEAD responses (and POST/PATCH responses with
//     explicit freshness whose Content-Location is the request URL) that
//     have explicit freshness, a public or private directive, or a status
//     cacheable by default; never with no-store (request or response),
//     Vary: *, or a request Authorization header unless the response
//     allows it. §5.2.2.3 must-understand: a response with a status whose
//     caching rules the cache knows is stored despite no-store, any other
//     is not stored. §3.1: hop-by-hop fields and the fields Connection
//     names are not stored. Set-Cookie is stored (§7.3 allows it); fetch
//     never applies a cached Set-Cookie to its cookie jar, and browser
//     filtering hides it as usual. Bodies are copied into the Store while
//     the caller reads them and stored once complete.
//   - §3.3/§3.4 Partial content: a 206 is stored with its Content-Range;
//     Range requests are answered (as 206) from a stored complete response
//     or a stored partial one that holds the bytes. A new 206 whose bytes
//     overlap or touch those of a stored 206 with the same strong ETag and
//     complete length is combined with it; once the combination holds every
//     byte it is stored as a complete 200, which answers requests for the
//     whole representation. (A request for everything does not itself
//     complete a partial entry: it goes to the network.)
//   - §4.1 Vary: the request header values Vary names select the variant.
//   - §4.2 Freshness: max-age (s-maxage is ignored: private cache), then
//     Expires minus Date, then heuristic freshness (10% of the time since
//     Last-Modified, at most a week) for statuses cacheable by default or
//     public responses. Expires is an HTTP-date exactly as RFC 9110 §5.6.7
//     spells it (IMF-fixdate, rfc850-date, asctime-date; "GMT" in any case);
//     anything else, and several Expires lines, mean already expired. Age
//     follows §4.2.3; the Age field counts by the first member of its
//     value, an invalid one is ignored, an overlarge one is 2^31 (§5.1,
//     §1.2.2).
//   - §5.2 Directives: request max-age (0 always validates), max-stale,
//     min-fresh, no-cache, no-store (bypasses the cache), only-if-cached
//     (504 when nothing is stored); Pragma: no-cache when the request has no
//     Cache-Control; response no-cache, must-revalidate (no max-stale),
//     public, private. immutable (RFC 8246): while fresh, a request max-age,
//     min-fresh or Pragma: no-cache does not make it validate in cache
//     modes default and force-cache (request no-cache and cache mode
//     no-cache still do).
//   - §4.3.4 Freshening: Freshen applies a 304's header fields (not
//     Content-Length/Content-Encoding/Content-Range) to the stored response.
//   - §4.4 Invalidation: unsafe methods answered 2xx/3xx invalidate the
//     request URL and same-origin Location and Content-Location URLs.
//   - No-Vary-Search (https://wicg.github.io/nav-speculation/no-vary-search.html):
//     a stored response answers requests whose URL is equivalent modulo its
//     search variance (ignored parameters, key order).
//   - RFC 5861 stale-while-revalidate: StaleWhileRevalidate tells fetch
//     whether a stale response may be used while it revalidates (fetch runs
//     at most one background revalidation per stored response, bounded by
//     a timeout and ended by Client.Close).
//
// Responses served from the cache carry an Age header with their current
// age in seconds. Entries are keyed by partition key, credentials flag
// (credentialed and anonymous requests never share entries, as browsers
// do), method and URL without fragment; fetch passes the partition key,
// credentials flag and cache mode in the request context (WithRequestInfo).
//
// Deviations and limits: a bucket (one URL) keeps at most 64 entries
// (partitions × variants), the oldest going first. A stored body that
// vanishes between a lookup and the first read of the response's body (a
// Disk eviction by another process, a Redis expiry) makes that read fail.
package cache
