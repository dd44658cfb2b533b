// Package cors implements the CORS protocol: the CORS check, CORS-preflight
// fetch and its cache, and the header exposure rules.
//
// Spec: https://fetch.spec.whatwg.org/#http-cors-protocol and
// https://fetch.spec.whatwg.org/#cors-preflight-fetch
//
// The pieces, each named after its algorithm:
//
//   - Check / CheckResponse: the CORS check (#concept-cors-check).
//   - TAOCheck: the TAO check (#concept-tao-check).
//   - NewPreflightRequest, PreflightFetch, CheckPreflightResponse:
//     CORS-preflight fetch (#cors-preflight-fetch-0).
//   - Cache: the CORS-preflight cache (#concept-cache) with "create a new
//     cache entry", "clear cache entries", "method cache entry match" and
//     "header-name cache entry match"; bounded, with an injectable clock.
//   - IsCORSWithPreflight, NeedsPreflight, ExposedHeaderNames,
//     SetExposedHeaderNames: the CORS decisions of main fetch and HTTP
//     fetch.
//
// Failures are *fetch.TypeError values wrapping an *fetch.NetworkError with
// reason fetch.ReasonCORS whose message names the header and the values
// that did not match; response.NetworkError turns one into a network
// error response.
//
// # How fetch uses it
//
// Main fetch, for a CORS request (mode "cors", not same origin):
//
//	if cors.IsCORSWithPreflight(req) {
//		req.ResponseTainting = request.TaintingCORS
//		resp := httpFetch(fp, true) // makeCORSPreflight
//		if resp.IsNetworkError() {
//			preflightCache.Clear(req) // clear cache entries
//		}
//		return resp
//	}
//
// HTTP fetch, when makeCORSPreflight is true and no service worker
// answered:
//
//	if cors.NeedsPreflight(req, preflightCache) {
//		pre, err := cors.PreflightFetch(ctx, req, preflightCache,
//			func(ctx context.Context, p *request.Internal) *response.Internal {
//				return httpNetworkOrCacheFetch(ctx, newFetchParams(p))
//			})
//		if err != nil {
//			return pre // a network error response
//		}
//	}
//	resp := httpNetworkOrCacheFetch(ctx, fp)
//	if req.ResponseTainting == request.TaintingCORS {
//		if err := cors.CheckResponse(req, resp); err != nil {
//			return response.NetworkError(err)
//		}
//	}
//	if !cors.TAOCheck(req, resp) {
//		req.TimingAllowFailed = true
//	}
//
// HTTP-network-or-cache fetch adds the preflight's `Origin`, `Referer` and
// `User-Agent` headers as it does for every request (the preflight has mode
// "cors", the request's origin, referrer and referrer policy, and no
// client); NewPreflightRequest adds `Accept`,
// `Access-Control-Request-Method` and `Access-Control-Request-Headers`.
//
// Main fetch, before filtering a response of a request whose response
// tainting is "cors":
//
//	cors.SetExposedHeaderNames(req, resp)
//	resp = response.CORSFilter(resp)
//
// A nil *Cache is a user agent without a CORS-preflight cache: every
// request that needs a preflight gets one.
package cors
