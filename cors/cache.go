package cors

import (
	"container/list"
	"sync"
	"time"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
)

// Defaults of a Cache.
const (
	// DefaultMaxEntries bounds the number of entries a Cache holds; the
	// oldest entry goes when a new one would exceed it.
	DefaultMaxEntries = 4096
	// DefaultMaxAgeLimit is the imposed limit on a cache entry's max-age:
	// two hours, as Chromium caps Access-Control-Max-Age (Firefox allows a
	// day).
	DefaultMaxAgeLimit = 2 * time.Hour
	// DefaultMaxAge is the max-age of a preflight response without a
	// usable Access-Control-Max-Age: 5 seconds.
	DefaultMaxAge = 5 * time.Second
)

// Cache is a CORS-preflight cache: the entries of successful preflights,
// each allowing one method or header name for one (network partition key,
// origin, URL, credentials) until its max-age passes. The zero value is
// not usable; create one with NewCache. A nil *Cache is a user agent
// without a cache: every lookup misses and nothing is stored. A Cache is
// safe for concurrent use.
// https://fetch.spec.whatwg.org/#concept-cache
type Cache struct {
	mu          sync.Mutex
	now         func() time.Time
	maxEntries  int
	maxAgeLimit time.Duration
	// entries maps a key to its element in order; order runs from the
	// least recently stored entry to the most recently stored one.
	entries map[entryKey]*list.Element
	order   list.List
}

// entryKey identifies a cache entry: its key, byte-serialized origin, URL
// and credentials, plus either its method (kind 'm', case-sensitive) or
// its header name (kind 'h', lowercased, as names match
// byte-case-insensitively).
type entryKey struct {
	partition   string
	origin      string
	url         string
	credentials bool
	kind        byte
	value       string
}

// entry is a cache entry with the time it expires (stored time plus
// max-age).
// https://fetch.spec.whatwg.org/#cache-entry
type entry struct {
	key     entryKey
	expires time.Time
}

// CacheOption configures a Cache.
type CacheOption func(*Cache)

// WithClock makes the cache read the time from now instead of time.Now
// (tests use a fake clock).
func WithClock(now func() time.Time) CacheOption {
	return func(c *Cache) {
		if now != nil {
			c.now = now
		}
	}
}

// WithMaxEntries bounds the cache at n entries (DefaultMaxEntries when n
// is not positive). When full, expired entries go first, then the oldest.
func WithMaxEntries(n int) CacheOption {
	return func(c *Cache) {
		if n > 0 {
			c.maxEntries = n
		}
	}
}

// WithMaxAgeLimit sets the imposed limit on max-age (DefaultMaxAgeLimit
// when d is not positive).
func WithMaxAgeLimit(d time.Duration) CacheOption {
	return func(c *Cache) {
		if d > 0 {
			c.maxAgeLimit = d
		}
	}
}

