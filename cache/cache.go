package cache

import (
	"bytes"
	"container/list"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxBytes is a Cache's default capacity: 64 MiB of stored bodies
// and headers.
const DefaultMaxBytes = 64 << 20

// DefaultHeuristicFraction is the share of a response's age since
// Last-Modified that browsers use as its heuristic freshness lifetime.
const DefaultHeuristicFraction = 0.1

// Cache is an in-memory HTTP cache with a browser's (private cache's)
// semantics, as RFC 9111 describes and the Fetch Standard consults it.
// It implements fetch.HTTPCache.
//
// Stored responses are keyed by the request's partition key and
// credentials flag (see RequestInfo), the method (GET or HEAD) and the URL
// without fragment; responses with a Vary header are further told apart by
// the request header values Vary names. Capacity is bounded by the bytes of
// stored bodies and headers; the least recently used entries are evicted
// first.
//
// A Cache is safe for concurrent use. The zero Cache is not usable: build
// one with New.
type Cache struct {
	mu        sync.Mutex
	maxBytes  int64
	now       func() time.Time
	heuristic float64

	size   int64
	lru    list.List           // front: most recently used; values are *entry
	byKey  map[string][]*entry // primary key → its variants
	byBase map[string][]*entry // entries with No-Vary-Search, by key without query
}

// Option configures a Cache.
type Option func(*Cache)

// WithMaxBytes bounds the bytes of stored bodies and headers (default
// DefaultMaxBytes). A response larger than the bound is not stored. n <= 0
// keeps the default.
func WithMaxBytes(n int64) Option {
	return func(c *Cache) {
		if n > 0 {
			c.maxBytes = n
		}
	}
}

// WithClock makes the cache read the time from now instead of time.Now,
// so tests can age stored responses.
func WithClock(now func() time.Time) Option {
	return func(c *Cache) {
		if now != nil {
			c.now = now
		}
	}
}

// WithHeuristic sets the fraction of the time since Last-Modified that a
// response without explicit freshness stays fresh (RFC 9111 §4.2.2; default
// DefaultHeuristicFraction, capped at one week). 0 turns heuristic
// freshness off.
func WithHeuristic(fraction float64) Option {
	return func(c *Cache) {
		if fraction >= 0 {
			c.heuristic = fraction
		}
	}
}

// New returns an empty Cache configured by opts.
func New(opts ...Option) *Cache {
	c := &Cache{
		maxBytes:  DefaultMaxBytes,
		now:       time.Now,
		heuristic: DefaultHeuristicFraction,
		byKey:     map[string][]*entry{},
		byBase:    map[string][]*entry{},
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	c.lru.Init()
	return c
}

// RequestInfo is what the fetch layer knows about a request that its HTTP
// form does not say. Attach it to the request's context with
// WithRequestInfo; without it every field is zero.
type RequestInfo struct {
	// PartitionKey separates entries by network partition (the top-level
	// site, as browsers partition their caches). "" is one shared partition.
	PartitionKey string
	// Credentials reports whether the request includes credentials;
	// credentialed and anonymous requests never share entries.
	Credentials bool
	// Mode is the request's cache mode ("default", "no-cache",
	// "force-cache", "only-if-cached", ...); "no-cache" makes every stored
	// response need validation.
	Mode string
	// RequestTime is when the request was made (RFC 9111's request_time);
	// zero means when the response arrived.
	RequestTime time.Time
}

type infoKey struct{}

// WithRequestInfo returns a context carrying info for the cache.
func WithRequestInfo(ctx context.Context, info RequestInfo) context.Context {
	return context.WithValue(ctx, infoKey{}, info)
}

// RequestInfoOf returns the RequestInfo ctx carries (zero when none).
func RequestInfoOf(ctx context.Context) RequestInfo {
	if ctx == nil {
		return RequestInfo{}
	}
	info, _ := ctx.Value(infoKey{}).(RequestInfo)
	return info
}

func requestInfo(req *http.Request) RequestInfo {
	if req == nil {
		return RequestInfo{}
	}
	info, _ := req.Context().Value(infoKey{}).(RequestInfo)
	return info
}

// entry is a stored response. An entry is immutable once committed (its
// body may be read by several responses at once); updates replace it.
type entry struct {
	key    string // primary key
	url    string // the URL without fragment, for invalidation
	status int
	line   string // "200 OK"
	proto  string
	major  int
	minor  int
	header http.Header
	cc     directives
	body   []byte

	varyNames []string // canonical names Vary lists
	varyVals  []string // the request's values for them ("\x00" when absent)

	partial *contentRange // for a stored 206: which bytes body holds

	nvs     *searchVariance // No-Vary-Search, nil for none
	baseKey string          // the key without the URL's query (with nvs)
	reqURL  *url.URL        // the request URL (with nvs)

	requestTime  time.Time
	responseTime time.Time
	dateValue    time.Time
	ageValue     time.Duration

	elem *list.Element // nil once removed
	size int64
}

// primaryKey builds the cache key of a request.
func primaryKey(info RequestInfo, method, u string) string {
	cred := "a"
	if info.Credentials {
		cred = "c"
	}
	return info.PartitionKey + "\x00" + cred + "\x00" + method + "\x00" + u
}

// urlKey is the URL a request is stored under: without fragment.
func urlKey(u *url.URL) string {
	if u == nil {
		return ""
	}
	if u.Fragment == "" && u.RawFragment == "" {
		return u.String()
	}
	n := *u
	n.Fragment, n.RawFragment = "", ""
	return n.String()
}

// Len returns the number of stored responses.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Size returns the bytes the stored responses take (bodies and headers).
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Clear drops every stored response.
func (c *Cache) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.lru.Front(); el != nil; el = el.Next() {
		el.Value.(*entry).elem = nil
	}
	c.lru.Init()
	c.byKey = map[string][]*entry{}
	c.byBase = map[string][]*entry{}
	c.size = 0
}

// Lookup returns a stored response that can answer req, and whether it is
// stale: stale responses need validation before use (unless the cache mode
// is force-cache or only-if-cached). It returns nil when nothing usable is
// stored, or when req's Cache-Control has no-store. When nothing is
// stored and req's Cache-Control has only-if-cached, it answers 504
// (Gateway Timeout) itself, as RFC 9111 §5.2.1.7 says.
//
// The returned response's body reads the stored bytes; its Age header
// holds the response's current age. A Range request is answered from a
// stored complete or partial response that covers the range, as 206.
// https://www.rfc-editor.org/rfc/rfc9111#section-4
func (c *Cache) Lookup(req *http.Request) (*http.Response, bool) {
	if req == nil || req.URL == nil || (req.Method != http.MethodGet && req.Method != http.MethodHead) {
		return nil, false
	}
	req = canonicalRequest(req)
	info := requestInfo(req)
	reqCC := parseDirectives(req.Header)
	// no-store in the request: bypass the cache entirely (as browsers do).
	if reqCC.has("no-store") {
		return nil, false
	}
	now := c.now()
	u := urlKey(req.URL)

	c.mu.Lock()
	e := c.findLocked(primaryKey(info, req.Method, u), req.Header)
	if e == nil && req.Method == http.MethodHead {
		// A stored GET response answers HEAD too.
		e = c.findLocked(primaryKey(info, http.MethodGet, u), req.Header)
	}
	if e == nil {
		// A response whose No-Vary-Search makes this URL equivalent.
		e = c.findEquivalentLocked(primaryKey(info, req.Method, withoutQuery(req.URL)), req)
	}
	if e != nil {
		c.lru.MoveToFront(e.elem)
	}
	c.mu.Unlock()

	if e == nil {
		if reqCC.has("only-if-cached") && info.Mode != "only-if-cached" {
			return gatewayTimeout(req), false
		}
		return nil, false
	}
	resp := c.serve(e, req, now)
	if resp == nil {
		return nil, false
	}
	return resp, c.needsValidation(e, req, reqCC, info, now)
}

// needsValidation decides whether a stored response may be used without
// asking the server: its freshness (RFC 9111 §4.2) against the request's
// and the response's Cache-Control directives (§5.2).
func (c *Cache) needsValidation(e *entry, req *http.Request, reqCC directives, info RequestInfo, now time.Time) bool {
	age := currentAge(e, now)
	lifetime := c.freshnessLifetime(e)
	fresh := lifetime > age
	stale := !fresh
	// max-stale: the client accepts a stale response (up to a bound),
	// unless the response insists on revalidation.
	if !fresh && reqCC.has("max-stale") && !e.cc.has("must-revalidate") && !e.cc.has("no-cache") {
		if arg := reqCC["max-stale"]; arg == "" || age-lifetime <= deltaSeconds(arg) {
			stale = false
		}
	}
	// immutable (RFC 8246 §2): while fresh, a reload (request max-age,
	// min-fresh or Pragma: no-cache) does not validate, in the cache modes
	// that let the cache answer by itself (default and force-cache). A
	// request no-cache (a forced reload) and cache mode no-cache still do.
	immutable := fresh && e.cc.has("immutable") &&
		(info.Mode == "" || info.Mode == "default" || info.Mode == "force-cache")
	// max-age: nothing older than this (0: always validate, as browsers).
	if d, ok := reqCC.seconds("max-age"); ok && (d == 0 || age > d) && !immutable {
		stale = true
	}
	// min-fresh: at least this much freshness left.
	if d, ok := reqCC.seconds("min-fresh"); ok && lifetime-age < d && !immutable {
		stale = true
	}
	// no-cache in the request (or Pragma: no-cache when the request has no
	// Cache-Control, RFC 9111 §5.4), in the response, or cache mode
	// no-cache: validate.
	if reqCC.has("no-cache") || (reqCC == nil && pragmaNoCache(req.Header) && !immutable) ||
		e.cc.has("no-cache") || info.Mode == "no-cache" {
		stale = true
	}
	return stale
}

func pragmaNoCache(h http.Header) bool {
	for _, v := range h.Values("Pragma") {
		for _, p := range splitList(v) {
			if strings.EqualFold(p, "no-cache") {
				return true
			}
		}
	}
	return false
}

// StaleWhileRevalidate reports whether a response Lookup returned as
// stale may still be used while it is revalidated in the background: its
// stale-while-revalidate window (RFC 5861) has not passed and nothing
// else forces validation first.
func (c *Cache) StaleWhileRevalidate(req *http.Request, stored *http.Response) bool {
	e := entryOf(stored)
	if e == nil || req == nil {
		return false
	}
	req = canonicalRequest(req)
	window, ok := e.cc.seconds("stale-while-revalidate")
	if !ok || window <= 0 || e.cc.has("no-cache") || e.cc.has("must-revalidate") {
		return false
	}
	reqCC := parseDirectives(req.Header)
	if reqCC.has("no-cache") || reqCC.has("max-age") || reqCC.has("min-fresh") ||
		(reqCC == nil && pragmaNoCache(req.Header)) || requestInfo(req).Mode == "no-cache" {
		return false
	}
	now := c.now()
	age, lifetime := currentAge(e, now), c.freshnessLifetime(e)
	return age >= lifetime && age-lifetime < window
}

// findLocked returns the variant stored under key that matches the
// request headers h (its Vary-listed values are equal), or nil.
// https://www.rfc-editor.org/rfc/rfc9111#section-4.1
func (c *Cache) findLocked(key string, h http.Header) *entry {
	vs := c.byKey[key]
	// The most recently stored matching variant wins.
	for i := len(vs) - 1; i >= 0; i-- {
		if vs[i].varyMatches(h) {
			return vs[i]
		}
	}
	return nil
}

// findEquivalentLocked returns the most recently stored response with a
// No-Vary-Search under baseKey whose URL is equivalent to req's modulo its
// search variance, and whose Vary matches.
// https://wicg.github.io/nav-speculation/no-vary-search.html
func (c *Cache) findEquivalentLocked(baseKey string, req *http.Request) *entry {
	vs := c.byBase[baseKey]
	for i := len(vs) - 1; i >= 0; i-- {
		if e := vs[i]; e.nvs.equivalent(e.reqURL, req.URL) && e.varyMatches(req.Header) {
			return e
		}
	}
	return nil
}

// varyMatches compares the request headers Vary selects.
func (e *entry) varyMatches(h http.Header) bool {
	for i, name := range e.varyNames {
		if varyValue(h, name) != e.varyVals[i] {
			return false
		}
	}
	return true
}

// varyValue is a request header's value as Vary compares it: all lines
// combined, whitespace around commas normalized; "\x00" when absent.
func varyValue(h http.Header, name string) string {
	vals := h.Values(name) // h is canonical (canonicalRequest)
	if len(vals) == 0 {
		return "\x00"
	}
	parts := make([]string, 0, len(vals))
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			parts = append(parts, strings.TrimSpace(p))
		}
	}
	return strings.Join(parts, ", ")
}

