package cors

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/wfetch/wfetch/internal/ascii"

	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// NetworkFunc sends a CORS-preflight request and returns its response: the
// fetch pipeline's HTTP-network-or-cache fetch given new fetch params for
// preflight. It must not follow redirects (HTTP-network-or-cache fetch
// does not), and it adds the headers that fetch adds to every request
// there: `Origin` (the preflight's mode is "cors"), `Referer` (from the
// preflight's referrer and referrer policy), `User-Agent` and the rest. A
// failure is a network error response (see response.NetworkError); a nil
// response counts as one.
// https://fetch.spec.whatwg.org/#concept-http-network-or-cache-fetch
type NetworkFunc func(ctx context.Context, preflight *request.Internal) *response.Internal

// NewPreflightRequest builds the CORS-preflight request for req (steps 1
// to 5 of CORS-preflight fetch): an OPTIONS request to req's URL list with
// mode and response tainting "cors", req's initiator, destination, origin,
// referrer and referrer policy, and the headers `Accept: */*`,
// `Access-Control-Request-Method` and, when req has CORS-unsafe
// request-header names, `Access-Control-Request-Headers` listing them
// (sorted, lowercase, joined by "," without spaces).
//
// Everything else keeps NewInternal's defaults: no client (as in the
// standard, so no cookies or client-dependent headers), credentials mode
// "same-origin" (with "cors" tainting the preflight carries no
// credentials), no body. The WebDriver id is not modelled.
// https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func NewPreflightRequest(req *request.Internal) *request.Internal {
	// 1. A new OPTIONS request copying the listed fields; the URL list
	// is cloned.
	urls := make([]*weburl.URL, len(req.URLList))
	for i, u := range req.URLList {
		urls[i] = u.Clone()
	}
	var first *weburl.URL
	if len(urls) > 0 {
		first = urls[0]
	}
	p := request.NewInternal(first)
	p.Method = "OPTIONS"
	p.URLList = urls
	p.Initiator = req.Initiator
	p.Destination = req.Destination
	p.Origin = req.Origin
	p.Referrer = req.Referrer
	if req.Referrer.URL != nil {
		p.Referrer.URL = req.Referrer.URL.Clone()
	}
	p.ReferrerPolicy = req.ReferrerPolicy
	p.Mode = request.ModeCORS
	p.ResponseTainting = request.TaintingCORS
	// 2. Accept: */*.
	p.Header.Append("Accept", "*/*")
	// 3. The method to be used.
	p.Header.Append(HeaderRequestMethod, req.Method)
	// 4. The CORS-unsafe request-header names.
	var names []string
	if req.Header != nil {
		names = req.Header.CORSUnsafeRequestHeaderNames()
	}
	// 5. If any, list them joined by "," (no space, unlike combine).
	if len(names) > 0 {
		p.Header.Append(HeaderRequestHeaders, strings.Join(names, ","))
	}
	return p
}

// PreflightFetch runs a CORS-preflight fetch for req: it sends the
// preflight request (NewPreflightRequest) through network, checks the
// response, and on success records the allowed methods and header names in
// cache (a nil cache stores nothing) and returns the preflight response
// with a nil error.
//
// On failure it returns a network error response and a non-nil error: a
// *fetch.TypeError wrapping the response's *fetch.NetworkError. Failures of
// the checks have reason fetch.ReasonCORS and a message saying which check
// failed; a network error from network is passed through as is (keeping
// its reason and aborted flag).
// https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func PreflightFetch(ctx context.Context, req *request.Internal, cache *Cache, network NetworkFunc) (*response.Internal, error) {
	if network == nil {
		return fail(errs.Network(errs.ReasonOther, nil, "CORS-preflight fetch: no network function"))
	}
	// 1-5. The preflight request.
	preflight := NewPreflightRequest(req)
	// 6. Send it through HTTP-network-or-cache fetch.
	resp := network(ctx, preflight)
	if resp == nil {
		return fail(errs.Network(errs.ReasonOther, nil, "CORS-preflight fetch: the network returned no response"))
	}
	if resp.IsNetworkError() {
		if resp.Err == nil {
			resp.Err = &errs.NetworkError{Reason: errs.ReasonOther, Message: "CORS-preflight request failed"}
		}
		return resp, &errs.TypeError{Message: "fetch failed", Err: resp.Err}
	}
	// 7. Check it; 7.1-7.11 give the methods, header names and max-age.
	// 8. Any failure is a network error.
	methods, headerNames, maxAge, err := CheckPreflightResponse(req, resp)
	if err != nil {
		return fail(err)
	}
	// 7.11. Cap max-age at the imposed limit.
	if limit := cache.MaxAgeLimit(); limit > 0 && maxAge > limit {
		maxAge = limit
	}
	// 7.12. Without a cache, done.
	// 7.13-7.16. Refresh or create the entries.
	cache.update(req, maxAge, methods, headerNames)
	// 7.17. The response.
	return resp, nil
}

