package response

// CacheOutcome says what the HTTP cache did for a response, for users,
// tests and logs (the Fetch Standard's cache state says less: it does not
// tell a stale response served as is from a fresh one, nor a miss from no
// cache at all).
type CacheOutcome string

// The cache outcomes.
const (
	// CacheNone: no HTTP cache was involved (the client has none, the
	// request's cache mode is no-store, or it was not an HTTP fetch).
	CacheNone CacheOutcome = ""
	// CacheMiss: the response came from the network; the cache was
	// consulted (or, for cache mode reload, bypassed) and may store it.
	CacheMiss CacheOutcome = "miss"
	// CacheHit: a fresh stored response, served without contacting the
	// server.
	CacheHit CacheOutcome = "hit"
	// CacheRevalidated: a stored response the server confirmed with a 304
	// (Not Modified); its headers were freshened.
	CacheRevalidated CacheOutcome = "revalidated"
	// CacheStale: a stale stored response served without validation: within
	// its stale-while-revalidate window (a background revalidation was
	// started), or because the cache mode (force-cache, only-if-cached)
	// accepts stale responses.
	CacheStale CacheOutcome = "stale"
)

// CacheOutcome reports what the HTTP cache did for the response: hit,
// revalidated, stale, miss, or CacheNone. For a filtered response it is its
// internal response's.
func (r *Response) CacheOutcome() CacheOutcome {
	if r == nil || r.resp == nil {
		return CacheNone
	}
	return r.resp.Unfiltered().CacheOutcome
}
