package cors

import (
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
)

// IsCORSWithPreflight reports whether main fetch takes its CORS-with-
// preflight branch for req (and runs HTTP fetch with makeCORSPreflight
// true): req's use-CORS-preflight flag is set, or its unsafe-request flag
// is set and its method is not a CORS-safelisted method or its header list
// has CORS-unsafe request-header names. Main fetch only asks this for a
// request that is not same origin, not no-cors, and has an HTTP(S) URL.
// https://fetch.spec.whatwg.org/#concept-main-fetch
func IsCORSWithPreflight(req *request.Internal) bool {
	if req.UseCORSPreflight {
		return true
	}
	if !req.UnsafeRequest {
		return false
	}
	return !headers.IsCORSSafelistedMethod(req.Method) || hasUnsafeHeaders(req)
}

func hasUnsafeHeaders(req *request.Internal) bool {
	return req.Header != nil && len(req.Header.CORSUnsafeRequestHeaderNames()) > 0
}

// NeedsPreflight reports whether HTTP fetch, called with makeCORSPreflight
// true, must run a CORS-preflight fetch for req before the request itself:
// there is no method cache entry match for req's method while the method
// is not CORS-safelisted or the use-CORS-preflight flag is set, or some
// CORS-unsafe request-header name of req has no header-name cache entry
// match. A nil cache never matches.
// https://fetch.spec.whatwg.org/#concept-http-fetch
func NeedsPreflight(req *request.Internal, cache *Cache) bool {
	// The method needs permission unless it is safelisted and the flag
	// is unset; the unsafe header names always do. The cache must grant
	// each.
	checkMethod := !headers.IsCORSSafelistedMethod(req.Method) || req.UseCORSPreflight
	var names []string
	if req.Header != nil {
		names = req.Header.CORSUnsafeRequestHeaderNames()
	}
	return cache.needsPreflight(req, checkMethod, names)
}

// ExposedHeaderNames computes a CORS response's CORS-exposed header-name
// list from its header list, as main fetch does for a request whose
// response tainting is "cors": the names in Access-Control-Expose-Headers,
// or, when they include `*` and credentials is not "include", every
// distinct header name of list (first spelling kept; `*` with credentials
// only matches a header named `*`). ok is false when the list is to stay
// as it is: no such header, or a value that does not parse as a list of
// header names.
//
// Deviation: the standard sets the list to the extraction result when it
// "is non-null or failure"; a failure is not a list, so wfetch treats it
// like null and exposes nothing beyond the safelisted names.
// https://fetch.spec.whatwg.org/#concept-main-fetch
func ExposedHeaderNames(credentials request.Credentials, list headers.List) (names []string, ok bool) {
	// 1. Extract the names.
	names, found, parsed := list.ExtractValues(HeaderExposeHeaders, false, parseTokenList)
	if !found || !parsed {
		return nil, false
	}
	// 2. The wildcard without credentials: every header name.
	if credentials != request.CredentialsInclude {
		for _, n := range names {
			if n == "*" {
				all := make([]string, 0, len(list))
				for _, f := range list {
					if !containsFold(all, f.Name) {
						all = append(all, f.Name)
					}
				}
				return all, true
			}
		}
	}
	// 3. Otherwise the names as given.
	return names, true
}

// SetExposedHeaderNames sets resp's CORS-exposed header-name list from
// its Access-Control-Expose-Headers when req's response tainting is
// "cors" and resp is neither a network error nor a filtered response (the
// main fetch steps before response.CORSFilter). It does nothing
// otherwise.
// https://fetch.spec.whatwg.org/#concept-main-fetch
func SetExposedHeaderNames(req *request.Internal, resp *response.Internal) {
	if resp == nil || resp.IsNetworkError() || resp.IsFiltered() || req.ResponseTainting != request.TaintingCORS {
		return
	}
	var list headers.List
	if resp.Header != nil {
		list = *resp.Header
	}
	if names, ok := ExposedHeaderNames(req.Credentials, list); ok {
		resp.CORSExposedHeaderNames = names
	}
}

// IsSafelistedResponseHeaderName reports whether name is a CORS-safelisted
// response-header name given the CORS-exposed header-name list exposed:
// one of Cache-Control, Content-Language, Content-Length, Content-Type,
// Expires, Last-Modified and Pragma, or an exposed name that is not a
// forbidden response-header name. response.CORSFilter keeps exactly
// these headers.
// https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name
func IsSafelistedResponseHeaderName(name string, exposed []string) bool {
	return headers.IsCORSSafelistedResponseHeaderName(name, exposed)
}