// serve builds the response a stored entry gives req: the stored status,
// headers and body with an Age header, or a 206 slice for a Range request.
// nil means the entry cannot answer (a range it does not hold).
func (c *Cache) serve(e *entry, req *http.Request, now time.Time) *http.Response {
	status, line, body := e.status, e.line, e.body
	h := e.header.Clone()
	rangeHdr := req.Header.Get("Range")
	switch {
	case e.partial != nil && rangeHdr == "":
		// A partial response cannot answer a request for everything.
		return nil
	case rangeHdr != "" && (e.status == http.StatusOK || e.partial != nil):
		r, ok := parseRange(rangeHdr)
		if !ok {
			return nil
		}
		var start, end, total int64
		if e.partial == nil {
			total = int64(len(body))
			if start, end, ok = r.resolve(total); !ok {
				return nil
			}
			body = body[start : end+1]
		} else {
			p := e.partial
			have := p.first + int64(len(body)) - 1 // the last byte held
			total = p.complete
			switch {
			case have > p.last:
				have = p.last // extra bytes beyond the range are ignored
			case have < p.last && total >= 0:
				// A body shorter than its Content-Range: the
				// representation is taken to end where the body does
				// (what the WPT partial-content tests expect).
				total = have + 1
			}
			if total < 0 {
				total = have + 1
				if r.first < 0 {
					return nil // a suffix of an unknown length
				}
			}
			if start, end, ok = r.resolve(total); !ok || start < p.first || end > have {
				return nil
			}
			body = body[start-p.first : end-p.first+1]
		}
		status, line = http.StatusPartialContent, "206 Partial Content"
		cr := "bytes " + strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end, 10) + "/"
		if total >= 0 && (e.partial == nil || e.partial.complete >= 0) {
			cr += strconv.FormatInt(total, 10)
		} else {
			cr += "*"
		}
		h.Set("Content-Range", cr)
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	h.Set("Age", formatAge(currentAge(e, now)))
	if req.Method == http.MethodHead {
		body = nil
	}
	return &http.Response{
		Status:        line,
		StatusCode:    status,
		Proto:         e.proto,
		ProtoMajor:    e.major,
		ProtoMinor:    e.minor,
		Header:        h,
		Body:          &storedBody{Reader: bytes.NewReader(body), e: e},
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// storedBody is the body of a response served from the cache; it
// remembers its entry so Freshen can find it.
type storedBody struct {
	*bytes.Reader
	e *entry
}

// Close implements io.Closer.
func (*storedBody) Close() error { return nil }

func entryOf(resp *http.Response) *entry {
	if resp == nil {
		return nil
	}
	if b, ok := resp.Body.(*storedBody); ok {
		return b.e
	}
	return nil
}

// gatewayTimeout is the 504 a cache answers only-if-cached with when it
// has nothing.
func gatewayTimeout(req *http.Request) *http.Response {
	return &http.Response{
		Status:     "504 Gateway Timeout",
		StatusCode: http.StatusGatewayTimeout,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{},
		Body:       http.NoBody,
		Request:    req,
	}
}

// Store offers a network response to req for storing and returns the
// response to use in its place. A storable response is returned with a
// body that copies what the caller reads; the entry is stored once the
// body has been read to its end (a body closed early, cut short or larger
// than the cache is not stored). Headers are never held back.
//
// Unsafe methods with a 2xx or 3xx answer first invalidate the request URL
// and the same-origin Location and Content-Location URLs (RFC 9111 §4.4).
// A POST or PATCH answer with explicit freshness whose Content-Location is
// the request URL is stored for later GETs (RFC 9110 §9.3.3).
// https://www.rfc-editor.org/rfc/rfc9111#section-3
func (c *Cache) Store(req *http.Request, resp *http.Response) *http.Response {
	if req == nil || req.URL == nil || resp == nil {
		return resp
	}
	req = canonicalRequest(req)
	rh := canonicalHeader(resp.Header)
	method := req.Method
	if !isSafe(method) && resp.StatusCode >= 200 && resp.StatusCode < 400 {
		c.invalidateResponse(req, resp)
	}
	if method == http.MethodPost || method == "PATCH" {
		cl, ok := sameOriginRef(req.URL, rh.Get("Content-Location"))
		if !ok || urlKey(cl) != urlKey(req.URL) || !hasExplicitFreshness(rh, parseDirectives(rh)) {
			return resp
		}
		method = http.MethodGet
	} else if method != http.MethodGet && method != http.MethodHead {
		return resp
	}
	e := c.newEntry(req, resp, rh, method)
	if e == nil {
		return resp
	}
	reqHeader := req.Header.Clone()
	// Nothing to read: store now.
	if method == http.MethodHead || resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 ||
		resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		c.commit(e, reqHeader)
		return resp
	}
	n := *resp
	n.Body = &teeBody{rc: resp.Body, c: c, e: e, reqHeader: reqHeader, want: resp.ContentLength}
	return &n
}

// newEntry checks that resp, whose header is rh (canonical keys), may be
// stored (RFC 9111 §3) and builds its entry without the body; nil when it
// may not.
func (c *Cache) newEntry(req *http.Request, resp *http.Response, rh http.Header, method string) *entry {
	status := resp.StatusCode
	// 1xx and 304 are never stored by themselves.
	if status < 200 || status == http.StatusNotModified || status > 999 {
		return nil
	}
	reqCC := parseDirectives(req.Header)
	respCC := parseDirectives(rh)
	// must-understand (RFC 9111 §5.2.2.3): a response with a status whose
	// caching rules this cache implements is stored regardless of its
	// no-store; with any other status it is not stored at all.
	mustUnderstand := respCC.has("must-understand")
	if mustUnderstand && !understoodStatuses[status] {
		return nil
	}
	// no-store on either side (the response's is overridden by an
	// understood must-understand).
	if reqCC.has("no-store") || (respCC.has("no-store") && !mustUnderstand) {
		return nil
	}
	// Vary: * never matches a later request.
	var varyNames []string
	for _, v := range rh.Values("Vary") {
		for _, name := range splitList(v) {
			if name == "*" {
				return nil
			}
			varyNames = append(varyNames, http.CanonicalHeaderKey(name))
		}
	}
	// Requests with Authorization: only with explicit permission (§3.5).
	if len(req.Header.Values("Authorization")) > 0 &&
		!respCC.has("must-revalidate") && !respCC.has("public") && !respCC.has("s-maxage") {
		return nil
	}
	// Something must make it cacheable: explicit freshness, a public or
	// private directive (this is a private cache), or a status cacheable
	// by default.
	if !hasExplicitFreshness(rh, respCC) && !respCC.has("public") && !respCC.has("private") &&
		!heuristicStatuses[status] {
		return nil
	}
	var partial *contentRange
	if status == http.StatusPartialContent {
		cr, ok := parseContentRange(rh.Get("Content-Range"))
		if !ok {
			return nil
		}
		partial = &cr
	}
	now := c.now()
	info := requestInfo(req)
	reqTime := info.RequestTime
	if reqTime.IsZero() || reqTime.After(now) {
		reqTime = now
	}
	e := &entry{
		key:          primaryKey(info, method, urlKey(req.URL)),
		url:          urlKey(req.URL),
		status:       status,
		line:         resp.Status,
		proto:        resp.Proto,
		major:        resp.ProtoMajor,
		minor:        resp.ProtoMinor,
		header:       storedHeader(rh),
		partial:      partial,
		requestTime:  reqTime,
		responseTime: now,
	}
	if e.line == "" {
		e.line = strconv.Itoa(status) + " " + http.StatusText(status)
	}
	if e.proto == "" {
		e.proto, e.major, e.minor = "HTTP/1.1", 1, 1
	}
	e.varyNames = varyNames
	if nvs := parseNoVarySearch(rh); nvs != nil {
		ru := *req.URL
		ru.Fragment, ru.RawFragment = "", ""
		e.nvs, e.reqURL, e.baseKey = nvs, &ru, primaryKey(info, method, withoutQuery(&ru))
	}
	for _, name := range varyNames {
		e.varyVals = append(e.varyVals, varyValue(req.Header, name))
	}
	e.setTimes()
	return e
}

// setTimes derives the parsed directives and the Date and Age values from
// the entry's headers.
func (e *entry) setTimes() {
	e.cc = parseDirectives(e.header)
	e.dateValue = e.responseTime
	if d, ok := parseHTTPDate(e.header.Get("Date")); ok {
		e.dateValue = d
	}
	e.ageValue = ageHeaderValue(e.header)
}

// notStored are header fields a cache does not keep: the hop-by-hop
// fields (RFC 9111 §3.1). Set-Cookie is stored, as RFC 9111 §7.3 allows;
// fetch never applies a Set-Cookie of a response served from the cache to
// its cookie jar (only network responses reach the jar), and browser-mode
// filtering removes it as from any response.
var notStored = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Te": true,
	"Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
}

