package cache

import (
	"context"
	"errors"
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

// Cache is an HTTP cache with a browser's (private cache's) semantics, as
// RFC 9111 describes and the Fetch Standard consults it. It implements
// fetch.HTTPCache. Its entries live in a Store: in memory by default
// (NewMemory), or on disk (NewDisk) or in Redis (NewRedis) with WithStore.
//
// Stored responses are keyed by the request's partition key and
// credentials flag (see RequestInfo), the method (GET or HEAD) and the URL
// without fragment; responses with a Vary header are further told apart by
// the request header values Vary names.
//
// A Cache is safe for concurrent use. The zero Cache is not usable: build
// one with New.
type Cache struct {
	store     Store
	maxBytes  int64
	now       func() time.Time
	heuristic float64
	grace     time.Duration
	onError   func(error)
}

// Option configures a Cache.
type Option func(*Cache)

// WithMaxBytes bounds the bytes of stored bodies and headers of the
// default Memory store (default DefaultMaxBytes). A response larger than
// the bound is not stored. n <= 0 keeps the default. It has no effect with
// WithStore.
func WithMaxBytes(n int64) Option {
	return func(c *Cache) {
		if n > 0 {
			c.maxBytes = n
		}
	}
}

// WithStore makes the cache keep its entries in s instead of a Memory
// store of its own.
func WithStore(s Store) Option {
	return func(c *Cache) {
		if s != nil {
			c.store = s
		}
	}
}

// WithErrorHandler makes the cache report its Store's errors to f (by
// default they are dropped). A failing Store makes lookups miss and
// responses go unstored; fetches never fail because of it.
func WithErrorHandler(f func(error)) Option {
	return func(c *Cache) { c.onError = f }
}

// DefaultValidationGrace is how long an entry with a validator (ETag or
// Last-Modified) stays useful after it went stale (see WithValidationGrace).
const DefaultValidationGrace = time.Hour

// WithValidationGrace sets how long past staleness (and its stale windows)
// an entry with a validator is kept for revalidation by stores that expire
// entries (Redis; Entry.Useful). Default DefaultValidationGrace; d < 0
// keeps the default.
func WithValidationGrace(d time.Duration) Option {
	return func(c *Cache) {
		if d >= 0 {
			c.grace = d
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

// New returns an empty Cache configured by opts (a Memory store of
// DefaultMaxBytes unless WithStore or WithMaxBytes say otherwise).
func New(opts ...Option) *Cache {
	c := &Cache{
		maxBytes:  DefaultMaxBytes,
		now:       time.Now,
		heuristic: DefaultHeuristicFraction,
		grace:     DefaultValidationGrace,
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.store == nil {
		c.store = NewMemory(c.maxBytes)
	}
	return c
}

// report passes a Store error to the error handler.
func (c *Cache) report(err error) {
	if err != nil && c.onError != nil {
		c.onError(err)
	}
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

// nvsBucket names the bucket of the entries with No-Vary-Search stored
// for URLs that differ from u in their query only.
func nvsBucket(u *url.URL) string { return "?" + withoutQuery(u) }

// bucketOf names the bucket an entry lives in.
func bucketOf(e *Entry) string {
	if e.nvs != nil {
		return nvsBucket(e.reqURL)
	}
	return e.URL
}

// Len returns the number of stored responses, or -1 when the store does
// not tell (only Memory does).
func (c *Cache) Len() int {
	if s, ok := c.store.(interface{ Len() int }); ok {
		return s.Len()
	}
	return -1
}

// Size returns the bytes the stored responses take (bodies and headers),
// or -1 when the store does not tell.
func (c *Cache) Size() int64 {
	if s, ok := c.store.(interface{ Size() int64 }); ok {
		return s.Size()
	}
	return -1
}

// Clear drops every stored response, when the store can (Memory and
// Disk).
func (c *Cache) Clear() {
	if s, ok := c.store.(interface{ Clear() }); ok {
		s.Clear()
	}
}

// Lookup returns a stored response that can answer req, and whether it is
// stale: stale responses need validation before use (unless the cache mode
// is force-cache or only-if-cached). It returns nil when nothing usable is
// stored, or when req's Cache-Control has no-store. When nothing is
// stored and req's Cache-Control has only-if-cached, it answers 504
// (Gateway Timeout) itself, as RFC 9111 §5.2.1.7 says.
//
// The returned response's body reads the stored bytes (opened on first
// read); its Age header holds the response's current age. A Range request
// is answered from a stored complete or partial response that covers the
// range, as 206.
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
	e := c.find(req, info)
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

// find returns the stored response that answers req: from the URL's bucket
// the most recently stored one with req's key whose Vary matches (for HEAD
// also a GET one), else one with a No-Vary-Search that makes req's URL
// equivalent to its own.
// https://www.rfc-editor.org/rfc/rfc9111#section-4.1 and
// https://wicg.github.io/nav-speculation/no-vary-search.html
func (c *Cache) find(req *http.Request, info RequestInfo) *Entry {
	ctx := req.Context()
	u := urlKey(req.URL)
	ents, err := c.store.Get(ctx, u)
	c.report(err)
	key := primaryKey(info, req.Method, u)
	e := pick(ents, key, req.Header)
	if e == nil && req.Method == http.MethodHead {
		// A stored GET response answers HEAD too.
		e = pick(ents, primaryKey(info, http.MethodGet, u), req.Header)
	}
	if e != nil {
		return e
	}
	ents, err = c.store.Get(ctx, nvsBucket(req.URL))
	c.report(err)
	for i := len(ents) - 1; i >= 0; i-- {
		o := ents[i]
		o.derive()
		if o.nvs != nil && o.Key == primaryKey(info, req.Method, o.URL) &&
			o.nvs.equivalent(o.reqURL, req.URL) && o.varyMatches(req.Header) {
			return o
		}
	}
	return nil
}

// pick returns the most recently stored entry with key whose Vary
// matches the request header h.
func pick(ents []*Entry, key string, h http.Header) *Entry {
	for i := len(ents) - 1; i >= 0; i-- {
		if e := ents[i]; e.Key == key && e.varyMatches(h) {
			e.derive()
			return e
		}
	}
	return nil
}

// needsValidation decides whether a stored response may be used without
// asking the server: its freshness (RFC 9111 §4.2) against the request's
// and the response's Cache-Control directives (§5.2).
func (c *Cache) needsValidation(e *Entry, req *http.Request, reqCC directives, info RequestInfo, now time.Time) bool {
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

// serve builds the response a stored entry gives req: the stored status,
// headers and body with an Age header, or a 206 slice for a Range request.
// nil means the entry cannot answer (a range it does not hold).
func (c *Cache) serve(e *Entry, req *http.Request, now time.Time) *http.Response {
	status, line := e.Status, e.StatusLine
	off, n := int64(0), e.BodySize
	h := e.Header.Clone()
	rangeHdr := req.Header.Get("Range")
	switch {
	case e.partial != nil && rangeHdr == "":
		// A partial response cannot answer a request for everything.
		return nil
	case rangeHdr != "" && (e.Status == http.StatusOK || e.partial != nil):
		r, ok := parseRange(rangeHdr)
		if !ok {
			return nil
		}
		var start, end, total int64
		if e.partial == nil {
			total = e.BodySize
			if start, end, ok = r.resolve(total); !ok {
				return nil
			}
			off = start
		} else {
			p := e.partial
			have := p.first + e.BodySize - 1 // the last byte held
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
			off = start - p.first
		}
		n = end - start + 1
		status, line = http.StatusPartialContent, "206 Partial Content"
		cr := "bytes " + strconv.FormatInt(start, 10) + "-" + strconv.FormatInt(end, 10) + "/"
		if total >= 0 && (e.partial == nil || e.partial.complete >= 0) {
			cr += strconv.FormatInt(total, 10)
		} else {
			cr += "*"
		}
		h.Set("Content-Range", cr)
		h.Set("Content-Length", strconv.FormatInt(n, 10))
	}
	h.Set("Age", formatAge(currentAge(e, now)))
	if req.Method == http.MethodHead {
		n = 0
	}
	return &http.Response{
		Status:        line,
		StatusCode:    status,
		Proto:         e.Proto,
		ProtoMajor:    e.ProtoMajor,
		ProtoMinor:    e.ProtoMinor,
		Header:        h,
		Body:          &storedBody{store: c.store, ctx: context.WithoutCancel(req.Context()), e: e, off: off, n: n},
		ContentLength: n,
		Request:       req,
	}
}

// storedBody is the body of a response served from the cache: n bytes of
// the entry's stored body from off, opened on the first read and closed at
// its end. It remembers its entry so Freshen can find it.
type storedBody struct {
	store  Store
	ctx    context.Context
	e      *Entry
	off, n int64

	mu     sync.Mutex
	sr     *io.SectionReader
	b      Body
	closed bool
}

// Read implements io.Reader.
func (s *storedBody) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errBodyClosed
	}
	if s.sr == nil {
		if s.n <= 0 {
			return 0, io.EOF
		}
		b, err := s.store.OpenBody(s.ctx, s.e)
		if err != nil {
			return 0, err
		}
		s.b, s.sr = b, io.NewSectionReader(b, s.off, s.n)
	}
	n, err := s.sr.Read(p)
	if err == io.EOF && s.b != nil {
		s.b.Close()
		s.b = nil
	}
	return n, err
}

var errBodyClosed = errors.New("cache: read on a closed body")

// Close implements io.Closer.
func (s *storedBody) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.b != nil {
		s.b.Close()
		s.b = nil
	}
	return nil
}

func entryOf(resp *http.Response) *Entry {
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
// body that copies what the caller reads into the Store as it goes; the
// entry is stored once the body has been read to its end (a body closed
// early, cut short or larger than the store keeps is not stored). Headers
// are never held back.
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
		c.invalidateResponse(req, rh)
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
	ctx := context.WithoutCancel(req.Context())
	// Nothing to read: store now.
	if method == http.MethodHead || resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 ||
		resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified {
		c.commit(ctx, e, reqHeader)
		return resp
	}
	w, err := c.store.NewBody(ctx)
	if err != nil {
		c.report(err)
		return resp
	}
	n := *resp
	n.Body = &teeBody{rc: resp.Body, c: c, ctx: ctx, e: e, w: w, reqHeader: reqHeader, want: resp.ContentLength}
	return &n
}

// newEntry checks that resp, whose header is rh (canonical keys), may be
// stored (RFC 9111 §3) and builds its entry without the body; nil when it
// may not.
func (c *Cache) newEntry(req *http.Request, resp *http.Response, rh http.Header, method string) *Entry {
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
	// A 206 needs a Content-Range the cache understands.
	if status == http.StatusPartialContent {
		if _, ok := parseContentRange(rh.Get("Content-Range")); !ok {
			return nil
		}
	}
	now := c.now()
	info := requestInfo(req)
	reqTime := info.RequestTime
	if reqTime.IsZero() || reqTime.After(now) {
		reqTime = now
	}
	u := urlKey(req.URL)
	e := &Entry{
		ID:           newID(),
		Key:          primaryKey(info, method, u),
		URL:          u,
		Status:       status,
		StatusLine:   resp.Status,
		Proto:        resp.Proto,
		ProtoMajor:   resp.ProtoMajor,
		ProtoMinor:   resp.ProtoMinor,
		Header:       storedHeader(rh),
		VaryNames:    varyNames,
		RequestTime:  reqTime,
		ResponseTime: now,
	}
	if e.StatusLine == "" {
		e.StatusLine = strconv.Itoa(status) + " " + http.StatusText(status)
	}
	if e.Proto == "" {
		e.Proto, e.ProtoMajor, e.ProtoMinor = "HTTP/1.1", 1, 1
	}
	for _, name := range varyNames {
		e.VaryValues = append(e.VaryValues, varyValue(req.Header, name))
	}
	e.derive()
	return e
}

// usefulLife is how long after its response time an entry can still
// serve or be revalidated (Entry.Useful): what is left of its freshness
// lifetime, its stale-while-revalidate and stale-if-error windows (RFC
// 5861), and the validation grace.
func (c *Cache) usefulLife(e *Entry) time.Duration {
	left := max(c.freshnessLifetime(e)-currentAge(e, e.ResponseTime), 0)
	swr, _ := e.cc.seconds("stale-while-revalidate")
	sie, _ := e.cc.seconds("stale-if-error")
	return left + swr + sie + c.grace
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

// commit stores a complete entry (its body committed), replacing the
// entries the same request would select. A partial response is first
// combined with a stored partial response of the same representation
// (RFC 9111 §3.4).
func (c *Cache) commit(ctx context.Context, e *Entry, reqHeader http.Header) {
	if e.partial != nil {
		if merged := c.combinePartial(ctx, e, reqHeader); merged != nil {
			c.report(c.store.DeleteBody(ctx, e.Body))
			e = merged
		}
	}
	e.Useful = c.usefulLife(e)
	err := c.store.Update(ctx, bucketOf(e), func(old []*Entry) []*Entry {
		out := make([]*Entry, 0, len(old)+1)
		for _, o := range old {
			if o.Key == e.Key && o.varyMatches(reqHeader) {
				continue
			}
			out = append(out, o)
		}
		out = append(out, e)
		if len(out) > maxPerBucket {
			out = out[len(out)-maxPerBucket:]
		}
		return out
	})
	if err != nil {
		c.report(err)
		if e.Body != "" {
			c.report(c.store.DeleteBody(ctx, e.Body))
		}
	}
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
	n := e.clone()
	nh := canonicalHeader(notModified.Header)
	conn := connectionNames(nh)
	for k, v := range nh {
		if notStored[k] || notUpdated[k] || conn[k] {
			continue
		}
		n.Header[k] = append([]string(nil), v...)
	}
	reqTime := requestInfo(req).RequestTime
	if reqTime.IsZero() || reqTime.After(now) {
		reqTime = now
	}
	n.RequestTime, n.ResponseTime = reqTime, now
	n.derive()
	n.Useful = c.usefulLife(n)
	ctx := context.WithoutCancel(req.Context())
	err := c.store.Update(ctx, bucketOf(e), func(old []*Entry) []*Entry {
		out := make([]*Entry, len(old))
		copy(out, old)
		for i, o := range out {
			if o.ID == e.ID {
				out[i] = n
			}
		}
		return out
	})
	c.report(err)
	if resp := c.serve(n, req, now); resp != nil {
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
	c.invalidateURL(context.WithoutCancel(req.Context()), req.URL)
}

// invalidateResponse invalidates the request URL and the same-origin
// Location and Content-Location URLs of a response whose header is rh.
func (c *Cache) invalidateResponse(req *http.Request, rh http.Header) {
	ctx := context.WithoutCancel(req.Context())
	c.invalidateURL(ctx, req.URL)
	for _, name := range []string{"Location", "Content-Location"} {
		if u, ok := sameOriginRef(req.URL, rh.Get(name)); ok {
			c.invalidateURL(ctx, u)
		}
	}
}

// invalidateURL drops the URL's bucket and its entries in the
// No-Vary-Search bucket.
func (c *Cache) invalidateURL(ctx context.Context, u *url.URL) {
	key := urlKey(u)
	c.report(c.store.Update(ctx, key, func([]*Entry) []*Entry { return nil }))
	c.report(c.store.Update(ctx, nvsBucket(u), func(old []*Entry) []*Entry {
		var out []*Entry
		for _, o := range old {
			if o.URL != key {
				out = append(out, o)
			}
		}
		return out
	}))
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

// teeBody copies a network body into a Store body while the caller reads
// it and stores the entry when the body ends.
type teeBody struct {
	rc        io.ReadCloser
	c         *Cache
	ctx       context.Context
	e         *Entry
	w         BodyWriter
	reqHeader http.Header
	want      int64 // Content-Length, -1 unknown

	mu     sync.Mutex
	n      int64
	failed bool // the store refused the body: not stored
	done   bool
}

// Read implements io.Reader.
func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return n, err
	}
	if n > 0 && !t.failed {
		if _, werr := t.w.Write(p[:n]); werr != nil {
			if !errors.Is(werr, ErrTooLarge) {
				t.c.report(werr)
			}
			t.failed = true
			t.w.Abort()
		}
		t.n += int64(n)
	}
	switch {
	case err == io.EOF:
		t.done = true
		if t.failed {
			break
		}
		if t.want >= 0 && t.n != t.want {
			t.w.Abort()
			break
		}
		id, cerr := t.w.Commit()
		if cerr != nil {
			t.c.report(cerr)
			break
		}
		t.e.Body, t.e.BodySize = id, t.n
		t.c.commit(t.ctx, t.e, t.reqHeader)
	case err != nil:
		t.done = true
		if !t.failed {
			t.w.Abort()
		}
	}
	return n, err
}

// Close implements io.Closer. A body closed before its end is not stored.
func (t *teeBody) Close() error {
	t.mu.Lock()
	if !t.done {
		t.done = true
		if !t.failed {
			t.w.Abort()
		}
	}
	t.mu.Unlock()
	return t.rc.Close()
}