// fail returns a network error response for err and err.
func fail(err error) (*response.Internal, error) {
	return response.NetworkError(err), err
}

// CheckPreflightResponse runs the checks that CORS-preflight fetch makes
// on the preflight response resp for req (step 7 up to the cache): the
// CORS check for req, an ok status, Access-Control-Allow-Methods and
// Access-Control-Allow-Headers that parse and allow req's method and
// CORS-unsafe request-header names, and the max-age from
// Access-Control-Max-Age (5 s when absent or invalid; not yet capped). It
// returns the methods and header names to cache, or a *fetch.TypeError
// wrapping a network error with reason fetch.ReasonCORS saying what failed.
// https://fetch.spec.whatwg.org/#cors-preflight-fetch-0
func CheckPreflightResponse(req *request.Internal, resp *response.Internal) (methods, headerNames []string, maxAge time.Duration, err error) {
	var list headers.List
	if resp.Header != nil {
		list = *resp.Header
	}
	// 7. The CORS check (with req's credentials mode) and an ok status.
	if err := Check(req.ByteSerializeOrigin(), req.Credentials, list); err != nil {
		return nil, nil, 0, prefixCORS("CORS-preflight response: ", err)
	}
	if !response.IsOKStatus(resp.Status) {
		return nil, nil, 0, corsError("CORS-preflight response status is %d, expected an ok status (200-299)", resp.Status)
	}
	// 7.1. Methods from Access-Control-Allow-Methods (#method).
	methods, foundMethods, okMethods := list.ExtractValues(HeaderAllowMethods, false, parseTokenList)
	// 7.2. Header names from Access-Control-Allow-Headers (#field-name).
	headerNames, _, okNames := list.ExtractValues(HeaderAllowHeaders, false, parseTokenList)
	// 7.3. Either failing to parse is a network error.
	if !okMethods {
		v, _ := list.Get(HeaderAllowMethods)
		return nil, nil, 0, corsError("CORS-preflight response has an invalid %s '%s'", HeaderAllowMethods, v)
	}
	if !okNames {
		v, _ := list.Get(HeaderAllowHeaders)
		return nil, nil, 0, corsError("CORS-preflight response has an invalid %s '%s'", HeaderAllowHeaders, v)
	}
	// 7.4. A preflight forced by the use-CORS-preflight flag caches the
	// method even without the header.
	if !foundMethods && req.UseCORSPreflight {
		methods = []string{req.Method}
	}
	include := req.Credentials == request.CredentialsInclude
	// 7.5. The method must be listed (case-sensitive), be CORS-safelisted,
	// or be covered by `*` without credentials.
	if !slices.Contains(methods, req.Method) && !headers.IsCORSSafelistedMethod(req.Method) &&
		(include || !slices.Contains(methods, "*")) {
		return nil, nil, 0, corsError("CORS-preflight response does not allow method '%s': %s",
			req.Method, describeList(list, HeaderAllowMethods, methods, include))
	}
	var reqHeaders headers.List
	if req.Header != nil {
		reqHeaders = *req.Header
	}
	// 7.6. Authorization must be listed by name; `*` never covers it.
	for _, f := range reqHeaders {
		if headers.IsCORSNonWildcardRequestHeaderName(f.Name) && !containsFold(headerNames, f.Name) {
			return nil, nil, 0, corsError("CORS-preflight response does not allow header '%s': it must be listed in %s by name, the wildcard does not cover it (%s)",
				ascii.Lower(f.Name), HeaderAllowHeaders, describeValue(list, HeaderAllowHeaders))
		}
	}
	// 7.7. Each CORS-unsafe request-header name must be listed
	// (case-insensitive) or covered by `*` without credentials.
	for _, name := range reqHeaders.CORSUnsafeRequestHeaderNames() {
		if !containsFold(headerNames, name) && (include || !slices.Contains(headerNames, "*")) {
			return nil, nil, 0, corsError("CORS-preflight response does not allow header '%s': %s",
				name, describeList(list, HeaderAllowHeaders, headerNames, include))
		}
	}
	// 7.8. Max-age from Access-Control-Max-Age (delta-seconds, one header).
	ages, _, okAge := list.ExtractValues(HeaderMaxAge, true, parseDeltaSeconds)
	// 7.9. Absent or invalid: 5 seconds.
	maxAge = DefaultMaxAge
	if okAge && len(ages) == 1 {
		maxAge = secondsDuration(ages[0])
	}
	// 7.10. The caller caps it at the imposed limit.
	return methods, headerNames, maxAge, nil
}

