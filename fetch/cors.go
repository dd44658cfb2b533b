package fetch

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/internal/weburl"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// corsCheck performs a CORS check: nil for success, a network error for
// failure. https://fetch.spec.whatwg.org/#concept-cors-check
func corsCheck(req *request.Internal, resp *response.Internal) error {
	// 1. The Access-Control-Allow-Origin value.
	origin, ok := resp.Header.Get("Access-Control-Allow-Origin")
	// 2. None: failure.
	if !ok {
		return errs.Network(errs.ReasonCORS, nil, "CORS: no Access-Control-Allow-Origin header in the response from %s", req.CurrentURL().Href())
	}
	// 3. "*" without credentials: success.
	if req.Credentials != request.CredentialsInclude && origin == "*" {
		return nil
	}
	// 4. Otherwise it must name the request's origin.
	if want := req.ByteSerializeOrigin(); want != origin {
		return errs.Network(errs.ReasonCORS, nil, "CORS: Access-Control-Allow-Origin %q does not match origin %q", origin, want)
	}
	// 5. Without credentials: success.
	if req.Credentials != request.CredentialsInclude {
		return nil
	}
	// 6-7. With credentials, Access-Control-Allow-Credentials must be true.
	if v, _ := resp.Header.Get("Access-Control-Allow-Credentials"); v == "true" {
		return nil
	}
	// 8. Failure.
	return errs.Network(errs.ReasonCORS, nil, "CORS: credentials included but Access-Control-Allow-Credentials is not \"true\"")
}

// taoCheck performs the TAO check.
// https://fetch.spec.whatwg.org/#concept-tao-check
func taoCheck(req *request.Internal, resp *response.Internal) bool {
	// 1. Already failed.
	if req.TimingAllowFailed {
		return false
	}
	// 2. The Timing-Allow-Origin values.
	values, _ := resp.Header.GetDecodeSplit("Timing-Allow-Origin")
	// 3. "*" allows.
	if contains(values, "*") {
		return true
	}
	// 4. The request's origin allows.
	if contains(values, req.SerializeOrigin()) {
		return true
	}
	// 5. Cross-origin navigations fail.
	if req.Mode == request.ModeNavigate && !sameOriginWithRequest(req, req.CurrentURL()) {
		return false
	}
	// 6. Basic tainting passes.
	if req.ResponseTainting == request.TaintingBasic {
		return true
	}
	// 7. Failure.
	return false
}

// corpCheck performs the cross-origin resource policy check for a
// response to a request without an embedder policy: nil when allowed.
// https://fetch.spec.whatwg.org/#cross-origin-resource-policy-check
func corpCheck(req *request.Internal, resp *response.Internal) error {
	if req.Origin.Origin == nil {
		return nil
	}
	origin := *req.Origin.Origin
	// internal check 1-3. The policy; unknown values are null.
	policy, _ := resp.Header.Get("Cross-Origin-Resource-Policy")
	u := resp.URL()
	if u == nil {
		u = req.CurrentURL()
	}
	switch policy {
	case "same-origin":
		// 5. Same origin only.
		if weburl.SameOrigin(origin, u.Origin()) {
			return nil
		}
	case "same-site":
		// 6. Schemelessly same site, and no https → http downgrade.
		if weburl.SchemelesslySameSite(origin, u.Origin()) && (origin.Scheme() == "https" || u.Scheme() != "https") {
			return nil
		}
	default:
		// 4. No policy (or cross-origin): allowed.
		return nil
	}
	return errs.Network(errs.ReasonBlocked, nil, "blocked by Cross-Origin-Resource-Policy %q", policy)
}

// needsPreflight is the condition of step 4.1 of HTTP fetch: a preflight is
// needed when the method or a CORS-unsafe header name has no match in the
// preflight cache.
// https://fetch.spec.whatwg.org/#http-fetch
func (c *Client) needsPreflight(req *request.Internal) bool {
	if !c.preflight.methodMatch(req, req.Method) &&
		(!headers.IsCORSSafelistedMethod(req.Method) || req.UseCORSPreflight) {
		return true
	}
	for _, name := range req.Header.CORSUnsafeRequestHeaderNames() {
		if !c.preflight.headerMatch(req, name) {
			return true
		}
	}
	return false
}

