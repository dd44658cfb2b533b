package cors

import (
	"github.com/wfetch/wfetch/headers"
	"github.com/wfetch/wfetch/internal/errs"
	"github.com/wfetch/wfetch/request"
	"github.com/wfetch/wfetch/response"
	"github.com/wfetch/wfetch/weburl"
)

// Header names of the CORS protocol.
// https://fetch.spec.whatwg.org/#http-cors-protocol
const (
	HeaderAllowOrigin      = "Access-Control-Allow-Origin"
	HeaderAllowCredentials = "Access-Control-Allow-Credentials"
	HeaderAllowMethods     = "Access-Control-Allow-Methods"
	HeaderAllowHeaders     = "Access-Control-Allow-Headers"
	HeaderMaxAge           = "Access-Control-Max-Age"
	HeaderExposeHeaders    = "Access-Control-Expose-Headers"
	HeaderRequestMethod    = "Access-Control-Request-Method"
	HeaderRequestHeaders   = "Access-Control-Request-Headers"
	HeaderTimingAllow      = "Timing-Allow-Origin"
)

// corsError builds the error a failed CORS step returns: a TypeError
// wrapping a network error with reason "cors".
func corsError(format string, args ...any) error {
	return errs.Network(errs.ReasonCORS, nil, format, args...)
}

// Check runs the CORS check on the parts of a request and a response it
// looks at: origin is the byte-serialized request origin (see
// request.Internal.ByteSerializeOrigin), credentials the request's
// credentials mode and list the response's header list. It returns nil
// for success, and for failure a *fetch.TypeError wrapping an
// *fetch.NetworkError with reason fetch.ReasonCORS whose message says what
// did not match.
// https://fetch.spec.whatwg.org/#concept-cors-check
func Check(origin string, credentials request.Credentials, list headers.List) error {
	// 1. Get Access-Control-Allow-Origin (several headers combine with ", ").
	allow, ok := list.Get(HeaderAllowOrigin)
	// 2. Absent (null, not `null`): failure.
	if !ok {
		return corsError("%s missing", HeaderAllowOrigin)
	}
	include := credentials == request.CredentialsInclude
	// 3. The wildcard suffices without credentials.
	if !include && allow == "*" {
		return nil
	}
	// 4. Otherwise the value must be exactly the request's origin.
	if allow != origin {
		if allow == "*" {
			return corsError("%s is '*', expected '%s' (the wildcard does not work with credentials mode include)",
				HeaderAllowOrigin, origin)
		}
		return corsError("%s is '%s', expected '%s'", HeaderAllowOrigin, allow, origin)
	}
	// 5. Without credentials that is enough.
	if !include {
		return nil
	}
	// 6. Get Access-Control-Allow-Credentials.
	cred, ok := list.Get(HeaderAllowCredentials)
	// 7. It must be exactly `true` (case-sensitive).
	if ok && cred == "true" {
		return nil
	}
	// 8. Failure.
	if !ok {
		return corsError("credentials mode include needs %s: true, the header is missing", HeaderAllowCredentials)
	}
	return corsError("credentials mode include needs %s: true, got '%s'", HeaderAllowCredentials, cred)
}

// CheckResponse runs the CORS check for req and resp: Check with req's
// byte-serialized origin and credentials mode and resp's header list. req's
// origin must not be "client" (fetch resolves it first); an origin of none
// serializes as "null".
// https://fetch.spec.whatwg.org/#concept-cors-check
func CheckResponse(req *request.Internal, resp *response.Internal) error {
	var list headers.List
	if resp != nil && resp.Header != nil {
		list = *resp.Header
	}
	return Check(req.ByteSerializeOrigin(), req.Credentials, list)
}

// TAOCheck runs the TAO (timing allow origin) check for req and resp and
// reports success. req's origin must not be "client".
// https://fetch.spec.whatwg.org/#concept-tao-check
func TAOCheck(req *request.Internal, resp *response.Internal) bool {
	// 1. (Assert: the origin is resolved.)
	// 2. An earlier failure sticks.
	if req.TimingAllowFailed {
		return false
	}
	// 3. Split Timing-Allow-Origin.
	var values []string
	if resp != nil && resp.Header != nil {
		values, _ = resp.Header.GetDecodeSplit(HeaderTimingAllow)
	}
	// 4. A wildcard allows everyone.
	// 5. So does the request's serialized origin.
	origin := req.SerializeOrigin()
	for _, v := range values {
		if v == "*" || v == origin {
			return true
		}
	}
	// 6. A navigation to another origin fails.
	if req.Mode == request.ModeNavigate {
		cur := req.CurrentURL()
		if cur == nil || req.Origin.Origin == nil || !weburl.SameOrigin(cur.Origin(), *req.Origin.Origin) {
			return false
		}
	}
	// 7. Basic tainting succeeds.
	// 8. Anything else fails.
	return req.ResponseTainting == request.TaintingBasic
}