// NewCache returns an empty CORS-preflight cache.
func NewCache(opts ...CacheOption) *Cache {
	c := &Cache{
		now:         time.Now,
		maxEntries:  DefaultMaxEntries,
		maxAgeLimit: DefaultMaxAgeLimit,
		entries:     make(map[entryKey]*list.Element),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// MaxAgeLimit returns the imposed limit on max-age; 0 for a nil cache.
func (c *Cache) MaxAgeLimit() time.Duration {
	if c == nil {
		return 0
	}
	return c.maxAgeLimit
}

// Len returns the number of entries, expired ones included until they are
// swept.
func (c *Cache) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// NetworkPartitionKey returns the key wfetch uses for req's network
// partition: the serialized origin of req's reserved client, else of its
// client, else "" (null).
//
// Deviation: the standard uses the site of the environment's top-level
// origin; wfetch's environments have no top-level origin, and the origin
// partitions at least as finely as its site.
// https://fetch.spec.whatwg.org/#request-determine-the-network-partition-key
func NetworkPartitionKey(req *request.Internal) string {
	// 1. The reserved client, if any.
	env := req.ReservedClient
	// 2. Else the client.
	if env == nil {
		env = req.Client
	}
	// 3. Else null.
	if env == nil || env.Origin == nil {
		return ""
	}
	return env.Origin.Serialize()
}

// base returns the part of an entry key that comes from req: network
// partition key, byte-serialized origin, current URL.
func base(req *request.Internal) entryKey {
	k := entryKey{partition: NetworkPartitionKey(req), origin: req.ByteSerializeOrigin()}
	if u := req.CurrentURL(); u != nil {
		k.url = u.Serialize(false)
	}
	return k
}

// lookup returns the live entry under k, sweeping it when expired. c.mu
// must be held.
func (c *Cache) lookup(k entryKey, now time.Time) *list.Element {
	el, ok := c.entries[k]
	if !ok {
		return nil
	}
	if !now.Before(el.Value.(*entry).expires) {
		c.remove(el)
		return nil
	}
	return el
}

func (c *Cache) remove(el *list.Element) {
	delete(c.entries, el.Value.(*entry).key)
	c.order.Remove(el)
}

// reqKey is what the cache entry match looks at in a request, computed
// once per lookup: the key, origin and URL, and whether the request's
// credentials mode is "include".
type reqKey struct {
	base    entryKey
	include bool
}

func keyOf(req *request.Internal) reqKey {
	return reqKey{base: base(req), include: req.Credentials == request.CredentialsInclude}
}

// match finds a live entry of the given kind that has a cache entry match
// with the request rk and whose value is value, or the wildcard when
// wildcardOK. c.mu must be held.
//
// An entry matches a request when its key, origin and URL are the
// request's and its credentials are true, or false while the request's
// credentials mode is not "include".
// https://fetch.spec.whatwg.org/#concept-cache-match
func (c *Cache) match(rk reqKey, now time.Time, kind byte, value string, wildcardOK bool) *list.Element {
	k := rk.base
	k.kind = kind
	// Credentials true entries match every request; false ones only
	// requests that do not include credentials.
	for _, cr := range [2]bool{true, false} {
		if !cr && rk.include {
			break
		}
		k.credentials = cr
		k.value = value
		if el := c.lookup(k, now); el != nil {
			return el
		}
		if wildcardOK && value != "*" {
			k.value = "*"
			if el := c.lookup(k, now); el != nil {
				return el
			}
		}
	}
	return nil
}

// methodMatch is MethodMatch for a precomputed request key. c.mu must be
// held.
func (c *Cache) methodMatch(rk reqKey, now time.Time, method string) *list.Element {
	return c.match(rk, now, 'm', method, !rk.include)
}

// headerNameMatch is HeaderNameMatch for a precomputed request key. c.mu
// must be held.
func (c *Cache) headerNameMatch(rk reqKey, now time.Time, name string) *list.Element {
	wildcardOK := !rk.include && !headers.IsCORSNonWildcardRequestHeaderName(name)
	return c.match(rk, now, 'h', ascii.Lower(name), wildcardOK)
}

// MethodMatch reports whether there is a method cache entry match for
// method using req: a live entry that has a cache entry match with req and
// whose method is method (case-sensitive) or `*`.
//
// Deviation: an entry whose method is `*` counts as a wildcard only when
// req's credentials mode is not "include" (as in browsers and as
// Access-Control-Allow-Methods treats it); for credentialed requests it
// matches only the method `*` itself. The standard lets it match any
// method.
// https://fetch.spec.whatwg.org/#concept-cache-match-method
func (c *Cache) MethodMatch(req *request.Internal, method string) bool {
	if c == nil {
		return false
	}
	rk := keyOf(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.methodMatch(rk, c.now(), method) != nil
}

// HeaderNameMatch reports whether there is a header-name cache entry match
// for name using req: a live entry that has a cache entry match with req
// and whose header name is name (byte-case-insensitive), or `*` when name
// is not a CORS non-wildcard request-header name (Authorization).
//
// Deviation: as with MethodMatch, a `*` entry is a wildcard only for
// requests whose credentials mode is not "include".
// https://fetch.spec.whatwg.org/#concept-cache-match-header
func (c *Cache) HeaderNameMatch(req *request.Internal, name string) bool {
	if c == nil {
		return false
	}
	rk := keyOf(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headerNameMatch(rk, c.now(), name) != nil
}

// needsPreflight is the cache part of NeedsPreflight: whether method
// (when checkMethod) has no method cache entry match or some name has no
// header-name cache entry match, for req. A nil cache matches nothing.
func (c *Cache) needsPreflight(req *request.Internal, checkMethod bool, names []string) bool {
	if !checkMethod && len(names) == 0 {
		return false
	}
	if c == nil {
		return true
	}
	rk := keyOf(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if checkMethod && c.methodMatch(rk, now, req.Method) == nil {
		return true
	}
	for _, n := range names {
		if c.headerNameMatch(rk, now, n) == nil {
			return true
		}
	}
	return false
}

// CreateEntry runs "create a new cache entry" for req with maxAge and
// either a method (headerName "") or a header name (method ""); "" stands
// for the standard's null. maxAge is capped at the imposed limit. An entry
// with the same key is replaced.
// https://fetch.spec.whatwg.org/#concept-cache-create-entry
func (c *Cache) CreateEntry(req *request.Internal, maxAge time.Duration, method, headerName string) {
	if c == nil || (method == "" && headerName == "") {
		return
	}
	// 1. The entry: partition key, origin, current URL, credentials,
	// method or header name.
	k := base(req)
	k.credentials = req.Credentials == request.CredentialsInclude
	if method != "" {
		k.kind, k.value = 'm', method
	} else {
		k.kind, k.value = 'h', ascii.Lower(headerName)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// 2. Append it.
	c.store(k, maxAge)
}

// store puts an entry under k that expires maxAge from now, replacing any
// entry under k and keeping the cache within its bound. c.mu must be held.
func (c *Cache) store(k entryKey, maxAge time.Duration) {
	if maxAge > c.maxAgeLimit {
		maxAge = c.maxAgeLimit
	}
	now := c.now()
	if el, ok := c.entries[k]; ok {
		c.remove(el)
	}
	if maxAge <= 0 {
		// Expired on arrival: nothing to keep.
		return
	}
	if len(c.entries) >= c.maxEntries {
		c.sweep(now)
	}
	for len(c.entries) >= c.maxEntries {
		c.remove(c.order.Front())
	}
	c.entries[k] = c.order.PushBack(&entry{key: k, expires: now.Add(maxAge)})
}

// refresh sets the max-age of the entry el to maxAge, counted from now
// (the entry is stored anew). c.mu must be held.
func (c *Cache) refresh(el *list.Element, maxAge time.Duration) {
	c.store(el.Value.(*entry).key, maxAge)
}

// sweep removes every expired entry. c.mu must be held.
func (c *Cache) sweep(now time.Time) {
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		if !now.Before(el.Value.(*entry).expires) {
			c.remove(el)
		}
		el = next
	}
}

// Sweep removes every expired entry now. Lookups remove the expired
// entries they meet, and a full cache sweeps before evicting, so calling
// Sweep is only needed to free memory early.
func (c *Cache) Sweep() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(c.now())
}

// Clear runs "clear cache entries" for req: it removes every entry whose
// network partition key, byte-serialized origin and URL are req's
// (whatever their credentials, method or header name).
// https://fetch.spec.whatwg.org/#concept-cache-clear
func (c *Cache) Clear(req *request.Internal) {
	if c == nil {
		return
	}
	b := base(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Front(); el != nil; {
		next := el.Next()
		k := el.Value.(*entry).key
		if k.partition == b.partition && k.origin == b.origin && k.url == b.url {
			c.remove(el)
		}
		el = next
	}
}

// update runs the cache steps of a successful CORS-preflight fetch (steps
// 13-16): for each method and header name, refresh a matching entry's
// max-age or create a new entry.
// https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func (c *Cache) update(req *request.Internal, maxAge time.Duration, methods, headerNames []string) {
	if c == nil {
		return
	}
	rk := keyOf(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	k := rk.base
	k.credentials = rk.include
	// 13. Methods with a match: refresh their entry.
	// 14. Methods without one: a new entry.
	for _, m := range methods {
		if el := c.methodMatch(rk, now, m); el != nil {
			c.refresh(el, maxAge)
			continue
		}
		nk := k
		nk.kind, nk.value = 'm', m
		c.store(nk, maxAge)
	}
	// 15. Header names with a match: refresh their entry.
	// 16. Header names without one: a new entry.
	for _, h := range headerNames {
		if el := c.headerNameMatch(rk, now, h); el != nil {
			c.refresh(el, maxAge)
			continue
		}
		nk := k
		nk.kind, nk.value = 'h', ascii.Lower(h)
		c.store(nk, maxAge)
	}
}