// maxPreflightAge is the imposed limit on Access-Control-Max-Age, in
// seconds (Chromium's).
const maxPreflightAge = 7200

// corsPreflightFetch runs a CORS-preflight fetch for the request of fp and
// stores what it allows in the client's preflight cache.
// https://fetch.spec.whatwg.org/#cors-preflight-fetch
func (c *Client) corsPreflightFetch(fp *fetchParams) *response.Internal {
	req := fp.req
	// 1. The OPTIONS request.
	pre := request.NewInternal(req.CurrentURL())
	pre.Method = "OPTIONS"
	pre.URLList = cloneURLs(req.URLList)
	pre.Initiator, pre.Destination = req.Initiator, req.Destination
	pre.Origin, pre.Referrer, pre.ReferrerPolicy = req.Origin, req.Referrer, req.ReferrerPolicy
	pre.Mode, pre.ResponseTainting = request.ModeCORS, request.TaintingCORS
	pre.Client, pre.PolicyContainer, pre.Window = req.Client, req.PolicyContainer, req.Window
	// 2. Accept.
	pre.Header.Append("Accept", "*/*")
	// 3. The method asked for.
	pre.Header.Append("Access-Control-Request-Method", req.Method)
	// 4. The unsafe header names.
	names := req.Header.CORSUnsafeRequestHeaderNames()
	// 5. Asked for, comma-separated.
	if len(names) > 0 {
		pre.Header.Append("Access-Control-Request-Headers", strings.Join(names, ","))
	}
	// 6. HTTP-network-or-cache fetch with new fetch params.
	pfp := &fetchParams{req: pre, timing: &timingRecorder{}, client: c, ctx: fp.ctx, signal: fp.signal}
	resp := c.httpNetworkOrCacheFetch(pfp, false, false)
	if resp.IsNetworkError() {
		return resp
	}
	discardBody(resp)
	pfp.live = nil
	// 7. A CORS check and an ok status.
	if err := corsCheck(req, resp); err != nil {
		return response.NetworkError(err)
	}
	if !resp.IsOK() {
		return netErr(errs.ReasonCORS, nil, "CORS preflight for %s answered with status %d", req.CurrentURL().Href(), resp.Status)
	}
	// 7.1-7.2. The allowed methods and headers.
	methods, mFound, mOK := resp.Header.ExtractValues("Access-Control-Allow-Methods", false, splitTokenList)
	hnames, hFound, hOK := resp.Header.ExtractValues("Access-Control-Allow-Headers", false, splitTokenList)
	// 7.3. Unparsable lists fail.
	if (mFound && !mOK) || (hFound && !hOK) {
		return netErr(errs.ReasonCORS, nil, "CORS preflight: malformed Access-Control-Allow-Methods or -Headers")
	}
	// 7.4. No methods listed, with the preflight flag: the request's.
	if !mFound && req.UseCORSPreflight {
		methods = []string{req.Method}
	}
	// 7.5. The method must be allowed.
	if !contains(methods, req.Method) && !headers.IsCORSSafelistedMethod(req.Method) &&
		(req.Credentials == request.CredentialsInclude || !contains(methods, "*")) {
		return netErr(errs.ReasonCORS, nil, "CORS preflight: method %s is not allowed by Access-Control-Allow-Methods", req.Method)
	}
	// 7.6. Authorization must be listed explicitly.
	for _, f := range *req.Header {
		if headers.IsCORSNonWildcardRequestHeaderName(f.Name) && !containsFold(hnames, f.Name) {
			return netErr(errs.ReasonCORS, nil, "CORS preflight: header %s is not allowed by Access-Control-Allow-Headers", f.Name)
		}
	}
	// 7.7. Every unsafe header name must be allowed.
	for _, name := range names {
		if !containsFold(hnames, name) && (req.Credentials == request.CredentialsInclude || !contains(hnames, "*")) {
			return netErr(errs.ReasonCORS, nil, "CORS preflight: header %s is not allowed by Access-Control-Allow-Headers", name)
		}
	}
	// 7.8-7.9. max-age, 5 seconds by default.
	maxAge := 5
	if v, found, ok := resp.Header.ExtractValues("Access-Control-Max-Age", true, splitTokens); found && ok && len(v) == 1 {
		if n, err := strconv.Atoi(v[0]); err == nil && n >= 0 {
			maxAge = n
		}
	}
	// 7.10. Capped.
	maxAge = min(maxAge, maxPreflightAge)
	// 7.11. (The cache exists.)
	// 7.12-7.15. Store or refresh entries.
	for _, m := range methods {
		c.preflight.put(req, maxAge, m, "")
	}
	for _, h := range hnames {
		c.preflight.put(req, maxAge, "", h)
	}
	// 7.16. The response.
	return resp
}