// prefixCORS puts prefix before the message of the network error in err.
func prefixCORS(prefix string, err error) error {
	if te, ok := err.(*errs.TypeError); ok {
		if ne, ok := te.Err.(*errs.NetworkError); ok {
			ne.Message = prefix + ne.Message
		}
	}
	return err
}

// describeValue says what header name held: its value or that it is
// missing.
func describeValue(list headers.List, name string) string {
	v, ok := list.Get(name)
	if !ok {
		return name + " missing"
	}
	return name + " is '" + v + "'"
}

// describeList explains why a method or header name was not allowed by the
// list under name.
func describeList(list headers.List, name string, items []string, include bool) string {
	s := describeValue(list, name)
	if include && slices.Contains(items, "*") {
		s += " (the wildcard does not work with credentials mode include)"
	}
	return s
}

// containsFold reports whether items holds a byte-case-insensitive match
// for name.
func containsFold(items []string, name string) bool {
	for _, it := range items {
		if ascii.EqualFold(it, name) {
			return true
		}
	}
	return false
}

// parseTokenList parses a `#token` list (the ABNF of
// Access-Control-Allow-Methods, -Allow-Headers and -Expose-Headers, as
// `method` and `field-name` are tokens): comma-separated elements with
// optional whitespace around them; empty elements are skipped, as RFC 9110
// section 5.6.1 asks of recipients. Any other element fails the parse.
func parseTokenList(v string) ([]string, bool) {
	out := []string{}
	for item := range strings.SplitSeq(v, ",") {
		item = strings.Trim(item, " \t")
		if item == "" {
			continue
		}
		if !headers.IsMethod(item) { // a token
			return nil, false
		}
		out = append(out, item)
	}
	return out, true
}

// parseDeltaSeconds parses delta-seconds: one or more ASCII digits.
func parseDeltaSeconds(v string) ([]string, bool) {
	if v == "" {
		return nil, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return nil, false
		}
	}
	return []string{v}, true
}

// secondsDuration converts a string of digits to a duration in seconds,
// saturating instead of overflowing (any huge value ends up at the cap).
func secondsDuration(digits string) time.Duration {
	const maxSeconds = int64((1<<63 - 1) / int64(time.Second))
	var n int64
	for i := 0; i < len(digits); i++ {
		n = n*10 + int64(digits[i]-'0')
		if n > maxSeconds {
			return time.Duration(maxSeconds) * time.Second
		}
	}
	return time.Duration(n) * time.Second
}
