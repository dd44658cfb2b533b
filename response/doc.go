// Package response implements the Response class and the response concept,
// including filtered responses (basic, cors, opaque, opaqueredirect) and the
// statics Error, Redirect and JSON.
//
// Spec: https://fetch.spec.whatwg.org/#response-class and
// https://fetch.spec.whatwg.org/#concept-response
//
// # The pieces
//
//   - Internal is the response concept (#concept-response) with its helpers:
//     network errors (NetworkError, AbortedNetworkError,
//     AppropriateNetworkError), the four filters (BasicFilter, CORSFilter,
//     OpaqueFilter, OpaqueRedirectFilter), "clone a response" (Clone) and
//     "location URL" (LocationURL). Err carries why a network error
//     happened (an *fetch.NetworkError).
//   - Response is the Response class: New runs the constructor
//     (#dom-response), Error, Redirect and JSON the statics, Clone runs
//     clone(), Create runs "create a Response object", and FromInternal wraps
//     what fetch produced with immutable headers. It embeds body.Mixin, so
//     Text, JSON, Bytes, Blob, FormData, Body and BodyUsed read the body.
//
// # Filtered responses
//
// A filtered response refers to its internal response for everything the
// filter does not override. The filters fill in the values as they are when
// filtering, sharing the body; Internal.View (which Create calls) takes them
// again from the internal response, so changes fetch makes to the internal
// response after filtering are seen.
//
// # Deviations
//
//   - ResponseInit's status is an int whose zero value means the default,
//     200; JavaScript's {status: 0} (a RangeError) has to be passed as a
//     value outside 200–599, such as -1.
//   - Status texts are byte sequences held in Go strings (as header values
//     are); reason-phrase allows bytes 0x80–0xFF, so UTF-8 text passes. The
//     JavaScript binding rejects strings with code points above U+00FF when
//     converting a ByteString, before the constructor runs.
//   - JSON serializes with encoding/json (HTML escaping off) instead of
//     JSON.stringify: values it cannot encode (NaN, Inf, channels, functions,
//     cycles) are TypeErrors where JavaScript would write null or throw,
//     map keys come out sorted, and U+2028/U+2029 are escaped.
//   - Internal.TimingInfo keeps on the response the fetch timing info that
//     the standard keeps on the fetch params; HasCrossOriginRedirects stands
//     for the response's redirect taint not being "same-origin".
//   - LocationURL treats more than one Location header as failure, as
//     "extract header list values" for a single-value header does.
package response