// splitTokenList parses a #token list (`#method`, `#field-name`): empty
// elements are skipped, anything else that is not a token is a failure.
func splitTokenList(v string) ([]string, bool) {
	items, _ := splitTokens(v)
	for _, it := range items {
		if !headers.IsValidName(it) {
			return nil, false
		}
	}
	return items, true
}

func splitTokens(v string) ([]string, bool) {
	items := headers.GetDecodeSplitValue(v)
	out := items[:0]
	for _, it := range items {
		if it != "" {
			out = append(out, it)
		}
	}
	return out, true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// preflightCache is the CORS-preflight cache.
// https://fetch.spec.whatwg.org/#cors-preflight-cache
type preflightCache struct {
	mu      sync.Mutex
	entries []preflightEntry
}

// preflightEntry is a cache entry (the network partition key is not
// modelled: one client is one partition).
type preflightEntry struct {
	origin      string
	url         string
	expires     time.Time
	credentials bool
	method      string // "" for null
	header      string // "" for null
}

// put creates an entry, or refreshes the max-age of a matching one.
// https://fetch.spec.whatwg.org/#concept-cache-create-entry
func (p *preflightCache) put(req *request.Internal, maxAge int, method, header string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	exp := time.Now().Add(time.Duration(maxAge) * time.Second)
	origin, u := req.ByteSerializeOrigin(), req.CurrentURL().Href()
	cred := req.Credentials == request.CredentialsInclude
	for i := range p.entries {
		e := &p.entries[i]
		if e.origin == origin && e.url == u && e.credentials == cred &&
			e.method == method && strings.EqualFold(e.header, header) {
			e.expires = exp
			return
		}
	}
	p.entries = append(p.entries, preflightEntry{origin: origin, url: u, expires: exp, credentials: cred, method: method, header: header})
}

// clear removes the entries for the request's origin and URL.
// https://fetch.spec.whatwg.org/#concept-cache-clear
func (p *preflightCache) clear(req *request.Internal) {
	p.mu.Lock()
	defer p.mu.Unlock()
	origin, u := req.ByteSerializeOrigin(), req.CurrentURL().Href()
	kept := p.entries[:0]
	for _, e := range p.entries {
		if e.origin != origin || e.url != u {
			kept = append(kept, e)
		}
	}
	p.entries = kept
}

// match reports whether an unexpired entry matches the request and pred.
// https://fetch.spec.whatwg.org/#concept-cache-match
func (p *preflightCache) match(req *request.Internal, pred func(e *preflightEntry) bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.entries) == 0 {
		return false
	}
	now := time.Now()
	origin, u := req.ByteSerializeOrigin(), req.CurrentURL().Href()
	for i := range p.entries {
		e := &p.entries[i]
		if now.After(e.expires) || e.origin != origin || e.url != u {
			continue
		}
		if !e.credentials && req.Credentials == request.CredentialsInclude {
			continue
		}
		if pred(e) {
			return true
		}
	}
	return false
}

// methodMatch: https://fetch.spec.whatwg.org/#concept-cache-match-method
func (p *preflightCache) methodMatch(req *request.Internal, method string) bool {
	return p.match(req, func(e *preflightEntry) bool { return e.method == method || e.method == "*" })
}

// headerMatch: https://fetch.spec.whatwg.org/#concept-cache-match-header
func (p *preflightCache) headerMatch(req *request.Internal, name string) bool {
	return p.match(req, func(e *preflightEntry) bool {
		return (e.header != "" && strings.EqualFold(e.header, name)) ||
			(e.header == "*" && !headers.IsCORSNonWildcardRequestHeaderName(name))
	})
}