// storedHeader returns the fields of h (canonical keys) that a cache
// stores: not the hop-by-hop fields, nor those that h's Connection header
// names (RFC 9111 §3.1).
func storedHeader(h http.Header) http.Header {
	conn := connectionNames(h)
	n := make(http.Header, len(h))
	for k, v := range h {
		if notStored[k] || conn[k] {
			continue
		}
		n[k] = append([]string(nil), v...)
	}
	return n
}

// canonicalRequest returns req, or a shallow copy of it whose header has
// canonical keys when req's has not (see canonicalHeader).
func canonicalRequest(req *http.Request) *http.Request {
	h, changed := canonicalize(req.Header)
	if !changed && req.Header != nil {
		return req
	}
	if h == nil {
		h = http.Header{}
	}
	n := new(http.Request)
	*n = *req
	n.Header = h
	return n
}

// commit stores a complete entry, replacing the variants the same request
// would select, and evicts least recently used entries beyond capacity.
func (c *Cache) commit(e *entry, reqHeader http.Header) {
	e.size = int64(len(e.body)) + headerSize(e.header) + int64(len(e.key))
	if e.size > c.maxBytes {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, old := range append([]*entry(nil), c.byKey[e.key]...) {
		if old.varyMatches(reqHeader) {
			c.removeLocked(old)
		}
	}
	e.elem = c.lru.PushFront(e)
	c.byKey[e.key] = append(c.byKey[e.key], e)
	if e.nvs != nil {
		c.byBase[e.baseKey] = append(c.byBase[e.baseKey], e)
	}
	c.size += e.size
	for c.size > c.maxBytes {
		c.removeLocked(c.lru.Back().Value.(*entry))
	}
}

func headerSize(h http.Header) int64 {
	n := int64(0)
	for k, v := range h {
		for _, s := range v {
			n += int64(len(k) + len(s) + 4)
		}
	}
	return n
}

// removeLocked drops an entry.
func (c *Cache) removeLocked(e *entry) {
	if e.elem == nil {
		return
	}
	c.lru.Remove(e.elem)
	e.elem = nil
	c.size -= e.size
	dropFrom(c.byKey, e.key, e)
	if e.nvs != nil {
		dropFrom(c.byBase, e.baseKey, e)
	}
}

// dropFrom removes e from m[key].
func dropFrom(m map[string][]*entry, key string, e *entry) {
	vs := m[key]
	for i, v := range vs {
		if v == e {
			vs = append(vs[:i:i], vs[i+1:]...)
			break
		}
	}
	if len(vs) == 0 {
		delete(m, key)
	} else {
		m[key] = vs
	}
}

// replaceLocked puts n in old's place (same key and LRU position).
func (c *Cache) replaceLocked(old, n *entry) {
	if old.elem == nil {
		return
	}
	n.elem = old.elem
	n.elem.Value = n
	old.elem = nil
	n.size = int64(len(n.body)) + headerSize(n.header) + int64(len(n.key))
	c.size += n.size - old.size
	for _, vs := range [][]*entry{c.byKey[old.key], c.byBase[old.baseKey]} {
		for i, v := range vs {
			if v == old {
				vs[i] = n
			}
		}
	}
	c.lru.MoveToFront(n.elem)
}

// Freshen updates the stored response that Lookup returned as stored with
// the header fields of notModified, the 304 answer to its validation, and
// returns the updated response to use (RFC 9111 §4.3.4). Content-Length and
// the fields a cache does not store are not taken from the 304.
func (c *Cache) Freshen(req *http.Request, stored, notModified *http.Response) *http.Response {
	e := entryOf(stored)
	if e == nil || notModified == nil || req == nil {
		return stored
	}
	req = canonicalRequest(req)
	now := c.now()
	c.mu.Lock()
	n := *e // under the lock: elem and size change there
	c.mu.Unlock()
	n.elem = nil
	n.header = e.header.Clone()
	nh := canonicalHeader(notModified.Header)
	conn := connectionNames(nh)
	for k, v := range nh {
		if notStored[k] || notUpdated[k] || conn[k] {
			continue
		}
		n.header[k] = append([]string(nil), v...)
	}
	reqTime := requestInfo(req).RequestTime
	if reqTime.IsZero() || reqTime.After(now) {
		reqTime = now
	}
	n.requestTime, n.responseTime = reqTime, now
	n.setTimes()
	c.mu.Lock()
	c.replaceLocked(e, &n)
	c.mu.Unlock()
	if resp := c.serve(&n, req, now); resp != nil {
		return resp
	}
	return stored
}

// notUpdated are the fields a 304 does not overwrite: they describe the
// stored body, not the 304's.
var notUpdated = map[string]bool{
	"Content-Length": true, "Content-Encoding": true, "Content-Range": true,
}

// Invalidate drops every stored response for req's URL (all methods,
// partitions and variants), as after an unsafe method succeeded.
// https://www.rfc-editor.org/rfc/rfc9111#section-4.4
func (c *Cache) Invalidate(req *http.Request) {
	if req == nil || req.URL == nil {
		return
	}
	c.invalidateURL(urlKey(req.URL))
}

// invalidateResponse invalidates the request URL and the same-origin
// Location and Content-Location URLs of resp.
func (c *Cache) invalidateResponse(req *http.Request, resp *http.Response) {
	c.invalidateURL(urlKey(req.URL))
	rh := canonicalHeader(resp.Header)
	for _, name := range []string{"Location", "Content-Location"} {
		if u, ok := sameOriginRef(req.URL, rh.Get(name)); ok {
			c.invalidateURL(urlKey(u))
		}
	}
}

func (c *Cache) invalidateURL(u string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var doomed []*entry
	for el := c.lru.Front(); el != nil; el = el.Next() {
		if e := el.Value.(*entry); e.url == u {
			doomed = append(doomed, e)
		}
	}
	for _, e := range doomed {
		c.removeLocked(e)
	}
}

// sameOriginRef resolves a URL reference (a header's value) against base;
// ok only when there is one, it parses and it is same-origin with base.
func sameOriginRef(base *url.URL, ref string) (*url.URL, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return nil, false
	}
	r, err := url.Parse(ref)
	if err != nil {
		return nil, false
	}
	u := base.ResolveReference(r)
	if !strings.EqualFold(u.Scheme, base.Scheme) || !strings.EqualFold(u.Host, base.Host) {
		return nil, false
	}
	return u, true
}

func isSafe(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// teeBody copies a network body while the caller reads it and stores the
// entry when the body ends.
type teeBody struct {
	rc        io.ReadCloser
	c         *Cache
	e         *entry
	reqHeader http.Header
	want      int64 // Content-Length, -1 unknown

	mu   sync.Mutex
	buf  []byte
	over bool // larger than the cache: not stored
	done bool
}

// Read implements io.Reader.
func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return n, err
	}
	if n > 0 && !t.over {
		if int64(len(t.buf)+n) > t.c.maxBytes {
			t.over, t.buf = true, nil
		} else {
			t.buf = append(t.buf, p[:n]...)
		}
	}
	switch {
	case err == io.EOF:
		t.done = true
		if !t.over && (t.want < 0 || int64(len(t.buf)) == t.want) {
			t.e.body = t.buf
			t.c.commit(t.e, t.reqHeader)
		}
		t.buf = nil
	case err != nil:
		t.done, t.buf = true, nil
	}
	return n, err
}

// Close implements io.Closer. A body closed before its end is not stored.
func (t *teeBody) Close() error {
	t.mu.Lock()
	t.done, t.buf = true, nil
	t.mu.Unlock()
	return t.rc.Close()
}
