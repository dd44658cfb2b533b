package fetch

import (
	"context"

	"github.com/wfetch/wfetch/cors"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// The CORS protocol itself (the CORS check, the TAO check, CORS-preflight
// fetch and the preflight cache) is package cors; this file connects it to
// the fetch algorithms.

// corsCheck performs a CORS check: nil for success, a network error for
// failure. https://fetch.spec.whatwg.org/#concept-cors-check
func corsCheck(req *request.Internal, resp *response.Internal) error {
	return cors.CheckResponse(req, resp)
}

// taoCheck performs the TAO check.
// https://fetch.spec.whatwg.org/#concept-tao-check
func taoCheck(req *request.Internal, resp *response.Internal) bool {
	return cors.TAOCheck(req, resp)
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

// needsPreflight is the condition of step 4.1 of HTTP fetch.
// https://fetch.spec.whatwg.org/#http-fetch
func (c *Client) needsPreflight(req *request.Internal) bool {
	return cors.NeedsPreflight(req, c.preflight)
}

// corsPreflightFetch runs a CORS-preflight fetch for the request of fp
// (package cors), sending the preflight through HTTP-network-or-cache fetch
// with new fetch params that share fp's abort signal.
// https://fetch.spec.whatwg.org/#cors-preflight-fetch
func (c *Client) corsPreflightFetch(fp *fetchParams) *response.Internal {
	resp, _ := cors.PreflightFetch(fp.ctx, fp.req, c.preflight, func(ctx context.Context, pre *request.Internal) *response.Internal {
		pfp := &fetchParams{req: pre, timing: &timingRecorder{}, client: c, ctx: fp.ctx, signal: fp.signal}
		r := c.httpNetworkOrCacheFetch(pfp, false, false)
		if !r.IsNetworkError() {
			// The preflight's body is of no use: release its connection.
			discardBody(r)
			if pfp.live != nil {
				pfp.live.Close()
			}
		}
		return r
	})
	return resp
}
